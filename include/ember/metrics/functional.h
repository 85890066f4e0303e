// ember::metrics::functional: the stateless forms (torchmetrics.functional): one batch in, the
// metric out, with the same options and checks as the metric classes.
#pragma once

#include "ember/metrics/classification.h"

namespace ember::metrics::functional {

// Task wrappers: accuracy(preds, target, {.task = "multiclass", .num_classes = 3}). Without a
// task: multiclass with num_classes inferred from the inputs (torchmetrics' old API), micro.
Tensor accuracy(const Tensor& preds, const Tensor& target, const ClassificationOptions& o = {});
Tensor precision(const Tensor& preds, const Tensor& target, const ClassificationOptions& o = {});
Tensor recall(const Tensor& preds, const Tensor& target, const ClassificationOptions& o = {});
Tensor f1_score(const Tensor& preds, const Tensor& target, const ClassificationOptions& o = {});
Tensor fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                   const ClassificationOptions& o = {});
Tensor specificity(const Tensor& preds, const Tensor& target, const ClassificationOptions& o = {});
Tensor confusion_matrix(const Tensor& preds, const Tensor& target,
                        const ConfusionMatrixOptions& o);

Tensor binary_accuracy(const Tensor& preds, const Tensor& target, const BinaryOptions& o = {});
Tensor multiclass_accuracy(const Tensor& preds, const Tensor& target, int64_t num_classes,
                           const MulticlassOptions& o = {});
Tensor multilabel_accuracy(const Tensor& preds, const Tensor& target, int64_t num_labels,
                           const MultilabelOptions& o = {});
Tensor binary_precision(const Tensor& preds, const Tensor& target, const BinaryOptions& o = {});
Tensor multiclass_precision(const Tensor& preds, const Tensor& target, int64_t num_classes,
                            const MulticlassOptions& o = {});
Tensor multilabel_precision(const Tensor& preds, const Tensor& target, int64_t num_labels,
                            const MultilabelOptions& o = {});
Tensor binary_recall(const Tensor& preds, const Tensor& target, const BinaryOptions& o = {});
Tensor multiclass_recall(const Tensor& preds, const Tensor& target, int64_t num_classes,
                         const MulticlassOptions& o = {});
Tensor multilabel_recall(const Tensor& preds, const Tensor& target, int64_t num_labels,
                         const MultilabelOptions& o = {});
Tensor binary_f1_score(const Tensor& preds, const Tensor& target, const BinaryOptions& o = {});
Tensor multiclass_f1_score(const Tensor& preds, const Tensor& target, int64_t num_classes,
                           const MulticlassOptions& o = {});
Tensor multilabel_f1_score(const Tensor& preds, const Tensor& target, int64_t num_labels,
                           const MultilabelOptions& o = {});
Tensor binary_fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                          const BinaryOptions& o = {});
Tensor multiclass_fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                              int64_t num_classes, const MulticlassOptions& o = {});
Tensor multilabel_fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                              int64_t num_labels, const MultilabelOptions& o = {});
Tensor binary_specificity(const Tensor& preds, const Tensor& target, const BinaryOptions& o = {});
Tensor multiclass_specificity(const Tensor& preds, const Tensor& target, int64_t num_classes,
                              const MulticlassOptions& o = {});
Tensor multilabel_specificity(const Tensor& preds, const Tensor& target, int64_t num_labels,
                              const MultilabelOptions& o = {});

}  // namespace ember::metrics::functional

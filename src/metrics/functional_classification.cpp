// The stateless classification metrics: one stat-scores update, then the metric's reduction.
#include "ember/metrics/functional.h"

#include "ember/core/error.h"

namespace ember::metrics::functional {
namespace {

using detail::StatKind;
using detail::StatScoresConfig;

Tensor score(StatKind kind, const Tensor& preds, const Tensor& target, StatScoresConfig c,
             const char* metric) {
    if (c.task == detail::Task::Multiclass && c.num_classes == 0)
        c.num_classes = detail::infer_num_classes(preds, target, metric);
    EMBER_CHECK(c.top_k <= c.num_classes || c.task != detail::Task::Multiclass, metric,
                ": top_k=", c.top_k, " exceeds the ", c.num_classes, " classes");
    return detail::stat_scores_reduce(kind, detail::stat_scores_update(preds, target, c, metric), c);
}

StatScoresConfig beta_config(StatScoresConfig c, double beta, const char* metric) {
    EMBER_CHECK(beta > 0, metric, ": beta must be a positive float, got ", beta);
    c.beta = beta;
    return c;
}

}  // namespace

#define EMBER_METRICS_FUNCTIONAL(fn, kind)                                                        \
    Tensor fn(const Tensor& preds, const Tensor& target, const ClassificationOptions& o) {        \
        return score(kind, preds, target, detail::wrapper_config(o, #fn), #fn);                  \
    }                                                                                             \
    Tensor binary_##fn(const Tensor& preds, const Tensor& target, const BinaryOptions& o) {       \
        return score(kind, preds, target, detail::binary_config(o, "binary_" #fn), "binary_" #fn); \
    }                                                                                             \
    Tensor multiclass_##fn(const Tensor& preds, const Tensor& target, int64_t num_classes,        \
                           const MulticlassOptions& o) {                                          \
        return score(kind, preds, target,                                                         \
                     detail::multiclass_config(num_classes, o, "multiclass_" #fn),                \
                     "multiclass_" #fn);                                                          \
    }                                                                                             \
    Tensor multilabel_##fn(const Tensor& preds, const Tensor& target, int64_t num_labels,         \
                           const MultilabelOptions& o) {                                          \
        return score(kind, preds, target,                                                         \
                     detail::multilabel_config(num_labels, o, "multilabel_" #fn),                 \
                     "multilabel_" #fn);                                                          \
    }

EMBER_METRICS_FUNCTIONAL(accuracy, StatKind::Accuracy)
EMBER_METRICS_FUNCTIONAL(precision, StatKind::Precision)
EMBER_METRICS_FUNCTIONAL(recall, StatKind::Recall)
EMBER_METRICS_FUNCTIONAL(f1_score, StatKind::FBeta)
EMBER_METRICS_FUNCTIONAL(specificity, StatKind::Specificity)
#undef EMBER_METRICS_FUNCTIONAL

Tensor fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                   const ClassificationOptions& o) {
    return score(StatKind::FBeta, preds, target,
                 beta_config(detail::wrapper_config(o, "fbeta_score"), beta, "fbeta_score"),
                 "fbeta_score");
}
Tensor binary_fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                          const BinaryOptions& o) {
    return score(StatKind::FBeta, preds, target,
                 beta_config(detail::binary_config(o, "binary_fbeta_score"), beta,
                             "binary_fbeta_score"),
                 "binary_fbeta_score");
}
Tensor multiclass_fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                              int64_t num_classes, const MulticlassOptions& o) {
    return score(StatKind::FBeta, preds, target,
                 beta_config(detail::multiclass_config(num_classes, o, "multiclass_fbeta_score"),
                             beta, "multiclass_fbeta_score"),
                 "multiclass_fbeta_score");
}
Tensor multilabel_fbeta_score(const Tensor& preds, const Tensor& target, double beta,
                              int64_t num_labels, const MultilabelOptions& o) {
    return score(StatKind::FBeta, preds, target,
                 beta_config(detail::multilabel_config(num_labels, o, "multilabel_fbeta_score"),
                             beta, "multilabel_fbeta_score"),
                 "multilabel_fbeta_score");
}

Tensor confusion_matrix(const Tensor& preds, const Tensor& target,
                        const ConfusionMatrixOptions& o) {
    StatScoresConfig c = detail::confusion_matrix_config(o, "confusion_matrix");
    return detail::confusion_matrix_reduce(
        detail::confusion_matrix_update(preds, target, c, "confusion_matrix"), o.normalize);
}

}  // namespace ember::metrics::functional

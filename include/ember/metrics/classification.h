// ember::metrics classification metrics (torchmetrics.classification): Accuracy, Precision,
// Recall, F1Score, FBetaScore, Specificity (binary / multiclass / multilabel and the task
// wrappers) on one stat-scores core, and ConfusionMatrix.
//
// Inputs are formatted as torchmetrics does: binary and multilabel float preds outside [0, 1]
// go through a sigmoid, then `pred > threshold`; multiclass float scores (N, C, ...) reduce
// with argmax over dim 1 (or the top_k highest); integer preds are labels. Extra dims are
// flattened into the samples ("global") or scored per sample ("samplewise").
#pragma once

#include <optional>
#include <string>

#include "ember/metrics/metric.h"

namespace ember::metrics {

// Task-specific options (torchmetrics' BinaryX / MulticlassX / MultilabelX arguments).
struct BinaryOptions {
    double threshold = 0.5;
    std::string multidim_average = "global";  // "global" | "samplewise"
    std::optional<int64_t> ignore_index;
};
struct MulticlassOptions {
    int64_t top_k = 1;
    std::string average = "macro";  // "micro" | "macro" | "weighted" | "none"
    std::string multidim_average = "global";
    std::optional<int64_t> ignore_index;
};
struct MultilabelOptions {
    double threshold = 0.5;
    std::string average = "macro";
    std::string multidim_average = "global";
    std::optional<int64_t> ignore_index;
};

// The task wrappers' options (torchmetrics' Accuracy(task=..., ...)). Note the wrapper's
// default average is "micro", unlike the Multiclass*/Multilabel* classes ("macro").
// Without a task the wrapper follows torchmetrics' old (<= 0.10) API for the common case:
// multiclass, num_classes inferred from the first update (preds' dim 1 for float scores
// (N, C, ...), else the largest label in preds or target + 1) unless given, average "micro".
struct ClassificationOptions {
    std::optional<std::string> task;  // "binary" | "multiclass" | "multilabel"
    double threshold = 0.5;
    std::optional<int64_t> num_classes;
    std::optional<int64_t> num_labels;
    std::string average = "micro";
    std::string multidim_average = "global";
    int64_t top_k = 1;
    std::optional<int64_t> ignore_index;
};

namespace detail {

enum class Task { Binary, Multiclass, Multilabel };

// The validated configuration shared by every stat-scores metric.
struct StatScoresConfig {
    Task task = Task::Multiclass;
    int64_t num_classes = 0;  // multiclass; 0 = inferred from the first update (old API)
    int64_t num_labels = 0;   // multilabel
    double threshold = 0.5;
    int64_t top_k = 1;
    std::string average = "micro";  // "binary" for the binary task
    bool samplewise = false;
    std::optional<int64_t> ignore_index;
    double beta = 1.0;  // FBetaScore only
};

StatScoresConfig binary_config(const BinaryOptions& o, const char* metric);
StatScoresConfig multiclass_config(int64_t num_classes, const MulticlassOptions& o,
                                   const char* metric);
StatScoresConfig multilabel_config(int64_t num_labels, const MultilabelOptions& o,
                                   const char* metric);
StatScoresConfig wrapper_config(const ClassificationOptions& o, const char* metric);

// tp, fp, tn, fn: 0-dim (binary), (C,) (multiclass), (L,) (multilabel), with a leading N dim
// for samplewise; int64.
struct StatScores {
    Tensor tp, fp, tn, fn;
};

// Validates and formats one batch, and counts its statistics. `config.num_classes` must be
// known (see infer_num_classes).
StatScores stat_scores_update(const Tensor& preds, const Tensor& target,
                              const StatScoresConfig& config, const char* metric);
// The old API's class count: preds.size(1) for float scores, else max label + 1.
int64_t infer_num_classes(const Tensor& preds, const Tensor& target, const char* metric);

enum class StatKind { Accuracy, Precision, Recall, FBeta, Specificity };
// Reduces the statistics into the metric (torchmetrics' _accuracy_reduce & co).
Tensor stat_scores_reduce(StatKind kind, const StatScores& s, const StatScoresConfig& config);

// The stateful stat-scores metric: the classes below only choose the statistic and options.
class StatScoresMetric : public Metric {
public:
    StatScoresMetric(std::string name, StatKind kind, StatScoresConfig config);
    void update(const Tensor& preds, const Tensor& target) override;
    std::string repr() const override;
    const StatScoresConfig& config() const { return config_; }

protected:
    Tensor compute_state() override;
    void check_mergeable(const MetricBase& other) const override;

private:
    void register_states();
    StatKind kind_;
    StatScoresConfig config_;
};

}  // namespace detail

// Accuracy: binary (tp+tn)/all; multiclass tp/(tp+fn); multilabel per label (tp+tn)/all.
class BinaryAccuracy : public detail::StatScoresMetric {
public:
    explicit BinaryAccuracy(BinaryOptions o = {});
};
class MulticlassAccuracy : public detail::StatScoresMetric {
public:
    explicit MulticlassAccuracy(int64_t num_classes, MulticlassOptions o = {});
};
class MultilabelAccuracy : public detail::StatScoresMetric {
public:
    explicit MultilabelAccuracy(int64_t num_labels, MultilabelOptions o = {});
};
class Accuracy : public detail::StatScoresMetric {
public:
    explicit Accuracy(ClassificationOptions o = {});
};

// Precision tp/(tp+fp).
class BinaryPrecision : public detail::StatScoresMetric {
public:
    explicit BinaryPrecision(BinaryOptions o = {});
};
class MulticlassPrecision : public detail::StatScoresMetric {
public:
    explicit MulticlassPrecision(int64_t num_classes, MulticlassOptions o = {});
};
class MultilabelPrecision : public detail::StatScoresMetric {
public:
    explicit MultilabelPrecision(int64_t num_labels, MultilabelOptions o = {});
};
class Precision : public detail::StatScoresMetric {
public:
    explicit Precision(ClassificationOptions o = {});
};

// Recall tp/(tp+fn).
class BinaryRecall : public detail::StatScoresMetric {
public:
    explicit BinaryRecall(BinaryOptions o = {});
};
class MulticlassRecall : public detail::StatScoresMetric {
public:
    explicit MulticlassRecall(int64_t num_classes, MulticlassOptions o = {});
};
class MultilabelRecall : public detail::StatScoresMetric {
public:
    explicit MultilabelRecall(int64_t num_labels, MultilabelOptions o = {});
};
class Recall : public detail::StatScoresMetric {
public:
    explicit Recall(ClassificationOptions o = {});
};

// F-beta (1+b^2)tp / ((1+b^2)tp + b^2 fn + fp); F1 is beta = 1.
class BinaryFBetaScore : public detail::StatScoresMetric {
public:
    explicit BinaryFBetaScore(double beta, BinaryOptions o = {});
};
class MulticlassFBetaScore : public detail::StatScoresMetric {
public:
    MulticlassFBetaScore(double beta, int64_t num_classes, MulticlassOptions o = {});
};
class MultilabelFBetaScore : public detail::StatScoresMetric {
public:
    MultilabelFBetaScore(double beta, int64_t num_labels, MultilabelOptions o = {});
};
class FBetaScore : public detail::StatScoresMetric {
public:
    explicit FBetaScore(double beta, ClassificationOptions o = {});
};
class BinaryF1Score : public detail::StatScoresMetric {
public:
    explicit BinaryF1Score(BinaryOptions o = {});
};
class MulticlassF1Score : public detail::StatScoresMetric {
public:
    explicit MulticlassF1Score(int64_t num_classes, MulticlassOptions o = {});
};
class MultilabelF1Score : public detail::StatScoresMetric {
public:
    explicit MultilabelF1Score(int64_t num_labels, MultilabelOptions o = {});
};
class F1Score : public detail::StatScoresMetric {
public:
    explicit F1Score(ClassificationOptions o = {});
};

// Specificity tn/(tn+fp).
class BinarySpecificity : public detail::StatScoresMetric {
public:
    explicit BinarySpecificity(BinaryOptions o = {});
};
class MulticlassSpecificity : public detail::StatScoresMetric {
public:
    explicit MulticlassSpecificity(int64_t num_classes, MulticlassOptions o = {});
};
class MultilabelSpecificity : public detail::StatScoresMetric {
public:
    explicit MultilabelSpecificity(int64_t num_labels, MultilabelOptions o = {});
};
class Specificity : public detail::StatScoresMetric {
public:
    explicit Specificity(ClassificationOptions o = {});
};

// ConfusionMatrix options: normalize "none" | "true" (rows sum to 1) | "pred" (columns) |
// "all". task/num_classes/num_labels/threshold/ignore_index as for the other metrics.
struct ConfusionMatrixOptions {
    std::optional<std::string> task;
    std::optional<int64_t> num_classes;
    std::optional<int64_t> num_labels;
    double threshold = 0.5;
    std::string normalize = "none";
    std::optional<int64_t> ignore_index;
};

// Rows are the true class, columns the predicted one: (2, 2) binary, (C, C) multiclass,
// (L, 2, 2) multilabel; int64, float32 when normalized (0/0 rows become 0).
class ConfusionMatrix : public Metric {
public:
    explicit ConfusionMatrix(ConfusionMatrixOptions o);
    void update(const Tensor& preds, const Tensor& target) override;
    std::string repr() const override;

protected:
    Tensor compute_state() override;

private:
    detail::StatScoresConfig config_;
    std::string normalize_;
};

namespace detail {
StatScoresConfig confusion_matrix_config(const ConfusionMatrixOptions& o, const char* metric);
Tensor confusion_matrix_update(const Tensor& preds, const Tensor& target,
                               const StatScoresConfig& config, const char* metric);
Tensor confusion_matrix_reduce(const Tensor& confmat, const std::string& normalize);
}  // namespace detail

}  // namespace ember::metrics

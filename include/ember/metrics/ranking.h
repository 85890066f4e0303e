// ember::metrics threshold-free ranking metrics (torchmetrics' AUROC and AveragePrecision with
// thresholds=None, the exact form): binary, multiclass (one-vs-rest) and multilabel. The state
// is every (formatted) prediction and target seen, concatenated at compute().
//
// Formatting as torchmetrics: float preds outside [0, 1] are logits and go through a sigmoid
// (binary, multilabel) or a softmax over classes (multiclass), per update; samples whose
// target is ignore_index are dropped.
#pragma once

#include <optional>
#include <string>

#include "ember/metrics/metric.h"

namespace ember::metrics {

struct BinaryRankingOptions {
    std::optional<int64_t> ignore_index;
};
// average: "macro" | "weighted" (by class support) | "none".
struct MulticlassRankingOptions {
    std::string average = "macro";
    std::optional<int64_t> ignore_index;
};
// average: "micro" (all labels pooled) | "macro" | "weighted" | "none".
struct MultilabelRankingOptions {
    std::string average = "macro";
    std::optional<int64_t> ignore_index;
};
// The task wrappers' options (AUROC(task=..., ...)); average defaults to "macro" here.
struct RankingOptions {
    std::optional<std::string> task;  // required
    std::optional<int64_t> num_classes;
    std::optional<int64_t> num_labels;
    std::string average = "macro";
    std::optional<int64_t> ignore_index;
};

namespace detail {

enum class RankingKind { AUROC, AveragePrecision };

struct RankingConfig {
    int task = 0;  // 0 binary, 1 multiclass, 2 multilabel
    int64_t num_classes = 0;  // classes or labels
    std::string average = "macro";
    std::optional<int64_t> ignore_index;
};

RankingConfig ranking_config(const RankingOptions& o, const char* metric);
// Validated, formatted (preds, target) of one batch.
std::pair<Tensor, Tensor> ranking_format(const Tensor& preds, const Tensor& target,
                                         const RankingConfig& c, const char* metric);
Tensor ranking_compute(RankingKind kind, const Tensor& preds, const Tensor& target,
                       const RankingConfig& c, const char* metric);

class RankingMetric : public Metric {
public:
    RankingMetric(std::string name, RankingKind kind, RankingConfig config);
    void update(const Tensor& preds, const Tensor& target) override;
    std::string repr() const override;

protected:
    Tensor compute_state() override;
    void check_mergeable(const MetricBase& other) const override;

private:
    RankingKind kind_;
    RankingConfig config_;
};

}  // namespace detail

// Area under the ROC curve.
class BinaryAUROC : public detail::RankingMetric {
public:
    explicit BinaryAUROC(BinaryRankingOptions o = {});
};
class MulticlassAUROC : public detail::RankingMetric {
public:
    explicit MulticlassAUROC(int64_t num_classes, MulticlassRankingOptions o = {});
};
class MultilabelAUROC : public detail::RankingMetric {
public:
    explicit MultilabelAUROC(int64_t num_labels, MultilabelRankingOptions o = {});
};
class AUROC : public detail::RankingMetric {
public:
    explicit AUROC(RankingOptions o);
};

// Average precision: the sum over thresholds of precision times the recall increment.
class BinaryAveragePrecision : public detail::RankingMetric {
public:
    explicit BinaryAveragePrecision(BinaryRankingOptions o = {});
};
class MulticlassAveragePrecision : public detail::RankingMetric {
public:
    explicit MulticlassAveragePrecision(int64_t num_classes, MulticlassRankingOptions o = {});
};
class MultilabelAveragePrecision : public detail::RankingMetric {
public:
    explicit MultilabelAveragePrecision(int64_t num_labels, MultilabelRankingOptions o = {});
};
class AveragePrecision : public detail::RankingMetric {
public:
    explicit AveragePrecision(RankingOptions o);
};

namespace functional {
Tensor auroc(const Tensor& preds, const Tensor& target, const RankingOptions& o);
Tensor binary_auroc(const Tensor& preds, const Tensor& target, const BinaryRankingOptions& o = {});
Tensor multiclass_auroc(const Tensor& preds, const Tensor& target, int64_t num_classes,
                        const MulticlassRankingOptions& o = {});
Tensor multilabel_auroc(const Tensor& preds, const Tensor& target, int64_t num_labels,
                        const MultilabelRankingOptions& o = {});
Tensor average_precision(const Tensor& preds, const Tensor& target, const RankingOptions& o);
Tensor binary_average_precision(const Tensor& preds, const Tensor& target,
                                const BinaryRankingOptions& o = {});
Tensor multiclass_average_precision(const Tensor& preds, const Tensor& target, int64_t num_classes,
                                    const MulticlassRankingOptions& o = {});
Tensor multilabel_average_precision(const Tensor& preds, const Tensor& target, int64_t num_labels,
                                    const MultilabelRankingOptions& o = {});
}  // namespace functional

}  // namespace ember::metrics

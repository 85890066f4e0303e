// ember::metrics agreement scores computed from the confusion matrix (torchmetrics):
// MatthewsCorrCoef (binary / multiclass / multilabel) and CohenKappa (binary / multiclass,
// weights "none" | "linear" | "quadratic").
#pragma once

#include <optional>
#include <string>

#include "ember/metrics/classification.h"

namespace ember::metrics {

// The task wrappers' options (MatthewsCorrCoef(task=...), CohenKappa(task=...)).
struct AgreementOptions {
    std::optional<std::string> task;  // required
    double threshold = 0.5;
    std::optional<int64_t> num_classes;
    std::optional<int64_t> num_labels;  // MatthewsCorrCoef only
    std::string weights = "none";       // CohenKappa only
    std::optional<int64_t> ignore_index;
};
struct BinaryAgreementOptions {
    double threshold = 0.5;
    std::string weights = "none";  // CohenKappa only
    std::optional<int64_t> ignore_index;
};
struct MulticlassAgreementOptions {
    std::string weights = "none";  // CohenKappa only
    std::optional<int64_t> ignore_index;
};
struct MultilabelAgreementOptions {
    double threshold = 0.5;
    std::optional<int64_t> ignore_index;
};

namespace detail {
enum class AgreementKind { MatthewsCorrCoef, CohenKappa };
// Accumulates the confusion matrix; compute() reduces it to the score.
class AgreementMetric : public Metric {
public:
    AgreementMetric(std::string name, AgreementKind kind, const AgreementOptions& o);
    void update(const Tensor& preds, const Tensor& target) override;
    std::string repr() const override;

protected:
    Tensor compute_state() override;

private:
    AgreementKind kind_;
    StatScoresConfig config_;
    std::string weights_;
};
Tensor matthews_corrcoef_reduce(const Tensor& confmat);
Tensor cohen_kappa_reduce(const Tensor& confmat, const std::string& weights);
}  // namespace detail

class MatthewsCorrCoef : public detail::AgreementMetric {
public:
    explicit MatthewsCorrCoef(AgreementOptions o);
};
class BinaryMatthewsCorrCoef : public detail::AgreementMetric {
public:
    explicit BinaryMatthewsCorrCoef(BinaryAgreementOptions o = {});
};
class MulticlassMatthewsCorrCoef : public detail::AgreementMetric {
public:
    explicit MulticlassMatthewsCorrCoef(int64_t num_classes, MulticlassAgreementOptions o = {});
};
class MultilabelMatthewsCorrCoef : public detail::AgreementMetric {
public:
    explicit MultilabelMatthewsCorrCoef(int64_t num_labels, MultilabelAgreementOptions o = {});
};
class CohenKappa : public detail::AgreementMetric {
public:
    explicit CohenKappa(AgreementOptions o);
};
class BinaryCohenKappa : public detail::AgreementMetric {
public:
    explicit BinaryCohenKappa(BinaryAgreementOptions o = {});
};
class MulticlassCohenKappa : public detail::AgreementMetric {
public:
    explicit MulticlassCohenKappa(int64_t num_classes, MulticlassAgreementOptions o = {});
};

namespace functional {
Tensor matthews_corrcoef(const Tensor& preds, const Tensor& target, const AgreementOptions& o);
Tensor cohen_kappa(const Tensor& preds, const Tensor& target, const AgreementOptions& o);
}  // namespace functional

}  // namespace ember::metrics

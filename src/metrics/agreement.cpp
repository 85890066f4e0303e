// Matthews correlation and Cohen's kappa from the accumulated confusion matrix, with
// torchmetrics' conventions for degenerate matrices.
#include "ember/metrics/agreement.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/linalg.h"
#include "ember/ops/reduce.h"

namespace ember::metrics {
namespace detail {
namespace {

StatScoresConfig agreement_config(AgreementKind kind, const AgreementOptions& o,
                                  const char* metric) {
    if (kind == AgreementKind::CohenKappa) {
        EMBER_CHECK(o.weights == "none" || o.weights == "linear" || o.weights == "quadratic",
                    metric, ": weights must be 'none', 'linear' or 'quadratic', got '", o.weights,
                    "'");
        EMBER_CHECK(!o.task || *o.task != "multilabel", metric,
                    ": task must be 'binary' or 'multiclass', got 'multilabel'");
    }
    return confusion_matrix_config({.task = o.task, .num_classes = o.num_classes,
                                    .num_labels = o.num_labels, .threshold = o.threshold,
                                    .ignore_index = o.ignore_index},
                                   metric);
}

}  // namespace

Tensor matthews_corrcoef_reduce(const Tensor& confmat_in) {
    // Multilabel matrices (L, 2, 2) pool into one binary matrix.
    Tensor confmat = (confmat_in.dim() == 3 ? confmat_in.sum({0}) : confmat_in).to(kCPU);
    const Device device = confmat_in.device();
    auto out = [&](double v) { return full({}, v, {.dtype = DType::Float32, .device = device}); };
    const bool binary = confmat.numel() == 4;
    double tn = 0, fp = 0, fn = 0, tp = 0;
    if (binary) {
        auto v = confmat.to(DType::Float64).contiguous().to_vector<double>();
        tn = v[0], fp = v[1], fn = v[2], tp = v[3];
        if (tp + tn != 0 && fp + fn == 0) return out(1.0);
        if (tp + tn == 0 && fp + fn != 0) return out(-1.0);
    }
    Tensor m = confmat.to(DType::Float64);
    Tensor tk = m.sum({-1}), pk = m.sum({-2});
    const double c = m.diagonal().sum().item<double>(), s = m.sum().item<double>();
    double numerator = c * s - (tk * pk).sum().item<double>();
    double denom = (s * s - (pk * pk).sum().item<double>()) * (s * s - (tk * tk).sum().item<double>());
    if (denom == 0 && binary) {
        // One row and one column empty: torchmetrics' eps-smoothed limit.
        double a = 0, b = 0;
        if (fn == 0 && tn == 0) a = tp, b = fp;
        else if (fp == 0 && tn == 0) a = tp, b = fn;
        else if (tp == 0 && fn == 0) a = tn, b = fp;
        else if (tp == 0 && fp == 0) a = tn, b = fn;
        const double eps = std::numeric_limits<float>::epsilon();
        numerator = std::sqrt(eps) * (a - b);
        denom = (tp + fp + eps) * (tp + fn + eps) * (tn + fp + eps) * (tn + fn + eps);
    } else if (denom == 0) {
        return out(0.0);
    }
    return out(numerator / std::sqrt(denom));
}

Tensor cohen_kappa_reduce(const Tensor& confmat, const std::string& weights) {
    Tensor m = confmat.to(DType::Float32);
    const int64_t n = m.size(0);
    Tensor sum0 = m.sum({0}, true), sum1 = m.sum({1}, true);
    Tensor expected = matmul(sum1, sum0) / sum0.sum();
    Tensor w;
    if (weights == "none") {
        w = 1.0 - eye(n, std::nullopt, {.dtype = DType::Float32, .device = m.device()});
    } else {
        Tensor idx = arange(n, {.dtype = DType::Float32, .device = m.device()});
        Tensor diff = idx.unsqueeze(0) - idx.unsqueeze(1);
        w = weights == "linear" ? abs(diff) : diff * diff;
    }
    return 1.0 - (w * m).sum() / (w * expected).sum();
}

AgreementMetric::AgreementMetric(std::string name, AgreementKind kind, const AgreementOptions& o)
    : Metric(name), kind_(kind), config_(agreement_config(kind, o, name.c_str())),
      weights_(o.weights) {
    DimVector shape;
    if (config_.task == Task::Binary) shape = {2, 2};
    if (config_.task == Task::Multiclass) shape = {config_.num_classes, config_.num_classes};
    if (config_.task == Task::Multilabel) shape = {config_.num_labels, 2, 2};
    add_state("confmat", zeros(shape, {.dtype = DType::Int64}), Reduction::Sum);
}

void AgreementMetric::update(const Tensor& preds, const Tensor& target) {
    run_update(preds.device(), [&] {
        tensor_state("confmat") += confusion_matrix_update(preds, target, config_, name().c_str());
    });
}

Tensor AgreementMetric::compute_state() {
    if (kind_ == AgreementKind::MatthewsCorrCoef) return matthews_corrcoef_reduce(state("confmat"));
    return cohen_kappa_reduce(state("confmat"), weights_);
}

std::string AgreementMetric::repr() const {
    std::ostringstream ss;
    ss << name() << "(";
    if (config_.task == Task::Multiclass) ss << "num_classes=" << config_.num_classes;
    if (config_.task == Task::Multilabel) ss << "num_labels=" << config_.num_labels;
    if (config_.task == Task::Binary) ss << "threshold=" << config_.threshold;
    if (kind_ == AgreementKind::CohenKappa) ss << ", weights=" << weights_;
    ss << ")";
    return ss.str();
}

}  // namespace detail

using detail::AgreementKind;

MatthewsCorrCoef::MatthewsCorrCoef(AgreementOptions o)
    : AgreementMetric("MatthewsCorrCoef", AgreementKind::MatthewsCorrCoef, o) {}
BinaryMatthewsCorrCoef::BinaryMatthewsCorrCoef(BinaryAgreementOptions o)
    : AgreementMetric("BinaryMatthewsCorrCoef", AgreementKind::MatthewsCorrCoef,
                      {.task = "binary", .threshold = o.threshold, .ignore_index = o.ignore_index}) {}
MulticlassMatthewsCorrCoef::MulticlassMatthewsCorrCoef(int64_t num_classes,
                                                       MulticlassAgreementOptions o)
    : AgreementMetric("MulticlassMatthewsCorrCoef", AgreementKind::MatthewsCorrCoef,
                      {.task = "multiclass", .num_classes = num_classes,
                       .ignore_index = o.ignore_index}) {}
MultilabelMatthewsCorrCoef::MultilabelMatthewsCorrCoef(int64_t num_labels,
                                                       MultilabelAgreementOptions o)
    : AgreementMetric("MultilabelMatthewsCorrCoef", AgreementKind::MatthewsCorrCoef,
                      {.task = "multilabel", .threshold = o.threshold, .num_labels = num_labels,
                       .ignore_index = o.ignore_index}) {}
CohenKappa::CohenKappa(AgreementOptions o)
    : AgreementMetric("CohenKappa", AgreementKind::CohenKappa, o) {}
BinaryCohenKappa::BinaryCohenKappa(BinaryAgreementOptions o)
    : AgreementMetric("BinaryCohenKappa", AgreementKind::CohenKappa,
                      {.task = "binary", .threshold = o.threshold, .weights = o.weights,
                       .ignore_index = o.ignore_index}) {}
MulticlassCohenKappa::MulticlassCohenKappa(int64_t num_classes, MulticlassAgreementOptions o)
    : AgreementMetric("MulticlassCohenKappa", AgreementKind::CohenKappa,
                      {.task = "multiclass", .num_classes = num_classes, .weights = o.weights,
                       .ignore_index = o.ignore_index}) {}

namespace functional {
Tensor matthews_corrcoef(const Tensor& preds, const Tensor& target, const AgreementOptions& o) {
    detail::AgreementMetric m("matthews_corrcoef", AgreementKind::MatthewsCorrCoef, o);
    m.update(preds, target);
    return m.compute();
}
Tensor cohen_kappa(const Tensor& preds, const Tensor& target, const AgreementOptions& o) {
    detail::AgreementMetric m("cohen_kappa", AgreementKind::CohenKappa, o);
    m.update(preds, target);
    return m.compute();
}
}  // namespace functional

}  // namespace ember::metrics

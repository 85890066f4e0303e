// Regression metrics: per-batch sufficient statistics (summed across batches) and the
// torchmetrics formulas that turn them into the metric.
#include "ember/metrics/regression.h"

#include <cmath>
#include <sstream>

#include "ember/core/error.h"
#include "ember/core/warning.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/util.h"

namespace ember::metrics {

using ember::detail::describe;  // "[2, 3] float32 cpu" in messages
namespace {

void check_same_shape(const Tensor& preds, const Tensor& target, const char* metric) {
    EMBER_CHECK(preds.sizes() == target.sizes(), metric,
                ": preds and target must have the same shape, got preds ", describe(preds),
                " and target ", describe(target));
    EMBER_CHECK(preds.device() == target.device(), metric,
                ": preds and target must be on the same device, got ", preds.device(), " and ",
                target.device());
}

Tensor as_float(const Tensor& t) { return t.is_floating_point() ? t : t.to(DType::Float32); }

void check_outputs(const Tensor& preds, int64_t num_outputs, const char* metric) {
    EMBER_CHECK(num_outputs >= 1, metric, ": num_outputs must be >= 1, got ", num_outputs);
    if (num_outputs == 1)
        EMBER_CHECK(preds.dim() <= 1 || (preds.dim() == 2 && preds.size(1) == 1), metric,
                    ": expected 1-D inputs (N) for num_outputs=1, got ", describe(preds));
    else
        EMBER_CHECK(preds.dim() == 2 && preds.size(1) == num_outputs, metric,
                    ": expected inputs of shape (N, ", num_outputs, ") for num_outputs=",
                    num_outputs, ", got ", describe(preds));
}

void check_multioutput(const std::string& m, const char* metric) {
    EMBER_CHECK(m == "uniform_average" || m == "raw_values" || m == "variance_weighted", metric,
                ": multioutput must be 'uniform_average', 'raw_values' or 'variance_weighted', "
                "got '",
                m, "'");
}

// Squared (or absolute) error sums per output and the observation count.
std::pair<Tensor, int64_t> error_sum(const Tensor& preds, const Tensor& target, bool squared,
                                     int64_t num_outputs) {
    Tensor p = num_outputs == 1 ? preds.reshape({-1}) : preds;
    Tensor t = num_outputs == 1 ? target.reshape({-1}) : target;
    Tensor diff = as_float(p) - as_float(t);
    Tensor e = squared ? diff * diff : abs(diff);
    return {num_outputs == 1 ? e.sum() : e.sum({0}), t.dim() == 0 ? 1 : t.size(0)};
}

// Scores where numerator/denominator are both usable; 1 where both vanish, 0 where only the
// denominator does (torchmetrics' R2 / explained-variance conventions).
Tensor guarded_ratio_score(const Tensor& num_zero, const Tensor& den_zero, const Tensor& score) {
    Tensor out = where(logical_and(logical_not(num_zero), logical_not(den_zero)), score, 1.0);
    return where(logical_and(logical_not(num_zero), den_zero), 0.0, out);
}

Tensor reduce_outputs(const Tensor& scores, const Tensor& variance, const std::string& multioutput) {
    if (multioutput == "raw_values") return scores;
    if (multioutput == "uniform_average") return scores.mean();
    return (variance / variance.sum() * scores).sum();
}

struct R2Stats {
    Tensor sum_squared_obs, sum_obs, rss;
    int64_t n;
};
R2Stats r2_update(const Tensor& preds, const Tensor& target, const char* metric) {
    check_same_shape(preds, target, metric);
    EMBER_CHECK(preds.dim() >= 1 && preds.dim() <= 2, metric,
                ": expected 1-D or 2-D preds and target, got ", describe(preds));
    Tensor p = as_float(preds), t = as_float(target);
    Tensor r = t - p;
    return {(t * t).sum({0}), t.sum({0}), (r * r).sum({0}), t.size(0)};
}

Tensor r2_compute(const R2Stats& s, int64_t adjusted, const std::string& multioutput,
                  const char* metric) {
    EMBER_CHECK(s.n >= 2, metric, ": needs at least two samples to compute the R2 score, got ",
                s.n);
    const double n = static_cast<double>(s.n);
    Tensor tss = s.sum_squared_obs - s.sum_obs * (s.sum_obs / n);
    Tensor zeros_rss = zeros_like(s.rss);
    Tensor rss_zero = isclose(s.rss, zeros_rss, 1e-05, 1e-4);
    Tensor tss_zero = isclose(tss, zeros_like(tss), 1e-05, 1e-4);
    Tensor raw = guarded_ratio_score(rss_zero, tss_zero, 1.0 - s.rss / tss);
    Tensor r2 = reduce_outputs(raw, tss, multioutput);
    if (adjusted != 0) {
        if (adjusted > s.n - 1) {
            warn("More independent regressions than data points in adjusted r2 score. Falls back "
                 "to standard r2 score.");
        } else if (adjusted == s.n - 1) {
            warn("Division by zero in adjusted r2 score. Falls back to standard r2 score.");
        } else {
            return 1.0 - (1.0 - r2) * ((n - 1) / (n - static_cast<double>(adjusted) - 1));
        }
    }
    return r2;
}

struct EVStats {
    Tensor sum_error, sum_squared_error, sum_target, sum_squared_target;
    int64_t n;
};
EVStats ev_update(const Tensor& preds, const Tensor& target, const char* metric) {
    check_same_shape(preds, target, metric);
    EMBER_CHECK(preds.dim() >= 1, metric, ": expected preds of shape (N, ...), got ",
                describe(preds));
    Tensor p = as_float(preds), t = as_float(target);
    Tensor d = t - p;
    return {d.sum({0}), (d * d).sum({0}), t.sum({0}), (t * t).sum({0}), t.size(0)};
}

Tensor ev_compute(const EVStats& s, const std::string& multioutput) {
    const double n = static_cast<double>(s.n);
    Tensor diff_avg = s.sum_error / n;
    Tensor numerator = s.sum_squared_error / n - diff_avg * diff_avg;
    Tensor target_avg = s.sum_target / n;
    Tensor denominator = s.sum_squared_target / n - target_avg * target_avg;
    Tensor raw = guarded_ratio_score(numerator.eq(0), denominator.eq(0),
                                     1.0 - numerator / denominator);
    return reduce_outputs(raw, denominator, multioutput);
}

// Pearson sufficient statistics, float64: n, sum x, sum y, sum xx, sum yy, sum xy.
std::vector<Tensor> pearson_update(const Tensor& preds, const Tensor& target, int64_t num_outputs,
                                   const char* metric) {
    check_same_shape(preds, target, metric);
    check_outputs(preds, num_outputs, metric);
    Tensor x = preds.to(DType::Float64), y = target.to(DType::Float64);
    if (num_outputs == 1) {
        x = x.reshape({-1});
        y = y.reshape({-1});
    }
    Tensor n = full({num_outputs}, static_cast<double>(x.size(0)), {.dtype = DType::Float64,
                                                                  .device = x.device()});
    return {n, x.sum({0}), y.sum({0}), (x * x).sum({0}), (y * y).sum({0}), (x * y).sum({0})};
}

Tensor pearson_compute(const std::vector<Tensor>& s) {
    const Tensor& n = s[0];
    Tensor var_x = (s[3] - s[1] * s[1] / n) / (n - 1);
    Tensor var_y = (s[4] - s[2] * s[2] / n) / (n - 1);
    Tensor cov = (s[5] - s[1] * s[2] / n) / (n - 1);
    const double bound = std::sqrt(1.1920928955078125e-07);  // sqrt(float32 eps)
    if (logical_or(var_x.lt(bound), var_y.lt(bound)).any().item<bool>())
        warn("The variance of predictions or target is close to zero. This can cause instability "
             "in Pearson correlation coefficient, leading to wrong results.");
    Tensor r = (cov / sqrt(var_x * var_y)).squeeze();
    return clamp(r, -1.0, 1.0).to(DType::Float32);
}

const char* const kPearsonStates[] = {"n_total", "sum_x", "sum_y", "sum_xx", "sum_yy", "sum_xy"};

}  // namespace

MeanSquaredError::MeanSquaredError(MeanSquaredErrorOptions o)
    : Metric("MeanSquaredError"), options_(o) {
    EMBER_CHECK(o.num_outputs >= 1, "MeanSquaredError: num_outputs must be >= 1, got ",
                o.num_outputs);
    add_state("sum_squared_error",
              o.num_outputs == 1 ? zeros({}) : zeros({o.num_outputs}), Reduction::Sum);
    add_state("total", zeros({}, {.dtype = DType::Int64}), Reduction::Sum);
}

void MeanSquaredError::update(const Tensor& preds, const Tensor& target) {
    check_same_shape(preds, target, "MeanSquaredError");
    if (options_.num_outputs > 1) check_outputs(preds, options_.num_outputs, "MeanSquaredError");
    run_update(preds.device(), [&] {
        auto [sum, n] = error_sum(preds, target, true, options_.num_outputs);
        tensor_state("sum_squared_error") += sum;
        tensor_state("total") += n;
    });
}

Tensor MeanSquaredError::compute_state() {
    Tensor mse = state("sum_squared_error") / state("total");
    return options_.squared ? mse : sqrt(mse);
}

std::string MeanSquaredError::repr() const {
    std::ostringstream ss;
    ss << "MeanSquaredError(squared=" << (options_.squared ? "True" : "False")
       << ", num_outputs=" << options_.num_outputs << ")";
    return ss.str();
}

MeanAbsoluteError::MeanAbsoluteError() : Metric("MeanAbsoluteError") {
    add_state("sum_abs_error", zeros({}), Reduction::Sum);
    add_state("total", zeros({}, {.dtype = DType::Int64}), Reduction::Sum);
}

void MeanAbsoluteError::update(const Tensor& preds, const Tensor& target) {
    check_same_shape(preds, target, "MeanAbsoluteError");
    run_update(preds.device(), [&] {
        Tensor e = abs(as_float(preds) - as_float(target));
        tensor_state("sum_abs_error") += e.sum();
        tensor_state("total") += target.numel();
    });
}

Tensor MeanAbsoluteError::compute_state() { return state("sum_abs_error") / state("total"); }

R2Score::R2Score(R2ScoreOptions o) : Metric("R2Score"), options_(std::move(o)) {
    EMBER_CHECK(options_.num_outputs >= 1, "R2Score: num_outputs must be >= 1, got ",
                options_.num_outputs);
    EMBER_CHECK(options_.adjusted >= 0, "R2Score: adjusted must be an integer >= 0, got ",
                options_.adjusted);
    check_multioutput(options_.multioutput, "R2Score");
    for (const char* s : {"sum_squared_error", "sum_error", "residual"})
        add_state(s, zeros({options_.num_outputs}), Reduction::Sum);
    add_state("total", zeros({}, {.dtype = DType::Int64}), Reduction::Sum);
}

void R2Score::update(const Tensor& preds, const Tensor& target) {
    run_update(preds.device(), [&] {
        R2Stats s = r2_update(preds, target, "R2Score");
        tensor_state("sum_squared_error") += s.sum_squared_obs;
        tensor_state("sum_error") += s.sum_obs;
        tensor_state("residual") += s.rss;
        tensor_state("total") += s.n;
    });
}

Tensor R2Score::compute_state() {
    R2Stats s{state("sum_squared_error"), state("sum_error"), state("residual"),
              state("total").item<int64_t>()};
    return r2_compute(s, options_.adjusted, options_.multioutput, "R2Score");
}

std::string R2Score::repr() const {
    return "R2Score(num_outputs=" + std::to_string(options_.num_outputs) +
           ", adjusted=" + std::to_string(options_.adjusted) +
           ", multioutput=" + options_.multioutput + ")";
}

PearsonCorrCoef::PearsonCorrCoef(PearsonCorrCoefOptions o)
    : Metric("PearsonCorrCoef"), options_(o) {
    EMBER_CHECK(o.num_outputs >= 1, "PearsonCorrCoef: num_outputs must be >= 1, got ",
                o.num_outputs);
    for (const char* s : kPearsonStates)
        add_state(s, zeros({o.num_outputs}, {.dtype = DType::Float64}), Reduction::Sum);
}

void PearsonCorrCoef::update(const Tensor& preds, const Tensor& target) {
    run_update(preds.device(), [&] {
        std::vector<Tensor> s = pearson_update(preds, target, options_.num_outputs,
                                               "PearsonCorrCoef");
        for (size_t i = 0; i < s.size(); ++i) tensor_state(kPearsonStates[i]) += s[i];
    });
}

Tensor PearsonCorrCoef::compute_state() {
    std::vector<Tensor> s;
    for (const char* name : kPearsonStates) s.push_back(state(name));
    return pearson_compute(s);
}

ExplainedVariance::ExplainedVariance(ExplainedVarianceOptions o)
    : Metric("ExplainedVariance"), options_(std::move(o)) {
    check_multioutput(options_.multioutput, "ExplainedVariance");
    for (const char* s : {"sum_error", "sum_squared_error", "sum_target", "sum_squared_target"})
        add_state(s, zeros({}), Reduction::Sum);
    add_state("num_obs", zeros({}, {.dtype = DType::Int64}), Reduction::Sum);
}

void ExplainedVariance::update(const Tensor& preds, const Tensor& target) {
    run_update(preds.device(), [&] {
        EVStats s = ev_update(preds, target, "ExplainedVariance");
        // Per-output sums replace the scalar defaults on the first update.
        auto accumulate = [&](const char* name, const Tensor& v) {
            Tensor& st = tensor_state(name);
            st = st + v;
        };
        accumulate("sum_error", s.sum_error);
        accumulate("sum_squared_error", s.sum_squared_error);
        accumulate("sum_target", s.sum_target);
        accumulate("sum_squared_target", s.sum_squared_target);
        tensor_state("num_obs") += s.n;
    });
}

Tensor ExplainedVariance::compute_state() {
    EVStats s{state("sum_error"), state("sum_squared_error"), state("sum_target"),
              state("sum_squared_target"), state("num_obs").item<int64_t>()};
    return ev_compute(s, options_.multioutput);
}

namespace functional {

Tensor mean_squared_error(const Tensor& preds, const Tensor& target, bool squared,
                          int64_t num_outputs) {
    check_same_shape(preds, target, "mean_squared_error");
    if (num_outputs > 1) check_outputs(preds, num_outputs, "mean_squared_error");
    EMBER_CHECK(num_outputs >= 1, "mean_squared_error: num_outputs must be >= 1, got ",
                num_outputs);
    auto [sum, n] = error_sum(preds, target, true, num_outputs);
    Tensor mse = sum / static_cast<double>(num_outputs == 1 ? target.numel() : n);
    return squared ? mse : sqrt(mse);
}

Tensor mean_absolute_error(const Tensor& preds, const Tensor& target) {
    check_same_shape(preds, target, "mean_absolute_error");
    return abs(as_float(preds) - as_float(target)).sum() / static_cast<double>(target.numel());
}

Tensor r2_score(const Tensor& preds, const Tensor& target, int64_t adjusted,
                const std::string& multioutput) {
    check_multioutput(multioutput, "r2_score");
    EMBER_CHECK(adjusted >= 0, "r2_score: adjusted must be an integer >= 0, got ", adjusted);
    return r2_compute(r2_update(preds, target, "r2_score"), adjusted, multioutput, "r2_score");
}

Tensor pearson_corrcoef(const Tensor& preds, const Tensor& target) {
    const int64_t outputs = preds.dim() == 2 ? preds.size(1) : 1;
    return pearson_compute(pearson_update(preds, target, outputs, "pearson_corrcoef"));
}

Tensor explained_variance(const Tensor& preds, const Tensor& target,
                          const std::string& multioutput) {
    check_multioutput(multioutput, "explained_variance");
    return ev_compute(ev_update(preds, target, "explained_variance"), multioutput);
}

}  // namespace functional
}  // namespace ember::metrics

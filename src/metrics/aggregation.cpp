// Aggregation metrics: running sum / min / max / weighted mean (and a windowed mean) of values.
#include "ember/metrics/aggregation.h"

#include <limits>

#include "ember/core/error.h"
#include "ember/core/warning.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"
#include "ops/util.h"

namespace ember::metrics {

using ember::detail::describe;  // "[2, 3] float32 cpu" in messages

AggregationMetric::AggregationMetric(std::string name, AggregationOptions o)
    : MetricBase(std::move(name)), options_(std::move(o)) {
    if (const auto* s = std::get_if<std::string>(&options_.nan_strategy))
        EMBER_CHECK(*s == "warn" || *s == "ignore" || *s == "error", this->name(),
                    ": nan_strategy must be 'warn', 'ignore', 'error' or a number, got '", *s,
                    "'");
}

Tensor AggregationMetric::scalar_tensor(double v) const {
    return full({}, v, {.dtype = DType::Float32, .device = device()});
}

std::pair<Tensor, Tensor> AggregationMetric::clean(const Tensor& value, const Tensor& weight) const {
    Tensor x = value.to(DType::Float32).reshape({-1});
    Tensor w = weight.to(DType::Float32).to(x.device()).reshape({-1});
    Tensor nans = logical_or(isnan(x), isnan(w));
    if (!nans.any().item<bool>()) return {x, w};
    if (const auto* fill = std::get_if<double>(&options_.nan_strategy))
        return {masked_fill(x, nans, *fill), masked_fill(w, nans, *fill)};
    const std::string& s = std::get<std::string>(options_.nan_strategy);
    EMBER_CHECK(s != "error", name(), ": encountered nan values in the input ", describe(value));
    if (s == "warn") warn(name() + ": encountered nan values in tensor. Will be removed.");
    Tensor keep = logical_not(nans);
    return {masked_select(x, keep), masked_select(w, keep)};
}

Tensor AggregationMetric::operator()(const Tensor& value) {
    return run_forward([&] { update(value); });
}

SumMetric::SumMetric(AggregationOptions o) : AggregationMetric("SumMetric", std::move(o)) {
    add_state("sum_value", zeros({}), Reduction::Sum);
}
void SumMetric::update(const Tensor& value) {
    run_update(value.device(), [&] {
        auto [x, w] = clean(value, ones_like(value));
        tensor_state("sum_value") += x.sum();
    });
}
Tensor SumMetric::compute_state() { return state("sum_value").clone(); }

MinMetric::MinMetric(AggregationOptions o) : AggregationMetric("MinMetric", std::move(o)) {
    add_state("min_value", full({}, std::numeric_limits<double>::infinity()), Reduction::Min);
}
void MinMetric::update(const Tensor& value) {
    run_update(value.device(), [&] {
        auto [x, w] = clean(value, ones_like(value));
        if (x.numel() > 0) tensor_state("min_value") = minimum(tensor_state("min_value"), x.min());
    });
}
Tensor MinMetric::compute_state() { return state("min_value").clone(); }

MaxMetric::MaxMetric(AggregationOptions o) : AggregationMetric("MaxMetric", std::move(o)) {
    add_state("max_value", full({}, -std::numeric_limits<double>::infinity()), Reduction::Max);
}
void MaxMetric::update(const Tensor& value) {
    run_update(value.device(), [&] {
        auto [x, w] = clean(value, ones_like(value));
        if (x.numel() > 0) tensor_state("max_value") = maximum(tensor_state("max_value"), x.max());
    });
}
Tensor MaxMetric::compute_state() { return state("max_value").clone(); }

MeanMetric::MeanMetric(AggregationOptions o) : AggregationMetric("MeanMetric", std::move(o)) {
    add_state("mean_value", zeros({}), Reduction::Sum);
    add_state("weight", zeros({}), Reduction::Sum);
}
void MeanMetric::update(const Tensor& value, const Tensor& weight) {
    broadcast_shapes(value.sizes(), weight.sizes(), "MeanMetric.update");
    EMBER_CHECK(broadcast_shapes(value.sizes(), weight.sizes()) == value.sizes(),
                "MeanMetric: weight ", describe(weight), " must broadcast to value ",
                describe(value));
    run_update(value.device(), [&] {
        auto [x, w] = clean(value, weight.to(value.device()).expand(value.sizes()));
        if (x.numel() == 0) return;
        tensor_state("mean_value") += (x * w).sum();
        tensor_state("weight") += w.sum();
    });
}
Tensor MeanMetric::operator()(const Tensor& value, const Tensor& weight) {
    return run_forward([&] { update(value, weight); });
}
Tensor MeanMetric::compute_state() { return state("mean_value") / state("weight"); }

RunningMean::RunningMean(RunningMeanOptions o)
    : AggregationMetric("RunningMean", {o.nan_strategy}), window_(o.window) {
    EMBER_CHECK(window_ >= 1, "RunningMean: window must be a positive integer, got ", window_);
    // One (value sum, weight sum) pair per update; only the last `window` are kept.
    add_state("value_sums", zeros({0}), Reduction::Cat);
    add_state("weight_sums", zeros({0}), Reduction::Cat);
}
void RunningMean::update(const Tensor& value) {
    run_update(value.device(), [&] {
        auto [x, w] = clean(value, ones_like(value));
        list_state("value_sums").push_back((x * w).sum().reshape({1}));
        list_state("weight_sums").push_back(w.sum().reshape({1}));
    });
    on_merged();
}
void RunningMean::on_merged() {
    for (const char* name : {"value_sums", "weight_sums"}) {
        auto& parts = list_state(name);
        if (static_cast<int64_t>(parts.size()) > window_)
            parts.erase(parts.begin(), parts.end() - window_);
    }
}
Tensor RunningMean::compute_state() {
    return state("value_sums").sum() / state("weight_sums").sum();
}
std::string RunningMean::repr() const {
    return "RunningMean(window=" + std::to_string(window_) + ")";
}

}  // namespace ember::metrics

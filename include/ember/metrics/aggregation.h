// ember::metrics aggregation metrics (torchmetrics.aggregation): MeanMetric (weighted),
// SumMetric, MinMetric, MaxMetric and RunningMean over a window of updates. They take one
// input: update(value) / operator()(value), value a tensor (flattened) or a number.
#pragma once

#include <string>
#include <variant>

#include "ember/metrics/metric.h"

namespace ember::metrics {

// NaN handling: "warn" (drop NaNs with a warning), "ignore" (drop silently), "error" (throw),
// or a number that replaces them (and their weights).
struct AggregationOptions {
    std::variant<std::string, double> nan_strategy = std::string("warn");
};

class AggregationMetric : public MetricBase {
public:
    AggregationMetric(std::string name, AggregationOptions o);
    virtual void update(const Tensor& value) = 0;
    void update(double value) { update(scalar_tensor(value)); }
    // Accumulates and returns the aggregate of this value alone.
    Tensor operator()(const Tensor& value);
    Tensor operator()(double value) { return (*this)(scalar_tensor(value)); }

protected:
    // Flattened float32 value (and weight) with the NaN strategy applied.
    std::pair<Tensor, Tensor> clean(const Tensor& value, const Tensor& weight) const;
    Tensor scalar_tensor(double v) const;

private:
    AggregationOptions options_;
};

class SumMetric : public AggregationMetric {
public:
    explicit SumMetric(AggregationOptions o = {});
    using AggregationMetric::update;
    void update(const Tensor& value) override;

protected:
    Tensor compute_state() override;
};

class MinMetric : public AggregationMetric {
public:
    explicit MinMetric(AggregationOptions o = {});
    using AggregationMetric::update;
    void update(const Tensor& value) override;

protected:
    Tensor compute_state() override;
};

class MaxMetric : public AggregationMetric {
public:
    explicit MaxMetric(AggregationOptions o = {});
    using AggregationMetric::update;
    void update(const Tensor& value) override;

protected:
    Tensor compute_state() override;
};

// sum(value * weight) / sum(weight); weight broadcasts to value.
class MeanMetric : public AggregationMetric {
public:
    explicit MeanMetric(AggregationOptions o = {});
    using AggregationMetric::update;
    void update(const Tensor& value) override { update(value, 1.0); }
    void update(const Tensor& value, const Tensor& weight);
    void update(const Tensor& value, double weight) { update(value, scalar_tensor(weight)); }
    using AggregationMetric::operator();
    Tensor operator()(const Tensor& value, const Tensor& weight);

protected:
    Tensor compute_state() override;
};

struct RunningMeanOptions {
    int64_t window = 5;
    std::variant<std::string, double> nan_strategy = std::string("warn");
};
// The weighted mean over the last `window` updates.
class RunningMean : public AggregationMetric {
public:
    explicit RunningMean(RunningMeanOptions o = {});
    using AggregationMetric::update;
    void update(const Tensor& value) override;
    std::string repr() const override;

protected:
    Tensor compute_state() override;
    void on_merged() override;

private:
    int64_t window_;
};

}  // namespace ember::metrics

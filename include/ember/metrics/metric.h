// ember::metrics::Metric: the stateful metric base (torchmetrics' Metric): named state tensors
// with a merge reduction, update / compute / reset, a call operator returning the batch value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ember/core/device.h"
#include "ember/core/tensor.h"

namespace ember::metrics {

// How a state of two metric instances (or of two batches) combines: "sum" adds, "min"/"max"
// take the elementwise extreme, "mean" averages weighted by update counts, "cat" keeps a list
// of per-update tensors (concatenated when computed).
enum class Reduction { Sum, Mean, Min, Max, Cat };

// State machinery shared by every metric; the update signature lives in the subclasses
// (Metric: update(preds, target); aggregation metrics: update(value)).
class MetricBase {
public:
    explicit MetricBase(std::string name) : name_(std::move(name)) {}
    virtual ~MetricBase() = default;
    // Copies are independent: the accumulated state tensors are cloned.
    MetricBase(const MetricBase& other);
    MetricBase& operator=(const MetricBase& other);
    MetricBase(MetricBase&&) = default;
    MetricBase& operator=(MetricBase&&) = default;

    // The metric over everything accumulated since the last reset; cached until the next
    // update. Before any update it warns (as torchmetrics' UserWarning) and computes from the
    // default state.
    Tensor compute();
    // States back to their defaults.
    void reset();
    // Folds another instance's accumulated state into this one (data-parallel reduction);
    // `other` must be the same kind of metric with the same configuration.
    void merge_state(const MetricBase& other);
    // Moves every state (and future defaults) to `device`.
    MetricBase& to(Device device);

    const std::string& name() const { return name_; }
    // "MulticlassAccuracy(num_classes=3, average=macro)"-style description.
    virtual std::string repr() const { return name_ + "()"; }
    int64_t update_count() const { return update_count_; }
    Device device() const { return device_; }

    // A state by name: a tensor state as is (the live tensor: read, don't modify), a "cat"
    // state concatenated along dim 0 (its empty default when nothing was appended).
    Tensor state(const std::string& state_name) const;
    std::vector<std::string> state_names() const;

protected:
    // Registers a state; `default_value` is cloned on every reset.
    void add_state(const std::string& state_name, const Tensor& default_value, Reduction reduction);
    Tensor& tensor_state(const std::string& state_name);
    std::vector<Tensor>& list_state(const std::string& state_name);
    bool has_state(const std::string& state_name) const;

    // The metric value from the current state (no caching, no warning).
    virtual Tensor compute_state() = 0;

    // Wraps one update: moves the states to `device` (states follow the inputs), runs
    // `do_update`, counts it and drops the cached result.
    void run_update(Device device, const std::function<void()>& do_update);
    // torchmetrics' forward: the value of this batch alone (computed from a fresh state),
    // with the batch then merged into the running state.
    Tensor run_forward(const std::function<void()>& do_update);

    // Subclasses whose states depend on the first input (lazily registered) override this to
    // check that merge_state partners agree; the default compares state names.
    virtual void check_mergeable(const MetricBase& other) const;
    // Called after states were merged (forward, merge_state): windowed metrics trim here.
    virtual void on_merged() {}

private:
    struct State {
        std::string name;
        Tensor default_value;
        Reduction reduction;
        Tensor value;               // tensor states
        std::vector<Tensor> parts;  // cat states
    };
    State& find(const std::string& state_name);
    const State& find(const std::string& state_name) const;
    void merge_from(const std::vector<State>& other, int64_t other_count, bool other_first);

    std::string name_;
    std::vector<State> states_;
    int64_t update_count_ = 0;
    Device device_ = Device(DeviceType::CPU);
    std::optional<Tensor> cached_;
};

// A metric of predictions against targets (classification, regression).
class Metric : public MetricBase {
public:
    using MetricBase::MetricBase;
    // Accumulates one batch.
    virtual void update(const Tensor& preds, const Tensor& target) = 0;
    // Accumulates one batch and returns the metric of that batch alone.
    Tensor operator()(const Tensor& preds, const Tensor& target);
};

}  // namespace ember::metrics

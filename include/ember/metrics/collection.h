// ember::metrics::MetricCollection: named metrics of the same inputs, updated together
// (torchmetrics.MetricCollection); compute() returns name -> value.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ember/metrics/metric.h"

namespace ember::metrics {

class MetricCollection {
public:
    MetricCollection() = default;

    // Adds `metric` under `name` (a metric's own name when empty); returns a reference to the
    // stored metric. Names must be unique.
    template <class M>
    M& add(std::string name, M metric) {
        auto owned = std::make_unique<M>(std::move(metric));
        M& ref = *owned;
        insert(std::move(name), std::move(owned));
        return ref;
    }
    template <class M>
    M& add(M metric) {
        return add(std::string(), std::move(metric));
    }

    void update(const Tensor& preds, const Tensor& target);
    // Each metric's value for this batch, while accumulating.
    std::map<std::string, Tensor> operator()(const Tensor& preds, const Tensor& target);
    std::map<std::string, Tensor> compute();
    void reset();
    MetricCollection& to(Device device);
    // Merges the collection `other` (same names, same metrics) into this one.
    void merge_state(const MetricCollection& other);

    Metric& operator[](const std::string& name);
    const Metric& operator[](const std::string& name) const;
    std::vector<std::string> keys() const;
    size_t size() const { return metrics_.size(); }

private:
    void insert(std::string name, std::unique_ptr<Metric> metric);
    std::vector<std::pair<std::string, std::unique_ptr<Metric>>> metrics_;
};

}  // namespace ember::metrics

// MetricCollection: a named, ordered set of metrics fed the same batches.
#include "ember/metrics/collection.h"

#include "ember/core/error.h"

namespace ember::metrics {

void MetricCollection::insert(std::string name, std::unique_ptr<Metric> metric) {
    if (name.empty()) name = metric->name();
    for (const auto& [existing, m] : metrics_)
        EMBER_CHECK(existing != name, "MetricCollection: a metric named '", name,
                    "' is already in the collection");
    metrics_.emplace_back(std::move(name), std::move(metric));
}

void MetricCollection::update(const Tensor& preds, const Tensor& target) {
    for (auto& [name, m] : metrics_) m->update(preds, target);
}

std::map<std::string, Tensor> MetricCollection::operator()(const Tensor& preds,
                                                           const Tensor& target) {
    std::map<std::string, Tensor> out;
    for (auto& [name, m] : metrics_) out[name] = (*m)(preds, target);
    return out;
}

std::map<std::string, Tensor> MetricCollection::compute() {
    std::map<std::string, Tensor> out;
    for (auto& [name, m] : metrics_) out[name] = m->compute();
    return out;
}

void MetricCollection::reset() {
    for (auto& [name, m] : metrics_) m->reset();
}

MetricCollection& MetricCollection::to(Device device) {
    for (auto& [name, m] : metrics_) m->to(device);
    return *this;
}

void MetricCollection::merge_state(const MetricCollection& other) {
    EMBER_CHECK(other.keys() == keys(), "MetricCollection.merge_state: the collections hold "
                "different metrics");
    for (size_t i = 0; i < metrics_.size(); ++i)
        metrics_[i].second->merge_state(*other.metrics_[i].second);
}

Metric& MetricCollection::operator[](const std::string& name) {
    for (auto& [n, m] : metrics_)
        if (n == name) return *m;
    EMBER_ERROR("MetricCollection: no metric named '", name, "'");
}

const Metric& MetricCollection::operator[](const std::string& name) const {
    for (const auto& [n, m] : metrics_)
        if (n == name) return *m;
    EMBER_ERROR("MetricCollection: no metric named '", name, "'");
}

std::vector<std::string> MetricCollection::keys() const {
    std::vector<std::string> names;
    for (const auto& [n, m] : metrics_) names.push_back(n);
    return names;
}

}  // namespace ember::metrics

// MetricBase: state registry, update/forward bookkeeping, compute caching, merging, moving.
#include "ember/metrics/metric.h"

#include "ember/core/error.h"
#include "ember/core/warning.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/shape.h"

namespace ember::metrics {

MetricBase::MetricBase(const MetricBase& other)
    : name_(other.name_),
      states_(other.states_),
      update_count_(other.update_count_),
      device_(other.device_),
      cached_(other.cached_) {
    // Tensor states are updated in place; cat parts are never modified, so they can be shared.
    for (auto& s : states_)
        if (s.value.defined()) s.value = s.value.clone();
}

MetricBase& MetricBase::operator=(const MetricBase& other) {
    if (this == &other) return *this;
    name_ = other.name_;
    states_ = other.states_;
    for (auto& s : states_)
        if (s.value.defined()) s.value = s.value.clone();
    update_count_ = other.update_count_;
    device_ = other.device_;
    cached_ = other.cached_;
    return *this;
}

MetricBase::State& MetricBase::find(const std::string& state_name) {
    for (auto& s : states_)
        if (s.name == state_name) return s;
    EMBER_ERROR(name_, ": no state named '", state_name, "'");
}

const MetricBase::State& MetricBase::find(const std::string& state_name) const {
    for (const auto& s : states_)
        if (s.name == state_name) return s;
    EMBER_ERROR(name_, ": no state named '", state_name, "'");
}

bool MetricBase::has_state(const std::string& state_name) const {
    for (const auto& s : states_)
        if (s.name == state_name) return true;
    return false;
}

void MetricBase::add_state(const std::string& state_name, const Tensor& default_value,
                           Reduction reduction) {
    EMBER_ASSERT(!has_state(state_name), "state registered twice");
    State s{state_name, default_value.to(device_).clone(), reduction, Tensor(), {}};
    if (reduction != Reduction::Cat) s.value = s.default_value.clone();
    states_.push_back(std::move(s));
}

Tensor& MetricBase::tensor_state(const std::string& state_name) {
    State& s = find(state_name);
    EMBER_ASSERT(s.reduction != Reduction::Cat, "cat state used as a tensor");
    return s.value;
}

std::vector<Tensor>& MetricBase::list_state(const std::string& state_name) {
    State& s = find(state_name);
    EMBER_ASSERT(s.reduction == Reduction::Cat, "tensor state used as a list");
    return s.parts;
}

Tensor MetricBase::state(const std::string& state_name) const {
    const State& s = find(state_name);
    if (s.reduction != Reduction::Cat) return s.value;
    if (s.parts.empty()) return s.default_value.clone();
    return s.parts.size() == 1 ? s.parts[0] : cat(s.parts, 0);
}

std::vector<std::string> MetricBase::state_names() const {
    std::vector<std::string> names;
    for (const auto& s : states_) names.push_back(s.name);
    return names;
}

void MetricBase::reset() {
    for (auto& s : states_) {
        if (s.reduction == Reduction::Cat)
            s.parts.clear();
        else
            s.value = s.default_value.clone();
    }
    update_count_ = 0;
    cached_.reset();
}

MetricBase& MetricBase::to(Device device) {
    device_ = device;
    for (auto& s : states_) {
        s.default_value = s.default_value.to(device);
        if (s.value.defined()) s.value = s.value.to(device);
        for (auto& p : s.parts) p = p.to(device);
    }
    if (cached_) cached_ = cached_->to(device);
    return *this;
}

Tensor MetricBase::compute() {
    if (update_count_ == 0)
        warn("The compute method of metric " + name_ +
             " was called before the update method which may lead to errors, as metric states "
             "have not yet been updated.");
    if (!cached_) cached_ = compute_state();
    return *cached_;
}

void MetricBase::run_update(Device device, const std::function<void()>& do_update) {
    if (device != device_) to(device);
    cached_.reset();
    do_update();
    ++update_count_;
}

void MetricBase::merge_from(const std::vector<State>& other, int64_t other_count,
                            bool other_first) {
    const int64_t total = update_count_ + other_count;
    for (size_t i = 0; i < states_.size(); ++i) {
        State& mine = states_[i];
        const State& theirs = other[i];
        switch (mine.reduction) {
            case Reduction::Sum: mine.value = mine.value + theirs.value.to(device_); break;
            case Reduction::Min: mine.value = minimum(mine.value, theirs.value.to(device_)); break;
            case Reduction::Max: mine.value = maximum(mine.value, theirs.value.to(device_)); break;
            case Reduction::Mean:
                if (total > 0)
                    mine.value = (mine.value * static_cast<double>(update_count_) +
                                  theirs.value.to(device_) * static_cast<double>(other_count)) /
                                 static_cast<double>(total);
                break;
            case Reduction::Cat: {
                std::vector<Tensor> parts;
                for (const auto& p : theirs.parts) parts.push_back(p.to(device_));
                if (other_first)
                    parts.insert(parts.end(), mine.parts.begin(), mine.parts.end());
                else
                    parts.insert(parts.begin(), mine.parts.begin(), mine.parts.end());
                mine.parts = std::move(parts);
                break;
            }
        }
    }
    update_count_ = total;
    cached_.reset();
    on_merged();
}

void MetricBase::check_mergeable(const MetricBase& other) const {
    EMBER_CHECK(other.name_ == name_ && other.state_names() == state_names(), name_,
                ".merge_state: cannot merge the state of ", other.repr(), " into ", repr(),
                " (different metric or configuration)");
    for (size_t i = 0; i < states_.size(); ++i)
        EMBER_CHECK(states_[i].default_value.sizes() == other.states_[i].default_value.sizes(),
                    name_, ".merge_state: state '", states_[i].name, "' has shape ",
                    states_[i].default_value.sizes(), " here but ",
                    other.states_[i].default_value.sizes(), " in ", other.repr());
}

void MetricBase::merge_state(const MetricBase& other) {
    check_mergeable(other);
    merge_from(other.states_, other.update_count_, /*other_first=*/false);
}

Tensor MetricBase::run_forward(const std::function<void()>& do_update) {
    std::vector<State> global = states_;
    const int64_t global_count = update_count_;
    reset();
    Tensor batch_value;
    try {
        do_update();
        batch_value = compute_state();
    } catch (...) {
        // Bad input must not lose what was accumulated so far.
        states_ = std::move(global);
        update_count_ = global_count;
        throw;
    }
    // Re-register the global states when the update registered states lazily (the states of
    // an empty global accumulator are the fresh defaults).
    if (global.size() != states_.size()) {
        global = states_;
        for (auto& s : global) {
            s.parts.clear();
            if (s.reduction != Reduction::Cat) s.value = s.default_value.clone();
        }
    }
    // The accumulated (older) updates come before the batch in cat states.
    merge_from(global, global_count, /*other_first=*/true);
    return batch_value;
}

Tensor Metric::operator()(const Tensor& preds, const Tensor& target) {
    return run_forward([&] { update(preds, target); });
}

}  // namespace ember::metrics

// optim::Optimizer: the base of every optimizer, as PyTorch's torch.optim.Optimizer.
//
//   optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});
//   optim::SGD per_group({{.params = model.fc1.parameters(), .lr = 0.1},
//                         {.params = model.fc2.parameters()}},   // the defaults' lr
//                        {.lr = 0.01, .momentum = 0.9});
//   loss.backward();
//   optimizer.step();
//   optimizer.zero_grad();
//
// Each optimizer has a typed options struct (its defaults, PyTorch's keyword arguments) and a
// group struct whose unset fields take the defaults. Once built, a group keeps its
// hyperparameters by name (`param_groups()[i].options`), as PyTorch's param_group dicts do,
// so that schedulers and state_dict() treat every optimizer alike.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "ember/core/ordered_dict.h"
#include "ember/core/tensor.h"

namespace ember::optim {

// A hyperparameter: a number, a flag, or a pair (betas, etas, step_sizes).
using OptionValue = std::variant<double, bool, std::pair<double, double>>;

// A group's hyperparameters by name, in PyTorch's key order.
class Options {
public:
    Options() = default;
    Options(std::initializer_list<std::pair<std::string, OptionValue>> values);

    bool contains(const std::string& name) const { return values_.contains(name); }
    const OptionValue& at(const std::string& name) const;
    // Typed reads; a missing name or another type is an error naming both.
    double number(const std::string& name) const;
    bool flag(const std::string& name) const;
    std::pair<double, double> pair(const std::string& name) const;
    // Adds or replaces (a replaced value keeps its position).
    void set(const std::string& name, OptionValue value) { values_.insert(name, std::move(value)); }

    auto begin() const { return values_.begin(); }
    auto end() const { return values_.end(); }
    size_t size() const { return values_.size(); }

private:
    OrderedDict<OptionValue> values_;
};

// "0.01", "true", "(0.9, 0.999)".
std::string to_string(const OptionValue& value);

// Parameters optimized with the same hyperparameters.
struct ParamGroup {
    std::vector<Tensor> params;
    Options options;

    double lr() const { return options.number("lr"); }
    void set_lr(double lr) { options.set("lr", lr); }
};

// What an optimizer keeps per parameter: named tensors (exp_avg, momentum_buffer...) and, for
// the optimizers that count them, the steps taken.
struct ParamState {
    std::optional<int64_t> step;
    OrderedDict<Tensor> tensors;

    bool empty() const { return !step && tensors.empty(); }
};

// Optimizer::state_dict(): parameters are numbered consecutively over the groups, as
// PyTorch's integer ids. `state` holds "<id>.<name>" tensors (a step count as a 0-dim
// float32 "<id>.step"); each group lists its options and its parameters' ids.
struct StateDict {
    struct Group {
        Options options;
        std::vector<int64_t> params;
    };
    std::string optimizer;  // "Adam"
    OrderedDict<Tensor> state;
    std::vector<Group> param_groups;

    // A safetensors file: the state tensors, with the optimizer and groups in its metadata.
    void save(const std::string& path) const;
    static StateDict load(const std::string& path);
};

class Optimizer {
public:
    virtual ~Optimizer();
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // PyTorch's class name ("SGD").
    const std::string& name() const { return name_; }

    std::vector<ParamGroup>& param_groups() { return param_groups_; }
    const std::vector<ParamGroup>& param_groups() const { return param_groups_; }
    // The hyperparameters a group gets for what it does not set.
    const Options& defaults() const { return defaults_; }

    // Appends a group; options it lacks come from the defaults. `options` may only name
    // hyperparameters this optimizer has (and the schedulers' keys such as initial_lr).
    void add_param_group(std::vector<Tensor> params, const Options& options = {});

    // Drops every gradient (set_to_none) or zeroes it in place (detached first).
    void zero_grad(bool set_to_none = true);

    // One update of every parameter that has a gradient. With a closure, calls it first with
    // gradients enabled (it usually recomputes the loss and its backward) and returns its loss;
    // without, returns an undefined tensor.
    Tensor step(const std::function<Tensor()>& closure = nullptr);
    // How many times step() ran (schedulers check that the optimizer stepped first).
    int64_t step_calls() const { return step_calls_; }

    // The state of a parameter of this optimizer (empty until its first update).
    ParamState& state(const Tensor& param);
    const ParamState* find_state(const Tensor& param) const;

    StateDict state_dict() const;
    // Restores groups' options and per-parameter state saved from an optimizer of the same
    // kind with the same number and sizes of groups. State tensors take their parameter's
    // device and (floating) dtype.
    void load_state_dict(const StateDict& state_dict);

protected:
    Optimizer(std::string name, Options defaults);

    // Adds the groups of a constructor: `groups` empty is an error, as in PyTorch.
    void add_groups(std::vector<ParamGroup> groups);

    // Checks a group's options with PyTorch's messages ("Invalid learning rate: -1").
    virtual void validate(const Options& options) const = 0;
    // Updates the parameters of one group (under no_grad; only parameters with a gradient).
    virtual void update(ParamGroup& group) = 0;
    // Called for each group once it is added (Adagrad creates its state there).
    virtual void on_group_added(ParamGroup& group) {}

private:
    std::string name_;
    Options defaults_;
    std::vector<ParamGroup> param_groups_;
    std::unordered_map<const void*, ParamState> state_;  // keyed by the parameter's impl
    std::unordered_set<const void*> params_;              // every group's parameters' impls
    int64_t step_calls_ = 0;
};

namespace detail {
// The options of a group: the defaults, overridden by the group's own values.
template <class T>
void override_option(Options& options, const char* name, const std::optional<T>& value) {
    if (value) options.set(name, *value);
}
}  // namespace detail

}  // namespace ember::optim

namespace ember {
// ember::save(optimizer.state_dict(), path), beside ember::save(model.state_dict(), path).
inline void save(const optim::StateDict& state_dict, const std::string& path) {
    state_dict.save(path);
}
}  // namespace ember

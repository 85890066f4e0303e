// nn::Module: the base of every layer and of user models, as PyTorch's nn.Module.
//
// A model declares its parts as members initialised by registration, in the order PyTorch
// would see them assigned in __init__, and computes in forward():
//
//   struct MLP : nn::Module {
//       nn::Linear& linear = register_module("linear", nn::Linear(3, 1));
//       nn::Sigmoid& sigmoid = register_module("sigmoid", nn::Sigmoid());
//       Tensor forward(const Tensor& x) override { return sigmoid(linear(x)); }
//   };
//   MLP model;
//   Tensor y = model(x);
//
// register_module moves the module into the parent (which owns its children) and returns a
// reference to it; register_parameter and register_buffer do the same for tensors, so
// assigning `weight = ...` later replaces the registered tensor, as in Python. A module can be
// moved (its children and tensors stay where they are) but not copied.
#pragma once

#include <concepts>
#include <deque>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/core/tensor.h"
#include "ember/core/ordered_dict.h"

namespace ember::detail {
// A C++ type's unqualified name without template arguments: "Linear" for ember::nn::Linear.
std::string short_type_name(const std::type_info& type);
}  // namespace ember::detail

namespace ember::nn {

using StateDict = OrderedDict<Tensor>;

// An error raised inside a module, already prefixed with the module's path and type (outer
// modules pass it on unchanged).
class ModuleError : public Error {
public:
    using Error::Error;
};

// What load_state_dict(strict=false) reports.
struct LoadResult {
    std::vector<std::string> missing_keys;
    std::vector<std::string> unexpected_keys;
};

class Module {
public:
    Module() = default;
    virtual ~Module();
    Module(Module&& other) noexcept;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    Module& operator=(Module&&) = delete;

    // The computation. Modules whose forward takes something else than one tensor define their
    // own call operator instead.
    virtual Tensor forward(const Tensor& input);
    // Runs forward. An ember::Error raised inside gets the path and type of the innermost
    // module as prefix: "layer3.0 (Linear): input has 480 features, expected 750; ...".
    Tensor operator()(const Tensor& input);

    // PyTorch's class name ("Linear"); by default the C++ class name without namespaces.
    virtual std::string type_name() const;
    // The arguments shown inside the parentheses of the module's repr.
    virtual std::string extra_repr() const { return {}; }

    // ---- registration -------------------------------------------------------------------
    // Registers (or replaces, keeping its position) a parameter: a leaf tensor that requires
    // grad. Returns the registered slot.
    Tensor& register_parameter(const std::string& name, Tensor value, bool requires_grad = true);
    // Registers a buffer (state that is not a parameter, e.g. BatchNorm's running mean);
    // non-persistent buffers are left out of state_dict().
    Tensor& register_buffer(const std::string& name, Tensor value, bool persistent = true);
    // Moves `module` into this one as child `name` and returns it.
    template <class M>
        requires std::derived_from<std::remove_cvref_t<M>, Module> && (!std::is_lvalue_reference_v<M>)
    std::remove_cvref_t<M>& register_module(const std::string& name, M&& module) {
        auto owned = std::make_shared<std::remove_cvref_t<M>>(std::move(module));
        add_child(name, owned);
        return *owned;
    }
    // Registers a module shared with other owners (the same layer in two places shares its
    // parameters, as in PyTorch).
    template <class M>
        requires std::derived_from<M, Module>
    M& register_module(const std::string& name, std::shared_ptr<M> module) {
        EMBER_CHECK(module != nullptr, type_name(), ".register_module(\"", name, "\"): null module");
        add_child(name, module);
        return *module;
    }

    // ---- what the module holds ----------------------------------------------------------
    // Own parameters first, then each child's (pre-order); a tensor reachable twice is listed
    // once. Names join the path with dots: "layer1.0.weight".
    std::vector<Tensor> parameters(bool recurse = true) const;
    std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
    std::vector<Tensor> buffers(bool recurse = true) const;
    std::vector<std::pair<std::string, Tensor>> named_buffers(bool recurse = true) const;
    std::vector<std::shared_ptr<Module>> children() const;
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_children() const;
    // Every module below, this one first ("" is its name), pre-order, each once.
    std::vector<Module*> modules();
    std::vector<std::pair<std::string, Module*>> named_modules();
    // The child registered as `name` (an error when there is none).
    Module& child(const std::string& name) const;

    // ---- modes and conversions ----------------------------------------------------------
    Module& train(bool on = true);
    Module& eval() { return train(false); }
    bool is_training() const { return training_; }
    // Moves parameters and buffers to a device and/or converts the floating ones to a dtype.
    // The tensors keep their identity (an optimizer holding them sees the change).
    Module& to(Device device);
    Module& to(DType dtype);
    Module& to(Device device, DType dtype);
    // Drops every parameter's gradient (set_to_none, PyTorch 2's default) or zeroes it.
    void zero_grad(bool set_to_none = true);
    // Calls fn on every module below, children first, then this one (as PyTorch).
    Module& apply(const std::function<void(Module&)>& fn);

    // ---- state --------------------------------------------------------------------------
    // Parameters and persistent buffers by dotted name, pre-order, sharing storage with the
    // module and not requiring grad.
    StateDict state_dict() const;
    // Copies the values in (under no_grad, keeping the tensors' identity). strict: missing or
    // unexpected keys are an error; a shape or dtype mismatch always is (PyTorch would convert
    // the dtype silently; ember asks for an explicit to()).
    LoadResult load_state_dict(const StateDict& state, bool strict = true);

    // PyTorch's repr: the module tree with each layer's arguments.
    std::string repr() const;
    // The module's dotted path from the root it was registered into ("layer3.0"; "" for a
    // root).
    std::string path() const;

protected:
    // The prefix for errors this module reports itself: "layer3.0 (Linear): ".
    std::string error_prefix() const;
    // Runs fn (a module's computation); an ember::Error from inside gets error_prefix() unless
    // an inner module already prefixed it. Call operators with other signatures use it too.
    template <class Fn>
    auto with_error_prefix(Fn&& fn) -> decltype(fn()) {
        try {
            return fn();
        } catch (const ModuleError&) {
            throw;
        } catch (const Error& e) {
            rethrow_with_prefix(e);
        }
    }

private:
    struct TensorSlot {
        std::string name;
        Tensor value;
        bool persistent = true;
    };
    [[noreturn]] void rethrow_with_prefix(const Error& e) const;
    void add_child(const std::string& name, std::shared_ptr<Module> module);
    void check_new_name(const std::string& name, const char* what) const;
    void collect(const std::string& prefix, bool recurse, bool buffers,
                 std::vector<std::pair<std::string, Tensor>>& out) const;
    void convert(const std::function<Tensor(const Tensor&)>& fn);

    std::deque<TensorSlot> parameters_;  // a deque keeps the slots' addresses
    std::deque<TensorSlot> buffers_;
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
    bool training_ = true;
    const Module* parent_ = nullptr;  // the module this one was first registered into
    std::string name_in_parent_;
};

std::ostream& operator<<(std::ostream& os, const Module& m);

}  // namespace ember::nn

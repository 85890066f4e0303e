// nn::Module: registration, traversal, modes, conversions, state_dict and repr.
#include "ember/nn/module.h"

#include <cxxabi.h>

#include <cstdlib>
#include <ostream>
#include <sstream>
#include <unordered_set>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ops/util.h"

std::string ember::detail::short_type_name(const std::type_info& type) {
    const char* mangled = type.name();
    int status = 0;
    char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    std::string name = status == 0 && demangled ? demangled : mangled;
    std::free(demangled);
    size_t template_start = name.find('<');
    size_t colon = name.rfind("::", template_start);
    return colon == std::string::npos ? name : name.substr(colon + 2);
}

namespace ember::nn {

namespace {

std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// PyTorch's _addindent: every line after the first indented by two spaces.
std::string indent(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

}  // namespace

Module::~Module() = default;

Module::Module(Module&& other) noexcept
    : parameters_(std::move(other.parameters_)),
      buffers_(std::move(other.buffers_)),
      children_(std::move(other.children_)),
      training_(other.training_),
      parent_(other.parent_),
      name_in_parent_(std::move(other.name_in_parent_)) {
    for (auto& [name, child] : children_)
        if (child->parent_ == &other) child->parent_ = this;
}

Tensor Module::forward(const Tensor&) {
    EMBER_ERROR(error_prefix(), "forward(const Tensor&) is not implemented: override it, or call "
                "the module with the arguments its forward takes");
}

Tensor Module::operator()(const Tensor& input) {
    return with_error_prefix([&] { return forward(input); });
}

void Module::rethrow_with_prefix(const Error& e) const {
    const std::string prefix = error_prefix();
    const std::string what = e.what();
    // Errors the module raised itself already carry the prefix.
    throw ModuleError(what.rfind(prefix, 0) == 0 ? what : prefix + what);
}


std::string Module::type_name() const { return ember::detail::short_type_name(typeid(*this)); }

std::string Module::path() const {
    if (!parent_) return {};
    return join(parent_->path(), name_in_parent_);
}

std::string Module::error_prefix() const {
    const std::string p = path();
    return p.empty() ? type_name() + ": " : p + " (" + type_name() + "): ";
}

// ---- registration -------------------------------------------------------------------------

void Module::check_new_name(const std::string& name, const char* what) const {
    EMBER_CHECK(!name.empty(), type_name(), ": ", what, " name can't be empty");
    EMBER_CHECK(name.find('.') == std::string::npos, type_name(), ": ", what, " name can't "
                "contain \".\", got \"", name, "\"");
    auto taken = [&](const auto& slots) {
        for (const auto& s : slots)
            if (s.name == name) return true;
        return false;
    };
    bool is_child = false;
    for (const auto& [n, c] : children_) is_child = is_child || n == name;
    const bool in_params = taken(parameters_), in_buffers = taken(buffers_);
    const std::string kind = what;
    EMBER_CHECK(!(in_params && kind != "parameter") && !(in_buffers && kind != "buffer") &&
                    !(is_child && kind != "module"),
                type_name(), ": attribute \"", name, "\" already exists as another kind than ",
                what);
}

Tensor& Module::register_parameter(const std::string& name, Tensor value, bool requires_grad) {
    check_new_name(name, "parameter");
    if (value.defined()) {
        EMBER_CHECK(value.is_leaf(), type_name(), ": cannot assign a non-leaf tensor as parameter "
                    "\"", name, "\" (it has grad_fn ", value.grad_fn()->name(), "); parameters "
                    "must be created explicitly: use detach() or clone().detach()");
        value.requires_grad_(requires_grad);
    }
    for (TensorSlot& s : parameters_)
        if (s.name == name) {
            s.value = std::move(value);
            return s.value;
        }
    parameters_.push_back({name, std::move(value), true});
    return parameters_.back().value;
}

Tensor& Module::register_buffer(const std::string& name, Tensor value, bool persistent) {
    check_new_name(name, "buffer");
    for (TensorSlot& s : buffers_)
        if (s.name == name) {
            s.value = std::move(value);
            s.persistent = persistent;
            return s.value;
        }
    buffers_.push_back({name, std::move(value), persistent});
    return buffers_.back().value;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
    check_new_name(name, "module");
    EMBER_CHECK(module.get() != this, type_name(), ": a module can't be its own child");
    if (!module->parent_) {
        module->parent_ = this;
        module->name_in_parent_ = name;
    }
    for (auto& [n, c] : children_)
        if (n == name) {
            c = std::move(module);
            return;
        }
    children_.emplace_back(name, std::move(module));
}

// ---- traversal ------------------------------------------------------------------------------

void Module::collect(const std::string& prefix, bool recurse, bool buffers,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
    for (const TensorSlot& s : buffers ? buffers_ : parameters_)
        if (s.value.defined()) out.emplace_back(join(prefix, s.name), s.value);
    if (!recurse) return;
    for (const auto& [name, child] : children_) child->collect(join(prefix, name), true, buffers, out);
}

// Drops the later entries of a tensor reachable under several names (shared weights).
static std::vector<std::pair<std::string, Tensor>> dedup(
    std::vector<std::pair<std::string, Tensor>> all) {
    std::unordered_set<const TensorImpl*> seen;
    std::vector<std::pair<std::string, Tensor>> out;
    for (auto& item : all)
        if (seen.insert(item.second.impl()).second) out.push_back(std::move(item));
    return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
    std::vector<std::pair<std::string, Tensor>> all;
    collect("", recurse, false, all);
    return dedup(std::move(all));
}

std::vector<Tensor> Module::parameters(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& [name, t] : named_parameters(recurse)) out.push_back(t);
    return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(bool recurse) const {
    std::vector<std::pair<std::string, Tensor>> all;
    collect("", recurse, true, all);
    return dedup(std::move(all));
}

std::vector<Tensor> Module::buffers(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& [name, t] : named_buffers(recurse)) out.push_back(t);
    return out;
}

std::vector<std::pair<std::string, std::shared_ptr<Module>>> Module::named_children() const {
    return children_;
}

std::vector<std::shared_ptr<Module>> Module::children() const {
    std::vector<std::shared_ptr<Module>> out;
    for (const auto& [name, c] : children_) out.push_back(c);
    return out;
}

std::vector<std::pair<std::string, Module*>> Module::named_modules() {
    std::vector<std::pair<std::string, Module*>> out;
    std::unordered_set<const Module*> seen;
    std::function<void(const std::string&, Module&)> visit = [&](const std::string& prefix,
                                                               Module& m) {
        if (!seen.insert(&m).second) return;
        out.emplace_back(prefix, &m);
        for (auto& [name, c] : m.children_) visit(join(prefix, name), *c);
    };
    visit("", *this);
    return out;
}

std::vector<Module*> Module::modules() {
    std::vector<Module*> out;
    for (auto& [name, m] : named_modules()) out.push_back(m);
    return out;
}

Module& Module::child(const std::string& name) const {
    for (const auto& [n, c] : children_)
        if (n == name) return *c;
    EMBER_ERROR(error_prefix(), "no child module named \"", name, "\"");
}

// ---- modes and conversions ------------------------------------------------------------------

Module& Module::train(bool on) {
    training_ = on;
    for (auto& [name, c] : children_) c->train(on);
    return *this;
}

void Module::convert(const std::function<Tensor(const Tensor&)>& fn) {
    NoGradGuard no_grad;
    auto convert_slot = [&](Tensor& t) {
        if (!t.defined()) return;
        Tensor converted = fn(t);
        if (converted.is_same(t)) return;
        t.impl()->set_data(*converted.impl());
        Tensor& g = t.mutable_grad();
        if (g.defined()) g.impl()->set_data(*fn(g).impl());
    };
    for (TensorSlot& s : parameters_) convert_slot(s.value);
    for (TensorSlot& s : buffers_) convert_slot(s.value);
    for (auto& [name, c] : children_) c->convert(fn);
}

Module& Module::to(Device device) {
    convert([&](const Tensor& t) { return t.to(device); });
    return *this;
}

Module& Module::to(DType dtype) {
    EMBER_CHECK(is_floating_point(dtype), type_name(), ".to: nn.Module.to only accepts floating "
                "point dtypes, but got desired dtype=", dtype);
    convert([&](const Tensor& t) { return t.is_floating_point() ? t.to(dtype) : t; });
    return *this;
}

Module& Module::to(Device device, DType dtype) {
    to(dtype);
    return to(device);
}

void Module::zero_grad(bool set_to_none) {
    for (Tensor& p : parameters()) {
        if (!p.grad().defined()) continue;
        if (set_to_none) {
            p.mutable_grad() = Tensor();
        } else {
            Tensor& g = p.mutable_grad();
            if (g.grad_fn()) g = g.detach();
            else g.requires_grad_(false);
            g.zero_();
        }
    }
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
    for (auto& [name, c] : children_) c->apply(fn);
    fn(*this);
    return *this;
}

// ---- state ----------------------------------------------------------------------------------

StateDict Module::state_dict() const {
    StateDict out;
    std::function<void(const std::string&, const Module&)> visit = [&](const std::string& prefix,
                                                                     const Module& m) {
        for (const TensorSlot& s : m.parameters_)
            if (s.value.defined()) out.insert(join(prefix, s.name), s.value.detach());
        for (const TensorSlot& s : m.buffers_)
            if (s.value.defined() && s.persistent) out.insert(join(prefix, s.name), s.value.detach());
        for (const auto& [name, c] : m.children_) visit(join(prefix, name), *c);
    };
    visit("", *this);
    return out;
}

LoadResult Module::load_state_dict(const StateDict& state, bool strict) {
    LoadResult result;
    std::vector<std::string> errors;
    // Every slot of the model's state_dict, writable.
    std::vector<std::pair<std::string, Tensor*>> slots;
    std::function<void(const std::string&, Module&)> visit = [&](const std::string& prefix,
                                                               Module& m) {
        for (TensorSlot& s : m.parameters_)
            if (s.value.defined()) slots.emplace_back(join(prefix, s.name), &s.value);
        for (TensorSlot& s : m.buffers_)
            if (s.value.defined() && s.persistent) slots.emplace_back(join(prefix, s.name), &s.value);
        for (auto& [name, c] : m.children_) visit(join(prefix, name), *c);
    };
    visit("", *this);
    std::unordered_set<std::string> known;
    for (auto& [key, slot] : slots) {
        known.insert(key);
        if (!state.contains(key)) {
            result.missing_keys.push_back(key);
            continue;
        }
        const Tensor& value = state.at(key);
        if (!(value.sizes() == slot->sizes())) {
            errors.push_back(detail::str_cat("size mismatch for ", key, ": copying a param with "
                                             "shape ", shape_str(value.sizes()), " from "
                                             "checkpoint, the shape in current model is ",
                                             shape_str(slot->sizes()), "."));
            continue;
        }
        if (value.dtype() != slot->dtype()) {
            errors.push_back(detail::str_cat("dtype mismatch for ", key, ": copying a param with "
                                             "dtype ", value.dtype(), " from checkpoint, the "
                                             "dtype in current model is ", slot->dtype(),
                                             " (convert the model or the state_dict first)."));
            continue;
        }
        NoGradGuard no_grad;
        slot->copy_(value);
    }
    for (const auto& [key, value] : state)
        if (!known.count(key)) result.unexpected_keys.push_back(key);
    std::vector<std::string> lines;
    auto quoted = [](const std::vector<std::string>& keys) {
        std::string s;
        for (size_t i = 0; i < keys.size(); ++i) s += (i ? ", \"" : "\"") + keys[i] + "\"";
        return s;
    };
    if (strict && !result.missing_keys.empty())
        lines.push_back("Missing key(s) in state_dict: " + quoted(result.missing_keys) + ". ");
    if (strict && !result.unexpected_keys.empty())
        lines.push_back("Unexpected key(s) in state_dict: " + quoted(result.unexpected_keys) + ". ");
    lines.insert(lines.end(), errors.begin(), errors.end());
    if (!lines.empty()) {
        std::string msg = "Error(s) in loading state_dict for " + type_name() + ":";
        for (const std::string& l : lines) msg += "\n\t" + l;
        EMBER_ERROR(msg);
    }
    return result;
}

// ---- repr -----------------------------------------------------------------------------------

std::string Module::repr() const {
    std::vector<std::string> lines;
    const std::string extra = extra_repr();
    if (!extra.empty()) {
        std::istringstream ss(extra);
        for (std::string line; std::getline(ss, line);) lines.push_back(line);
    }
    for (const auto& [name, c] : children_) lines.push_back("(" + name + "): " + indent(c->repr()));
    std::string out = type_name() + "(";
    if (!lines.empty()) {
        if (lines.size() == 1 && children_.empty()) {
            out += lines[0];
        } else {
            out += "\n";
            for (const std::string& l : lines) out += "  " + l + "\n";
        }
    }
    return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Module& m) { return os << m.repr(); }

}  // namespace ember::nn

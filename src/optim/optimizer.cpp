// The Optimizer base: groups and their options, per-parameter state, zero_grad, step, and the
// state dict with its safetensors file.
#include "ember/optim/optimizer.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "ember/autograd/grad_mode.h"
#include "ember/core/warning.h"
#include "ember/io/serialize.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember::optim {

// ---- Options --------------------------------------------------------------------------------

Options::Options(std::initializer_list<std::pair<std::string, OptionValue>> values) {
    for (const auto& [name, value] : values) set(name, value);
}

const OptionValue& Options::at(const std::string& name) const {
    EMBER_CHECK(contains(name), "optimizer options: no option \"", name, "\"");
    return values_.at(name);
}

namespace {

const char* kind_name(const OptionValue& v) {
    switch (v.index()) {
        case 0: return "a number";
        case 1: return "a flag";
        default: return "a pair";
    }
}

template <class T>
const T& typed(const Options& options, const std::string& name, const char* wanted) {
    const OptionValue& v = options.at(name);
    const T* value = std::get_if<T>(&v);
    EMBER_CHECK(value, "optimizer options: \"", name, "\" is ", kind_name(v), " (", to_string(v),
                "), expected ", wanted);
    return *value;
}

}  // namespace

double Options::number(const std::string& name) const {
    return typed<double>(*this, name, "a number");
}
bool Options::flag(const std::string& name) const { return typed<bool>(*this, name, "a flag"); }
std::pair<double, double> Options::pair(const std::string& name) const {
    return typed<std::pair<double, double>>(*this, name, "a pair");
}

std::string to_string(const OptionValue& value) {
    if (const double* d = std::get_if<double>(&value)) return ember::detail::str_cat(*d);
    if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
    const auto& p = std::get<std::pair<double, double>>(value);
    return ember::detail::str_cat("(", p.first, ", ", p.second, ")");
}

// ---- Optimizer ------------------------------------------------------------------------------

Optimizer::Optimizer(std::string name, Options defaults)
    : name_(std::move(name)), defaults_(std::move(defaults)) {}

Optimizer::~Optimizer() = default;

void Optimizer::add_groups(std::vector<ParamGroup> groups) {
    size_t total = 0;
    for (const ParamGroup& g : groups) total += g.params.size();
    EMBER_CHECK(total > 0, name_, ": optimizer got an empty parameter list");
    for (ParamGroup& g : groups) add_param_group(std::move(g.params), g.options);
}

void Optimizer::add_param_group(std::vector<Tensor> params, const Options& options) {
    const std::string where = ember::detail::str_cat(name_, ": parameter group ", param_groups_.size());
    EMBER_CHECK(!params.empty(), where, " has no parameters");
    std::unordered_set<const void*> seen;
    for (size_t i = 0; i < params.size(); ++i) {
        const Tensor& p = params[i];
        EMBER_CHECK(p.defined(), where, ": parameter ", i, " is an undefined tensor");
        EMBER_CHECK(p.is_leaf(), where, ": can't optimize a non-leaf Tensor (parameter ", i,
                    ", ", ember::detail::describe(p), ")");
        EMBER_CHECK(is_floating_point(p.dtype()), where, ": parameter ", i,
                    " must be a floating-point tensor, got ", ember::detail::describe(p));
        if (!seen.insert(p.impl()).second)
            warn(ember::detail::str_cat(where, ": optimizer contains a parameter group with duplicate "
                                 "parameters; in future, this will cause an error"));
    }
    for (const void* p : seen)
        EMBER_CHECK(!params_.count(p), where,
                    ": some parameters appear in more than one parameter group");
    Options merged = options;
    for (const auto& [name, value] : defaults_)
        if (!merged.contains(name)) merged.set(name, value);
    for (const auto& [name, value] : merged) {
        EMBER_CHECK(defaults_.contains(name) || name == "initial_lr" || name == "max_lr" ||
                        name == "min_lr" || name == "max_momentum" || name == "base_momentum",
                    where, ": ", name_, " has no option \"", name, "\"");
        EMBER_CHECK(!defaults_.contains(name) || value.index() == defaults_.at(name).index(),
                    where, ": option \"", name, "\" should be ", kind_name(defaults_.at(name)),
                    ", got ", to_string(value));
    }
    validate(merged);
    params_.insert(seen.begin(), seen.end());
    param_groups_.push_back({std::move(params), std::move(merged)});
    on_group_added(param_groups_.back());
}

void Optimizer::zero_grad(bool set_to_none) {
    for (ParamGroup& g : param_groups_)
        for (Tensor& p : g.params) {
            Tensor& grad = p.mutable_grad();
            if (!grad.defined()) continue;
            if (set_to_none) {
                grad = Tensor();
                continue;
            }
            if (grad.grad_fn()) grad.detach_();
            else if (grad.requires_grad()) grad.requires_grad_(false);
            NoGradGuard no_grad;
            grad.zero_();
        }
}

Tensor Optimizer::step(const std::function<Tensor()>& closure) {
    Tensor loss;
    if (closure) {
        EnableGradGuard enable_grad;
        loss = closure();
    }
    NoGradGuard no_grad;
    for (ParamGroup& g : param_groups_) update(g);
    ++step_calls_;
    return loss;
}

ParamState& Optimizer::state(const Tensor& param) {
    param.check_defined("Optimizer::state");
    EMBER_CHECK(params_.count(param.impl()), name_, ".state: the tensor (", ember::detail::describe(param),
                ") is not a parameter of this optimizer");
    return state_[param.impl()];
}

const ParamState* Optimizer::find_state(const Tensor& param) const {
    auto it = state_.find(param.impl());
    return it == state_.end() ? nullptr : &it->second;
}

// ---- state dict -----------------------------------------------------------------------------

StateDict Optimizer::state_dict() const {
    StateDict sd;
    sd.optimizer = name_;
    int64_t id = 0;
    for (const ParamGroup& g : param_groups_) {
        StateDict::Group group{g.options, {}};
        for (const Tensor& p : g.params) {
            group.params.push_back(id);
            if (const ParamState* s = find_state(p); s && !s->empty()) {
                const std::string prefix = std::to_string(id) + ".";
                if (s->step)
                    sd.state.insert(prefix + "step",
                                    full({}, static_cast<double>(*s->step),
                                         {.dtype = DType::Float32}));
                for (const auto& [name, t] : s->tensors) sd.state.insert(prefix + name, t);
            }
            ++id;
        }
        sd.param_groups.push_back(std::move(group));
    }
    return sd;
}

void Optimizer::load_state_dict(const StateDict& sd) {
    const std::string where = name_ + ".load_state_dict";
    EMBER_CHECK(sd.optimizer.empty() || sd.optimizer == name_, where,
                ": the state dict was saved from ", sd.optimizer, ", not ", name_);
    EMBER_CHECK(sd.param_groups.size() == param_groups_.size(), where,
                ": loaded state dict has a different number of parameter groups (",
                sd.param_groups.size(), ", the optimizer has ", param_groups_.size(), ")");
    std::vector<const Tensor*> by_id;
    for (size_t i = 0; i < param_groups_.size(); ++i) {
        EMBER_CHECK(sd.param_groups[i].params.size() == param_groups_[i].params.size(), where,
                    ": loaded state dict contains a parameter group that doesn't match the size "
                    "of optimizer's group (group ", i, ": ", sd.param_groups[i].params.size(),
                    " parameters saved, ", param_groups_[i].params.size(), " here)");
        for (const Tensor& p : param_groups_[i].params) by_id.push_back(&p);
    }
    for (const StateDict::Group& g : sd.param_groups) validate(g.options);

    // Read everything before changing anything: a bad entry leaves the optimizer as it was.
    std::unordered_map<const void*, ParamState> loaded;
    for (const auto& [key, value] : sd.state) {
        const size_t dot = key.find('.');
        size_t used = 0;
        int64_t id = -1;
        try {
            id = std::stoll(key.substr(0, dot), &used);
        } catch (const std::exception&) {
        }
        EMBER_CHECK(dot != std::string::npos && used == dot && id >= 0 &&
                        id < static_cast<int64_t>(by_id.size()),
                    where, ": state key \"", key, "\" does not name a parameter id below ",
                    by_id.size());
        const std::string name = key.substr(dot + 1);
        const Tensor& p = *by_id[id];
        ParamState& s = loaded[p.impl()];
        if (name == "step") {
            EMBER_CHECK(value.numel() == 1, where, ": \"", key, "\" should hold one number, got ",
                        ember::detail::describe(value));
            s.step = static_cast<int64_t>(std::llround(value.item<double>()));
            continue;
        }
        // State is shaped as its parameter, or a single number (NAdam's mu_product).
        EMBER_CHECK(value.sizes() == p.sizes() || value.dim() == 0, where, ": state \"", key,
                    "\" has shape ", shape_str(value.sizes()), " but its parameter has shape ",
                    shape_str(p.sizes()));
        s.tensors.insert(name, value.to(p.device(), p.dtype(), /*copy=*/true));
    }
    for (size_t i = 0; i < param_groups_.size(); ++i)
        param_groups_[i].options = sd.param_groups[i].options;
    state_ = std::move(loaded);
}

// ---- the state dict's file ------------------------------------------------------------------

namespace {

using json = nlohmann::json;

json option_to_json(const OptionValue& v) {
    if (const double* d = std::get_if<double>(&v)) return *d;
    if (const bool* b = std::get_if<bool>(&v)) return *b;
    const auto& p = std::get<std::pair<double, double>>(v);
    return json::array({p.first, p.second});
}

OptionValue option_from_json(const json& j, const std::string& name, const std::string& path) {
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number()) return j.get<double>();
    EMBER_CHECK(j.is_array() && j.size() == 2 && j[0].is_number() && j[1].is_number(),
                "optim::StateDict::load: option \"", name, "\" in ", path,
                " is neither a number, a flag nor a pair: ", j.dump());
    return std::pair<double, double>(j[0].get<double>(), j[1].get<double>());
}

}  // namespace

void StateDict::save(const std::string& path) const {
    json groups = json::array();
    for (const Group& g : param_groups) {
        json options = json::array();  // a list of pairs keeps the options' order
        for (const auto& [name, value] : g.options) options.push_back({name, option_to_json(value)});
        groups.push_back({{"options", options}, {"params", g.params}});
    }
    ember::save(state, path,
                {{"format", "ember.optim"}, {"optimizer", optimizer},
                 {"param_groups", groups.dump()}});
}

StateDict StateDict::load(const std::string& path) {
    const std::map<std::string, std::string> meta = load_metadata(path);
    auto find = [&](const char* key) {
        auto it = meta.find(key);
        EMBER_CHECK(it != meta.end(), "optim::StateDict::load: ", path,
                    " is not an optimizer state file (its metadata has no \"", key, "\")");
        return it->second;
    };
    EMBER_CHECK(find("format") == "ember.optim", "optim::StateDict::load: ", path,
                " is not an optimizer state file (format \"", find("format"), "\")");
    StateDict sd;
    sd.optimizer = find("optimizer");
    json groups;
    try {
        groups = json::parse(find("param_groups"));
    } catch (const json::exception& e) {
        EMBER_ERROR("optim::StateDict::load: the param_groups of ", path, " are not valid JSON: ",
                    e.what());
    }
    EMBER_CHECK(groups.is_array(), "optim::StateDict::load: param_groups of ", path,
                " should be a list");
    for (const json& g : groups) {
        EMBER_CHECK(g.is_object() && g.contains("options") && g.contains("params") &&
                        g["options"].is_array() && g["params"].is_array(),
                    "optim::StateDict::load: malformed parameter group in ", path, ": ", g.dump());
        Group group;
        for (const json& item : g["options"]) {
            EMBER_CHECK(item.is_array() && item.size() == 2 && item[0].is_string(),
                        "optim::StateDict::load: malformed option in ", path, ": ", item.dump());
            const std::string name = item[0].get<std::string>();
            group.options.set(name, option_from_json(item[1], name, path));
        }
        for (const json& id : g["params"]) {
            EMBER_CHECK(id.is_number_integer(), "optim::StateDict::load: parameter id ", id.dump(),
                        " in ", path, " is not an integer");
            group.params.push_back(id.get<int64_t>());
        }
        sd.param_groups.push_back(std::move(group));
    }
    sd.state = ember::load(path);
    return sd;
}

}  // namespace ember::optim

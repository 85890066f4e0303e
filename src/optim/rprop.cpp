// Rprop's update (torch.optim.Rprop, single-tensor form), one fused pass per parameter:
//   d = maximize ? -g : g;   s = sign(d * prev)
//   step_size = clamp(step_size * (s > 0 ? etaplus : s < 0 ? etaminus : 1), min, max)
//   d = s < 0 ? 0 : d;   p -= sign(d) * step_size;   prev = d
#include "ember/optim/rprop.h"

#include "optim/fused.h"

namespace ember::optim {

namespace {

Options to_options(const RpropOptions& o) {
    return {{"lr", o.lr}, {"etas", o.etas}, {"step_sizes", o.step_sizes}, {"maximize", o.maximize}};
}

Options overrides(const RpropGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "etas", g.etas);
    detail::override_option(o, "step_sizes", g.step_sizes);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

// sign() as torch.sign: 0 for zero and NaN.
template <class T>
T sign_of(T x) {
    return T((x > 0) - (x < 0));
}

}  // namespace

Rprop::Rprop(std::vector<Tensor> params, const RpropOptions& options)
    : Optimizer("Rprop", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

Rprop::Rprop(std::vector<RpropGroup> groups, const RpropOptions& defaults_in)
    : Optimizer("Rprop", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (RpropGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void Rprop::add_param_group(const RpropGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void Rprop::validate(const Options& o) const {
    EMBER_CHECK(o.number("lr") >= 0, "Rprop: Invalid learning rate: ", o.number("lr"));
    const auto [etaminus, etaplus] = o.pair("etas");
    EMBER_CHECK(0 < etaminus && etaminus < 1 && 1 < etaplus, "Rprop: Invalid eta values: ",
                etaminus, ", ", etaplus);
}

void Rprop::update(ParamGroup& group) {
    const Options& o = group.options;
    const double lr = o.number("lr");
    // Plain names rather than structured bindings: the body's lambda captures them.
    const double etaminus = o.pair("etas").first, etaplus = o.pair("etas").second;
    const double step_min = o.pair("step_sizes").first, step_max = o.pair("step_sizes").second;
    const bool maximize = o.flag("maximize");
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        detail::check_grad("Rprop", param, grad);  // before any state is created
        ParamState& st = state(param);
        if (!st.tensors.contains("prev")) st.tensors.insert("prev", detail::zero_state(param));
        if (!st.tensors.contains("step_size"))
            st.tensors.insert("step_size",
                              full(param.sizes(), lr,
                                   {.dtype = param.dtype(), .device = param.device()}));
        Tensor &prev = st.tensors.at("prev"), &step_size = st.tensors.at("step_size");
        detail::fused_update<2>("Rprop", param, grad, {&prev, &step_size},
                                [&](auto* p, const auto* g, auto s, int64_t n) {
            using T = std::remove_pointer_t<decltype(p)>;
            const T minus = T(etaminus), plus = T(etaplus), lo = T(step_min), hi = T(step_max);
            T *last = s[0], *size = s[1];
            for (int64_t i = 0; i < n; ++i) {
                T d = maximize ? -g[i] : g[i];
                const T agreement = d * last[i];  // its sign only; NaN counts as 0, as in torch
                const T factor = agreement > 0 ? plus : agreement < 0 ? minus : T(1);
                T next = size[i] * factor;
                next = next < lo ? lo : next;  // torch's clamp: NaN stays NaN
                next = next > hi ? hi : next;
                size[i] = next;
                if (agreement < 0) d = T(0);  // after a sign change, no step and no memory
                p[i] = p[i] + T(-1) * sign_of(d) * next;
                last[i] = d;
            }
        });
        st.step = st.step.value_or(0) + 1;
    }
}

}  // namespace ember::optim

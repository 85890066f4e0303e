// Adamax's update (torch.optim.Adamax, single-tensor form), one fused pass per parameter:
//   g = maximize ? -g : g;   g = g + weight_decay * p
//   m = beta1 * m + (1 - beta1) * g;   u = max(beta2 * u, |g| + eps)
//   p = p - (lr / (1 - beta1^t)) * m / u
#include "ember/optim/adamax.h"

#include <cmath>

#include "optim/adam_family.h"

namespace ember::optim {

namespace {

Options to_options(const AdamaxOptions& o) {
    return {{"lr", o.lr},
            {"betas", o.betas},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"maximize", o.maximize}};
}

Options overrides(const AdamaxGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "betas", g.betas);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

// The loop with the flags as template parameters; one rounding to T per PyTorch tensor op.
template <bool Maximize, bool WeightDecay, class T>
void adamax_loop(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict u,
                 int64_t n, T beta1, T one_minus_beta1, T beta2, T wd, T eps, T neg_clr) {
    for (int64_t i = 0; i < n; ++i) {
        T grad = Maximize ? -g[i] : g[i];
        if constexpr (WeightDecay) grad = grad + wd * p[i];
        const T mi = m[i] * beta1 + one_minus_beta1 * grad;
        const T ui = detail::nan_max(u[i] * beta2, std::abs(grad) + eps);
        m[i] = mi;
        u[i] = ui;
        p[i] = p[i] + neg_clr * mi / ui;
    }
}

}  // namespace

Adamax::Adamax(std::vector<Tensor> params, const AdamaxOptions& options)
    : Optimizer("Adamax", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

Adamax::Adamax(std::vector<AdamaxGroup> groups, const AdamaxOptions& defaults_in)
    : Optimizer("Adamax", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (AdamaxGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void Adamax::add_param_group(const AdamaxGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void Adamax::validate(const Options& o) const { detail::check_adam_options("Adamax", o); }

void Adamax::update(ParamGroup& group) {
    const detail::AdamHyper h(group.options);
    const bool maximize = group.options.flag("maximize");
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        ParamState& st = state(param);
        const int64_t step =
            detail::begin_update("Adamax", st, param, grad, {"exp_avg", "exp_inf"});
        const double clr = h.lr / (1 - std::pow(h.beta1, static_cast<double>(step)));
        detail::fused_update<2>(
            "Adamax", param, grad, {&st.tensors.at("exp_avg"), &st.tensors.at("exp_inf")},
            [&](auto* p, const auto* g, auto s, int64_t n) {
                using T = std::remove_pointer_t<decltype(p)>;
                detail::with_flag(maximize, [&](auto max_flag) {
                    detail::with_flag(h.weight_decay != 0, [&](auto wd_flag) {
                        adamax_loop<decltype(max_flag)::value, decltype(wd_flag)::value>(
                            p, g, s[0], s[1], n, T(h.beta1), T(1 - h.beta1), T(h.beta2),
                            T(h.weight_decay), T(h.eps), T(-clr));
                    });
                });
            });
        st.step = step;
    }
}

}  // namespace ember::optim

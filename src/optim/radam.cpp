// RAdam's update (torch.optim.RAdam, single-tensor form), one fused pass per parameter:
//   g = g + weight_decay * p
//   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
//   rho_inf = 2 / (1 - beta2) - 1;   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//   rho_t > 5: p = p - (m / (1 - beta1^t)) * lr * (sqrt(1 - beta2^t) / (sqrt(v) + eps)) * rect
//   else:      p = p - (m / (1 - beta1^t)) * lr
#include "ember/optim/radam.h"

#include <cmath>

#include "optim/adam_family.h"

namespace ember::optim {

namespace {

Options to_options(const RAdamOptions& o) {
    return {{"lr", o.lr}, {"betas", o.betas}, {"eps", o.eps}, {"weight_decay", o.weight_decay}};
}

Options overrides(const RAdamGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "betas", g.betas);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "weight_decay", g.weight_decay);
    return o;
}

template <class T>
struct RAdamScalars {
    T beta1, one_minus_beta1, beta2, one_minus_beta2, weight_decay, eps, bias_correction1, lr,
        bias_correction2_sqrt, rect;
};

// Rectified: the variance term applies (rho_t > 5). PyTorch computes the adaptive lr as
// reciprocal(sqrt(v) + eps) * sqrt(bc2) (Python's scalar / tensor), and the product left to
// right, each op rounded.
template <bool WeightDecay, bool Rectified, class T>
void radam_loop(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
                int64_t n, const RAdamScalars<T>& c) {
    const RAdamScalars<T> k = c;
    for (int64_t i = 0; i < n; ++i) {
        T grad = g[i];
        if constexpr (WeightDecay) grad = grad + k.weight_decay * p[i];
        const T mi = m[i] * k.beta1 + k.one_minus_beta1 * grad;
        const T vi = v[i] * k.beta2 + k.one_minus_beta2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        const T corrected = mi / k.bias_correction1;
        if constexpr (Rectified) {
            const T adaptive_lr = (T(1) / (std::sqrt(vi) + k.eps)) * k.bias_correction2_sqrt;
            p[i] = p[i] - corrected * k.lr * adaptive_lr * k.rect;
        } else {
            p[i] = p[i] - corrected * k.lr;
        }
    }
}

}  // namespace

RAdam::RAdam(std::vector<Tensor> params, const RAdamOptions& options)
    : Optimizer("RAdam", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

RAdam::RAdam(std::vector<RAdamGroup> groups, const RAdamOptions& defaults_in)
    : Optimizer("RAdam", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (RAdamGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void RAdam::add_param_group(const RAdamGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void RAdam::validate(const Options& o) const { detail::check_adam_options("RAdam", o); }

void RAdam::update(ParamGroup& group) {
    const detail::AdamHyper h(group.options);
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        ParamState& st = state(param);
        const int64_t step =
            detail::begin_update("RAdam", st, param, grad, {"exp_avg", "exp_avg_sq"});
        const double t = static_cast<double>(step);
        const double bias_correction1 = 1 - std::pow(h.beta1, t);
        const double bias_correction2 = 1 - std::pow(h.beta2, t);
        const double rho_inf = 2 / (1 - h.beta2) - 1;
        const double rho_t = rho_inf - 2 * t * std::pow(h.beta2, t) / bias_correction2;
        const bool rectified = rho_t > 5.;
        const double rect =
            rectified ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                  ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                      : 0.;
        detail::fused_update<2>(
            "RAdam", param, grad, {&st.tensors.at("exp_avg"), &st.tensors.at("exp_avg_sq")},
            [&](auto* p, const auto* g, auto s, int64_t n) {
                using T = std::remove_pointer_t<decltype(p)>;
                const RAdamScalars<T> c{T(h.beta1),       T(1 - h.beta1),
                                        T(h.beta2),       T(1 - h.beta2),
                                        T(h.weight_decay), T(h.eps),
                                        T(bias_correction1), T(h.lr),
                                        T(std::sqrt(bias_correction2)), T(rect)};
                detail::with_flag(h.weight_decay != 0, [&](auto wd_flag) {
                    detail::with_flag(rectified, [&](auto rect_flag) {
                        radam_loop<decltype(wd_flag)::value, decltype(rect_flag)::value>(
                            p, g, s[0], s[1], n, c);
                    });
                });
            });
        st.step = step;
    }
}

}  // namespace ember::optim

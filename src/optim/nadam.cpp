// NAdam's update (torch.optim.NAdam, single-tensor form), one fused pass per parameter:
//   g = g + weight_decay * p
//   mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)), mu_{t+1} likewise
//   mu_product = mu_product * mu_t   (a float32 tensor in PyTorch: rounded as one)
//   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
//   denom = sqrt(v / (1 - beta2^t)) + eps
//   p = p - lr * (1 - mu_t) / (1 - mu_product) * g / denom
//   p = p - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / denom
#include "ember/optim/nadam.h"

#include <cmath>

#include "ember/ops/factory.h"
#include "optim/adam_family.h"

namespace ember::optim {

namespace {

Options to_options(const NAdamOptions& o) {
    return {{"lr", o.lr},
            {"betas", o.betas},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"momentum_decay", o.momentum_decay}};
}

Options overrides(const NAdamGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "betas", g.betas);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "momentum_decay", g.momentum_decay);
    return o;
}

// x rounded to the dtype of a tensor holding it, as a PyTorch op on that tensor rounds.
double round_as(DType dtype, double x) {
    return dtype == DType::Float32 ? static_cast<double>(static_cast<float>(x)) : x;
}

template <bool WeightDecay, class T>
void nadam_loop(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
                int64_t n, T beta1, T one_minus_beta1, T beta2, T one_minus_beta2, T wd, T eps,
                T bias_correction2, T grad_coef, T avg_coef) {
    for (int64_t i = 0; i < n; ++i) {
        T grad = g[i];
        if constexpr (WeightDecay) grad = grad + wd * p[i];
        const T mi = m[i] * beta1 + one_minus_beta1 * grad;
        const T vi = v[i] * beta2 + one_minus_beta2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        const T denom = std::sqrt(vi / bias_correction2) + eps;
        const T pi = p[i] + grad_coef * grad / denom;
        p[i] = pi + avg_coef * mi / denom;
    }
}

}  // namespace

NAdam::NAdam(std::vector<Tensor> params, const NAdamOptions& options)
    : Optimizer("NAdam", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

NAdam::NAdam(std::vector<NAdamGroup> groups, const NAdamOptions& defaults_in)
    : Optimizer("NAdam", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (NAdamGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void NAdam::add_param_group(const NAdamGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void NAdam::validate(const Options& o) const {
    detail::check_adam_options("NAdam", o);
    EMBER_CHECK(o.number("momentum_decay") >= 0, "NAdam: Invalid momentum_decay value: ",
                o.number("momentum_decay"));
}

void NAdam::update(ParamGroup& group) {
    const detail::AdamHyper h(group.options);
    const double momentum_decay = group.options.number("momentum_decay");
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        ParamState& st = state(param);
        if (!st.tensors.contains("mu_product")) {
            detail::check_grad("NAdam", param, grad);
            st.tensors.insert("mu_product", full({}, 1.0, {.dtype = DType::Float32}));
        }
        const int64_t step =
            detail::begin_update("NAdam", st, param, grad, {"exp_avg", "exp_avg_sq"});
        const double t = static_cast<double>(step);
        const double mu = h.beta1 * (1. - 0.5 * std::pow(0.96, t * momentum_decay));
        const double mu_next = h.beta1 * (1. - 0.5 * std::pow(0.96, (t + 1) * momentum_decay));
        // The product lives in a 0-dim tensor; each PyTorch op on it rounds to its dtype.
        Tensor& mu_product_t = st.tensors.at("mu_product");
        const DType pd = mu_product_t.dtype();
        const double mu_product = round_as(pd, mu_product_t.item<double>() * round_as(pd, mu));
        const double mu_product_next =
            round_as(pd, round_as(pd, mu_product * round_as(pd, mu)) * round_as(pd, mu_next));
        const double grad_coef = -h.lr * (1. - mu) / (1. - mu_product);
        const double avg_coef = -h.lr * mu_next / (1. - mu_product_next);
        const double bias_correction2 = 1 - std::pow(h.beta2, t);
        detail::fused_update<2>(
            "NAdam", param, grad, {&st.tensors.at("exp_avg"), &st.tensors.at("exp_avg_sq")},
            [&](auto* p, const auto* g, auto s, int64_t n) {
                using T = std::remove_pointer_t<decltype(p)>;
                detail::with_flag(h.weight_decay != 0, [&](auto wd_flag) {
                    nadam_loop<decltype(wd_flag)::value>(
                        p, g, s[0], s[1], n, T(h.beta1), T(1 - h.beta1), T(h.beta2),
                        T(1 - h.beta2), T(h.weight_decay), T(h.eps), T(bias_correction2),
                        T(grad_coef), T(avg_coef));
                });
            });
        st.tensors.at("mu_product").fill_(mu_product);
        st.step = step;
    }
}

}  // namespace ember::optim

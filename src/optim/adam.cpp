// Adam's and AdamW's update (torch.optim.Adam / AdamW, single-tensor form), one fused pass per
// parameter that both share, with the decay mode as a switch:
//   g = maximize ? -g : g
//   Adam: g = g + weight_decay * p   |   AdamW: p = p * (1 - lr * weight_decay)
//   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
//   amsgrad: vmax = max(vmax, v), used for v below
//   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
#include "ember/optim/adam.h"

#include <cmath>

#include "optim/adam_family.h"

namespace ember::optim {

namespace {

// ---- options --------------------------------------------------------------------------------

template <class O>
Options to_options(const O& o) {
    return {{"lr", o.lr},
            {"betas", o.betas},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"amsgrad", o.amsgrad},
            {"maximize", o.maximize}};
}

Options overrides(const AdamGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "betas", g.betas);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "amsgrad", g.amsgrad);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

std::vector<ParamGroup> build_groups(std::vector<AdamGroup>& groups) {
    std::vector<ParamGroup> built;
    for (AdamGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    return built;
}

// ---- the fused update -----------------------------------------------------------------------

enum class Decay { None, L2, Decoupled };

// One step's hyperparameters, computed in double on the host as PyTorch does (1 - beta,
// 1 - beta^t, lr / bc1, sqrt(bc2), 1 - lr * wd), then rounded once to the parameter's type.
template <class T>
struct AdamScalars {
    T beta1, one_minus_beta1, beta2, one_minus_beta2, weight_decay, decay_factor, eps,
        bias_correction2_sqrt, neg_step_size;

    AdamScalars(const detail::AdamHyper& h, int64_t step) {
        const double b1 = h.beta1, b2 = h.beta2, lr = h.lr, wd = h.weight_decay;
        const double t = static_cast<double>(step);
        beta1 = T(b1);
        one_minus_beta1 = T(1 - b1);
        beta2 = T(b2);
        one_minus_beta2 = T(1 - b2);
        weight_decay = T(wd);
        decay_factor = T(1 - lr * wd);
        eps = T(h.eps);
        bias_correction2_sqrt = T(std::sqrt(1 - std::pow(b2, t)));
        neg_step_size = T(-(lr / (1 - std::pow(b1, t))));
    }
};

// The loop, with every option a template parameter: PyTorch's tensor ops in its order, each
// rounded to T (PyTorch's CPU add_(x, alpha) fuses its multiply-add; here the two round
// separately, an ulp apart at most, so that the vector body and the scalar remainder agree).
template <Decay D, bool Maximize, bool Amsgrad, class T>
void adam_loop(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
               T* __restrict vmax, int64_t n, const AdamScalars<T>& c) {
    const AdamScalars<T> k = c;  // a local copy: its fields stay in registers
    for (int64_t i = 0; i < n; ++i) {
        T grad = Maximize ? -g[i] : g[i];
        T param = p[i];
        if constexpr (D == Decay::L2) grad = grad + k.weight_decay * param;
        if constexpr (D == Decay::Decoupled) param = param * k.decay_factor;
        const T mi = m[i] * k.beta1 + k.one_minus_beta1 * grad;
        const T vi = v[i] * k.beta2 + k.one_minus_beta2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        T second = vi;
        if constexpr (Amsgrad) {
            second = detail::nan_max(vmax[i], vi);
            vmax[i] = second;
        }
        const T denom = std::sqrt(second) / k.bias_correction2_sqrt + k.eps;
        p[i] = param + k.neg_step_size * mi / denom;
    }
}

template <bool Maximize, bool Amsgrad, class T>
void adam_dispatch(Decay decay, T* p, const T* g, T* m, T* v, T* vmax, int64_t n,
                   const AdamScalars<T>& c) {
    switch (decay) {
        case Decay::None: return adam_loop<Decay::None, Maximize, Amsgrad>(p, g, m, v, vmax, n, c);
        case Decay::L2: return adam_loop<Decay::L2, Maximize, Amsgrad>(p, g, m, v, vmax, n, c);
        case Decay::Decoupled:
            return adam_loop<Decay::Decoupled, Maximize, Amsgrad>(p, g, m, v, vmax, n, c);
    }
}

// Updates one parameter; `K` is 3 with AMSGrad's max_exp_avg_sq, else 2.
template <size_t K>
void adam_fused(const char* name, Tensor& param, const Tensor& grad,
                const std::array<Tensor*, K>& buffers, const detail::AdamHyper& h, int64_t step,
                Decay decay, bool maximize) {
    detail::fused_update<K>(name, param, grad, buffers, [&](auto* p, const auto* g, auto s,
                                                           int64_t n) {
        using T = std::remove_pointer_t<decltype(p)>;
        const AdamScalars<T> c(h, step);
        T* vmax = nullptr;
        if constexpr (K == 3) vmax = s[2];
        detail::with_flag(maximize, [&](auto max_flag) {
            adam_dispatch<decltype(max_flag)::value, K == 3>(decay, p, g, s[0], s[1], vmax, n, c);
        });
    });
}

void adam_update(Optimizer& opt, ParamGroup& group, bool decoupled) {
    const char* name = decoupled ? "AdamW" : "Adam";
    const Options& o = group.options;
    const detail::AdamHyper h(o);
    const bool amsgrad = o.flag("amsgrad"), maximize = o.flag("maximize");
    const Decay decay = h.weight_decay == 0 ? Decay::None
                        : decoupled         ? Decay::Decoupled
                                            : Decay::L2;
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        ParamState& st = opt.state(param);
        const int64_t step =
            amsgrad ? detail::begin_update(name, st, param, grad,
                                           {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"})
                    : detail::begin_update(name, st, param, grad, {"exp_avg", "exp_avg_sq"});
        Tensor* m = &st.tensors.at("exp_avg");
        Tensor* v = &st.tensors.at("exp_avg_sq");
        if (amsgrad)
            adam_fused<3>(name, param, grad, {m, v, &st.tensors.at("max_exp_avg_sq")}, h, step,
                          decay, maximize);
        else
            adam_fused<2>(name, param, grad, {m, v}, h, step, decay, maximize);
        st.step = step;
    }
}

}  // namespace

// ---- Adam -----------------------------------------------------------------------------------

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Optimizer("Adam", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

Adam::Adam(std::vector<AdamGroup> groups, const AdamOptions& defaults_in)
    : Optimizer("Adam", to_options(defaults_in)) {
    validate(defaults());
    add_groups(build_groups(groups));
}

void Adam::add_param_group(const AdamGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void Adam::validate(const Options& o) const { detail::check_adam_options("Adam", o); }

void Adam::update(ParamGroup& group) { adam_update(*this, group, /*decoupled=*/false); }

// ---- AdamW ----------------------------------------------------------------------------------

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& options)
    : Optimizer("AdamW", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

AdamW::AdamW(std::vector<AdamWGroup> groups, const AdamWOptions& defaults_in)
    : Optimizer("AdamW", to_options(defaults_in)) {
    validate(defaults());
    add_groups(build_groups(groups));
}

void AdamW::add_param_group(const AdamWGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void AdamW::validate(const Options& o) const { detail::check_adam_options("AdamW", o); }

void AdamW::update(ParamGroup& group) { adam_update(*this, group, /*decoupled=*/true); }

}  // namespace ember::optim

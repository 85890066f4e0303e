// SparseAdam's update (torch.optim.SparseAdam): the gradient is coalesced, then for each row r
// present, with t the parameter's step count:
//   m[r] += (1 - beta1) * (g_r - m[r]);   v[r] += (1 - beta2) * (g_r^2 - v[r])
//   p[r] += -(lr * sqrt(1 - beta2^t) / (1 - beta1^t)) * (m[r] / (sqrt(v[r]) + eps))
// in PyTorch's order of roundings. Other rows, and their moments, do not change.
#include "ember/optim/sparse_adam.h"

#include <cmath>

#include "optim/fused.h"

namespace ember::optim {

namespace {

Options to_options(const SparseAdamOptions& o) {
    return {{"lr", o.lr}, {"betas", o.betas}, {"eps", o.eps}, {"maximize", o.maximize}};
}

Options overrides(const SparseAdamGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "betas", g.betas);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

}  // namespace

SparseAdam::SparseAdam(std::vector<Tensor> params, const SparseAdamOptions& options)
    : Optimizer("SparseAdam", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

SparseAdam::SparseAdam(std::vector<SparseAdamGroup> groups, const SparseAdamOptions& defaults_in)
    : Optimizer("SparseAdam", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (SparseAdamGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void SparseAdam::add_param_group(const SparseAdamGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void SparseAdam::validate(const Options& o) const {
    EMBER_CHECK(o.number("lr") >= 0, "SparseAdam: Invalid learning rate: ", o.number("lr"));
    EMBER_CHECK(o.number("eps") >= 0, "SparseAdam: Invalid epsilon value: ", o.number("eps"));
    const auto [beta1, beta2] = o.pair("betas");
    EMBER_CHECK(beta1 >= 0 && beta1 < 1, "SparseAdam: Invalid beta parameter at index 0: ", beta1);
    EMBER_CHECK(beta2 >= 0 && beta2 < 1, "SparseAdam: Invalid beta parameter at index 1: ", beta2);
}

void SparseAdam::update(ParamGroup& group) {
    const Options& o = group.options;
    const double lr = o.number("lr"), eps = o.number("eps");
    // (plain variables: the update lambda captures them, which clang 14 refuses for bindings)
    const auto betas = o.pair("betas");
    const double beta1 = betas.first, beta2 = betas.second;
    const bool maximize = o.flag("maximize");
    for (Tensor& param : group.params) {
        if (!param.grad().defined()) continue;
        EMBER_CHECK(param.grad().is_sparse(), "SparseAdam does not support dense gradients, "
                    "please consider Adam instead (", ember::detail::describe(param.grad()), ")");
        const Tensor& grad = param.grad();
        detail::check_sparse_grad("SparseAdam", param, grad);  // before any state changes
        ParamState& st = state(param);
        if (!st.step) {
            st.step = 0;
            st.tensors.insert("exp_avg", detail::zero_state(param));
            st.tensors.insert("exp_avg_sq", detail::zero_state(param));
        }
        const int64_t t = ++*st.step;
        const double step_size = lr * std::sqrt(1 - std::pow(beta2, double(t))) /
                                 (1 - std::pow(beta1, double(t)));
        detail::sparse_update<2>(
            "SparseAdam", param, grad, {&st.tensors.at("exp_avg"), &st.tensors.at("exp_avg_sq")},
            [&](auto* p, const auto* g, auto s, int64_t n) {
                using T = std::remove_pointer_t<decltype(p)>;
                const T keep1 = T(1 - beta1), keep2 = T(1 - beta2), e = T(eps),
                        neg_step = T(-step_size);
                T *m = s[0], *v = s[1];
                for (int64_t j = 0; j < n; ++j) {
                    const T gj = maximize ? -g[j] : g[j];
                    const T m_old = m[j], v_old = v[j];
                    const T m_upd = (gj - m_old) * keep1;
                    const T v_upd = (gj * gj - v_old) * keep2;
                    m[j] = m_old + m_upd;
                    v[j] = v_old + v_upd;
                    const T numer = m_upd + m_old;
                    const T denom = std::sqrt(v_upd + v_old) + e;
                    p[j] = p[j] + neg_step * (numer / denom);
                }
            });
    }
}

}  // namespace ember::optim

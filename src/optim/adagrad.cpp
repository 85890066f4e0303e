// Adagrad's update (torch.optim.Adagrad, single-tensor form), one fused pass per parameter:
//   t += 1;  d = (maximize ? -g : g) + weight_decay * p
//   clr = lr / (1 + (t - 1) * lr_decay)
//   sum += d * d;   p -= clr * d / (sqrt(sum) + eps)
#include "ember/optim/adagrad.h"

#include <cmath>

#include "optim/fused.h"

namespace ember::optim {

namespace {

Options to_options(const AdagradOptions& o) {
    // PyTorch's defaults order (not the signature's).
    return {{"lr", o.lr},
            {"lr_decay", o.lr_decay},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"initial_accumulator_value", o.initial_accumulator_value},
            {"maximize", o.maximize}};
}

Options overrides(const AdagradGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "lr_decay", g.lr_decay);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "initial_accumulator_value", g.initial_accumulator_value);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

}  // namespace

Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions& options)
    : Optimizer("Adagrad", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

Adagrad::Adagrad(std::vector<AdagradGroup> groups, const AdagradOptions& defaults_in)
    : Optimizer("Adagrad", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (AdagradGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void Adagrad::add_param_group(const AdagradGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

ParamState& Adagrad::init_state(const Tensor& param) {
    ParamState& st = state(param);
    if (!st.step) st.step = 0;
    if (!st.tensors.contains("sum"))
        st.tensors.insert("sum", full(param.sizes(), defaults().number("initial_accumulator_value"),
                                      {.dtype = param.dtype(), .device = param.device()}));
    return st;
}

void Adagrad::on_group_added(ParamGroup& group) {
    for (const Tensor& p : group.params) init_state(p);
}

void Adagrad::validate(const Options& o) const {
    EMBER_CHECK(o.number("lr") >= 0, "Adagrad: Invalid learning rate: ", o.number("lr"));
    EMBER_CHECK(o.number("lr_decay") >= 0, "Adagrad: Invalid lr_decay value: ",
                o.number("lr_decay"));
    EMBER_CHECK(o.number("weight_decay") >= 0, "Adagrad: Invalid weight_decay value: ",
                o.number("weight_decay"));
    EMBER_CHECK(o.number("initial_accumulator_value") >= 0,
                "Adagrad: Invalid initial_accumulator_value value: ",
                o.number("initial_accumulator_value"));
    EMBER_CHECK(o.number("eps") >= 0, "Adagrad: Invalid epsilon value: ", o.number("eps"));
}

void Adagrad::update(ParamGroup& group) {
    const Options& o = group.options;
    const double lr = o.number("lr"), lr_decay = o.number("lr_decay"), eps = o.number("eps"),
                 weight_decay = o.number("weight_decay");
    const bool maximize = o.flag("maximize");
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        // State normally exists from construction; a group added through the base class, or a
        // loaded state dict without this parameter, gets it now.
        ParamState& st = init_state(param);
        const int64_t step = *st.step + 1;
        const double clr = lr / (1 + static_cast<double>(step - 1) * lr_decay);
        Tensor& sum = st.tensors.at("sum");
        if (grad.is_sparse()) {
            // The rows present only: s += g^2, p += -clr * (g / (sqrt(s) + eps)).
            EMBER_CHECK(weight_decay == 0, "Adagrad: weight_decay option is not compatible with "
                        "sparse gradients");
            detail::check_sparse_grad("Adagrad", param, grad);
            detail::sparse_update<1>("Adagrad", param, grad, {&sum}, [&](auto* p, const auto* g,
                                                                         auto s, int64_t n) {
                using T = std::remove_pointer_t<decltype(p)>;
                const T e = T(eps), minus_clr = T(-clr);
                T* acc = s[0];
                for (int64_t i = 0; i < n; ++i) {
                    const T d = maximize ? -g[i] : g[i];
                    acc[i] = acc[i] + d * d;
                    p[i] = p[i] + minus_clr * (d / (std::sqrt(acc[i]) + e));
                }
            });
            st.step = step;
            continue;
        }
        detail::fused_update<1>("Adagrad", param, grad, {&sum}, [&](auto* p, const auto* g,
                                                                    auto s, int64_t n) {
            using T = std::remove_pointer_t<decltype(p)>;
            const T wd = T(weight_decay), e = T(eps), minus_clr = T(-clr);
            T* acc = s[0];
            for (int64_t i = 0; i < n; ++i) {
                T d = maximize ? -g[i] : g[i];
                if (weight_decay != 0) d = d + wd * p[i];
                acc[i] = acc[i] + d * d;
                p[i] = p[i] + minus_clr * d / (std::sqrt(acc[i]) + e);
            }
        });
        st.step = step;
    }
}

}  // namespace ember::optim

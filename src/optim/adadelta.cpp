// Adadelta's update (torch.optim.Adadelta, single-tensor form), one fused pass per parameter:
//   d = (maximize ? -g : g) + weight_decay * p
//   sq = rho * sq + (1 - rho) * d * d
//   delta = sqrt(acc + eps) / sqrt(sq + eps) * d
//   acc = rho * acc + (1 - rho) * delta * delta;   p -= lr * delta
#include "ember/optim/adadelta.h"

#include <cmath>

#include "optim/fused.h"

namespace ember::optim {

namespace {

Options to_options(const AdadeltaOptions& o) {
    return {{"lr", o.lr},
            {"rho", o.rho},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"maximize", o.maximize}};
}

Options overrides(const AdadeltaGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "rho", g.rho);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

}  // namespace

Adadelta::Adadelta(std::vector<Tensor> params, const AdadeltaOptions& options)
    : Optimizer("Adadelta", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

Adadelta::Adadelta(std::vector<AdadeltaGroup> groups, const AdadeltaOptions& defaults_in)
    : Optimizer("Adadelta", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (AdadeltaGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void Adadelta::add_param_group(const AdadeltaGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void Adadelta::validate(const Options& o) const {
    EMBER_CHECK(o.number("lr") >= 0, "Adadelta: Invalid learning rate: ", o.number("lr"));
    EMBER_CHECK(o.number("rho") >= 0 && o.number("rho") <= 1, "Adadelta: Invalid rho value: ",
                o.number("rho"));
    EMBER_CHECK(o.number("eps") >= 0, "Adadelta: Invalid epsilon value: ", o.number("eps"));
    EMBER_CHECK(o.number("weight_decay") >= 0, "Adadelta: Invalid weight_decay value: ",
                o.number("weight_decay"));
}

void Adadelta::update(ParamGroup& group) {
    const Options& o = group.options;
    const double lr = o.number("lr"), rho = o.number("rho"), eps = o.number("eps"),
                 weight_decay = o.number("weight_decay");
    const bool maximize = o.flag("maximize");
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        detail::check_grad("Adadelta", param, grad);  // before any state is created
        ParamState& st = state(param);
        for (const char* name : {"square_avg", "acc_delta"})
            if (!st.tensors.contains(name)) st.tensors.insert(name, detail::zero_state(param));
        Tensor &square_avg = st.tensors.at("square_avg"), &acc_delta = st.tensors.at("acc_delta");
        detail::fused_update<2>("Adadelta", param, grad, {&square_avg, &acc_delta},
                                [&](auto* p, const auto* g, auto s, int64_t n) {
            using T = std::remove_pointer_t<decltype(p)>;
            const T wd = T(weight_decay), r = T(rho), one_minus_r = T(1 - rho), e = T(eps),
                    minus_lr = T(-lr);
            T *sq = s[0], *acc = s[1];
            for (int64_t i = 0; i < n; ++i) {
                T d = maximize ? -g[i] : g[i];
                if (weight_decay != 0) d = d + wd * p[i];
                sq[i] = sq[i] * r;
                sq[i] = sq[i] + one_minus_r * d * d;
                const T std_dev = std::sqrt(sq[i] + e);
                const T delta = std::sqrt(acc[i] + e) / std_dev * d;
                acc[i] = acc[i] * r;
                acc[i] = acc[i] + one_minus_r * delta * delta;
                p[i] = p[i] + minus_lr * delta;
            }
        });
        st.step = st.step.value_or(0) + 1;
    }
}

}  // namespace ember::optim

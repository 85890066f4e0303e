// SGD's update (torch.optim.SGD, single-tensor form), one fused pass per parameter:
//   d = (maximize ? -g : g) + weight_decay * p
//   buf = first step ? d : momentum * buf + (1 - dampening) * d
//   d = nesterov ? d + momentum * buf : buf;   p -= lr * d
#include "ember/optim/sgd.h"

#include "optim/fused.h"

namespace ember::optim {

namespace {

Options to_options(const SGDOptions& o) {
    return {{"lr", o.lr},
            {"momentum", o.momentum},
            {"dampening", o.dampening},
            {"weight_decay", o.weight_decay},
            {"nesterov", o.nesterov},
            {"maximize", o.maximize}};
}

Options overrides(const SGDGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "momentum", g.momentum);
    detail::override_option(o, "dampening", g.dampening);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "nesterov", g.nesterov);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

}  // namespace

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : Optimizer("SGD", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

SGD::SGD(std::vector<SGDGroup> groups, const SGDOptions& defaults_in)
    : Optimizer("SGD", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (SGDGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void SGD::add_param_group(const SGDGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void SGD::validate(const Options& o) const {
    EMBER_CHECK(o.number("lr") >= 0, "SGD: Invalid learning rate: ", o.number("lr"));
    EMBER_CHECK(o.number("momentum") >= 0, "SGD: Invalid momentum value: ", o.number("momentum"));
    EMBER_CHECK(o.number("weight_decay") >= 0, "SGD: Invalid weight_decay value: ",
                o.number("weight_decay"));
    EMBER_CHECK(!o.flag("nesterov") || (o.number("momentum") > 0 && o.number("dampening") == 0),
                "SGD: Nesterov momentum requires a momentum and zero dampening (momentum ",
                o.number("momentum"), ", dampening ", o.number("dampening"), ")");
}

void SGD::update(ParamGroup& group) {
    const Options& o = group.options;
    const double lr = o.number("lr"), momentum = o.number("momentum"),
                 dampening = o.number("dampening"), weight_decay = o.number("weight_decay");
    const bool nesterov = o.flag("nesterov"), maximize = o.flag("maximize");
    for (Tensor& param : group.params) {
        if (!param.grad().defined()) continue;
        Tensor grad = param.grad();
        if (grad.is_sparse()) {
            // Only the rows present change: p += -lr * g. With momentum or weight decay every
            // row moves (PyTorch's sparse arithmetic turns the step dense there too).
            if (momentum == 0 && weight_decay == 0) {
                param.add_(grad, maximize ? lr : -lr);
                continue;
            }
            grad = grad.to_dense();
        }
        ParamState& st = state(param);
        if (momentum == 0) {
            detail::fused_update<0>("SGD", param, grad, {}, [&](auto* p, const auto* g, auto,
                                                                int64_t n) {
                using T = std::remove_pointer_t<decltype(p)>;
                const T wd = T(weight_decay), step = T(lr);
                for (int64_t i = 0; i < n; ++i) {
                    T d = maximize ? -g[i] : g[i];
                    if (weight_decay != 0) d = d + wd * p[i];
                    p[i] = p[i] - step * d;
                }
            });
            continue;
        }
        const bool first = !st.tensors.contains("momentum_buffer");
        Tensor& buf = first ? st.tensors.insert("momentum_buffer", detail::zero_state(param))
                            : st.tensors.at("momentum_buffer");
        detail::fused_update<1>("SGD", param, grad, {&buf}, [&](auto* p, const auto* g, auto s,
                                                                int64_t n) {
            using T = std::remove_pointer_t<decltype(p)>;
            const T wd = T(weight_decay), mom = T(momentum), keep = T(1 - dampening),
                    step = T(lr);
            T* b = s[0];
            for (int64_t i = 0; i < n; ++i) {
                T d = maximize ? -g[i] : g[i];
                if (weight_decay != 0) d = d + wd * p[i];
                b[i] = first ? d : mom * b[i] + keep * d;
                d = nesterov ? d + mom * b[i] : b[i];
                p[i] = p[i] - step * d;
            }
        });
    }
}

}  // namespace ember::optim

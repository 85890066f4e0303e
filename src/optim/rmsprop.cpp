// RMSprop's update (torch.optim.RMSprop, single-tensor form), one fused pass per parameter:
//   d = (maximize ? -g : g) + weight_decay * p
//   sq = alpha * sq + (1 - alpha) * d * d
//   centered: ga = alpha * ga + (1 - alpha) * d;  avg = sqrt(sq - ga * ga) + eps
//   else:     avg = sqrt(sq) + eps
//   momentum > 0: buf = momentum * buf + d / avg;  p -= lr * buf
//   else:         p -= lr * d / avg
#include "ember/optim/rmsprop.h"

#include <algorithm>
#include <cmath>

#include "optim/fused.h"

namespace ember::optim {

namespace {

Options to_options(const RMSpropOptions& o) {
    // PyTorch's defaults order (not the signature's).
    return {{"lr", o.lr},
            {"momentum", o.momentum},
            {"alpha", o.alpha},
            {"eps", o.eps},
            {"centered", o.centered},
            {"weight_decay", o.weight_decay},
            {"maximize", o.maximize}};
}

Options overrides(const RMSpropGroup& g) {
    Options o;
    detail::override_option(o, "lr", g.lr);
    detail::override_option(o, "alpha", g.alpha);
    detail::override_option(o, "eps", g.eps);
    detail::override_option(o, "weight_decay", g.weight_decay);
    detail::override_option(o, "momentum", g.momentum);
    detail::override_option(o, "centered", g.centered);
    detail::override_option(o, "maximize", g.maximize);
    return o;
}

// Creates the named state buffer (zero) if missing.
void ensure_buffer(ParamState& st, const char* name, const Tensor& param) {
    if (!st.tensors.contains(name)) st.tensors.insert(name, detail::zero_state(param));
}

}  // namespace

RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions& options)
    : Optimizer("RMSprop", to_options(options)) {
    validate(defaults());
    add_groups({{std::move(params), {}}});
}

RMSprop::RMSprop(std::vector<RMSpropGroup> groups, const RMSpropOptions& defaults_in)
    : Optimizer("RMSprop", to_options(defaults_in)) {
    validate(defaults());
    std::vector<ParamGroup> built;
    for (RMSpropGroup& g : groups) built.push_back({std::move(g.params), overrides(g)});
    add_groups(std::move(built));
}

void RMSprop::add_param_group(const RMSpropGroup& group) {
    Optimizer::add_param_group(group.params, overrides(group));
}

void RMSprop::validate(const Options& o) const {
    EMBER_CHECK(o.number("lr") >= 0, "RMSprop: Invalid learning rate: ", o.number("lr"));
    EMBER_CHECK(o.number("eps") >= 0, "RMSprop: Invalid epsilon value: ", o.number("eps"));
    EMBER_CHECK(o.number("momentum") >= 0, "RMSprop: Invalid momentum value: ",
                o.number("momentum"));
    EMBER_CHECK(o.number("weight_decay") >= 0, "RMSprop: Invalid weight_decay value: ",
                o.number("weight_decay"));
    EMBER_CHECK(o.number("alpha") >= 0, "RMSprop: Invalid alpha value: ", o.number("alpha"));
}

void RMSprop::update(ParamGroup& group) {
    const Options& o = group.options;
    const double lr = o.number("lr"), alpha = o.number("alpha"), eps = o.number("eps"),
                 weight_decay = o.number("weight_decay"), momentum = o.number("momentum");
    const bool centered = o.flag("centered"), maximize = o.flag("maximize");
    for (Tensor& param : group.params) {
        const Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        detail::check_grad("RMSprop", param, grad);  // before any state is created
        ParamState& st = state(param);
        // Buffers in PyTorch's key order: square_avg, momentum_buffer, grad_avg. A flag turned
        // on after the first step starts its buffer at zero then.
        ensure_buffer(st, "square_avg", param);
        if (momentum > 0) ensure_buffer(st, "momentum_buffer", param);
        if (centered) ensure_buffer(st, "grad_avg", param);
        // Addresses taken after every insertion (an insertion may move the dict's items).
        Tensor* square_avg = &st.tensors.at("square_avg");
        Tensor* momentum_buffer = momentum > 0 ? &st.tensors.at("momentum_buffer") : nullptr;
        Tensor* grad_avg = centered ? &st.tensors.at("grad_avg") : nullptr;
        // s holds square_avg, then momentum_buffer if used, then grad_avg if used.
        auto body = [&](auto* p, const auto* g, auto s, int64_t n) {
            using T = std::remove_pointer_t<decltype(p)>;
            const T wd = T(weight_decay), a = T(alpha), one_minus_a = T(1 - alpha), e = T(eps),
                    mom = T(momentum), minus_lr = T(-lr);
            T* sq = s[0];
            // min(): the index stays inside s even where that slot is unused.
            T* buf = momentum_buffer ? s[std::min<size_t>(1, s.size() - 1)] : nullptr;
            T* ga = grad_avg ? s[s.size() - 1] : nullptr;
            for (int64_t i = 0; i < n; ++i) {
                T d = maximize ? -g[i] : g[i];
                if (weight_decay != 0) d = d + wd * p[i];
                sq[i] = sq[i] * a;
                sq[i] = sq[i] + one_minus_a * d * d;
                T avg;
                if (ga) {
                    ga[i] = ga[i] * a;
                    ga[i] = ga[i] + one_minus_a * d;
                    avg = std::sqrt(sq[i] + T(-1) * ga[i] * ga[i]);
                } else {
                    avg = std::sqrt(sq[i]);
                }
                avg = avg + e;
                if (buf) {
                    buf[i] = buf[i] * mom;
                    buf[i] = buf[i] + d / avg;
                    p[i] = p[i] + minus_lr * buf[i];
                } else {
                    p[i] = p[i] + minus_lr * d / avg;
                }
            }
        };
        if (momentum_buffer && grad_avg)
            detail::fused_update<3>("RMSprop", param, grad, {square_avg, momentum_buffer, grad_avg},
                                    body);
        else if (momentum_buffer || grad_avg)
            detail::fused_update<2>("RMSprop", param, grad,
                                    {square_avg, momentum_buffer ? momentum_buffer : grad_avg},
                                    body);
        else
            detail::fused_update<1>("RMSprop", param, grad, {square_avg}, body);
        st.step = st.step.value_or(0) + 1;
    }
}

}  // namespace ember::optim

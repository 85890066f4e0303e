// What the Adam family (Adam, AdamW, Adamax, NAdam, RAdam) shares: option checks, state
// creation, and the pieces their fused loops are written with.
#pragma once

#include <initializer_list>
#include <type_traits>

#include "ember/optim/optimizer.h"
#include "ops/util.h"
#include "optim/fused.h"

namespace ember::optim::detail {

// PyTorch's checks of lr, eps, betas and weight_decay, in its order and with its messages,
// prefixed by the optimizer's name ("Adam: Invalid beta parameter at index 1: 1").
inline void check_adam_options(const char* optimizer, const Options& o) {
    const double lr = o.number("lr"), eps = o.number("eps"), wd = o.number("weight_decay");
    const auto [beta1, beta2] = o.pair("betas");
    EMBER_CHECK(lr >= 0, optimizer, ": Invalid learning rate: ", lr);
    EMBER_CHECK(eps >= 0, optimizer, ": Invalid epsilon value: ", eps);
    EMBER_CHECK(beta1 >= 0 && beta1 < 1, optimizer, ": Invalid beta parameter at index 0: ", beta1);
    EMBER_CHECK(beta2 >= 0 && beta2 < 1, optimizer, ": Invalid beta parameter at index 1: ", beta2);
    EMBER_CHECK(wd >= 0, optimizer, ": Invalid weight_decay value: ", wd);
}

// The hyperparameters every optimizer of the family has, read once per group update.
struct AdamHyper {
    double lr, beta1, beta2, eps, weight_decay;
    explicit AdamHyper(const Options& o)
        : lr(o.number("lr")), beta1(o.pair("betas").first), beta2(o.pair("betas").second),
          eps(o.number("eps")), weight_decay(o.number("weight_decay")) {}
};

// Creates a parameter's state on its first update: step 0 and zero buffers with these names,
// in this order (a buffer added to the list later, such as AMSGrad's, is created when missing).
// Returns the step this update makes (the caller stores it once the update succeeded).
inline int64_t begin_update(const char* optimizer, ParamState& st, const Tensor& param,
                            const Tensor& grad, std::initializer_list<const char*> buffers) {
    check_grad(optimizer, param, grad);  // before creating state for a gradient that cannot update
    if (!st.step) st.step = 0;
    for (const char* name : buffers)
        if (!st.tensors.contains(name)) st.tensors.insert(name, zero_state(param));
    return *st.step + 1;
}

// Calls f(std::true_type) or f(std::false_type): a runtime flag becomes a template parameter,
// so that the loops carry no per-element branch on it and vectorise.
template <class F>
void with_flag(bool flag, F&& f) {
    if (flag) f(std::true_type{});
    else f(std::false_type{});
}

// max(a, b) that returns NaN when either is NaN, as torch.maximum and torch.amax.
template <class T>
inline T nan_max(T a, T b) {
    return (a > b || a != a) ? a : b;
}

}  // namespace ember::optim::detail

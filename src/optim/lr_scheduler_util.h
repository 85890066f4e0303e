// Helpers shared by the lr_scheduler sources: argument checks that must run before the base
// class touches the optimizer, and Python's integer floor division.
#pragma once

#include <cstdint>
#include <utility>

namespace ember::optim::lr_scheduler::detail {

// Runs a constructor's argument checks, then passes last_epoch on to the base class: PyTorch
// validates before setting initial_lr, so a rejected scheduler leaves the optimizer unchanged.
template <class Check>
int64_t checked(int64_t last_epoch, Check&& check) {
    std::forward<Check>(check)();
    return last_epoch;
}

// Python's floor division for integers (negative epochs appear while SequentialLR
// hands over between schedulers).
inline int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace ember::optim::lr_scheduler::detail

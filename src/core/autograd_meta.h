// AutogradMeta: the per-tensor autograd state (null in a TensorImpl until a tensor requires
// grad or is the output of a recorded op).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "ember/autograd/node.h"
#include "ember/core/small_object.h"
#include "ember/core/tensor.h"

namespace ember {

struct AutogradMeta : SmallObject {
    // Set by the user on a leaf (a tensor without grad_fn); a non-leaf requires grad because
    // it has a grad_fn.
    bool requires_grad = false;
    bool retains_grad = false;
    // Which output of grad_fn this tensor is.
    uint32_t output_nr = 0;
    // For a view: the storage version when grad_fn was set. An in-place op on the base (or on
    // another view) since then makes grad_fn stale; it is rebuilt from the base's current
    // history on next use (see refresh_view_history).
    uint32_t view_version = 0;
    Tensor grad;
    std::shared_ptr<autograd::Node> grad_fn;
    // A leaf's AccumulateGrad node, alive while some graph uses it (PyTorch keeps it weakly so
    // that the node, which holds the leaf, does not keep itself alive through the leaf).
    std::weak_ptr<autograd::Node> grad_accumulator;
    // A leaf's hooks (a non-leaf's live on its grad_fn).
    std::vector<std::pair<int, autograd::TensorHook>> hooks;

    AutogradMeta() = default;
    AutogradMeta(const AutogradMeta&) = delete;
    AutogradMeta& operator=(const AutogradMeta&) = delete;
    ~AutogradMeta() {
        if (retains_grad && grad_fn) grad_fn->set_retained_grad(output_nr, nullptr);
    }
};

// The state of t when it takes part in autograd (null otherwise); inline because every op asks.
inline AutogradMeta* autograd_meta(const Tensor& t) {
    return t.defined() ? t.impl()->autograd_meta() : nullptr;
}
inline bool requires_grad_fast(const Tensor& t) {
    AutogradMeta* m = autograd_meta(t);
    return m && (m->requires_grad || m->grad_fn);
}

}  // namespace ember

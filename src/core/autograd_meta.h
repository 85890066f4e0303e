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
namespace autograd {
bool refresh_view_history(const Tensor& t);
}
// Whether t requires grad. A view whose base changed in place since the view's history was
// set may have joined the graph through its base: autograd rebuilds its history first.
inline bool requires_grad_fast(const Tensor& t) {
    if (!t.defined()) return false;
    TensorImpl* impl = t.impl();
    if (impl->view_follows_base() && impl->view_version() != impl->storage()->version()) [[unlikely]]
        return autograd::refresh_view_history(t);
    AutogradMeta* m = impl->autograd_meta();
    return m && (m->requires_grad || m->grad_fn);
}

}  // namespace ember

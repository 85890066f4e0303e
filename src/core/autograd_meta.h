// AutogradMeta: the per-tensor autograd state (null in a TensorImpl until needed).
// The autograd layer extends it with the graph edge (grad_fn) and hooks.
#pragma once

#include "ember/core/tensor.h"

namespace ember {

struct AutogradMeta {
    bool requires_grad = false;
    Tensor grad;
};

}  // namespace ember

// Helpers shared by backward formulas (all written with ember ops, so they are differentiable
// themselves and run on every device).
#pragma once

#include <bitset>

#include "autograd/function.h"
#include "ember/core/tensor.h"

namespace ember::autograd {

// The gradient of a reduction over the dims in `mask` (of an input shaped `input_sizes`),
// broadcast back to the input's shape: the reduced dims are re-inserted when !keepdim.
Tensor expand_reduced(const Tensor& grad, IntArrayRef input_sizes, std::bitset<64> mask,
                      bool keepdim);
// The same, unsqueezed but not expanded (for formulas that combine it with another tensor of
// the input's shape and can rely on broadcasting).
Tensor unsqueeze_reduced(const Tensor& grad, int64_t input_dim, std::bitset<64> mask,
                         bool keepdim);

}  // namespace ember::autograd

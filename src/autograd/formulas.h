// Helpers shared by backward formulas (all written with ember ops, so they are differentiable
// themselves and run on every device).
#pragma once

#include <bitset>
#include <functional>

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
// The gradient of an op that selects values along `dim` at `indices` (max/min along a dim,
// sort, topk, PyTorch's value_selecting_reduction_backward): grad scattered into zeros of the
// input's shape. !keepdim: grad and indices lack the dim (re-inserted here).
Tensor value_selecting_reduction_backward(const Tensor& grad, int64_t dim, const Tensor& indices,
                                          IntArrayRef input_sizes, bool keepdim);

// The gradient of a view that looks at part of its input (select, slice, diagonal, ...): zeros
// of the input's shape with `grad` written where `view` (input-shaped tensor -> the view) looks.
// It records `name` with `view` as its backward, so double backward works.
Tensor embed_in_zeros(const char* name, const Tensor& grad, IntArrayRef input_sizes,
                      std::function<Tensor(const Tensor&)> view);

}  // namespace ember::autograd

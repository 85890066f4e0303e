// The shared reduction driver used by the op definitions of every reduction.
#pragma once

#include <bitset>
#include <functional>
#include <optional>

#include "ember/core/tensor.h"
#include "ops/dispatch.h"
#include "ops/tensor_iterator.h"

namespace ember::detail {

// Reduces `in` over the dims in `mask` with `op`; the input is first converted to `dtype`,
// which is also the result's dtype.
Tensor reduce(const Tensor& in, std::bitset<64> mask, bool keepdim, DType dtype, ReduceOp op,
              const char* name);

// The result shape of a reduction (reduced dims dropped, or kept as 1 with keepdim).
DimVector reduced_shape(IntArrayRef sizes, std::bitset<64> mask, bool keepdim);

// The driver behind reduce(): converts `in` to `dtype` (also the result's dtype), allocates the
// result and calls `run` with the reduction iterator. An empty input instead fills the result
// with `empty_value`, the reduction's identity (none: an error naming `name`).
Tensor reduce_with(const Tensor& in, std::bitset<64> mask, bool keepdim, DType dtype,
                   const char* name, std::optional<double> empty_value,
                   const std::function<void(TensorIterator&)>& run);

// PyTorch's errors for reductions without an identity (max, min, amax, argmax...) over a
// zero-size dim: `dims` as the user gave them (empty: all dims).
void check_nonempty_reduction(const Tensor& a, IntArrayRef dims, const char* name);

}  // namespace ember::detail

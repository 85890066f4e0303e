// The shared reduction driver used by the op definitions of every reduction.
#pragma once

#include <bitset>

#include "ember/core/tensor.h"
#include "ops/dispatch.h"

namespace ember::detail {

// Reduces `in` over the dims in `mask` with `op`; the input is first converted to `dtype`,
// which is also the result's dtype.
Tensor reduce(const Tensor& in, std::bitset<64> mask, bool keepdim, DType dtype, ReduceOp op,
              const char* name);

// The result shape of a reduction (reduced dims dropped, or kept as 1 with keepdim).
DimVector reduced_shape(IntArrayRef sizes, std::bitset<64> mask, bool keepdim);

}  // namespace ember::detail

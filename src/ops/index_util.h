// Shared plumbing of the indexing ops (advanced indexing, index_select, gather, scatter): range
// checks on index tensors and the offset-driven gather/put kernels.
#pragma once

#include <cstdint>
#include <optional>

#include "ember/core/tensor.h"

namespace ember::detail {

// The first value of `index` (int64/int32, row-major order) outside [lo, hi), if any;
// *any_negative (when given) says whether some value is negative.
std::optional<int64_t> first_out_of_range(const Tensor& index, int64_t lo, int64_t hi,
                                          bool* any_negative = nullptr);

// out = src[offset * stride] elementwise; src and offset already have out's shape (src with
// stride 0 where the offsets move it). Values must be in range (checked by the caller).
void run_index_gather(const Tensor& out, const Tensor& src, const Tensor& offset, int64_t stride);

// dst[offset * stride] = value (+= when accumulate), in a fixed order; all three have one
// shape. Bumps dst's version.
void run_index_put(const Tensor& dst, const Tensor& value, const Tensor& offset, int64_t stride,
                   bool accumulate);

// Sizes with the leading 1s removed: a value [1, 1, 4] assigned to t[idx] acts as [4].
DimVector strip_leading_ones(IntArrayRef sizes);

// Whether `shape` broadcasts to `target` without changing target.
bool is_expandable_to(IntArrayRef shape, IntArrayRef target);

// Whether a and b may alias (they share a storage).
bool shares_storage(const Tensor& a, const Tensor& b);

}  // namespace ember::detail

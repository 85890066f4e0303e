// Small argument helpers shared by op definitions: dim wrapping, dim lists, output shapes.
#pragma once

#include <bitset>
#include <cstdint>

#include "ember/core/tensor.h"

namespace ember::detail {

// Maps a possibly negative dim into [0, ndim); a 0-dim tensor accepts -1 and 0, as in PyTorch.
int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op);

// The set of dims named by `dims` (empty: all dims), checking range and repeats.
std::bitset<64> dim_mask(IntArrayRef dims, int64_t ndim, const char* op);

// Throws unless every tensor is defined and on the same device as the first.
void check_same_device(const char* op, std::initializer_list<const Tensor*> tensors);

// Metadata for error messages: "[2, 3] float32 cpu".
std::string describe(const Tensor& t);

// Whether t's elements fill a block of memory exactly once (some permutation of a contiguous
// layout): PyTorch's is_non_overlapping_and_dense.
bool is_non_overlapping_and_dense(const Tensor& t);

// In-place writes through a tensor whose elements share memory (an expanded tensor) are
// refused, as in PyTorch; `op` names the operation in the message.
void check_no_internal_overlap(const Tensor& out, const char* op);
// Refuses an input that partly overlaps the output (same memory, different layout): the
// result would depend on the order elements are written. Only decided, as in PyTorch, when
// both are dense; the same tensor as input and output is fine.
void check_no_partial_overlap(const Tensor& out, const Tensor& in, const char* op);

// A new row-major tensor whose sizes the caller has already checked (numel is their product):
// the allocation of every op's result, without empty()'s argument checks.
Tensor empty_contiguous(IntArrayRef sizes, int64_t numel, DType dtype, Device device);

// A new tensor (not a view) sharing t's storage with the given geometry.
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset);

}  // namespace ember::detail

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

// A new tensor (not a view) sharing t's storage with the given geometry.
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset);

}  // namespace ember::detail

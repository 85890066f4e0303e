// The fused cross entropy of the common case (see cross_entropy_fused.cpp).
#pragma once

#include <optional>

#include "ember/core/tensor.h"

namespace ember::detail {

// cross_entropy of (N, C) float32/float64 logits and (N,) int64 class indices, no class weight
// and no label smoothing, reduced by mean or sum, in one pass forward and one backward; nullopt
// when the arguments are outside that case (the general composition handles them).
std::optional<Tensor> fused_cross_entropy(const Tensor& input, const Tensor& target,
                                          int64_t ignore_index, bool mean);

}  // namespace ember::detail

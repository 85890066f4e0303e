// Inputs for gradient tests: float64 leaves that require grad, contiguous or not.
#pragma once

#include <cstdint>
#include <optional>

#include "ember/ember.h"

namespace ember::test {

// Normal values (the global generator reseeded with `seed` first when given).
Tensor grad_leaf(IntArrayRef sizes, std::optional<uint64_t> seed = std::nullopt);
// The same with non-contiguous elements: every other element of a wider tensor (a tensor of at
// most one element is contiguous anyway). It is a leaf, not a view.
Tensor strided_grad_leaf(IntArrayRef sizes, std::optional<uint64_t> seed = std::nullopt);

}  // namespace ember::test

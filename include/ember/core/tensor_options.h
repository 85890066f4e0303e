// TensorOptions: the keyword arguments of PyTorch's factories, as a designated-initializer
// aggregate: `ember::zeros({2, 3}, {.dtype = ember::float64, .requires_grad = true})`.
#pragma once

#include <optional>

#include "ember/core/device.h"
#include "ember/core/dtype.h"

namespace ember {

struct TensorOptions {
    std::optional<DType> dtype;  // unset: the factory's default (float32 for most)
    Device device = kCPU;
    bool requires_grad = false;
};

}  // namespace ember

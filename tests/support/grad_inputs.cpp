// Inputs for gradient tests (see grad_inputs.h).
#include "support/grad_inputs.h"

namespace ember::test {

Tensor grad_leaf(IntArrayRef sizes, std::optional<uint64_t> seed) {
    if (seed) manual_seed(*seed);
    return randn(sizes, {.dtype = float64}).requires_grad_();
}

Tensor strided_grad_leaf(IntArrayRef sizes, std::optional<uint64_t> seed) {
    if (seed) manual_seed(*seed);
    DimVector wide(sizes.begin(), sizes.end());
    wide.push_back(2);
    return randn(wide, {.dtype = float64}).select(-1, 0).detach().requires_grad_();
}

}  // namespace ember::test

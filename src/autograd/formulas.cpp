// Helpers shared by backward formulas.
#include "autograd/formulas.h"

namespace ember::autograd {

Tensor unsqueeze_reduced(const Tensor& grad, int64_t input_dim, std::bitset<64> mask,
                         bool keepdim) {
    if (keepdim || input_dim == 0) return grad;
    Tensor g = grad;
    for (int64_t d = 0; d < input_dim; ++d)
        if (mask.test(static_cast<size_t>(d))) g = g.unsqueeze(d);
    return g;
}

Tensor expand_reduced(const Tensor& grad, IntArrayRef input_sizes, std::bitset<64> mask,
                      bool keepdim) {
    return unsqueeze_reduced(grad, static_cast<int64_t>(input_sizes.size()), mask, keepdim)
        .expand(input_sizes);
}

}  // namespace ember::autograd

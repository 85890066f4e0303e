// Helpers shared by backward formulas.
#include "autograd/formulas.h"

#include "ember/ops/factory.h"

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

Tensor embed_in_zeros(const char* name, const Tensor& grad, IntArrayRef input_sizes,
                      std::function<Tensor(const Tensor&)> view) {
    Tensor out = zeros(input_sizes, {.dtype = grad.dtype(), .device = grad.device()});
    {
        NoGradGuard no_grad;
        view(out).copy_(grad);
    }
    if (needs_grad(grad))
        record(name, {grad}, {out}, {}, [view = std::move(view)](BackwardContext& ctx) {
            return TensorList{view(ctx.grad())};
        });
    return out;
}

Tensor value_selecting_reduction_backward(const Tensor& grad, int64_t dim, const Tensor& indices,
                                          IntArrayRef input_sizes, bool keepdim) {
    if (input_sizes.empty()) return grad;  // a 0-dim input: the value is the element
    Tensor g = grad, idx = indices;
    if (!keepdim) {
        g = g.unsqueeze(dim);
        idx = idx.unsqueeze(dim);
    }
    return zeros(input_sizes, {.dtype = g.dtype(), .device = g.device()}).scatter(dim, idx, g);
}

}  // namespace ember::autograd

// Reductions that report where the extreme is: max/min along a dim (values and int64 indices)
// and argmax/argmin. The index is the first occurrence; a NaN is the extreme and its index is
// reported, as in PyTorch. The kernel is Kernels::reduce_arg. max/min values are differentiable
// (the gradient goes to the returned index).
#include "autograd/formulas.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/dispatch.h"
#include "ops/reduce.h"
#include "ops/util.h"

namespace ember {

namespace {

// Values (when want_values) and indices of the max/min of `a` along `dim`.
std::pair<Tensor, Tensor> arg_reduce(const Tensor& a, int64_t dim, bool keepdim, bool is_max,
                                     bool want_values, const char* name) {
    const int64_t d = detail::wrap_dim(dim, a.dim(), name);
    detail::check_nonempty_reduction(a, d, name);
    std::bitset<64> mask;
    if (a.dim() > 0) mask.set(static_cast<size_t>(d));
    const DimVector keep_shape = detail::reduced_shape(a.sizes(), mask, true);
    const DimVector shape = detail::reduced_shape(a.sizes(), mask, keepdim);
    Tensor indices = empty(shape, {.dtype = int64, .device = a.device()});
    Tensor values;
    if (want_values) values = empty(shape, {.dtype = a.dtype(), .device = a.device()});
    // The kernel writes through keepdim-shaped views of the results.
    detail::kernels(a.device())
        .reduce_arg(want_values ? values.view(keep_shape) : Tensor(), indices.view(keep_shape), a,
                    d, is_max);
    return {values, indices};
}

Tensor arg_extreme(const Tensor& a, std::optional<int64_t> dim, bool keepdim, bool is_max,
                   const char* name) {
    a.check_defined(name);
    EMBER_CHECK(a.dtype() != DType::Bool, name, "(): not implemented for 'Bool' (input ",
                detail::describe(a), ")");
    if (dim) return arg_reduce(a, *dim, keepdim, is_max, false, name).second;
    // Over the flattened tensor.
    EMBER_CHECK(a.numel() > 0, name, "(): Expected reduction dim to be specified for "
                "input.numel() == 0.");
    Tensor index = arg_reduce(a.reshape({-1}), 0, false, is_max, false, name).second;
    if (!keepdim) return index;
    return index.view(DimVector(static_cast<size_t>(a.dim()), 1));
}

// MaxBackward0/MinBackward0: the gradient goes to the returned index only (the first
// occurrence on ties); the indices are not differentiable.
std::pair<Tensor, Tensor> extreme_along_dim(const Tensor& a, int64_t dim, bool keepdim,
                                            bool is_max) {
    const char* name = is_max ? "max" : "min";
    a.check_defined(name);
    auto [values, indices] = arg_reduce(a, dim, keepdim, is_max, true, name);
    if (autograd::needs_grad(a)) {
        const int64_t d = detail::wrap_dim(dim, a.dim(), name);
        autograd::record(is_max ? "MaxBackward0" : "MinBackward0", {a}, {values, indices},
                         {indices},
                         [d, keepdim, sizes = a.sizes().dims()](autograd::BackwardContext& ctx) {
                             return TensorList{autograd::value_selecting_reduction_backward(
                                 ctx.grad(0), d, ctx.saved(0), sizes, keepdim)};
                         });
    }
    return {values, indices};
}

}  // namespace

std::pair<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim) {
    return extreme_along_dim(a, dim, keepdim, true);
}

std::pair<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim) {
    return extreme_along_dim(a, dim, keepdim, false);
}

Tensor argmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
    return arg_extreme(a, dim, keepdim, true, "argmax");
}

Tensor argmin(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
    return arg_extreme(a, dim, keepdim, false, "argmin");
}

std::pair<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const {
    return ember::max(*this, dim, keepdim);
}
std::pair<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const {
    return ember::min(*this, dim, keepdim);
}
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim) const {
    return ember::argmax(*this, dim, keepdim);
}
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim) const {
    return ember::argmin(*this, dim, keepdim);
}

}  // namespace ember

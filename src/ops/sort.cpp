// sort and topk: argument checks and result allocation; the ordering itself is in
// src/cpu/sort_kernels.cpp, which follows PyTorch's algorithms so that ties come out the same.
// The values are differentiable (their gradient goes back to the source indices).
#include "autograd/formulas.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ops/dispatch.h"
#include "ops/util.h"

namespace ember {

namespace {

// SortBackward0/TopkBackward0: the values' gradient scattered back to the source indices.
void record_selection(const char* name, const Tensor& a, const Tensor& values,
                      const Tensor& indices, int64_t dim) {
    if (!autograd::needs_grad(a)) return;
    autograd::record(name, {a}, {values, indices}, {indices},
                     [dim, sizes = a.sizes().dims()](autograd::BackwardContext& ctx) {
                         return TensorList{autograd::value_selecting_reduction_backward(
                             ctx.grad(0), dim, ctx.saved(0), sizes, true)};
                     });
}

}  // namespace

std::pair<Tensor, Tensor> sort(const Tensor& a, int64_t dim, bool descending, bool stable) {
    a.check_defined("sort");
    const int64_t d = detail::wrap_dim(dim, a.dim(), "sort");
    Tensor values = empty(a.sizes(), {.dtype = a.dtype(), .device = a.device()});
    {
        NoGradGuard no_grad;  // the copy is part of the forward
        values.copy_(a);
    }
    Tensor indices = empty(a.sizes(), {.dtype = DType::Int64, .device = a.device()});
    if (a.dim() == 0)
        indices.zero_();
    else if (a.numel() > 0)
        detail::kernels(a.device()).sort(values, indices, d, descending, stable);
    record_selection("SortBackward0", a, values, indices, d);
    return {values, indices};
}

std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest,
                               bool sorted) {
    a.check_defined("topk");
    const int64_t d = detail::wrap_dim(dim, a.dim(), "topk");
    const int64_t slice = a.dim() > 0 ? a.size(d) : 1;
    EMBER_CHECK(k >= 0 && k <= slice, "topk: selected index k out of range (k = ", k,
                ", dimension ", d, " of size ", slice, ")");
    DimVector shape = a.sizes().dims();
    if (a.dim() > 0) shape[d] = k;
    Tensor values = empty(shape, {.dtype = a.dtype(), .device = a.device()});
    Tensor indices = empty(shape, {.dtype = DType::Int64, .device = a.device()});
    if (a.dim() == 0) {  // k is 0 or 1: the element itself, as in PyTorch
        {
            NoGradGuard no_grad;
            values.copy_(a);
        }
        indices.zero_();
    } else {
        EMBER_CHECK(a.dtype() != DType::Bool, "\"topk_cpu\" not implemented for 'Bool'");
        if (values.numel() > 0)
            detail::kernels(a.device()).topk(values, indices, a, k, d, largest, sorted);
    }
    record_selection("TopkBackward0", a, values, indices, d);
    return {values, indices};
}

std::pair<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending, bool stable) const {
    return ember::sort(*this, dim, descending, stable);
}

std::pair<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
    return ember::topk(*this, k, dim, largest, sorted);
}

}  // namespace ember

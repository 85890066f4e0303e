// Scans: cumsum and cumprod along a dim (Kernels::scan). Integer and bool inputs give int64
// unless a dtype is given; the input is converted to the result dtype first, as in PyTorch.
// Both are differentiable (CumsumBackward0, CumprodBackward0, zeros in cumprod's input included).
#include "autograd/function.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ember/ops/shape.h"
#include "ops/dispatch.h"
#include "ops/util.h"

namespace ember {

namespace {

Tensor scan(const Tensor& a, int64_t dim, std::optional<DType> dtype, detail::ScanOp op,
            const char* name) {
    a.check_defined(name);
    const int64_t d = detail::wrap_dim(dim, a.dim(), name);
    const DType dt = dtype ? *dtype : is_integral(a.dtype(), true) ? DType::Int64 : a.dtype();
    EMBER_CHECK(dt != DType::Bool, name, "(): not implemented for 'Bool' (input ",
                detail::describe(a), "); pass an integer or floating dtype");
    Tensor src;
    {
        NoGradGuard no_grad;  // the conversion is part of the forward
        src = a.to(dt);
    }
    Tensor out = empty(a.sizes(), {.dtype = dt, .device = a.device()});
    detail::kernels(a.device()).scan(out, src, d, op);
    return out;
}

// The sum of w[j] over j >= i along dim (flip, cumsum, flip, as PyTorch's reversed_cumsum).
Tensor reversed_cumsum(const Tensor& w, int64_t dim) {
    return w.flip({dim}).cumsum(dim).flip({dim});
}

// PyTorch's cumprod_backward. Without zeros: reversed_cumsum(grad * output) / input. With zeros
// that division is unusable, so each input element k gets
// sum_{j >= k} grad[j] * prod_{i <= j, i != k} x[i], computed from the product of the elements
// before k and the cumulative products of those after it (PyTorch's form under grad mode,
// valid for every input; it is also twice differentiable).
Tensor cumprod_backward(const Tensor& grad, const Tensor& input, int64_t dim,
                        const Tensor& output) {
    if (input.numel() <= 1 || input.dim() == 0) return grad;
    const int64_t n = input.size(dim);
    if (n == 1) return grad;
    bool any_zero;
    {
        NoGradGuard no_grad;
        any_zero = input.eq(0).any().item<bool>();
    }
    if (!any_zero) return reversed_cumsum(output * grad, dim).div(input);
    DimVector ones_size = input.sizes().dims();
    ones_size[static_cast<size_t>(dim)] = 1;
    const Tensor one = ones(ones_size, {.dtype = grad.dtype(), .device = grad.device()});
    TensorList columns;
    for (int64_t k = 0; k < n; ++k) {
        // omitted[j - k] = prod_{i <= j, i != k} x[i] for j >= k.
        Tensor omitted;
        if (k == 0) {
            omitted = cat({one, input.narrow(dim, 1, n - 1).cumprod(dim)}, dim);
        } else {
            Tensor until_k = input.narrow(dim, 0, k).prod(dim, true);
            if (k == n - 1) {
                omitted = until_k;
            } else {
                Tensor from_k1 = input.narrow(dim, k + 1, n - k - 1).cumprod(dim);
                omitted = cat({until_k, until_k * from_k1}, dim);
            }
        }
        columns.push_back((grad.narrow(dim, k, n - k) * omitted).sum({dim}));
    }
    return stack(columns, dim);
}

}  // namespace

Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
    Tensor out = scan(a, dim, dtype, detail::ScanOp::CumSum, "cumsum");
    if (autograd::needs_grad(a)) {
        const int64_t d = a.dim() == 0 ? 0 : detail::wrap_dim(dim, a.dim(), "cumsum");
        autograd::record("CumsumBackward0", {a}, {out}, {},
                         [d, dt = a.dtype()](autograd::BackwardContext& ctx) {
                             const Tensor g = ctx.grad().to(dt);
                             if (g.numel() <= 1 || g.dim() == 0 || g.size(d) == 1)
                                 return TensorList{g};
                             return TensorList{reversed_cumsum(g, d)};
                         });
    }
    return out;
}

Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
    Tensor out = scan(a, dim, dtype, detail::ScanOp::CumProd, "cumprod");
    if (autograd::needs_grad(a)) {
        const int64_t d = a.dim() == 0 ? 0 : detail::wrap_dim(dim, a.dim(), "cumprod");
        autograd::record("CumprodBackward0", {a}, {out}, {a, out},
                         [d, dt = a.dtype()](autograd::BackwardContext& ctx) {
                             return TensorList{cumprod_backward(ctx.grad().to(dt), ctx.saved(0),
                                                                d, ctx.saved(1))};
                         });
    }
    return out;
}

Tensor Tensor::cumsum(int64_t dim, std::optional<DType> dtype) const {
    return ember::cumsum(*this, dim, dtype);
}
Tensor Tensor::cumprod(int64_t dim, std::optional<DType> dtype) const {
    return ember::cumprod(*this, dim, dtype);
}

}  // namespace ember

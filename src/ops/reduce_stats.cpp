// Statistical reductions: var/std (Welford kernel, Kernels::reduce_var), the p-norms
// (Kernels::reduce_norm) and logsumexp (Kernels::logsumexp, max + log(sum(exp(x - max))) per
// line, one pass for the max and one for the sum), with their gradients (PyTorch's formulas).
#include <cmath>
#include <limits>

#include "autograd/formulas.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/dispatch.h"
#include "ops/reduce.h"
#include "ops/util.h"

namespace ember {

namespace {

// The dims in `mask`, as a list (for the formulas' sum/mean calls).
DimVector mask_dims(std::bitset<64> mask, int64_t ndim) {
    DimVector dims;
    for (int64_t d = 0; d < ndim; ++d)
        if (mask.test(static_cast<size_t>(d))) dims.push_back(d);
    return dims;
}

// PyTorch's var_backward: 2 / (N - correction) * grad * (x - mean). A full reduction with
// N == correction gives inf * grad.
Tensor var_backward(const Tensor& grad, const Tensor& self, std::bitset<64> mask, bool all_dims,
                    int64_t correction, bool keepdim) {
    const int64_t nd = self.dim();
    if (all_dims) {
        const int64_t dof = self.numel() - correction;
        if (dof == 0) return grad.expand(self.sizes()) * INFINITY;
        return (2.0 / static_cast<double>(dof)) * grad * (self - self.mean());
    }
    Tensor g = autograd::unsqueeze_reduced(grad, nd, mask, keepdim);
    int64_t n = 1;
    for (int64_t d = 0; d < nd; ++d)
        if (mask.test(static_cast<size_t>(d))) n *= self.size(d);
    const double dof = static_cast<double>(n - correction);
    return (2.0 / dof) * g * (self - self.mean(mask_dims(mask, nd), true));
}

Tensor var_std(const Tensor& a, IntArrayRef dims, int64_t correction, bool keepdim,
               bool take_sqrt) {
    const char* name = take_sqrt ? "std" : "var";
    a.check_defined(name);
    EMBER_CHECK(a.is_floating_point(), name, "(): std and var only support floating point and "
                "complex dtypes (input ", detail::describe(a), ")");
    auto mask = detail::dim_mask(dims, a.dim(), name);
    // An empty reduction has no mean: NaN, whatever the correction (as PyTorch).
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Tensor out = detail::reduce_with(a, mask, keepdim, a.dtype(), name, nan,
                                     [&](detail::TensorIterator& it) {
                                         detail::kernels(a.device())
                                             .reduce_var(it, static_cast<double>(correction),
                                                         take_sqrt);
                                     });
    if (autograd::needs_grad(a)) {
        const bool all_dims = dims.empty() || a.dim() == 0;
        if (take_sqrt)
            // PyTorch's std_backward: var_backward of grad / (2 * std), 0 where std == 0.
            autograd::record("StdBackward0", {a}, {out}, {a, out},
                             [=](autograd::BackwardContext& ctx) {
                                 const Tensor result = ctx.saved(1);
                                 Tensor grad_var =
                                     where(result.eq(0), 0.0, ctx.grad() / (result * 2));
                                 return TensorList{var_backward(grad_var, ctx.saved(0), mask,
                                                                all_dims, correction, keepdim)};
                             });
        else
            autograd::record("VarBackward0", {a}, {out}, {a},
                             [=](autograd::BackwardContext& ctx) {
                                 return TensorList{var_backward(ctx.grad(), ctx.saved(0), mask,
                                                                all_dims, correction, keepdim)};
                             });
    }
    return out;
}

// The forward of logsumexp (records nothing).
Tensor logsumexp_forward(const Tensor& a, std::bitset<64> mask, bool keepdim) {
    NoGradGuard no_grad;
    // Integer and bool inputs compute in the default float dtype, as in PyTorch.
    Tensor x = a.is_floating_point() ? a : a.to(default_dtype());
    Tensor result = empty(detail::reduced_shape(a.sizes(), mask, keepdim),
                          {.dtype = x.dtype(), .device = x.device()});
    if (result.numel() == 0) return result;
    if (x.numel() == 0) return result.fill_(-INFINITY);  // log(0)
    // The kernel reduces one dim: several reduced dims are moved last and merged into one.
    Tensor lines = x;
    int64_t line_dim = 0;
    if (a.dim() > 0) {
        DimVector perm, merged_shape;
        int64_t reduced_count = 0, merged = 1;
        for (int64_t d = 0; d < a.dim(); ++d)
            if (!mask.test(d)) {
                perm.push_back(d);
                merged_shape.push_back(a.size(d));
            }
        for (int64_t d = 0; d < a.dim(); ++d)
            if (mask.test(d)) {
                perm.push_back(d);
                merged *= a.size(d);
                ++reduced_count;
                line_dim = d;
            }
        if (reduced_count > 1) {
            merged_shape.push_back(merged);
            lines = x.permute(perm).reshape(merged_shape);
            line_dim = lines.dim() - 1;
        }
    }
    DimVector line_result_shape(lines.sizes().begin(), lines.sizes().end());
    if (lines.dim() > 0) line_result_shape[line_dim] = 1;
    detail::kernels(a.device()).logsumexp(result.view(line_result_shape), lines, line_dim);
    return result;
}

// PyTorch's norm_backward for p-norms: sign(x) for p = 1, x / norm for p = 2 (0 where the
// norm is 0), sign(x) split evenly among the maxima of |x| for p = inf, no gradient for p = 0,
// and sign(x) |x|^(p-1) / norm^(p-1) otherwise (0 where the norm is 0 for p >= 1).
Tensor norm_backward(const Tensor& grad, const Tensor& self, double p, const Tensor& result,
                     std::bitset<64> mask, bool keepdim) {
    if (p == 0.0) return Tensor();
    const int64_t nd = self.dim();
    Tensor g = autograd::unsqueeze_reduced(grad, nd, mask, keepdim);
    Tensor norm = autograd::unsqueeze_reduced(result, nd, mask, keepdim);
    if (p == 1.0) return sign(self) * g;
    if (p == 2.0) return g * where(norm.eq(0), 0.0, self / norm);
    if (std::isinf(p)) {
        // The gradient of amax(|x|), NaNs counting as maxima.
        Tensor self_abs = abs(self);
        Tensor is_max = logical_or(self_abs.eq(norm), isnan(self_abs));
        return sign(self) * ((g / is_max.sum(mask_dims(mask, nd), true)) * is_max);
    }
    if (p < 1.0) {
        Tensor self_scaled = sign(self) * where(self.eq(0), 0.0, abs(self).pow(p - 1));
        return self_scaled * g * norm.pow(1 - p);
    }
    Tensor self_scaled = p < 2.0 ? sign(self) * abs(self).pow(p - 1) : self * abs(self).pow(p - 2);
    Tensor scale_v = where(norm.eq(0), 0.0, g / norm.pow(p - 1));
    return self_scaled * scale_v;
}

}  // namespace

Tensor var(const Tensor& a, IntArrayRef dims, int64_t correction, bool keepdim) {
    return var_std(a, dims, correction, keepdim, false);
}

Tensor std(const Tensor& a, IntArrayRef dims, int64_t correction, bool keepdim) {
    return var_std(a, dims, correction, keepdim, true);
}

Tensor norm(const Tensor& a, const Scalar& p, IntArrayRef dims, bool keepdim) {
    a.check_defined("norm");
    EMBER_CHECK(a.is_floating_point(), "norm(): input dtype should be either floating point or "
                "complex. Got ", dtype_short_name(a.dtype()), " instead (input ",
                detail::describe(a), ")");
    const double pv = p.to_double();
    EMBER_CHECK(!std::isnan(pv), "norm(): p must not be NaN");
    auto mask = detail::dim_mask(dims, a.dim(), "norm");
    // torch.norm gives 0 over an empty dim for every p (inf and -inf included).
    Tensor out = detail::reduce_with(a, mask, keepdim, a.dtype(), "norm", 0.0,
                                     [&](detail::TensorIterator& it) {
                                         detail::kernels(a.device()).reduce_norm(it, pv);
                                     });
    if (autograd::needs_grad(a))
        autograd::record("NormBackward1", {a}, {out}, {a, out},
                         [pv, mask, keepdim](autograd::BackwardContext& ctx) {
                             return TensorList{norm_backward(ctx.grad(), ctx.saved(0), pv,
                                                             ctx.saved(1), mask, keepdim)};
                         });
    return out;
}

Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim) {
    a.check_defined("logsumexp");
    const auto mask = detail::dim_mask(dims, a.dim(), "logsumexp");
    Tensor result = logsumexp_forward(a, mask, keepdim);
    if (autograd::needs_grad(a))
        // grad * exp(x - logsumexp(x)).
        autograd::record("LogsumexpBackward0", {a}, {result}, {a, result},
                         [mask, keepdim](autograd::BackwardContext& ctx) {
                             const Tensor self = ctx.saved(0);
                             const int64_t nd = self.dim();
                             auto restore = [&](const Tensor& t) {
                                 return autograd::unsqueeze_reduced(t, nd, mask, keepdim);
                             };
                             Tensor g = restore(ctx.grad()), r = restore(ctx.saved(1));
                             return TensorList{g * exp(self - r)};
                         });
    return result;
}

Tensor Tensor::var(IntArrayRef dims, int64_t correction, bool keepdim) const {
    return ember::var(*this, dims, correction, keepdim);
}
Tensor Tensor::std(IntArrayRef dims, int64_t correction, bool keepdim) const {
    return ember::std(*this, dims, correction, keepdim);
}
Tensor Tensor::norm(const Scalar& p, IntArrayRef dims, bool keepdim) const {
    return ember::norm(*this, p, dims, keepdim);
}
Tensor Tensor::logsumexp(IntArrayRef dims, bool keepdim) const {
    return ember::logsumexp(*this, dims, keepdim);
}

}  // namespace ember

// Reduction op definitions: sum, mean, prod, amax/amin, max()/min(), all/any, with the
// gradients of the floating ones (PyTorch's formulas and tie conventions).
#include "ops/reduce.h"

#include "autograd/formulas.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ember/ops/shape.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

namespace detail {

DimVector reduced_shape(IntArrayRef sizes, std::bitset<64> mask, bool keepdim) {
    DimVector shape;
    for (size_t d = 0; d < sizes.size(); ++d) {
        if (!mask.test(d)) shape.push_back(sizes[d]);
        else if (keepdim) shape.push_back(1);
    }
    return shape;
}

Tensor reduce_with(const Tensor& in, std::bitset<64> mask, bool keepdim, DType dtype,
                   const char* name, std::optional<double> empty_value,
                   const std::function<void(TensorIterator&)>& run) {
    Tensor result = empty(reduced_shape(in.sizes(), mask, keepdim),
                          {.dtype = dtype, .device = in.device()});
    if (result.numel() == 0) return result;
    if (in.numel() == 0) {
        EMBER_CHECK(empty_value, name, "(): cannot reduce over a zero-size dimension (input shape ",
                    shape_str(in.sizes()), ")");
        result.fill_(*empty_value);
        return result;
    }
    NoGradGuard no_grad;  // the conversion is part of the forward: the op records itself
    Tensor src = in.to(dtype);
    Tensor keep = result.view(reduced_shape(in.sizes(), mask, true));
    TensorIterator it = TensorIterator::reduction(keep, src, {.op = name});
    run(it);
    return result;
}

Tensor reduce(const Tensor& in, std::bitset<64> mask, bool keepdim, DType dtype, ReduceOp op,
              const char* name) {
    std::optional<double> identity;
    switch (op) {
        case ReduceOp::Sum: case ReduceOp::Any: identity = 0; break;
        case ReduceOp::Prod: case ReduceOp::All: identity = 1; break;
        case ReduceOp::Max: case ReduceOp::Min: break;
    }
    const Kernels& k = kernels(in.device());
    // The whole of a contiguous tensor of the result's dtype: the kernel's full reduction
    // without an iterator (a small layer's bias gradient is such a sum, every step).
    int64_t kept = 1;
    for (int64_t d = 0; d < in.dim(); ++d)
        if (!mask.test(static_cast<size_t>(d))) kept *= in.size(d);
    if (k.reduce_contiguous != nullptr && kept == 1 && in.numel() > 0 && in.dtype() == dtype &&
        in.is_contiguous()) {
        Tensor result = empty(reduced_shape(in.sizes(), mask, keepdim),
                              {.dtype = dtype, .device = in.device()});
        k.reduce_contiguous(result, in, op);
        return result;
    }
    return reduce_with(in, mask, keepdim, dtype, name, identity,
                       [&](TensorIterator& it) { k.reduce(it, op); });
}

void check_nonempty_reduction(const Tensor& a, IntArrayRef dims, const char* name) {
    if (a.numel() > 0) return;
    EMBER_CHECK(!dims.empty(), name, "(): Expected reduction dim to be specified for "
                "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    auto mask = dim_mask(dims, a.dim(), name);
    for (int64_t d = 0; d < a.dim(); ++d)
        EMBER_CHECK(!mask.test(d) || a.size(d) != 0, name, "(): Expected reduction dim ", d,
                    " to have non-zero size.");
}

}  // namespace detail

using autograd::BackwardContext;
using detail::dim_mask;

static DType sum_dtype(const Tensor& a, std::optional<DType> dtype) {
    if (dtype) return *dtype;
    return is_floating_point(a.dtype()) ? a.dtype() : DType::Int64;
}

Tensor sum(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
    a.check_defined("sum");
    auto mask = dim_mask(dims, a.dim(), "sum");
    Tensor out = detail::reduce(a, mask, keepdim, sum_dtype(a, dtype), detail::ReduceOp::Sum, "sum");
    if (autograd::needs_grad(a))
        autograd::record(dims.empty() ? "SumBackward0" : "SumBackward1", {a}, {out}, {},
                         [sizes = DimVector(a.sizes().begin(), a.sizes().end()), mask, keepdim](BackwardContext& ctx) {
                             return TensorList{
                                 autograd::expand_reduced(ctx.grad(), sizes, mask, keepdim)};
                         });
    return out;
}

Tensor mean(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
    a.check_defined("mean");
    DType dt = dtype.value_or(a.dtype());
    EMBER_CHECK(is_floating_point(dt), "mean(): could not infer output dtype. ",
                dtype ? "Optional" : "Input", " dtype must be either a floating point or complex "
                "dtype. Got: ", dtype_short_name(dt));
    auto mask = dim_mask(dims, a.dim(), "mean");
    int64_t count = 1;
    for (int64_t d = 0; d < a.dim(); ++d)
        if (mask.test(d)) count *= a.size(d);
    Tensor s = detail::reduce(a, mask, keepdim, dt, detail::ReduceOp::Sum, "mean");
    s.div_(static_cast<double>(count));  // 0/0 gives nan for an empty input, as PyTorch
    if (autograd::needs_grad(a))
        autograd::record(dims.empty() ? "MeanBackward0" : "MeanBackward1", {a}, {s}, {},
                         [sizes = DimVector(a.sizes().begin(), a.sizes().end()), mask, keepdim, count](BackwardContext& ctx) {
                             return TensorList{autograd::expand_reduced(ctx.grad(), sizes, mask,
                                                                        keepdim) /
                                               static_cast<double>(count)};
                         });
    return s;
}

namespace {

// The gradient of a product with zeros in `input` along `dim` (PyTorch's
// prod_safe_zeros_backward): each element gets the product of the others, as the product of
// the elements before it (exclusive cumprod) times the product of those after it (exclusive
// reversed cumprod), so no division by zero happens. `grad` is broadcastable to `input`.
Tensor prod_safe_zeros_backward(const Tensor& grad, const Tensor& input, int64_t dim) {
    if (input.numel() == 0) return grad.expand(input.sizes());
    DimVector ones_size = input.sizes().dims();
    ones_size[static_cast<size_t>(dim)] = 1;
    const Tensor one = ones(ones_size, {.dtype = grad.dtype(), .device = grad.device()});
    const int64_t n = input.size(dim);
    Tensor exclusive_normal = cat({one, input.narrow(dim, 0, n - 1)}, dim).cumprod(dim);
    Tensor narrow_reverse = input.narrow(dim, 1, n - 1).flip({dim});
    Tensor exclusive_reverse = cat({one, narrow_reverse}, dim).cumprod(dim).flip({dim});
    return grad * (exclusive_normal * exclusive_reverse);
}

bool has_zero(const Tensor& t) {
    NoGradGuard no_grad;
    return t.eq(0).any().item<bool>();
}

// ProdBackward0/1: grad * result / input, unless the input has a zero (then the safe form).
Tensor prod_backward(const Tensor& grad, const Tensor& input, const Tensor& result,
                     std::optional<int64_t> dim, bool keepdim) {
    if (input.dim() == 0) return grad;
    if (!dim) {
        if (!has_zero(input)) return grad * (result / input);
        return prod_safe_zeros_backward(grad, input.contiguous().view({-1}), 0)
            .view(input.sizes());
    }
    Tensor g = grad, r = result;
    if (!keepdim) {
        g = g.unsqueeze(*dim);
        r = r.unsqueeze(*dim);
    }
    if (!has_zero(input)) return g * (r / input);
    return prod_safe_zeros_backward(g, input, *dim);
}

// PyTorch's scale_grad_by_count: the gradient of amax/amin split evenly among the elements
// equal to the result (`mask`) in each reduced slice.
Tensor scale_grad_by_count(const Tensor& grad, const Tensor& mask, std::bitset<64> dims_mask,
                           int64_t ndim) {
    DimVector dims;
    for (int64_t d = 0; d < ndim; ++d)
        if (dims_mask.test(static_cast<size_t>(d))) dims.push_back(d);
    return (grad / mask.sum(dims, true)) * mask;
}

// AmaxBackward0/AminBackward0 (ties split evenly).
Tensor extreme_reduction(const Tensor& a, IntArrayRef dims, bool keepdim, bool is_max) {
    const char* name = is_max ? "amax" : "amin";
    a.check_defined(name);
    detail::check_nonempty_reduction(a, dims, name);
    auto mask = dim_mask(dims, a.dim(), name);
    Tensor out = detail::reduce(a, mask, keepdim, a.dtype(),
                                is_max ? detail::ReduceOp::Max : detail::ReduceOp::Min, name);
    if (autograd::needs_grad(a))
        autograd::record(is_max ? "AmaxBackward0" : "AminBackward0", {a}, {out}, {a, out},
                         [mask, keepdim](BackwardContext& ctx) {
                             const Tensor self = ctx.saved(0);
                             const int64_t nd = self.dim();
                             auto restore = [&](const Tensor& t) {
                                 return autograd::unsqueeze_reduced(t, nd, mask, keepdim);
                             };
                             Tensor g = restore(ctx.grad()), r = restore(ctx.saved(1));
                             return TensorList{scale_grad_by_count(g, r.eq(self), mask, nd)};
                         });
    return out;
}

// MaxBackward1/MinBackward1 (PyTorch's evenly_distribute_backward): the gradient split evenly
// among the elements equal to the result; a NaN result goes to the NaNs.
Tensor full_extreme(const Tensor& a, bool is_max) {
    const char* name = is_max ? "max" : "min";
    a.check_defined(name);
    EMBER_CHECK(a.numel() > 0, name, "(): Expected reduction dim to be specified for input.numel() "
                "== 0. Specify the reduction dim with the 'dim' argument.");
    Tensor out = detail::reduce(a, dim_mask({}, a.dim(), name), false, a.dtype(),
                                is_max ? detail::ReduceOp::Max : detail::ReduceOp::Min, name);
    if (autograd::needs_grad(a))
        autograd::record(is_max ? "MaxBackward1" : "MinBackward1", {a}, {out}, {a, out},
                         [](BackwardContext& ctx) {
                             const Tensor self = ctx.saved(0), value = ctx.saved(1);
                             Tensor mask;
                             {
                                 NoGradGuard no_grad;
                                 mask = isnan(value).item<bool>() ? isnan(self) : self.eq(value);
                             }
                             return TensorList{mask * (ctx.grad() / mask.sum())};
                         });
    return out;
}

}  // namespace

Tensor prod(const Tensor& a, std::optional<int64_t> dim, bool keepdim, std::optional<DType> dtype) {
    a.check_defined("prod");
    auto mask = dim ? dim_mask(*dim, a.dim(), "prod") : dim_mask({}, a.dim(), "prod");
    const bool keep = dim ? keepdim : false;
    Tensor out = detail::reduce(a, mask, keep, sum_dtype(a, dtype), detail::ReduceOp::Prod, "prod");
    if (autograd::needs_grad(a)) {
        std::optional<int64_t> d;
        if (dim) d = detail::wrap_dim(*dim, a.dim(), "prod");
        autograd::record(dim ? "ProdBackward1" : "ProdBackward0", {a}, {out}, {a, out},
                         [d, keep](BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             return TensorList{prod_backward(g, ctx.saved(0).to(g.dtype()),
                                                             ctx.saved(1), d, keep)};
                         });
    }
    return out;
}

Tensor amax(const Tensor& a, IntArrayRef dims, bool keepdim) {
    return extreme_reduction(a, dims, keepdim, true);
}

Tensor amin(const Tensor& a, IntArrayRef dims, bool keepdim) {
    return extreme_reduction(a, dims, keepdim, false);
}

Tensor max(const Tensor& a) { return full_extreme(a, true); }

Tensor min(const Tensor& a) { return full_extreme(a, false); }

static Tensor as_bool(const Tensor& a) { return a.dtype() == DType::Bool ? a : a.ne(0); }

Tensor all(const Tensor& a) {
    a.check_defined("all");
    Tensor r = detail::reduce(as_bool(a), dim_mask({}, a.dim(), "all"), false, DType::Bool,
                              detail::ReduceOp::All, "all");
    return a.dtype() == DType::UInt8 ? r.to(DType::UInt8) : r;
}
Tensor all(const Tensor& a, int64_t dim, bool keepdim) {
    a.check_defined("all");
    Tensor r = detail::reduce(as_bool(a), dim_mask(dim, a.dim(), "all"), keepdim, DType::Bool,
                              detail::ReduceOp::All, "all");
    return a.dtype() == DType::UInt8 ? r.to(DType::UInt8) : r;
}
Tensor any(const Tensor& a) {
    a.check_defined("any");
    Tensor r = detail::reduce(as_bool(a), dim_mask({}, a.dim(), "any"), false, DType::Bool,
                              detail::ReduceOp::Any, "any");
    return a.dtype() == DType::UInt8 ? r.to(DType::UInt8) : r;
}
Tensor any(const Tensor& a, int64_t dim, bool keepdim) {
    a.check_defined("any");
    Tensor r = detail::reduce(as_bool(a), dim_mask(dim, a.dim(), "any"), keepdim, DType::Bool,
                              detail::ReduceOp::Any, "any");
    return a.dtype() == DType::UInt8 ? r.to(DType::UInt8) : r;
}

Tensor Tensor::sum(std::optional<DType> dtype) const { return ember::sum(*this, {}, false, dtype); }
Tensor Tensor::sum(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
    return ember::sum(*this, dims, keepdim, dtype);
}
Tensor Tensor::mean(std::optional<DType> dtype) const { return ember::mean(*this, {}, false, dtype); }
Tensor Tensor::mean(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
    return ember::mean(*this, dims, keepdim, dtype);
}
Tensor Tensor::prod(std::optional<DType> dtype) const { return ember::prod(*this, std::nullopt, false, dtype); }
Tensor Tensor::prod(int64_t dim, bool keepdim, std::optional<DType> dtype) const {
    return ember::prod(*this, dim, keepdim, dtype);
}
Tensor Tensor::max() const { return ember::max(*this); }
Tensor Tensor::min() const { return ember::min(*this); }
Tensor Tensor::amax(IntArrayRef dims, bool keepdim) const { return ember::amax(*this, dims, keepdim); }
Tensor Tensor::amin(IntArrayRef dims, bool keepdim) const { return ember::amin(*this, dims, keepdim); }
Tensor Tensor::all() const { return ember::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return ember::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return ember::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return ember::any(*this, dim, keepdim); }

}  // namespace ember

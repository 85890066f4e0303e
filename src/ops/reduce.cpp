// Reduction op definitions: sum, mean, prod, amax/amin, max()/min(), all/any.
#include "ops/reduce.h"

#include "autograd/formulas.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
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
    return reduce_with(in, mask, keepdim, dtype, name, identity,
                       [&](TensorIterator& it) { kernels(in.device()).reduce(it, op); });
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

Tensor prod(const Tensor& a, std::optional<int64_t> dim, bool keepdim, std::optional<DType> dtype) {
    a.check_defined("prod");
    auto mask = dim ? dim_mask(*dim, a.dim(), "prod") : dim_mask({}, a.dim(), "prod");
    return detail::reduce(a, mask, dim ? keepdim : false, sum_dtype(a, dtype),
                          detail::ReduceOp::Prod, "prod");
}

Tensor amax(const Tensor& a, IntArrayRef dims, bool keepdim) {
    a.check_defined("amax");
    detail::check_nonempty_reduction(a, dims, "amax");
    return detail::reduce(a, dim_mask(dims, a.dim(), "amax"), keepdim, a.dtype(),
                          detail::ReduceOp::Max, "amax");
}

Tensor amin(const Tensor& a, IntArrayRef dims, bool keepdim) {
    a.check_defined("amin");
    detail::check_nonempty_reduction(a, dims, "amin");
    return detail::reduce(a, dim_mask(dims, a.dim(), "amin"), keepdim, a.dtype(),
                          detail::ReduceOp::Min, "amin");
}

Tensor max(const Tensor& a) {
    a.check_defined("max");
    EMBER_CHECK(a.numel() > 0, "max(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument.");
    return amax(a);
}

Tensor min(const Tensor& a) {
    a.check_defined("min");
    EMBER_CHECK(a.numel() > 0, "min(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument.");
    return amin(a);
}

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

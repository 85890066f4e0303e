// where, clamp and masked_fill: elementwise ops with a condition or bounds, and their backward
// (PyTorch's formulas: gradients masked by the condition, clamp's bounds inclusive).
#include "autograd/function.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using autograd::BackwardContext;
using detail::IteratorConfig;
using detail::TensorIterator;

namespace {

Tensor run_where(const Tensor& cond, const Tensor& a, const Tensor& b, bool a_scalar, bool b_scalar,
                 const Tensor& out = {}) {
    detail::check_same_device("where", {&cond, &a, &b});
    EMBER_CHECK(cond.dtype() == DType::Bool || cond.dtype() == DType::UInt8,
                "where: expected condition to be a boolean tensor, but got a tensor with dtype ",
                cond.dtype());
    NoGradGuard no_grad;  // the casts below are part of the forward; where records itself
    Tensor c = cond.dtype() == DType::Bool ? cond : cond.to(DType::Bool);
    detail::DTypeGroups g;
    g.add(a.dtype(), a.dim(), a_scalar);
    g.add(b.dtype(), b.dim(), b_scalar);
    DType common = g.result();
    TensorIterator it;
    it.add_output(out);
    it.add_input(c);
    it.add_input(a.to(common), a_scalar);
    it.add_input(b.to(common), b_scalar);
    it.build({.op = "where", .allow_mixed_dtypes = true, .output_dtype = common});
    if (it.numel() > 0) detail::kernels(it.device()).where(it);
    it.finish();
    return it.take_output();
}

// WhereBackward0: the gradient goes to the branch each element was taken from; the condition
// (saved, so changing it in place is detected) gets none, and neither do number branches.
Tensor recorded_where(const Tensor& cond, const Tensor& a, const Tensor& b, Tensor out) {
    if (autograd::needs_grad(a, b))
        autograd::record("WhereBackward0", {a, b}, {out}, {cond}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor c = ctx.saved(0);
            return TensorList{ctx.needs(0) ? where(c, g, 0.0) : Tensor(),
                              ctx.needs(1) ? where(c, 0.0, g) : Tensor()};
        });
    return out;
}

}  // namespace

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    return recorded_where(cond, a, b, run_where(cond, a, b, false, false));
}
Tensor where(const Tensor& cond, const Tensor& a, const Scalar& b) {
    cond.check_defined("where");
    return recorded_where(cond, a, Tensor(),
                          run_where(cond, a, detail::wrapped_scalar(b, cond.device()), false, true));
}
Tensor where(const Tensor& cond, const Scalar& a, const Tensor& b) {
    cond.check_defined("where");
    return recorded_where(cond, Tensor(), b,
                          run_where(cond, detail::wrapped_scalar(a, cond.device()), b, true, false));
}
Tensor where(const Tensor& cond, const Scalar& a, const Scalar& b) {
    cond.check_defined("where");
    return run_where(cond, detail::wrapped_scalar(a, cond.device()),
                     detail::wrapped_scalar(b, cond.device()), true, true);
}

// ---- clamp -----------------------------------------------------------------------------------

namespace {

Tensor run_clamp(const Tensor& a, const Tensor& lo, const Tensor& hi, bool scalar_bounds,
                 const Tensor& out) {
    a.check_defined("clamp");
    EMBER_CHECK(lo.defined() || hi.defined(), "clamp: at least one of 'min' or 'max' must not be None");
    EMBER_CHECK(a.dtype() != DType::Bool, "clamp: not implemented for 'Bool'");
    detail::DTypeGroups g;
    g.add(a.dtype(), a.dim(), false);
    if (lo.defined()) g.add(lo.dtype(), lo.dim(), scalar_bounds);
    if (hi.defined()) g.add(hi.dtype(), hi.dim(), scalar_bounds);
    DType common = g.result();
    TensorIterator it;
    it.add_output(out);
    it.add_input(a);
    if (lo.defined()) it.add_input(lo, scalar_bounds);
    if (hi.defined()) it.add_input(hi, scalar_bounds);
    it.build({.op = "clamp", .compute_dtype = common});
    if (it.numel() > 0) detail::kernels(it.device()).clamp(it, lo.defined(), hi.defined());
    it.finish();
    if (out.defined()) out.storage()->bump_version();
    return it.take_output();
}

Tensor bound(const std::optional<Scalar>& s, const Tensor& like) {
    return s ? detail::wrapped_scalar(*s, like.device()) : Tensor();
}

}  // namespace

// Clamp's gradient flows where min <= x <= max (inclusive bounds: the subgradient 1 at the
// bounds), and to a tensor bound where it won (ClampBackward0, PyTorch's clamp_backward_min_max;
// with min > max the result is max, whose gradient it gets).
Tensor clamp(const Tensor& a, std::optional<Scalar> min, std::optional<Scalar> max) {
    a.check_defined("clamp");
    Tensor out = run_clamp(a, bound(min, a), bound(max, a), true, {});
    if (autograd::needs_grad(a))
        autograd::record("ClampBackward1", {a}, {out}, {a}, [min, max](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor x = ctx.saved(0);
            if (min && max) return TensorList{where(logical_and(x >= *min, x <= *max), g, 0.0)};
            if (min) return TensorList{where(x >= *min, g, 0.0)};
            if (max) return TensorList{where(x <= *max, g, 0.0)};
            return TensorList{g};
        });
    return out;
}
Tensor clamp(const Tensor& a, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
    Tensor lo = min.value_or(Tensor()), hi = max.value_or(Tensor());
    Tensor out = run_clamp(a, lo, hi, false, {});
    if (autograd::needs_grad(a, lo, hi))
        autograd::record("ClampBackward0", {a, lo, hi}, {out}, {a, lo, hi}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor x = ctx.saved(0), lo = ctx.saved(1), hi = ctx.saved(2);
            TensorList r(3);
            if (ctx.needs(0)) {
                if (lo.defined() && hi.defined()) r[0] = where(logical_and(x >= lo, x <= hi), g, 0.0);
                else if (lo.defined()) r[0] = where(x >= lo, g, 0.0);
                else r[0] = where(x <= hi, g, 0.0);
            }
            if (lo.defined() && hi.defined()) {
                if (ctx.needs(1)) r[1] = where(logical_and(x < lo, lo < hi), g, 0.0);
                if (ctx.needs(2)) r[2] = where(logical_or(x > hi, hi < lo), g, 0.0);
            } else if (lo.defined() && ctx.needs(1)) {
                r[1] = where(x < lo, g, 0.0);
            } else if (hi.defined() && ctx.needs(2)) {
                r[2] = where(x > hi, g, 0.0);
            }
            return r;
        });
    return out;
}
Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max) const {
    return ember::clamp(*this, min, max);
}
Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) {
    check_defined("clamp_");
    return autograd::inplace_op(
        *this, "clamp_", autograd::needs_grad(*this),
        // The formula reads self's old value: computed from a copy (see Tensor::pow_).
        [&] { return ember::clamp(clone(), min, max); },
        [&] { run_clamp(*this, bound(min, *this), bound(max, *this), true, *this); });
}

// ---- masked_fill -----------------------------------------------------------------------------

namespace {

void check_mask(const Tensor& a, const Tensor& mask) {
    detail::check_same_device("masked_fill", {&a, &mask});
    EMBER_CHECK(mask.dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask "
                "with dtype ", mask.dtype());
}

// In place, the mask broadcasts to self, never the other way.
void check_inplace_mask(const Tensor& self, const Tensor& mask) {
    self.check_defined("masked_fill_");
    check_mask(self, mask);
    EMBER_CHECK(mask.dim() <= self.dim() &&
                    broadcast_shapes(self.sizes(), mask.sizes(), "masked_fill_") ==
                        DimVector(self.sizes().begin(), self.sizes().end()),
                "masked_fill_: the mask of shape ", shape_str(mask.sizes()),
                " must be broadcastable to the tensor's shape ", shape_str(self.sizes()));
}

// Writes value where mask is set (checked by check_inplace_mask), recording nothing.
void fill_masked(Tensor& self, const Tensor& mask, const Scalar& value) {
    Tensor v = detail::scalar_to_tensor(value, self.dtype(), self.device());
    TensorIterator it;
    it.add_output(self);
    it.add_input(mask);
    it.add_input(v);
    it.add_input(self);
    it.build({.op = "masked_fill_", .allow_mixed_dtypes = true, .check_safe_cast = false,
              .check_mem_overlap = false});  // allowed (deprecated) on expanded tensors
    if (it.numel() > 0) detail::kernels(self.device()).where(it);
    self.storage()->bump_version();
}

// The forward of both masked_fill overloads: a broadcast copy of a, filled.
Tensor masked_fill_forward(const Tensor& a, const Tensor& mask, const Scalar& value) {
    a.check_defined("masked_fill");
    check_mask(a, mask);
    DimVector shape = broadcast_shapes(a.sizes(), mask.sizes(), "masked_fill");
    Tensor out;
    {
        NoGradGuard no_grad;
        out = a.expand(shape).clone();
    }
    fill_masked(out, mask, value);
    return out;
}

}  // namespace

Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& value) {
    check_inplace_mask(*this, mask);
    return autograd::inplace_op(
        *this, "masked_fill_", autograd::needs_grad(*this),
        [&] { return ember::masked_fill(*this, mask, value); },
        [&] { fill_masked(*this, mask, value); });
}

Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const {
    return ember::masked_fill(*this, mask, value);
}

// The filled elements get no gradient; a tensor value gets the sum of their gradients.
Tensor masked_fill(const Tensor& a, const Tensor& mask, const Scalar& value) {
    Tensor out = masked_fill_forward(a, mask, value);
    if (autograd::needs_grad(a))
        autograd::record("MaskedFillBackward0", {a}, {out}, {mask}, [](BackwardContext& ctx) {
            return TensorList{ctx.grad().masked_fill(ctx.saved(0), 0)};
        });
    return out;
}
Tensor masked_fill(const Tensor& a, const Tensor& mask, const Tensor& value) {
    value.check_defined("masked_fill");
    EMBER_CHECK(value.dim() == 0, "masked_fill only supports a 0-dimensional value tensor, but got "
                "tensor with ", value.dim(), " dimension(s)");
    Tensor out = masked_fill_forward(a, mask, value.item());
    if (autograd::needs_grad(a, value))
        autograd::record("MaskedFillBackward1", {a, value}, {out}, {mask}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor m = ctx.saved(0);
            return TensorList{ctx.needs(0) ? g.masked_fill(m, 0) : Tensor(),
                              ctx.needs(1) ? where(m, g, 0.0).sum() : Tensor()};
        });
    return out;
}

}  // namespace ember

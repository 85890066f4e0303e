// where, clamp and masked_fill: elementwise ops with a condition or bounds.
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using detail::IteratorConfig;
using detail::TensorIterator;

namespace {

Tensor run_where(const Tensor& cond, const Tensor& a, const Tensor& b, bool a_scalar, bool b_scalar,
                 const Tensor& out = {}) {
    detail::check_same_device("where", {&cond, &a, &b});
    EMBER_CHECK(cond.dtype() == DType::Bool || cond.dtype() == DType::UInt8,
                "where: expected condition to be a boolean tensor, but got a tensor with dtype ",
                cond.dtype());
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

}  // namespace

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    return run_where(cond, a, b, false, false);
}
Tensor where(const Tensor& cond, const Tensor& a, const Scalar& b) {
    cond.check_defined("where");
    return run_where(cond, a, detail::wrapped_scalar(b, cond.device()), false, true);
}
Tensor where(const Tensor& cond, const Scalar& a, const Tensor& b) {
    cond.check_defined("where");
    return run_where(cond, detail::wrapped_scalar(a, cond.device()), b, true, false);
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

Tensor clamp(const Tensor& a, std::optional<Scalar> min, std::optional<Scalar> max) {
    a.check_defined("clamp");
    return run_clamp(a, bound(min, a), bound(max, a), true, {});
}
Tensor clamp(const Tensor& a, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
    return run_clamp(a, min.value_or(Tensor()), max.value_or(Tensor()), false, {});
}
Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max) const {
    return ember::clamp(*this, min, max);
}
Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) {
    check_defined("clamp_");
    run_clamp(*this, bound(min, *this), bound(max, *this), true, *this);
    return *this;
}

// ---- masked_fill -----------------------------------------------------------------------------

static void check_mask(const Tensor& a, const Tensor& mask) {
    detail::check_same_device("masked_fill", {&a, &mask});
    EMBER_CHECK(mask.dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask "
                "with dtype ", mask.dtype());
}

Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& value) {
    check_defined("masked_fill_");
    check_mask(*this, mask);
    // In place: the mask broadcasts to self, never the other way.
    Tensor m = mask.dim() > dim() || !(broadcast_shapes(sizes(), mask.sizes(), "masked_fill_") ==
                                       DimVector(sizes().begin(), sizes().end()))
                   ? Tensor()
                   : mask;
    EMBER_CHECK(m.defined(), "masked_fill_: the mask of shape ", shape_str(mask.sizes()),
                " must be broadcastable to the tensor's shape ", shape_str(sizes()));
    Tensor v = detail::scalar_to_tensor(value, dtype(), device());
    TensorIterator it;
    it.add_output(*this);
    it.add_input(m);
    it.add_input(v);
    it.add_input(*this);
    it.build({.op = "masked_fill_", .allow_mixed_dtypes = true, .check_safe_cast = false,
              .check_mem_overlap = false});  // allowed (deprecated) on expanded tensors
    if (it.numel() > 0) detail::kernels(device()).where(it);
    storage()->bump_version();
    return *this;
}

Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const {
    check_defined("masked_fill");
    check_mask(*this, mask);
    DimVector shape = broadcast_shapes(sizes(), mask.sizes(), "masked_fill");
    Tensor out = expand(shape).clone();
    return out.masked_fill_(mask, value);
}

Tensor masked_fill(const Tensor& a, const Tensor& mask, const Scalar& value) {
    return a.masked_fill(mask, value);
}
Tensor masked_fill(const Tensor& a, const Tensor& mask, const Tensor& value) {
    value.check_defined("masked_fill");
    EMBER_CHECK(value.dim() == 0, "masked_fill only supports a 0-dimensional value tensor, but got "
                "tensor with ", value.dim(), " dimension(s)");
    return a.masked_fill(mask, value.item());
}

}  // namespace ember

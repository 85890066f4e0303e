// copy_, fill_, zero_, to(), contiguous(), clone(): moving values between layouts and dtypes, and
// their backward (CopyBackwards, FillBackward2/3, ZeroBackward0, CloneBackward0, ToCopyBackward0).
#include <cstring>

#include "autograd/function.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/sparse_ops.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using autograd::BackwardContext;
using detail::IteratorConfig;
using detail::TensorIterator;

namespace {

void bump(const Tensor& t) { t.storage()->bump_version(); }

// src expanded to self's shape; the error names copy_ and both shapes.
Tensor broadcast_to_self(const Tensor& self, const Tensor& src) {
    try {
        return src.expand(self.sizes());
    } catch (const Error& e) {
        EMBER_ERROR("copy_: src of shape ", shape_str(src.sizes()),
                    " cannot be broadcast to self's shape ", shape_str(self.sizes()), " (",
                    e.what(), ")");
    }
}

// src broadcast and converted into self, recording nothing.
void copy_values(const Tensor& self, const Tensor& src) {
    if (self.is_same(src)) return;
    if (self.numel() == 0) {
        (void)broadcast_to_self(self, src);  // still has to broadcast (throws if it does not)
        return;
    }
    // Same dtype, both dense in the same layout: one memcpy.
    if (self.dtype() == src.dtype() && self.is_contiguous() && src.is_contiguous() &&
        self.sizes() == src.sizes() && self.device().is_cpu() && src.device().is_cpu()) {
        std::memmove(self.data_ptr(), src.data_ptr(), static_cast<size_t>(self.nbytes()));
        bump(self);
        return;
    }
    EMBER_CHECK(self.device() == src.device(), "copy_: copying between ", src.device(), " and ",
                self.device(), " needs CUDA support (ember was built without CUDA)");
    Tensor from = src;
    if (!(src.sizes() == self.sizes())) {
        NoGradGuard no_grad;  // the broadcast is part of the copy, not a view in the graph
        from = broadcast_to_self(self, src);
    }
    TensorIterator it;
    it.add_output(self);
    it.add_input(from);
    it.build({.op = "copy_", .allow_mixed_dtypes = true, .check_safe_cast = false});
    detail::kernels(self.device()).copy(it);
    bump(self);
}

// A fresh copy of a with the given device and dtype, recording nothing.
Tensor copied(const Tensor& a, Device device, DType dtype) {
    Tensor out = empty_like(a, {.dtype = dtype, .device = device});
    copy_values(out, a);
    return out;
}

void fill_values(const Tensor& self, const Scalar& value) {
    if (self.numel() == 0) return;
    TensorIterator it;
    it.add_output(self);
    it.build({.op = "fill_", .allow_mixed_dtypes = true, .check_safe_cast = false,
              .check_mem_overlap = false});  // filling an expanded tensor is fine
    detail::kernels(self.device()).fill(it, value);
    bump(self);
}

}  // namespace

// copy_ puts self in the graph when src requires grad: self's old value gets no gradient, src
// gets the gradient summed over the broadcast dims and converted back (CopyBackwards).
Tensor& Tensor::copy_(const Tensor& src) {
    check_defined("copy_");
    src.check_defined("copy_");
    if (is_same(src)) return *this;
    return autograd::inplace_op(
        *this, "copy_", autograd::needs_grad(*this, src),
        [&] {
            Tensor out = empty_like(*this);
            copy_values(out, src);
            autograd::record("CopyBackwards", {*this, src}, {out}, {},
                             [dtype = src.dtype(), device = src.device()](BackwardContext& ctx) {
                                 const Tensor& g = ctx.grad();
                                 return TensorList{ctx.needs(0) ? zeros_like(g) : Tensor(),
                                                   ctx.needs(1) ? g.to(device, dtype) : Tensor()};
                             });
            return out;
        },
        [&] { copy_values(*this, src); });
}

// Filling a tensor of the graph cuts the gradient to its old value (FillBackward2, ZeroBackward0);
// a 0-dim tensor value gets the sum of the gradient (FillBackward3).
Tensor& Tensor::fill_(const Scalar& value) {
    check_defined("fill_");
    return autograd::inplace_op(
        *this, "fill_", autograd::needs_grad(*this),
        [&] {
            Tensor out = full_like(*this, value);
            autograd::record("FillBackward2", {*this}, {out}, {}, [](BackwardContext& ctx) {
                return TensorList{zeros_like(ctx.grad())};
            });
            return out;
        },
        [&] { fill_values(*this, value); });
}

Tensor& Tensor::fill_(const Tensor& value) {
    check_defined("fill_");
    value.check_defined("fill_");
    EMBER_CHECK(value.dim() == 0, "fill_ only supports 0-dimension value tensor but got tensor with ",
                value.dim(), " dimensions (shape ", shape_str(value.sizes()), ")");
    return autograd::inplace_op(
        *this, "fill_", autograd::needs_grad(*this, value),
        [&] {
            Tensor out = full_like(*this, value.item());
            autograd::record("FillBackward3", {*this, value}, {out}, {}, [](BackwardContext& ctx) {
                const Tensor& g = ctx.grad();
                return TensorList{ctx.needs(0) ? zeros_like(g) : Tensor(),
                                  ctx.needs(1) ? g.sum() : Tensor()};
            });
            return out;
        },
        [&] { fill_values(*this, value.item()); });
}

Tensor& Tensor::zero_() {
    check_defined("zero_");
    if (is_sparse()) [[unlikely]] {
        detail::sparse_zero_(*this);
        return *this;
    }
    return autograd::inplace_op(
        *this, "zero_", autograd::needs_grad(*this),
        [&] {
            Tensor out = zeros_like(*this);
            autograd::record("ZeroBackward0", {*this}, {out}, {}, [](BackwardContext& ctx) {
                return TensorList{zeros_like(ctx.grad())};
            });
            return out;
        },
        [&] { fill_values(*this, 0); });
}

namespace {

// A copy, dense row-major or in a's layout (as empty_like keeps it), recorded as CloneBackward0.
Tensor cloned(const Tensor& a, bool row_major) {
    Tensor out = row_major ? empty(a.sizes(), {.dtype = a.dtype(), .device = a.device()})
                           : empty_like(a);
    copy_values(out, a);
    if (autograd::needs_grad(a))
        autograd::record("CloneBackward0", {a}, {out}, {},
                         [](BackwardContext& ctx) { return TensorList{ctx.grad()}; });
    return out;
}

}  // namespace

// PyTorch's contiguous() of a non-contiguous tensor is a clone, hence CloneBackward0.
Tensor Tensor::contiguous() const {
    check_defined("contiguous");
    if (is_contiguous()) return *this;
    return cloned(*this, /*row_major=*/true);
}

Tensor Tensor::clone() const {
    check_defined("clone");
    if (is_sparse()) [[unlikely]]
        return detail::sparse_clone(*this);
    return cloned(*this, /*row_major=*/false);
}

Tensor Tensor::to(DType dtype, bool copy) const { return to(device(), dtype, copy); }
Tensor Tensor::to(Device device, bool copy) const { return to(device, dtype(), copy); }

// A conversion is differentiable between floating dtypes: the gradient is converted back
// (ToCopyBackward0). Integer and bool results are not part of the graph.
Tensor Tensor::to(Device dev, DType dt, bool copy) const {
    check_defined("to");
    if (dev == device() && dt == dtype() && !copy) return *this;
    if (is_sparse()) [[unlikely]]
        return detail::sparse_to(*this, dev, dt);
    Tensor out = copied(*this, dev, dt);
    if (autograd::needs_grad(*this))
        autograd::record("ToCopyBackward0", {*this}, {out}, {},
                         [dtype = dtype(), device = device()](BackwardContext& ctx) {
                             return TensorList{ctx.grad().to(device, dtype)};
                         });
    return out;
}

}  // namespace ember

// copy_, fill_, zero_, to(), contiguous(), clone(): moving values between layouts and dtypes.
#include <cstring>

#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using detail::IteratorConfig;
using detail::TensorIterator;

static void bump(const Tensor& t) { t.storage()->bump_version(); }

Tensor& Tensor::copy_(const Tensor& src) {
    check_defined("copy_");
    src.check_defined("copy_");
    if (is_same(src)) return *this;
    if (numel() == 0) {
        (void)src.expand(sizes());  // still has to broadcast (throws if it does not)
        return *this;
    }
    // Same dtype, both dense in the same layout: one memcpy.
    if (dtype() == src.dtype() && is_contiguous() && src.is_contiguous() &&
        sizes() == src.sizes() && device().is_cpu() && src.device().is_cpu()) {
        std::memmove(data_ptr(), src.data_ptr(), static_cast<size_t>(nbytes()));
        bump(*this);
        return *this;
    }
    EMBER_CHECK(device() == src.device(), "copy_: copying between ", src.device(), " and ",
                device(), " needs CUDA support (ember was built without CUDA)");
    TensorIterator it;
    it.add_output(*this);
    it.add_input(src);
    it.build({.op = "copy_", .allow_mixed_dtypes = true, .check_safe_cast = false});
    detail::kernels(device()).copy(it);
    bump(*this);
    return *this;
}

Tensor& Tensor::fill_(const Scalar& value) {
    check_defined("fill_");
    if (numel() == 0) return *this;
    TensorIterator it;
    it.add_output(*this);
    it.build({.op = "fill_", .allow_mixed_dtypes = true, .check_safe_cast = false,
              .check_mem_overlap = false});  // filling an expanded tensor is fine
    detail::kernels(device()).fill(it, value);
    bump(*this);
    return *this;
}

Tensor& Tensor::fill_(const Tensor& value) {
    check_defined("fill_");
    value.check_defined("fill_");
    EMBER_CHECK(value.dim() == 0, "fill_ only supports 0-dimension value tensor but got tensor with ",
                value.dim(), " dimensions (shape ", shape_str(value.sizes()), ")");
    return fill_(value.item());
}

Tensor& Tensor::zero_() { return fill_(0); }

Tensor Tensor::contiguous() const {
    check_defined("contiguous");
    if (is_contiguous()) return *this;
    Tensor out = empty(sizes(), {.dtype = dtype(), .device = device()});
    out.copy_(*this);
    return out;
}

Tensor Tensor::clone() const {
    check_defined("clone");
    Tensor out = empty_like(*this);
    out.copy_(*this);
    return out;
}

Tensor Tensor::to(DType dtype, bool copy) const { return to(device(), dtype, copy); }
Tensor Tensor::to(Device device, bool copy) const { return to(device, dtype(), copy); }

Tensor Tensor::to(Device dev, DType dt, bool copy) const {
    check_defined("to");
    if (dev == device() && dt == dtype() && !copy) return *this;
    Tensor out = empty_like(*this, {.dtype = dt, .device = dev});
    out.copy_(*this);
    return out;
}

}  // namespace ember

// Scans: cumsum and cumprod along a dim (Kernels::scan). Integer and bool inputs give int64
// unless a dtype is given; the input is converted to the result dtype first, as in PyTorch.
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
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
    Tensor src = a.to(dt);
    Tensor out = empty(a.sizes(), {.dtype = dt, .device = a.device()});
    detail::kernels(a.device()).scan(out, src, d, op);
    return out;
}

}  // namespace

Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
    return scan(a, dim, dtype, detail::ScanOp::CumSum, "cumsum");
}

Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
    return scan(a, dim, dtype, detail::ScanOp::CumProd, "cumprod");
}

Tensor Tensor::cumsum(int64_t dim, std::optional<DType> dtype) const {
    return ember::cumsum(*this, dim, dtype);
}
Tensor Tensor::cumprod(int64_t dim, std::optional<DType> dtype) const {
    return ember::cumprod(*this, dim, dtype);
}

}  // namespace ember

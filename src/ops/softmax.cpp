// softmax and log_softmax along a dim (Kernels::softmax). The input is converted to `dtype`
// first when one is given; the computation needs a floating dtype, so an integer input without
// a floating dtype is an error, as in PyTorch.
#include "autograd/function.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/dispatch.h"
#include "ops/util.h"

namespace ember {

namespace {

Tensor softmax_impl(const Tensor& a, int64_t dim, std::optional<DType> dtype, bool log) {
    const char* name = log ? "log_softmax" : "softmax";
    a.check_defined(name);
    const int64_t d = detail::wrap_dim(dim, a.dim(), name);
    const DType dt = dtype.value_or(a.dtype());
    EMBER_CHECK(is_floating_point(dt), name, "(): not implemented for '", dtype_short_name(dt),
                "' (input ", detail::describe(a), "); pass a floating dtype, e.g. dtype=float32");
    Tensor src;
    {
        NoGradGuard no_grad;  // the conversion is part of the forward
        src = a.to(dt);
    }
    Tensor out = empty(a.sizes(), {.dtype = dt, .device = a.device()});
    detail::kernels(a.device()).softmax(out, src, d, log);
    // From the saved output y: softmax: y * (g - sum(g * y)); log_softmax: g - exp(y) * sum(g).
    // With a dtype argument the gradient is computed in that dtype and cast back to the
    // input's by the engine.
    if (autograd::needs_grad(a))
        autograd::record(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", {a}, {out}, {out},
                         [d, log](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             const Tensor y = ctx.saved(0);
                             if (log) return TensorList{g - exp(y) * g.sum({d}, true)};
                             return TensorList{y * (g - (g * y).sum({d}, true))};
                         });
    return out;
}

}  // namespace

Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
    return softmax_impl(a, dim, dtype, false);
}

Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
    return softmax_impl(a, dim, dtype, true);
}

Tensor Tensor::softmax(int64_t dim, std::optional<DType> dtype) const {
    return ember::softmax(*this, dim, dtype);
}
Tensor Tensor::log_softmax(int64_t dim, std::optional<DType> dtype) const {
    return ember::log_softmax(*this, dim, dtype);
}

}  // namespace ember

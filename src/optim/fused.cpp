// The checks shared by the optimizers' fused updates.
#include "optim/fused.h"

#include "ops/sparse_ops.h"

namespace ember::optim::detail {

namespace {

// What both kinds of update need: a gradient shaped and typed as its parameter, a float32 or
// float64 parameter on the CPU.
void check_grad_matches(const char* optimizer, const Tensor& param, const Tensor& grad) {
    EMBER_CHECK(grad.sizes() == param.sizes() && grad.dtype() == param.dtype() &&
                    grad.device() == param.device(),
                optimizer, ": the gradient (", ember::detail::describe(grad),
                ") does not match its parameter (", ember::detail::describe(param), ")");
    EMBER_CHECK(param.dtype() == DType::Float32 || param.dtype() == DType::Float64, optimizer,
                ": only float32 and float64 parameters are supported, got ",
                ember::detail::describe(param));
    EMBER_CHECK(param.is_cpu(), optimizer, ": only CPU parameters are supported so far, got ",
                ember::detail::describe(param));
}

}  // namespace

void check_grad(const char* optimizer, const Tensor& param, const Tensor& grad) {
    EMBER_CHECK(!grad.is_sparse(), optimizer, " does not support sparse gradients",
                std::string(optimizer) == "Adam" ? ", please consider SparseAdam instead" : "");
    check_grad_matches(optimizer, param, grad);
}

void check_sparse_grad(const char* optimizer, const Tensor& param, const Tensor& grad) {
    EMBER_CHECK(grad.is_sparse(), optimizer, ": expected a sparse gradient, got ",
                ember::detail::describe(grad));
    check_grad_matches(optimizer, param, grad);
}

std::vector<int64_t> sparse_grad_rows(const Tensor& coalesced_grad) {
    return ember::detail::sparse_rows(coalesced_grad);
}

}  // namespace ember::optim::detail

// The checks shared by the optimizers' fused updates.
#include "optim/fused.h"

namespace ember::optim::detail {

void check_grad(const char* optimizer, const Tensor& param, const Tensor& grad) {
    EMBER_CHECK(!grad.is_sparse(), optimizer, " does not support sparse gradients",
                std::string(optimizer) == "Adam" ? ", please consider SparseAdam instead" : "");
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

}  // namespace ember::optim::detail

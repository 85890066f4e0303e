// Autograd entry points: backward over several outputs, gradients without touching grad()
// (torch.autograd.grad), and gradcheck. Tensor::backward, grad(), grad_fn(), register_hook and
// the grad-mode guards (ember/autograd/grad_mode.h) are the rest of the API.
#pragma once

#include <functional>
#include <optional>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/core/tensor.h"

namespace ember::autograd {

// torch.autograd.backward: accumulates into the leaves the gradients of all outputs (each with
// its grad_output, implicit 1 for one-element outputs when grad_outputs is empty).
void backward(const TensorList& outputs, const TensorList& grad_outputs = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false);

// torch.autograd.grad: the gradients of outputs with respect to inputs, returned rather than
// accumulated (grad() of the inputs is untouched). With create_graph the results are
// themselves differentiable (double backward). An input that no output depends on is an error
// unless allow_unused, which gives an undefined tensor for it.
TensorList grad(const TensorList& outputs, const TensorList& inputs,
                const TensorList& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false, bool allow_unused = false);

struct GradcheckOptions {
    double eps = 1e-6;   // finite-difference step
    double atol = 1e-5;
    double rtol = 1e-3;
    // Also check that the backward of the backward (create_graph) matches finite differences
    // of the first backward (torch.autograd.gradgradcheck).
    bool check_grad_grad = false;
    // Throw on a mismatch (with the failing entry) instead of returning false.
    bool raise_exception = true;
};

// torch.autograd.gradcheck: compares the analytical Jacobian of fn (through backward, one
// vector-Jacobian product per output element) against central finite differences, for every
// input that requires grad. Inputs should be float64. All outputs of fn are checked.
bool gradcheck(const std::function<TensorList(const TensorList&)>& fn, const TensorList& inputs,
               const GradcheckOptions& options = {});

}  // namespace ember::autograd

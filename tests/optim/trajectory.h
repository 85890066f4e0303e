// The optimizer-trajectory harness of tools/golden/optim_common.py on ember's side: a
// Linear(4, 3)-shaped model (w, b) with fixed initial values on fixed data, MSE loss; each step
// is zero_grad, forward, backward, step. Compares the parameters after every step with
// PyTorch's (rtol 1e-6 plus atol 1e-6 * max|p|, as the optimizer reference recommends).
#pragma once

#include <functional>
#include <memory>

#include "support/golden.h"

namespace ember::test {

struct OptimProblem {
    Tensor x, y, w, b;  // w and b: fresh leaves that require grad
    explicit OptimProblem(const json& problem);  // a fixture's "problem" entry
    Tensor loss() const;
};

// Runs `case_json["steps"].size()` steps of the optimizer made by `make` over the problem
// (the fixture's "problem" entry) and
// expects each step's parameters to match `case_json["steps"]`.
void expect_trajectory(const json& problem_json, const json& case_json,
                       const std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>& make);

// One step's parameters against PyTorch's, with the tolerance above.
::testing::AssertionResult params_close(const Tensor& actual, const Tensor& expected);

}  // namespace ember::test

// The optimizer-trajectory harness (see trajectory.h).
#include "optim/trajectory.h"

namespace ember::test {

OptimProblem::OptimProblem(const json& p) {
    x = tensor_from_json(p.at("x"));
    y = tensor_from_json(p.at("y"));
    w = tensor_from_json(p.at("w")).requires_grad_();
    b = tensor_from_json(p.at("b")).requires_grad_();
}

Tensor OptimProblem::loss() const { return (matmul(x, w.t()) + b - y).pow(2).mean(); }

::testing::AssertionResult params_close(const Tensor& actual, const Tensor& expected) {
    const double scale = expected.abs().max().item<double>();
    return tensors_close(actual, expected, 1e-6, 1e-6 * std::max(scale, 1.0));
}

void expect_trajectory(const json& problem_json, const json& case_json,
                       const std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>& make) {
    OptimProblem problem(problem_json);
    std::unique_ptr<optim::Optimizer> opt = make({problem.w, problem.b});
    const json& steps = case_json.at("steps");
    for (size_t i = 0; i < steps.size(); ++i) {
        opt->zero_grad();
        problem.loss().backward();
        opt->step();
        EXPECT_TRUE(params_close(problem.w, tensor_from_json(steps[i][0])))
            << case_json.at("name").get<std::string>() << ", w after step " << i + 1;
        EXPECT_TRUE(params_close(problem.b, tensor_from_json(steps[i][1])))
            << case_json.at("name").get<std::string>() << ", b after step " << i + 1;
    }
}

}  // namespace ember::test

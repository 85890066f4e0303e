// Helpers for the optimizer fixtures that store steps compactly (tools/golden/optim_adagrad.py:
// a step is [w values, b values], the shapes and dtype being the problem's), state checks
// against PyTorch's, and a generic state_dict round trip.
#pragma once

#include <functional>
#include <memory>

#include "optim/trajectory.h"

namespace ember::test {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>;

// A compact case as expect_trajectory() reads it: each step's values become tensor objects
// shaped and typed as the problem's w and b.
inline json expand_case(const json& problem, const json& compact) {
    json steps = json::array();
    for (const json& step : compact.at("steps")) {
        json expanded = json::array();
        for (const char* name : {"w", "b"}) {
            const json& like = problem.at(name);
            expanded.push_back({{"dtype", like.at("dtype")},
                                {"shape", like.at("shape")},
                                {"data", step.at(expanded.size())}});
        }
        steps.push_back(std::move(expanded));
    }
    return {{"name", compact.at("name")}, {"steps", std::move(steps)}};
}

inline void expect_compact_trajectory(const json& problem, const json& compact,
                                      const MakeOptimizer& make) {
    expect_trajectory(problem, expand_case(problem, compact), make);
}

// The state of b after PyTorch's steps (fixture "final_state": [name, values or number]
// in PyTorch's key order; "step" is ParamState::step).
inline void expect_state_matches(const optim::ParamState& state, const json& expected,
                                 const Tensor& param) {
    std::vector<std::string> names;
    for (const json& entry : expected) {
        const std::string name = entry.at(0).get<std::string>();
        if (name == "step") {
            ASSERT_TRUE(state.step.has_value());
            EXPECT_EQ(*state.step, entry.at(1).get<int64_t>());
            continue;
        }
        names.push_back(name);
        ASSERT_TRUE(state.tensors.contains(name)) << name;
        const Tensor want = tensor_from_json({{"dtype", "float32"},
                                              {"shape", param.sizes().vec()},
                                              {"data", entry.at(1)}});
        // Relative to the state's own scale (params_close's floor of 1e-6 would hide errors
        // in small accumulators such as Adadelta's acc_delta).
        const double scale = want.abs().max().item<double>();
        EXPECT_TRUE(tensors_close(state.tensors.at(name), want, 1e-6, 1e-6 * scale)) << name;
    }
    EXPECT_EQ(state.tensors.keys(), names);
}

// Runs `steps` steps (zero_grad, loss, backward, step) of an optimizer over a problem.
inline void run_steps(optim::Optimizer& opt, const OptimProblem& problem, int steps) {
    for (int i = 0; i < steps; ++i) {
        opt.zero_grad();
        problem.loss().backward();
        opt.step();
    }
}

// 10 steps straight, or 5 steps, the state dict (through `transport`) into a fresh optimizer
// made by `make_other` (other options: the state dict's must win), then 5 more: the same
// parameters, bit for bit.
inline void expect_resume_identical(const json& problem_json, const MakeOptimizer& make,
                                    const MakeOptimizer& make_other,
                                    const std::function<void(optim::StateDict&)>& transport) {
    OptimProblem straight(problem_json), resumed(problem_json);
    run_steps(*make({straight.w, straight.b}), straight, 10);
    optim::StateDict sd;
    {
        std::unique_ptr<optim::Optimizer> first = make({resumed.w, resumed.b});
        run_steps(*first, resumed, 5);
        sd = first->state_dict();
    }
    transport(sd);
    std::unique_ptr<optim::Optimizer> second = make_other({resumed.w, resumed.b});
    second->load_state_dict(sd);
    run_steps(*second, resumed, 5);
    EXPECT_TENSOR_EQ(resumed.w.detach(), straight.w.detach());
    EXPECT_TENSOR_EQ(resumed.b.detach(), straight.b.detach());
}

}  // namespace ember::test

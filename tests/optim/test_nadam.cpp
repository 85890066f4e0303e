// optim::NAdam against PyTorch (tools/golden/optim_adam.py): trajectories for every option,
// float64, parameter groups, the state kept (mu_product a 0-dim float32 tensor, as PyTorch's),
// state dict round trips, errors.
#include "optim/adam_family_cases.h"

namespace ember::test {
namespace {

optim::NAdamOptions nadam_options(const json& kw) {
    optim::NAdamOptions o = read_family_options<optim::NAdamOptions>(kw);
    o.momentum_decay = kw.value("momentum_decay", o.momentum_decay);
    return o;
}

TEST(NAdam, TrajectoriesMatchPyTorch) {
    expect_family_trajectories<optim::NAdam, optim::NAdamOptions, optim::NAdamGroup>(
        "NAdam", nadam_options);
}

TEST(NAdam, StateMatchesPyTorch) {
    const json& fx = adam_fixture();
    const json& entry = fx.at("NAdam");
    OptimProblem problem(fx.at("problem"));
    optim::NAdam opt({problem.w, problem.b}, nadam_options(entry.at("cases").back().at("kwargs")));
    run_steps(opt, problem, 10);
    const optim::ParamState& st = opt.state(problem.b);
    // PyTorch's keys: step, mu_product, exp_avg, exp_avg_sq.
    const json& expected = entry.at("final_state");
    ASSERT_EQ(expected.size(), 4u);
    EXPECT_EQ(expected[0][0], "step");
    EXPECT_EQ(*st.step, expected[0][1].get<int64_t>());
    std::vector<std::string> names;
    for (size_t i = 1; i < expected.size(); ++i) names.push_back(expected[i][0]);
    ASSERT_EQ(st.tensors.keys(), names);
    const Tensor mu_product = st.tensors.at("mu_product");
    EXPECT_EQ(mu_product.dim(), 0);
    EXPECT_EQ(mu_product.dtype(), DType::Float32);
    EXPECT_NEAR(mu_product.item<double>(), expected[1][1].get<double>(),
                1e-6 * expected[1][1].get<double>());
    for (size_t i = 2; i < expected.size(); ++i) {
        const Tensor want = tensor_from_json(
            {{"dtype", "float32"}, {"shape", {3}}, {"data", expected[i][1]}});
        EXPECT_TRUE(params_close(st.tensors.at(names[i - 1]), want)) << names[i - 1];
    }
}

TEST(NAdam, DefaultsAndOptionOrder) {
    Tensor p = ones({2}).requires_grad_();
    optim::NAdam opt({p});
    const optim::Options& o = opt.param_groups()[0].options;
    std::vector<std::string> names;
    for (const auto& [name, value] : o) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "betas", "eps", "weight_decay",
                                               "momentum_decay"}));
    EXPECT_EQ(o.number("lr"), 2e-3);
    EXPECT_EQ(o.number("momentum_decay"), 4e-3);
}

TEST(NAdam, MuProductIsFloat32UntilLoadedLikePyTorch) {
    // torch.tensor(1.) is float32 whatever the parameter's dtype; load_state_dict casts every
    // state tensor but step to the parameter's dtype, mu_product included.
    Tensor p = ones({2}, {.dtype = DType::Float64}).requires_grad_();
    optim::NAdam opt({p});
    p.mutable_grad() = ones({2}, {.dtype = DType::Float64});
    opt.step();
    EXPECT_EQ(opt.state(p).tensors.at("mu_product").dtype(), DType::Float32);
    const optim::StateDict sd = opt.state_dict();
    EXPECT_EQ(sd.state.keys(), (std::vector<std::string>{"0.step", "0.mu_product", "0.exp_avg",
                                                         "0.exp_avg_sq"}));
    optim::NAdam loaded({p});
    loaded.load_state_dict(sd);
    EXPECT_EQ(loaded.state(p).tensors.at("mu_product").dtype(), DType::Float64);
    EXPECT_EQ(loaded.state(p).tensors.at("mu_product").item<double>(),
              sd.state.at("0.mu_product").item<double>());
    loaded.step();
    EXPECT_EQ(loaded.state(p).step, 2);
}

TEST(NAdam, StateDictResumesIdentically) {
    expect_family_resumes<optim::NAdam>(
        "NAdam", optim::NAdamOptions{.lr = 0.05, .weight_decay = 0.1, .momentum_decay = 0.1});
}

TEST(NAdam, NonContiguousParameter) {
    expect_non_contiguous_like_contiguous<optim::NAdam>(
        optim::NAdamOptions{.lr = 0.1, .weight_decay = 0.1});
}

TEST(NAdam, SameResultOnAnyThreadCount) {
    expect_thread_count_independent<optim::NAdam>(
        optim::NAdamOptions{.lr = 0.1, .weight_decay = 0.1});
}

TEST(NAdam, EdgeCases) { expect_family_edge_cases<optim::NAdam>("NAdam", optim::NAdamOptions{}); }

TEST(NAdam, InvalidOptions) {
    expect_family_option_errors<optim::NAdam, optim::NAdamOptions>("NAdam");
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::NAdam({p}, {.momentum_decay = -1}),
                       "NAdam: Invalid momentum_decay value: -1");
}

}  // namespace
}  // namespace ember::test

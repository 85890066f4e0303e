// optim::RAdam against PyTorch (tools/golden/optim_adam.py): trajectories through its plain and
// rectified steps, float64, parameter groups, the state kept, state dict round trips, errors.
#include "optim/adam_family_cases.h"

namespace ember::test {
namespace {

optim::RAdamOptions radam_options(const json& kw) {
    return read_family_options<optim::RAdamOptions>(kw);
}

TEST(RAdam, TrajectoriesMatchPyTorch) {
    expect_family_trajectories<optim::RAdam, optim::RAdamOptions, optim::RAdamGroup>(
        "RAdam", radam_options);
}

TEST(RAdam, StateMatchesPyTorch) {
    expect_family_final_state<optim::RAdam>("RAdam", radam_options);
}

TEST(RAdam, DefaultsAndStateKeys) {
    Tensor p = ones({2}).requires_grad_();
    optim::RAdam opt({p});
    const optim::Options& o = opt.param_groups()[0].options;
    std::vector<std::string> names;
    for (const auto& [name, value] : o) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "betas", "eps", "weight_decay"}));
    EXPECT_EQ(o.number("lr"), 1e-3);
    EXPECT_EMBER_ERROR(o.flag("maximize"), "no option \"maximize\"");  // none in PyTorch 1.13
    p.mutable_grad() = ones({2});
    opt.step();
    EXPECT_EQ(opt.state(p).step, 1);
    EXPECT_EQ(opt.state(p).tensors.keys(), (std::vector<std::string>{"exp_avg", "exp_avg_sq"}));
}

TEST(RAdam, StateDictResumesIdentically) {
    // 5 plain steps, then rectified ones after the reload.
    expect_family_resumes<optim::RAdam>(
        "RAdam", optim::RAdamOptions{.lr = 0.05, .betas = {0.9, 0.9}, .weight_decay = 0.1});
}

TEST(RAdam, NonContiguousParameter) {
    // 3 plain steps; the rectified ones are covered by the trajectories and the thread test.
    expect_non_contiguous_like_contiguous<optim::RAdam>(optim::RAdamOptions{.lr = 0.1});
}

TEST(RAdam, SameResultOnAnyThreadCount) {
    // 7 steps: with beta2 0.9 the rectified branch starts at step 6.
    expect_thread_count_independent<optim::RAdam>(
        optim::RAdamOptions{.lr = 0.1, .betas = {0.9, 0.9}, .weight_decay = 0.1}, 7);
}

TEST(RAdam, EdgeCases) { expect_family_edge_cases<optim::RAdam>("RAdam", optim::RAdamOptions{}); }

TEST(RAdam, InvalidOptions) {
    expect_family_option_errors<optim::RAdam, optim::RAdamOptions>("RAdam");
}

}  // namespace
}  // namespace ember::test

// optim::Adamax against PyTorch (tools/golden/optim_adam.py): trajectories for every option,
// float64, parameter groups, the state kept, state dict round trips, errors.
#include "optim/adam_family_cases.h"

namespace ember::test {
namespace {

optim::AdamaxOptions adamax_options(const json& kw) {
    optim::AdamaxOptions o = read_family_options<optim::AdamaxOptions>(kw);
    o.maximize = kw.value("maximize", false);
    return o;
}

TEST(Adamax, TrajectoriesMatchPyTorch) {
    expect_family_trajectories<optim::Adamax, optim::AdamaxOptions, optim::AdamaxGroup>(
        "Adamax", adamax_options);
}

TEST(Adamax, StateMatchesPyTorch) {
    expect_family_final_state<optim::Adamax>("Adamax", adamax_options);
}

TEST(Adamax, DefaultsAndStateKeys) {
    Tensor p = ones({2}).requires_grad_();
    optim::Adamax opt({p});
    const optim::Options& o = opt.param_groups()[0].options;
    std::vector<std::string> names;
    for (const auto& [name, value] : o) names.push_back(name);
    EXPECT_EQ(names,
              (std::vector<std::string>{"lr", "betas", "eps", "weight_decay", "maximize"}));
    EXPECT_EQ(o.number("lr"), 2e-3);
    EXPECT_EQ(o.pair("betas"), std::pair(0.9, 0.999));
    p.mutable_grad() = ones({2});
    opt.step();
    EXPECT_EQ(opt.state(p).step, 1);
    EXPECT_EQ(opt.state(p).tensors.keys(), (std::vector<std::string>{"exp_avg", "exp_inf"}));
}

TEST(Adamax, NanGradientPropagatesToTheNorm) {
    // torch.amax keeps a NaN; a plain max would drop it and hide the bad gradient.
    Tensor p = ones({2}).requires_grad_();
    optim::Adamax opt({p});
    p.mutable_grad() = tensor({std::nanf(""), 1.0f});
    opt.step();
    const Tensor u = opt.state(p).tensors.at("exp_inf");
    EXPECT_TRUE(std::isnan(u[0].item<float>()));
    EXPECT_FALSE(std::isnan(u[1].item<float>()));
}

TEST(Adamax, StateDictResumesIdentically) {
    expect_family_resumes<optim::Adamax>(
        "Adamax", optim::AdamaxOptions{.lr = 0.05, .weight_decay = 0.1, .maximize = true});
}

TEST(Adamax, NonContiguousParameter) {
    expect_non_contiguous_like_contiguous<optim::Adamax>(
        optim::AdamaxOptions{.lr = 0.1, .weight_decay = 0.1});
}

TEST(Adamax, SameResultOnAnyThreadCount) {
    expect_thread_count_independent<optim::Adamax>(
        optim::AdamaxOptions{.lr = 0.1, .weight_decay = 0.1, .maximize = true});
}

TEST(Adamax, EdgeCases) {
    expect_family_edge_cases<optim::Adamax>("Adamax", optim::AdamaxOptions{});
}

TEST(Adamax, InvalidOptions) {
    expect_family_option_errors<optim::Adamax, optim::AdamaxOptions>("Adamax");
}

}  // namespace
}  // namespace ember::test

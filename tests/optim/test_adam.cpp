// optim::Adam and optim::AdamW against PyTorch (tools/golden/optim_adam.py): trajectories for
// every option, float64, parameter groups, the state kept, state dict round trips, errors.
#include "optim/adam_family_cases.h"

namespace ember::test {
namespace {

template <class O>
O adam_options(const json& kw) {
    O o = read_family_options<O>(kw);
    o.amsgrad = kw.value("amsgrad", false);
    o.maximize = kw.value("maximize", false);
    return o;
}

TEST(Adam, TrajectoriesMatchPyTorch) {
    expect_family_trajectories<optim::Adam, optim::AdamOptions, optim::AdamGroup>(
        "Adam", adam_options<optim::AdamOptions>);
}

TEST(Adam, StateMatchesPyTorch) {
    expect_family_final_state<optim::Adam>("Adam", adam_options<optim::AdamOptions>);
}

TEST(Adam, DefaultsAndOptionOrder) {
    Tensor p = ones({2}).requires_grad_();
    optim::Adam opt({p});
    const optim::Options& o = opt.param_groups()[0].options;
    std::vector<std::string> names;
    for (const auto& [name, value] : o) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "betas", "eps", "weight_decay", "amsgrad",
                                               "maximize"}));
    EXPECT_EQ(o.number("lr"), 1e-3);
    EXPECT_EQ(o.pair("betas"), std::pair(0.9, 0.999));
    EXPECT_EQ(o.number("eps"), 1e-8);
    EXPECT_EQ(o.number("weight_decay"), 0.0);
    EXPECT_FALSE(o.flag("amsgrad"));
    EXPECT_FALSE(o.flag("maximize"));
    EXPECT_EQ(optim::AdamW({p}).param_groups()[0].options.number("weight_decay"), 1e-2);
}

TEST(Adam, StateKeysAfterAStep) {
    Tensor p = ones({3}).requires_grad_();
    optim::Adam plain({p});
    p.mutable_grad() = full({3}, 0.5);
    plain.step();
    EXPECT_EQ(plain.state(p).step, 1);
    EXPECT_EQ(plain.state(p).tensors.keys(), (std::vector<std::string>{"exp_avg", "exp_avg_sq"}));
    EXPECT_EQ(plain.state_dict().state.keys(),
              (std::vector<std::string>{"0.step", "0.exp_avg", "0.exp_avg_sq"}));

    optim::AdamW amsgrad({p}, {.amsgrad = true});
    amsgrad.step();
    amsgrad.step();
    EXPECT_EQ(amsgrad.state(p).step, 2);
    EXPECT_EQ(amsgrad.state(p).tensors.keys(),
              (std::vector<std::string>{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}));
}

TEST(Adam, AmsgradTurnedOnLaterStartsItsMaximumThen) {
    // PyTorch would fail (its state lacks max_exp_avg_sq); ember creates it at zero, which is
    // AMSGrad started at that step.
    Tensor p = ones({2}).requires_grad_();
    optim::Adam opt({p});
    p.mutable_grad() = ones({2});
    opt.step();
    opt.param_groups()[0].options.set("amsgrad", true);
    opt.step();
    EXPECT_TENSOR_EQ(opt.state(p).tensors.at("max_exp_avg_sq"),
                     opt.state(p).tensors.at("exp_avg_sq"));
}

TEST(Adam, StateDictResumesIdentically) {
    expect_family_resumes<optim::Adam>(
        "Adam", optim::AdamOptions{.lr = 0.05, .weight_decay = 0.1, .amsgrad = true});
}

TEST(Adam, NonContiguousParameter) {
    expect_non_contiguous_like_contiguous<optim::Adam>(
        optim::AdamOptions{.lr = 0.1, .weight_decay = 0.1, .amsgrad = true});
}

TEST(Adam, SameResultOnAnyThreadCount) {
    expect_thread_count_independent<optim::Adam>(optim::AdamOptions{.lr = 0.1});
    expect_thread_count_independent<optim::Adam>(
        optim::AdamOptions{.lr = 0.1, .weight_decay = 0.1, .amsgrad = true, .maximize = true});
}

TEST(Adam, EdgeCases) { expect_family_edge_cases<optim::Adam>("Adam", optim::AdamOptions{}); }

TEST(Adam, InvalidOptions) {
    expect_family_option_errors<optim::Adam, optim::AdamOptions>("Adam");
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::Adam(std::vector<optim::AdamGroup>{{.params = {p}, .eps = -0.5}}),
                       "Adam: Invalid epsilon value: -0.5");
    EXPECT_EMBER_ERROR(optim::Adam(std::vector<optim::AdamGroup>{}),
                       "optimizer got an empty parameter list");
}

TEST(AdamW, TrajectoriesMatchPyTorch) {
    expect_family_trajectories<optim::AdamW, optim::AdamWOptions, optim::AdamWGroup>(
        "AdamW", adam_options<optim::AdamWOptions>);
}

TEST(AdamW, StateMatchesPyTorch) {
    expect_family_final_state<optim::AdamW>("AdamW", adam_options<optim::AdamWOptions>);
}

TEST(AdamW, DecayFollowsTheGroupsCurrentLr) {
    // p * (1 - lr * wd) with the lr a scheduler set: a zero gradient leaves only the decay.
    Tensor p = full({2}, 2.0).requires_grad_();
    optim::AdamW opt({p}, {.lr = 0.1, .weight_decay = 0.5});
    opt.param_groups()[0].set_lr(0.2);
    p.mutable_grad() = zeros({2});
    opt.step();
    EXPECT_TENSOR_EQ(p.detach(), full({2}, 2.0f * float(1 - 0.2 * 0.5)));
}

TEST(AdamW, StateDictResumesIdentically) {
    expect_family_resumes<optim::AdamW>(
        "AdamW", optim::AdamWOptions{.lr = 0.05, .amsgrad = true, .maximize = true});
}

TEST(AdamW, NonContiguousParameter) {
    expect_non_contiguous_like_contiguous<optim::AdamW>(optim::AdamWOptions{.lr = 0.1});
}

TEST(AdamW, SameResultOnAnyThreadCount) {
    expect_thread_count_independent<optim::AdamW>(
        optim::AdamWOptions{.lr = 0.1, .weight_decay = 0.1, .amsgrad = true});
}

TEST(AdamW, EdgeCases) { expect_family_edge_cases<optim::AdamW>("AdamW", optim::AdamWOptions{}); }

TEST(AdamW, InvalidOptions) {
    expect_family_option_errors<optim::AdamW, optim::AdamWOptions>("AdamW");
}

}  // namespace
}  // namespace ember::test

// optim::RMSprop against PyTorch trajectories (tools/golden/optim_adagrad.py): every option,
// float64, parameter groups, its state, state dict round trips and its options' errors.
#include "optim/compact_trajectory.h"

namespace ember::test {
namespace {

optim::RMSpropOptions rmsprop_options(const json& kw) {
    optim::RMSpropOptions o;
    o.lr = kw.value("lr", o.lr);
    o.alpha = kw.value("alpha", o.alpha);
    o.eps = kw.value("eps", o.eps);
    o.weight_decay = kw.value("weight_decay", o.weight_decay);
    o.momentum = kw.value("momentum", o.momentum);
    o.centered = kw.value("centered", o.centered);
    o.maximize = kw.value("maximize", o.maximize);
    return o;
}

optim::RMSpropGroup rmsprop_group(std::vector<Tensor> params, const json& kw) {
    optim::RMSpropGroup g{.params = std::move(params)};
    if (kw.contains("lr")) g.lr = kw["lr"].get<double>();
    if (kw.contains("alpha")) g.alpha = kw["alpha"].get<double>();
    if (kw.contains("eps")) g.eps = kw["eps"].get<double>();
    if (kw.contains("weight_decay")) g.weight_decay = kw["weight_decay"].get<double>();
    if (kw.contains("momentum")) g.momentum = kw["momentum"].get<double>();
    if (kw.contains("centered")) g.centered = kw["centered"].get<bool>();
    if (kw.contains("maximize")) g.maximize = kw["maximize"].get<bool>();
    return g;
}

TEST(RMSprop, DefaultsInPyTorchsOrder) {
    optim::RMSprop opt({ones({2}).requires_grad_()});
    std::vector<std::string> names;
    for (const auto& [name, value] : opt.defaults()) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "momentum", "alpha", "eps", "centered",
                                               "weight_decay", "maximize"}));
    EXPECT_EQ(opt.defaults().number("lr"), 1e-2);
    EXPECT_EQ(opt.defaults().number("alpha"), 0.99);
    EXPECT_EQ(opt.defaults().number("eps"), 1e-8);
}

TEST(RMSprop, TrajectoriesMatchPyTorch) {
    const json fx = load_golden("optim_adagrad");
    for (const json& c : fx.at("rmsprop").at("cases"))
        expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::RMSprop>(std::move(p), rmsprop_options(c.at("kwargs")));
        });
}

TEST(RMSprop, Float64Trajectory) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("rmsprop").at("float64");
    expect_compact_trajectory(fx.at("problem_float64"), c, [&](std::vector<Tensor> p) {
        return std::make_unique<optim::RMSprop>(std::move(p), rmsprop_options(c.at("kwargs")));
    });
}

TEST(RMSprop, ParamGroupsWithTheirOwnOptions) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("rmsprop").at("groups");
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::RMSprop>(
            std::vector<optim::RMSpropGroup>{rmsprop_group({p[0]}, json::object()),
                                             rmsprop_group({p[1]}, c.at("group1"))},
            rmsprop_options(c.at("defaults")));
        EXPECT_TRUE(opt->param_groups()[1].options.flag("centered"));
        EXPECT_FALSE(opt->param_groups()[0].options.flag("centered"));
        return opt;
    });
    // The same groups, the second added later.
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::RMSprop>(std::vector<Tensor>{p[0]},
                                                    rmsprop_options(c.at("defaults")));
        opt->add_param_group(rmsprop_group({p[1]}, c.at("group1")));
        return opt;
    });
}

TEST(RMSprop, StateAfterStepsMatchesPyTorch) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("rmsprop").at("cases").back();
    ASSERT_EQ(c.at("name"), "all");
    OptimProblem problem(fx.at("problem"));
    optim::RMSprop opt({problem.w, problem.b}, rmsprop_options(c.at("kwargs")));
    run_steps(opt, problem, 10);
    expect_state_matches(opt.state(problem.b), fx.at("rmsprop").at("final_state"), problem.b);
}

TEST(RMSprop, StateHoldsOnlyTheBuffersItsOptionsUse) {
    Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
    optim::RMSprop opt({a, b});
    a.mutable_grad() = ones({2});
    opt.step();
    EXPECT_EQ(opt.state(a).step, 1);
    EXPECT_EQ(opt.state(a).tensors.keys(), (std::vector<std::string>{"square_avg"}));
    EXPECT_TRUE(opt.state(b).empty());  // no gradient: no state
    EXPECT_EQ(opt.state_dict().state.keys(), (std::vector<std::string>{"0.step", "0.square_avg"}));
    // Momentum switched on later starts its buffer at zero then.
    opt.param_groups()[0].options.set("momentum", 0.9);
    opt.step();
    EXPECT_EQ(opt.state(a).tensors.keys(),
              (std::vector<std::string>{"square_avg", "momentum_buffer"}));
    EXPECT_EQ(opt.state(a).step, 2);
}

TEST(RMSprop, StateDictResumesIdentically) {
    const json fx = load_golden("optim_adagrad");
    const optim::RMSpropOptions o{.lr = 0.01, .alpha = 0.95, .eps = 1e-4, .weight_decay = 0.05,
                                  .momentum = 0.5, .centered = true, .maximize = true};
    expect_resume_identical(
        fx.at("problem"),
        [&](std::vector<Tensor> p) { return std::make_unique<optim::RMSprop>(std::move(p), o); },
        [](std::vector<Tensor> p) { return std::make_unique<optim::RMSprop>(std::move(p)); },
        [](optim::StateDict& sd) {
            EXPECT_EQ(sd.state.keys(),
                      (std::vector<std::string>{"0.step", "0.square_avg", "0.momentum_buffer",
                                                "0.grad_avg", "1.step", "1.square_avg",
                                                "1.momentum_buffer", "1.grad_avg"}));
            EXPECT_EQ(sd.state.at("1.step").item<double>(), 5.0);
        });
}

TEST(RMSprop, NonContiguousParameterAndEmptyParameter) {
    // Non-contiguous parameter, gradient and state: the same steps as contiguous ones.
    Tensor base = arange(6, {.dtype = DType::Float32}).reshape({2, 3});
    Tensor p = base.t().detach().requires_grad_();
    Tensor q = base.t().contiguous().requires_grad_();
    Tensor empty_param = ones({0}).requires_grad_();
    ASSERT_FALSE(p.is_contiguous());
    optim::RMSprop strided({p, empty_param}, {.lr = 0.1, .momentum = 0.9, .centered = true});
    optim::RMSprop dense({q}, {.lr = 0.1, .momentum = 0.9, .centered = true});
    for (int i = 0; i < 3; ++i) {
        Tensor g = (arange(6, {.dtype = DType::Float32}).reshape({2, 3}) - 2.5 + i).t();
        p.mutable_grad() = g;
        q.mutable_grad() = g.contiguous();
        empty_param.mutable_grad() = zeros({0});
        strided.step();
        dense.step();
    }
    EXPECT_TENSOR_CLOSE(p.detach(), q.detach());
    EXPECT_TENSOR_CLOSE(base.t(), q.detach());
    EXPECT_EQ(strided.state(empty_param).step, 3);
}

TEST(RMSprop, MismatchedGradientIsAnError) {
    Tensor a = ones({2}).requires_grad_();
    optim::RMSprop opt({a});
    a.mutable_grad() = ones({2}, {.dtype = DType::Float64});
    EXPECT_EMBER_ERROR(opt.step(), "RMSprop", "does not match its parameter");
    EXPECT_TRUE(opt.state(a).empty());  // no state from the failed step
}

TEST(RMSprop, SparseGradientIsAnError) {
    nn::Embedding emb(4, 2, {.sparse = true});
    emb(tensor(std::vector<int64_t>{1, 3})).sum().backward();
    ASSERT_TRUE(emb.weight.grad().is_sparse());
    optim::RMSprop opt(emb.parameters());
    EXPECT_EMBER_ERROR(opt.step(), "RMSprop does not support sparse gradients");
    EXPECT_TRUE(opt.state(emb.weight).empty());
}

TEST(RMSprop, InvalidOptions) {
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::RMSprop({p}, {.lr = -1}), "RMSprop", "Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(optim::RMSprop({p}, {.eps = -1}), "Invalid epsilon value: -1");
    EXPECT_EMBER_ERROR(optim::RMSprop({p}, {.momentum = -1}), "Invalid momentum value: -1");
    EXPECT_EMBER_ERROR(optim::RMSprop({p}, {.weight_decay = -1}), "Invalid weight_decay value: -1");
    EXPECT_EMBER_ERROR(optim::RMSprop({p}, {.alpha = -1}), "Invalid alpha value: -1");
    EXPECT_EMBER_ERROR(
        optim::RMSprop(std::vector<optim::RMSpropGroup>{{.params = {p}, .alpha = -0.5}}),
        "RMSprop", "Invalid alpha value: -0.5");
}

}  // namespace
}  // namespace ember::test

// optim::Rprop against PyTorch trajectories (tools/golden/optim_adagrad.py): every option,
// float64, parameter groups, its state, state dict round trips and its options' errors.
#include "optim/compact_trajectory.h"

namespace ember::test {
namespace {

std::pair<double, double> pair_of(const json& j) {
    return {j.at(0).get<double>(), j.at(1).get<double>()};
}

optim::RpropOptions rprop_options(const json& kw) {
    optim::RpropOptions o;
    o.lr = kw.value("lr", o.lr);
    if (kw.contains("etas")) o.etas = pair_of(kw["etas"]);
    if (kw.contains("step_sizes")) o.step_sizes = pair_of(kw["step_sizes"]);
    o.maximize = kw.value("maximize", o.maximize);
    return o;
}

optim::RpropGroup rprop_group(std::vector<Tensor> params, const json& kw) {
    optim::RpropGroup g{.params = std::move(params)};
    if (kw.contains("lr")) g.lr = kw["lr"].get<double>();
    if (kw.contains("etas")) g.etas = pair_of(kw["etas"]);
    if (kw.contains("step_sizes")) g.step_sizes = pair_of(kw["step_sizes"]);
    if (kw.contains("maximize")) g.maximize = kw["maximize"].get<bool>();
    return g;
}

TEST(Rprop, DefaultsInPyTorchsOrder) {
    optim::Rprop opt({ones({2}).requires_grad_()});
    std::vector<std::string> names;
    for (const auto& [name, value] : opt.defaults()) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "etas", "step_sizes", "maximize"}));
    EXPECT_EQ(opt.defaults().number("lr"), 1e-2);
    EXPECT_EQ(opt.defaults().pair("etas"), std::pair(0.5, 1.2));
    EXPECT_EQ(opt.defaults().pair("step_sizes"), std::pair(1e-6, 50.0));
}

TEST(Rprop, TrajectoriesMatchPyTorch) {
    const json fx = load_golden("optim_adagrad");
    for (const json& c : fx.at("rprop").at("cases"))
        expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::Rprop>(std::move(p), rprop_options(c.at("kwargs")));
        });
}

TEST(Rprop, Float64Trajectory) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("rprop").at("float64");
    expect_compact_trajectory(fx.at("problem_float64"), c, [&](std::vector<Tensor> p) {
        return std::make_unique<optim::Rprop>(std::move(p), rprop_options(c.at("kwargs")));
    });
}

TEST(Rprop, ParamGroupsWithTheirOwnOptions) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("rprop").at("groups");
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::Rprop>(
            std::vector<optim::RpropGroup>{rprop_group({p[0]}, json::object()),
                                           rprop_group({p[1]}, c.at("group1"))},
            rprop_options(c.at("defaults")));
        EXPECT_EQ(opt->param_groups()[1].options.pair("etas"), pair_of(c.at("group1").at("etas")));
        EXPECT_EQ(opt->param_groups()[0].options.pair("etas"), std::pair(0.5, 1.2));
        return opt;
    });
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::Rprop>(std::vector<Tensor>{p[0]},
                                                  rprop_options(c.at("defaults")));
        opt->add_param_group(rprop_group({p[1]}, c.at("group1")));
        return opt;
    });
}

TEST(Rprop, StateAfterStepsMatchesPyTorch) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("rprop").at("cases").back();
    ASSERT_EQ(c.at("name"), "all");
    OptimProblem problem(fx.at("problem"));
    optim::Rprop opt({problem.w, problem.b}, rprop_options(c.at("kwargs")));
    run_steps(opt, problem, 10);
    expect_state_matches(opt.state(problem.b), fx.at("rprop").at("final_state"), problem.b);
}

TEST(Rprop, SignChangesShrinkTheStepAndSkipTheMove) {
    // The rule on one coordinate per case, with gradients set by hand (fixture "rule"): the
    // same sign grows the step (clamped at the maximum), a flip shrinks it and moves nothing,
    // a zero gradient keeps it.
    const json fx = load_golden("optim_adagrad");
    const json& rule = fx.at("rprop").at("rule");
    Tensor p = zeros({3}).requires_grad_();
    optim::Rprop opt({p}, {.lr = 0.1, .etas = {0.5, 2.0}, .step_sizes = {0.01, 0.3}});
    auto values = [](const json& data) {
        return tensor_from_json({{"dtype", "float32"}, {"shape", {3}}, {"data", data}});
    };
    for (size_t i = 0; i < rule.at("grads").size(); ++i) {
        p.mutable_grad() = values(rule["grads"][i]);
        opt.step();
        const json& want = rule.at("steps").at(i);
        EXPECT_TRUE(params_close(p.detach(), values(want.at("p")))) << "step " << i + 1;
        EXPECT_TRUE(
            params_close(opt.state(p).tensors.at("step_size"), values(want.at("step_size"))))
            << "step " << i + 1;
        EXPECT_TENSOR_EQ(opt.state(p).tensors.at("prev"), values(want.at("prev")));
    }
    EXPECT_EQ(opt.state(p).step, 3);
}

TEST(Rprop, StateDictResumesIdentically) {
    const json fx = load_golden("optim_adagrad");
    const optim::RpropOptions o{.lr = 0.02, .etas = {0.4, 1.3}, .step_sizes = {1e-3, 0.05},
                                .maximize = true};
    expect_resume_identical(
        fx.at("problem"),
        [&](std::vector<Tensor> p) { return std::make_unique<optim::Rprop>(std::move(p), o); },
        [](std::vector<Tensor> p) { return std::make_unique<optim::Rprop>(std::move(p)); },
        [](optim::StateDict& sd) {
            EXPECT_EQ(sd.state.keys(),
                      (std::vector<std::string>{"0.step", "0.prev", "0.step_size", "1.step",
                                                "1.prev", "1.step_size"}));
            EXPECT_EQ(sd.param_groups[0].options.pair("etas"), std::pair(0.4, 1.3));
        });
}

TEST(Rprop, NonContiguousParameterAndEmptyParameter) {
    Tensor base = arange(6, {.dtype = DType::Float32}).reshape({2, 3});
    Tensor p = base.t().detach().requires_grad_();
    Tensor q = base.t().contiguous().requires_grad_();
    Tensor empty_param = ones({0}).requires_grad_();
    optim::Rprop strided({p, empty_param}, {.lr = 0.1});
    optim::Rprop dense({q}, {.lr = 0.1});
    for (int i = 0; i < 3; ++i) {
        Tensor g = (arange(6, {.dtype = DType::Float32}).reshape({2, 3}) - 2.5 * i).t();
        p.mutable_grad() = g;
        q.mutable_grad() = g.contiguous();
        empty_param.mutable_grad() = zeros({0});
        strided.step();
        dense.step();
    }
    EXPECT_TENSOR_EQ(p.detach(), q.detach());
    EXPECT_TENSOR_EQ(base.t(), q.detach());
    EXPECT_EQ(strided.state(empty_param).step, 3);
}

TEST(Rprop, MismatchedGradientIsAnError) {
    Tensor a = ones({2}).requires_grad_();
    optim::Rprop opt({a});
    a.mutable_grad() = ones({2, 1});
    EXPECT_EMBER_ERROR(opt.step(), "Rprop", "does not match its parameter");
    EXPECT_TRUE(opt.state(a).empty());
}

TEST(Rprop, SparseGradientIsAnError) {
    nn::Embedding emb(4, 2, {.sparse = true});
    emb(tensor(std::vector<int64_t>{1, 3})).sum().backward();
    ASSERT_TRUE(emb.weight.grad().is_sparse());
    optim::Rprop opt(emb.parameters());
    EXPECT_EMBER_ERROR(opt.step(), "Rprop does not support sparse gradients");
    EXPECT_TRUE(opt.state(emb.weight).empty());
}

TEST(Rprop, InvalidOptions) {
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::Rprop({p}, {.lr = -1}), "Rprop", "Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(optim::Rprop({p}, {.etas = {1.5, 1.2}}), "Invalid eta values: 1.5, 1.2");
    EXPECT_EMBER_ERROR(optim::Rprop({p}, {.etas = {0, 1.2}}), "Invalid eta values: 0, 1.2");
    EXPECT_EMBER_ERROR(optim::Rprop({p}, {.etas = {0.5, 1}}), "Invalid eta values: 0.5, 1");
    EXPECT_EMBER_ERROR(optim::Rprop(std::vector<optim::RpropGroup>{
                           {.params = {p}, .etas = std::pair(0.5, 0.9)}}),
                       "Rprop", "Invalid eta values: 0.5, 0.9");
    optim::Rprop opt({p});
    EXPECT_EMBER_ERROR(opt.add_param_group({ones({1}).requires_grad_()}, {{"etas", 0.5}}),
                       "option \"etas\" should be a pair");
}

}  // namespace
}  // namespace ember::test

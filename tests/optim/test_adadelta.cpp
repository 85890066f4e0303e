// optim::Adadelta against PyTorch trajectories (tools/golden/optim_adagrad.py): every option,
// float64, parameter groups, its state, state dict round trips and its options' errors.
#include "optim/compact_trajectory.h"

namespace ember::test {
namespace {

optim::AdadeltaOptions adadelta_options(const json& kw) {
    optim::AdadeltaOptions o;
    o.lr = kw.value("lr", o.lr);
    o.rho = kw.value("rho", o.rho);
    o.eps = kw.value("eps", o.eps);
    o.weight_decay = kw.value("weight_decay", o.weight_decay);
    o.maximize = kw.value("maximize", o.maximize);
    return o;
}

optim::AdadeltaGroup adadelta_group(std::vector<Tensor> params, const json& kw) {
    optim::AdadeltaGroup g{.params = std::move(params)};
    if (kw.contains("lr")) g.lr = kw["lr"].get<double>();
    if (kw.contains("rho")) g.rho = kw["rho"].get<double>();
    if (kw.contains("eps")) g.eps = kw["eps"].get<double>();
    if (kw.contains("weight_decay")) g.weight_decay = kw["weight_decay"].get<double>();
    if (kw.contains("maximize")) g.maximize = kw["maximize"].get<bool>();
    return g;
}

TEST(Adadelta, DefaultsInPyTorchsOrder) {
    optim::Adadelta opt({ones({2}).requires_grad_()});
    std::vector<std::string> names;
    for (const auto& [name, value] : opt.defaults()) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "rho", "eps", "weight_decay", "maximize"}));
    EXPECT_EQ(opt.defaults().number("lr"), 1.0);
    EXPECT_EQ(opt.defaults().number("rho"), 0.9);
    EXPECT_EQ(opt.defaults().number("eps"), 1e-6);
}

TEST(Adadelta, TrajectoriesMatchPyTorch) {
    const json fx = load_golden("optim_adagrad");
    for (const json& c : fx.at("adadelta").at("cases"))
        expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::Adadelta>(std::move(p),
                                                     adadelta_options(c.at("kwargs")));
        });
}

TEST(Adadelta, Float64Trajectory) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adadelta").at("float64");
    expect_compact_trajectory(fx.at("problem_float64"), c, [&](std::vector<Tensor> p) {
        return std::make_unique<optim::Adadelta>(std::move(p), adadelta_options(c.at("kwargs")));
    });
}

TEST(Adadelta, ParamGroupsWithTheirOwnOptions) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adadelta").at("groups");
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::Adadelta>(
            std::vector<optim::AdadeltaGroup>{adadelta_group({p[0]}, json::object()),
                                              adadelta_group({p[1]}, c.at("group1"))},
            adadelta_options(c.at("defaults")));
        EXPECT_EQ(opt->param_groups()[1].options.number("rho"),
                  c.at("group1").at("rho").get<double>());
        EXPECT_EQ(opt->param_groups()[0].options.number("rho"), 0.9);
        return opt;
    });
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::Adadelta>(std::vector<Tensor>{p[0]},
                                                     adadelta_options(c.at("defaults")));
        opt->add_param_group(adadelta_group({p[1]}, c.at("group1")));
        return opt;
    });
}

TEST(Adadelta, StateAfterStepsMatchesPyTorch) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adadelta").at("cases").back();
    ASSERT_EQ(c.at("name"), "all");
    OptimProblem problem(fx.at("problem"));
    optim::Adadelta opt({problem.w, problem.b}, adadelta_options(c.at("kwargs")));
    run_steps(opt, problem, 10);
    expect_state_matches(opt.state(problem.b), fx.at("adadelta").at("final_state"), problem.b);
}

TEST(Adadelta, SkipsParametersWithoutGradient) {
    Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
    optim::Adadelta opt({a, b});
    a.mutable_grad() = ones({2});
    opt.step();
    EXPECT_TRUE(opt.state(b).empty());
    EXPECT_TENSOR_EQ(b.detach(), ones({2}));
    EXPECT_EQ(opt.state_dict().state.keys(),
              (std::vector<std::string>{"0.step", "0.square_avg", "0.acc_delta"}));
}

TEST(Adadelta, StateDictResumesIdentically) {
    const json fx = load_golden("optim_adagrad");
    const optim::AdadeltaOptions o{.lr = 2.0, .rho = 0.8, .eps = 1e-5, .weight_decay = 0.05,
                                   .maximize = true};
    expect_resume_identical(
        fx.at("problem"),
        [&](std::vector<Tensor> p) { return std::make_unique<optim::Adadelta>(std::move(p), o); },
        [](std::vector<Tensor> p) { return std::make_unique<optim::Adadelta>(std::move(p)); },
        [](optim::StateDict& sd) {
            EXPECT_EQ(sd.state.keys(),
                      (std::vector<std::string>{"0.step", "0.square_avg", "0.acc_delta", "1.step",
                                                "1.square_avg", "1.acc_delta"}));
            EXPECT_EQ(sd.param_groups[0].options.number("rho"), 0.8);
        });
}

TEST(Adadelta, NonContiguousParameterAndEmptyParameter) {
    Tensor base = arange(6, {.dtype = DType::Float32}).reshape({2, 3});
    Tensor p = base.t().detach().requires_grad_();
    Tensor q = base.t().contiguous().requires_grad_();
    Tensor empty_param = ones({0, 2}).requires_grad_();
    optim::Adadelta strided({p, empty_param}, {.weight_decay = 0.1});
    optim::Adadelta dense({q}, {.weight_decay = 0.1});
    for (int i = 0; i < 3; ++i) {
        Tensor g = (arange(6, {.dtype = DType::Float32}).reshape({2, 3}) - 2.5 * i).t();
        p.mutable_grad() = g;
        q.mutable_grad() = g.contiguous();
        empty_param.mutable_grad() = zeros({0, 2});
        strided.step();
        dense.step();
    }
    EXPECT_TENSOR_CLOSE(p.detach(), q.detach());
    EXPECT_TENSOR_CLOSE(base.t(), q.detach());
    EXPECT_EQ(strided.state(empty_param).step, 3);
}

TEST(Adadelta, MismatchedGradientIsAnError) {
    Tensor a = ones({2}).requires_grad_();
    optim::Adadelta opt({a});
    a.mutable_grad() = ones({3});
    EXPECT_EMBER_ERROR(opt.step(), "Adadelta", "does not match its parameter");
    EXPECT_TRUE(opt.state(a).empty());
}

TEST(Adadelta, SparseGradientIsAnError) {
    nn::Embedding emb(4, 2, {.sparse = true});
    emb(tensor(std::vector<int64_t>{1, 3})).sum().backward();
    ASSERT_TRUE(emb.weight.grad().is_sparse());
    optim::Adadelta opt(emb.parameters());
    EXPECT_EMBER_ERROR(opt.step(), "Adadelta does not support sparse gradients");
    EXPECT_TRUE(opt.state(emb.weight).empty());
}

TEST(Adadelta, InvalidOptions) {
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::Adadelta({p}, {.lr = -1}), "Adadelta", "Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(optim::Adadelta({p}, {.rho = 1.5}), "Invalid rho value: 1.5");
    EXPECT_EMBER_ERROR(optim::Adadelta({p}, {.rho = -0.1}), "Invalid rho value: -0.1");
    EXPECT_EMBER_ERROR(optim::Adadelta({p}, {.eps = -1}), "Invalid epsilon value: -1");
    EXPECT_EMBER_ERROR(optim::Adadelta({p}, {.weight_decay = -1}),
                       "Invalid weight_decay value: -1");
    EXPECT_EMBER_ERROR(
        optim::Adadelta(std::vector<optim::AdadeltaGroup>{{.params = {p}, .rho = 2}}), "Adadelta",
        "Invalid rho value: 2");
    optim::Adadelta ok({p}, {.rho = 1.0});  // rho may be 0 or 1, as in PyTorch
    EXPECT_EQ(ok.defaults().number("rho"), 1.0);
}

}  // namespace
}  // namespace ember::test

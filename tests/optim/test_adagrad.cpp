// optim::Adagrad against PyTorch trajectories (tools/golden/optim_adagrad.py): every option,
// float64, parameter groups, its state (created at construction), state dict round trips and
// its options' errors.
#include <cstdio>
#include <filesystem>

#include "optim/compact_trajectory.h"

namespace ember::test {
namespace {

optim::AdagradOptions adagrad_options(const json& kw) {
    optim::AdagradOptions o;
    o.lr = kw.value("lr", o.lr);
    o.lr_decay = kw.value("lr_decay", o.lr_decay);
    o.weight_decay = kw.value("weight_decay", o.weight_decay);
    o.initial_accumulator_value =
        kw.value("initial_accumulator_value", o.initial_accumulator_value);
    o.eps = kw.value("eps", o.eps);
    o.maximize = kw.value("maximize", o.maximize);
    return o;
}

optim::AdagradGroup adagrad_group(std::vector<Tensor> params, const json& kw) {
    optim::AdagradGroup g{.params = std::move(params)};
    if (kw.contains("lr")) g.lr = kw["lr"].get<double>();
    if (kw.contains("lr_decay")) g.lr_decay = kw["lr_decay"].get<double>();
    if (kw.contains("weight_decay")) g.weight_decay = kw["weight_decay"].get<double>();
    if (kw.contains("initial_accumulator_value"))
        g.initial_accumulator_value = kw["initial_accumulator_value"].get<double>();
    if (kw.contains("eps")) g.eps = kw["eps"].get<double>();
    if (kw.contains("maximize")) g.maximize = kw["maximize"].get<bool>();
    return g;
}

TEST(Adagrad, DefaultsInPyTorchsOrder) {
    optim::Adagrad opt({ones({2}).requires_grad_()});
    std::vector<std::string> names;
    for (const auto& [name, value] : opt.defaults()) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"lr", "lr_decay", "eps", "weight_decay",
                                               "initial_accumulator_value", "maximize"}));
    EXPECT_EQ(opt.defaults().number("lr"), 1e-2);
    EXPECT_EQ(opt.defaults().number("eps"), 1e-10);
    EXPECT_EQ(opt.name(), "Adagrad");
}

TEST(Adagrad, TrajectoriesMatchPyTorch) {
    const json fx = load_golden("optim_adagrad");
    for (const json& c : fx.at("adagrad").at("cases"))
        expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::Adagrad>(std::move(p), adagrad_options(c.at("kwargs")));
        });
}

TEST(Adagrad, Float64Trajectory) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adagrad").at("float64");
    expect_compact_trajectory(fx.at("problem_float64"), c, [&](std::vector<Tensor> p) {
        return std::make_unique<optim::Adagrad>(std::move(p), adagrad_options(c.at("kwargs")));
    });
}

TEST(Adagrad, ParamGroupsWithTheirOwnOptions) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adagrad").at("groups");
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::Adagrad>(
            std::vector<optim::AdagradGroup>{adagrad_group({p[0]}, json::object()),
                                             adagrad_group({p[1]}, c.at("group1"))},
            adagrad_options(c.at("defaults")));
        EXPECT_EQ(opt->param_groups()[1].lr(), c.at("group1").at("lr").get<double>());
        EXPECT_EQ(opt->param_groups()[0].lr(), c.at("defaults").at("lr").get<double>());
        return opt;
    });
}

TEST(Adagrad, ParamGroupAddedLaterGetsItsState) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adagrad").at("groups");
    expect_compact_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::Adagrad>(std::vector<Tensor>{p[0]},
                                                    adagrad_options(c.at("defaults")));
        opt->add_param_group(adagrad_group({p[1]}, c.at("group1")));
        EXPECT_EQ(opt->state(p[1]).step, 0);
        EXPECT_TRUE(opt->state(p[1]).tensors.contains("sum"));
        return opt;
    });
    // The untyped overload too.
    Tensor a = ones({2}).requires_grad_(), b = ones({3}).requires_grad_();
    optim::Adagrad opt({a}, {.initial_accumulator_value = 0.25});
    opt.add_param_group({b}, {{"lr", 0.5}});
    EXPECT_EQ(opt.state(b).step, 0);
    EXPECT_TENSOR_EQ(opt.state(b).tensors.at("sum"), full({3}, 0.25));
}

TEST(Adagrad, SumStartsFromTheConstructorsInitialAccumulatorValue) {
    // As in PyTorch: a group's own initial_accumulator_value is kept in its options but the
    // accumulator starts from the optimizer's.
    const json fx = load_golden("optim_adagrad");
    expect_compact_trajectory(
        fx.at("problem"), fx.at("adagrad").at("group_initial_accumulator"),
        [](std::vector<Tensor> p) {
            auto opt = std::make_unique<optim::Adagrad>(
                std::vector<optim::AdagradGroup>{
                    {.params = {p[0]}}, {.params = {p[1]}, .initial_accumulator_value = 2.0}},
                optim::AdagradOptions{.lr = 0.1, .initial_accumulator_value = 0.2});
            EXPECT_EQ(opt->param_groups()[1].options.number("initial_accumulator_value"), 2.0);
            EXPECT_TENSOR_EQ(opt->state(p[1]).tensors.at("sum"), full({3}, 0.2));
            return opt;
        });
}

TEST(Adagrad, StateAfterStepsMatchesPyTorch) {
    const json fx = load_golden("optim_adagrad");
    const json& c = fx.at("adagrad").at("cases").back();
    ASSERT_EQ(c.at("name"), "all");
    OptimProblem problem(fx.at("problem"));
    optim::Adagrad opt({problem.w, problem.b}, adagrad_options(c.at("kwargs")));
    run_steps(opt, problem, 10);
    expect_state_matches(opt.state(problem.b), fx.at("adagrad").at("final_state"), problem.b);
}

TEST(Adagrad, StateExistsFromConstruction) {
    Tensor a = ones({2}).requires_grad_();
    Tensor b = ones({2, 3}, {.dtype = DType::Float64}).requires_grad_();
    optim::Adagrad opt({a, b}, {.lr = 0.5, .initial_accumulator_value = 0.5});
    optim::StateDict sd = opt.state_dict();
    EXPECT_EQ(sd.state.keys(), (std::vector<std::string>{"0.step", "0.sum", "1.step", "1.sum"}));
    EXPECT_EQ(sd.state.at("1.step").item<double>(), 0.0);
    EXPECT_TENSOR_EQ(sd.state.at("1.sum"), full({2, 3}, 0.5, {.dtype = DType::Float64}));
    // A parameter without a gradient keeps its initial state.
    a.mutable_grad() = full({2}, 2.0);
    opt.step();
    EXPECT_EQ(opt.state(a).step, 1);
    EXPECT_TENSOR_EQ(opt.state(a).tensors.at("sum"), full({2}, 4.5));
    EXPECT_EQ(opt.state(b).step, 0);
    EXPECT_TENSOR_EQ(opt.state(b).tensors.at("sum"), full({2, 3}, 0.5, {.dtype = DType::Float64}));
    EXPECT_TENSOR_EQ(b.detach(), ones({2, 3}, {.dtype = DType::Float64}));
}

TEST(Adagrad, StateDictResumesIdentically) {
    const json fx = load_golden("optim_adagrad");
    const optim::AdagradOptions o{.lr = 0.1, .lr_decay = 0.2, .weight_decay = 0.05,
                                  .initial_accumulator_value = 0.5, .maximize = true};
    expect_resume_identical(
        fx.at("problem"),
        [&](std::vector<Tensor> p) { return std::make_unique<optim::Adagrad>(std::move(p), o); },
        [](std::vector<Tensor> p) {
            return std::make_unique<optim::Adagrad>(std::move(p), optim::AdagradOptions{.lr = 3});
        },
        [](optim::StateDict& sd) {
            EXPECT_EQ(sd.optimizer, "Adagrad");
            EXPECT_EQ(sd.state.keys(),
                      (std::vector<std::string>{"0.step", "0.sum", "1.step", "1.sum"}));
            EXPECT_EQ(sd.state.at("0.step").item<double>(), 5.0);
        });
}

TEST(Adagrad, StateDictThroughASafetensorsFile) {
    const json fx = load_golden("optim_adagrad");
    const std::string path =
        (std::filesystem::temp_directory_path() / "ember_test_adagrad_state.safetensors").string();
    expect_resume_identical(
        fx.at("problem"),
        [](std::vector<Tensor> p) {
            return std::make_unique<optim::Adagrad>(
                std::move(p), optim::AdagradOptions{.lr = 0.1, .lr_decay = 0.1});
        },
        [](std::vector<Tensor> p) { return std::make_unique<optim::Adagrad>(std::move(p)); },
        [&](optim::StateDict& sd) {
            ember::save(sd, path);
            sd = optim::StateDict::load(path);
            EXPECT_EQ(sd.param_groups[0].options.number("lr_decay"), 0.1);
        });
    std::remove(path.c_str());
}

TEST(Adagrad, LoadedStateWithoutAParameterStartsItAfresh) {
    // A state dict may lack a parameter's entries (written by hand, or by another tool): its
    // state is created at its next update, as at construction.
    Tensor a = ones({2}).requires_grad_();
    optim::Adagrad opt({a}, {.lr = 0.5, .initial_accumulator_value = 1.0});
    optim::StateDict sd = opt.state_dict();
    sd.state = {};
    opt.load_state_dict(sd);
    a.mutable_grad() = full({2}, 3.0);
    opt.step();
    EXPECT_EQ(opt.state(a).step, 1);
    EXPECT_TENSOR_EQ(opt.state(a).tensors.at("sum"), full({2}, 10.0));
}

TEST(Adagrad, NonContiguousParameterAndEmptyParameter) {
    Tensor base = arange(6, {.dtype = DType::Float32}).reshape({2, 3});
    Tensor p = base.t().detach().requires_grad_();
    Tensor empty_param = ones({0, 3}).requires_grad_();
    ASSERT_FALSE(p.is_contiguous());
    optim::Adagrad opt({p, empty_param}, {.lr = 0.5});
    p.mutable_grad() = full({2, 3}, 2.0).t();
    empty_param.mutable_grad() = zeros({0, 3});
    opt.step();
    // sum = 4, step = 0.5 * 2 / (2 + eps): every entry moves by 0.5.
    EXPECT_TENSOR_CLOSE(p.detach(),
                        (arange(6, {.dtype = DType::Float32}).reshape({2, 3}) - 0.5).t());
    EXPECT_TENSOR_CLOSE(base.t(), p.detach());
    EXPECT_TENSOR_EQ(opt.state(p).tensors.at("sum"), full({3, 2}, 4.0));
    EXPECT_EQ(opt.state(empty_param).step, 1);
}

TEST(Adagrad, MismatchedGradientIsAnError) {
    Tensor a = ones({2}).requires_grad_();
    optim::Adagrad opt({a});
    a.mutable_grad() = ones({3});
    EXPECT_EMBER_ERROR(opt.step(), "Adagrad", "does not match its parameter");
    EXPECT_EQ(opt.state(a).step, 0);  // the failed step counts nothing
}

TEST(Adagrad, InvalidOptions) {
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::Adagrad({p}, {.lr = -1}), "Adagrad", "Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(optim::Adagrad({p}, {.lr_decay = -1}), "Invalid lr_decay value: -1");
    EXPECT_EMBER_ERROR(optim::Adagrad({p}, {.weight_decay = -1}), "Invalid weight_decay value: -1");
    EXPECT_EMBER_ERROR(optim::Adagrad({p}, {.initial_accumulator_value = -1}),
                       "Invalid initial_accumulator_value value: -1");
    EXPECT_EMBER_ERROR(optim::Adagrad({p}, {.eps = -1}), "Invalid epsilon value: -1");
    EXPECT_EMBER_ERROR(
        optim::Adagrad(std::vector<optim::AdagradGroup>{{.params = {p}, .lr = -0.5}}), "Adagrad",
        "Invalid learning rate: -0.5");
    optim::Adagrad opt({p});
    EXPECT_EMBER_ERROR(
        opt.add_param_group({.params = {ones({1}).requires_grad_()}, .lr_decay = -2}),
        "Invalid lr_decay value: -2");
    EXPECT_EQ(opt.param_groups().size(), 1u);
}

}  // namespace
}  // namespace ember::test

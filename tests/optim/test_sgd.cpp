// optim::SGD against PyTorch trajectories (tools/golden/optim_sgd.py), its options' errors.
#include "optim/trajectory.h"

namespace ember::test {
namespace {

optim::SGDOptions sgd_options(const json& kw) {
    optim::SGDOptions o;
    o.lr = kw.at("lr").get<double>();
    o.momentum = kw.value("momentum", 0.0);
    o.dampening = kw.value("dampening", 0.0);
    o.weight_decay = kw.value("weight_decay", 0.0);
    o.nesterov = kw.value("nesterov", false);
    o.maximize = kw.value("maximize", false);
    return o;
}

TEST(SGD, TrajectoriesMatchPyTorch) {
    const json fx = load_golden("optim_sgd");
    for (const json& c : fx.at("cases"))
        expect_trajectory(fx.at("problem"), c, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::SGD>(std::move(p), sgd_options(c.at("kwargs")));
        });
}

TEST(SGD, Float64Trajectory) {
    const json fx = load_golden("optim_sgd");
    expect_trajectory(fx.at("problem_float64"), fx.at("float64"), [](std::vector<Tensor> p) {
        return std::make_unique<optim::SGD>(
            std::move(p), optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .nesterov = true});
    });
}

TEST(SGD, ParamGroupsWithTheirOwnOptions) {
    const json fx = load_golden("optim_sgd");
    expect_trajectory(fx.at("problem"), fx.at("groups"), [](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::SGD>(
            std::vector<optim::SGDGroup>{{.params = {p[0]}},
                                         {.params = {p[1]}, .lr = 0.3, .momentum = 0.5}},
            optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
        EXPECT_EQ(opt->param_groups()[0].lr(), 0.1);
        EXPECT_EQ(opt->param_groups()[1].lr(), 0.3);
        EXPECT_EQ(opt->param_groups()[1].options.number("momentum"), 0.5);
        EXPECT_EQ(opt->param_groups()[0].options.number("momentum"), 0.9);
        return opt;
    });
}

TEST(SGD, ParamGroupAddedLater) {
    const json fx = load_golden("optim_sgd");
    expect_trajectory(fx.at("problem"), fx.at("groups"), [](std::vector<Tensor> p) {
        auto opt = std::make_unique<optim::SGD>(std::vector<Tensor>{p[0]},
                                                optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
        opt->add_param_group({.params = {p[1]}, .lr = 0.3, .momentum = 0.5});
        return opt;
    });
}

TEST(SGD, SkipsParametersWithoutGradient) {
    Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
    optim::SGD opt({a, b}, {.lr = 0.5, .momentum = 0.9});
    a.mutable_grad() = full({2}, 2.0);
    opt.step();
    EXPECT_TENSOR_EQ(a.detach(), full({2}, 0.0));
    EXPECT_TENSOR_EQ(b.detach(), ones({2}));
    EXPECT_TRUE(opt.state(b).empty());
    EXPECT_TRUE(opt.state(a).tensors.contains("momentum_buffer"));
}

TEST(SGD, NonContiguousParameterAndGradient) {
    // A parameter that is a transposed leaf: the update goes through a contiguous copy.
    Tensor base = arange(6, {.dtype = DType::Float32}).reshape({2, 3});
    Tensor p = base.t().detach().requires_grad_();
    ASSERT_FALSE(p.is_contiguous());
    const Tensor expected = base.t() - 0.5;
    optim::SGD opt({p}, {.lr = 0.5});
    p.mutable_grad() = ones({3, 2}).t().t();
    opt.step();
    EXPECT_TENSOR_CLOSE(p.detach(), expected);
    EXPECT_TENSOR_CLOSE(base.t(), expected);  // updated in place, through the view
}

TEST(SGD, InvalidOptions) {
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::SGD({p}, {.lr = -1}), "SGD", "Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(optim::SGD({p}, {.lr = 0.1, .momentum = -1}), "Invalid momentum value: -1");
    EXPECT_EMBER_ERROR(optim::SGD({p}, {.lr = 0.1, .weight_decay = -1}),
                       "Invalid weight_decay value: -1");
    EXPECT_EMBER_ERROR(optim::SGD({p}, {.lr = 0.1, .nesterov = true}),
                       "Nesterov momentum requires a momentum and zero dampening");
    EXPECT_EMBER_ERROR(optim::SGD({p}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.1,
                                        .nesterov = true}),
                       "Nesterov momentum requires a momentum and zero dampening");
    EXPECT_EMBER_ERROR(optim::SGD(std::vector<optim::SGDGroup>{{.params = {p}, .lr = -0.5}}),
                       "Invalid learning rate: -0.5");
}

}  // namespace
}  // namespace ember::test

// The Optimizer base through SGD: construction errors, zero_grad, step(closure), state access,
// state_dict round trips (in memory and through a safetensors file), load errors.
#include <cstdio>
#include <filesystem>

#include "optim/trajectory.h"

namespace ember::test {
namespace {

TEST(Optimizer, ConstructionErrors) {
    Tensor p = ones({2}).requires_grad_();
    EXPECT_EMBER_ERROR(optim::SGD(std::vector<Tensor>{}, {.lr = 0.1}), "SGD",
                       "optimizer got an empty parameter list");
    EXPECT_EMBER_ERROR(optim::SGD(std::vector<Tensor>{p, Tensor()}, {.lr = 0.1}),
                       "parameter 1 is an undefined tensor");
    Tensor non_leaf = p * 2;
    EXPECT_EMBER_ERROR(optim::SGD({non_leaf}, {.lr = 0.1}), "can't optimize a non-leaf Tensor");
    EXPECT_EMBER_ERROR(optim::SGD({ones({2}, {.dtype = DType::Int64})}, {.lr = 0.1}),
                       "must be a floating-point tensor", "int64");
    EXPECT_EMBER_ERROR(optim::SGD(std::vector<optim::SGDGroup>{{.params = {p}}, {.params = {p}}},
                                  {.lr = 0.1}),
                       "parameter group 1", "some parameters appear in more than one parameter group");
    optim::SGD opt({p}, {.lr = 0.1});
    EXPECT_EMBER_ERROR(opt.add_param_group({ones({1}).requires_grad_()}, {{"betas", std::pair(0.9, 0.9)}}),
                       "SGD has no option \"betas\"");
    EXPECT_EMBER_ERROR(opt.add_param_group({ones({1}).requires_grad_()}, {{"lr", true}}),
                       "option \"lr\" should be a number");
    EXPECT_EMBER_ERROR(opt.state(ones({2})), "SGD.state", "is not a parameter of this optimizer");
}

TEST(Optimizer, DuplicateParameterInAGroupWarns) {
    Tensor p = ones({2}).requires_grad_();
    WarningCapture warnings;
    optim::SGD opt({p, p}, {.lr = 0.1});
    EXPECT_TRUE(warnings.contains("duplicate parameters"));
}

TEST(Optimizer, ZeroGrad) {
    Tensor p = ones({2}).requires_grad_();
    optim::SGD opt({p}, {.lr = 0.1});
    (p * 3).sum().backward();
    opt.zero_grad(/*set_to_none=*/false);
    ASSERT_TRUE(p.grad().defined());
    EXPECT_TENSOR_EQ(p.grad(), zeros({2}));
    opt.zero_grad();
    EXPECT_FALSE(p.grad().defined());
}

TEST(Optimizer, StepWithClosureReturnsItsLossUnderGradMode) {
    Tensor p = ones({2}).requires_grad_();
    optim::SGD opt({p}, {.lr = 0.5});
    NoGradGuard no_grad;  // the closure still records: step enables grad around it
    Tensor loss = opt.step([&] {
        opt.zero_grad();
        Tensor l = (p * p).sum();
        l.backward();
        return l;
    });
    EXPECT_EQ(loss.item<float>(), 2.0f);
    EXPECT_TENSOR_EQ(p.detach(), zeros({2}));
    EXPECT_FALSE(opt.step().defined());
    EXPECT_EQ(opt.step_calls(), 2);
}

// 10 steps straight, or 5 steps, a state dict into a fresh optimizer (and fresh copies of the
// parameters), then 5 more: the same parameters.
void expect_resume_identical(const std::function<void(optim::StateDict&)>& transport) {
    const json fx = load_golden("optim_sgd");
    OptimProblem straight(fx.at("problem")), resumed(fx.at("problem"));
    const optim::SGDOptions o{.lr = 0.05, .momentum = 0.9, .nesterov = true};
    optim::SGD a({straight.w, straight.b}, o);
    for (int i = 0; i < 10; ++i) {
        a.zero_grad();
        straight.loss().backward();
        a.step();
    }
    optim::StateDict sd;
    {
        optim::SGD first({resumed.w, resumed.b}, o);
        for (int i = 0; i < 5; ++i) {
            first.zero_grad();
            resumed.loss().backward();
            first.step();
        }
        sd = first.state_dict();
    }
    transport(sd);
    optim::SGD second({resumed.w, resumed.b}, {.lr = 0.5});  // options come from the state dict
    second.load_state_dict(sd);
    EXPECT_EQ(second.param_groups()[0].lr(), 0.05);
    EXPECT_TRUE(second.param_groups()[0].options.flag("nesterov"));
    for (int i = 0; i < 5; ++i) {
        second.zero_grad();
        resumed.loss().backward();
        second.step();
    }
    EXPECT_TENSOR_EQ(resumed.w.detach(), straight.w.detach());
    EXPECT_TENSOR_EQ(resumed.b.detach(), straight.b.detach());
}

TEST(Optimizer, StateDictResumesIdentically) {
    expect_resume_identical([](optim::StateDict& sd) {
        ASSERT_EQ(sd.optimizer, "SGD");
        ASSERT_EQ(sd.param_groups.size(), 1u);
        EXPECT_EQ(sd.param_groups[0].params, (std::vector<int64_t>{0, 1}));
        EXPECT_EQ(sd.state.keys(),
                  (std::vector<std::string>{"0.momentum_buffer", "1.momentum_buffer"}));
        // The loaded state is a copy: changing the dict afterwards changes nothing.
    });
}

TEST(Optimizer, StateDictThroughASafetensorsFile) {
    const std::string path =
        (std::filesystem::temp_directory_path() / "ember_test_optim_state.safetensors").string();
    expect_resume_identical([&](optim::StateDict& sd) {
        ember::save(sd, path);
        sd = optim::StateDict::load(path);
        EXPECT_EQ(sd.optimizer, "SGD");
        EXPECT_EQ(sd.param_groups[0].options.number("lr"), 0.05);
        EXPECT_EQ(sd.param_groups[0].options.flag("nesterov"), true);
    });
    // A plain tensor file is not an optimizer state.
    ember::save(OrderedDict<Tensor>{}, path);
    EXPECT_EMBER_ERROR(optim::StateDict::load(path), "is not an optimizer state file");
    std::remove(path.c_str());
}

TEST(Optimizer, LoadStateDictErrorsLeaveTheOptimizerUnchanged) {
    Tensor a = ones({2}).requires_grad_(), b = ones({3}).requires_grad_();
    optim::SGD opt({a, b}, {.lr = 0.1, .momentum = 0.9});
    a.mutable_grad() = ones({2});
    b.mutable_grad() = ones({3});
    opt.step();
    optim::StateDict sd = opt.state_dict();

    optim::SGD two_groups(std::vector<optim::SGDGroup>{{.params = {a}}, {.params = {b}}},
                          {.lr = 0.1});
    EXPECT_EMBER_ERROR(two_groups.load_state_dict(sd),
                       "loaded state dict has a different number of parameter groups");
    optim::SGD one_param({a}, {.lr = 0.1});
    EXPECT_EMBER_ERROR(one_param.load_state_dict(sd),
                       "doesn't match the size of optimizer's group");

    optim::StateDict bad = sd;
    bad.state.insert("1.momentum_buffer", zeros({5}));
    EXPECT_EMBER_ERROR(opt.load_state_dict(bad), "state \"1.momentum_buffer\" has shape [5]",
                       "[3]");
    bad = sd;
    bad.state.insert("7.momentum_buffer", zeros({2}));
    EXPECT_EMBER_ERROR(opt.load_state_dict(bad), "\"7.momentum_buffer\"");
    bad = sd;
    bad.param_groups[0].options.set("lr", -1.0);
    EXPECT_EMBER_ERROR(opt.load_state_dict(bad), "Invalid learning rate: -1");
    bad = sd;
    bad.optimizer = "Adam";
    EXPECT_EMBER_ERROR(opt.load_state_dict(bad), "saved from Adam");
    // Unchanged by the failed loads.
    EXPECT_EQ(opt.param_groups()[0].lr(), 0.1);
    EXPECT_TENSOR_EQ(opt.state(b).tensors.at("momentum_buffer"), ones({3}));
}

TEST(Optimizer, LoadedStateTakesTheParameterDtype) {
    Tensor a = ones({2}, {.dtype = DType::Float64}).requires_grad_();
    optim::SGD opt({a}, {.lr = 0.1, .momentum = 0.9});
    optim::StateDict sd = opt.state_dict();
    sd.state.insert("0.momentum_buffer", full({2}, 0.5));  // float32
    opt.load_state_dict(sd);
    EXPECT_EQ(opt.state(a).tensors.at("momentum_buffer").dtype(), DType::Float64);
}

}  // namespace
}  // namespace ember::test

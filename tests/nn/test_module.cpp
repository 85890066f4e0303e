// nn::Module and the basic layers against PyTorch (tools/golden/nn_module.py): registration
// order, state_dict, reprs, default initialisation, a seed-style MLP, activations, dropout, and
// the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember {
namespace {

using test::load_golden;
using test::tensor_from_json;

// The seed's MLP (seed row 12): layers declared as members, computation in forward.
struct MLP : nn::Module {
    explicit MLP(int64_t inputs) : linear(register_module("linear", nn::Linear(inputs, 1))) {}
    nn::Linear& linear;
    nn::Sigmoid& sigmoid = register_module("sigmoid", nn::Sigmoid());
    Tensor forward(const Tensor& x) override { return sigmoid(linear(x)); }
};

// reference/nn.md's example: own parameter registered last still comes first.
struct Net : nn::Module {
    nn::Sequential& layer1 =
        register_module("layer1", nn::Sequential(nn::Linear(4, 3), nn::ReLU()));
    nn::Linear& fc = register_module("fc", nn::Linear(3, 2, /*bias=*/false));
    Tensor& scale = register_parameter("scale", ones({2}));
    Tensor& buf = register_buffer("buf", zeros({2}));
    Tensor& nb = register_buffer("nb", zeros({1}), /*persistent=*/false);
    Tensor forward(const Tensor& x) override { return fc(layer1(x)) * scale; }
};

std::vector<std::string> names(const auto& named) {
    std::vector<std::string> out;
    for (const auto& [name, value] : named) out.push_back(name);
    return out;
}

std::vector<std::string> strings(const test::json& j) { return j.get<std::vector<std::string>>(); }

TEST(NnModule, LinearDefaultInitialisationMatchesPyTorch) {
    const auto fixture = load_golden("nn_module");  // kept alive: the loop reads into it
    ASSERT_EQ(fixture["linear_init"].size(), 3u);
    for (const auto& c : fixture["linear_init"]) {
        manual_seed(c["seed"].get<uint64_t>());
        nn::Linear layer(c["in"].get<int64_t>(), c["out"].get<int64_t>());
        EXPECT_TENSOR_EQ(layer.weight.detach(), tensor_from_json(c["weight"]));
        EXPECT_TENSOR_EQ(layer.bias.detach(), tensor_from_json(c["bias"]));
        EXPECT_TRUE(layer.weight.requires_grad());
        EXPECT_TRUE(layer.weight.is_leaf());
    }
}

TEST(NnModule, RegistrationOrderAndStateDict) {
    auto fx = load_golden("nn_module");
    Net net;
    EXPECT_EQ(names(net.named_parameters()), strings(fx["net_named_parameters"]));
    EXPECT_EQ(names(net.named_buffers()), strings(fx["net_named_buffers"]));
    EXPECT_EQ(net.state_dict().keys(), strings(fx["net_state_dict_keys"]));
    EXPECT_EQ(names(net.named_modules()), strings(fx["net_named_modules"]));
    EXPECT_EQ(net.repr(), fx["net_repr"].get<std::string>());
    EXPECT_EQ(net.parameters().size(), 4u);
    EXPECT_EQ(net.children().size(), 2u);
    EXPECT_EQ(net.fc.path(), "fc");
    EXPECT_EQ(net.layer1[0].path(), "layer1.0");
    // state_dict shares storage and does not require grad.
    nn::StateDict sd = net.state_dict();
    EXPECT_EQ(sd.at("scale").data_ptr(), net.scale.data_ptr());
    EXPECT_FALSE(sd.at("scale").requires_grad());
}

TEST(NnModule, SharedModulesAreListedOnceButSavedUnderEveryName) {
    auto shared = std::make_shared<nn::Linear>(2, 2);
    nn::Sequential seq;
    seq.push_back(shared);
    seq.push_back(shared);
    EXPECT_EQ(names(seq.named_parameters()), (std::vector<std::string>{"0.weight", "0.bias"}));
    EXPECT_EQ(seq.state_dict().keys(),
              (std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias"}));
    EXPECT_EQ(names(seq.named_modules()), (std::vector<std::string>{"", "0"}));
}

TEST(NnModule, SeedMlpForwardAndGradientsMatchPyTorch) {
    auto fx = load_golden("nn_module")["mlp"];
    manual_seed(0);
    MLP mlp(3);
    Tensor y = mlp(tensor_from_json(fx["x"]));
    EXPECT_TENSOR_CLOSE(y, tensor_from_json(fx["y"]));
    y.sum().backward();
    EXPECT_TENSOR_CLOSE(mlp.linear.weight.grad(), tensor_from_json(fx["weight_grad"]));
    EXPECT_TENSOR_CLOSE(mlp.linear.bias.grad(), tensor_from_json(fx["bias_grad"]));
    EXPECT_EQ(mlp.repr(), fx["repr"].get<std::string>());
    mlp.zero_grad();
    EXPECT_FALSE(mlp.linear.weight.grad().defined());
}

TEST(NnModule, Reprs) {
    nn::Sequential seq(nn::Linear(8, 3), nn::ReLU(true), nn::Flatten(), nn::Dropout(0.25),
                       nn::LeakyReLU(0.2), nn::ELU(), nn::GELU(), nn::Softmax(1),
                       nn::Unflatten(1, {2, 3}), nn::Identity(), nn::Tanh(), nn::SiLU());
    EXPECT_EQ(seq.repr(), load_golden("nn_module")["reprs"]["seq"].get<std::string>());
}

TEST(NnModule, SequentialInBracesDrawsInitialWeightsInTheWrittenOrder) {
    const auto fx = load_golden("nn_module");
    manual_seed(4);
    nn::Sequential seq{nn::Linear(2, 3), nn::ReLU(), nn::Linear(3, 2)};
    const auto& expected = fx.at("sequential_init");
    for (const auto& [name, param] : seq.named_parameters()) {
        SCOPED_TRACE(name);
        EXPECT_TENSOR_EQ(param.detach(), tensor_from_json(expected.at(name)));
    }
    EXPECT_EQ(seq.named_parameters().size(), expected.size());
}

// Sequential pools before the ReLU in Conv2d, ReLU, MaxPool2d (they commute), the convolution
// and the pool as one op: the output and every gradient equal the modules run one by one
// (biases to rounding), including windows that are all negative, ties and a NaN.
TEST(NnModule, SequentialConvReluPoolEqualsTheModulesInOrder) {
    for (bool inplace : {true, false}) {
        SCOPED_TRACE(inplace);
        manual_seed(6);
        nn::Sequential seq{nn::Conv2d(2, 3, 3), nn::ReLU(inplace), nn::MaxPool2d(2),
                           nn::Conv2d(3, 2, 2), nn::ReLU(inplace), nn::MaxPool2d(2)};
        Tensor x = randn({2, 2, 11, 10});
        x.index_put_({0, 0, 0, 0}, NAN);
        x.index_put_({1, Slice(), Slice(0, 4), Slice(0, 4)}, -1.0);  // windows of equal values
        const Tensor up = randn({2, 2, 1, 1});
        Tensor x1 = x.clone().requires_grad_(), x2 = x.clone().requires_grad_();
        Tensor fused = seq(x1);
        (fused * up).sum().backward();
        std::vector<Tensor> fused_grads;
        for (const auto& [name, p] : seq.named_parameters()) fused_grads.push_back(p.grad().clone());
        seq.zero_grad();
        Tensor plain = x2;
        for (size_t i = 0; i < seq.size(); ++i) plain = seq[i](plain);
        (plain * up).sum().backward();
        // Exactly equal, NaN where NaN.
        auto same = [](const Tensor& a, const Tensor& b) { return a.allclose(b, 0.0, 0.0, true); };
        EXPECT_TRUE(same(fused, plain));
        EXPECT_TRUE(same(x1.grad(), x2.grad()));
        const auto params = seq.named_parameters();
        for (size_t k = 0; k < params.size(); ++k) {
            SCOPED_TRACE(params[k].first);
            // The fused convolution and pool sums the bias gradient over the pooled gradient:
            // the same terms, rounded in another order.
            if (params[k].first.ends_with("bias"))
                EXPECT_TRUE(allclose(fused_grads[k], params[k].second.grad(), 1e-6, 1e-6));
            else
                EXPECT_TRUE(same(fused_grads[k], params[k].second.grad()));
        }
    }
}

TEST(NnModule, SequentialAtGivesAChildAsItsType) {
    nn::Sequential seq{nn::Linear(2, 3), nn::BatchNorm1d(3)};
    EXPECT_EQ(seq.at<nn::BatchNorm1d>(1).running_mean.sizes(), IntArrayRef({3}));
    EXPECT_EQ(&seq.at<nn::Linear>(0), &seq[0]);
    EXPECT_EMBER_ERROR(seq.at<nn::Linear>(1), "at<Linear>(1): child 1 is a BatchNorm1d");
    EXPECT_EMBER_ERROR(seq.at<nn::Linear>(2), "index 2 is out of range for a Sequential of 2");
}

TEST(NnModule, ActivationsAndGradientsMatchPyTorch) {
    auto fx = load_golden("nn_module");
    namespace F = nn::functional;
    const std::map<std::string, std::function<Tensor(const Tensor&)>> fns = {
        {"relu", [](const Tensor& t) { return F::relu(t); }},
        {"leaky_relu", [](const Tensor& t) { return F::leaky_relu(t, 0.1); }},
        {"elu", [](const Tensor& t) { return F::elu(t, 1.5); }},
        {"gelu", [](const Tensor& t) { return F::gelu(t); }},
        {"gelu_tanh", [](const Tensor& t) { return F::gelu(t, "tanh"); }},
        {"silu", [](const Tensor& t) { return F::silu(t); }},
        {"sigmoid", [](const Tensor& t) { return F::sigmoid(t); }},
        {"tanh", [](const Tensor& t) { return F::tanh(t); }},
    };
    for (const auto& [name, fn] : fns) {
        SCOPED_TRACE(name);
        Tensor a = tensor_from_json(fx["activation_input"]).requires_grad_();
        Tensor y = fn(a);
        EXPECT_TENSOR_CLOSE(y, tensor_from_json(fx["activations"][name]["y"]), 1e-12, 1e-12);
        Tensor g = autograd::grad({y.sum()}, {a})[0];
        EXPECT_TENSOR_CLOSE(g, tensor_from_json(fx["activations"][name]["grad"]), 1e-12, 1e-12);
        Tensor b = randn({3, 4}, {.dtype = float64}).requires_grad_();
        // (fn named again: clang 14 cannot capture a structured binding.)
        EXPECT_TRUE(autograd::gradcheck(
            [&, &fn = fn](const TensorList& in) { return TensorList{fn(in[0])}; }, {b},
            {.check_grad_grad = true}));
    }
}

TEST(NnModule, InplaceReluOnALayerOutput) {
    // ReLU(inplace=True) after a Linear (the seed's CNN blocks).
    manual_seed(0);
    nn::Sequential seq(nn::Linear(3, 4), nn::ReLU(true));
    Tensor x = randn({2, 3});
    Tensor y = seq(x);
    EXPECT_EQ(y.grad_fn()->name(), "ReluBackward0");
    y.sum().backward();
    auto& lin = static_cast<nn::Linear&>(seq[0]);
    Tensor expected_bias_grad = (matmul(x, lin.weight.detach().t()) + lin.bias.detach() > 0)
                                    .to_float()
                                    .sum({0});
    EXPECT_TENSOR_CLOSE(lin.bias.grad(), expected_bias_grad);
}

TEST(NnModule, DropoutMaskMatchesPyTorchAndEvalIsIdentity) {
    manual_seed(3);
    nn::Dropout drop(0.3);
    Tensor x = ones({4, 5});
    EXPECT_TENSOR_CLOSE(drop(x), tensor_from_json(load_golden("nn_module")["dropout"]));
    drop.eval();
    EXPECT_TRUE(drop(x).is_same(x));
    EXPECT_EMBER_ERROR(nn::Dropout(1.5), "dropout probability has to be between 0 and 1");
}

TEST(NnModule, TrainEvalPropagates) {
    Net net;
    EXPECT_TRUE(net.is_training());
    net.eval();
    EXPECT_FALSE(net.layer1.is_training());
    EXPECT_FALSE(net.layer1[1].is_training());
    net.train();
    EXPECT_TRUE(net.fc.is_training());
}

TEST(NnModule, ToKeepsParameterIdentity) {
    Net net;
    Tensor handle = net.fc.weight;
    net.to(float64);
    EXPECT_EQ(handle.dtype(), DType::Float64);
    EXPECT_TRUE(handle.is_same(net.fc.weight));
    EXPECT_EQ(net.buf.dtype(), DType::Float64);
    EXPECT_TRUE(handle.requires_grad());
    EXPECT_EMBER_ERROR(net.to(DType::Int64), "only accepts floating point dtypes");
}

TEST(NnModule, LoadStateDict) {
    Net a, b;
    b.load_state_dict(a.state_dict());
    EXPECT_TENSOR_EQ(b.fc.weight.detach(), a.fc.weight.detach());
    nn::StateDict partial = a.state_dict();
    nn::StateDict missing;
    for (const auto& [k, v] : partial)
        if (k != "fc.weight") missing.insert(k, v);
    missing.insert("extra", zeros({1}));
    EXPECT_EMBER_ERROR(b.load_state_dict(missing),
                       "Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "
                       "\"fc.weight\". \n\tUnexpected key(s) in state_dict: \"extra\". ");
    nn::LoadResult r = b.load_state_dict(missing, /*strict=*/false);
    EXPECT_EQ(r.missing_keys, std::vector<std::string>{"fc.weight"});
    EXPECT_EQ(r.unexpected_keys, std::vector<std::string>{"extra"});
    nn::StateDict wrong = a.state_dict();
    wrong.insert("fc.weight", zeros({3, 3}));
    EXPECT_EMBER_ERROR(b.load_state_dict(wrong, false),
                       "size mismatch for fc.weight: copying a param with shape [3, 3] from "
                       "checkpoint, the shape in current model is [2, 3].");
}

TEST(NnModule, ErrorsNameTheModulePath) {
    // The seed's warning: 30*5*5 features only hold for 32x32 inputs.
    nn::Sequential model(nn::Sequential(nn::Linear(750, 10), nn::ReLU(true)), nn::Identity());
    EXPECT_EMBER_ERROR(model(zeros({64, 480})), "0.0 (Linear): input has 480 features, expected "
                                                "750; input shape [64, 480]");
    nn::Linear alone(3, 2);
    EXPECT_EMBER_ERROR(alone(zeros({2, 4})), "Linear: input has 4 features, expected 3");
    // An op error inside a module gets the innermost module's path.
    nn::Sequential seq(nn::Softmax(5));
    EXPECT_EMBER_ERROR(seq(zeros({2, 3})), "0 (Softmax): ");
    struct Bare : nn::Module {};
    Bare bare;
    EXPECT_EMBER_ERROR(bare(zeros({1})), "Bare: forward(const Tensor&) is not implemented");
    EXPECT_EMBER_ERROR(Net().register_parameter("w", ones({1}).requires_grad_() * 2),
                       "cannot assign a non-leaf tensor as parameter \"w\"");
}

TEST(NnModule, InitFunctions) {
    Tensor w = empty({3, 4});
    nn::init::xavier_uniform_(w);
    EXPECT_LE(w.abs().max().item<double>(), std::sqrt(6.0 / 7.0));
    nn::init::ones_(w);
    EXPECT_EQ(w.sum().item<double>(), 12.0);
    nn::init::eye_(w);
    EXPECT_EQ(w.sum().item<double>(), 3.0);
    EXPECT_DOUBLE_EQ(nn::init::calculate_gain("tanh"), 5.0 / 3);
    EXPECT_DOUBLE_EQ(nn::init::calculate_gain("leaky_relu", 0.0), std::sqrt(2.0));
    EXPECT_EMBER_ERROR(nn::init::calculate_gain("swish"), "Unsupported nonlinearity swish");
    Tensor v = empty({3});
    EXPECT_EMBER_ERROR(nn::init::xavier_normal_(v), "fewer than 2 dimensions");
    Tensor p = zeros({2}).requires_grad_();
    nn::init::normal_(p);  // allowed on a leaf that requires grad (runs under no_grad)
    EXPECT_TRUE(p.requires_grad());
}

}  // namespace
}  // namespace ember

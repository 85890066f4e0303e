// nn::Bilinear and functional::bilinear against PyTorch (tools/golden/nn_bilinear.py): default
// initialisation after the same seed, repr, outputs and gradients (batched, extra leading dims,
// 1-D, no bias), non-contiguous and empty inputs, float64 gradcheck, and the error messages
// (with the module's path).
#include <gtest/gtest.h>

#include <string>

#include "ember/ember.h"
#include "ember/nn/layers.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

namespace F = nn::functional;
using test::load_golden;
using test::tensor_from_json;

TEST(Bilinear, DefaultInitialisationAndReprMatchPyTorch) {
    const auto golden = load_golden("nn_bilinear");
    for (const auto& c : golden["inits"]) {
        SCOPED_TRACE(c["repr"].get<std::string>());
        manual_seed(c["seed"].get<uint64_t>());
        nn::Bilinear m(c["in1"].get<int64_t>(), c["in2"].get<int64_t>(), c["out"].get<int64_t>(),
                       c["bias"].get<bool>());
        EXPECT_TENSOR_EQ(m.weight, tensor_from_json(c["weight"]));
        if (c["bias"].get<bool>()) {
            EXPECT_TENSOR_EQ(m.bias, tensor_from_json(c["bias_value"]));
        } else {
            EXPECT_FALSE(m.bias.defined());
        }
        EXPECT_TENSOR_EQ(rand({2}, {.dtype = float64}), tensor_from_json(c["next_draws"]));
        EXPECT_EQ(m.repr(), c["repr"].get<std::string>());
        EXPECT_TRUE(m.weight.requires_grad());
    }
    nn::Bilinear m(3, 4, 2);
    std::vector<std::string> names;
    for (const auto& [name, p] : m.named_parameters()) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"weight", "bias"}));
}

TEST(Bilinear, OutputsAndGradientsMatchPyTorch) {
    const auto golden = load_golden("nn_bilinear");
    for (const auto& c : golden["cases"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const Tensor x1 = tensor_from_json(c["x1"]).requires_grad_();
        const Tensor x2 = tensor_from_json(c["x2"]).requires_grad_();
        const Tensor w = tensor_from_json(c["weight"]).requires_grad_();
        const bool has_bias = c.contains("bias");
        const Tensor b = has_bias ? tensor_from_json(c["bias"]).requires_grad_() : Tensor();
        const Tensor y = F::bilinear(x1, x2, w, b);
        EXPECT_TENSOR_CLOSE(y, tensor_from_json(c["y"]), 1e-12, 1e-12);
        TensorList inputs{x1, x2, w};
        if (has_bias) inputs.push_back(b);
        const TensorList g = autograd::grad({y}, inputs, {tensor_from_json(c["grad_output"])});
        EXPECT_TENSOR_CLOSE(g[0], tensor_from_json(c["grad_x1"]), 1e-12, 1e-12);
        EXPECT_TENSOR_CLOSE(g[1], tensor_from_json(c["grad_x2"]), 1e-12, 1e-12);
        EXPECT_TENSOR_CLOSE(g[2], tensor_from_json(c["grad_weight"]), 1e-12, 1e-12);
        if (has_bias) {
            EXPECT_TENSOR_CLOSE(g[3], tensor_from_json(c["grad_bias"]), 1e-12, 1e-12);
        }
    }
}

TEST(Bilinear, ModuleForwardNonContiguousAndEmpty) {
    manual_seed(0);
    nn::Bilinear m(3, 2, 4);
    const Tensor x1 = randn({3, 5}).t();  // (5, 3), non-contiguous
    const Tensor x2 = randn({5, 4}).narrow(1, 1, 2);
    ASSERT_FALSE(x1.is_contiguous());
    ASSERT_FALSE(x2.is_contiguous());
    const Tensor y = m(x1, x2);
    EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{5, 4}));
    EXPECT_TENSOR_CLOSE(y, m(x1.contiguous(), x2.contiguous()));
    // one output element written out: sum_ij x1_i W_kij x2_j + b_k
    const Tensor expected = (x1[1].view({3, 1}) * m.weight[2] * x2[1].view({1, 2})).sum() + m.bias[2];
    EXPECT_NEAR(y[1][2].item<float>(), expected.item<float>(), 1e-5);
    // empty batch, and an empty in2 (the product is then just the bias)
    EXPECT_EQ(m(empty({0, 3}), empty({0, 2})).sizes().vec(), (std::vector<int64_t>{0, 4}));
    EXPECT_EQ(m(empty({2, 0, 3}), empty({2, 0, 2})).sizes().vec(),
              (std::vector<int64_t>{2, 0, 4}));
    nn::Bilinear no_in2(2, 0, 3);
    EXPECT_TENSOR_CLOSE(no_in2(ones({4, 2}), empty({4, 0})), no_in2.bias.expand({4, 3}));
}

TEST(Bilinear, Gradcheck) {
    auto fn = [](const TensorList& a) {
        return TensorList{F::bilinear(a[0], a[1], a[2], a.size() > 3 ? a[3] : Tensor())};
    };
    const autograd::GradcheckOptions grad_grad{.check_grad_grad = true};
    EXPECT_TRUE(autograd::gradcheck(fn, {test::grad_leaf({4, 3}, 1), test::grad_leaf({4, 2}, 2),
                                         test::grad_leaf({3, 3, 2}, 3), test::grad_leaf({3}, 4)},
                                    grad_grad));
    // non-contiguous operands, extra leading dims, no bias
    EXPECT_TRUE(autograd::gradcheck(fn, {test::strided_grad_leaf({2, 3, 2}, 5),
                                         test::strided_grad_leaf({2, 3, 3}, 6),
                                         test::strided_grad_leaf({2, 2, 3}, 7)},
                                    grad_grad));
}

TEST(Bilinear, ErrorsMatchPyTorchAndNameTheModule) {
    const auto golden = load_golden("nn_bilinear");
    // PyTorch's messages, kept alive while the checks read them
    const auto& e = golden["errors"];
    const std::string dims = e["dims"], batch = e["batch"], input1 = e["input1"],
                      input2 = e["input2"], bias = e["bias"];
    const Tensor w = zeros({2, 3, 4});
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}), zeros({1, 5, 4}), w), dims.c_str());
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}), zeros({6, 4}), w), batch.c_str());
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 2}), zeros({5, 4}), w), input1.c_str(), "[5, 2]");
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}), zeros({5, 5}), w), input2.c_str(), "[5, 5]");
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}), zeros({5, 4}), w, zeros({3})), bias.c_str());
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}), zeros({5, 4}), w, zeros({1, 2})),
                       "bias must be 1-D", "[1, 2]");
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}), zeros({5, 4}), zeros({2, 12})),
                       "weight must be 3-D", "[2, 12]");
    EXPECT_EMBER_ERROR(F::bilinear(zeros({}), zeros({}), w), "at least one dimension");
    EXPECT_EMBER_ERROR(F::bilinear(zeros({5, 3}, {.dtype = float64}), zeros({5, 4}), w),
                       "same dtype", "Double", "Float");
    EXPECT_EMBER_ERROR(nn::Bilinear(0, 2, 3), "in1_features must be positive");
    EXPECT_EMBER_ERROR(nn::Bilinear(2, -1, 3), "must be non-negative");

    // inside a model the error names the module's path and type
    nn::Module outer;
    nn::Bilinear& layer = outer.register_module("pair", nn::Bilinear(3, 4, 2));
    EXPECT_EMBER_ERROR(layer(zeros({5, 2}), zeros({5, 4})),
                       "pair (Bilinear): input1 has 2 features, expected 3", "[5, 2]");
    EXPECT_EMBER_ERROR(layer(zeros({5, 3}), zeros({5, 7})),
                       "pair (Bilinear): input2 has 7 features, expected 4");
    EXPECT_EMBER_ERROR(layer(zeros({5, 3}), zeros({6, 4})),
                       "pair (Bilinear): bilinear(): input batch dimensions do not match");
    EXPECT_EMBER_ERROR(layer.forward(zeros({5, 3})), "forward(const Tensor&) is not implemented");
}

}  // namespace
}  // namespace ember

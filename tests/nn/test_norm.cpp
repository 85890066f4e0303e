// The normalisation layers (ember/nn/normalization.h) and Dropout2d against PyTorch
// (tools/golden/nn_norm.py): batch_norm / layer_norm / group_norm values and gradients in train
// and eval mode, contiguous or not; BatchNorm's running statistics over several steps; float64
// gradchecks with double backward; reprs, state_dict keys and every error path.
#include <gtest/gtest.h>

#include <string>

#include "ember/ember.h"
#include "ember/nn/nn.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

namespace F = nn::functional;
using test::json;
using test::load_golden;
using test::tensor_from_json;

Tensor optional_tensor(const json& c, const char* key) {
    return c.contains(key) && !c.at(key).is_null() ? tensor_from_json(c.at(key)) : Tensor();
}

Tensor leaf(const Tensor& t) { return t.defined() ? t.clone().requires_grad_() : t; }

// The same values with reversed strides (a non-contiguous tensor).
Tensor non_contiguous(const Tensor& t) {
    if (t.dim() < 2) return t.clone();
    DimVector reversed;
    for (int64_t d = t.dim() - 1; d >= 0; --d) reversed.push_back(d);
    return t.permute(reversed).contiguous().permute(reversed);
}

void check_functional_case(const json& c, bool strided) {
    SCOPED_TRACE(c.at("name").get<std::string>() + (strided ? " (non-contiguous)" : ""));
    const std::string op = c.at("op");
    const json& a = c.at("args");
    Tensor x = tensor_from_json(c.at("input"));
    if (strided) {
        x = non_contiguous(x);
        EXPECT_FALSE(x.is_contiguous());
    }
    x.requires_grad_();
    const Tensor w = leaf(optional_tensor(c, "weight")), b = leaf(optional_tensor(c, "bias"));
    Tensor out, running_mean, running_var;
    if (op == "batch_norm") {
        running_mean = tensor_from_json(c.at("running_mean"));
        running_var = tensor_from_json(c.at("running_var"));
        out = F::batch_norm(x, running_mean, running_var, w, b, a.at("training"),
                            a.at("momentum"), a.at("eps"));
        EXPECT_TENSOR_CLOSE(running_mean, tensor_from_json(c.at("running_mean_after")));
        EXPECT_TENSOR_CLOSE(running_var, tensor_from_json(c.at("running_var_after")));
    } else if (op == "layer_norm") {
        const std::vector<int64_t> shape = a.at("normalized_shape");
        out = F::layer_norm(x, shape, w, b, a.at("eps"));
    } else {
        out = F::group_norm(x, a.at("num_groups"), w, b, a.at("eps"));
    }
    EXPECT_TENSOR_CLOSE(out, tensor_from_json(c.at("out")), 1e-5, 1e-5);
    out.backward(tensor_from_json(c.at("upstream")));
    EXPECT_TENSOR_CLOSE(x.grad(), tensor_from_json(c.at("grad_input")), 1e-4, 1e-5);
    if (w.defined()) {
        EXPECT_TENSOR_CLOSE(w.grad(), tensor_from_json(c.at("grad_weight")), 1e-4, 1e-5);
        EXPECT_TENSOR_CLOSE(b.grad(), tensor_from_json(c.at("grad_bias")), 1e-4, 1e-5);
    }
}

TEST(Normalization, FunctionalMatchesPyTorch) {
    const json golden = load_golden("nn_norm");
    ASSERT_GE(golden.at("functional").size(), 26u);
    for (const json& c : golden.at("functional")) check_functional_case(c, false);
}

TEST(Normalization, FunctionalNonContiguous) {
    const json golden = load_golden("nn_norm");
    for (const json& c : golden.at("functional")) check_functional_case(c, true);
}

std::unique_ptr<nn::BatchNormBase> make_batchnorm(const json& m) {
    const json& o = m.at("options");
    nn::BatchNormOptions options;
    options.eps = o.value("eps", 1e-5);
    if (o.contains("momentum"))
        options.momentum = o.at("momentum").is_null()
                               ? std::nullopt
                               : std::optional<double>(o.at("momentum").get<double>());
    options.affine = o.value("affine", true);
    options.track_running_stats = o.value("track_running_stats", true);
    const int64_t features = m.at("num_features");
    if (m.at("class") == "BatchNorm1d") return std::make_unique<nn::BatchNorm1d>(features, options);
    return std::make_unique<nn::BatchNorm2d>(features, options);
}

// Three training steps then one in eval mode: outputs, gradients and running statistics.
TEST(BatchNorm, ModuleStepsMatchPyTorch) {
    const json golden = load_golden("nn_norm");
    for (const json& m : golden.at("batchnorm_modules")) {
        SCOPED_TRACE(m.at("name").get<std::string>());
        auto bn = make_batchnorm(m);
        EXPECT_EQ(bn->repr(), m.at("repr").get<std::string>());
        if (bn->weight.defined()) {
            NoGradGuard no_grad;
            bn->weight.copy_(tensor_from_json(m.at("init").at("weight")));
            bn->bias.copy_(tensor_from_json(m.at("init").at("bias")));
        }
        for (const json& s : m.at("steps")) {
            bn->train(s.at("training").get<bool>());
            bn->zero_grad();
            Tensor x = tensor_from_json(s.at("input")).requires_grad_();
            const Tensor out = (*bn)(x);
            EXPECT_TENSOR_CLOSE(out, tensor_from_json(s.at("out")), 1e-5, 1e-5);
            out.backward(tensor_from_json(s.at("upstream")));
            EXPECT_TENSOR_CLOSE(x.grad(), tensor_from_json(s.at("grad_input")), 1e-4, 1e-5);
            if (bn->weight.defined()) {
                EXPECT_TENSOR_CLOSE(bn->weight.grad(), tensor_from_json(s.at("grad_weight")),
                                    1e-4, 1e-5);
                EXPECT_TENSOR_CLOSE(bn->bias.grad(), tensor_from_json(s.at("grad_bias")), 1e-4,
                                    1e-5);
            }
            if (s.at("running_mean").is_null()) {
                EXPECT_FALSE(bn->running_mean.defined());
                EXPECT_FALSE(bn->num_batches_tracked.defined());
                continue;
            }
            // The statistics are PyTorch's to float precision.
            EXPECT_TENSOR_CLOSE(bn->running_mean, tensor_from_json(s.at("running_mean")), 1e-6,
                                1e-7);
            EXPECT_TENSOR_CLOSE(bn->running_var, tensor_from_json(s.at("running_var")), 1e-6,
                                1e-7);
            EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(),
                      s.at("num_batches_tracked").get<int64_t>());
        }
    }
}

// reference/nn.md's worked examples.
TEST(BatchNorm, ReferenceExamples) {
    nn::BatchNorm1d bn(1);
    const Tensor x = tensor({{1.}, {2.}, {3.}, {4.}});
    EXPECT_TENSOR_CLOSE(bn(x).flatten(), tensor({-1.3416408, -0.4472136, 0.4472136, 1.3416408}));
    EXPECT_NEAR(bn.running_mean.item<double>(), 0.25, 1e-7);
    EXPECT_NEAR(bn.running_var.item<double>(), 1.0666667, 1e-6);
    EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 1);
    EXPECT_EQ(bn.num_batches_tracked.dtype(), int64);
    EXPECT_EQ(bn.num_batches_tracked.dim(), 0);
    bn.eval();
    EXPECT_TENSOR_CLOSE(bn(x).flatten(), tensor({0.7262, 1.6944, 2.6627, 3.6309}), 1e-4, 1e-4);
    // A single sample is fine in eval mode.
    EXPECT_EQ(bn(tensor({{1.}})).sizes(), IntArrayRef({1, 1}));

    nn::BatchNorm1d cumulative(1, {.momentum = std::nullopt});
    cumulative(x);
    cumulative(x * 2);
    EXPECT_NEAR(cumulative.running_mean.item<double>(), 3.75, 1e-6);
    EXPECT_NEAR(cumulative.running_var.item<double>(), 4.1666667, 1e-6);

    nn::BatchNorm1d bn3d(2);
    bn3d(arange(12).reshape({2, 2, 3}).to_float());
    EXPECT_TENSOR_CLOSE(bn3d.running_mean, tensor({0.4f, 0.7f}));
    EXPECT_TENSOR_CLOSE(bn3d.running_var, tensor({2.06f, 2.06f}));

    nn::BatchNorm2d bn2d(1);
    EXPECT_TENSOR_CLOSE(bn2d(arange(8).reshape({2, 1, 2, 2}).to_float()).flatten(),
                        tensor({-1.5275f, -1.0911f, -0.6547f, -0.2182f, 0.2182f, 0.6547f,
                                1.0911f, 1.5275f}),
                        1e-4, 1e-4);
    EXPECT_NEAR(bn2d.running_mean.item<double>(), 0.35, 1e-6);
    EXPECT_NEAR(bn2d.running_var.item<double>(), 1.5, 1e-6);
}

TEST(BatchNorm, ParametersBuffersAndStateDict) {
    nn::Sequential seq(nn::Linear(4, 4), nn::BatchNorm1d(4));
    std::vector<std::string> keys;
    for (const auto& [k, v] : seq.state_dict()) keys.push_back(k);
    const std::vector<std::string> expected = load_golden("nn_norm").at("state_dict_keys");
    EXPECT_EQ(keys, expected);
    EXPECT_EQ(seq(randn({3, 4})).sizes(), IntArrayRef({3, 4}));

    nn::BatchNorm2d bn(3);
    EXPECT_TENSOR_EQ(bn.weight, ones({3}));
    EXPECT_TENSOR_EQ(bn.bias, zeros({3}));
    EXPECT_TRUE(bn.weight.requires_grad());
    EXPECT_TENSOR_EQ(bn.running_mean, zeros({3}));
    EXPECT_TENSOR_EQ(bn.running_var, ones({3}));
    EXPECT_FALSE(bn.running_var.requires_grad());
    EXPECT_EQ(bn.parameters().size(), 2u);
    EXPECT_EQ(bn.buffers().size(), 3u);

    nn::BatchNorm1d plain(3, {.affine = false});
    keys.clear();
    for (const auto& [k, v] : plain.state_dict()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"running_mean", "running_var",
                                              "num_batches_tracked"}));
    nn::BatchNorm1d untracked(3, {.track_running_stats = false});
    keys.clear();
    for (const auto& [k, v] : untracked.state_dict()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"weight", "bias"}));

    // reset_running_stats, and a module converted to float64 keeps an int64 counter.
    bn(randn({2, 3, 2, 2}));
    bn.reset_running_stats();
    EXPECT_TENSOR_EQ(bn.running_mean, zeros({3}));
    EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 0);
    bn.to(float64);
    EXPECT_EQ(bn.running_var.dtype(), float64);
    EXPECT_EQ(bn.num_batches_tracked.dtype(), int64);
    EXPECT_EQ(bn(randn({2, 3, 2, 2}, {.dtype = float64})).dtype(), float64);
}

// Eval mode never touches the statistics; a module without them uses the batch's in eval too.
TEST(BatchNorm, EvalAndUntracked) {
    nn::BatchNorm1d bn(2);
    bn.eval();
    const Tensor x = randn({4, 2});
    EXPECT_TENSOR_CLOSE(bn(x), x / std::sqrt(1 + 1e-5));
    EXPECT_TENSOR_EQ(bn.running_mean, zeros({2}));
    EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 0);

    nn::BatchNorm1d untracked(2, {.track_running_stats = false});
    const Tensor train_out = untracked(x);
    untracked.eval();
    EXPECT_TENSOR_CLOSE(untracked(x), train_out);
    EXPECT_EMBER_ERROR(untracked(randn({1, 2})), "Expected more than 1 value per channel");

    // An empty batch: an empty output, statistics unchanged (the counter still counts).
    nn::BatchNorm1d empty_bn(2);
    EXPECT_EQ(empty_bn(zeros({0, 2})).sizes(), IntArrayRef({0, 2}));
    EXPECT_TENSOR_EQ(empty_bn.running_mean, zeros({2}));
}

TEST(Normalization, Reprs) {
    EXPECT_EQ(nn::BatchNorm2d(2).repr(),
              "BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
    EXPECT_EQ(nn::BatchNorm1d(3, {.momentum = std::nullopt, .affine = false,
                                  .track_running_stats = false})
                  .repr(),
              "BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=False)");
    EXPECT_EQ(nn::BatchNorm2d(2, {.eps = 1e-3, .momentum = 0.3}).repr(),
              "BatchNorm2d(2, eps=0.001, momentum=0.3, affine=True, track_running_stats=True)");
    EXPECT_EQ(nn::LayerNorm(4).repr(), "LayerNorm((4,), eps=1e-05, elementwise_affine=True)");
    EXPECT_EQ(nn::LayerNorm({2, 3}, {.eps = 1e-3, .elementwise_affine = false}).repr(),
              "LayerNorm((2, 3), eps=0.001, elementwise_affine=False)");
    EXPECT_EQ(nn::GroupNorm(2, 6).repr(), "GroupNorm(2, 6, eps=1e-05, affine=True)");
    EXPECT_EQ(nn::GroupNorm(2, 6, {.eps = 0.1, .affine = false}).repr(),
              "GroupNorm(2, 6, eps=0.1, affine=False)");
    EXPECT_EQ(nn::Dropout2d().repr(), "Dropout2d(p=0.5, inplace=False)");
}

TEST(Normalization, LayerAndGroupNormModules) {
    nn::LayerNorm ln({3, 4});
    EXPECT_TENSOR_EQ(ln.weight, ones({3, 4}));
    EXPECT_TENSOR_EQ(ln.bias, zeros({3, 4}));
    const Tensor x = randn({2, 3, 4});
    EXPECT_TENSOR_CLOSE(ln(x), F::layer_norm(x, {3, 4}));
    EXPECT_EQ(nn::LayerNorm(4, {.elementwise_affine = false}).parameters().size(), 0u);

    nn::GroupNorm gn(2, 4);
    EXPECT_EQ(gn.weight.sizes(), IntArrayRef({4}));
    const Tensor y = randn({3, 4, 5});
    EXPECT_TENSOR_CLOSE(gn(y), F::group_norm(y, 2));
    // GroupNorm with one group per channel is InstanceNorm; with one group, LayerNorm over C, *.
    EXPECT_TENSOR_CLOSE(F::group_norm(y, 1), F::layer_norm(y, {4, 5}));
}

void expect_gradcheck(const std::function<Tensor(const TensorList&)>& fn, const TensorList& in) {
    EXPECT_TRUE(autograd::gradcheck([&](const TensorList& a) { return TensorList{fn(a)}; }, in,
                                   {.check_grad_grad = true}));
}

TEST(NormalizationGradcheck, BatchNorm) {
    const Tensor x = test::grad_leaf({4, 3, 2}, 1), w = test::grad_leaf({3}, 2);
    const Tensor b = test::strided_grad_leaf({3}, 3);
    const Tensor rm = randn({3}, {.dtype = float64}), rv = rand({3}, {.dtype = float64}) + 0.5;
    for (bool training : {true, false}) {
        SCOPED_TRACE(training);
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::batch_norm(a[0], rm.clone(), rv.clone(), a[1], a[2], training);
            },
            {x, w, b});
        expect_gradcheck(
            [&](const TensorList& a) { return F::batch_norm(a[0], rm, rv, {}, {}, training); },
            {test::strided_grad_leaf({3, 3, 2, 2}, 4)});
    }
}

TEST(NormalizationGradcheck, LayerNormAndGroupNorm) {
    const Tensor x = test::strided_grad_leaf({2, 3, 4}, 1);
    expect_gradcheck(
        [](const TensorList& a) { return F::layer_norm(a[0], {3, 4}, a[1], a[2]); },
        {x, test::grad_leaf({3, 4}, 2), test::grad_leaf({3, 4}, 3)});
    expect_gradcheck([](const TensorList& a) { return F::layer_norm(a[0], 4); }, {x});
    expect_gradcheck(
        [](const TensorList& a) { return F::group_norm(a[0], 2, a[1], a[2]); },
        {test::grad_leaf({2, 4, 3}, 4), test::grad_leaf({4}, 5), test::grad_leaf({4}, 6)});
}

TEST(Normalization, Errors) {
    const Tensor x = randn({2, 3});
    EXPECT_EMBER_ERROR(F::batch_norm(x, zeros({4}), ones({3})),
                       "running_mean should contain 3 elements not 4");
    EXPECT_EMBER_ERROR(F::batch_norm(x, zeros({3}), ones({2})),
                       "running_var should contain 3 elements not 2");
    EXPECT_EMBER_ERROR(F::batch_norm(x, zeros({3}), ones({3}), ones({2})),
                       "weight should contain 3 elements not 2");
    EXPECT_EMBER_ERROR(F::batch_norm(x, zeros({3}), ones({3}), {}, ones({5})),
                       "bias should contain 3 elements not 5");
    EXPECT_EMBER_ERROR(F::batch_norm(x, {}, {}), "running_mean must be defined in evaluation mode");
    EXPECT_EMBER_ERROR(F::batch_norm(randn({1, 3}), zeros({3}), ones({3}), {}, {}, true),
                       "Expected more than 1 value per channel when training, got input size "
                       "[1, 3]");
    EXPECT_EMBER_ERROR(F::batch_norm(randn({3}), zeros({3}), ones({3})), "batch_norm",
                       "at least 2 dims", "[3]");
    EXPECT_EMBER_ERROR(F::batch_norm(ones({2, 3}, {.dtype = int64}), zeros({3}), ones({3})),
                       "batch_norm", "floating");

    nn::BatchNorm1d bn(3);
    EXPECT_EMBER_ERROR(bn(randn({2, 4})), "BatchNorm1d: ", "running_mean should contain 4 "
                       "elements not 3");
    EXPECT_EMBER_ERROR(bn(randn({2, 3, 4, 5})), "BatchNorm1d: ",
                       "expected 2D or 3D input (got 4D input)");
    EXPECT_EMBER_ERROR(bn(randn({1, 3})), "Expected more than 1 value per channel when training, "
                       "got input size [1, 3]");
    EXPECT_EMBER_ERROR(bn(randn({1, 3, 1})), "got input size [1, 3, 1]");
    EXPECT_EMBER_ERROR(nn::BatchNorm2d(3)(randn({2, 3, 4})), "expected 4D input (got 3D input)");

    EXPECT_EMBER_ERROR(F::layer_norm(x, 4), "Given normalized_shape=[4], expected input with "
                       "shape [*, 4], but got input of size[2, 3]");
    EXPECT_EMBER_ERROR(F::layer_norm(x, {2, 3, 1}), "normalized_shape=[2, 3, 1]");
    EXPECT_EMBER_ERROR(F::layer_norm(x, 3, ones({4})), "Expected weight to be of same shape as "
                       "normalized_shape, but got weight of shape [4] and normalized_shape = [3]");
    EXPECT_EMBER_ERROR(F::layer_norm(x, 3, {}, ones({4})), "Expected bias to be of same shape");
    EXPECT_EMBER_ERROR(F::layer_norm(x, std::vector<int64_t>{}), "at least 1-dimensional");
    EXPECT_EMBER_ERROR(nn::LayerNorm(4)(x), "LayerNorm: ", "normalized_shape=[4]");

    const Tensor y = randn({2, 6, 4});
    EXPECT_EMBER_ERROR(F::group_norm(y, 4), "Expected number of channels in input to be "
                       "divisible by num_groups, but got input of shape [2, 6, 4] and "
                       "num_groups=4");
    EXPECT_EMBER_ERROR(F::group_norm(y, 3, ones({5})), "Expected weight to be a vector of size "
                       "equal to the number of channels in input, but got weight of shape [5] "
                       "and input of shape [2, 6, 4]");
    EXPECT_EMBER_ERROR(F::group_norm(y, 3, {}, ones({5})), "Expected bias to be a vector");
    EXPECT_EMBER_ERROR(F::group_norm(randn({6}), 3), "at least 2 dimensions");
    EXPECT_EMBER_ERROR(F::group_norm(y, 0), "num_groups must be positive");
    EXPECT_EMBER_ERROR(F::group_norm(randn({1, 3}), 3),
                       "Expected more than 1 value per channel when training, got input size "
                       "[1, 3]");
    EXPECT_EMBER_ERROR(nn::GroupNorm(4, 6), "num_channels must be divisible by num_groups");
    EXPECT_EMBER_ERROR(nn::GroupNorm(2, 6)(randn({2, 4, 3})), "GroupNorm: ",
                       "weight of shape [6] and input of shape [2, 4, 3]");
}

// ---- Dropout2d ----------------------------------------------------------------------------------

TEST(Dropout2d, MaskMatchesPyTorch) {
    const json golden = load_golden("nn_norm");
    for (const json& c : golden.at("dropout2d")) {
        SCOPED_TRACE(c.at("seed").get<int>());
        const Tensor x = tensor_from_json(c.at("input"));
        manual_seed(c.at("seed").get<uint64_t>());
        EXPECT_TENSOR_CLOSE(F::dropout2d(x, c.at("p")), tensor_from_json(c.at("out")));
    }
    const json& m = golden.at("dropout2d_module");
    manual_seed(m.at("seed").get<uint64_t>());
    nn::Dropout2d drop(m.at("p").get<double>());
    EXPECT_TENSOR_CLOSE(drop(ones({3, 6, 2, 2})), tensor_from_json(m.at("out")));
}

TEST(Dropout2d, ChannelsAndModes) {
    manual_seed(0);
    const Tensor x = randn({4, 8, 3, 3});
    Tensor out = F::dropout2d(x, 0.5);
    // Each (n, c) plane is either zero or the input scaled by 2.
    const Tensor zero_plane = (out == 0).all(3).all(2);
    const Tensor kept_plane = (out == x * 2).all(3).all(2);
    EXPECT_TRUE((zero_plane.logical_not() == kept_plane).all().item<bool>());
    EXPECT_TRUE(F::dropout2d(x, 0.5, /*training=*/false).is_same(x));
    EXPECT_TRUE(F::dropout2d(x, 0.0).is_same(x));
    // p = 1 multiplies by zero, as PyTorch (negative inputs give -0).
    EXPECT_TRUE((F::dropout2d(x, 1.0) == 0).all().item<bool>());

    // The gradient is the mask; inplace writes into the input.
    Tensor leaf_in = randn({2, 3, 2, 2}).requires_grad_();
    manual_seed(3);
    out = F::dropout2d(leaf_in, 0.5);
    out.sum().backward();
    EXPECT_TENSOR_CLOSE(leaf_in.grad() * leaf_in.detach(), out.detach());
    Tensor y = ones({2, 3, 2});
    const Tensor r = F::dropout2d(y, 0.5, true, /*inplace=*/true);
    EXPECT_TRUE(r.is_same(y));

    nn::Dropout2d drop(0.5);
    drop.eval();
    EXPECT_TRUE(drop(x).is_same(x));
    EXPECT_EMBER_ERROR(nn::Dropout2d(1.5), "dropout probability has to be between 0 and 1, but "
                       "got 1.5");
    EXPECT_EMBER_ERROR(F::dropout2d(x, -0.1), "dropout probability has to be between 0 and 1");
    EXPECT_EMBER_ERROR(F::dropout2d(randn({3}), 0.5), "Feature dropout requires at least 2 "
                       "dimensions");
}

}  // namespace
}  // namespace ember

// The losses (ember/nn/loss.h) against PyTorch (tools/golden/nn_loss.py): values and gradients
// of every loss with every reduction and option, in functional and module form, contiguous or
// not; float64 gradchecks (with double backward); the module reprs; every error path.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ember/ember.h"
#include "ember/nn/loss.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

namespace F = nn::functional;
using test::json;
using test::load_golden;
using test::tensor_from_json;

Tensor optional_tensor(const json& c, const char* key) {
    return c.contains(key) ? tensor_from_json(c.at(key)) : Tensor();
}

// Runs the case's loss in functional form (or, with `module`, through its nn module) with the
// options recorded by the fixture.
Tensor run_case(const json& c, const Tensor& x, const Tensor& t, bool module) {
    const std::string loss = c.at("loss");
    const json& o = c.at("options");
    const std::string reduction = o.value("reduction", "mean");
    const Tensor weight = optional_tensor(c, "weight");
    const Tensor pos_weight = optional_tensor(c, "pos_weight");
    if (loss == "mse_loss")
        return module ? nn::MSELoss({.reduction = reduction})(x, t)
                      : F::mse_loss(x, t, {.reduction = reduction});
    if (loss == "l1_loss")
        return module ? nn::L1Loss({.reduction = reduction})(x, t)
                      : F::l1_loss(x, t, {.reduction = reduction});
    if (loss == "smooth_l1_loss") {
        const nn::SmoothL1LossOptions opt{.reduction = reduction, .beta = o.value("beta", 1.0)};
        return module ? nn::SmoothL1Loss(opt)(x, t) : F::smooth_l1_loss(x, t, opt);
    }
    if (loss == "huber_loss") {
        const nn::HuberLossOptions opt{.reduction = reduction, .delta = o.value("delta", 1.0)};
        return module ? nn::HuberLoss(opt)(x, t) : F::huber_loss(x, t, opt);
    }
    if (loss == "cross_entropy") {
        const nn::CrossEntropyLossOptions opt{
            .weight = weight, .ignore_index = o.value("ignore_index", int64_t{-100}),
            .reduction = reduction, .label_smoothing = o.value("label_smoothing", 0.0)};
        return module ? nn::CrossEntropyLoss(opt)(x, t) : F::cross_entropy(x, t, opt);
    }
    if (loss == "nll_loss") {
        const nn::NLLLossOptions opt{.weight = weight,
                                     .ignore_index = o.value("ignore_index", int64_t{-100}),
                                     .reduction = reduction};
        return module ? nn::NLLLoss(opt)(x, t) : F::nll_loss(x, t, opt);
    }
    if (loss == "binary_cross_entropy") {
        const nn::BCELossOptions opt{.weight = weight, .reduction = reduction};
        return module ? nn::BCELoss(opt)(x, t) : F::binary_cross_entropy(x, t, opt);
    }
    if (loss == "binary_cross_entropy_with_logits") {
        const nn::BCEWithLogitsLossOptions opt{
            .weight = weight, .reduction = reduction, .pos_weight = pos_weight};
        return module ? nn::BCEWithLogitsLoss(opt)(x, t)
                      : F::binary_cross_entropy_with_logits(x, t, opt);
    }
    if (loss == "kl_div") {
        const nn::KLDivLossOptions opt{.reduction = reduction,
                                       .log_target = o.value("log_target", false)};
        return module ? nn::KLDivLoss(opt)(x, t) : F::kl_div(x, t, opt);
    }
    ADD_FAILURE() << "unknown loss in fixture: " << loss;
    return Tensor();
}

// The same values with transposed strides (a non-contiguous leaf).
Tensor non_contiguous(const Tensor& t) {
    if (t.dim() < 2) return t.clone();
    return t.transpose(0, -1).contiguous().transpose(0, -1).detach();
}

void check_case(const json& c, bool module, bool strided) {
    SCOPED_TRACE(c.at("name").get<std::string>() + (module ? " (module)" : "") +
                 (strided ? " (non-contiguous)" : ""));
    Tensor x = tensor_from_json(c.at("input"));
    Tensor t = tensor_from_json(c.at("target"));
    if (strided) {
        x = non_contiguous(x);
        t = non_contiguous(t);
        if (x.dim() >= 2) {
            EXPECT_FALSE(x.is_contiguous());
        }
    }
    x.requires_grad_();
    const bool target_grad = c.contains("grad_target");
    if (target_grad) t.requires_grad_();
    const Tensor out = run_case(c, x, t, module);
    EXPECT_TENSOR_CLOSE(out, tensor_from_json(c.at("out")));
    out.sum().backward();
    EXPECT_TENSOR_CLOSE(x.grad(), tensor_from_json(c.at("grad")));
    if (target_grad) {
        EXPECT_TENSOR_CLOSE(t.grad(), tensor_from_json(c.at("grad_target")));
    }
}

TEST(Loss, MatchesPyTorchFunctional) {
    const json golden = load_golden("nn_loss");
    ASSERT_GT(golden.at("cases").size(), 80u);
    for (const json& c : golden.at("cases")) check_case(c, false, false);
}

TEST(Loss, MatchesPyTorchModule) {
    const json golden = load_golden("nn_loss");
    ASSERT_GT(golden.at("cases").size(), 80u);
    for (const json& c : golden.at("cases")) check_case(c, true, false);
}

TEST(Loss, MatchesPyTorchNonContiguous) {
    const json golden = load_golden("nn_loss");
    ASSERT_GT(golden.at("cases").size(), 80u);
    for (const json& c : golden.at("cases")) check_case(c, false, true);
}

// reference/nn.md's worked examples.
TEST(Loss, ReferenceExamples) {
    const Tensor x = tensor({{1., 2., 3.}, {1., 0., -1.}});
    const Tensor t = tensor({2, 0}, {.dtype = int64});
    const Tensor w = tensor({1., 2., 3.});
    EXPECT_NEAR(F::cross_entropy(x, t).item<double>(), 0.40760595, 1e-6);
    EXPECT_NEAR(F::cross_entropy(x, t, {.weight = w, .label_smoothing = 0.2}).item<double>(),
                0.60760593, 1e-6);
    EXPECT_NEAR(F::cross_entropy(x, t, {.label_smoothing = 0.1}).item<double>(), 0.50760591,
                1e-6);
    EXPECT_NEAR(F::nll_loss(x, t).item<double>(), -2.0, 1e-6);
    EXPECT_TRUE(std::isnan(
        F::cross_entropy(x, tensor({-100, -100}, {.dtype = int64})).item<double>()));
    const Tensor p = tensor({{0., 0., 1.}, {.5, .5, 0.}});
    EXPECT_NEAR(F::cross_entropy(x, p, {.weight = w}).item<double>(), 1.41711342, 1e-6);
    EXPECT_NEAR(F::cross_entropy(tensor({1., 2., 3.}), tensor(int64_t{2})).item<double>(),
                0.40760595, 1e-6);
    EXPECT_TENSOR_CLOSE(F::binary_cross_entropy(tensor({0.9, 0.2, 0.}), tensor({1., 0., 1.}),
                                                {.reduction = "none"}),
                        tensor({0.1053605, 0.2231436, 100.}));
    EXPECT_TENSOR_CLOSE(F::binary_cross_entropy_with_logits(tensor({100., -100.}),
                                                            tensor({0., 1.}),
                                                            {.reduction = "none"}),
                        tensor({100., 100.}));
}

// BCE's gradient is PyTorch's (x - t) / max(x (1 - x), 1e-12), not the clamped loss's zero.
TEST(Loss, BinaryCrossEntropyGradientAtTheEdges) {
    Tensor x = tensor({0., 1.}).requires_grad_();
    F::binary_cross_entropy(x, tensor({1., 0.})).backward();
    EXPECT_TENSOR_CLOSE(x.grad(), tensor({-499999997952.f, 499999997952.f}));
}

// The seed's usage: labels stored as floats of shape (N, 1).
TEST(Loss, CrossEntropyWithLongSqueezedTarget) {
    const Tensor logits = tensor({{1., 2., 3.}, {1., 0., -1.}});
    const Tensor y = tensor({{2.}, {0.}});
    nn::CrossEntropyLoss criterion;
    EXPECT_NEAR(criterion(logits, y.to_long().squeeze()).item<double>(), 0.40760595, 1e-6);
    for (DType d : {int8, int16, int32, uint8})
        EXPECT_NEAR(F::cross_entropy(logits, y.to(d).squeeze()).item<double>(), 0.40760595,
                    1e-6);
}

TEST(Loss, EmptyBatch) {
    const Tensor x = zeros({0, 3});
    const Tensor t = zeros({0}, {.dtype = int64});
    EXPECT_TRUE(std::isnan(F::cross_entropy(x, t).item<double>()));
    EXPECT_EQ(F::cross_entropy(x, t, {.reduction = "sum"}).item<double>(), 0.0);
    EXPECT_EQ(F::cross_entropy(x, t, {.reduction = "none"}).sizes(), IntArrayRef({0}));
    EXPECT_TRUE(std::isnan(F::mse_loss(zeros({0}), zeros({0})).item<double>()));
}

// ---- gradcheck in float64, with double backward -----------------------------------------

void expect_gradcheck(const std::function<Tensor(const TensorList&)>& fn, const TensorList& in) {
    EXPECT_TRUE(autograd::gradcheck([&](const TensorList& a) { return TensorList{fn(a)}; }, in,
                                   {.check_grad_grad = true}));
}

TEST(LossGradcheck, Pointwise) {
    for (const char* r : {"none", "mean", "sum"}) {
        SCOPED_TRACE(r);
        const Tensor x = test::grad_leaf({3, 4}, 1), y = test::strided_grad_leaf({3, 4}, 2);
        const std::string red = r;
        expect_gradcheck([&](const TensorList& a) { return F::mse_loss(a[0], a[1], {red}); },
                         {x, y});
        expect_gradcheck([&](const TensorList& a) { return F::l1_loss(a[0], a[1], {red}); },
                         {x, y});
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::smooth_l1_loss(a[0], a[1], {.reduction = red, .beta = 0.7});
            },
            {x, y});
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::huber_loss(a[0], a[1], {.reduction = red, .delta = 0.7});
            },
            {x, y});
        const Tensor logp = x.detach().log_softmax(1).requires_grad_();
        const Tensor q = y.detach().softmax(1).requires_grad_();
        expect_gradcheck([&](const TensorList& a) { return F::kl_div(a[0], a[1], {red}); },
                         {logp, q});
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::kl_div(a[0], a[1], {.reduction = red, .log_target = true});
            },
            {logp, y});
    }
}

TEST(LossGradcheck, CrossEntropyAndNll) {
    const Tensor w = tensor({0.5, 2.0, 1.5, 1.0}, {.dtype = float64});
    const Tensor t = tensor({1, -100, 3}, {.dtype = int64});
    const Tensor x4 = test::grad_leaf({2, 4, 3, 2}, 3);
    const Tensor t4 = randint(0, 4, {2, 3, 2});
    for (const char* r : {"none", "mean", "sum"}) {
        SCOPED_TRACE(r);
        const std::string red = r;
        const Tensor x = test::strided_grad_leaf({3, 4}, 4);
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::cross_entropy(a[0], t,
                                        {.weight = w, .reduction = red, .label_smoothing = 0.2});
            },
            {x});
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::cross_entropy(a[0], t4, {.weight = w, .reduction = red,
                                                   .label_smoothing = 0.1});
            },
            {x4});
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::nll_loss(a[0], t, {.weight = w, .reduction = red});
            },
            {x});
        const Tensor p = test::grad_leaf({3, 4}, 5).detach().softmax(1).requires_grad_();
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::cross_entropy(a[0], a[1],
                                        {.weight = w, .reduction = red, .label_smoothing = 0.1});
            },
            {x, p});
    }
}

TEST(LossGradcheck, BinaryCrossEntropy) {
    const Tensor w = tensor({0.5, 2.0, 1.5, 1.0}, {.dtype = float64});
    for (const char* r : {"none", "mean", "sum"}) {
        SCOPED_TRACE(r);
        const std::string red = r;
        const Tensor x = test::grad_leaf({3, 4}, 6);
        const Tensor p = x.detach().sigmoid().requires_grad_();
        const Tensor y = test::grad_leaf({3, 4}, 7).detach().sigmoid().requires_grad_();
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::binary_cross_entropy(a[0], a[1], {.weight = w, .reduction = red});
            },
            {p, y});
        expect_gradcheck(
            [&](const TensorList& a) {
                return F::binary_cross_entropy_with_logits(
                    a[0], a[1], {.weight = w, .reduction = red, .pos_weight = w * 2});
            },
            {x, y});
    }
}

// ---- modules ------------------------------------------------------------------------------

TEST(LossModule, ReprIsTheBareClassName) {
    EXPECT_EQ(nn::CrossEntropyLoss({.label_smoothing = 0.1}).repr(), "CrossEntropyLoss()");
    EXPECT_EQ(nn::BCELoss({.reduction = "sum"}).repr(), "BCELoss()");
    EXPECT_EQ(nn::MSELoss().repr(), "MSELoss()");
    EXPECT_EQ(nn::L1Loss().repr(), "L1Loss()");
    EXPECT_EQ(nn::NLLLoss().repr(), "NLLLoss()");
    EXPECT_EQ(nn::BCEWithLogitsLoss().repr(), "BCEWithLogitsLoss()");
    EXPECT_EQ(nn::SmoothL1Loss().repr(), "SmoothL1Loss()");
    EXPECT_EQ(nn::HuberLoss().repr(), "HuberLoss()");
    EXPECT_EQ(nn::KLDivLoss().repr(), "KLDivLoss()");
}

// Class weights are buffers, as PyTorch's (state_dict, to()); options are public members.
TEST(LossModule, WeightsAreBuffersAndOptionsAreMembers) {
    nn::CrossEntropyLoss plain;
    EXPECT_TRUE(plain.state_dict().empty());
    nn::BCEWithLogitsLoss bce({.weight = ones({2}), .pos_weight = full({2}, 3.0)});
    std::vector<std::string> keys;
    for (const auto& [name, value] : bce.named_buffers()) keys.push_back(name);
    EXPECT_EQ(keys, (std::vector<std::string>{"weight", "pos_weight"}));
    bce.to(float64);
    EXPECT_EQ(bce.pos_weight.dtype(), float64);

    nn::MSELoss mse;
    mse.reduction = "sum";
    EXPECT_NEAR(mse(tensor({1., 2., 3.}), tensor({1.5, 2., 5.})).item<double>(), 4.25, 1e-6);
}

// ---- errors -------------------------------------------------------------------------------

TEST(LossErrors, Reduction) {
    EXPECT_EMBER_ERROR(F::mse_loss(ones({2}), ones({2}), {.reduction = "avg"}), "mse_loss",
                       "avg is not a valid value for reduction");
    nn::CrossEntropyLoss loss({.reduction = "avg"});  // accepted until the loss is computed
    EXPECT_EMBER_ERROR(loss(ones({2, 3}), zeros({2}, {.dtype = int64})),
                       "CrossEntropyLoss: cross_entropy: avg is not a valid value for reduction");
    EXPECT_EMBER_ERROR(F::mse_loss(ones({2}), ones({2}), {.reduction = "batchmean"}),
                       "batchmean is not a valid value");
}

TEST(LossErrors, CrossEntropyShapes) {
    const Tensor x = ones({3, 4});
    EXPECT_EMBER_ERROR(F::cross_entropy(x, zeros({2}, {.dtype = int64})), "cross_entropy",
                       "Expected input batch_size (3) to match target batch_size (2).");
    EXPECT_EMBER_ERROR(nn::CrossEntropyLoss()(x, zeros({2}, {.dtype = int64})),
                       "CrossEntropyLoss: cross_entropy: Expected input batch_size (3)");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, zeros({3, 1}, {.dtype = int64})),
                       "0D or 1D target tensor expected, multi-target not supported", "[3, 1]");
    EXPECT_EMBER_ERROR(F::cross_entropy(ones({2, 3, 4}), zeros({2, 3}, {.dtype = int64})),
                       "Expected target size [2, 4], got [2, 3]");
    EXPECT_EMBER_ERROR(F::nll_loss(ones({2, 3, 4, 5}), zeros({2, 4, 4}, {.dtype = int64})),
                       "nll_loss", "Expected target size [2, 4, 5], got [2, 4, 4]");
    EXPECT_EMBER_ERROR(F::cross_entropy(ones({3}), zeros({1}, {.dtype = int64})),
                       "size mismatch (got input: [3], target: [1])");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, zeros({}, {.dtype = int64})), "0-dim target");
    EXPECT_EMBER_ERROR(F::cross_entropy(tensor(1.), tensor(int64_t{0})),
                       "Expected 1 or more dimensions (got 0)");
    EXPECT_EMBER_ERROR(F::nll_loss(tensor(1.), tensor(int64_t{0})),
                       "nll_loss: Expected 1 or more dimensions (got 0)");
}

TEST(LossErrors, CrossEntropyTargets) {
    const Tensor x = ones({2, 3});
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({5, 0}, {.dtype = int64})),
                       "cross_entropy: Target 5 is out of bounds.");
    EXPECT_EMBER_ERROR(F::nll_loss(x, tensor({0, -1}, {.dtype = int64})),
                       "nll_loss: Target -1 is out of bounds.");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({3, 0}, {.dtype = int64}),
                                        {.label_smoothing = 0.1}),
                       "Target 3 is out of bounds.");
    // An ignore_index among the classes is skipped, not range-checked.
    EXPECT_NO_THROW(F::cross_entropy(x, tensor({-7, 0}, {.dtype = int64}), {.ignore_index = -7}));
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({1., 0.})), "cross_entropy",
                       "integer dtype", "float32");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({true, false})), "integer dtype", "bool");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, ones({2, 3}, {.dtype = int64})),
                       "Expected floating point type for target with class probabilities, got "
                       "int64");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, ones({2, 3}), {.ignore_index = 1}),
                       "ignore_index is not supported for floating point target");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({1, 0}, {.dtype = int64}),
                                        {.label_smoothing = 1.5}),
                       "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({1, 0}, {.dtype = int64}),
                                        {.label_smoothing = -0.1}),
                       "label_smoothing must be between 0.0 and 1.0");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({1, 0}, {.dtype = int64}), {.weight = ones({2})}),
                       "weight tensor should be defined either for all 3 classes or no classes "
                       "but got weight tensor of shape: [2]");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, ones({2, 3}), {.weight = ones({3, 1})}),
                       "weight tensor should be defined either for all 3 classes");
    EXPECT_EMBER_ERROR(F::cross_entropy(ones({2, 3}, {.dtype = int64}),
                                        tensor({1, 0}, {.dtype = int64})),
                       "cross_entropy: expected floating logits");
    EXPECT_EMBER_ERROR(F::cross_entropy(x, Tensor()), "cross_entropy", "undefined target");
}

TEST(LossErrors, Pointwise) {
    EXPECT_EMBER_ERROR(F::mse_loss(ones({3}), ones({2})), "mse_loss");
    EXPECT_EMBER_ERROR(F::l1_loss(ones({3}, {.dtype = int64}), ones({3}, {.dtype = int64})),
                       "l1_loss: expected floating input and target", "int64");
    EXPECT_EMBER_ERROR(F::smooth_l1_loss(ones({3}), ones({3}), {.beta = -1}),
                       "smooth_l1_loss does not support negative values for beta");
    EXPECT_EMBER_ERROR(F::huber_loss(ones({3}), ones({3}), {.delta = 0}),
                       "huber_loss does not support non-positive values for delta");
    EXPECT_EMBER_ERROR(F::kl_div(ones({3}), ones({2})), "kl_div");
    EXPECT_EMBER_ERROR(nn::HuberLoss({.delta = -1})(ones({3}), ones({3})),
                       "HuberLoss: huber_loss does not support");
}

TEST(LossErrors, BinaryCrossEntropy) {
    EXPECT_EMBER_ERROR(F::binary_cross_entropy(tensor({1.5, 0.5}), tensor({1., 0.})),
                       "binary_cross_entropy: all elements of input should be between 0 and 1");
    EXPECT_EMBER_ERROR(F::binary_cross_entropy(tensor({NAN}), tensor({1.})),
                       "all elements of input should be between 0 and 1");
    EXPECT_EMBER_ERROR(F::binary_cross_entropy(ones({3}), ones({3, 1})),
                       "Using a target size ([3, 1]) that is different to the input size ([3])");
    EXPECT_EMBER_ERROR(F::binary_cross_entropy(ones({2}), ones({2}, {.dtype = int64})),
                       "expected floating input and target", "int64");
    EXPECT_EMBER_ERROR(F::binary_cross_entropy(ones({2}), ones({2}), {.weight = ones({3})}),
                       "weight of shape [3] can't be broadcast to the input's shape [2]");
    EXPECT_EMBER_ERROR(nn::BCELoss()(tensor({-0.5}), tensor({1.})),
                       "BCELoss: binary_cross_entropy: all elements");
    EXPECT_EMBER_ERROR(F::binary_cross_entropy_with_logits(ones({3}), ones({3, 1})),
                       "binary_cross_entropy_with_logits",
                       "Target size ([3, 1]) must be the same as input size ([3])");
    EXPECT_EMBER_ERROR(F::binary_cross_entropy_with_logits(ones({2, 3}), ones({2, 3}),
                                                           {.pos_weight = ones({2})}),
                       "pos_weight of shape [2] can't be broadcast to the input's shape [2, 3]");
}

}  // namespace
}  // namespace ember

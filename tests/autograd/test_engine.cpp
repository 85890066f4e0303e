// The autograd engine: leaves, accumulation, retain_graph, grad(), hooks, grad modes, in-place
// rules and their errors (reference: autograd.md).
#include <gtest/gtest.h>

#include <thread>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember {
namespace {

Tensor leaf(std::vector<double> values) {
    return tensor(values, {.dtype = float32}).requires_grad_();
}

TEST(AutogradEngine, LeafAndNonLeafFlags) {
    Tensor x = leaf({1., 2., 3.});
    EXPECT_TRUE(x.is_leaf());
    EXPECT_TRUE(x.requires_grad());
    EXPECT_EQ(x.grad_fn(), nullptr);
    Tensor y = x * 2;
    EXPECT_FALSE(y.is_leaf());
    EXPECT_TRUE(y.requires_grad());
    ASSERT_NE(y.grad_fn(), nullptr);
    EXPECT_EQ(y.grad_fn()->name(), "MulBackward1");
    EXPECT_EQ((x * x).grad_fn()->name(), "MulBackward0");
    EXPECT_EQ((x + 1).grad_fn()->name(), "AddBackward1");
    EXPECT_EQ((x - 1).grad_fn()->name(), "SubBackward1");
    EXPECT_EQ((1 - x).grad_fn()->name(), "RsubBackward1");
    EXPECT_EQ((x / 2).grad_fn()->name(), "DivBackward1");
    EXPECT_EQ(x.sum().grad_fn()->name(), "SumBackward0");
    EXPECT_EQ(x.sum({0}).grad_fn()->name(), "SumBackward1");
    // Nothing requires grad: no graph.
    Tensor z = ones({2}) * ones({2});
    EXPECT_FALSE(z.requires_grad());
    EXPECT_TRUE(z.is_leaf());
    EXPECT_TRUE((ones({3}) + x.detach()).is_leaf());
    EXPECT_TRUE((ones({3}) + x).requires_grad());
}

TEST(AutogradEngine, AccumulatesAcrossBackwardCalls) {
    Tensor x = leaf({1., 2., 3.});
    (x * 2).sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({2., 2., 2.}));
    (x * 2).sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({4., 4., 4.}));
    x.mutable_grad().zero_();
    (x * x).sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({2., 4., 6.}));
}

// A Linear layer's weight gradient comes out of mm as a transposed view of a fresh product;
// the leaf takes it over as a plain tensor when nothing else holds it, and copies it when a hook
// kept it: later accumulation must never write into a tensor someone else sees.
TEST(AutogradEngine, FirstGradientFromAViewIsNeverShared) {
    Tensor w = tensor({{1., 2., 3.}, {4., 5., 6.}}, {.dtype = float32}).requires_grad_();
    const Tensor x = tensor({{1., -1., 2.}, {0.5, 3., -2.}}, {.dtype = float32});
    const Tensor expected = tensor({{1.5, 2., 0.}, {1.5, 2., 0.}});  // ones(2,2)^T @ x
    x.mm(w.t()).sum().backward();
    EXPECT_FALSE(w.grad().is_view());
    EXPECT_TRUE(w.grad().is_contiguous());
    EXPECT_TENSOR_EQ(w.grad(), expected);
    x.mm(w.t()).sum().backward();
    EXPECT_TENSOR_EQ(w.grad(), expected * 2);

    Tensor v = tensor({{1., 2., 3.}, {4., 5., 6.}}, {.dtype = float32}).requires_grad_();
    Tensor kept;
    v.register_hook([&](const Tensor& g) {
        kept = g;
        return Tensor();
    });
    x.mm(v.t()).sum().backward();
    const Tensor first = kept;
    x.mm(v.t()).sum().backward();
    EXPECT_TENSOR_EQ(v.grad(), expected * 2);
    EXPECT_TENSOR_EQ(first, expected);  // the hook's tensor was copied, not taken
}

TEST(AutogradEngine, SameLeafUsedTwiceSumsContributions) {
    Tensor x = leaf({1., 2.});
    Tensor y = x * x + x * 3;
    y.sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({5., 7.}));
}

TEST(AutogradEngine, BroadcastGradientsAreSummedToTheInputShape) {
    Tensor w = tensor({1., 2., 3.}).requires_grad_();
    (w * ones({2, 3})).sum().backward();
    EXPECT_TENSOR_EQ(w.grad(), tensor({2., 2., 2.}));
    Tensor v = ones({2, 1}).requires_grad_();
    (v * ones({2, 3})).sum().backward();
    EXPECT_TENSOR_EQ(v.grad(), tensor({{3.}, {3.}}));
}

TEST(AutogradEngine, NonScalarBackwardNeedsAGradient) {
    Tensor x = leaf({1., 2., 3.});
    Tensor y = x * 2;
    EXPECT_EMBER_ERROR(y.backward(), "grad can be implicitly created only for scalar outputs");
    y.backward(tensor({1., 0.1, 0.01}));
    EXPECT_TENSOR_CLOSE(x.grad(), tensor({2., 0.2, 0.02}));
    Tensor z = x * 2;
    EXPECT_EMBER_ERROR(z.backward(tensor({1., 2.})),
                       "Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a "
                       "shape of [3].");
}

TEST(AutogradEngine, BackwardOnATensorWithoutGraph) {
    Tensor x = tensor({1., 2.});
    EXPECT_EMBER_ERROR(x.sum().backward(),
                       "element 0 of tensors does not require grad and does not have a grad_fn");
}

TEST(AutogradEngine, SecondBackwardThroughFreedGraph) {
    Tensor x = leaf({1., 2.});
    Tensor s = (x * x).sum();
    s.backward();
    EXPECT_EMBER_ERROR(s.backward(), "Trying to backward through the graph a second time");
    // Nothing saved: backward may run again, and accumulates.
    Tensor t = (x + x).sum();
    x.mutable_grad() = Tensor();
    t.backward();
    t.backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({4., 4.}));
    // A multiplication by a number saves nothing either in ember (the number is in the
    // formula); retain_graph keeps saved tensors.
    Tensor u = (x * x).sum();
    x.mutable_grad() = Tensor();
    u.backward(Tensor(), /*retain_graph=*/true);
    u.backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({4., 8.}));
}

TEST(AutogradEngine, GradDoesNotTouchLeafGrads) {
    Tensor x = leaf({1., 2.});
    TensorList g = autograd::grad({(x * x).sum()}, {x});
    ASSERT_EQ(g.size(), 1u);
    EXPECT_TENSOR_EQ(g[0], tensor({2., 4.}));
    EXPECT_FALSE(x.grad().defined());
}

TEST(AutogradEngine, GradOfNonLeafAndUnusedInputs) {
    Tensor x = leaf({1., 2.});
    Tensor y = x * 3;
    Tensor z = leaf({5.});
    Tensor s = (y * y).sum();
    TensorList g = autograd::grad({s}, {y}, {}, true);
    EXPECT_TENSOR_EQ(g[0], tensor({6., 12.}));
    EXPECT_EMBER_ERROR(autograd::grad({s}, {x, z}, {}, true),
                       "One of the differentiated Tensors appears to not have been used in the "
                       "graph. Set allow_unused=True if this is the desired behavior.");
    TensorList h = autograd::grad({s}, {x, z}, {}, true, false, /*allow_unused=*/true);
    EXPECT_TENSOR_EQ(h[0], tensor({18., 36.}));
    EXPECT_FALSE(h[1].defined());
    EXPECT_EMBER_ERROR(autograd::grad({s}, {tensor({1.})}),
                       "One of the differentiated Tensors does not require grad");
}

TEST(AutogradEngine, DoubleBackward) {
    Tensor x = leaf({1., 2., 3.});
    Tensor y = (x * x * x).sum();
    TensorList g = autograd::grad({y}, {x}, {}, std::nullopt, /*create_graph=*/true);
    EXPECT_TENSOR_EQ(g[0], tensor({3., 12., 27.}));
    EXPECT_TRUE(g[0].requires_grad());
    g[0].sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({6., 12., 18.}));
}

TEST(AutogradEngine, RetainGradKeepsANonLeafGradient) {
    Tensor x = leaf({1., 2.});
    Tensor y = x * 3;
    y.retain_grad();
    EXPECT_TRUE(y.retains_grad());
    y.sum().backward();
    EXPECT_TENSOR_EQ(y.grad(), tensor({1., 1.}));
    Tensor z = x * 3;
    z.sum().backward();
    EXPECT_FALSE(z.grad().defined());
}

TEST(AutogradEngine, HooksSeeAndReplaceGradients) {
    Tensor x = leaf({1., 2.});
    Tensor seen;
    int h = x.register_hook([&](const Tensor& g) { seen = g.clone(); });
    Tensor y = x * 3;
    y.register_hook([](const Tensor& g) { return g * 10; });
    y.sum().backward();
    EXPECT_TENSOR_EQ(seen, tensor({30., 30.}));
    EXPECT_TENSOR_EQ(x.grad(), tensor({30., 30.}));
    x.remove_hook(h);
    seen = Tensor();
    (x * 1).sum().backward();
    EXPECT_FALSE(seen.defined());
    EXPECT_EMBER_ERROR(tensor({1.}).register_hook([](const Tensor&) {}),
                       "cannot register a hook on a tensor that doesn't require gradient");
}

TEST(AutogradEngine, NoGradAndEnableGrad) {
    Tensor x = leaf({1., 2.});
    {
        NoGradGuard no_grad;
        EXPECT_FALSE(is_grad_enabled());
        Tensor y = x * 2;
        EXPECT_FALSE(y.requires_grad());
        EXPECT_EQ(y.grad_fn(), nullptr);
        x.mul_(2);  // in-place updates of leaves are allowed here
        {
            EnableGradGuard enable;
            EXPECT_TRUE((x * 2).requires_grad());
        }
    }
    EXPECT_TRUE(is_grad_enabled());
    EXPECT_TENSOR_EQ(x.detach(), tensor({2., 4.}));
}

TEST(AutogradEngine, InPlaceOnLeavesIsRefused) {
    Tensor x = leaf({1., 2.});
    EXPECT_EMBER_ERROR(x.add_(1),
                       "a leaf Variable that requires grad is being used in an in-place operation.");
    EXPECT_EMBER_ERROR(x[0].add_(1), "a view of a leaf Variable that requires grad is being used "
                                     "in an in-place operation.");
}

TEST(AutogradEngine, InPlaceOnNonLeafRecords) {
    Tensor x = leaf({1., 2.});
    Tensor y = x * 1;
    y.mul_(3);
    EXPECT_EQ(y.grad_fn()->name(), "MulBackward1");
    y.sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({3., 3.}));
    // A tensor that does not require grad becomes part of the graph.
    Tensor a = zeros({2});
    a.add_(x);
    EXPECT_TRUE(a.requires_grad());
    EXPECT_FALSE(a.is_leaf());
}

TEST(AutogradEngine, ViewsTakenBeforeAnInPlaceChangeOfTheirBaseFollowIt) {
    // PyTorch rebuilds such a view's history from its base (AsStridedBackward0).
    Tensor x = leaf({1., 2., 3.});
    Tensor y = x * 1;
    Tensor v = y[0];
    Tensor w = y.narrow(0, 1, 2);
    y.mul_(2);
    EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
    (v * 10 + w.sum()).backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({20.f, 2.f, 2.f}));
    // A write through one view reaches the other views of the same base.
    Tensor a = leaf({1., 2.});
    Tensor b = a * 1;
    Tensor first = b[0], second = b[1];
    second.mul_(a[0]);
    (first + b[1]).backward();  // d/da of a0 + a1 * a0
    EXPECT_TENSOR_EQ(a.grad(), tensor({3.f, 1.f}));
}

TEST(AutogradEngine, ViewsOfATensorThatJoinsTheGraphLaterFollowIt) {
    Tensor x = leaf({1., 2., 3.});
    Tensor buf = zeros({3});
    Tensor v = buf.narrow(0, 0, 2);
    EXPECT_FALSE(v.requires_grad());
    buf.copy_(x * 2);
    EXPECT_TRUE(v.requires_grad());
    EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
    v.sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({2.f, 2.f, 0.f}));
    // A view made under no_grad stays out of the graph, as in PyTorch.
    Tensor b2 = zeros({3});
    Tensor quiet;
    {
        NoGradGuard no_grad;
        quiet = b2[0];
    }
    b2.copy_(x);
    EXPECT_FALSE(quiet.requires_grad());
}

TEST(AutogradEngine, RandomInPlaceOpsCutTheGradientOfWhatTheyOverwrite) {
    Tensor x = leaf({1., 2., 3.});
    Tensor y = x * 2;
    y.uniform_();
    EXPECT_EQ(y.grad_fn()->name(), "UniformBackward0");
    (y + x).sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({1.f, 1.f, 1.f}));
    Tensor z = x * 2;
    z[0].normal_();  // through a view: only the overwritten element loses its gradient
    x.mutable_grad() = Tensor();
    z.sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({0.f, 2.f, 2.f}));
    EXPECT_EMBER_ERROR(x.uniform_(), "a leaf Variable that requires grad is being used in an "
                                     "in-place operation.");
}

TEST(AutogradEngine, ModifiedSavedTensorIsDetected) {
    Tensor x = leaf({1., 2.});
    Tensor y = x * 1;
    Tensor z = y * y;  // saves y
    y.add_(1);
    EXPECT_EMBER_ERROR(z.sum().backward(),
                       "one of the variables needed for gradient computation has been modified by "
                       "an inplace operation");
    EXPECT_EQ(y.version(), 1u);
}

TEST(AutogradEngine, DetachSharesStorageAndVersion) {
    Tensor x = leaf({1., 2.});
    Tensor y = x * 1;
    Tensor d = y.detach();
    EXPECT_FALSE(d.requires_grad());
    EXPECT_TRUE(d.is_leaf());
    EXPECT_EQ(d.data_ptr(), y.data_ptr());
    Tensor z = y * y;
    d.mul_(2);
    EXPECT_EQ(y.version(), 1u);
    EXPECT_EMBER_ERROR(z.sum().backward(), "modified by an inplace operation");
    Tensor w = x * 1;
    w.detach_();
    EXPECT_TRUE(w.is_leaf());
    EXPECT_FALSE(w.requires_grad());
}

TEST(AutogradEngine, RequiresGradOnlyForFloatsAndLeaves) {
    EXPECT_EMBER_ERROR(tensor({1, 2}).requires_grad_(), "only Tensors of floating point dtype");
    Tensor x = leaf({1.});
    Tensor y = x * 2;
    EXPECT_EMBER_ERROR(y.requires_grad_(false),
                       "you can only change requires_grad flags of leaf variables.");
    y.requires_grad_(true);  // allowed, nothing changes
}

TEST(AutogradEngine, InferenceMode) {
    Tensor x = leaf({1., 2.});
    Tensor t;
    {
        InferenceMode guard;
        EXPECT_TRUE(is_inference_mode_enabled());
        EXPECT_FALSE(is_grad_enabled());
        t = ones({2});
        EXPECT_TRUE(t.is_inference());
        EXPECT_FALSE(x.detach()[0].is_inference());  // a view of a normal tensor stays normal
        EXPECT_TRUE(t[0].is_inference());
        EXPECT_FALSE((x * 2).requires_grad());
        t.add_(1);  // allowed inside
    }
    EXPECT_FALSE(x.is_inference());
    EXPECT_EMBER_ERROR(x * t, "Inference tensors cannot be saved for backward.");
    Tensor s = x + t;  // saves nothing: works, backward included
    s.sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({1., 1.}));
    EXPECT_EMBER_ERROR(t.add_(1), "Inplace update to inference tensor outside InferenceMode is not "
                                  "allowed.You can make a clone");
    EXPECT_EMBER_ERROR(t.requires_grad_(), "Setting requires_grad=True on inference tensor "
                                           "outside InferenceMode is not allowed.");
}

TEST(AutogradEngine, GradModeIsThreadLocal) {
    NoGradGuard no_grad;
    bool other = false;
    std::thread th([&] { other = is_grad_enabled(); });
    th.join();
    EXPECT_TRUE(other);
    EXPECT_FALSE(is_grad_enabled());
}

TEST(AutogradEngine, PrintsGradFn) {
    Tensor x = leaf({1., 2.});
    EXPECT_EQ((x * x).str(), "tensor([1., 4.], grad_fn=<MulBackward0>)");
    EXPECT_EQ(x.str(), "tensor([1., 2.], requires_grad=True)");
}

TEST(AutogradEngine, GradcheckOnArithmetic) {
    Tensor a = randn({2, 3}, {.dtype = float64}).requires_grad_();
    Tensor b = randn({3}, {.dtype = float64}).requires_grad_();
    auto fn = [](const TensorList& in) {
        return TensorList{(in[0] * in[1] + in[0] / (in[1] * in[1] + 1) - in[1] * 2).sum({1})};
    };
    EXPECT_TRUE(autograd::gradcheck(fn, {a, b}, {.check_grad_grad = true}));
    // A wrong formula is caught: mean's gradient scaled by 2.
    auto wrong = [](const TensorList& in) {
        Tensor m = in[0].mean();
        return TensorList{m + (m.detach() - m.detach())};
    };
    EXPECT_TRUE(autograd::gradcheck(wrong, {a}));
    auto broken = [](const TensorList& in) { return TensorList{in[0].detach() * 2 + in[0]}; };
    EXPECT_EMBER_ERROR(autograd::gradcheck(broken, {a}), "gradcheck: Jacobian mismatch");
}

}  // namespace
}  // namespace ember

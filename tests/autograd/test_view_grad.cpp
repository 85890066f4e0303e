// Gradients of the view and shape ops (view, reshape, squeeze, transpose, slicing, expand,
// as_strided, split, cat, repeat, tril, ...): gradcheck with double backward, grad_fn names, and
// views that still share storage after recording.
#include <gtest/gtest.h>

#include "ember/ember.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

using autograd::gradcheck;
using Fn = std::function<TensorList(const TensorList&)>;

const autograd::GradcheckOptions kGradGrad{.check_grad_grad = true};

// A non-contiguous leaf (every other element of a larger storage).
Tensor noncontig(IntArrayRef sizes, uint64_t seed = 0) {
    Tensor r = test::strided_grad_leaf(sizes, seed);
    if (r.numel() > 1) {
        EXPECT_FALSE(r.is_contiguous());
    }
    return r;
}

// gradcheck (with double backward) of a one-input op on a contiguous and a non-contiguous input.
void check_unary(IntArrayRef sizes, const std::function<Tensor(const Tensor&)>& op) {
    Fn fn = [op](const TensorList& in) { return TensorList{op(in[0])}; };
    EXPECT_TRUE(gradcheck(fn, {test::grad_leaf(sizes)}, kGradGrad));
    EXPECT_TRUE(gradcheck(fn, {noncontig(sizes, 1)}, kGradGrad));
}

std::string grad_fn_name(const Tensor& t) { return t.grad_fn() ? t.grad_fn()->name() : "None"; }

TEST(ViewGrad, ViewReshapeFlatten) {
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.reshape({4, -1}); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.flatten(); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.flatten(-2, -1); });
    check_unary({2, 6}, [](const Tensor& x) { return x.reshape({12}).unflatten(-1, {3, 4}); });
    EXPECT_TRUE(gradcheck([](const TensorList& in) { return TensorList{in[0].view({3, 8})}; },
                          {test::grad_leaf({2, 3, 4})}, kGradGrad));
    // 0-dim and empty inputs.
    check_unary({}, [](const Tensor& x) { return x.reshape({1, 1}); });
    check_unary({0, 3}, [](const Tensor& x) { return x.reshape({3, 0}); });
}

TEST(ViewGrad, SqueezeUnsqueezeTransposePermute) {
    check_unary({2, 1, 3}, [](const Tensor& x) { return x.squeeze(); });
    check_unary({2, 1, 3}, [](const Tensor& x) { return x.squeeze(-2); });
    check_unary({2, 1, 3}, [](const Tensor& x) { return x.squeeze(0); });  // not size 1: alias
    check_unary({2, 3}, [](const Tensor& x) { return x.unsqueeze(-1); });
    check_unary({2, 3}, [](const Tensor& x) { return x.unsqueeze(1); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.transpose(0, -1); });
    check_unary({2, 3}, [](const Tensor& x) { return x.t(); });
    check_unary({3}, [](const Tensor& x) { return x.t(); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.mT(); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.permute({2, 0, 1}); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.permute({-1, -3, -2}); });
}

TEST(ViewGrad, NarrowSelectDiagonal) {
    check_unary({4, 3}, [](const Tensor& x) { return x.narrow(0, 1, 2); });
    check_unary({4, 3}, [](const Tensor& x) { return x.narrow(-1, -2, 2); });
    check_unary({4, 3}, [](const Tensor& x) { return x.narrow(0, 1, 0); });
    check_unary({4, 3}, [](const Tensor& x) { return x.select(0, 2); });
    check_unary({4, 3}, [](const Tensor& x) { return x.select(-1, -1); });
    check_unary({4, 3}, [](const Tensor& x) { return x[1]; });
    check_unary({4, 3}, [](const Tensor& x) { return x.diagonal(); });
    check_unary({4, 3}, [](const Tensor& x) { return x.diagonal(1); });
    check_unary({4, 3}, [](const Tensor& x) { return x.diagonal(-2); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.diagonal(0, -1, 0); });
}

TEST(ViewGrad, ExpandSumsToTheInputShape) {
    check_unary({3, 1}, [](const Tensor& x) { return x.expand({2, 3, 4}); });
    check_unary({3, 1}, [](const Tensor& x) { return x.expand({-1, 5}); });
    check_unary({}, [](const Tensor& x) { return x.expand({2, 2}); });
    check_unary({3, 1}, [](const Tensor& x) { return x.expand_as(zeros({2, 3, 2})); });
    Tensor x = test::grad_leaf({3, 1});
    x.expand({2, 3, 4}).sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), full({3, 1}, 8., {.dtype = float64}));
}

TEST(ViewGrad, AsStrided) {
    // Non-overlapping output, an output that overlaps (stride 0 and overlapping windows), an
    // offset, and a non-contiguous input.
    check_unary({3, 4}, [](const Tensor& x) { return x.as_strided({2, 2}, {1, 2}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.as_strided({2, 3}, {0, 1}, 1); });
    check_unary({3, 4}, [](const Tensor& x) { return x.as_strided({3, 3}, {1, 1}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.as_strided({0, 3}, {1, 1}); });
    // A slice of a larger storage (as_strided's offset is in the storage), read in part.
    Tensor base = test::grad_leaf({10});
    Fn sliced = [](const TensorList& in) {
        return TensorList{in[0].narrow(0, 2, 6).as_strided({3, 2}, {1, 1}, 3)};
    };
    EXPECT_TRUE(gradcheck(sliced, {base}, kGradGrad));
    // An input that itself overlaps (expanded): each storage element's gradient is shared.
    Fn expanded = [](const TensorList& in) {
        return TensorList{in[0].expand({3, 2}).as_strided({2}, {1})};
    };
    EXPECT_TRUE(gradcheck(expanded, {test::grad_leaf({2})}, kGradGrad));
}

TEST(ViewGrad, SplitChunkUnbind) {
    Fn split = [](const TensorList& in) { return in[0].split(2, -1); };
    EXPECT_TRUE(gradcheck(split, {test::grad_leaf({3, 5})}, kGradGrad));
    EXPECT_TRUE(gradcheck(split, {noncontig({3, 5})}, kGradGrad));
    Fn sizes = [](const TensorList& in) { return in[0].split(IntArrayRef{1, 3}, 1); };
    EXPECT_TRUE(gradcheck(sizes, {test::grad_leaf({2, 4})}, kGradGrad));
    Fn chunk = [](const TensorList& in) { return in[0].chunk(2, 0); };
    EXPECT_TRUE(gradcheck(chunk, {noncontig({3, 2})}, kGradGrad));
    Fn unbind = [](const TensorList& in) { return in[0].unbind(1); };
    EXPECT_TRUE(gradcheck(unbind, {test::grad_leaf({2, 3})}, kGradGrad));
    EXPECT_TRUE(gradcheck(unbind, {noncontig({2, 3})}, kGradGrad));
    // Only one output used: the others count as zero.
    Tensor x = test::grad_leaf({4});
    x.split(3)[1].sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({0., 0., 0., 1.}, {.dtype = float64}));
}

TEST(ViewGrad, CatStack) {
    Fn cat2 = [](const TensorList& in) { return TensorList{cat({in[0], in[1]}, -1)}; };
    EXPECT_TRUE(gradcheck(cat2, {test::grad_leaf({2, 3}), noncontig({2, 2}, 1)}, kGradGrad));
    // A skipped 1-D empty tensor and an input that does not require grad.
    Fn skip = [](const TensorList& in) {
        return TensorList{cat({in[0], in[1], ones({1, 2}, {.dtype = float64})}, 0)};
    };
    EXPECT_TRUE(gradcheck(skip, {test::grad_leaf({2, 2}), test::grad_leaf({0}, 1)}, kGradGrad));
    Fn stack2 = [](const TensorList& in) { return TensorList{stack({in[0], in[1]}, -1)}; };
    EXPECT_TRUE(gradcheck(stack2, {test::grad_leaf({2, 3}), noncontig({2, 3}, 1)}, kGradGrad));
    Tensor a = test::grad_leaf({2}), b = test::grad_leaf({2}, 1);
    EXPECT_EQ(grad_fn_name(cat({a, b})), "CatBackward0");
    EXPECT_EQ(grad_fn_name(stack({a, b})), "StackBackward0");
}

TEST(ViewGrad, FlipRepeatTrilTriu) {
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.flip({0, -1}); });
    check_unary({2, 3}, [](const Tensor& x) { return x.repeat({2, 1, 3}); });
    check_unary({2, 3}, [](const Tensor& x) { return x.repeat({0, 2}); });
    check_unary({3}, [](const Tensor& x) { return x.repeat({2}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.tril(); });
    check_unary({2, 3, 4}, [](const Tensor& x) { return x.tril(-1); });
    check_unary({3, 4}, [](const Tensor& x) { return x.triu(1); });
    check_unary({3, 4}, [](const Tensor& x) {
        Tensor y = x * 1;
        y.tril_(1);
        return y;
    });
    check_unary({3, 4}, [](const Tensor& x) {
        Tensor y = x * 1;
        y.triu_();
        return y;
    });
}

TEST(ViewGrad, GradFnNames) {
    Tensor x = test::grad_leaf({3, 4});
    EXPECT_EQ(grad_fn_name(x.view({12})), "ViewBackward0");
    EXPECT_EQ(grad_fn_name(x.view({2, 6}).unflatten(1, {2, 3})), "ViewBackward0");
    EXPECT_EQ(grad_fn_name(x.reshape({12})), "ReshapeAliasBackward0");
    EXPECT_EQ(grad_fn_name(x.flatten()), "ReshapeAliasBackward0");
    EXPECT_EQ(grad_fn_name(x.t().reshape({12})), "UnsafeViewBackward0");
    EXPECT_EQ(grad_fn_name(x.unsqueeze(0).squeeze()), "SqueezeBackward0");
    EXPECT_EQ(grad_fn_name(x.squeeze(0)), "SqueezeBackward1");
    EXPECT_EQ(grad_fn_name(x.unsqueeze(0)), "UnsqueezeBackward0");
    EXPECT_EQ(grad_fn_name(x.transpose(0, 1)), "TransposeBackward0");
    EXPECT_EQ(grad_fn_name(x.t()), "TBackward0");
    EXPECT_EQ(grad_fn_name(x.mT()), "TransposeBackward0");
    EXPECT_EQ(grad_fn_name(x.permute({1, 0})), "PermuteBackward0");
    EXPECT_EQ(grad_fn_name(x.narrow(0, 1, 1)), "SliceBackward0");
    EXPECT_EQ(grad_fn_name(x.select(1, 1)), "SelectBackward0");
    EXPECT_EQ(grad_fn_name(x.expand({2, 3, 4})), "ExpandBackward0");
    EXPECT_EQ(grad_fn_name(x.expand_as(zeros({2, 3, 4}))), "ExpandBackward0");
    EXPECT_EQ(grad_fn_name(x.diagonal()), "DiagonalBackward0");
    EXPECT_EQ(grad_fn_name(x.as_strided({2, 2}, {1, 1})), "AsStridedBackward0");
    EXPECT_EQ(grad_fn_name(x.split(2)[0]), "SplitBackward0");
    EXPECT_EQ(grad_fn_name(x.split(IntArrayRef{1, 2})[0]), "SplitWithSizesBackward0");
    EXPECT_EQ(grad_fn_name(x.chunk(2)[1]), "SplitBackward0");
    EXPECT_EQ(grad_fn_name(x.unbind()[0]), "UnbindBackward0");
    EXPECT_EQ(grad_fn_name(x.flip({0})), "FlipBackward0");
    EXPECT_EQ(grad_fn_name(x.repeat({2, 1})), "RepeatBackward0");
    EXPECT_EQ(grad_fn_name(x.tril()), "TrilBackward0");
    EXPECT_EQ(grad_fn_name(x.triu()), "TriuBackward0");
    Tensor y = x * 1;
    y.tril_();
    EXPECT_EQ(grad_fn_name(y), "TrilBackward0");
    // Double backward records the backward of a view's backward.
    Tensor g = ones({4}, {.dtype = float64}).requires_grad_();
    Tensor s = x.select(0, 1);
    Tensor gx = autograd::grad({s}, {x}, {g}, std::nullopt, /*create_graph=*/true)[0];
    EXPECT_EQ(grad_fn_name(gx), "SelectBackwardBackward0");
}

TEST(ViewGrad, ViewsStillShareStorageAfterRecording) {
    Tensor x = test::grad_leaf({3, 4});
    Tensor y = x * 2;  // a non-leaf, so the views record
    const void* p = y.data_ptr();
    auto same = [&](const Tensor& v) {
        EXPECT_TRUE(v.requires_grad());
        EXPECT_TRUE(v.is_view());
        EXPECT_EQ(v.storage().get(), y.storage().get());
    };
    same(y.view({12}));
    same(y.reshape({2, 6}));
    same(y.flatten());
    same(y.unsqueeze(0));
    same(y.unsqueeze(0).squeeze());
    same(y.t());
    same(y.transpose(0, 1));
    same(y.permute({1, 0}));
    same(y.expand({2, 3, 4}));
    same(y.diagonal());
    same(y.as_strided({2}, {1}));
    for (const Tensor& v : y.split(2, 1)) same(v);
    for (const Tensor& v : y.unbind(0)) same(v);
    EXPECT_EQ(y.narrow(1, 0, 2).data_ptr(), p);
    EXPECT_EQ(y.select(0, 0).data_ptr(), p);
    // A reshape that cannot be a view copies.
    EXPECT_NE(y.t().reshape({12}).storage().get(), y.storage().get());
}

TEST(ViewGrad, NoGradRecordsNothing) {
    Tensor x = test::grad_leaf({2, 3});
    NoGradGuard no_grad;
    EXPECT_FALSE(x.view({6}).requires_grad());
    EXPECT_FALSE(x.t().requires_grad());
    EXPECT_FALSE(x.split(1)[0].requires_grad());
    EXPECT_FALSE(cat({x, x}).requires_grad());
}

}  // namespace
}  // namespace ember

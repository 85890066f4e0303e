// erfinv / Tensor::erfinv_ against PyTorch (tools/golden/erfinv.py): values over the whole
// domain in float32, float64 and bfloat16, float16, integer promotion, non-contiguous, empty and
// 0-dim inputs, the in-place form, PyTorch's gradients and a float64 gradcheck.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember {
namespace {

using test::load_golden;
using test::tensor_from_json;

TEST(Erfinv, ValuesMatchPyTorch) {
    const auto golden = load_golden("erfinv");
    // Two Newton steps leave erfinv within an ulp or so of PyTorch's (same algorithm, but the
    // compiler may fuse multiply-adds differently).
    struct Case { const char* dtype; double rtol; };
    for (const Case c : {Case{"float32", 4e-7}, Case{"float64", 1e-15}, Case{"bfloat16", 0}}) {
        SCOPED_TRACE(c.dtype);
        const auto& v = golden["values"][c.dtype];
        const Tensor x = tensor_from_json(v["x"]);
        const Tensor expected = tensor_from_json(v["y"]);
        EXPECT_TENSOR_CLOSE(erfinv(x), expected, c.rtol, 0.0);
        EXPECT_TENSOR_CLOSE(x.erfinv(), expected, c.rtol, 0.0);
    }
}

TEST(Erfinv, EdgesOfTheDomain) {
    const Tensor y = erfinv(tensor({1.0, -1.0, 0.0, 1.5, -2.0}, {.dtype = float64}));
    const auto v = y.to_vector<double>();
    EXPECT_EQ(v[0], std::numeric_limits<double>::infinity());
    EXPECT_EQ(v[1], -std::numeric_limits<double>::infinity());
    EXPECT_EQ(v[2], 0.0);
    EXPECT_TRUE(std::isnan(v[3]));
    EXPECT_TRUE(std::isnan(v[4]));
    // erf(erfinv(y)) == y away from the ends
    const Tensor mid = linspace(-0.99, 0.99, 41, {.dtype = float64});
    EXPECT_TENSOR_CLOSE(erf(erfinv(mid)), mid, 1e-14, 1e-15);
}

TEST(Erfinv, DtypesAndLayouts) {
    // integers and bool compute in the default float dtype, as in PyTorch
    EXPECT_EQ(erfinv(tensor({0, 1})).dtype(), float32);
    EXPECT_EQ(erfinv(tensor({false, true})).dtype(), float32);
    EXPECT_EQ(erfinv(tensor({0, 1})).to_vector<float>()[1], std::numeric_limits<float>::infinity());
    // float16 (no CPU kernel in PyTorch 1.13) computes in float32 and rounds
    const Tensor xf = linspace(-0.95, 0.95, 9);
    EXPECT_TENSOR_CLOSE(erfinv(xf.to(float16)), erfinv(xf.to(float16).to(float32)).to(float16), 0, 0);
    // non-contiguous input: the same values as its contiguous copy
    const Tensor base = rand({6, 5}, {.dtype = float64}) * 2 - 1;
    const Tensor t = base.t();
    ASSERT_FALSE(t.is_contiguous());
    EXPECT_TENSOR_EQ(erfinv(t), erfinv(t.contiguous()));
    EXPECT_TENSOR_EQ(erfinv(base.select(1, 2)), erfinv(base.select(1, 2).contiguous()));
    // empty and 0-dim
    EXPECT_EQ(erfinv(empty({0, 3})).sizes().vec(), (std::vector<int64_t>{0, 3}));
    const Tensor s = erfinv(tensor(0.5));
    EXPECT_EQ(s.dim(), 0);
    EXPECT_NEAR(s.item<float>(), 0.4769362807f, 1e-6);
}

TEST(Erfinv, InPlace) {
    const Tensor x = tensor({-0.5f, 0.0f, 0.25f, 0.9f});
    Tensor y = x.clone();
    Tensor& r = y.erfinv_();
    EXPECT_EQ(&r, &y);
    EXPECT_TENSOR_EQ(y, erfinv(x));
    // through a non-contiguous view: only the viewed elements change
    Tensor m = tensor({{0.1, 0.2}, {0.3, 0.4}}, {.dtype = float64});
    Tensor col = m.select(1, 0);
    col.erfinv_();
    EXPECT_TENSOR_EQ(m.select(1, 0), erfinv(tensor({0.1, 0.3}, {.dtype = float64})));
    EXPECT_EQ(m.select(1, 1).to_vector<double>(), (std::vector<double>{0.2, 0.4}));
    // an integer tensor cannot hold the float result
    Tensor i = tensor({0, 1});
    EXPECT_EMBER_ERROR(i.erfinv_(), "result type Float can't be cast to the desired output type Long");
    Tensor leaf = tensor({0.1, 0.2}, {.dtype = float64}).requires_grad_();
    EXPECT_EMBER_ERROR(leaf.erfinv_(), "a leaf Variable that requires grad");
}

TEST(Erfinv, GradientMatchesPyTorch) {
    const auto golden = load_golden("erfinv");
    const auto& g = golden["grad"];
    const Tensor x = tensor_from_json(g["x"]).requires_grad_();
    const Tensor y = erfinv(x);
    ASSERT_NE(y.grad_fn(), nullptr);
    EXPECT_EQ(y.grad_fn()->name(), g["grad_fn"].get<std::string>());
    const TensorList grads = autograd::grad({y}, {x}, {tensor_from_json(g["grad_output"])});
    EXPECT_TENSOR_CLOSE(grads[0], tensor_from_json(g["grad"]), 1e-12, 1e-12);
}

TEST(Erfinv, Gradcheck) {
    auto fn = [](const TensorList& a) { return TensorList{erfinv(a[0])}; };
    manual_seed(5);
    const Tensor x = (rand({3, 4}, {.dtype = float64}) * 1.6 - 0.8).requires_grad_();
    EXPECT_TRUE(autograd::gradcheck(fn, {x}, {.check_grad_grad = true}));
    const Tensor xt = (rand({4, 3}, {.dtype = float64}) * 1.6 - 0.8).t().requires_grad_();
    ASSERT_FALSE(xt.is_contiguous());
    EXPECT_TRUE(autograd::gradcheck(fn, {xt}, {.check_grad_grad = true}));
    // the in-place form on a non-leaf records the same backward
    auto inplace = [](const TensorList& a) {
        Tensor t = a[0] * 1.0;
        t.erfinv_();
        return TensorList{t};
    };
    EXPECT_TRUE(autograd::gradcheck(inplace, {x}));
}

}  // namespace
}  // namespace ember

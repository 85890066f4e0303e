// Gradients of the matrix products (mm, bmm, matmul in each of its dispatch cases, addmm, dot,
// mv, outer): float64 gradchecks on contiguous and non-contiguous operands, first and second
// order, and the grad_fn names PyTorch 1.13 gives.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "ember/ember.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

using Fn2 = std::function<Tensor(const Tensor&, const Tensor&)>;

Tensor random_leaf(IntArrayRef sizes, bool contiguous) {
    return contiguous ? test::grad_leaf(sizes) : test::strided_grad_leaf(sizes);
}

struct Case {
    Fn2 fn;
    DimVector a, b;
    const char* grad_fn;  // the name PyTorch 1.13 gives the result's grad_fn
};

std::vector<Case> cases() {
    auto mat = [](const Tensor& a, const Tensor& b) { return matmul(a, b); };
    return {
        {[](const Tensor& a, const Tensor& b) { return mm(a, b); }, {3, 4}, {4, 5}, "MmBackward0"},
        {[](const Tensor& a, const Tensor& b) { return bmm(a, b); }, {2, 3, 4}, {2, 4, 5},
         "BmmBackward0"},
        {[](const Tensor& a, const Tensor& b) { return dot(a, b); }, {5}, {5}, "DotBackward0"},
        {[](const Tensor& a, const Tensor& b) { return mv(a, b); }, {3, 4}, {4}, "MvBackward0"},
        {[](const Tensor& a, const Tensor& b) { return outer(a, b); }, {3}, {4}, "MulBackward0"},
        // matmul's dispatch cases.
        {mat, {4}, {4}, "DotBackward0"},
        {mat, {3, 4}, {4}, "MvBackward0"},
        {mat, {4}, {4, 3}, "SqueezeBackward3"},
        {mat, {3, 4}, {4, 2}, "MmBackward0"},
        {mat, {2, 3, 4}, {4}, "UnsafeViewBackward0"},
        {mat, {2, 3, 4}, {4, 5}, "UnsafeViewBackward0"},
        {mat, {2, 2, 3, 4}, {4, 2}, "UnsafeViewBackward0"},
        {mat, {4}, {2, 4, 3}, "UnsafeViewBackward0"},
        {mat, {3, 4}, {2, 4, 5}, "CloneBackward0"},
        {mat, {3, 4}, {2, 2, 4, 5}, "CloneBackward0"},
        {mat, {4}, {2, 2, 4, 3}, "UnsafeViewBackward0"},
        {mat, {2, 3, 4}, {2, 4, 5}, "UnsafeViewBackward0"},
        {mat, {1, 3, 4}, {2, 4, 5}, "UnsafeViewBackward0"},
        {mat, {3, 2, 3, 4}, {2, 4, 2}, "UnsafeViewBackward0"},
        {mat, {2, 1, 3, 4}, {3, 4, 2}, "UnsafeViewBackward0"},
    };
}

void check(const Case& c, bool a_contiguous, bool b_contiguous, bool grad_grad) {
    auto fn = [&](const TensorList& in) { return TensorList{c.fn(in[0], in[1])}; };
    TensorList in{random_leaf(c.a, a_contiguous), random_leaf(c.b, b_contiguous)};
    try {
        EXPECT_TRUE(autograd::gradcheck(fn, in, {.check_grad_grad = grad_grad}));
    } catch (const Error& e) {
        ADD_FAILURE() << e.what();
    }
}

void check_all(bool grad_grad) {
    const auto all = cases();
    for (size_t i = 0; i < all.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i) + ": " + shape_str(all[i].a) + " @ " +
                     shape_str(all[i].b));
        check(all[i], true, true, grad_grad);
        check(all[i], false, true, grad_grad);
        check(all[i], true, false, grad_grad);
    }
}

TEST(LinalgGrad, Products) { check_all(false); }

TEST(LinalgGrad, TransposedOperands) {
    auto fn = [](const TensorList& in) {
        return TensorList{matmul(in[0].transpose(-1, -2), in[1].transpose(-1, -2))};
    };
    EXPECT_TRUE(autograd::gradcheck(
        fn, {random_leaf({2, 4, 3}, true), random_leaf({5, 4}, true)}));
    auto mm_t = [](const TensorList& in) { return TensorList{mm(in[0].t(), in[1].t())}; };
    EXPECT_TRUE(autograd::gradcheck(mm_t, {random_leaf({4, 3}, true), random_leaf({5, 4}, true)}));
}

TEST(LinalgGrad, OnlyOneOperandRequiresGrad) {
    Tensor a = randn({3, 4}, {.dtype = float64}).requires_grad_();
    Tensor b = randn({2, 4, 5}, {.dtype = float64});
    Tensor y = matmul(a, b);
    y.sum().backward();
    EXPECT_TENSOR_CLOSE(a.grad(), matmul(ones({2, 3, 5}, {.dtype = float64}),
                                         b.transpose(-1, -2)).sum({0}));
    EXPECT_FALSE(b.grad().defined());
}

TEST(LinalgGrad, Addmm) {
    for (const DimVector& input : {DimVector{3, 5}, DimVector{5}, DimVector{3, 1}, DimVector{}}) {
        SCOPED_TRACE(shape_str(input));
        for (const auto& scales : {std::pair{1.0, 1.0}, {0.5, 2.0}, {0.0, -1.5}}) {
            // (plain variables: clang 14 cannot capture structured bindings)
            const double beta = scales.first, alpha = scales.second;
            auto fn = [beta, alpha](const TensorList& in) {
                return TensorList{addmm(in[0], in[1], in[2], beta, alpha)};
            };
            TensorList in{random_leaf(input, true), random_leaf({3, 4}, false),
                          random_leaf({4, 5}, true)};
            EXPECT_TRUE(autograd::gradcheck(fn, in, {.check_grad_grad = true}));
        }
    }
    Tensor y = addmm(random_leaf({5}, true), random_leaf({3, 4}, true), random_leaf({4, 5}, true),
                     0.5, 2);
    EXPECT_EQ(y.grad_fn()->name(), "AddmmBackward0");
}

TEST(LinalgGrad, GradFnNames) {
    for (const Case& c : cases()) {
        Tensor y = c.fn(random_leaf(c.a, true), random_leaf(c.b, true));
        ASSERT_NE(y.grad_fn(), nullptr);
        EXPECT_EQ(y.grad_fn()->name(), c.grad_fn) << shape_str(c.a) << " @ " << shape_str(c.b);
    }
}

TEST(LinalgGradGrad, Products) { check_all(true); }

// Gradients of sum(w * out) against PyTorch's (tools/golden/autograd_linalg.py).
TEST(LinalgGrad, MatchesPyTorch) {
    const std::map<std::string, std::function<Tensor(const TensorList&)>> ops = {
        {"mm", [](const TensorList& t) { return mm(t[0], t[1]); }},
        {"bmm", [](const TensorList& t) { return bmm(t[0], t[1]); }},
        {"dot", [](const TensorList& t) { return dot(t[0], t[1]); }},
        {"mv", [](const TensorList& t) { return mv(t[0], t[1]); }},
        {"matmul_1d_2d", [](const TensorList& t) { return matmul(t[0], t[1]); }},
        {"matmul_broadcast", [](const TensorList& t) { return matmul(t[0], t[1]); }},
        {"matmul_3d_1d", [](const TensorList& t) { return matmul(t[0], t[1]); }},
        {"outer", [](const TensorList& t) { return outer(t[0], t[1]); }},
        {"addmm", [](const TensorList& t) { return addmm(t[0], t[1], t[2], 0.5, 2.0); }},
    };
    auto fixture = test::load_golden("autograd_linalg");
    ASSERT_EQ(fixture["cases"].size(), ops.size());
    for (const auto& c : fixture["cases"]) {
        const std::string name = c["name"];
        SCOPED_TRACE(name);
        TensorList inputs;
        for (const auto& t : c["inputs"]) inputs.push_back(test::tensor_from_json(t).requires_grad_());
        Tensor out = ops.at(name)(inputs);
        EXPECT_EQ(out.grad_fn()->name(), c["grad_fn"].get<std::string>());
        (out * test::tensor_from_json(c["weights"])).sum().backward();
        for (size_t i = 0; i < inputs.size(); ++i)
            EXPECT_TENSOR_CLOSE(inputs[i].grad(), test::tensor_from_json(c["grads"][i]), 1e-5, 1e-5);
    }
}

}  // namespace
}  // namespace ember

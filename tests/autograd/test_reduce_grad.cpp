// Gradients of the reductions, scans, softmax and sort/topk: float64 gradchecks on contiguous
// and non-contiguous inputs (first and second order), grad_fn names, and PyTorch's golden
// gradients for the conventions (ties, zeros, kinks) from tools/golden/autograd_reduce.py.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "ember/ember.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

using Fn = std::function<Tensor(const Tensor&)>;

Tensor random_leaf(IntArrayRef sizes) { return test::grad_leaf(sizes); }

// A leaf of `sizes` whose elements are not contiguous.
Tensor strided_leaf(IntArrayRef sizes) {
    Tensor t = test::strided_grad_leaf(sizes);
    if (t.numel() > 1) {
        EXPECT_FALSE(t.is_contiguous());
    }
    return t;
}

// gradcheck of fn on a random contiguous input and on a non-contiguous one.
void check(const Fn& fn, IntArrayRef sizes, bool grad_grad = false) {
    auto wrapped = [&](const TensorList& in) { return TensorList{fn(in[0])}; };
    autograd::GradcheckOptions options{.check_grad_grad = grad_grad};
    for (const Tensor& x : {random_leaf(sizes), strided_leaf(sizes)}) {
        try {
            EXPECT_TRUE(autograd::gradcheck(wrapped, {x}, options));
        } catch (const Error& e) {
            ADD_FAILURE() << (x.is_contiguous() ? "contiguous" : "non-contiguous") << " input "
                          << shape_str(sizes) << ": " << e.what();
        }
    }
}

// The cases every reduction test runs, first order (ReduceGrad) and second order
// (ReduceGradGrad).
std::vector<std::pair<Fn, DimVector>> reduction_cases() {
    return {
        // prod, all and along a dim.
        {[](const Tensor& x) { return x.prod(); }, {3, 4}},
        {[](const Tensor& x) { return x.prod(); }, {}},
        {[](const Tensor& x) { return x.prod(1); }, {3, 5}},
        {[](const Tensor& x) { return x.prod(-3, true); }, {2, 3, 2}},
        // max/min over everything, along a dim, amax/amin over dims.
        {[](const Tensor& x) { return x.max(); }, {3, 5}},
        {[](const Tensor& x) { return x.min(); }, {7}},
        {[](const Tensor& x) { return x.max(1).first; }, {3, 5}},
        {[](const Tensor& x) { return x.min(-1, true).first; }, {2, 3, 4}},
        {[](const Tensor& x) { return x.max(0).first; }, {}},
        {[](const Tensor& x) { return x.amax({0, 2}); }, {3, 2, 4}},
        {[](const Tensor& x) { return x.amin({-1}, true); }, {3, 5}},
        {[](const Tensor& x) { return x.amax(); }, {3, 5}},
        // var/std with corrections and dims.
        {[](const Tensor& x) { return x.var(); }, {3, 5}},
        {[](const Tensor& x) { return x.var({1}, 0); }, {3, 5}},
        {[](const Tensor& x) { return x.var({0, -1}, 2, true); }, {3, 2, 4}},
        {[](const Tensor& x) { return x.std(); }, {7}},
        {[](const Tensor& x) { return x.std({-2}, 1, true); }, {3, 5}},
        {[](const Tensor& x) { return x.std({0, 2}, 0); }, {3, 2, 4}},
        // norms.
        {[](const Tensor& x) { return x.norm(); }, {3, 5}},
        {[](const Tensor& x) { return x.norm(2, {1}); }, {3, 5}},
        {[](const Tensor& x) { return x.norm(1, {0}, true); }, {3, 5}},
        {[](const Tensor& x) { return x.norm(3, {-1}); }, {2, 3, 4}},
        {[](const Tensor& x) { return x.norm(1.5); }, {3, 5}},
        {[](const Tensor& x) { return x.norm(0.5, {1}); }, {3, 5}},
        {[](const Tensor& x) { return x.norm(INFINITY, {1}); }, {3, 5}},
        {[](const Tensor& x) { return x.norm(-INFINITY); }, {3, 5}},
        // logsumexp.
        {[](const Tensor& x) { return x.logsumexp({1}); }, {3, 5}},
        {[](const Tensor& x) { return x.logsumexp({0, -1}, true); }, {3, 2, 4}},
        {[](const Tensor& x) { return x.logsumexp({}); }, {3, 5}},
    };
}

std::vector<std::pair<Fn, DimVector>> scan_softmax_sort_cases() {
    return {
        {[](const Tensor& x) { return x.cumsum(1); }, {3, 5}},
        {[](const Tensor& x) { return x.cumsum(-3); }, {3, 2, 4}},
        {[](const Tensor& x) { return x.cumsum(0); }, {}},
        {[](const Tensor& x) { return x.cumprod(1); }, {3, 5}},
        {[](const Tensor& x) { return x.cumprod(0); }, {4, 2, 3}},
        {[](const Tensor& x) { return x.softmax(1); }, {3, 5}},
        {[](const Tensor& x) { return x.softmax(-3); }, {3, 2, 4}},
        {[](const Tensor& x) { return x.log_softmax(0); }, {3, 5}},
        {[](const Tensor& x) { return x.log_softmax(-1); }, {2, 3, 4}},
        {[](const Tensor& x) { return x.softmax(0); }, {}},
        {[](const Tensor& x) { return x.sort(1).first; }, {3, 5}},
        {[](const Tensor& x) { return x.sort(0, true).first; }, {4, 3}},
        {[](const Tensor& x) { return x.topk(2, 1).first; }, {3, 5}},
        {[](const Tensor& x) { return x.topk(3, 0, false, false).first; }, {4, 3}},
    };
}

void check_all(const std::vector<std::pair<Fn, DimVector>>& cases, bool grad_grad = false) {
    for (size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i));
        check(cases[i].first, cases[i].second, grad_grad);
    }
}

TEST(ReduceGrad, Reductions) {
    check_all(reduction_cases());
}

TEST(ReduceGrad, ScansSoftmaxSort) {
    check_all(scan_softmax_sort_cases());
}

TEST(ReduceGrad, ZerosInProducts) {
    // prod and cumprod are polynomials: finite differences are exact enough at zeros.
    auto with_zeros = [](std::vector<double> v, DimVector shape) {
        return tensor(v, {.dtype = float64}).view(shape).requires_grad_();
    };
    auto prod_all = [](const TensorList& in) { return TensorList{in[0].prod()}; };
    auto prod_dim = [](const TensorList& in) { return TensorList{in[0].prod(1)}; };
    auto cumprod = [](const TensorList& in) { return TensorList{in[0].cumprod(1)}; };
    for (const Tensor& x : {with_zeros({2, 0, 3, 4, 1.5, -2}, {2, 3}),
                            with_zeros({0, 2, 0, 3, 1.5, 0}, {2, 3}),
                            with_zeros({0, 0, 0, 1, 2, 3}, {2, 3})}) {
        EXPECT_TRUE(autograd::gradcheck(prod_all, {x}));
        EXPECT_TRUE(autograd::gradcheck(prod_dim, {x}));
        EXPECT_TRUE(autograd::gradcheck(cumprod, {x}));
    }
}

TEST(ReduceGrad, SoftmaxWithDtype) {
    // The input is float32; the result (and its gradient) float64, cast back to float32.
    Tensor x = randn({3, 4}).requires_grad_();
    Tensor y = x.softmax(1, float64);
    EXPECT_EQ(y.dtype(), float64);
    EXPECT_EQ(y.grad_fn()->name(), "SoftmaxBackward0");
    Tensor w = randn({3, 4}, {.dtype = float64});
    (y * w).sum().backward();
    EXPECT_EQ(x.grad().dtype(), float32);
    Tensor yd = x.detach().to(float64).softmax(1);
    Tensor expected = yd * (w - (w * yd).sum({1}, true));
    EXPECT_TENSOR_CLOSE(x.grad(), expected.to(float32));
    Tensor z = randn({3, 4}).requires_grad_();
    Tensor lz = z.log_softmax(0, float64);
    EXPECT_EQ(lz.grad_fn()->name(), "LogSoftmaxBackward0");
    lz.sum().backward();
    EXPECT_EQ(z.grad().dtype(), float32);
}

TEST(ReduceGrad, EmptyInputs) {
    // Zero-size inputs: the gradients are zero-size (or zeros) and nothing fails.
    Tensor x = zeros({0, 3}, {.dtype = float64}).requires_grad_();
    std::vector<Fn> ops = {
        [](const Tensor& t) { return t.prod(); },
        [](const Tensor& t) { return t.prod(0).sum(); },
        [](const Tensor& t) { return t.max(1).first.sum(); },
        [](const Tensor& t) { return t.amax({1}).sum(); },
        [](const Tensor& t) { return t.norm(); },
        [](const Tensor& t) { return t.norm(3, {0}).sum(); },
        [](const Tensor& t) { return t.logsumexp({1}).sum(); },
        [](const Tensor& t) { return t.cumsum(0).sum(); },
        [](const Tensor& t) { return t.cumprod(1).sum(); },
        [](const Tensor& t) { return t.softmax(1).sum(); },
        [](const Tensor& t) { return t.sort(1).first.sum(); },
        [](const Tensor& t) { return t.topk(0, 1).first.sum(); },
        [](const Tensor& t) { return t.var({1}).sum(); },
        [](const Tensor& t) { return matmul(t, ones({3, 2}, {.dtype = float64})).sum(); },
        [](const Tensor& t) { return matmul(t.t(), ones({0, 2}, {.dtype = float64})).sum(); },
    };
    for (size_t i = 0; i < ops.size(); ++i) {
        SCOPED_TRACE("op " + std::to_string(i));
        Tensor g = autograd::grad({ops[i](x)}, {x}, {}, std::nullopt, false, true)[0];
        if (g.defined()) {
            EXPECT_EQ(g.sizes(), x.sizes());
        }
    }
}

TEST(ReduceGrad, IndicesAreNotDifferentiable) {
    Tensor x = random_leaf({3, 4});
    auto [values, indices] = x.max(1);
    EXPECT_TRUE(values.requires_grad());
    EXPECT_FALSE(indices.requires_grad());
    EXPECT_FALSE(x.sort(0).second.requires_grad());
    EXPECT_FALSE(x.topk(2).second.requires_grad());
    EXPECT_FALSE(x.argmax().requires_grad());
}

TEST(ReduceGrad, GradFnNames) {
    Tensor x = random_leaf({3, 4});
    auto name = [](const Tensor& t) { return t.grad_fn()->name(); };
    EXPECT_EQ(name(x.prod()), "ProdBackward0");
    EXPECT_EQ(name(x.prod(1)), "ProdBackward1");
    EXPECT_EQ(name(x.max()), "MaxBackward1");
    EXPECT_EQ(name(x.min()), "MinBackward1");
    EXPECT_EQ(name(x.max(1).first), "MaxBackward0");
    EXPECT_EQ(name(x.min(1).first), "MinBackward0");
    EXPECT_EQ(name(x.amax()), "AmaxBackward0");
    EXPECT_EQ(name(x.amin({1})), "AminBackward0");
    EXPECT_EQ(name(x.var()), "VarBackward0");
    EXPECT_EQ(name(x.var({1}, 0)), "VarBackward0");
    EXPECT_EQ(name(x.std({1})), "StdBackward0");
    EXPECT_EQ(name(x.norm()), "NormBackward1");
    EXPECT_EQ(name(x.norm(1, {1})), "NormBackward1");
    EXPECT_EQ(name(x.logsumexp({1})), "LogsumexpBackward0");
    EXPECT_EQ(name(x.cumsum(1)), "CumsumBackward0");
    EXPECT_EQ(name(x.cumprod(1)), "CumprodBackward0");
    EXPECT_EQ(name(x.softmax(1)), "SoftmaxBackward0");
    EXPECT_EQ(name(x.log_softmax(1)), "LogSoftmaxBackward0");
    EXPECT_EQ(name(x.sort(1).first), "SortBackward0");
    EXPECT_EQ(name(x.topk(2).first), "TopkBackward0");
}

// Each golden case's op, by the name the fixture gives it.
const std::map<std::string, Fn>& golden_ops() {
    static const std::map<std::string, Fn> ops = {
        {"max", [](const Tensor& x) { return x.max(); }},
        {"min", [](const Tensor& x) { return x.min(); }},
        {"max_dim1", [](const Tensor& x) { return x.max(1).first; }},
        {"min_dim0_keepdim", [](const Tensor& x) { return x.min(0, true).first; }},
        {"amax_dim1", [](const Tensor& x) { return x.amax({1}); }},
        {"amax", [](const Tensor& x) { return x.amax(); }},
        {"amin_dims02_keepdim", [](const Tensor& x) { return x.amin({0, 2}, true); }},
        {"prod", [](const Tensor& x) { return x.prod(); }},
        {"prod_dim1", [](const Tensor& x) { return x.prod(1); }},
        {"prod_dim0_keepdim", [](const Tensor& x) { return x.prod(0, true); }},
        {"cumprod_dim0", [](const Tensor& x) { return x.cumprod(0); }},
        {"cumprod_dim1", [](const Tensor& x) { return x.cumprod(1); }},
        {"std", [](const Tensor& x) { return x.std(); }},
        {"std_dim1", [](const Tensor& x) { return x.std({1}); }},
        {"norm2", [](const Tensor& x) { return x.norm(); }},
        {"norm2_dim1", [](const Tensor& x) { return x.norm(2, {1}); }},
        {"norm1", [](const Tensor& x) { return x.norm(1); }},
        {"norm3", [](const Tensor& x) { return x.norm(3); }},
        {"norm1.5", [](const Tensor& x) { return x.norm(1.5); }},
        {"norm0.5", [](const Tensor& x) { return x.norm(0.5); }},
        {"norminf", [](const Tensor& x) { return x.norm(INFINITY); }},
        {"norm0", [](const Tensor& x) { return x.norm(0); }},
        {"sort_dim1", [](const Tensor& x) { return x.sort(1).first; }},
        {"sort_dim0_desc", [](const Tensor& x) { return x.sort(0, true).first; }},
        {"topk2_dim1", [](const Tensor& x) { return x.topk(2, 1).first; }},
        {"topk2_dim0_smallest", [](const Tensor& x) { return x.topk(2, 0, false).first; }},
    };
    return ops;
}

TEST(ReduceGrad, GoldenConventions) {
    test::json fixture = test::load_golden("autograd_reduce");
    for (const auto& c : fixture["cases"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const Fn& fn = golden_ops().at(c["op"].get<std::string>());
        Tensor x = test::tensor_from_json(c["input"]).requires_grad_();
        Tensor y = fn(x);
        EXPECT_EQ(y.grad_fn()->name(), c["grad_fn"].get<std::string>());
        y.backward(test::tensor_from_json(c["grad_output"]));
        if (c["grad"].is_null()) {
            EXPECT_FALSE(x.grad().defined());
        } else {
            EXPECT_TENSOR_CLOSE(x.grad(), test::tensor_from_json(c["grad"]), 1e-12, 1e-12);
        }
    }
}

// Second order (gradgradcheck). These formulas also go through view ops (unsqueeze, expand,
// transpose, select...), scatter, where, flip, cat and stack, which must record too.
TEST(ReduceGradGrad, Reductions) {
    check_all(reduction_cases(), true);
}

TEST(ReduceGradGrad, ScansSoftmaxSort) {
    check_all(scan_softmax_sort_cases(), true);
}

TEST(ReduceGradGrad, ZerosInProducts) {
    Tensor x = tensor({2., 0., 3., 0., 1.5, -2.}, {.dtype = float64}).view({2, 3}).requires_grad_();
    autograd::GradcheckOptions options{.check_grad_grad = true};
    EXPECT_TRUE(autograd::gradcheck([](const TensorList& in) { return TensorList{in[0].prod()}; },
                                    {x}, options));
    EXPECT_TRUE(autograd::gradcheck(
        [](const TensorList& in) { return TensorList{in[0].prod(1)}; }, {x}, options));
    EXPECT_TRUE(autograd::gradcheck(
        [](const TensorList& in) { return TensorList{in[0].cumprod(1)}; }, {x}, options));
}

}  // namespace
}  // namespace ember

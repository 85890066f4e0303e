// Gradients of elementwise, ternary and copy ops: gradcheck on random inputs (contiguous and
// not), PyTorch's gradients at kinks, ties and bounds (tests/golden/autograd_elementwise.json,
// from tools/golden/autograd_elementwise.py), grad_fn names, in-place forms and their errors.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember {
namespace {

using test::load_golden;
using test::tensor_from_json;
using Fn = std::function<TensorList(const TensorList&)>;

const autograd::GradcheckOptions kGradGrad{.check_grad_grad = true};

// A float64 leaf requiring grad; `transposed` gives a non-contiguous one of the same shape.
// `low`/`high` bound the values (uniform), or normal values when low == high.
Tensor input(IntArrayRef sizes, bool transposed, double low = 0, double high = 0) {
    DimVector shape(sizes.begin(), sizes.end());
    if (transposed) std::swap(shape[0], shape[1]);
    Tensor t = low == high ? randn(shape, {.dtype = float64})
                           : rand(shape, {.dtype = float64}) * (high - low) + low;
    if (transposed) t = t.t();
    return t.requires_grad_();
}

// gradcheck of fn on inputs built by `make(transposed)`, contiguous and not.
void gradcheck_both(const std::function<TensorList(bool)>& make, const Fn& fn,
                    const autograd::GradcheckOptions& options = kGradGrad) {
    for (bool transposed : {false, true}) {
        SCOPED_TRACE(transposed ? "non-contiguous" : "contiguous");
        TensorList in = make(transposed);
        if (transposed) {
            EXPECT_FALSE(in[0].is_contiguous());
        }
        EXPECT_TRUE(autograd::gradcheck(fn, in, options));
    }
}

// ---- golden gradients ------------------------------------------------------------------------

const test::json& cases() {
    static const test::json golden = load_golden("autograd_elementwise");
    return golden["cases"];
}

// Runs fn on the case's inputs (float ones as leaves requiring grad) and compares the gradients
// of its output's sum, and its grad_fn name (PyTorch's unless `name` says otherwise).
void check_golden(const std::string& key, const Fn& fn, const char* name = nullptr) {
    SCOPED_TRACE(key);
    const test::json& c = cases().at(key);
    TensorList in, leaves;
    for (const auto& j : c["inputs"]) {
        Tensor t = tensor_from_json(j);
        if (t.is_floating_point()) leaves.push_back(t.requires_grad_());
        in.push_back(t);
    }
    Tensor out = fn(in)[0];
    ASSERT_NE(out.grad_fn(), nullptr);
    EXPECT_EQ(out.grad_fn()->name(), name ? std::string(name) : c["grad_fn"].get<std::string>());
    TensorList grads = autograd::grad({out.sum()}, leaves, {}, std::nullopt, false, true);
    ASSERT_EQ(grads.size(), c["grads"].size());
    for (size_t i = 0; i < grads.size(); ++i) {
        SCOPED_TRACE("gradient " + std::to_string(i));
        EXPECT_TENSOR_CLOSE(grads[i], tensor_from_json(c["grads"][i]));
    }
}

Tensor mask_of(std::vector<double> v) { return tensor(v).to(DType::Bool); }

TEST(ElementwiseGrad, UnaryKinksAndZerosMatchPyTorch) {
    check_golden("relu", [](const TensorList& x) { return TensorList{relu(x[0])}; });
    check_golden("abs", [](const TensorList& x) { return TensorList{abs(x[0])}; });
    check_golden("sign", [](const TensorList& x) { return TensorList{sign(x[0])}; });
    check_golden("sqrt", [](const TensorList& x) { return TensorList{sqrt(x[0])}; });
    check_golden("rsqrt", [](const TensorList& x) { return TensorList{rsqrt(x[0])}; });
    check_golden("log", [](const TensorList& x) { return TensorList{log(x[0])}; });
    check_golden("reciprocal", [](const TensorList& x) { return TensorList{reciprocal(x[0])}; });
    check_golden("square", [](const TensorList& x) { return TensorList{square(x[0])}; });
    check_golden("round", [](const TensorList& x) { return TensorList{round(x[0])}; });
}

TEST(ElementwiseGrad, PowAtZeroMatchesPyTorch) {
    check_golden("pow_scalar_2", [](const TensorList& x) { return TensorList{x[0].pow(2)}; });
    check_golden("pow_scalar_0", [](const TensorList& x) { return TensorList{x[0].pow(0)}; });
    check_golden("pow_scalar_half", [](const TensorList& x) { return TensorList{x[0].pow(0.5)}; });
    check_golden("pow_tensor", [](const TensorList& x) { return TensorList{pow(x[0], x[1])}; });
    check_golden("pow_scalar_base_0", [](const TensorList& x) { return TensorList{pow(0.0, x[0])}; });
    check_golden("pow_scalar_base_2", [](const TensorList& x) { return TensorList{pow(2.0, x[0])}; });
}

TEST(ElementwiseGrad, TiesAndBoundsMatchPyTorch) {
    check_golden("maximum", [](const TensorList& x) { return TensorList{maximum(x[0], x[1])}; });
    check_golden("minimum", [](const TensorList& x) { return TensorList{minimum(x[0], x[1])}; });
    check_golden("clamp", [](const TensorList& x) { return TensorList{x[0].clamp(0, 1)}; });
    check_golden("clamp_min", [](const TensorList& x) { return TensorList{x[0].clamp(0)}; });
    check_golden("clamp_max", [](const TensorList& x) {
        return TensorList{x[0].clamp(std::nullopt, 0)};
    });
    check_golden("clamp_tensor", [](const TensorList& x) {
        return TensorList{clamp(x[0], std::optional<Tensor>(x[1]), std::optional<Tensor>(x[2]))};
    });
    check_golden("clamp_tensor_min", [](const TensorList& x) {
        return TensorList{clamp(x[0], std::optional<Tensor>(x[1]))};
    });
    check_golden("clamp_tensor_max", [](const TensorList& x) {
        return TensorList{clamp(x[0], std::nullopt, std::optional<Tensor>(x[1]))};
    });
}

TEST(ElementwiseGrad, PiecewiseBinaryOpsMatchPyTorch) {
    check_golden("remainder", [](const TensorList& x) { return TensorList{remainder(x[0], x[1])}; });
    check_golden("fmod", [](const TensorList& x) { return TensorList{fmod(x[0], x[1])}; });
    check_golden("atan2", [](const TensorList& x) { return TensorList{atan2(x[0], x[1])}; });
    check_golden("div_floor", [](const TensorList& x) { return TensorList{div(x[0], x[1], "floor")}; });
    // Python's 2 / x multiplies by the Python number (MulBackward0); C++'s Scalar overload of mul
    // is MulBackward1, as in libtorch.
    check_golden("rdiv", [](const TensorList& x) { return TensorList{2.0 / x[0]}; }, "MulBackward1");
}

TEST(ElementwiseGrad, ScalarDividedByTensorRoundsAsPyTorch) {
    // Computed as reciprocal(x) * 10, as PyTorch does: bit for bit in float32.
    const test::json golden = load_golden("autograd_elementwise");
    const test::json& j = golden["rdiv_float32"];
    EXPECT_TENSOR_EQ(10.0 / tensor_from_json(j["input"]), tensor_from_json(j["output"]));
}

TEST(ElementwiseGrad, WhereAndMaskedFillMatchPyTorch) {
    check_golden("where", [](const TensorList& x) {
        return TensorList{where(mask_of({1, 0, 1, 0, 0, 1}).view({2, 3}), x[0], x[1])};
    });
    check_golden("masked_fill", [](const TensorList& x) {
        return TensorList{x[0].masked_fill(mask_of({1, 0, 1}), 0.)};
    });
    check_golden("masked_fill_tensor", [](const TensorList& x) {
        return TensorList{masked_fill(x[0], mask_of({1, 0, 1}), x[1])};
    });
}

TEST(ElementwiseGrad, ConversionGradientIsCastBack) {
    check_golden("to_float32", [](const TensorList& x) { return TensorList{x[0].to(float32)}; });
}

TEST(ElementwiseGrad, InPlaceFormsOnNonLeavesMatchPyTorch) {
    auto on_copy = [](std::function<void(Tensor&, const TensorList&)> op) {
        return [op](const TensorList& x) {
            Tensor y = x[0] * 1;
            op(y, x);
            return TensorList{y};
        };
    };
    check_golden("relu_", on_copy([](Tensor& y, const TensorList&) { y.relu_(); }));
    check_golden("sigmoid_", on_copy([](Tensor& y, const TensorList&) { y.sigmoid_(); }));
    check_golden("pow_", on_copy([](Tensor& y, const TensorList&) { y.pow_(2); }));
    check_golden("clamp_", on_copy([](Tensor& y, const TensorList&) { y.clamp_(0, 1); }));
    check_golden("masked_fill_", on_copy([](Tensor& y, const TensorList&) {
                     y.masked_fill_(mask_of({1, 0}), 5.);
                 }));
    check_golden("zero_", on_copy([](Tensor& y, const TensorList&) { y.zero_(); }));
    check_golden("fill_", on_copy([](Tensor& y, const TensorList&) { y.fill_(3.); }));
    check_golden("fill_tensor", on_copy([](Tensor& y, const TensorList& x) { y.fill_(x[1]); }));
    check_golden("copy_", on_copy([](Tensor& y, const TensorList& x) { y.copy_(x[1]); }));
}

TEST(ElementwiseGrad, CopyIntoATensorOutsideTheGraph) {
    // dst (float32, not requiring grad) joins the graph; src's gradient is summed over the
    // broadcast dim and cast back to float64.
    Tensor weights = tensor({{1., 2., 3.}, {4., 5., 6.}});
    Tensor dst;
    check_golden("copy_into_plain", [&](const TensorList& x) {
        dst = zeros({2, 3});
        dst.copy_(x[0]);
        return TensorList{dst * weights};
    }, "MulBackward0");
    EXPECT_TRUE(dst.requires_grad());
    ASSERT_NE(dst.grad_fn(), nullptr);
    EXPECT_EQ(dst.grad_fn()->name(), cases()["copy_into_plain"]["grad_fn"].get<std::string>());
}

TEST(ElementwiseGrad, ReluInPlaceOnANonLeaf) {
    // reference/autograd.md: y = x*1; relu_(y); y.sum().backward() -> [0, 1].
    Tensor x = tensor({-1., 2.}).requires_grad_();
    Tensor y = x * 1;
    y.relu_();
    y.sum().backward();
    EXPECT_TENSOR_EQ(x.grad(), tensor({0., 1.}));
}

// ---- grad_fn names and what is not differentiable ---------------------------------------------

TEST(ElementwiseGrad, UnaryGradFnNames) {
    static const test::json golden = load_golden("autograd_elementwise");
    const std::map<std::string, Tensor (*)(const Tensor&)> ops = {
        {"neg", neg}, {"abs", abs}, {"sign", sign}, {"reciprocal", reciprocal}, {"exp", exp},
        {"exp2", exp2}, {"log", log}, {"log2", log2}, {"log10", log10}, {"log1p", log1p},
        {"expm1", expm1}, {"sqrt", sqrt}, {"rsqrt", rsqrt}, {"square", square}, {"sin", sin},
        {"cos", cos}, {"tan", tan}, {"tanh", tanh}, {"sigmoid", sigmoid}, {"relu", relu},
        {"erf", erf}, {"floor", floor}, {"ceil", ceil}, {"round", round}, {"trunc", trunc}};
    Tensor x = tensor({0.5, 2.}).requires_grad_();
    ASSERT_EQ(golden["unary_names"].size(), ops.size());
    for (const auto& [op, name] : golden["unary_names"].items()) {
        Tensor y = ops.at(op)(x);
        ASSERT_NE(y.grad_fn(), nullptr) << op;
        EXPECT_EQ(y.grad_fn()->name(), name.get<std::string>()) << op;
    }
}

TEST(ElementwiseGrad, ScalarOverloadNames) {
    Tensor x = tensor({1., 2.}).requires_grad_();
    Tensor y = tensor({3., 4.}).requires_grad_();
    EXPECT_EQ(x.pow(2).grad_fn()->name(), "PowBackward0");
    EXPECT_EQ(pow(x, y).grad_fn()->name(), "PowBackward1");
    EXPECT_EQ(pow(2, x).grad_fn()->name(), "PowBackward2");
    EXPECT_EQ(remainder(x, 2).grad_fn()->name(), "RemainderBackward0");
    EXPECT_EQ(fmod(x, 2).grad_fn()->name(), "FmodBackward0");
    EXPECT_EQ(div(x, 2, "trunc").grad_fn()->name(), "DivBackward3");
    EXPECT_EQ(div(x, y, "trunc").grad_fn()->name(), "DivBackward2");
    EXPECT_EQ(where(x > 1, x, 0.).grad_fn()->name(), "WhereBackward0");
    EXPECT_EQ(where(x > 1, 0., y).grad_fn()->name(), "WhereBackward0");
    EXPECT_EQ(x.clone().grad_fn()->name(), "CloneBackward0");
    EXPECT_EQ(x.to(float64, /*copy=*/true).grad_fn()->name(), "ToCopyBackward0");
}

TEST(ElementwiseGrad, NonDifferentiableResults) {
    Tensor x = tensor({1., 2.}).requires_grad_();
    Tensor y = tensor({2., 1.}).requires_grad_();
    for (const Tensor& r : {x == y, x != y, x < y, x <= 1, x > y, x >= 1, logical_and(x, y),
                            logical_or(x, y), logical_xor(x, y), logical_not(x), isnan(x),
                            isinf(x), isfinite(x), x.to(int64), x.to(DType::Bool)}) {
        EXPECT_FALSE(r.requires_grad());
        EXPECT_EQ(r.grad_fn(), nullptr);
    }
    Tensor i = tensor({1, 2}, {.dtype = int64});
    EXPECT_FALSE(bitwise_and(i, i).requires_grad());
    // Conversions that change nothing and contiguous() of a contiguous tensor are x itself.
    EXPECT_TRUE(x.to(float32).is_same(x));
    EXPECT_TRUE(x.contiguous().is_same(x));
    // A non-contiguous one is cloned (as PyTorch does).
    Tensor m = tensor({{1., 2.}, {3., 4.}}).requires_grad_();
    EXPECT_EQ(m.detach().t().requires_grad_().contiguous().grad_fn()->name(), "CloneBackward0");
}

TEST(ElementwiseGrad, FloorDivideHasNoDerivative) {
    // As PyTorch: the result is in the graph, and backward through it fails.
    Tensor x = tensor({5., 7.}).requires_grad_();
    Tensor q = floor_divide(x, 2);
    EXPECT_TRUE(q.requires_grad());
    EXPECT_EQ(q.grad_fn()->name(), "NotImplemented");
    EXPECT_EMBER_ERROR(q.sum().backward(), "derivative for aten::floor_divide is not implemented");
    EXPECT_EMBER_ERROR(floor_divide(x, tensor({2., 2.})).sum().backward(),
                       "derivative for aten::floor_divide is not implemented");
}

// ---- in-place rules ------------------------------------------------------------------------

TEST(ElementwiseGrad, InPlaceChangeOfASavedTensorFailsBackward) {
    Tensor a = tensor({1., 2.}).requires_grad_();
    Tensor b = a.sigmoid();
    b.mul_(2);
    EXPECT_EMBER_ERROR(b.sum().backward(), "modified by an inplace operation",
                       "which is output 0 of SigmoidBackward0", "is at version 1; expected version 0");
    Tensor e = a.exp();
    e.add_(1);
    EXPECT_EMBER_ERROR(e.sum().backward(), "output 0 of ExpBackward0");
    // relu_ saves its own result: changing it again is caught too.
    Tensor r = a * 1;
    r.relu_();
    r.exp_();  // exp saves its result, which is now r, but relu's saved r changed
    EXPECT_EMBER_ERROR(r.sum().backward(), "ReluBackward0");
    // A saved input: log saves x.
    Tensor x = a * 1;
    Tensor l = x.log();
    x.zero_();
    EXPECT_EMBER_ERROR(l.sum().backward(), "which is output 0 of MulBackward1");
    // The condition of where is saved.
    Tensor c = tensor({1., 0.}).to(DType::Bool);
    Tensor w = where(c, a, 0.);
    c.logical_not_();
    EXPECT_EMBER_ERROR(w.sum().backward(), "modified by an inplace operation");
}

TEST(ElementwiseGrad, InPlaceOnLeavesRequiringGradIsRefused) {
    Tensor x = tensor({1., 2.}).requires_grad_();
    EXPECT_EMBER_ERROR(x.relu_(), "a leaf Variable that requires grad");
    EXPECT_EMBER_ERROR(x.clamp_(0, 1), "a leaf Variable that requires grad");
    EXPECT_EMBER_ERROR(x.masked_fill_(mask_of({1, 0}), 0), "a leaf Variable that requires grad");
    EXPECT_EMBER_ERROR(x.pow_(2), "a leaf Variable that requires grad");
    EXPECT_EMBER_ERROR(x.fill_(1), "a leaf Variable that requires grad");
    EXPECT_EMBER_ERROR(x.zero_(), "a leaf Variable that requires grad");
    EXPECT_EMBER_ERROR(x.copy_(tensor({3., 4.})), "a leaf Variable that requires grad");
    {
        NoGradGuard no_grad;  // allowed, and recorded nowhere
        x.mul_(2).relu_().clamp_(0, 3).zero_();
    }
    EXPECT_TRUE(x.is_leaf());
    EXPECT_TENSOR_EQ(x.detach(), tensor({0., 0.}));
}

TEST(ElementwiseGrad, InPlaceWithoutGradStaysOutOfTheGraph) {
    Tensor t = tensor({-1., 2.});
    t.relu_().exp_();
    EXPECT_FALSE(t.requires_grad());
    Tensor i = tensor({3, -4}, {.dtype = int64});
    i.abs_().neg_();
    EXPECT_TENSOR_EQ(i, tensor({-3, -4}, {.dtype = int64}));
    // A plain tensor joins the graph when an in-place op mixes in one that requires grad.
    Tensor x = tensor({1., 2.}).requires_grad_();
    Tensor p = tensor({3., 4.});
    p.mul_(x);
    EXPECT_EQ(p.grad_fn()->name(), "MulBackward0");
    Tensor f = tensor({0., 0.});
    f.fill_(x.sum());
    EXPECT_EQ(f.grad_fn()->name(), "FillBackward3");
}

// ---- gradcheck on random inputs ------------------------------------------------------------

TEST(ElementwiseGrad, GradcheckUnaryMath) {
    struct Case {
        const char* name;
        Tensor (*op)(const Tensor&);
        double low, high;  // sampling range (normal when equal)
    };
    const Case unary[] = {
        {"neg", neg, 0, 0},          {"abs", abs, 0, 0},           {"sign", sign, 0, 0},
        {"reciprocal", reciprocal, 0.5, 2},  {"exp", exp, 0, 0},   {"exp2", exp2, 0, 0},
        {"log", log, 0.5, 2},        {"log2", log2, 0.5, 2},       {"log10", log10, 0.5, 2},
        {"log1p", log1p, -0.5, 2},   {"expm1", expm1, 0, 0},       {"sqrt", sqrt, 0.5, 2},
        {"rsqrt", rsqrt, 0.5, 2},    {"square", square, 0, 0},     {"sin", sin, 0, 0},
        {"cos", cos, 0, 0},          {"tan", tan, -1, 1},          {"tanh", tanh, 0, 0},
        {"sigmoid", sigmoid, 0, 0},  {"relu", relu, 0, 0},         {"erf", erf, 0, 0},
        {"floor", floor, 0, 0},      {"ceil", ceil, 0, 0},         {"round", round, 0, 0},
        {"trunc", trunc, 0, 0},
    };
    manual_seed(0);
    for (const Case& c : unary) {
        SCOPED_TRACE(c.name);
        gradcheck_both([&](bool tr) { return TensorList{input({3, 4}, tr, c.low, c.high)}; },
                       [op = c.op](const TensorList& x) { return TensorList{op(x[0])}; });
    }
}

TEST(ElementwiseGrad, GradcheckInPlaceUnary) {
    manual_seed(1);
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr, 0.5, 2)}; },
                   [](const TensorList& x) {
                       Tensor y = x[0] * 1;
                       y.log_().neg_().sin_().exp_();
                       return TensorList{y};
                   });
    // mul_ and div_ by a tensor requiring grad, whose gradient reads self's old value.
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr), input({3, 4}, tr, 0.5, 2)}; },
                   [](const TensorList& x) {
                       Tensor y = x[0] * 1;
                       y.mul_(x[1]).div_(x[1] + 1).mul_(y);
                       return TensorList{y};
                   });
}

TEST(ElementwiseGrad, GradcheckPow) {
    manual_seed(2);
    auto positive = [](bool tr) { return TensorList{input({3, 4}, tr, 0.5, 2)}; };
    gradcheck_both(positive, [](const TensorList& x) { return TensorList{x[0].pow(3)}; });
    gradcheck_both(positive, [](const TensorList& x) { return TensorList{x[0].pow(-1.5)}; });
    gradcheck_both(positive, [](const TensorList& x) { return TensorList{pow(1.7, x[0])}; });
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr, 0.5, 2), input({3, 4}, tr)}; },
                   [](const TensorList& x) { return TensorList{pow(x[0], x[1])}; });
    // Broadcast exponent.
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr, 0.5, 2), input({4}, false)}; },
                   [](const TensorList& x) { return TensorList{pow(x[0], x[1])}; });
    gradcheck_both(positive, [](const TensorList& x) {
        Tensor y = x[0] * 1;
        return TensorList{y.pow_(2.5)};
    });
}

TEST(ElementwiseGrad, GradcheckBinary) {
    manual_seed(3);
    auto two = [](bool tr) { return TensorList{input({3, 4}, tr), input({3, 4}, tr)}; };
    gradcheck_both(two, [](const TensorList& x) { return TensorList{maximum(x[0], x[1])}; });
    gradcheck_both(two, [](const TensorList& x) { return TensorList{minimum(x[0], x[1])}; });
    gradcheck_both(two, [](const TensorList& x) { return TensorList{atan2(x[0], x[1])}; });
    gradcheck_both(two, [](const TensorList& x) { return TensorList{remainder(x[0], x[1])}; });
    gradcheck_both(two, [](const TensorList& x) { return TensorList{fmod(x[0], x[1])}; });
    gradcheck_both(two, [](const TensorList& x) { return TensorList{div(x[0], x[1], "floor")}; });
    gradcheck_both(two, [](const TensorList& x) { return TensorList{div(x[0], x[1], "trunc")}; });
    // Broadcasting, and the number overloads.
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr), input({4}, false)}; },
                   [](const TensorList& x) {
                       return TensorList{maximum(x[0], x[1]) + atan2(x[1], x[0]) +
                                         remainder(x[0], 0.7) + fmod(x[0], 0.7)};
                   });
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr, 0.5, 2)}; },
                   [](const TensorList& x) { return TensorList{2.5 / x[0]}; });
}

TEST(ElementwiseGrad, GradcheckWhereClampMaskedFill) {
    manual_seed(4);
    auto two = [](bool tr) { return TensorList{input({3, 4}, tr), input({3, 4}, tr)}; };
    gradcheck_both(two, [](const TensorList& x) {
        return TensorList{where(x[0] > x[1], x[0], x[1]), where(x[0] > 0, x[0], 2.),
                          where(x[1] > 0, -1., x[1])};
    });
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr)}; }, [](const TensorList& x) {
        return TensorList{x[0].clamp(-0.5, 0.5), x[0].clamp(0), x[0].clamp(std::nullopt, 0.3)};
    });
    // Tensor bounds, min < max and min > max (the result is then max).
    gradcheck_both([](bool tr) {
        return TensorList{input({3, 4}, tr), input({3, 4}, tr, -1, 0), input({4}, false, 0, 1)};
    }, [](const TensorList& x) {
        return TensorList{clamp(x[0], std::optional<Tensor>(x[1]), std::optional<Tensor>(x[2])),
                          clamp(x[0], std::optional<Tensor>(x[2]), std::optional<Tensor>(x[1])),
                          clamp(x[0], std::optional<Tensor>(x[1])),
                          clamp(x[0], std::nullopt, std::optional<Tensor>(x[2]))};
    });
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr), input({}, false)}; },
                   [](const TensorList& x) {
                       Tensor m = mask_of({1, 0, 0, 1});
                       return TensorList{x[0].masked_fill(m, 2.), masked_fill(x[0], m, x[1])};
                   });
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr)}; }, [](const TensorList& x) {
        Tensor y = x[0] * 1;
        y.clamp_(-0.5, 0.5).masked_fill_(mask_of({1, 0, 0, 1}), 3.);
        return TensorList{y};
    });
}

TEST(ElementwiseGrad, GradcheckCopies) {
    manual_seed(5);
    auto one = [](bool tr) { return TensorList{input({3, 4}, tr)}; };
    gradcheck_both(one, [](const TensorList& x) { return TensorList{x[0].clone() * 2}; });
    gradcheck_both(one, [](const TensorList& x) { return TensorList{x[0].contiguous() * 2}; });
    gradcheck_both(one, [](const TensorList& x) { return TensorList{x[0].to(float64, true)}; });
    // copy_ into a plain tensor and into a non-leaf, broadcasting the source.
    gradcheck_both([](bool tr) { return TensorList{input({3, 4}, tr), input({4}, false)}; },
                   [](const TensorList& x) {
                       Tensor plain = zeros({2, 4}, {.dtype = float64});
                       plain.copy_(x[1]);
                       Tensor y = x[0] * 1;
                       y.copy_(x[1]);
                       Tensor z = x[0] * 1;
                       z.fill_(x[1].sum());
                       return TensorList{plain * 3, y, z};
                   });
}

}  // namespace
}  // namespace ember

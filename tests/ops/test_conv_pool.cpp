// The fused convolution + 2x2 max pooling (src/ops/conv_pool.h, the direct kernel in
// src/cpu/conv_direct.cpp) against the two ops run one after the other: the same output bits,
// the same gradients for input and weight (with create_graph too; bias to rounding), over strides,
// paddings, dilations, odd output sizes (the last row and column dropped), batch 1, channel
// counts around the kernels' blocks of 32, non-contiguous inputs, no bias, ties and NaN; and
// the same errors.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "ember/ember.h"
#include "ops/conv_pool.h"
#include "support/golden.h"

namespace ember {
namespace {

struct Case {
    std::string name;
    DimVector x, w;  // input and weight sizes
    DimVector stride, padding, dilation;
    bool bias = true;
};

std::vector<Case> cases() {
    return {
        {"seed conv1", {2, 3, 16, 16}, {64, 3, 5, 5}, {1}, {0}, {1}},
        {"seed conv2", {2, 64, 14, 14}, {30, 64, 5, 5}, {1}, {0}, {1}},
        {"batch 1, odd output, 33 channels", {1, 4, 9, 36}, {33, 4, 3, 3}, {1}, {0}, {1}},
        {"stride, padding", {3, 5, 11, 10}, {7, 5, 3, 3}, {2}, {1}, {1}},
        {"dilation, uneven, no bias", {2, 3, 13, 9}, {6, 3, 3, 2}, {1, 2}, {2, 1}, {2, 1}, false},
        {"1x1, one channel", {2, 1, 6, 7}, {1, 1, 1, 1}, {1}, {0}, {1}},
        {"2x2 output", {2, 2, 4, 4}, {40, 2, 3, 3}, {1}, {0}, {1}},
    };
}

// max_pool2d(convolution(...)) or the fused op, with the three gradients for upstream `up`,
// and the gradient of (grad input . v) with respect to the weight (a create_graph backward).
std::vector<Tensor> run(const Case& c, bool fused, const Tensor& x0, const Tensor& w0,
                        const Tensor& b0, const Tensor& up, const Tensor& v) {
    Tensor x = x0.detach().requires_grad_(), w = w0.detach().requires_grad_();
    Tensor b = c.bias ? b0.detach().requires_grad_() : Tensor();
    Tensor y = fused ? detail::conv2d_max_pool2x2(x, w, b, c.stride, c.padding, c.dilation)
                     : max_pool2d(convolution(x, w, b, c.stride, c.padding, c.dilation, false,
                                              {0}, 1),
                                  {2});
    const TensorList inputs = c.bias ? TensorList{x, w, b} : TensorList{x, w};
    const TensorList g = autograd::grad({(y * up).sum()}, inputs, {}, std::nullopt, true);
    const Tensor gww = autograd::grad({(g[0] * v).sum()}, {w})[0];
    std::vector<Tensor> out{y.detach(), g[0].detach(), g[1].detach(), gww};
    if (c.bias) out.push_back(g[2].detach());
    return out;
}

// Bit for bit, NaN where NaN.
bool same(const Tensor& a, const Tensor& b) {
    return a.sizes() == b.sizes() && a.dtype() == b.dtype() && a.allclose(b, 0.0, 0.0, true);
}

TEST(ConvPool, EqualsConvolutionThenMaxPool) {
    for (const Case& c : cases()) {
        for (bool non_contiguous : {false, true}) {
            SCOPED_TRACE(c.name + (non_contiguous ? ", non-contiguous" : ""));
            manual_seed(5);
            Tensor x = randn(c.x);
            if (non_contiguous) x = x.transpose(2, 3).contiguous().transpose(2, 3);
            // Ties (a block of equal values) and a NaN.
            x.index_put_({0, Slice(), Slice(0, 3), Slice(0, 3)}, 0.5);
            x.index_put_({0, 0, c.x[2] - 1, c.x[3] - 1}, NAN);
            const Tensor w = randn(c.w), b = randn({c.w[0]});
            const Tensor shape = detail::conv2d_max_pool2x2(x, w, b, c.stride, c.padding,
                                                            c.dilation);
            const Tensor up = randn(shape.sizes()), v = randn(c.x);
            const auto fused = run(c, true, x, w, b, up, v);
            const auto plain = run(c, false, x, w, b, up, v);
            const char* names[] = {"output", "grad input", "grad weight",
                                   "grad of grad input wrt weight", "grad bias"};
            ASSERT_EQ(fused.size(), plain.size());
            for (size_t i = 0; i < fused.size(); ++i) {
                SCOPED_TRACE(names[i]);
                if (i == 4)  // the bias gradient: the same sum in another order
                    EXPECT_TRUE(allclose(fused[i], plain[i], 1e-5, 1e-5));
                else
                    EXPECT_TRUE(same(fused[i], plain[i]));
            }
        }
    }
}

TEST(ConvPool, WithoutGradTheSameOutput) {
    manual_seed(8);
    const Tensor x = randn({3, 6, 12, 11}), w = randn({35, 6, 3, 3}), b = randn({35});
    NoGradGuard no_grad;
    EXPECT_TRUE(same(detail::conv2d_max_pool2x2(x, w, b, {1}, {1}, {1}),
                     max_pool2d(convolution(x, w, b, {1}, {1}, {1}, false, {0}, 1), {2})));
}

TEST(ConvPool, GraphNodeAndItsInputs) {
    manual_seed(2);
    const Tensor x = randn({2, 3, 8, 8}).requires_grad_();
    const Tensor w = randn({4, 3, 3, 3}).requires_grad_();
    const Tensor y = detail::conv2d_max_pool2x2(x, w, Tensor(), {1}, {0}, {1});
    ASSERT_TRUE(y.grad_fn());
    EXPECT_EQ(y.grad_fn()->name(), "ConvolutionMaxPool2DBackward");
    EXPECT_EQ(y.sizes(), IntArrayRef({2, 4, 3, 3}));
}

// Where the fused kernel does not apply, the two ops run: float64, an empty batch, a 1-wide
// convolution output.
TEST(ConvPool, OtherCasesRunTheTwoOps) {
    manual_seed(1);
    const Tensor x = randn({2, 3, 7, 7}, {.dtype = DType::Float64}).requires_grad_();
    const Tensor w = randn({5, 3, 3, 3}, {.dtype = DType::Float64}).requires_grad_();
    EXPECT_TRUE(same(detail::conv2d_max_pool2x2(x, w, Tensor(), {1}, {0}, {1}),
                     max_pool2d(convolution(x, w, Tensor(), {1}, {0}, {1}, false, {0}, 1), {2})));
    const Tensor empty = detail::conv2d_max_pool2x2(randn({0, 3, 7, 7}), randn({5, 3, 3, 3}),
                                                    Tensor(), {1}, {0}, {1});
    EXPECT_EQ(empty.sizes(), IntArrayRef({0, 5, 2, 2}));
    EXPECT_EMBER_ERROR(detail::conv2d_max_pool2x2(randn({1, 3, 3, 7}), randn({5, 3, 3, 3}),
                                                  Tensor(), {1}, {0}, {1}),
                       "max_pool2d");
}

TEST(ConvPool, ErrorsAreTheConvolutionsOwn) {
    const Tensor x = randn({2, 3, 8, 8}), w = randn({4, 2, 3, 3});
    EXPECT_EMBER_ERROR(detail::conv2d_max_pool2x2(x, w, Tensor(), {1}, {0}, {1}),
                       "expected input[2, 3, 8, 8] to have 2 channels, but got 3 channels");
}

}  // namespace
}  // namespace ember

// The direct float32 convolution kernels (src/cpu/conv_direct.cpp) against the float64 path
// (im2col and matmul) over strides, dilations, paddings, 1-D, row widths on either side of the
// input gradient's kernel, channel counts around the kernels' blocks of 32, the Winograd
// forward's tiles (src/cpu/conv_winograd.cpp), and their independence from the number of
// threads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/ember.h"

namespace ember {
namespace {

struct Case {
    std::string name;
    DimVector x, w;  // input and weight sizes (3-D: a 1-D convolution)
    DimVector stride, padding, dilation;
    // Winograd F(2x2, 5x5) computes the output (and the input gradient, a convolution with the
    // flipped weight) or the weight gradient: its transforms round values some 10x to 100x
    // larger than the result, so its error is bounded by the largest magnitude rather than
    // elementwise (measured: up to 7.5e-6 of it for the output, 1.3e-5 for the weight gradient).
    bool winograd = false;
};

std::vector<Case> cases() {
    return {
        {"seed conv1", {3, 3, 12, 12}, {64, 3, 5, 5}, {1}, {0}, {1}},
        {"seed conv2", {2, 64, 14, 14}, {30, 64, 5, 5}, {1}, {0}, {1}, true},
        {"wide row, 33 channels", {2, 4, 9, 40}, {33, 4, 3, 3}, {1}, {1}, {1}},
        {"stride, padding", {3, 5, 11, 10}, {7, 5, 3, 3}, {2}, {1}, {1}},
        {"dilation, uneven", {2, 3, 13, 9}, {6, 3, 3, 2}, {1, 2}, {2, 1}, {2, 1}},
        {"1x1", {2, 40, 6, 7}, {17, 40, 1, 1}, {1}, {0}, {1}},
        // Kernel rows on the padding are skipped: rows partly and wholly outside the image.
        {"dilated rows, padding 3", {2, 3, 7, 8}, {5, 3, 3, 2}, {1}, {3, 1}, {2, 1}},
        {"rows of padding only", {2, 2, 4, 5}, {3, 2, 1, 3}, {1}, {2, 1}, {1}},
        {"1-D", {4, 6, 29}, {9, 6, 4}, {1}, {2}, {3}},
        // The input gradient's own kernel: whole rows of the full correlation up to 14 wide,
        // kernel widths 3, 5 and 7, paddings cropped on either side.
        {"3x3 padding 1, 14 columns, 33 channels", {2, 33, 9, 12}, {5, 33, 3, 3}, {1}, {1}, {1}},
        {"7x7 padding 3, batch 1", {1, 4, 8, 8}, {6, 4, 7, 7}, {1}, {3}, {1}},
        {"5x5 uneven padding", {2, 3, 6, 7}, {4, 3, 5, 5}, {1}, {1, 2, 0, 3}, {1}},
        {"5x3, 1-pixel rows", {3, 2, 5, 1}, {3, 2, 5, 3}, {1}, {0, 1}, {1}},
        // The Winograd forward (5x5, stride 1): odd output sizes (tiles cut at the edge), 37
        // channels (groups of 16 and a remainder), three chunks of tiles, 35 output channels
        // (a second, partial block), and a single output column with padding.
        {"winograd: odd sizes, 37 channels, 80 tiles", {2, 37, 17, 21}, {35, 37, 5, 5}, {1},
         {1}, {1}, true},
        {"winograd: one column, padding 2, batch 1", {1, 14, 6, 1}, {13, 14, 5, 5}, {1}, {2}, {1},
         true},
    };
}

// The convolution of (x, w, b) and its three gradients for an upstream gradient `up`.
std::vector<Tensor> conv_and_grads(const Case& c, const Tensor& x0, const Tensor& w0,
                                   const Tensor& b0, const Tensor& up) {
    Tensor x = x0.detach().requires_grad_(), w = w0.detach().requires_grad_(),
           b = b0.detach().requires_grad_();
    Tensor y = convolution(x, w, b, c.stride, c.padding, c.dilation, false, {0}, 1);
    (y * up).sum().backward();
    return {y.detach(), x.grad(), w.grad(), b.grad()};
}

TEST(ConvDirect, MatchesFloat64PathForwardAndBackward) {
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        manual_seed(3);
        const Tensor x = randn(c.x), w = randn(c.w), b = randn({c.w[0]});
        const Tensor y_shape = convolution(x, w, b, c.stride, c.padding, c.dilation, false, {0}, 1);
        const Tensor up = randn(y_shape.sizes());
        const auto f32 = conv_and_grads(c, x, w, b, up);
        const auto f64 = conv_and_grads(c, x.to(DType::Float64), w.to(DType::Float64),
                                        b.to(DType::Float64), up.to(DType::Float64));
        const char* names[] = {"output", "grad input", "grad weight", "grad bias"};
        for (size_t i = 0; i < f32.size(); ++i) {
            SCOPED_TRACE(names[i]);
            ASSERT_EQ(f32[i].dtype(), DType::Float32);
            const double error = (f32[i].to(DType::Float64) - f64[i]).abs().max().item<double>();
            const double largest = f64[i].abs().max().item<double>();
            if (c.winograd)
                EXPECT_LE(error, 3e-5 * largest);
            else
                EXPECT_TRUE(allclose(f32[i].to(DType::Float64), f64[i], 1e-4, 1e-4))
                    << error << " of " << largest;
        }
    }
}

TEST(ConvDirect, SameBitsForAnyNumberOfThreads) {
    const int threads = get_num_threads();
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        manual_seed(4);
        DimVector big_x = c.x;
        big_x[0] = 9;  // more images than one chunk of the weight gradient
        const Tensor x = randn(big_x), w = randn(c.w), b = randn({c.w[0]});
        const Tensor up = randn(
            convolution(x, w, b, c.stride, c.padding, c.dilation, false, {0}, 1).sizes());
        set_num_threads(1);
        const auto one = conv_and_grads(c, x, w, b, up);
        set_num_threads(2);
        const auto two = conv_and_grads(c, x, w, b, up);
        for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(equal(one[i], two[i])) << i;
    }
    set_num_threads(threads);
}

TEST(ConvDirect, DoubleBackwardStillRecorded) {
    // With create_graph the backward takes the differentiable composition: the gradient of the
    // weight gradient's sum with respect to the input exists and matches float64.
    manual_seed(5);
    const Tensor x0 = randn({2, 3, 7, 7}), w0 = randn({4, 3, 3, 3});
    std::vector<Tensor> results;
    for (DType dt : {DType::Float32, DType::Float64}) {
        Tensor x = x0.to(dt).requires_grad_(), w = w0.to(dt).requires_grad_();
        Tensor y = convolution(x, w, Tensor(), {1}, {1}, {1}, false, {0}, 1);
        Tensor gw = autograd::grad({(y * y).sum()}, {w}, {}, std::nullopt, true)[0];
        results.push_back(autograd::grad({gw.sum()}, {x})[0]);
    }
    EXPECT_TRUE(allclose(results[0].to(DType::Float64), results[1], 1e-4, 1e-4));
}

}  // namespace
}  // namespace ember

// Winograd's minimal filtering F(2x2, 5x5) for float32 convolutions with 5x5 kernels, stride 1
// and no dilation (AVX-512): the forward product and the weight gradient with 36 products per
// 2x2 outputs and channel pair instead of 100, used by the direct kernels
// (src/cpu/conv_direct.cpp) where it measured faster. The price is accuracy: the transforms
// round values 10-100x larger than the result, so errors reach some 1e-5 of the result's
// largest magnitude (about 1e-6 for the direct kernels), as with the Winograd algorithms of
// cuDNN and oneDNN. Include only under __AVX512F__.
#pragma once

#include <cstdint>
#include <vector>

#include "cpu/conv_simd.h"
#include "ops/dispatch.h"

namespace ember::detail::winograd {

// Whether the geometry (of a convolution with out_channels outputs) is one this path covers
// and measured faster than the direct kernels on, for the forward product and the weight
// gradient alike.
bool pays_off(const ConvGeometry& g, int64_t out_channels);

// The 2x2 output tiles of a geometry and the padded channels-last image they read.
struct Tiling {
    explicit Tiling(const ConvGeometry& g);
    ConvGeometry g;
    int64_t groups;            // input channels in vectors of 16
    int64_t tiles_h, tiles_w;  // tiles per column and per row
    int64_t rows, cols;        // the padded image read: 2 * tiles + 4 each way
};

// One call's transformed weight and bias, shared by the images (threads).
class Forward {
public:
    // weight [Co, C, 5, 5] and bias [Co] (or null), contiguous; g as pays_off accepted.
    Forward(const float* weight, const float* bias, int64_t out_channels, const ConvGeometry& g);

    // One image [C, H, W] convolved: for each block b of 32 output channels, out + b * L * 2
    // gets its L = out_h * out_w pixels channels-last, as (lo, hi) Vec pairs (zeros past the
    // last channel). Each output is a function of the image alone, whatever thread runs it.
    void image(const float* input, conv_simd::Vec* out) const;

private:
    Tiling tiling_;
    int64_t blocks_;
    std::vector<conv_simd::Vec> u_;     // transformed weight [block][36][C][2]
    std::vector<conv_simd::Vec> bias_;  // [block][2]
};

// The weight gradient: each image adds its tiles' products in the transformed domain into a
// partial sum; the sum of the partials is transformed back once.
class WeightGrad {
public:
    WeightGrad(int64_t out_channels, const ConvGeometry& g);

    // The Vecs of one partial sum ([block][36][C][2]), to be zeroed before its first image.
    int64_t partial_size() const { return blocks_ * 36 * tiling_.g.channels * 2; }

    // Adds image `input` [C, H, W] with its output gradient: for each block b of 32 output
    // channels, grad + b * L * 2 holds its L pixels channels-last as (lo, hi) Vec pairs.
    void add_image(conv_simd::Vec* partial, const float* input, const conv_simd::Vec* grad) const;

    // grad_weight [Co, C, 5, 5] (contiguous, overwritten) from the sum of the partials.
    void finish(float* grad_weight, const conv_simd::Vec* sum) const;

private:
    Tiling tiling_;
    int64_t out_channels_, blocks_;
};

}  // namespace ember::detail::winograd

// Direct float32 2-D convolution kernels for AVX-512 CPUs: the forward product, the weight
// gradient and (short rows) the input gradient, without unfolding the batch into columns (the
// im2col + matmul path in src/ops/conv.cpp stays for other dtypes, groups, transposed
// convolutions and other CPUs). 5x5 kernels of stride 1 over 12 or more channels take
// Winograd's algorithm instead for the forward product and the weight gradient
// (src/cpu/conv_winograd.cpp), with the same chunks of images and the same output layout.
//
// Both vectorize along output channels, in blocks of 32 (two 16-float vectors), and keep a
// tile of accumulators in registers while they walk the contraction:
//   forward:     a tile is 32 output channels x up to 14 output pixels of one row; for each
//                (input channel, kernel row, kernel column) it adds the weight vectors times
//                each pixel's input value, so every output sums its terms in that fixed order.
//   weight grad: a tile is 32 output channels x up to 12 taps (input channel, kernel row,
//                kernel column); for each output pixel of each image it adds the transposed
//                output-gradient vectors times each tap's input value. Images are taken in
//                fixed chunks whose partial sums are added in chunk order.
//   input grad:  a tile is 32 input channels x one whole row of the full correlation (up to
//                14 columns); each output-gradient pixel adds to the columns it reaches.
// Work is split by images (forward, input grad) and by chunks (weight grad), both fixed by the
// sizes, so results do not depend on the number of threads.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/core/tensor.h"
#include "ops/dispatch.h"

#if defined(__AVX512F__) && (defined(__GNUC__) || defined(__clang__))
#include "cpu/conv_simd.h"
#include "cpu/conv_winograd.h"
#endif

namespace ember::detail {

#if defined(__AVX512F__) && (defined(__GNUC__) || defined(__clang__))

namespace {

using conv_simd::broadcast;
using conv_simd::kBlock;
using conv_simd::kLanes;
using conv_simd::Vec;
constexpr int kMaxPixels = 14;               // forward tile width: 28 accumulators
constexpr int kMaxTaps = 12;                 // weight-grad tile height: 24 accumulators
constexpr int64_t kImagesPerChunk = 4;       // weight grad: images summed per partial

// Hides where p points from the optimizer. Without it, the compiler notices that the inputs of
// kernel column j + 1 are those of column j shifted by one pixel and keeps them in registers,
// which costs a register-to-vector broadcast (on the FMA port) per value instead of a
// broadcast load (on a load port).
template <class T>
const T* opaque(const T* p) {
    asm("" : "+r"(p));
    return p;
}

// The input image as the kernels read it: channel planes of `rows` x `cols`, `plane` apart,
// with the padding already in place (window (oy, ox) starts at row oy * stride_h, column
// ox * stride_w).
struct Image {
    const float* data;
    int64_t plane, row;
};

// The padded extent a window grid reads along one dim.
int64_t padded_extent(int64_t out, int64_t stride, int64_t kernel, int64_t dilation) {
    return (out - 1) * stride + (kernel - 1) * dilation + 1;
}

// Image n as the kernels read it: in place when there is no padding, else copied into `buffer`
// with zeros around (and cut where the grid stops before the image's end).
Image padded_image(const float* input, const ConvGeometry& g, std::vector<float>& buffer) {
    if (g.pad_top == 0 && g.pad_left == 0 &&
        padded_extent(g.out_h, g.stride_h, g.kernel_h, g.dilation_h) <= g.height &&
        padded_extent(g.out_w, g.stride_w, g.kernel_w, g.dilation_w) <= g.width)
        return {input, g.height * g.width, g.width};
    const int64_t rows = padded_extent(g.out_h, g.stride_h, g.kernel_h, g.dilation_h);
    const int64_t cols = padded_extent(g.out_w, g.stride_w, g.kernel_w, g.dilation_w);
    buffer.assign(static_cast<size_t>(g.channels * rows * cols), 0.0f);
    // Input rows [0, y_end) and columns [0, x_end) fall inside the grid's reach.
    const int64_t y_end = std::min(g.height, rows - g.pad_top);
    const int64_t x_end = std::min(g.width, cols - g.pad_left);
    for (int64_t c = 0; c < g.channels; ++c)
        for (int64_t y = 0; y < y_end && x_end > 0; ++y)
            std::memcpy(&buffer[(c * rows + y + g.pad_top) * cols + g.pad_left],
                        input + (c * g.height + y) * g.width, sizeof(float) * x_end);
    return {buffer.data(), rows * cols, cols};
}

// ---- forward ------------------------------------------------------------------------------

// The weight [Co, C, kH, kW] as blocks of 32 output channels: packed[block][k][32] with
// k = (c * kH + i) * kW + j, zeros past the last channel.
std::vector<Vec> pack_weight(const float* w, int64_t out_channels, int64_t taps) {
    const int64_t blocks = (out_channels + kBlock - 1) / kBlock;
    std::vector<Vec> packed(static_cast<size_t>(blocks * taps * 2), Vec{});
    float* p = reinterpret_cast<float*>(packed.data());
    for (int64_t co = 0; co < out_channels; ++co)
        for (int64_t k = 0; k < taps; ++k)
            p[(co / kBlock * taps + k) * kBlock + co % kBlock] = w[co * taps + k];
    return packed;
}

// GCC 12 flags the unpack and shuffle intrinsics' internal undefined operand as "may be used
// uninitialized" wherever they inline (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

using conv_simd::transpose16;

// Block b's pixels back to planes: src holds one (lo, hi) Vec pair per pixel ([L][32],
// channels-last); store(c, p0, mask, v) writes the 16 pixels from p0 (those in mask) of
// channel c. Channels past the last are dropped. The inverse of transpose_planes, with
// contiguous stores.
template <class Store>
void untranspose_block(const Vec* src, int64_t b, int64_t channels, int64_t L, Store store) {
    __m512 r[16];
    for (int64_t p0 = 0; p0 < L; p0 += kLanes) {
        const int64_t width = std::min(kLanes, L - p0);
        const __mmask16 mask = static_cast<__mmask16>((1u << width) - 1);
        for (int64_t h = 0; h < 2; ++h) {
            const int64_t c0 = b * kBlock + h * kLanes;
            if (c0 >= channels) break;
            for (int64_t j = 0; j < kLanes; ++j)
                r[j] = j < width ? __m512(src[(p0 + j) * 2 + h]) : _mm512_setzero_ps();
            transpose16(r);
            for (int64_t i = 0; i < kLanes && c0 + i < channels; ++i)
                store(c0 + i, p0, mask, r[i]);
        }
    }
}

// Into float planes [channels][L].
void untranspose_values(float* out, const Vec* src, int64_t b, int64_t channels, int64_t L) {
    untranspose_block(src, b, channels, L, [&](int64_t c, int64_t p0, __mmask16 mask, __m512 v) {
        _mm512_mask_storeu_ps(out + c * L + p0, mask, v);
    });
}

// Into uint8 planes [channels][L] from small int32 values carried in float lanes (the
// transpose only moves bits).
void untranspose_codes(uint8_t* out, const Vec* src, int64_t b, int64_t channels, int64_t L) {
    untranspose_block(src, b, channels, L, [&](int64_t c, int64_t p0, __mmask16 mask, __m512 v) {
        _mm_mask_storeu_epi8(out + c * L + p0, mask, _mm512_cvtepi32_epi8(_mm512_castps_si512(v)));
    });
}

// max_pool2d with 2x2 windows of stride 2 over a block's channels-last output ([L][32] as
// (lo, hi) pairs, rows of `width` pixels): for each window the maximum and its position in
// the window (0 1 / 2 3, int32 bits in float lanes), in max_pool2d's scan order with its
// "greater or NaN" rule, so both equal the pooling op's on the stored output. pooled and code
// are [ph * pw][32] the same way; code may be null.
void pool_block_2x2(Vec* pooled, Vec* code, const Vec* src, int64_t width, int64_t ph,
                    int64_t pw) {
    const int64_t offsets[4] = {0, 1, width, width + 1};  // scan order: 0 1 / 2 3
    for (int64_t py = 0; py < ph; ++py)
        for (int64_t px = 0; px < pw; ++px) {
            const int64_t first = 2 * py * width + 2 * px;
            for (int64_t h = 0; h < 2; ++h) {
                __m512 best = __m512(src[first * 2 + h]);
                __m512i at = _mm512_setzero_si512();
                for (int k = 1; k < 4; ++k) {
                    const __m512 v = __m512(src[(first + offsets[k]) * 2 + h]);
                    const __mmask16 m = _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ) |
                                        _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
                    best = _mm512_mask_mov_ps(best, m, v);
                    at = _mm512_mask_mov_epi32(at, m, _mm512_set1_epi32(k));
                }
                const int64_t o = (py * pw + px) * 2 + h;
                pooled[o] = Vec(best);
                if (code) code[o] = Vec(_mm512_castsi512_ps(at));
            }
        }
}

// 32 output channels x P pixels of one output row: out[p] = sum over taps of the weight block
// times the input value pixel p sees there, plus the bias, as channels-last (lo, hi) pairs.
// `in` is the first pixel's window origin. Only kernel rows [i0, i1) are summed: the others
// fall on the zero rows of the padding (they would add exact zeros).
template <int P>
void forward_tile(Vec* out, Vec bias_lo, Vec bias_hi, const float* in, const Vec* w,
                  const Image& img, const ConvGeometry& g, int64_t i0, int64_t i1) {
    Vec lo[P], hi[P];
    for (int p = 0; p < P; ++p) lo[p] = hi[p] = Vec{};
    for (int64_t c = 0; c < g.channels; ++c) {
        const Vec* wc = w + c * g.kernel_h * g.kernel_w * 2;
        for (int64_t i = i0; i < i1; ++i) {
            const float* row = in + c * img.plane + i * g.dilation_h * img.row;
            const Vec* wi = wc + i * g.kernel_w * 2;
            for (int64_t j = 0; j < g.kernel_w; ++j, wi += 2) {
                const float* x = opaque(row + j * g.dilation_w);
                const Vec w_lo = wi[0], w_hi = wi[1];
                for (int p = 0; p < P; ++p) {
                    const Vec v = broadcast(x[p * g.stride_w]);
                    lo[p] += w_lo * v;
                    hi[p] += w_hi * v;
                }
            }
        }
    }
    for (int p = 0; p < P; ++p) {
        out[2 * p] = lo[p] + bias_lo;
        out[2 * p + 1] = hi[p] + bias_hi;
    }
}

using ForwardTile = void (*)(Vec*, Vec, Vec, const float*, const Vec*, const Image&,
                             const ConvGeometry&, int64_t, int64_t);

// The kernel rows [i0, i1) that output row oy reads inside the image (rows of the padded image
// from pad_top to pad_top + height).
std::pair<int64_t, int64_t> kernel_rows_inside(int64_t oy, const ConvGeometry& g) {
    const int64_t top = oy * g.stride_h;  // padded row of kernel row 0
    int64_t i0 = 0, i1 = g.kernel_h;
    while (i0 < i1 && top + i0 * g.dilation_h < g.pad_top) ++i0;
    while (i1 > i0 && top + (i1 - 1) * g.dilation_h >= g.pad_top + g.height) --i1;
    return {i0, i1};
}

template <int... P>
constexpr auto forward_tiles(std::integer_sequence<int, P...>) {
    return std::array<ForwardTile, sizeof...(P)>{forward_tile<P + 1>...};
}
constexpr auto kForwardTiles = forward_tiles(std::make_integer_sequence<int, kMaxPixels>());

// The convolution one image at a time; finish(n, b, scratch) takes block b of image n as
// channels-last pixels ([L][32] as (lo, hi) pairs) and writes it out.
template <class Finish>
void conv2d_forward_images(const Tensor& input, const Tensor& weight, const Tensor& bias,
                           const ConvGeometry& g, Finish finish) {
    const int64_t batch = input.size(0), out_channels = weight.size(0);
    const int64_t taps = g.channels * g.kernel_h * g.kernel_w, L = g.out_h * g.out_w;
    const int64_t blocks = (out_channels + kBlock - 1) / kBlock;
    const float* in = input.data_ptr<float>();
    // 5x5 kernels of stride 1 over enough channels: Winograd (src/cpu/conv_winograd.cpp).
    if (winograd::pays_off(g, out_channels)) {
        const winograd::Forward transformed(weight.data_ptr<float>(),
                                            bias.defined() ? bias.data_ptr<float>() : nullptr,
                                            out_channels, g);
        parallel_for_each(0, batch, [&](int64_t n) {
            thread_local std::vector<Vec> scratch;
            scratch.resize(static_cast<size_t>(blocks * L * 2));
            transformed.image(in + n * g.channels * g.height * g.width, scratch.data());
            for (int64_t b = 0; b < blocks; ++b) finish(n, b, scratch.data() + b * L * 2);
        });
        return;
    }
    const std::vector<Vec> packed = pack_weight(weight.data_ptr<float>(), out_channels, taps);
    // The bias per block as (lo, hi), zeros past the last channel (or without a bias).
    std::vector<Vec> bias_packed(static_cast<size_t>(blocks * 2), Vec{});
    if (bias.defined())
        std::memcpy(bias_packed.data(), bias.data_ptr<float>(), sizeof(float) * out_channels);
    // Each row is cut into equal tiles of at most kMaxPixels.
    const int64_t row_tiles = (g.out_w + kMaxPixels - 1) / kMaxPixels;
    // One image per task, handed out dynamically (images are independent, so the result does
    // not depend on who computes which): a static half each measured erratic on two threads.
    // A block's tiles fill a channels-last scratch that finish() transposes into the planes:
    // contiguous stores (a scatter per pixel was a third of the time for few taps).
    auto one_image = [&](int64_t n) {
        std::vector<float> buffer;
        std::vector<Vec> scratch(static_cast<size_t>(L * 2));
        const Image img = padded_image(in + n * g.channels * g.height * g.width, g, buffer);
        for (int64_t b = 0; b < blocks; ++b) {
            for (int64_t oy = 0; oy < g.out_h; ++oy) {
                const auto [i0, i1] = kernel_rows_inside(oy, g);
                for (int64_t t = 0, x0 = 0; t < row_tiles; ++t) {
                    const int64_t x1 = g.out_w * (t + 1) / row_tiles, width = x1 - x0;
                    const float* origin = img.data + oy * g.stride_h * img.row + x0 * g.stride_w;
                    kForwardTiles[width - 1](scratch.data() + (oy * g.out_w + x0) * 2,
                                             bias_packed[b * 2], bias_packed[b * 2 + 1], origin,
                                             packed.data() + b * taps * 2, img, g, i0, i1);
                    x0 = x1;
                }
            }
            finish(n, b, scratch.data());
        }
    };
    parallel_for_each(0, batch, one_image);
}

void conv2d_forward_kernel(const Tensor& out, const Tensor& input, const Tensor& weight,
                           const Tensor& bias, const ConvGeometry& g) {
    const int64_t out_channels = weight.size(0), L = g.out_h * g.out_w;
    float* o = out.data_ptr<float>();
    conv2d_forward_images(input, weight, bias, g, [&](int64_t n, int64_t b, const Vec* scratch) {
        untranspose_values(o + n * out_channels * L, scratch, b, out_channels, L);
    });
}

// The convolution followed by 2x2 max pooling of stride 2: each block is pooled while its
// output is still in the scratch, so the full-size output is never stored nor read again.
void conv2d_max_pool2d_forward_kernel(const Tensor& out, const Tensor& codes,
                                      const Tensor& input, const Tensor& weight,
                                      const Tensor& bias, const ConvGeometry& g) {
    const int64_t out_channels = weight.size(0);
    const int64_t ph = g.out_h / 2, pw = g.out_w / 2, PL = ph * pw;
    float* o = out.data_ptr<float>();
    uint8_t* at = codes.defined() ? codes.data_ptr<uint8_t>() : nullptr;
    conv2d_forward_images(input, weight, bias, g, [&](int64_t n, int64_t b, const Vec* scratch) {
        thread_local std::vector<Vec> pooled, code;
        pooled.resize(static_cast<size_t>(PL * 2));
        code.resize(at ? static_cast<size_t>(PL * 2) : 0);
        pool_block_2x2(pooled.data(), at ? code.data() : nullptr, scratch, g.out_w, ph, pw);
        untranspose_values(o + n * out_channels * PL, pooled.data(), b, out_channels, PL);
        if (at) untranspose_codes(at + n * out_channels * PL, code.data(), b, out_channels, PL);
    });
}

// ---- input gradient -----------------------------------------------------------------------

// 32 input channels x one row of the input gradient of a stride-1, undilated convolution, in
// scatter form: for each (output channel, kernel row) whose output-gradient row reaches this
// row, column j's weight vectors times each output-gradient pixel ox add to column ox + j of
// the full correlation (OW + KW - 1 columns, in registers); columns [crop, crop + width) are
// stored as channels-last (lo, hi) pairs. The forward kernel on the zero-padded gradient gives
// the same sums but multiplies the padding too: 2 products in 7 for 5x5 kernels on 10-pixel
// rows. `grad` is the image's output gradient [Co][OH][OW]; kernel rows [i0, i1) are those
// whose output-gradient row top - i lies inside it.
template <int OW, int KW>
void input_grad_row(Vec* out, const float* grad, int64_t plane, int64_t top, const Vec* w,
                    int64_t out_channels, int64_t kernel_h, int64_t i0, int64_t i1,
                    int64_t crop, int64_t width) {
    constexpr int F = OW + KW - 1;
    Vec lo[F], hi[F];
    for (int f = 0; f < F; ++f) lo[f] = hi[f] = Vec{};
    for (int64_t co = 0; co < out_channels; ++co) {
        const Vec* wc = w + co * kernel_h * KW * 2;
        for (int64_t i = i0; i < i1; ++i) {
            const float* row = grad + co * plane + (top - i) * OW;
            const Vec* wi = wc + i * KW * 2;
#pragma GCC unroll 8
            for (int j = 0; j < KW; ++j) {
                // opaque() for every column, volatile: the same pointer through a plain asm
                // is one value to the compiler, which then keeps all OW values in registers.
                const float* x = row;
                asm volatile("" : "+r"(x));
                const Vec w_lo = wi[2 * j], w_hi = wi[2 * j + 1];
#pragma GCC unroll 16
                for (int ox = 0; ox < OW; ++ox) {
                    const Vec v = broadcast(x[ox]);
                    lo[ox + j] += w_lo * v;
                    hi[ox + j] += w_hi * v;
                }
            }
        }
    }
    // Through a local copy: a runtime index into lo/hi would keep them in memory throughout.
    Vec full[2 * F];
    for (int f = 0; f < F; ++f) {
        full[2 * f] = lo[f];
        full[2 * f + 1] = hi[f];
    }
    std::memcpy(out, full + 2 * crop, sizeof(Vec) * 2 * static_cast<size_t>(width));
}

using InputGradRow = void (*)(Vec*, const float*, int64_t, int64_t, const Vec*, int64_t,
                              int64_t, int64_t, int64_t, int64_t, int64_t);

// input_grad_row<OW, KW> for OW = 1 .. kMaxPixels + 1 - KW.
template <int KW, int... OW>
constexpr auto input_grad_rows(std::integer_sequence<int, OW...>) {
    return std::array<InputGradRow, sizeof...(OW)>{input_grad_row<OW + 1, KW>...};
}
constexpr auto kInputGradRows3 =
    input_grad_rows<3>(std::make_integer_sequence<int, kMaxPixels - 2>());
constexpr auto kInputGradRows5 =
    input_grad_rows<5>(std::make_integer_sequence<int, kMaxPixels - 4>());
constexpr auto kInputGradRows7 =
    input_grad_rows<7>(std::make_integer_sequence<int, kMaxPixels - 6>());

// The row kernel for output rows of `ow` pixels and kernels `kw` wide: the odd widths 3, 5 and
// 7 while the full correlation fits one tile; nullptr otherwise.
InputGradRow input_grad_row_for(int64_t ow, int64_t kw) {
    if (ow < 1 || ow + kw - 1 > kMaxPixels) return nullptr;
    switch (kw) {
        case 3: return kInputGradRows3[ow - 1];
        case 5: return kInputGradRows5[ow - 1];
        case 7: return kInputGradRows7[ow - 1];
        default: return nullptr;
    }
}

bool conv2d_input_grad_kernel(const Tensor& grad_input, const Tensor& grad_output,
                              const Tensor& weight, const ConvGeometry& g) {
    const InputGradRow row_kernel = input_grad_row_for(g.out_w, g.kernel_w);
    // Columns past the image on the right that the grid reads (the right padding).
    const int64_t pad_right = g.out_w + g.kernel_w - 1 - g.pad_left - g.width;
    if (row_kernel == nullptr || g.stride_h != 1 || g.stride_w != 1 || g.dilation_h != 1 ||
        g.dilation_w != 1 || pad_right < 0)
        return false;
    const int64_t batch = grad_input.size(0), channels = g.channels;
    const int64_t out_channels = weight.size(0), kh = g.kernel_h, kw = g.kernel_w;
    const int64_t taps = out_channels * kh * kw, L = g.height * g.width;
    const int64_t plane = g.out_h * g.out_w;
    const int64_t blocks = (channels + kBlock - 1) / kBlock;
    // The weight [Co, C, kH, kW] as blocks of 32 input channels: packed[block][k][32] with
    // k = (co * kH + i) * kW + j, zeros past the last channel.
    std::vector<Vec> packed(static_cast<size_t>(blocks * taps * 2), Vec{});
    float* p = reinterpret_cast<float*>(packed.data());
    const float* w = weight.data_ptr<float>();
    for (int64_t co = 0; co < out_channels; ++co)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t k = 0; k < kh * kw; ++k)
                p[(c / kBlock * taps + co * kh * kw + k) * kBlock + c % kBlock] =
                    w[(co * channels + c) * kh * kw + k];
    const float* go = grad_output.data_ptr<float>();
    float* gi = grad_input.data_ptr<float>();
    parallel_for_each(0, batch, [&](int64_t n) {
        std::vector<Vec> scratch(static_cast<size_t>(L * 2));
        const float* grad = go + n * out_channels * plane;
        for (int64_t b = 0; b < blocks; ++b) {
            for (int64_t y = 0; y < g.height; ++y) {
                const int64_t top = y + g.pad_top;
                const int64_t i0 = std::max<int64_t>(0, top - g.out_h + 1);
                const int64_t i1 = std::max(i0, std::min(kh, top + 1));
                row_kernel(scratch.data() + y * g.width * 2, grad, plane, top,
                           packed.data() + b * taps * 2, out_channels, kh, i0, i1, g.pad_left,
                           g.width);
            }
            untranspose_values(gi + n * channels * L, scratch.data(), b, channels, L);
        }
    });
    return true;
}

// ---- weight gradient ----------------------------------------------------------------------

// Channels [c0, c0 + 16) of one image's planes ([channels][L]) as one Vec per pixel, written
// every second Vec of dst (the other half of a 32-channel block goes between); channels past
// the last read as zeros. Contiguous loads and an in-register transpose: a gather per pixel
// touches 16 planes at once and was the slowest part of the weight gradient.
void transpose_planes(Vec* dst, const float* planes, int64_t c0, int64_t channels, int64_t L) {
    __m512 r[16];
    for (int64_t p0 = 0; p0 < L; p0 += kLanes) {
        const int64_t width = std::min(kLanes, L - p0);
        const __mmask16 mask = static_cast<__mmask16>((1u << width) - 1);
        for (int64_t i = 0; i < kLanes; ++i)
            r[i] = c0 + i < channels
                       ? _mm512_maskz_loadu_ps(mask, planes + (c0 + i) * L + p0)
                       : _mm512_setzero_ps();
        transpose16(r);
        for (int64_t j = 0; j < width; ++j) dst[(p0 + j) * 2] = Vec(r[j]);
    }
}

// 32 output channels x Q taps, summed over the output pixels of `images` images:
// acc[q][32] += sum over n, pixels p of grad[n][p][32] * input value tap q sees at p.
// grad: the output gradient transposed to [image][pixel][32]; offsets: each tap's offset in
// an image.
template <int Q>
void weight_grad_tile(float* acc_out, const Vec* grad, const Image* images, int64_t count,
                      const int64_t* offsets, const ConvGeometry& g) {
    Vec lo[Q], hi[Q];
    for (int q = 0; q < Q; ++q) lo[q] = hi[q] = Vec{};
    int64_t off[Q];
    for (int q = 0; q < Q; ++q) off[q] = offsets[q];
    for (int64_t n = 0; n < count; ++n) {
        for (int64_t oy = 0; oy < g.out_h; ++oy) {
            const float* row = images[n].data + oy * g.stride_h * images[n].row;
            for (int64_t ox = 0; ox < g.out_w; ++ox, grad += 2) {
                const float* x = opaque(row + ox * g.stride_w);
                const Vec g_lo = grad[0], g_hi = grad[1];
                for (int q = 0; q < Q; ++q) {
                    const Vec v = broadcast(x[off[q]]);
                    lo[q] += g_lo * v;
                    hi[q] += g_hi * v;
                }
            }
        }
    }
    for (int q = 0; q < Q; ++q) {
        std::memcpy(acc_out + q * kBlock, &lo[q], sizeof(Vec));
        std::memcpy(acc_out + q * kBlock + kLanes, &hi[q], sizeof(Vec));
    }
}

using WeightGradTile = void (*)(float*, const Vec*, const Image*, int64_t, const int64_t*,
                                const ConvGeometry&);

template <int... Q>
constexpr auto weight_grad_tiles(std::integer_sequence<int, Q...>) {
    return std::array<WeightGradTile, sizeof...(Q)>{weight_grad_tile<Q + 1>...};
}
constexpr auto kWeightGradTiles = weight_grad_tiles(std::make_integer_sequence<int, kMaxTaps>());

// The weight gradient's partial sums, `chunks` runs of `size` floats, added in chunk order
// into the first run: every entry sums in the same order (the threads split the entries).
void add_chunks_in_order(float* partial, int64_t chunks, int64_t size) {
    parallel_for(0, size, kGrainSize, [&](int64_t begin, int64_t end) {
        for (int64_t chunk = 1; chunk < chunks; ++chunk)
            for (int64_t e = begin; e < end; ++e) partial[e] += partial[chunk * size + e];
    });
}

void conv2d_weight_grad_kernel(const Tensor& grad_weight, const Tensor& grad_output,
                               const Tensor& input, const ConvGeometry& g) {
    const int64_t batch = input.size(0), out_channels = grad_weight.size(0);
    const int64_t taps = g.channels * g.kernel_h * g.kernel_w, L = g.out_h * g.out_w;
    const int64_t blocks = (out_channels + kBlock - 1) / kBlock;
    const int64_t chunks = (batch + kImagesPerChunk - 1) / kImagesPerChunk;
    const float* in = input.data_ptr<float>();
    const float* go = grad_output.data_ptr<float>();
    if (winograd::pays_off(g, out_channels)) {
        // The same chunks of images, each summed in the transformed domain.
        const winograd::WeightGrad wg(out_channels, g);
        const int64_t size = wg.partial_size();
        std::vector<Vec> partial(static_cast<size_t>(chunks * size), Vec{});
        parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
            std::vector<Vec> grad_t(static_cast<size_t>(blocks * L * 2));
            for (int64_t chunk = begin; chunk < end; ++chunk) {
                const int64_t n0 = chunk * kImagesPerChunk;
                for (int64_t n = n0; n < std::min(batch, n0 + kImagesPerChunk); ++n) {
                    for (int64_t b = 0; b < blocks; ++b)
                        for (int64_t h = 0; h < 2; ++h)
                            transpose_planes(grad_t.data() + b * L * 2 + h,
                                             go + n * out_channels * L, b * kBlock + h * kLanes,
                                             out_channels, L);
                    wg.add_image(partial.data() + chunk * size,
                                 in + n * g.channels * g.height * g.width, grad_t.data());
                }
            }
        });
        add_chunks_in_order(reinterpret_cast<float*>(partial.data()), chunks, size * kLanes);
        wg.finish(grad_weight.data_ptr<float>(), partial.data());
        return;
    }
    // partial[chunk][block][tap][32], added in chunk order at the end.
    std::vector<float> partial(static_cast<size_t>(chunks * blocks * taps * kBlock));
    parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
        std::vector<std::vector<float>> buffers(kImagesPerChunk);
        std::vector<Vec> grad_t;
        std::vector<int64_t> offsets(static_cast<size_t>(taps));
        Image images[kImagesPerChunk];
        for (int64_t chunk = begin; chunk < end; ++chunk) {
            const int64_t n0 = chunk * kImagesPerChunk;
            const int64_t count = std::min(kImagesPerChunk, batch - n0);
            for (int64_t m = 0; m < count; ++m)
                images[m] = padded_image(in + (n0 + m) * g.channels * g.height * g.width, g,
                                         buffers[m]);
            for (int64_t c = 0, k = 0; c < g.channels; ++c)
                for (int64_t i = 0; i < g.kernel_h; ++i)
                    for (int64_t j = 0; j < g.kernel_w; ++j, ++k)
                        offsets[k] = c * images[0].plane + i * g.dilation_h * images[0].row +
                                     j * g.dilation_w;
            for (int64_t b = 0; b < blocks; ++b) {
                // The chunk's output gradient for this block as [image][pixel][32].
                grad_t.resize(static_cast<size_t>(count * L * 2));
                for (int64_t m = 0; m < count; ++m)
                    for (int64_t h = 0; h < 2; ++h)
                        transpose_planes(grad_t.data() + m * L * 2 + h,
                                         go + (n0 + m) * out_channels * L,
                                         b * kBlock + h * kLanes, out_channels, L);
                float* dst = partial.data() + (chunk * blocks + b) * taps * kBlock;
                for (int64_t k0 = 0; k0 < taps; k0 += kMaxTaps) {
                    const int64_t q = std::min<int64_t>(kMaxTaps, taps - k0);
                    kWeightGradTiles[q - 1](dst + k0 * kBlock, grad_t.data(), images, count,
                                            offsets.data() + k0, g);
                }
            }
        }
    });
    // The chunks' sum, then [block][tap][32] -> [Co][taps].
    add_chunks_in_order(partial.data(), chunks, blocks * taps * kBlock);
    const float* total = partial.data();
    float* gw = grad_weight.data_ptr<float>();
    for (int64_t co = 0; co < out_channels; ++co)
        for (int64_t k = 0; k < taps; ++k)
            gw[co * taps + k] = total[(co / kBlock * taps + k) * kBlock + co % kBlock];
}

#pragma GCC diagnostic pop

}  // namespace

void register_cpu_conv_direct_kernels(Kernels& k) {
    k.conv2d_forward = conv2d_forward_kernel;
    k.conv2d_max_pool2d_forward = conv2d_max_pool2d_forward_kernel;
    k.conv2d_weight_grad = conv2d_weight_grad_kernel;
    k.conv2d_input_grad = conv2d_input_grad_kernel;
}

#else

// Without AVX-512 the slots stay empty and the convolutions use im2col and matmul.
void register_cpu_conv_direct_kernels(Kernels&) {}

#endif

}  // namespace ember::detail

// Direct float32 2-D convolution kernels for AVX-512 CPUs: the forward product and the weight
// gradient, without unfolding the batch into columns (the im2col + matmul path in
// src/ops/conv.cpp stays for other dtypes, groups, transposed convolutions and other CPUs).
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
// Work is split by images (forward) and by chunks (weight grad), both fixed by the sizes, so
// results do not depend on the number of threads.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/core/tensor.h"
#include "ops/dispatch.h"

namespace ember::detail {

#if defined(__AVX512F__) && (defined(__GNUC__) || defined(__clang__))

namespace {

using Vec = float __attribute__((vector_size(64)));  // 16 floats, one zmm register
constexpr int64_t kLanes = 16;
constexpr int64_t kBlock = 2 * kLanes;       // output channels per tile
constexpr int kMaxPixels = 14;               // forward tile width: 28 accumulators
constexpr int kMaxTaps = 12;                 // weight-grad tile height: 24 accumulators
constexpr int64_t kImagesPerChunk = 4;       // weight grad: images summed per partial

Vec broadcast(float x) { return Vec{x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x}; }

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

// Where a tile's 32 channels go: the output planes' offsets (L apart), the lanes past the last
// channel masked off, and the bias.
struct TileOutput {
    __m512i offset_lo, offset_hi;
    __mmask16 mask_lo, mask_hi;
    Vec bias_lo, bias_hi;
};

// 32 output channels x P pixels of one output row: out[c][p] = sum over taps of the weight
// block times the input value pixel p sees there, plus the bias. `in` is the first pixel's
// window origin, `out` the first pixel's place in the first channel's plane.
template <int P>
void forward_tile(float* out, const TileOutput& to, const float* in, const Vec* w,
                  const Image& img, const ConvGeometry& g) {
    Vec lo[P], hi[P];
    for (int p = 0; p < P; ++p) lo[p] = hi[p] = Vec{};
    for (int64_t c = 0; c < g.channels; ++c) {
        for (int64_t i = 0; i < g.kernel_h; ++i) {
            const float* row = in + c * img.plane + i * g.dilation_h * img.row;
            for (int64_t j = 0; j < g.kernel_w; ++j, w += 2) {
                const float* x = opaque(row + j * g.dilation_w);
                const Vec w_lo = w[0], w_hi = w[1];
                for (int p = 0; p < P; ++p) {
                    const Vec v = broadcast(x[p * g.stride_w]);
                    lo[p] += w_lo * v;
                    hi[p] += w_hi * v;
                }
            }
        }
    }
    // Each pixel's 32 channels go to their 32 planes at once (a scatter: the transpose from
    // channels-last registers to the channels-first output).
    for (int p = 0; p < P; ++p) {
        _mm512_mask_i32scatter_ps(out + p, to.mask_lo, to.offset_lo,
                                  __m512(lo[p] + to.bias_lo), 4);
        _mm512_mask_i32scatter_ps(out + p, to.mask_hi, to.offset_hi,
                                  __m512(hi[p] + to.bias_hi), 4);
    }
}

// The scatter offsets and masks of channel block b (channels b * 32 + [0, 32)), planes L apart.
TileOutput tile_output(int64_t b, int64_t channels, int64_t L, const float* bias) {
    TileOutput to;
    alignas(64) int32_t off[kBlock];
    alignas(64) float bias_v[kBlock];
    uint32_t mask = 0;
    for (int64_t c = 0; c < kBlock; ++c) {
        const int64_t co = b * kBlock + c;
        const bool valid = co < channels;
        off[c] = valid ? static_cast<int32_t>(c * L) : 0;
        bias_v[c] = valid && bias ? bias[co] : 0.0f;
        if (valid) mask |= uint32_t(1) << c;
    }
    to.offset_lo = _mm512_load_si512(off);
    to.offset_hi = _mm512_load_si512(off + kLanes);
    to.mask_lo = static_cast<__mmask16>(mask & 0xffff);
    to.mask_hi = static_cast<__mmask16>(mask >> 16);
    std::memcpy(&to.bias_lo, bias_v, sizeof(Vec));
    std::memcpy(&to.bias_hi, bias_v + kLanes, sizeof(Vec));
    return to;
}

using ForwardTile = void (*)(float*, const TileOutput&, const float*, const Vec*, const Image&,
                             const ConvGeometry&);

template <int... P>
constexpr auto forward_tiles(std::integer_sequence<int, P...>) {
    return std::array<ForwardTile, sizeof...(P)>{forward_tile<P + 1>...};
}
constexpr auto kForwardTiles = forward_tiles(std::make_integer_sequence<int, kMaxPixels>());

void conv2d_forward_kernel(const Tensor& out, const Tensor& input, const Tensor& weight,
                           const Tensor& bias, const ConvGeometry& g) {
    const int64_t batch = input.size(0), out_channels = weight.size(0);
    const int64_t taps = g.channels * g.kernel_h * g.kernel_w, L = g.out_h * g.out_w;
    const int64_t blocks = (out_channels + kBlock - 1) / kBlock;
    const std::vector<Vec> packed = pack_weight(weight.data_ptr<float>(), out_channels, taps);
    const float* bias_data = bias.defined() ? bias.data_ptr<float>() : nullptr;
    const float* in = input.data_ptr<float>();
    float* o = out.data_ptr<float>();
    // Each row is cut into equal tiles of at most kMaxPixels.
    const int64_t row_tiles = (g.out_w + kMaxPixels - 1) / kMaxPixels;
    std::vector<TileOutput> outputs;
    for (int64_t b = 0; b < blocks; ++b)
        outputs.push_back(tile_output(b, out_channels, L, bias_data));
    // One image per task, handed out dynamically (images are independent, so the result does
    // not depend on who computes which): a static half each measured erratic on two threads.
    auto one_image = [&](int64_t n) {
        std::vector<float> buffer;
        const Image img = padded_image(in + n * g.channels * g.height * g.width, g, buffer);
        for (int64_t oy = 0; oy < g.out_h; ++oy) {
            for (int64_t t = 0, x0 = 0; t < row_tiles; ++t) {
                const int64_t x1 = g.out_w * (t + 1) / row_tiles, width = x1 - x0;
                const float* origin = img.data + oy * g.stride_h * img.row + x0 * g.stride_w;
                for (int64_t b = 0; b < blocks; ++b) {
                    float* dst = o + (n * out_channels + b * kBlock) * L + oy * g.out_w + x0;
                    kForwardTiles[width - 1](dst, outputs[b], origin,
                                             packed.data() + b * taps * 2, img, g);
                }
                x0 = x1;
            }
        }
    };
    parallel_for_each(0, batch, one_image);
}

// ---- weight gradient ----------------------------------------------------------------------

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

void conv2d_weight_grad_kernel(const Tensor& grad_weight, const Tensor& grad_output,
                               const Tensor& input, const ConvGeometry& g) {
    const int64_t batch = input.size(0), out_channels = grad_weight.size(0);
    const int64_t taps = g.channels * g.kernel_h * g.kernel_w, L = g.out_h * g.out_w;
    const int64_t blocks = (out_channels + kBlock - 1) / kBlock;
    const int64_t chunks = (batch + kImagesPerChunk - 1) / kImagesPerChunk;
    const float* in = input.data_ptr<float>();
    const float* go = grad_output.data_ptr<float>();
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
                // A gather per 16 channels of a pixel (zeros past the last channel).
                const TileOutput planes = tile_output(b, out_channels, L, nullptr);
                for (int64_t m = 0; m < count; ++m) {
                    const float* src = go + ((n0 + m) * out_channels + b * kBlock) * L;
                    for (int64_t p = 0; p < L; ++p) {
                        grad_t[(m * L + p) * 2] = Vec(_mm512_mask_i32gather_ps(
                            _mm512_setzero_ps(), planes.mask_lo, planes.offset_lo, src + p, 4));
                        grad_t[(m * L + p) * 2 + 1] = Vec(_mm512_mask_i32gather_ps(
                            _mm512_setzero_ps(), planes.mask_hi, planes.offset_hi, src + p, 4));
                    }
                }
                float* dst = partial.data() + (chunk * blocks + b) * taps * kBlock;
                for (int64_t k0 = 0; k0 < taps; k0 += kMaxTaps) {
                    const int64_t q = std::min<int64_t>(kMaxTaps, taps - k0);
                    kWeightGradTiles[q - 1](dst + k0 * kBlock, grad_t.data(), images, count,
                                            offsets.data() + k0, g);
                }
            }
        }
    });
    // The chunks in order into the first one, then [block][tap][32] -> [Co][taps].
    const int64_t per_chunk = blocks * taps * kBlock;
    float* total = partial.data();
    for (int64_t chunk = 1; chunk < chunks; ++chunk) {
        const float* part = partial.data() + chunk * per_chunk;
        for (int64_t e = 0; e < per_chunk; ++e) total[e] += part[e];
    }
    float* gw = grad_weight.data_ptr<float>();
    for (int64_t co = 0; co < out_channels; ++co)
        for (int64_t k = 0; k < taps; ++k)
            gw[co * taps + k] = total[(co / kBlock * taps + k) * kBlock + co % kBlock];
}

}  // namespace

void register_cpu_conv_direct_kernels(Kernels& k) {
    k.conv2d_forward = conv2d_forward_kernel;
    k.conv2d_weight_grad = conv2d_weight_grad_kernel;
}

#else

// Without AVX-512 the slots stay empty and the convolutions use im2col and matmul.
void register_cpu_conv_direct_kernels(Kernels&) {}

#endif

}  // namespace ember::detail

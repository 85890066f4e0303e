// Winograd F(2x2, 5x5) convolution kernels for AVX-512 CPUs (see conv_winograd.h).
//
// The output is cut into 2x2 tiles; tile t reads a 6x6 patch d_c of each input channel c (zeros
// in the padding). With the 1-D matrices of F(2, 5) on the points 0, 1, -1, 2, -2 and infinity
//   B^T = ( 4  0 -5  0  1  0 )   G = ( 1/4    0     0     0     0   )   A^T = ( 1 1  1 1  1 0 )
//         ( 0  4  4 -1 -1  0 )       ( 1/6   1/6   1/6   1/6   1/6  )         ( 0 1 -1 2 -2 1 )
//         ( 0 -4  4  1 -1  0 )       ( 1/6  -1/6   1/6  -1/6   1/6  )
//         ( 0 -2 -1  2  1  0 )       ( 1/24  2/24  4/24  8/24 16/24 )
//         ( 0  2 -1 -2  1  0 )       ( 1/24 -2/24  4/24 -8/24 16/24 )
//         ( 0  4  0 -5  0  1 )       ( 0      0     0     0     1   )
// (B^T's rows scaled to integers and G's by the inverse), output channel o of the tile is
//   A^T [ sum over c of (G w_oc G^T) . (B^T d_c B) ] A      (. elementwise, 6x6)
// so the sum over channels is, for each of the 36 points, a product of the transformed weight
// (output channels x channels) and the transformed patches (channels x tiles): 36 products per
// 2x2 outputs where the direct kernel does 100.
//
// The weight gradient follows from the same identity: with Z the 6x6 sum above and dY a
// tile's output gradient, dZ = A dY A^T, the gradient of (G w_oc G^T) is the sum over tiles of
// dZ_o . (B^T d_c B), again 36 products (output channels x tiles) x (tiles x channels), and
// that of w_oc is G^T (that sum) G.
//
// Per image: the image goes channels-last with its padding (vectors of 16 channels); then for
// each chunk of up to kChunk tiles, the input transform (vectorised over 16 channels) and, per
// block of 32 output channels, the 36 products (tiles of accumulators in registers, as the
// direct kernels') with the output transform (forward) or after the gradient's transform
// (weight gradient). Each sum runs in a fixed order, whatever thread computes an image.
#include "cpu/conv_winograd.h"

#if defined(__AVX512F__) && (defined(__GNUC__) || defined(__clang__))

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "ember/core/parallel.h"

namespace ember::detail::winograd {

using conv_simd::broadcast;
using conv_simd::kBlock;
using conv_simd::kLanes;
using conv_simd::Vec;

namespace {

constexpr int kPoints = 36;     // 6x6 products per tile
constexpr int64_t kChunk = 28;  // tiles transformed and multiplied together
constexpr int kMaxRows = 14;    // tiles per product tile: 28 accumulators

constexpr double kG[6][5] = {{1.0 / 4, 0, 0, 0, 0},
                             {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6},
                             {1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6},
                             {1.0 / 24, 2.0 / 24, 4.0 / 24, 8.0 / 24, 16.0 / 24},
                             {1.0 / 24, -2.0 / 24, 4.0 / 24, -8.0 / 24, 16.0 / 24},
                             {0, 0, 0, 0, 1}};

// t = B^T d for six vectors.
inline void input_transform(const Vec d[6], Vec t[6]) {
    const Vec s12 = d[1] + d[2], s34 = d[3] + d[4];
    const Vec u21 = d[2] - d[1], u34 = d[3] - d[4];
    const Vec v31 = d[3] - d[1], v42 = d[4] - d[2];
    t[0] = d[0] * 4.0f - d[2] * 5.0f + d[4];
    t[1] = s12 * 4.0f - s34;
    t[2] = u21 * 4.0f + u34;
    t[3] = v31 * 2.0f + v42;
    t[4] = v42 - v31 * 2.0f;
    t[5] = d[1] * 4.0f - d[3] * 5.0f + d[5];
}

// (p0, p1) = A^T m for six vectors.
inline void output_transform(const Vec m[6], Vec& p0, Vec& p1) {
    p0 = m[0] + (m[1] + m[2]) + (m[3] + m[4]);
    p1 = (m[1] - m[2]) + (m[3] - m[4]) * 2.0f + m[5];
}

// A applied to (a, b): the six values a, a + b, a - b, a + 2b, a - 2b, b (the adjoint of
// output_transform).
inline void gradient_transform(Vec a, Vec b, Vec out[6]) {
    out[0] = a;
    out[1] = a + b;
    out[2] = a - b;
    out[3] = a + b * 2.0f;
    out[4] = a - b * 2.0f;
    out[5] = b;
}

// B^T applied down each column of one row of tiles (6 image rows, `row` Vecs apart) for 16
// channels: columns[k * cols + x] = row k of B^T times image column x. Neighbouring tiles
// overlap by 4 columns, so each column is transformed once per tile row, not three times.
void transform_columns(Vec* columns, const Vec* d, int64_t cols, int64_t row, int64_t pixel) {
    for (int64_t x = 0; x < cols; ++x) {
        Vec column[6], t[6];
        for (int i = 0; i < 6; ++i) column[i] = d[i * row + x * pixel];
        input_transform(column, t);
        for (int k = 0; k < 6; ++k) columns[k * cols + x] = t[k];
    }
}

// The rest of B^T d B for the tile whose columns start at `columns`: B^T along each row, the 36
// results `point` Vecs apart.
void transform_rows(Vec* v, int64_t point, const Vec* columns, int64_t cols) {
    for (int k = 0; k < 6; ++k) {
        Vec t[6];
        input_transform(columns + k * cols, t);
        for (int l = 0; l < 6; ++l) v[(k * 6 + l) * point] = t[l];
    }
}

// 32 output channels x R tiles of one point: m[r] = sum over channels c of u[c] * v(c, r), as
// (lo, hi) pairs. v: the chunk's transformed patches of this point, [group][chunk][16]
// from the micro-tile's first tile; u: the transformed weight of this point, [C][2].
template <int R>
void point_product(Vec* m, const Vec* v, const Vec* u, int64_t channels, int64_t chunk) {
    Vec lo[R], hi[R];
    for (int r = 0; r < R; ++r) lo[r] = hi[r] = Vec{};
    for (int64_t c0 = 0; c0 < channels; c0 += kLanes, v += chunk) {
        const float* x = reinterpret_cast<const float*>(v);
        const int64_t count = std::min(kLanes, channels - c0);
        for (int64_t c = 0; c < count; ++c) {
            const Vec w_lo = u[2 * (c0 + c)], w_hi = u[2 * (c0 + c) + 1];
            for (int r = 0; r < R; ++r) {
                const Vec b = broadcast(x[r * kLanes + c]);
                lo[r] += w_lo * b;
                hi[r] += w_hi * b;
            }
        }
    }
    for (int r = 0; r < R; ++r) {
        m[2 * r] = lo[r];
        m[2 * r + 1] = hi[r];
    }
}

using PointProduct = void (*)(Vec*, const Vec*, const Vec*, int64_t, int64_t);

template <int... R>
constexpr auto point_products(std::integer_sequence<int, R...>) {
    return std::array<PointProduct, sizeof...(R)>{point_product<R + 1>...};
}
constexpr auto kPointProducts = point_products(std::make_integer_sequence<int, kMaxRows>());

// 32 output channels x R channels of one point, added over the chunk's tiles:
// acc[r] += sum over tiles t of dz[t] * v(t, r), as (lo, hi) pairs of acc ([C][2] of this
// point from channel c0). dz: [tile][2] of this point; v: the point's transformed patches of
// channel c0's group, [tile][16], from lane `lane` (R channels in one group).
template <int R>
void point_grad(Vec* acc, const Vec* dz, const Vec* v, int64_t lane, int64_t chunk) {
    Vec lo[R], hi[R];
    for (int r = 0; r < R; ++r) {
        lo[r] = acc[2 * r];
        hi[r] = acc[2 * r + 1];
    }
    const float* x = reinterpret_cast<const float*>(v) + lane;
    for (int64_t t = 0; t < chunk; ++t, x += kLanes) {
        const Vec g_lo = dz[2 * t], g_hi = dz[2 * t + 1];
        for (int r = 0; r < R; ++r) {
            const Vec b = broadcast(x[r]);
            lo[r] += g_lo * b;
            hi[r] += g_hi * b;
        }
    }
    for (int r = 0; r < R; ++r) {
        acc[2 * r] = lo[r];
        acc[2 * r + 1] = hi[r];
    }
}

constexpr int kGradRows = 8;  // channels per weight-gradient tile: 16 accumulators

using PointGrad = void (*)(Vec*, const Vec*, const Vec*, int64_t, int64_t);

template <int... R>
constexpr auto point_grads(std::integer_sequence<int, R...>) {
    return std::array<PointGrad, sizeof...(R)>{point_grad<R + 1>...};
}
constexpr auto kPointGrads = point_grads(std::make_integer_sequence<int, kGradRows>());

// The padded image channels-last: [rows][cols][group], one Vec of 16 channels each, zeros in
// the padding and past the last channel (in place of the thread's buffer).
void pad_channels_last(std::vector<Vec>& padded, const float* input, const Tiling& s) {
    const ConvGeometry& g = s.g;
    const int64_t plane = g.height * g.width;
    padded.resize(static_cast<size_t>(s.rows * s.cols * s.groups));
    // Image rows [0, y_end) and columns [0, x_end) fall inside what the tiles read.
    const int64_t y_end = std::min(g.height, s.rows - g.pad_top);
    const int64_t x_end = std::min(g.width, s.cols - g.pad_left);
    if (g.pad_top > 0 || g.pad_left > 0 || y_end + g.pad_top < s.rows ||
        x_end + g.pad_left < s.cols)
        std::fill(padded.begin(), padded.end(), Vec{});
    for (int64_t grp = 0; grp < s.groups; ++grp) {
        const int64_t c0 = grp * kLanes;
        for (int64_t y = 0; y < y_end; ++y)
            for (int64_t x0 = 0; x0 < x_end; x0 += kLanes) {
                const int64_t width = std::min(kLanes, x_end - x0);
                const __mmask16 mask = static_cast<__mmask16>((1u << width) - 1);
                __m512 r[16];
                for (int64_t i = 0; i < kLanes; ++i)
                    r[i] = c0 + i < g.channels
                               ? _mm512_maskz_loadu_ps(mask,
                                                       input + (c0 + i) * plane + y * g.width + x0)
                               : _mm512_setzero_ps();
                conv_simd::transpose16(r);
                Vec* dst = padded.data() +
                           ((y + g.pad_top) * s.cols + x0 + g.pad_left) * s.groups + grp;
                for (int64_t j = 0; j < width; ++j) dst[j * s.groups] = Vec(r[j]);
            }
    }
}

// B^T d B of tiles [t0, t0 + chunk) into patches[point][group][tile] (chunk tiles per group).
void transform_tiles(Vec* patches, std::vector<Vec>& columns, const Vec* padded, const Tiling& s,
                     int64_t t0, int64_t chunk) {
    columns.resize(static_cast<size_t>(6 * s.cols));
    for (int64_t grp = 0; grp < s.groups; ++grp)
        for (int64_t t = 0, row_done = -1; t < chunk; ++t) {
            const int64_t ty = (t0 + t) / s.tiles_w, tx = (t0 + t) % s.tiles_w;
            if (ty != row_done) {
                transform_columns(columns.data(), padded + 2 * ty * s.cols * s.groups + grp,
                                  s.cols, s.cols * s.groups, s.groups);
                row_done = ty;
            }
            transform_rows(patches + grp * chunk + t, s.groups * chunk, columns.data() + 2 * tx,
                           s.cols);
        }
}

// The scratch buffers of one thread, shared by the forward product and the weight gradient.
struct Buffers {
    std::vector<Vec> padded, columns, patches, products;
};
Buffers& thread_buffers() {
    thread_local Buffers buffers;
    return buffers;
}

// The image padded channels-last, then for each chunk of up to kChunk tiles its transformed
// patches (buf.patches[point][group][tile]) and body(buf, first tile, tiles in the chunk).
template <class Body>
void for_each_chunk(const float* input, const Tiling& s, Body body) {
    Buffers& buf = thread_buffers();
    pad_channels_last(buf.padded, input, s);
    buf.patches.resize(static_cast<size_t>(kPoints * s.groups * kChunk));
    buf.products.resize(static_cast<size_t>(kPoints * kChunk * 2));
    const int64_t tiles = s.tiles_h * s.tiles_w;
    for (int64_t t0 = 0; t0 < tiles; t0 += kChunk) {
        const int64_t chunk = std::min(kChunk, tiles - t0);
        transform_tiles(buf.patches.data(), buf.columns, buf.padded.data(), s, t0, chunk);
        body(buf, t0, chunk);
    }
}

}  // namespace

// Each tile costs its transforms whatever the channel count; the products save 64 of 100
// multiply-adds per channel. Measured on one core of the 2-core Xeon (32 images of 28x28 with
// padding 2, 32 output channels), Winograd against the direct kernels: forward 1.0x at 8 input
// channels, 1.2x at 12, 1.4x at 16, 1.75-1.85x at 64 (the seed's second convolution, 30
// outputs), 0.6x at 3 (its first); weight gradient 0.85x at 8, 1.2x at 12, 1.3x at 16, 1.45x at
// 64.
bool pays_off(const ConvGeometry& g, int64_t out_channels) {
    return g.kernel_h == 5 && g.kernel_w == 5 && g.stride_h == 1 && g.stride_w == 1 &&
           g.dilation_h == 1 && g.dilation_w == 1 && g.channels >= 12 && out_channels > 0 &&
           g.out_h > 0 && g.out_w > 0;
}

Tiling::Tiling(const ConvGeometry& geometry)
    : g(geometry),
      groups((geometry.channels + kLanes - 1) / kLanes),
      tiles_h((geometry.out_h + 1) / 2),
      tiles_w((geometry.out_w + 1) / 2),
      rows(2 * tiles_h + 4),
      cols(2 * tiles_w + 4) {}

// ---- forward ------------------------------------------------------------------------------

Forward::Forward(const float* weight, const float* bias, int64_t out_channels,
                 const ConvGeometry& g)
    : tiling_(g), blocks_((out_channels + kBlock - 1) / kBlock) {
    const int64_t channels = g.channels;
    // G w G^T in double for 32 output channels at a time (one rounding per entry), zeros past
    // the last channel.
    u_.assign(static_cast<size_t>(blocks_ * kPoints * channels * 2), Vec{});
    float* u = reinterpret_cast<float*>(u_.data());
    parallel_for(0, blocks_ * channels, 16, [&](int64_t begin, int64_t end) {
        for (int64_t e = begin; e < end; ++e) {
            const int64_t b = e / channels, c = e % channels;
            const int64_t count = std::min(kBlock, out_channels - b * kBlock);
            double w[5][5][kBlock] = {}, half[6][5][kBlock] = {};
            for (int64_t o = 0; o < count; ++o)
                for (int i = 0; i < 5; ++i)
                    for (int j = 0; j < 5; ++j)
                        w[i][j][o] = weight[(((b * kBlock + o) * channels + c) * 5 + i) * 5 + j];
            for (int k = 0; k < 6; ++k)
                for (int i = 0; i < 5; ++i)
                    for (int j = 0; j < 5; ++j)
                        for (int o = 0; o < kBlock; ++o) half[k][j][o] += kG[k][i] * w[i][j][o];
            for (int k = 0; k < 6; ++k)
                for (int l = 0; l < 6; ++l) {
                    double sum[kBlock] = {};
                    for (int j = 0; j < 5; ++j)
                        for (int o = 0; o < kBlock; ++o) sum[o] += half[k][j][o] * kG[l][j];
                    float* dst = u + ((b * kPoints + k * 6 + l) * channels + c) * kBlock;
                    for (int o = 0; o < kBlock; ++o) dst[o] = static_cast<float>(sum[o]);
                }
        }
    });
    bias_.assign(static_cast<size_t>(blocks_ * 2), Vec{});
    if (bias) std::memcpy(bias_.data(), bias, sizeof(float) * out_channels);
}

void Forward::image(const float* input, Vec* out) const {
    const Tiling& s = tiling_;
    const ConvGeometry& g = s.g;
    const int64_t channels = g.channels, L = g.out_h * g.out_w;
    for_each_chunk(input, s, [&](Buffers& buf, int64_t t0, int64_t chunk) {
        // Micro-tiles of equal size, at most kMaxRows each.
        const int64_t parts = (chunk + kMaxRows - 1) / kMaxRows;
        for (int64_t b = 0; b < blocks_; ++b) {
            // products[point][tile][2]
            for (int p = 0; p < kPoints; ++p)
                for (int64_t part = 0, r0 = 0; part < parts; ++part) {
                    const int64_t r1 = chunk * (part + 1) / parts;
                    kPointProducts[r1 - r0 - 1](
                        buf.products.data() + (p * chunk + r0) * 2,
                        buf.patches.data() + p * s.groups * chunk + r0,
                        u_.data() + (b * kPoints + p) * channels * 2, channels, chunk);
                    r0 = r1;
                }
            Vec* block = out + b * L * 2;
            for (int64_t t = 0; t < chunk; ++t) {
                const int64_t oy = 2 * ((t0 + t) / s.tiles_w), ox = 2 * ((t0 + t) % s.tiles_w);
                for (int64_t h = 0; h < 2; ++h) {
                    const Vec* m = buf.products.data() + t * 2 + h;  // point p: m[p * chunk * 2]
                    Vec half[2][6];  // A^T applied down the columns: half[q][column]
                    for (int j = 0; j < 6; ++j) {
                        Vec column[6];
                        for (int i = 0; i < 6; ++i) column[i] = m[(i * 6 + j) * chunk * 2];
                        output_transform(column, half[0][j], half[1][j]);
                    }
                    const Vec bias = bias_[b * 2 + h];
                    for (int q = 0; q < 2 && oy + q < g.out_h; ++q) {
                        Vec p0, p1;
                        output_transform(half[q], p0, p1);
                        Vec* dst = block + ((oy + q) * g.out_w + ox) * 2 + h;
                        dst[0] = p0 + bias;
                        if (ox + 1 < g.out_w) dst[2] = p1 + bias;
                    }
                }
            }
        }
    });
}

// ---- weight gradient ----------------------------------------------------------------------

WeightGrad::WeightGrad(int64_t out_channels, const ConvGeometry& g)
    : tiling_(g), out_channels_(out_channels), blocks_((out_channels + kBlock - 1) / kBlock) {}

void WeightGrad::add_image(Vec* partial, const float* input, const Vec* grad) const {
    const Tiling& s = tiling_;
    const ConvGeometry& g = s.g;
    const int64_t channels = g.channels, L = g.out_h * g.out_w;
    for_each_chunk(input, s, [&](Buffers& buf, int64_t t0, int64_t chunk) {
        for (int64_t b = 0; b < blocks_; ++b) {
            // products[point][tile][2] = A dY A^T of each tile (zeros past the output's edge).
            Vec* dz = buf.products.data();
            const Vec* block = grad + b * L * 2;
            for (int64_t t = 0; t < chunk; ++t) {
                const int64_t oy = 2 * ((t0 + t) / s.tiles_w), ox = 2 * ((t0 + t) % s.tiles_w);
                for (int64_t h = 0; h < 2; ++h) {
                    Vec y[2][2] = {};
                    for (int q = 0; q < 2 && oy + q < g.out_h; ++q)
                        for (int r = 0; r < 2 && ox + r < g.out_w; ++r)
                            y[q][r] = block[((oy + q) * g.out_w + ox + r) * 2 + h];
                    Vec column[2][6];  // A dY: column[r][k]
                    for (int r = 0; r < 2; ++r) gradient_transform(y[0][r], y[1][r], column[r]);
                    for (int k = 0; k < 6; ++k) {
                        Vec row[6];
                        gradient_transform(column[0][k], column[1][k], row);
                        for (int l = 0; l < 6; ++l) dz[((k * 6 + l) * chunk + t) * 2 + h] = row[l];
                    }
                }
            }
            for (int p = 0; p < kPoints; ++p)
                for (int64_t c0 = 0; c0 < channels; c0 += kGradRows) {
                    const int64_t count = std::min<int64_t>(kGradRows, channels - c0);
                    kPointGrads[count - 1](
                        partial + ((b * kPoints + p) * channels + c0) * 2, dz + p * chunk * 2,
                        buf.patches.data() + (p * s.groups + c0 / kLanes) * chunk, c0 % kLanes,
                        chunk);
                }
        }
    });
}

void WeightGrad::finish(float* grad_weight, const Vec* sum) const {
    const int64_t channels = tiling_.g.channels;
    const float* du = reinterpret_cast<const float*>(sum);
    // G^T dU G in double, 32 output channels at a time.
    parallel_for(0, blocks_ * channels, 16, [&](int64_t begin, int64_t end) {
        for (int64_t e = begin; e < end; ++e) {
            const int64_t b = e / channels, c = e % channels;
            const int64_t count = std::min(kBlock, out_channels_ - b * kBlock);
            double half[5][6][kBlock] = {};  // G^T dU
            for (int i = 0; i < 5; ++i)
                for (int k = 0; k < 6; ++k) {
                    if (kG[k][i] == 0) continue;
                    for (int l = 0; l < 6; ++l) {
                        const float* src = du + ((b * kPoints + k * 6 + l) * channels + c) * kBlock;
                        for (int o = 0; o < kBlock; ++o) half[i][l][o] += kG[k][i] * src[o];
                    }
                }
            for (int i = 0; i < 5; ++i)
                for (int j = 0; j < 5; ++j) {
                    double w[kBlock] = {};
                    for (int l = 0; l < 6; ++l)
                        for (int o = 0; o < kBlock; ++o) w[o] += half[i][l][o] * kG[l][j];
                    for (int64_t o = 0; o < count; ++o)
                        grad_weight[(((b * kBlock + o) * channels + c) * 5 + i) * 5 + j] =
                            static_cast<float>(w[o]);
                }
        }
    });
}

}  // namespace ember::detail::winograd

#endif

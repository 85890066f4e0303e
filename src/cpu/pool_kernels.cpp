// CPU pooling kernels: max, average and adaptive average pooling over (N, C) planes, and their
// backward scatters. Every loop follows PyTorch's CPU kernels element for element (window
// bounds, the first maximum in row-major order with NaN winning, float accumulation for
// bfloat16), and each plane is computed by one thread, so results do not depend on the thread
// count.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "cpu/loops.h"
#include "ember/core/parallel.h"
#include "ember/core/tensor.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

// Planes per parallel_for piece: enough that a piece does about kGrainSize elements of work.
int64_t plane_grain(int64_t work_per_plane) {
    return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, work_per_plane));
}

// The input's (N, C, H, W) geometry: plane p = n * C + c starts at n * sn + c * sc.
struct Planes {
    int64_t planes, channels, height, width, sn, sc, sh, sw;
    explicit Planes(const Tensor& in)
        : planes(in.size(0) * in.size(1)), channels(in.size(1)), height(in.size(2)),
          width(in.size(3)), sn(in.stride(0)), sc(in.stride(1)), sh(in.stride(2)),
          sw(in.stride(3)) {}
    int64_t offset(int64_t p) const { return (p / channels) * sn + (p % channels) * sc; }
};

template <class A>
inline bool takes_max(A v, A best) {
    return v > best || std::isnan(v);
}

// One plane of max pooling, general window. As PyTorch: the window is clipped to the input,
// its first in-bounds element is the initial argmax, and a later value replaces the max only
// when greater or NaN.
template <class T, bool WithIndices>
void max_pool_plane(const T* x, int64_t sh, int64_t sw, int64_t H, int64_t W, T* y,
                    int64_t* idx, int64_t OH, int64_t OW, const Pool2dParams& p) {
    using A = opmath_t<T>;
    for (int64_t oh = 0; oh < OH; ++oh) {
        int64_t h0 = oh * p.sh - p.ph;
        const int64_t h1 = std::min(h0 + (p.kh - 1) * p.dh + 1, H);
        while (h0 < 0) h0 += p.dh;
        for (int64_t ow = 0; ow < OW; ++ow) {
            int64_t w0 = ow * p.sw - p.pw;
            const int64_t w1 = std::min(w0 + (p.kw - 1) * p.dw + 1, W);
            while (w0 < 0) w0 += p.dw;
            A best = -std::numeric_limits<A>::infinity();
            int64_t best_i = h0 * W + w0;
            for (int64_t ih = h0; ih < h1; ih += p.dh)
                for (int64_t iw = w0; iw < w1; iw += p.dw) {
                    const A v = static_cast<A>(x[ih * sh + iw * sw]);
                    if (takes_max(v, best)) {
                        best = v;
                        best_i = ih * W + iw;
                    }
                }
            y[oh * OW + ow] = static_cast<T>(best);
            if constexpr (WithIndices) idx[oh * OW + ow] = best_i;
        }
    }
}

// kernel 2, stride 2, no padding or dilation, every window inside the input (the usual CNN
// layer): the four candidates in scan order, without the window bookkeeping.
template <class T, bool WithIndices>
void max_pool_plane_2x2(const T* x, int64_t sh, int64_t sw, int64_t W, T* y, int64_t* idx,
                        int64_t OH, int64_t OW) {
    using A = opmath_t<T>;
    for (int64_t oh = 0; oh < OH; ++oh) {
        const T* r0 = x + 2 * oh * sh;
        const T* r1 = r0 + sh;
        T* yr = y + oh * OW;
        for (int64_t ow = 0; ow < OW; ++ow) {
            const int64_t j = 2 * ow * sw;
            A best = static_cast<A>(r0[j]);
            int64_t k = 0;  // which candidate: 0 1 / 2 3
            const A b = static_cast<A>(r0[j + sw]);
            if (takes_max(b, best)) best = b, k = 1;
            const A c = static_cast<A>(r1[j]);
            if (takes_max(c, best)) best = c, k = 2;
            const A d = static_cast<A>(r1[j + sw]);
            if (takes_max(d, best)) best = d, k = 3;
            yr[ow] = static_cast<T>(best);
            if constexpr (WithIndices)
                idx[oh * OW + ow] = (2 * oh + (k >> 1)) * W + 2 * ow + (k & 1);
        }
    }
}

// GCC 12 flags the extract and convert intrinsics' internal undefined operand as "may be used
// uninitialized" wherever they inline (a false positive), up to the kernels that call them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#if defined(__AVX512F__)
// max_pool_plane_2x2 for float rows of unit stride, 16 windows per step: the even and odd
// columns of both rows are the four candidates, compared in the same scan order with the same
// "greater or NaN" test, so values and indices equal the scalar loop's. Indices are formed in
// 32 bits (the caller checks that a plane has fewer than 2^31 elements).
template <bool WithIndices>
void max_pool_plane_2x2_avx512(const float* x, int64_t sh, int64_t W, float* y, int64_t* idx,
                               int64_t OH, int64_t OW) {
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4,
                                          2, 0);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    auto takes = [](__m512 v, __m512 best) {
        return _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ) | _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    };
    for (int64_t oh = 0; oh < OH; ++oh) {
        const float* r0 = x + 2 * oh * sh;
        const float* r1 = r0 + sh;
        for (int64_t ow = 0; ow < OW; ow += 16) {
            const int64_t n = std::min<int64_t>(16, OW - ow);
            const __mmask16 out_mask = static_cast<__mmask16>((1u << n) - 1);
            // The 2n inputs of each row: the first 16 and the rest.
            const int64_t n_lo = std::min<int64_t>(16, 2 * n), n_hi = 2 * n - n_lo;
            const __mmask16 lo_mask = static_cast<__mmask16>((1u << n_lo) - 1);
            const __mmask16 hi_mask = static_cast<__mmask16>((1u << n_hi) - 1);
            const float* p0 = r0 + 2 * ow;
            const float* p1 = r1 + 2 * ow;
            const __m512 lo0 = _mm512_maskz_loadu_ps(lo_mask, p0);
            const __m512 hi0 = _mm512_maskz_loadu_ps(hi_mask, p0 + 16);
            const __m512 lo1 = _mm512_maskz_loadu_ps(lo_mask, p1);
            const __m512 hi1 = _mm512_maskz_loadu_ps(hi_mask, p1 + 16);
            __m512 best = _mm512_permutex2var_ps(lo0, even, hi0);
            __m512i k = _mm512_setzero_si512();  // which candidate: 0 1 / 2 3
            const __m512 cand[3] = {_mm512_permutex2var_ps(lo0, odd, hi0),
                                    _mm512_permutex2var_ps(lo1, even, hi1),
                                    _mm512_permutex2var_ps(lo1, odd, hi1)};
            for (int c = 0; c < 3; ++c) {
                const __mmask16 m = takes(cand[c], best);
                best = _mm512_mask_mov_ps(best, m, cand[c]);
                k = _mm512_mask_mov_epi32(k, m, _mm512_set1_epi32(c + 1));
            }
            _mm512_mask_storeu_ps(y + oh * OW + ow, out_mask, best);
            if constexpr (WithIndices) {
                // (2 * oh + (k >> 1)) * W + 2 * (ow + lane) + (k & 1)
                const __m512i row = _mm512_add_epi32(
                    _mm512_set1_epi32(static_cast<int>(2 * oh)), _mm512_srli_epi32(k, 1));
                const __m512i first_col = _mm512_slli_epi32(
                    _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(ow))), 1);
                const __m512i col =
                    _mm512_add_epi32(first_col, _mm512_and_si512(k, _mm512_set1_epi32(1)));
                const __m512i flat = _mm512_add_epi32(
                    _mm512_mullo_epi32(row, _mm512_set1_epi32(static_cast<int>(W))), col);
                int64_t* dst = idx + oh * OW + ow;
                _mm512_mask_storeu_epi64(dst, static_cast<__mmask8>(out_mask & 0xff),
                                         _mm512_cvtepi32_epi64(_mm512_castsi512_si256(flat)));
                const __m256i flat_hi = _mm512_extracti64x4_epi64(flat, 1);
                _mm512_mask_storeu_epi64(dst + 8, static_cast<__mmask8>(out_mask >> 8),
                                         _mm512_cvtepi32_epi64(flat_hi));
            }
        }
    }
}
#endif

template <class T, bool WithIndices>
void max_pool2d_typed(const Tensor& out, const Tensor& indices, const Tensor& in,
                      const Pool2dParams& p) {
    const Planes g(in);
    const int64_t OH = out.size(2), OW = out.size(3), plane_out = OH * OW;
    const T* x = static_cast<const T*>(in.data_ptr());
    T* y = static_cast<T*>(out.data_ptr());
    int64_t* idx = WithIndices ? static_cast<int64_t*>(indices.data_ptr()) : nullptr;
    const bool is_2x2 = p.kh == 2 && p.kw == 2 && p.sh == 2 && p.sw == 2 && p.ph == 0 &&
                        p.pw == 0 && p.dh == 1 && p.dw == 1 && 2 * OH <= g.height &&
                        2 * OW <= g.width;
    parallel_for(0, g.planes, plane_grain(plane_out * p.kh * p.kw), [&](int64_t b, int64_t e) {
        for (int64_t q = b; q < e; ++q) {
            const T* xq = x + g.offset(q);
            T* yq = y + q * plane_out;
            int64_t* iq = WithIndices ? idx + q * plane_out : nullptr;
#if defined(__AVX512F__)
            if constexpr (std::is_same_v<T, float>) {
                if (is_2x2 && g.sw == 1 && g.height * g.width < (int64_t{1} << 31)) {
                    max_pool_plane_2x2_avx512<WithIndices>(xq, g.sh, g.width, yq, iq, OH, OW);
                    continue;
                }
            }
#endif
            if (is_2x2 && g.sw == 1)  // the contiguous fast path: unit stride along W
                max_pool_plane_2x2<T, WithIndices>(xq, g.sh, 1, g.width, yq, iq, OH, OW);
            else if (is_2x2)
                max_pool_plane_2x2<T, WithIndices>(xq, g.sh, g.sw, g.width, yq, iq, OH, OW);
            else
                max_pool_plane<T, WithIndices>(xq, g.sh, g.sw, g.height, g.width, yq, iq, OH,
                                               OW, p);
        }
    });
}

void max_pool2d_kernel(const Tensor& out, const Tensor& indices, const Tensor& in,
                       const Pool2dParams& p) {
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            if (indices.defined()) max_pool2d_typed<T, true>(out, indices, in, p);
            else max_pool2d_typed<T, false>(out, indices, in, p);
        }
    });
}

// grad_input[plane][indices[o]] += grad_output[o], outputs in order (a position that is the
// argmax of several windows sums their gradients in window order).
void max_pool2d_backward_kernel(const Tensor& grad_input, const Tensor& grad_output,
                                const Tensor& indices) {
    const int64_t planes = grad_input.size(0) * grad_input.size(1);
    const int64_t plane_in = grad_input.size(2) * grad_input.size(3);
    const int64_t plane_out = grad_output.size(2) * grad_output.size(3);
    visit_dtype(grad_input.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            T* gi = static_cast<T*>(grad_input.data_ptr());
            const T* go = static_cast<const T*>(grad_output.data_ptr());
            const int64_t* idx = static_cast<const int64_t*>(indices.data_ptr());
            parallel_for(0, planes, plane_grain(plane_out), [&](int64_t b, int64_t e) {
                for (int64_t q = b; q < e; ++q) {
                    T* giq = gi + q * plane_in;
                    const T* goq = go + q * plane_out;
                    const int64_t* iq = idx + q * plane_out;
                    for (int64_t o = 0; o < plane_out; ++o) {
                        const int64_t i = iq[o];
                        if (i >= 0 && i < plane_in)
                            giq[i] = static_cast<T>(static_cast<opmath_t<T>>(giq[i]) +
                                                    static_cast<opmath_t<T>>(goq[o]));
                    }
                }
            });
        }
    });
}

// The backward of 2x2 windows of stride 2 without padding or dilation: the windows do not
// overlap, so each position of grad_input gets its window's gradient when it holds the
// argmax and zero otherwise (as do the rows and columns past the last window), written once
// in order: no zero fill and no scattered writes. Same values as the scatter.
// Where: a window's argmax as the flat position in the input plane (max_pool2d's int64
// indices) or as its position in the window (uint8 codes 0 1 / 2 3 of the fused
// convolution and pooling); at(y, px) says, for input row y, which of the window's two
// columns (0 or 1) holds window px's maximum, or -1.
struct FlatIndex {
    const int64_t* idx;
    int64_t W;
    int at(int64_t y, int64_t px) const {
        const int64_t d = idx[px] - (y * W + 2 * px);
        return d == 0 || d == 1 ? static_cast<int>(d) : -1;
    }
};
struct WindowCode {
    const uint8_t* code;
    int at(int64_t y, int64_t px) const {
        const int d = code[px] - 2 * static_cast<int>(y % 2);
        return d == 0 || d == 1 ? d : -1;
    }
};

template <class T, class Where>
void max_pool_plane_2x2_backward(T* gi, const T* go, const Where& where_plane, int64_t H,
                                 int64_t W, int64_t OH, int64_t OW) {
    for (int64_t y = 0; y < H; ++y) {
        T* row = gi + y * W;
        if (y / 2 >= OH) {
            std::fill(row, row + W, T(0));
            continue;
        }
        const T* g = go + (y / 2) * OW;
        Where where = where_plane;  // advanced to this row of windows
        if constexpr (std::is_same_v<Where, FlatIndex>)
            where.idx += (y / 2) * OW;
        else
            where.code += (y / 2) * OW;
        int64_t px = 0;
#if defined(__AVX512F__)
        if constexpr (std::is_same_v<T, float>) {
            // 16 windows a step (masked at the end): which of the two positions of this row
            // holds each argmax.
            const __m512i lane2 = _mm512_slli_epi32(
                _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), 1);
            const __m512i first = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17,
                                                   1, 16, 0);  // v0[0], v1[0], v0[1], ...
            const __m512i second = _mm512_add_epi32(first, _mm512_set1_epi32(8));
            for (; px < OW; px += 16) {
                const int64_t n = std::min<int64_t>(16, OW - px);
                const __mmask16 in = static_cast<__mmask16>((1u << n) - 1);
                // The 2n positions of the row: the first 16 and the rest.
                const int64_t n_lo = std::min<int64_t>(16, 2 * n), n_hi = 2 * n - n_lo;
                const __m512 gv = _mm512_maskz_loadu_ps(in, g + px);
                // a: what each window holds, left: its value when the left position of this
                // row holds the argmax (left + 1: the right one).
                __m512i a, left;
                if constexpr (std::is_same_v<Where, FlatIndex>) {
                    const __m256i lo = _mm512_cvtepi64_epi32(_mm512_maskz_loadu_epi64(
                        static_cast<__mmask8>(in & 0xff), where.idx + px));
                    const __m256i hi = _mm512_cvtepi64_epi32(_mm512_maskz_loadu_epi64(
                        static_cast<__mmask8>(in >> 8), where.idx + px + 8));
                    a = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
                    left = _mm512_add_epi32(
                        _mm512_set1_epi32(static_cast<int>(y * W + 2 * px)), lane2);
                } else {
                    a = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(in, where.code + px));
                    left = _mm512_set1_epi32(static_cast<int>(2 * (y % 2)));
                }
                const __m512 v0 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(a, left), gv);
                const __m512 v1 = _mm512_maskz_mov_ps(
                    _mm512_cmpeq_epi32_mask(a, _mm512_add_epi32(left, _mm512_set1_epi32(1))),
                    gv);
                _mm512_mask_storeu_ps(row + 2 * px, static_cast<__mmask16>((1u << n_lo) - 1),
                                      _mm512_permutex2var_ps(v0, first, v1));
                _mm512_mask_storeu_ps(row + 2 * px + 16, static_cast<__mmask16>((1u << n_hi) - 1),
                                      _mm512_permutex2var_ps(v0, second, v1));
            }
        }
#endif
        for (; px < OW; ++px) {
            const int at = where.at(y, px);
            row[2 * px] = at == 0 ? g[px] : T(0);
            row[2 * px + 1] = at == 1 ? g[px] : T(0);
        }
        std::fill(row + 2 * OW, row + W, T(0));
    }
}

// Over the planes of grad_input; where_of(q) gives plane q's Where.
template <class WhereOf>
void max_pool2d_2x2_backward_planes(const Tensor& grad_input, const Tensor& grad_output,
                                    WhereOf where_of) {
    const int64_t planes = grad_input.size(0) * grad_input.size(1);
    const int64_t H = grad_input.size(2), W = grad_input.size(3);
    const int64_t OH = grad_output.size(2), OW = grad_output.size(3);
    visit_dtype(grad_input.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            T* gi = static_cast<T*>(grad_input.data_ptr());
            const T* go = static_cast<const T*>(grad_output.data_ptr());
            parallel_for(0, planes, plane_grain(H * W), [&](int64_t b, int64_t e) {
                for (int64_t q = b; q < e; ++q)
                    max_pool_plane_2x2_backward(gi + q * H * W, go + q * OH * OW, where_of(q), H,
                                                W, OH, OW);
            });
        }
    });
}

void max_pool2d_2x2_backward_kernel(const Tensor& grad_input, const Tensor& grad_output,
                                    const Tensor& indices) {
    const int64_t* idx = static_cast<const int64_t*>(indices.data_ptr());
    const int64_t W = grad_input.size(3), plane_out = grad_output.size(2) * grad_output.size(3);
    max_pool2d_2x2_backward_planes(grad_input, grad_output,
                                   [&](int64_t q) { return FlatIndex{idx + q * plane_out, W}; });
}

void max_pool2d_2x2_codes_backward_kernel(const Tensor& grad_input, const Tensor& grad_output,
                                          const Tensor& codes) {
    const uint8_t* code = static_cast<const uint8_t*>(codes.data_ptr());
    const int64_t plane_out = grad_output.size(2) * grad_output.size(3);
    max_pool2d_2x2_backward_planes(grad_input, grad_output,
                                   [&](int64_t q) { return WindowCode{code + q * plane_out}; });
}

#pragma GCC diagnostic pop

// The in-bounds part [h0, h1) x [w0, w1) of an average-pooling window and its divisor, as
// PyTorch computes them (count_include_pad counts padding up to the padded border only).
struct AvgWindow {
    int64_t h0, h1, w0, w1, divisor;
    AvgWindow(int64_t oh, int64_t ow, int64_t H, int64_t W, const Pool2dParams& p) {
        h0 = oh * p.sh - p.ph;
        w0 = ow * p.sw - p.pw;
        h1 = std::min(h0 + p.kh, H + p.ph);
        w1 = std::min(w0 + p.kw, W + p.pw);
        const int64_t pool_size = (h1 - h0) * (w1 - w0);
        h0 = std::max<int64_t>(h0, 0);
        w0 = std::max<int64_t>(w0, 0);
        h1 = std::min(h1, H);
        w1 = std::min(w1, W);
        divisor = p.divisor != 0          ? p.divisor
                  : p.count_include_pad ? pool_size
                                        : (h1 - h0) * (w1 - w0);
    }
    bool empty() const { return h0 >= h1 || w0 >= w1; }
};

void avg_pool2d_kernel(const Tensor& out, const Tensor& in, const Pool2dParams& p) {
    const Planes g(in);
    const int64_t OH = out.size(2), OW = out.size(3), plane_out = OH * OW;
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            using A = opmath_t<T>;
            const T* x = static_cast<const T*>(in.data_ptr());
            T* y = static_cast<T*>(out.data_ptr());
            parallel_for(0, g.planes, plane_grain(plane_out * p.kh * p.kw), [&](int64_t b,
                                                                                int64_t e) {
                for (int64_t q = b; q < e; ++q) {
                    const T* xq = x + g.offset(q);
                    T* yq = y + q * plane_out;
                    for (int64_t oh = 0; oh < OH; ++oh)
                        for (int64_t ow = 0; ow < OW; ++ow) {
                            const AvgWindow w(oh, ow, g.height, g.width, p);
                            A sum = 0;
                            for (int64_t ih = w.h0; ih < w.h1; ++ih)
                                for (int64_t iw = w.w0; iw < w.w1; ++iw)
                                    sum += static_cast<A>(xq[ih * g.sh + iw * g.sw]);
                            yq[oh * OW + ow] =
                                w.empty() ? T(0) : static_cast<T>(sum / static_cast<A>(w.divisor));
                        }
                }
            });
        }
    });
}

void avg_pool2d_backward_kernel(const Tensor& grad_input, const Tensor& grad_output,
                                const Pool2dParams& p) {
    const int64_t planes = grad_input.size(0) * grad_input.size(1);
    const int64_t H = grad_input.size(2), W = grad_input.size(3);
    const int64_t OH = grad_output.size(2), OW = grad_output.size(3);
    visit_dtype(grad_input.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            using A = opmath_t<T>;
            T* gi = static_cast<T*>(grad_input.data_ptr());
            const T* go = static_cast<const T*>(grad_output.data_ptr());
            parallel_for(0, planes, plane_grain(OH * OW * p.kh * p.kw), [&](int64_t b, int64_t e) {
                for (int64_t q = b; q < e; ++q) {
                    T* giq = gi + q * H * W;
                    const T* goq = go + q * OH * OW;
                    for (int64_t oh = 0; oh < OH; ++oh)
                        for (int64_t ow = 0; ow < OW; ++ow) {
                            const AvgWindow w(oh, ow, H, W, p);
                            // PyTorch rounds the share to the gradient's dtype before adding.
                            const A delta = static_cast<A>(static_cast<T>(
                                static_cast<A>(goq[oh * OW + ow]) / static_cast<A>(w.divisor)));
                            for (int64_t ih = w.h0; ih < w.h1; ++ih)
                                for (int64_t iw = w.w0; iw < w.w1; ++iw) {
                                    T& t = giq[ih * W + iw];
                                    t = static_cast<T>(static_cast<A>(t) + delta);
                                }
                        }
                }
            });
        }
    });
}

// Adaptive pooling's window along one dim: [floor(o * in / out), ceil((o + 1) * in / out)).
inline int64_t adaptive_start(int64_t o, int64_t out, int64_t in) {
    return (o / out) * in + ((o % out) * in) / out;
}
inline int64_t adaptive_end(int64_t o, int64_t out, int64_t in) {
    return 1 + ((o + 1) * in - 1) / out;
}

void adaptive_avg_pool2d_kernel(const Tensor& out, const Tensor& in) {
    const Planes g(in);
    const int64_t OH = out.size(2), OW = out.size(3), plane_out = OH * OW;
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            using A = opmath_t<T>;
            const T* x = static_cast<const T*>(in.data_ptr());
            T* y = static_cast<T*>(out.data_ptr());
            parallel_for(0, g.planes, plane_grain(g.height * g.width), [&](int64_t b, int64_t e) {
                for (int64_t q = b; q < e; ++q) {
                    const T* xq = x + g.offset(q);
                    T* yq = y + q * plane_out;
                    for (int64_t oh = 0; oh < OH; ++oh) {
                        const int64_t h0 = adaptive_start(oh, OH, g.height);
                        const int64_t h1 = adaptive_end(oh, OH, g.height);
                        for (int64_t ow = 0; ow < OW; ++ow) {
                            const int64_t w0 = adaptive_start(ow, OW, g.width);
                            const int64_t w1 = adaptive_end(ow, OW, g.width);
                            A sum = 0;
                            for (int64_t ih = h0; ih < h1; ++ih)
                                for (int64_t iw = w0; iw < w1; ++iw)
                                    sum += static_cast<A>(xq[ih * g.sh + iw * g.sw]);
                            // PyTorch divides by the window's height, then by its width.
                            yq[oh * OW + ow] = static_cast<T>(sum / static_cast<A>(h1 - h0) /
                                                              static_cast<A>(w1 - w0));
                        }
                    }
                }
            });
        }
    });
}

void adaptive_avg_pool2d_backward_kernel(const Tensor& grad_input, const Tensor& grad_output) {
    const int64_t planes = grad_input.size(0) * grad_input.size(1);
    const int64_t H = grad_input.size(2), W = grad_input.size(3);
    const int64_t OH = grad_output.size(2), OW = grad_output.size(3);
    visit_dtype(grad_input.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            using A = opmath_t<T>;
            T* gi = static_cast<T*>(grad_input.data_ptr());
            const T* go = static_cast<const T*>(grad_output.data_ptr());
            parallel_for(0, planes, plane_grain(H * W), [&](int64_t b, int64_t e) {
                for (int64_t q = b; q < e; ++q) {
                    T* giq = gi + q * H * W;
                    const T* goq = go + q * OH * OW;
                    for (int64_t oh = 0; oh < OH; ++oh) {
                        const int64_t h0 = adaptive_start(oh, OH, H);
                        const int64_t h1 = adaptive_end(oh, OH, H);
                        for (int64_t ow = 0; ow < OW; ++ow) {
                            const int64_t w0 = adaptive_start(ow, OW, W);
                            const int64_t w1 = adaptive_end(ow, OW, W);
                            const A delta = static_cast<A>(goq[oh * OW + ow]) /
                                            static_cast<A>(h1 - h0) / static_cast<A>(w1 - w0);
                            for (int64_t ih = h0; ih < h1; ++ih)
                                for (int64_t iw = w0; iw < w1; ++iw) {
                                    T& t = giq[ih * W + iw];
                                    t = static_cast<T>(static_cast<A>(t) + delta);
                                }
                        }
                    }
                }
            });
        }
    });
}

}  // namespace

void register_cpu_pool_kernels(Kernels& k) {
    k.max_pool2d = max_pool2d_kernel;
    k.max_pool2d_backward = max_pool2d_backward_kernel;
    k.max_pool2d_2x2_backward = max_pool2d_2x2_backward_kernel;
    k.max_pool2d_2x2_codes_backward = max_pool2d_2x2_codes_backward_kernel;
    k.avg_pool2d = avg_pool2d_kernel;
    k.avg_pool2d_backward = avg_pool2d_backward_kernel;
    k.adaptive_avg_pool2d = adaptive_avg_pool2d_kernel;
    k.adaptive_avg_pool2d_backward = adaptive_avg_pool2d_backward_kernel;
}

}  // namespace ember::detail

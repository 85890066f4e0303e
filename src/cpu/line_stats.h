// Per-line statistics for softmax-like kernels (the max of a line, the sum of exp(x - shift)),
// written with independent lanes and the vectorisable exp_float so that the compiler
// vectorises them. Used by the softmax kernels and the fused cross-entropy.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "cpu/fast_exp.h"
#include "cpu/loops.h"

namespace ember::detail {

template <class A>
inline A exp_of(A x) {
    if constexpr (std::is_same_v<A, float>) return exp_float(x);
    else return std::exp(x);
}

// The larger of v and m. A NaN may be skipped here: it still makes the line's sum of exp NaN,
// and so the whole result NaN, as in PyTorch.
template <class A>
inline A bigger(A v, A m) {
    return v > m ? v : m;
}

// Independent accumulators in the contiguous loops, so that the compiler vectorises them.
constexpr int kLineLanes = 8;

// Per-line statistics, for lines that are contiguous (the usual last-dim case), strided, or
// blocks of neighbouring lines walked in step.
template <class T>
struct LineStats {
    using A = opmath_t<T>;
    static constexpr A kNegInf = -std::numeric_limits<A>::infinity();

    static A max_contiguous(const T* xp, int64_t n) {
        A lane[kLineLanes];
        for (int l = 0; l < kLineLanes; ++l) lane[l] = kNegInf;
        int64_t j = 0;
        for (; j + kLineLanes <= n; j += kLineLanes)
            for (int l = 0; l < kLineLanes; ++l) lane[l] = bigger(static_cast<A>(xp[j + l]), lane[l]);
        A mx = kNegInf;
        for (int l = 0; l < kLineLanes; ++l) mx = bigger(lane[l], mx);
        for (; j < n; ++j) mx = bigger(static_cast<A>(xp[j]), mx);
        return mx;
    }

    // sum of exp(x - shift); with Store, each exp is also written to yp (T must be A).
    template <bool Store>
    static double sum_exp_contiguous(const T* xp, int64_t n, A shift, T* yp) {
        double lane[kLineLanes] = {};
        int64_t j = 0;
        for (; j + kLineLanes <= n; j += kLineLanes)
            for (int l = 0; l < kLineLanes; ++l) {
                A e = exp_of<A>(static_cast<A>(xp[j + l]) - shift);
                if constexpr (Store) yp[j + l] = e;
                lane[l] += e;
            }
        double sum = 0;
        for (int l = 0; l < kLineLanes; ++l) sum += lane[l];
        for (; j < n; ++j) {
            A e = exp_of<A>(static_cast<A>(xp[j]) - shift);
            if constexpr (Store) yp[j] = e;
            sum += e;
        }
        return sum;
    }

    static A max_strided(const T* xp, int64_t n, int64_t stride) {
        A mx = kNegInf;
        for (int64_t j = 0; j < n; ++j) mx = bigger(static_cast<A>(xp[j * stride]), mx);
        return mx;
    }

    static double sum_exp_strided(const T* xp, int64_t n, int64_t stride, A shift) {
        double sum = 0;
        for (int64_t j = 0; j < n; ++j) sum += exp_of<A>(static_cast<A>(xp[j * stride]) - shift);
        return sum;
    }

    // Row r of the block starts at xp + r * stride; lines j < width are its elements.
    static void max_block(const T* xp, int64_t n, int64_t stride, int64_t width, A* mx) {
        for (int64_t j = 0; j < width; ++j) mx[j] = kNegInf;
        for (int64_t r = 0; r < n; ++r) {
            const T* xr = xp + r * stride;
            for (int64_t j = 0; j < width; ++j) mx[j] = bigger(static_cast<A>(xr[j]), mx[j]);
        }
    }

    // sum[j] of exp(x - shift[j]); with Store, the exps go to yp (rows at yp + r * out_stride).
    template <bool Store>
    static void sum_exp_block(const T* xp, int64_t n, int64_t stride, int64_t width,
                              const A* shift, double* sum, T* yp, int64_t out_stride) {
        for (int64_t j = 0; j < width; ++j) sum[j] = 0;
        for (int64_t r = 0; r < n; ++r) {
            const T* xr = xp + r * stride;
            for (int64_t j = 0; j < width; ++j) {
                A e = exp_of<A>(static_cast<A>(xr[j]) - shift[j]);
                if constexpr (Store) yp[r * out_stride + j] = e;
                sum[j] += e;
            }
        }
    }
};

}  // namespace ember::detail

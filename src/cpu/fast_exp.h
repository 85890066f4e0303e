// exp for float32 written so that loops calling it vectorise (glibc's expf is an opaque scalar
// call, which made softmax 5x slower than PyTorch's SIMD exp). Cephes' range reduction and
// polynomial: within 1 ulp of the correctly rounded value, denormal results included (checked
// on every 7th float in [-110, 90]); exp(-inf) is exactly 0, exp(inf) inf, NaN propagates.
// Needs IEEE arithmetic as written: not for -ffast-math builds (the rounding trick folds away).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ember::detail {

inline float exp_float(float x) {
    constexpr float kMaxArg = 88.7228394f;  // exp overflows above (float's max is e^88.7228)
    constexpr float kMinArg = -104.0f;      // exp rounds to 0 below (the least denormal: e^-103.3)
    constexpr float kLog2e = 1.44269504088896341f;
    constexpr float kLn2Hi = 0.693359375f;  // ln 2 split so that n * kLn2Hi is exact
    constexpr float kLn2Lo = -2.12194440e-4f;
    // NaN is replaced for the arithmetic (converting it to an integer would be UB) and
    // restored at the end; the clamp keeps the exponent arithmetic in range.
    const float xc = x != x ? 0.0f : (x < kMinArg ? kMinArg : (x > kMaxArg ? kMaxArg : x));
    // n = round(xc / ln 2): adding and subtracting 1.5 * 2^23 rounds to an integer (std::floor
    // would not vectorise without -fno-trapping-math).
    constexpr float kRound = 12582912.0f;
    const float n = (xc * kLog2e + kRound) - kRound;
    const float r = xc - n * kLn2Hi - n * kLn2Lo;  // |r| <= ln(2) / 2
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    // p * 2^n in two steps, so that n in [-150, 128] never leaves the normal exponent range
    // (the last multiplication rounds to a denormal correctly).
    const int32_t ni = static_cast<int32_t>(n);
    const int32_t n1 = ni >> 1, n2 = ni - n1;
    const float scale1 = std::bit_cast<float>(static_cast<uint32_t>(n1 + 127) << 23);
    const float scale2 = std::bit_cast<float>(static_cast<uint32_t>(n2 + 127) << 23);
    float y = p * scale1 * scale2;
    y = x > kMaxArg ? std::numeric_limits<float>::infinity() : y;
    y = x < kMinArg ? 0.0f : y;
    return x != x ? x : y;
}

}  // namespace ember::detail

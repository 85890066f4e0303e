// float16 and bfloat16 storage types: 16-bit values converted to float for arithmetic.
//
// Conversions round to nearest even, as PyTorch (and IEEE 754) do; NaN stays NaN.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace ember {

struct Half {
    uint16_t bits = 0;

    Half() = default;
    Half(float f) : bits(from_float(f)) {}  // NOLINT: implicit, like a built-in float type
    operator float() const { return to_float(bits); }  // NOLINT

    static Half from_bits(uint16_t b) {
        Half h;
        h.bits = b;
        return h;
    }

    static uint16_t from_float(float f) {
        uint32_t x = std::bit_cast<uint32_t>(f);
        uint32_t sign = (x >> 16) & 0x8000u;
        uint32_t abs = x & 0x7fffffffu;
        if (abs >= 0x7f800000u)  // inf or nan
            return static_cast<uint16_t>(sign | (abs > 0x7f800000u ? 0x7e00u : 0x7c00u));
        if (abs >= 0x477ff000u)  // rounds to >= 65520: overflow to inf
            return static_cast<uint16_t>(sign | 0x7c00u);
        if (abs < 0x38800000u) {  // below the smallest normal half (2^-14): subnormal or zero
            // Adding 0.5 shifts the value so the FPU rounds it to a multiple of 2^-24.
            float a = std::bit_cast<float>(abs) + 0.5f;
            return static_cast<uint16_t>(sign | (std::bit_cast<uint32_t>(a) - 0x3f000000u));
        }
        uint32_t mant_odd = (abs >> 13) & 1u;
        abs += 0xc8000fffu + mant_odd;  // rebias exponent (-112 << 23) and round to nearest even
        return static_cast<uint16_t>(sign | (abs >> 13));
    }

    static float to_float(uint16_t h) {
        uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
        uint32_t exp = (h >> 10) & 0x1fu;
        uint32_t mant = h & 0x3ffu;
        uint32_t out;
        if (exp == 0x1f) {
            // inf, or NaN made quiet (as the F16C conversion PyTorch uses on x86 does)
            out = sign | 0x7f800000u | (mant ? 0x00400000u | (mant << 13) : 0u);
        } else if (exp == 0) {
            if (mant == 0) return std::bit_cast<float>(sign);
            // subnormal: value = mant * 2^-24
            float v = static_cast<float>(mant) * 5.9604644775390625e-08f;
            return sign ? -v : v;
        } else {
            out = sign | ((exp + 112u) << 23) | (mant << 13);
        }
        return std::bit_cast<float>(out);
    }
};

struct BFloat16 {
    uint16_t bits = 0;

    BFloat16() = default;
    BFloat16(float f) : bits(from_float(f)) {}  // NOLINT
    operator float() const { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }  // NOLINT

    static BFloat16 from_bits(uint16_t b) {
        BFloat16 h;
        h.bits = b;
        return h;
    }

    static uint16_t from_float(float f) {
        uint32_t x = std::bit_cast<uint32_t>(f);
        if ((x & 0x7fffffffu) > 0x7f800000u) return 0x7fc0u;  // nan
        uint32_t rounding_bias = 0x7fffu + ((x >> 16) & 1u);
        return static_cast<uint16_t>((x + rounding_bias) >> 16);
    }
};

}  // namespace ember

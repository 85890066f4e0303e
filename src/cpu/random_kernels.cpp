// CPU random fills: PyTorch 1.13's CPU transforms of the MT19937 stream, reproduced bit for bit
// (reference: tensor.md section 8). This file is compiled with -ffp-contract=off: every fused
// multiply-add below is an explicit std::fma, so no compiler flag can change a value.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <utility>

#include "cpu/loops.h"
#include "ember/core/generator.h"
#include "ops/dispatch.h"

namespace ember::detail {
namespace {

// ---- uniform [0, 1) draws at each dtype's precision ------------------------------------------

// 53 bits from two words (float64).
double uniform53(CPUGeneratorImpl& g) {
    return static_cast<double>(g.random64() & ((uint64_t{1} << 53) - 1)) * 0x1p-53;
}
// 24 bits from one word (float32).
float uniform24(CPUGeneratorImpl& g) {
    return static_cast<float>(g.random() & 0xFFFFFFu) * 0x1p-24f;
}
// The mantissa width of each floating dtype, as std::numeric_limits<T>::digits.
template <class T>
constexpr int digits_of() {
    if constexpr (std::is_same_v<T, double>) return 53;
    else if constexpr (std::is_same_v<T, float>) return 24;
    else if constexpr (std::is_same_v<T, Half>) return 11;
    else return 8;  // BFloat16
}
// A uniform with T's mantissa width, as a float (Half, BFloat16; one word).
template <class T>
float uniform_reduced(CPUGeneratorImpl& g) {
    constexpr uint32_t mask = (1u << digits_of<T>()) - 1;
    return static_cast<float>(g.random() & mask) / static_cast<float>(1u << digits_of<T>());
}

// Writes next() into every element of operand 0, in iteration order, on this thread.
template <class T, class Next>
void fill_serial(TensorIterator& iter, Next&& next) {
    iter.serial_for_each(
        [&](char** data, const int64_t* strides, int64_t n) {
            char* p = data[0];
            for (int64_t i = 0; i < n; ++i, p += strides[0]) *reinterpret_cast<T*>(p) = next();
        },
        0, iter.numel());
}

// An int64 or a uniform double converted the way C++ static_cast<T> does in PyTorch (the 16-bit
// floats go through float).
template <class T>
T from_int64(int64_t v) {
    if constexpr (std::is_same_v<T, bool>) return v != 0;
    else if constexpr (is_reduced_float_v<T>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}
template <class T>
T from_double(double v) {
    if constexpr (is_reduced_float_v<T>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}

// ---- uniform_ -------------------------------------------------------------------------------

void uniform_kernel(TensorIterator& iter, double from, double to, CPUGeneratorImpl& g) {
    visit_dtype(iter.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, double>) {
            // One rounding of u * (b - a) + a (PyTorch's build contracts it into an fma).
            const double range = to - from;
            fill_serial<double>(iter, [&] { return std::fma(uniform53(g), range, from); });
        } else if constexpr (std::is_same_v<T, float>) {
            // The bounds and their difference are rounded to float; u (24 bits) times the
            // difference (24 bits) is exact in double, so only the sum and the final cast round.
            const float a = static_cast<float>(from), b = static_cast<float>(to);
            const double d = static_cast<double>(b - a);
            fill_serial<float>(iter, [&] {
                return static_cast<float>(static_cast<double>(uniform24(g)) * d + a);
            });
        } else if constexpr (is_reduced_float_v<T>) {
            // Half/BFloat16 bounds, their difference rounded to T, the arithmetic in float.
            const T a = from_double<T>(from), b = from_double<T>(to);
            const float d = static_cast<float>(T(static_cast<float>(b) - static_cast<float>(a)));
            fill_serial<T>(iter, [&] {
                return T(uniform_reduced<T>(g) * d + static_cast<float>(a));
            });
        } else {
            EMBER_ASSERT(false, "uniform_ on a non-floating dtype");
        }
    });
}

// ---- normal_ --------------------------------------------------------------------------------

// Box-Muller in double with the generator's one-value cache (PyTorch's normal_distribution).
double normal_sample(CPUGeneratorImpl& g, double mean, double std) {
    if (g.next_double_normal_sample) {
        double cached = *g.next_double_normal_sample;
        g.next_double_normal_sample.reset();
        return std::fma(cached, std, mean);
    }
    const double u1 = uniform53(g);
    const double u2 = uniform53(g);
    const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    const double theta = 2.0 * std::numbers::pi * u1;
    g.next_double_normal_sample = r * std::sin(theta);
    return std::fma(r * std::cos(theta), std, mean);
}

// float64, blocks of 16: x[k] (k < 8) and x[k + 8] become the cosine and sine halves of the
// pair made from 1 - x[k] and x[k + 8].
void normal_fill_16(double* x, double mean, double std) {
    for (int k = 0; k < 8; ++k) {
        const double u1 = 1.0 - x[k];
        const double u2 = x[k + 8];
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double theta = 2.0 * std::numbers::pi * u2;
        x[k] = std::fma(r * std::cos(theta), std, mean);
        x[k + 8] = std::fma(r * std::sin(theta), std, mean);
    }
}

// float32 blocks: PyTorch's AVX2 kernel (what x86 builds run), whose log/sin/cos are the
// Cephes-style float approximations of avx_mathfun.h; every step is rounded to float and the
// fmas are the ones that build fuses (reference: tensor.md section 8, path (c)).
constexpr float kSqrtHalf = 0.707106781186547524f;
constexpr float kLogP[9] = {7.0376836292e-2f,  -1.1514610310e-1f, 1.1676998740e-1f,
                            -1.2420140846e-1f, 1.4249322787e-1f,  -1.6668057665e-1f,
                            2.0000714765e-1f,  -2.4999993993e-1f, 3.3333331174e-1f};
constexpr float kLogQ1 = -2.12194440e-4f;
constexpr float kLogQ2 = 0.693359375f;

// log(x) for x in (0, 1] (a normal float).
float cephes_log(float x) {
    const uint32_t bits = std::bit_cast<uint32_t>(x);
    float e = static_cast<float>(static_cast<int32_t>(bits >> 23) - 0x7f) + 1.0f;
    const float m = std::bit_cast<float>((bits & ~0x7f800000u) | 0x3f000000u);  // [0.5, 1)
    float t;
    if (m < kSqrtHalf) {
        e = e - 1.0f;
        t = (m - 1.0f) + m;
    } else {
        t = m - 1.0f;
    }
    const float z = t * t;
    float y = kLogP[0];
    for (int i = 1; i < 9; ++i) y = std::fma(y, t, kLogP[i]);
    y = y * t;
    y = std::fma(y, z, e * kLogQ1);
    y = y - z * 0.5f;
    return std::fma(e, kLogQ2, t + y);
}

// sin and cos of theta in [0, 2 pi).
void cephes_sincos(float theta, float& sin_out, float& cos_out) {
    int32_t j = static_cast<int32_t>(theta * 1.27323954473516f);  // truncation, as cvttps
    j = (j + 1) & ~1;
    const float y = static_cast<float>(j);
    float x = std::fma(y, -0.78515625f, theta);
    x = std::fma(y, -2.4187564849853515625e-4f, x);
    x = std::fma(y, -3.77489497744594108e-8f, x);
    const float z = x * x;
    float c = std::fma(std::fma(2.443315711809948e-5f, z, -1.388731625493765e-3f), z,
                       4.166664568298827e-2f);
    c = c * z;
    c = std::fma(c, z, -(z * 0.5f));
    c = c + 1.0f;
    float s = std::fma(std::fma(-1.9515295891e-4f, z, 8.3321608736e-3f), z, -1.6666654611e-1f);
    s = s * z;
    s = std::fma(s, x, x);
    if ((j & 2) != 0) std::swap(s, c);
    if ((j & 4) != 0) s = -s;
    if (((j - 2) & 4) == 0) c = -c;
    sin_out = s;
    cos_out = c;
}

void normal_fill_16(float* x, float mean, float std) {
    const float two_pi = static_cast<float>(2.0 * std::numbers::pi);
    for (int k = 0; k < 8; ++k) {
        const float u1 = 1.0f - x[k];
        const float u2 = x[k + 8];
        const float r = std::sqrt(-2.0f * cephes_log(u1));
        float s, c;
        cephes_sincos(two_pi * u2, s, c);
        x[k] = std::fma(r * c, std, mean);
        x[k + 8] = std::fma(r * s, std, mean);
    }
}

// Half/BFloat16 blocks: PyTorch's generic normal_fill_16<T>, where the uniforms, radius and
// angle are stored as T and float libm functions do the math. For BFloat16, c10 also rounds
// the result of log, sqrt, sin and cos and of every product and sum to BFloat16.
template <class T>
void normal_fill_16(T* x, T mean, T std) {
    if constexpr (std::is_same_v<T, BFloat16>) {
        using B = BFloat16;
        auto f = [](B v) { return static_cast<float>(v); };
        for (int k = 0; k < 8; ++k) {
            const B u1 = B(1.0f - f(x[k]));
            const B u2 = x[k + 8];
            const B log_u1 = B(std::log(f(u1)));
            const B r = B(std::sqrt(f(B(-2.0f * f(log_u1)))));
            const B theta = from_double<B>(2.0 * std::numbers::pi * f(u2));
            const B rc = B(f(r) * f(B(std::cos(f(theta)))));
            const B rs = B(f(r) * f(B(std::sin(f(theta)))));
            x[k] = B(f(B(f(rc) * f(std))) + f(mean));
            x[k + 8] = B(f(B(f(rs) * f(std))) + f(mean));
        }
        return;
    }
    for (int k = 0; k < 8; ++k) {
        const T u1 = T(1.0f - static_cast<float>(x[k]));
        const T u2 = x[k + 8];
        const T r = T(std::sqrt(-2.0f * std::log(static_cast<float>(u1))));
        const T theta = from_double<T>(2.0 * std::numbers::pi * static_cast<float>(u2));
        const float rc = static_cast<float>(r) * std::cos(static_cast<float>(theta));
        const float rs = static_cast<float>(r) * std::sin(static_cast<float>(theta));
        x[k] = T(std::fma(rc, static_cast<float>(std), static_cast<float>(mean)));
        x[k + 8] = T(std::fma(rs, static_cast<float>(std), static_cast<float>(mean)));
    }
}

template <class T>
T uniform_for_block(CPUGeneratorImpl& g) {
    if constexpr (std::is_same_v<T, double>) return uniform53(g);
    else if constexpr (std::is_same_v<T, float>) return uniform24(g);
    else return T(uniform_reduced<T>(g));
}

// Contiguous tensors of 16 or more elements: all uniforms first, then the blocks of 16 in
// place; a partial last block is redrawn as the last 16 elements (overwriting up to 15
// finished values), as PyTorch does.
template <class T>
void normal_fill(T* data, int64_t n, T mean, T std, CPUGeneratorImpl& g) {
    for (int64_t i = 0; i < n; ++i) data[i] = uniform_for_block<T>(g);
    for (int64_t i = 0; i + 16 <= n; i += 16) normal_fill_16(data + i, mean, std);
    if (n % 16 != 0) {
        T* tail = data + n - 16;
        for (int i = 0; i < 16; ++i) tail[i] = uniform_for_block<T>(g);
        normal_fill_16(tail, mean, std);
    }
}

void normal_kernel(TensorIterator& iter, double mean, double std, CPUGeneratorImpl& g) {
    const Tensor& out = iter.tensor(0);
    const int64_t n = out.numel();
    const bool blocks = n >= 16 && out.is_contiguous();
    visit_dtype(out.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            if (blocks) {
                T* data = reinterpret_cast<T*>(out.data_ptr());
                normal_fill<T>(data, n, from_double<T>(mean), from_double<T>(std), g);
            } else {
                fill_serial<T>(iter, [&] { return from_double<T>(normal_sample(g, mean, std)); });
            }
        } else {
            EMBER_ASSERT(false, "normal_ on a non-floating dtype");
        }
    });
}

// ---- random_ --------------------------------------------------------------------------------

void random_from_to_kernel(TensorIterator& iter, uint64_t range, int64_t base,
                           CPUGeneratorImpl& g) {
    visit_dtype(iter.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        // Ranges of 2^32 and more take two words, for the dtypes that can hold them.
        constexpr bool wide = std::is_same_v<T, int64_t> || std::is_same_v<T, double> ||
                              std::is_same_v<T, float> || std::is_same_v<T, BFloat16>;
        const bool two_words = wide && range >= (uint64_t{1} << 32);
        fill_serial<T>(iter, [&] {
            const uint64_t word = two_words ? g.random64() : uint64_t{g.random()};
            // Plain modulo (no rejection); the sum wraps in uint64 like PyTorch's.
            return from_int64<T>(static_cast<int64_t>(word % range + static_cast<uint64_t>(base)));
        });
    });
}

// random_() without bounds: [0, 2^digits] for floats, [0, max] for integers, {0, 1} for bool.
void random_full_kernel(TensorIterator& iter, CPUGeneratorImpl& g) {
    visit_dtype(iter.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        fill_serial<T>(iter, [&]() -> T {
            if constexpr (std::is_same_v<T, bool>) {
                return (g.random() & 1u) != 0;
            } else if constexpr (std::is_same_v<T, int64_t>) {
                return static_cast<int64_t>(g.random64() % (uint64_t{1} << 63));
            } else if constexpr (std::is_same_v<T, double>) {
                return static_cast<double>(g.random64() % ((uint64_t{1} << 53) + 1));
            } else if constexpr (is_float_v<T>) {
                const uint64_t m = (uint64_t{1} << digits_of<T>()) + 1;
                return from_int64<T>(static_cast<int64_t>(g.random() % m));
            } else {
                const uint64_t m = static_cast<uint64_t>(std::numeric_limits<T>::max()) + 1;
                return static_cast<T>(g.random() % m);
            }
        });
    });
}

// ---- bernoulli ------------------------------------------------------------------------------

// A scalar p: a 53-bit uniform per element, 1 when it is below p.
void bernoulli_scalar_kernel(TensorIterator& iter, double p, CPUGeneratorImpl& g) {
    visit_dtype(iter.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        fill_serial<T>(iter, [&] { return from_int64<T>(uniform53(g) < p ? 1 : 0); });
    });
}

// A probability tensor (operand 1): float64 p uses 53-bit uniforms, other floats 24-bit ones.
void bernoulli_tensor_kernel(TensorIterator& iter, CPUGeneratorImpl& g) {
    visit_dtype(iter.dtype(0), [&](auto out_tag) {
        using T = typename decltype(out_tag)::type;
        visit_dtype(iter.dtype(1), [&](auto p_tag) {
            using P = typename decltype(p_tag)::type;
            if constexpr (is_float_v<P>) {
                iter.serial_for_each(
                    [&](char** data, const int64_t* strides, int64_t n) {
                        char* out = data[0];
                        const char* prob = data[1];
                        for (int64_t i = 0; i < n; ++i, out += strides[0], prob += strides[1]) {
                            const P p = *reinterpret_cast<const P*>(prob);
                            bool hit;
                            if constexpr (std::is_same_v<P, double>) hit = uniform53(g) < p;
                            else hit = uniform24(g) < static_cast<float>(p);
                            *reinterpret_cast<T*>(out) = from_int64<T>(hit ? 1 : 0);
                        }
                    },
                    0, iter.numel());
            } else {
                EMBER_ASSERT(false, "bernoulli with non-floating probabilities");
            }
        });
    });
}

// ---- randperm -------------------------------------------------------------------------------

// [0, n) shuffled by swapping position i with i + (word mod (n - i)), one word per step (1.13
// does this for every n).
void randperm_kernel(TensorIterator& iter, CPUGeneratorImpl& g) {
    const Tensor& out = iter.tensor(0);
    const int64_t n = out.numel();
    const int64_t stride = n > 0 ? out.stride(0) : 1;
    visit_dtype(out.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* r = reinterpret_cast<T*>(out.data_ptr());
        for (int64_t i = 0; i < n; ++i) r[i * stride] = from_int64<T>(i);
        for (int64_t i = 0; i < n - 1; ++i) {
            // random() % (n - i), in 32 bits while n - i fits: the same value, and a 64-bit
            // division costs several times as much (most of a small randperm's time).
            const int64_t left = n - i;
            const int64_t z = left <= int64_t{UINT32_MAX}
                                  ? static_cast<int64_t>(g.random() % static_cast<uint32_t>(left))
                                  : static_cast<int64_t>(g.random()) % left;
            std::swap(r[i * stride], r[(z + i) * stride]);
        }
    });
}

}  // namespace

void register_cpu_random_kernels(Kernels& k) {
    k.uniform = uniform_kernel;
    k.normal = normal_kernel;
    k.random_from_to = random_from_to_kernel;
    k.random_full = random_full_kernel;
    k.bernoulli_scalar = bernoulli_scalar_kernel;
    k.bernoulli_tensor = bernoulli_tensor_kernel;
    k.randperm = randperm_kernel;
}

}  // namespace ember::detail

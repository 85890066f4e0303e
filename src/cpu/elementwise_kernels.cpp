// CPU kernels for unary and binary elementwise ops (the math of src/ops/elementwise.cpp).
#include <cmath>
#include <limits>

#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

[[noreturn]] void zero_division() { EMBER_ERROR("ZeroDivisionError: integer division by zero"); }

// Python-style floor division for floats (the result PyTorch gives, including -0. and inf).
template <class T>
T div_floor_float(T a, T b) {
    if (b == 0) return a / b;
    T mod = std::fmod(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
    if (div == 0) return std::copysign(T(0), a / b);
    T floordiv = std::floor(div);
    if (div - floordiv > T(0.5)) floordiv += 1;
    return floordiv;
}

template <class T>
T div_floor_int(T a, T b) {
    if (b == 0) zero_division();
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return static_cast<T>(-static_cast<std::make_unsigned_t<T>>(a));  // no overflow trap
        T q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
    } else {
        return a / b;
    }
}

template <class T>
T int_pow(T base, T exp) {
    if constexpr (std::is_signed_v<T>) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) ? -1 : 1;
            EMBER_ERROR("Integers to negative integer powers are not allowed.");
        }
    }
    T result = 1;
    while (exp) {
        if (exp & 1) result = wrapping_mul(result, base);
        exp = static_cast<T>(exp >> 1);
        base = wrapping_mul(base, base);
    }
    return result;
}

// erfinv in T's own precision, the way PyTorch's CPU kernel computes it (so that the values,
// and trunc_normal_'s draws, agree to the last bit): a rational first guess (Pavlis' erfinv.m
// coefficients, one form for |y| <= 0.7 and one in sqrt(-log((1 - |y|) / 2)) for the tails),
// then two Newton steps on erf(x) - y.
template <class T>
T erfinv_value(T y) {
    const T y_abs = std::abs(y);
    if (y_abs > T(1)) return std::numeric_limits<T>::quiet_NaN();
    if (y_abs == T(1)) return std::copysign(std::numeric_limits<T>::infinity(), y);
    static constexpr T central[2][4] = {
        {T(0.886226899), T(-1.645349621), T(0.914624893), T(-0.140543331)},
        {T(-2.118377725), T(1.442710462), T(-0.329097515), T(0.012229801)}};
    static constexpr T tail[2][4] = {
        {T(-1.970840454), T(-1.624906493), T(3.429567803), T(1.641345311)},
        {T(3.543889200), T(1.637067800), T(0), T(0)}};
    T x;
    if (y_abs <= T(0.7)) {
        const T z = y * y;
        const auto& [p, q] = central;
        const T num = ((p[3] * z + p[2]) * z + p[1]) * z + p[0];
        const T den = (((q[3] * z + q[2]) * z + q[1]) * z + q[0]) * z + T(1);
        x = y * num / den;
    } else {
        const T z = std::sqrt(-std::log((T(1) - y_abs) / T(2)));
        const auto& [p, q] = tail;
        const T num = ((p[3] * z + p[2]) * z + p[1]) * z + p[0];
        const T den = (q[1] * z + q[0]) * z + T(1);
        x = std::copysign(num, y) / den;
    }
    // d/dx erf(x) = 2 / sqrt(pi) * exp(-x^2); the constant is rounded to T in two parts, as
    // PyTorch does.
    const T two_over_sqrt_pi = T(2) / static_cast<T>(std::sqrt(M_PI));
    for (int step = 0; step < 2; ++step)
        x = x - (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
    return x;
}

template <class T>
inline bool nonzero(T v) {
    return static_cast<opmath_t<T>>(v) != opmath_t<T>(0);
}

template <class T>
void binary_typed(TensorIterator& it, BinaryOp op, const Scalar& alpha_s) {
    using M = opmath_t<T>;
    auto arith = [&](auto f) {
        cpu_kernel<T, T, T>(it, [f](T a, T b) -> T {
            return static_cast<T>(f(static_cast<M>(a), static_cast<M>(b)));
        });
    };
    auto compare = [&](auto f) {
        cpu_kernel<bool, T, T>(it, [f](T a, T b) -> bool { return f(static_cast<M>(a), static_cast<M>(b)); });
    };
    switch (op) {
        case BinaryOp::Add:
        case BinaryOp::Sub: {
            if constexpr (std::is_same_v<T, bool>) {
                // bool + bool is logical or (alpha is 1 or True here).
                arith([](bool a, bool b) { return a || b; });
            } else {
                M alpha = alpha_s.to<M>();
                if (op == BinaryOp::Sub) alpha = static_cast<M>(-alpha);
                if (alpha == M(1)) arith([](M a, M b) { return wrapping_add(a, b); });
                else arith([alpha](M a, M b) { return wrapping_add(a, wrapping_mul(alpha, b)); });
            }
            return;
        }
        case BinaryOp::Mul:
            if constexpr (std::is_same_v<T, bool>) arith([](bool a, bool b) { return a && b; });
            else arith([](M a, M b) { return wrapping_mul(a, b); });
            return;
        case BinaryOp::Div:
            if constexpr (is_float_v<T>) arith([](M a, M b) { return a / b; });
            else EMBER_ASSERT(false, "true division on integers reached the kernel");
            return;
        case BinaryOp::DivTrunc:
            if constexpr (is_float_v<T>) {
                arith([](M a, M b) { return std::trunc(a / b); });
            } else if constexpr (!std::is_same_v<T, bool>) {
                arith([](M a, M b) -> M {
                    if (b == 0) zero_division();
                    if constexpr (std::is_signed_v<M>)
                        if (b == -1) return static_cast<M>(-static_cast<std::make_unsigned_t<M>>(a));
                    return static_cast<M>(a / b);
                });
            } else {
                EMBER_ERROR("div(rounding_mode='trunc'): not implemented for 'Bool'");
            }
            return;
        case BinaryOp::DivFloor:
            if constexpr (is_float_v<T>) arith([](M a, M b) { return div_floor_float(a, b); });
            else if constexpr (!std::is_same_v<T, bool>) arith([](M a, M b) { return div_floor_int(a, b); });
            else EMBER_ERROR("floor_divide: not implemented for 'Bool'");
            return;
        case BinaryOp::Remainder:
            if constexpr (is_float_v<T>) {
                arith([](M a, M b) {
                    M mod = std::fmod(a, b);
                    if (mod != 0 && ((b < 0) != (mod < 0))) mod += b;
                    return mod;
                });
            } else if constexpr (!std::is_same_v<T, bool>) {
                arith([](M a, M b) -> M {
                    if (b == 0) zero_division();
                    if constexpr (std::is_signed_v<M>) {
                        if (b == -1) return 0;
                        M mod = static_cast<M>(a % b);
                        if (mod != 0 && ((b < 0) != (mod < 0))) mod = static_cast<M>(mod + b);
                        return mod;
                    } else {
                        return static_cast<M>(a % b);
                    }
                });
            } else {
                EMBER_ERROR("remainder: not implemented for 'Bool'");
            }
            return;
        case BinaryOp::Fmod:
            if constexpr (is_float_v<T>) {
                arith([](M a, M b) { return std::fmod(a, b); });
            } else if constexpr (!std::is_same_v<T, bool>) {
                arith([](M a, M b) -> M {
                    if (b == 0) zero_division();
                    if constexpr (std::is_signed_v<M>)
                        if (b == -1) return 0;
                    return static_cast<M>(a % b);
                });
            } else {
                EMBER_ERROR("fmod: not implemented for 'Bool'");
            }
            return;
        case BinaryOp::Pow:
            if constexpr (is_float_v<T>) {
                arith([](M a, M b) -> M {
                    if (b == M(2)) return a * a;
                    if (b == M(0.5)) return std::sqrt(a);
                    return std::pow(a, b);
                });
            } else if constexpr (std::is_same_v<T, bool>) {
                arith([](bool a, bool b) { return a || !b; });
            } else {
                arith([](M a, M b) { return int_pow<M>(a, b); });
            }
            return;
        case BinaryOp::Maximum:
            if constexpr (is_float_v<T>)
                arith([](M a, M b) { return (a != a || b != b) ? std::numeric_limits<M>::quiet_NaN() : (a > b ? a : b); });
            else arith([](M a, M b) { return a > b ? a : b; });
            return;
        case BinaryOp::Minimum:
            if constexpr (is_float_v<T>)
                arith([](M a, M b) { return (a != a || b != b) ? std::numeric_limits<M>::quiet_NaN() : (a < b ? a : b); });
            else arith([](M a, M b) { return a < b ? a : b; });
            return;
        case BinaryOp::Atan2:
            if constexpr (is_float_v<T>) arith([](M a, M b) { return std::atan2(a, b); });
            return;
        case BinaryOp::Eq: compare([](M a, M b) { return a == b; }); return;
        case BinaryOp::Ne: compare([](M a, M b) { return a != b; }); return;
        case BinaryOp::Lt: compare([](M a, M b) { return a < b; }); return;
        case BinaryOp::Le: compare([](M a, M b) { return a <= b; }); return;
        case BinaryOp::Gt: compare([](M a, M b) { return a > b; }); return;
        case BinaryOp::Ge: compare([](M a, M b) { return a >= b; }); return;
        case BinaryOp::LogicalAnd:
            cpu_kernel<bool, T, T>(it, [](T a, T b) { return nonzero(a) && nonzero(b); });
            return;
        case BinaryOp::LogicalOr:
            cpu_kernel<bool, T, T>(it, [](T a, T b) { return nonzero(a) || nonzero(b); });
            return;
        case BinaryOp::LogicalXor:
            cpu_kernel<bool, T, T>(it, [](T a, T b) { return nonzero(a) != nonzero(b); });
            return;
        case BinaryOp::BitwiseAnd:
        case BinaryOp::BitwiseOr:
        case BinaryOp::BitwiseXor:
            if constexpr (std::is_integral_v<T>) {
                if (op == BinaryOp::BitwiseAnd) arith([](M a, M b) { return static_cast<M>(a & b); });
                else if (op == BinaryOp::BitwiseOr) arith([](M a, M b) { return static_cast<M>(a | b); });
                else arith([](M a, M b) { return static_cast<M>(a ^ b); });
            }
            return;
        case BinaryOp::ReluGrad:
            if constexpr (!std::is_same_v<T, bool>)
                arith([](M g, M r) { return r <= M(0) ? M(0) : g; });
            return;
    }
}

void binary_kernel(TensorIterator& it, BinaryOp op, const Scalar& alpha) {
    // Inputs share the computation dtype (operand 1); comparison outputs are bool.
    visit_dtype(it.dtype(1), [&](auto tag) { binary_typed<typename decltype(tag)::type>(it, op, alpha); });
}

template <class T>
void unary_typed(TensorIterator& it, UnaryOp op) {
    using M = opmath_t<T>;
    auto map = [&](auto f) {
        cpu_kernel<T, T>(it, [f](T a) -> T { return static_cast<T>(f(static_cast<M>(a))); });
    };
    auto predicate = [&](auto f) {
        cpu_kernel<bool, T>(it, [f](T a) -> bool { return f(static_cast<M>(a)); });
    };
    if constexpr (is_float_v<T>) {
        switch (op) {
            case UnaryOp::Exp: map([](M x) { return std::exp(x); }); return;
            case UnaryOp::Exp2: map([](M x) { return std::exp2(x); }); return;
            case UnaryOp::Log: map([](M x) { return std::log(x); }); return;
            case UnaryOp::Log2: map([](M x) { return std::log2(x); }); return;
            case UnaryOp::Log10: map([](M x) { return std::log10(x); }); return;
            case UnaryOp::Log1p: map([](M x) { return std::log1p(x); }); return;
            case UnaryOp::Expm1: map([](M x) { return std::expm1(x); }); return;
            case UnaryOp::Sqrt: map([](M x) { return std::sqrt(x); }); return;
            case UnaryOp::Rsqrt: map([](M x) { return M(1) / std::sqrt(x); }); return;
            case UnaryOp::Reciprocal: map([](M x) { return M(1) / x; }); return;
            case UnaryOp::Sin: map([](M x) { return std::sin(x); }); return;
            case UnaryOp::Cos: map([](M x) { return std::cos(x); }); return;
            case UnaryOp::Tan: map([](M x) { return std::tan(x); }); return;
            case UnaryOp::Tanh: map([](M x) { return std::tanh(x); }); return;
            case UnaryOp::Sigmoid: map([](M x) { return M(1) / (M(1) + std::exp(-x)); }); return;
            case UnaryOp::Erf: map([](M x) { return std::erf(x); }); return;
            case UnaryOp::Erfinv: map([](M x) { return erfinv_value(x); }); return;
            case UnaryOp::Floor: map([](M x) { return std::floor(x); }); return;
            case UnaryOp::Ceil: map([](M x) { return std::ceil(x); }); return;
            case UnaryOp::Round: map([](M x) { return std::nearbyint(x); }); return;
            case UnaryOp::Trunc: map([](M x) { return std::trunc(x); }); return;
            case UnaryOp::IsNan: predicate([](M x) { return x != x; }); return;
            case UnaryOp::IsInf: predicate([](M x) { return std::isinf(x); }); return;
            case UnaryOp::IsFinite: predicate([](M x) { return std::isfinite(x); }); return;
            default: break;
        }
    } else {
        switch (op) {
            case UnaryOp::Floor: case UnaryOp::Ceil: case UnaryOp::Round: case UnaryOp::Trunc:
                map([](M x) { return x; });
                return;
            case UnaryOp::IsNan: case UnaryOp::IsInf: predicate([](M) { return false; }); return;
            case UnaryOp::IsFinite: predicate([](M) { return true; }); return;
            case UnaryOp::BitwiseNot:
                if constexpr (std::is_same_v<T, bool>) map([](bool x) { return !x; });
                else map([](M x) { return static_cast<M>(~x); });
                return;
            default: break;
        }
    }
    switch (op) {
        case UnaryOp::Neg:
            if constexpr (!std::is_same_v<T, bool>) map([](M x) { return wrapping_neg(x); });
            return;
        case UnaryOp::Abs:
            if constexpr (std::is_unsigned_v<M>) map([](M x) { return x; });
            else map([](M x) { return x < 0 ? wrapping_neg(x) : x; });
            return;
        case UnaryOp::Sign:
            if constexpr (std::is_same_v<T, bool>) map([](bool x) { return x; });
            else map([](M x) { return static_cast<M>((M(0) < x) - (x < M(0))); });
            return;
        case UnaryOp::Square:
            if constexpr (!std::is_same_v<T, bool>) map([](M x) { return wrapping_mul(x, x); });
            return;
        case UnaryOp::Relu:
            if constexpr (is_float_v<T>)
                map([](M x) { return x != x ? x : (x > M(0) ? x : M(0)); });
            else map([](M x) { return x > M(0) ? x : M(0); });
            return;
        case UnaryOp::LogicalNot:
            cpu_kernel<bool, T>(it, [](T a) { return !nonzero(a); });
            return;
        default:
            EMBER_ASSERT(false, "unary op reached a kernel for an unsupported dtype");
    }
}

void unary_kernel(TensorIterator& it, UnaryOp op) {
    visit_dtype(it.dtype(1), [&](auto tag) { unary_typed<typename decltype(tag)::type>(it, op); });
}

}  // namespace

void register_cpu_elementwise_kernels(Kernels& k) {
    k.unary = unary_kernel;
    k.binary = binary_kernel;
}

}  // namespace ember::detail

// CPU loop templates: dtype dispatch and the 1-D loops that every elementwise kernel runs.
//
// cpu_kernel<Out, In...>(iter, f) applies `Out f(In...)` over the iterator. The inner loop has
// three shapes: all operands dense (a plain indexed loop the compiler vectorises), an input
// broadcast as a scalar (hoisted out of the loop), and the general strided loop.
#pragma once

#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ember/core/error.h"
#include "ember/core/half.h"
#include "ops/tensor_iterator.h"

namespace ember::detail {

template <class T>
struct TypeTag {
    using type = T;
};

// Calls f(TypeTag<T>{}) for the C++ type of dtype.
template <class F>
decltype(auto) visit_dtype(DType dtype, F&& f) {
    switch (dtype) {
        case DType::Bool: return f(TypeTag<bool>{});
        case DType::UInt8: return f(TypeTag<uint8_t>{});
        case DType::Int8: return f(TypeTag<int8_t>{});
        case DType::Int16: return f(TypeTag<int16_t>{});
        case DType::Int32: return f(TypeTag<int32_t>{});
        case DType::Int64: return f(TypeTag<int64_t>{});
        case DType::Float16: return f(TypeTag<Half>{});
        case DType::BFloat16: return f(TypeTag<BFloat16>{});
        case DType::Float32: return f(TypeTag<float>{});
        case DType::Float64: return f(TypeTag<double>{});
    }
    EMBER_ASSERT(false, "unknown dtype");
    return f(TypeTag<float>{});
}

// The type arithmetic runs in: float for the 16-bit floats, the type itself otherwise.
template <class T>
using opmath_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

// Integer -, + and * wrap around in the operands' width, as PyTorch's do (elementwise ops,
// integer sums, products and scans). They are computed unsigned (at least int-wide, so that
// narrow types are not promoted back to signed int), since signed overflow is undefined
// behaviour in C++; the conversion back keeps the low bits.
template <class M>
using wrap_t = std::make_unsigned_t<std::common_type_t<M, int>>;
template <class M>
inline M wrapping_add(M a, M b) {
    if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>)
        return static_cast<M>(static_cast<wrap_t<M>>(a) + static_cast<wrap_t<M>>(b));
    else
        return static_cast<M>(a + b);
}
template <class M>
inline M wrapping_mul(M a, M b) {
    if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>)
        return static_cast<M>(static_cast<wrap_t<M>>(a) * static_cast<wrap_t<M>>(b));
    else
        return static_cast<M>(a * b);
}
template <class M>
inline M wrapping_neg(M a) {
    if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>)
        return static_cast<M>(wrap_t<M>(0) - static_cast<wrap_t<M>>(a));
    else
        return static_cast<M>(-a);
}

template <class T>
inline constexpr bool is_reduced_float_v = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

template <class T>
inline constexpr bool is_float_v = std::is_floating_point_v<T> || is_reduced_float_v<T>;

namespace loops {

template <class Out, class... In, class F, size_t... I>
inline void run_loop(F& f, char** data, const int64_t* strides, int64_t n,
                     std::index_sequence<I...>) {
    Out* out = reinterpret_cast<Out*>(data[0]);
    constexpr int64_t out_size = sizeof(Out);
    const bool dense = strides[0] == out_size && ((strides[I + 1] == int64_t(sizeof(In))) && ...);
    if (dense) {
        std::tuple<const In*...> in{reinterpret_cast<const In*>(data[I + 1])...};
        for (int64_t i = 0; i < n; ++i) out[i] = f(std::get<I>(in)[i]...);
        return;
    }
    if constexpr (sizeof...(In) == 1) {
        // The input broadcast along the loop (an expanded scalar): hoist it.
        using A = std::tuple_element_t<0, std::tuple<In...>>;
        if (strides[0] == out_size && strides[1] == 0) {
            const A a = *reinterpret_cast<const A*>(data[1]);
            for (int64_t i = 0; i < n; ++i) out[i] = f(a);
            return;
        }
    }
    if constexpr (sizeof...(In) == 2) {
        // One operand broadcast along the loop: hoist it.
        using A = std::tuple_element_t<0, std::tuple<In...>>;
        using B = std::tuple_element_t<1, std::tuple<In...>>;
        if (strides[0] == out_size && strides[1] == int64_t(sizeof(A)) && strides[2] == 0) {
            const A* a = reinterpret_cast<const A*>(data[1]);
            const B b = *reinterpret_cast<const B*>(data[2]);
            for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b);
            return;
        }
        if (strides[0] == out_size && strides[1] == 0 && strides[2] == int64_t(sizeof(B))) {
            const A a = *reinterpret_cast<const A*>(data[1]);
            const B* b = reinterpret_cast<const B*>(data[2]);
            for (int64_t i = 0; i < n; ++i) out[i] = f(a, b[i]);
            return;
        }
    }
    char* ptrs[] = {data[0], data[I + 1]...};
    for (int64_t i = 0; i < n; ++i) {
        *reinterpret_cast<Out*>(ptrs[0]) = f(*reinterpret_cast<const In*>(ptrs[I + 1])...);
        ptrs[0] += strides[0];
        ((ptrs[I + 1] += strides[I + 1]), ...);
    }
}

}  // namespace loops

// Applies f elementwise; operand 0 is the output (type Out), then one operand per In.
template <class Out, class... In, class F>
void cpu_kernel(const TensorIterator& iter, F f) {
    EMBER_ASSERT(iter.ntensors() == 1 + static_cast<int>(sizeof...(In)));
    iter.for_each([&](char** data, const int64_t* strides, int64_t n) {
        loops::run_loop<Out, In...>(f, data, strides, n, std::index_sequence_for<In...>{});
    });
}

}  // namespace ember::detail

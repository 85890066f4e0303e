// Element types (DType), their C++ types, and PyTorch's type-promotion rules.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "ember/core/half.h"

namespace ember {

enum class DType : uint8_t {
    Bool,
    UInt8,
    Int8,
    Int16,
    Int32,
    Int64,
    Float16,
    BFloat16,
    Float32,
    Float64,
};
inline constexpr int kNumDTypes = 10;

// The names users write, as in `torch.float32`: ember::float32.
inline constexpr DType bool_ = DType::Bool;
inline constexpr DType uint8 = DType::UInt8;
inline constexpr DType int8 = DType::Int8;
inline constexpr DType int16 = DType::Int16;
inline constexpr DType int32 = DType::Int32;
inline constexpr DType int64 = DType::Int64;
inline constexpr DType float16 = DType::Float16;
inline constexpr DType bfloat16 = DType::BFloat16;
inline constexpr DType float32 = DType::Float32;
inline constexpr DType float64 = DType::Float64;
inline constexpr DType half = DType::Float16;
inline constexpr DType float_ = DType::Float32;
inline constexpr DType double_ = DType::Float64;
inline constexpr DType long_ = DType::Int64;
inline constexpr DType int_ = DType::Int32;

constexpr bool is_floating_point(DType t) {
    return t == DType::Float16 || t == DType::BFloat16 || t == DType::Float32 ||
           t == DType::Float64;
}
constexpr bool is_integral(DType t, bool include_bool = false) {
    return (t >= DType::UInt8 && t <= DType::Int64) || (include_bool && t == DType::Bool);
}
constexpr int64_t element_size(DType t) {
    constexpr int8_t sizes[kNumDTypes] = {1, 1, 1, 2, 4, 8, 2, 2, 4, 8};
    return sizes[static_cast<int>(t)];
}

// PyTorch's name without the module: "Float", "Long", ... (used in error messages, as PyTorch does).
const char* dtype_short_name(DType t);
// "torch.float32"-style name without the "torch." prefix: "float32", "int64", ...
const char* dtype_name(DType t);
std::ostream& operator<<(std::ostream& os, DType t);

// torch.promote_types: the smallest type both a and b convert to without losing category.
DType promote_types(DType a, DType b);

// Whether a result of dtype `from` may be written in place into `to` (PyTorch's can_cast:
// never to a lower category, e.g. float into int or int into bool).
bool can_cast(DType from, DType to);

// The default floating dtype (float32, as torch.get_default_dtype()).
DType default_dtype();

template <class T> struct CppTypeToDType;
template <> struct CppTypeToDType<bool> { static constexpr DType value = DType::Bool; };
template <> struct CppTypeToDType<uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct CppTypeToDType<int8_t> { static constexpr DType value = DType::Int8; };
template <> struct CppTypeToDType<int16_t> { static constexpr DType value = DType::Int16; };
template <> struct CppTypeToDType<int32_t> { static constexpr DType value = DType::Int32; };
template <> struct CppTypeToDType<int64_t> { static constexpr DType value = DType::Int64; };
template <> struct CppTypeToDType<Half> { static constexpr DType value = DType::Float16; };
template <> struct CppTypeToDType<BFloat16> { static constexpr DType value = DType::BFloat16; };
template <> struct CppTypeToDType<float> { static constexpr DType value = DType::Float32; };
template <> struct CppTypeToDType<double> { static constexpr DType value = DType::Float64; };
template <class T> inline constexpr DType dtype_of = CppTypeToDType<T>::value;

}  // namespace ember

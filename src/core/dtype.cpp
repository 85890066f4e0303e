// DType names and promotion tables.
#include "ember/core/dtype.h"

#include <ostream>

namespace ember {

const char* dtype_short_name(DType t) {
    static const char* names[kNumDTypes] = {"Bool", "Byte", "Char",  "Short", "Int",
                                            "Long", "Half", "BFloat16", "Float", "Double"};
    return names[static_cast<int>(t)];
}

const char* dtype_name(DType t) {
    static const char* names[kNumDTypes] = {"bool",    "uint8",    "int8",    "int16",  "int32",
                                            "int64",   "float16",  "bfloat16", "float32", "float64"};
    return names[static_cast<int>(t)];
}

std::ostream& operator<<(std::ostream& os, DType t) { return os << dtype_name(t); }

DType promote_types(DType a, DType b) {
    if (a == b) return a;
    // Table order: b1 u1 i1 i2 i4 i8 f2 bf f4 f8 (PyTorch's promotion lattice).
    using D = DType;
    constexpr D b1 = D::Bool, u1 = D::UInt8, i1 = D::Int8, i2 = D::Int16, i4 = D::Int32,
                i8 = D::Int64, f2 = D::Float16, bf = D::BFloat16, f4 = D::Float32,
                f8 = D::Float64;
    static constexpr D table[kNumDTypes][kNumDTypes] = {
        /* b1 */ {b1, u1, i1, i2, i4, i8, f2, bf, f4, f8},
        /* u1 */ {u1, u1, i2, i2, i4, i8, f2, bf, f4, f8},
        /* i1 */ {i1, i2, i1, i2, i4, i8, f2, bf, f4, f8},
        /* i2 */ {i2, i2, i2, i2, i4, i8, f2, bf, f4, f8},
        /* i4 */ {i4, i4, i4, i4, i4, i8, f2, bf, f4, f8},
        /* i8 */ {i8, i8, i8, i8, i8, i8, f2, bf, f4, f8},
        /* f2 */ {f2, f2, f2, f2, f2, f2, f2, f4, f4, f8},
        /* bf */ {bf, bf, bf, bf, bf, bf, f4, bf, f4, f8},
        /* f4 */ {f4, f4, f4, f4, f4, f4, f4, f4, f4, f8},
        /* f8 */ {f8, f8, f8, f8, f8, f8, f8, f8, f8, f8},
    };
    return table[static_cast<int>(a)][static_cast<int>(b)];
}

static int category(DType t) {
    if (t == DType::Bool) return 0;
    if (is_integral(t)) return 1;
    return 2;
}

bool can_cast(DType from, DType to) { return category(from) <= category(to); }

DType default_dtype() { return DType::Float32; }

}  // namespace ember

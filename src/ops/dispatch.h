// The kernel table: one slot per kernel family, one table per device type.
//
// Op definitions (src/ops/) check arguments once, device-independently, then call the kernel
// for the operands' device through this table. Backends fill their table from an explicit
// registration function (register_cpu_kernels, register_cuda_kernels), called the first time
// a table is used: never from static initializers, which break static linking.
#pragma once

#include <cstdint>

#include "ember/core/device.h"
#include "ember/core/dtype.h"
#include "ember/core/scalar.h"

namespace ember {
class Tensor;
}

namespace ember::detail {

class TensorIterator;

enum class UnaryOp : uint8_t {
    Neg, Abs, Sign, Reciprocal, Exp, Exp2, Log, Log2, Log10, Log1p, Expm1, Sqrt, Rsqrt, Square,
    Sin, Cos, Tan, Tanh, Sigmoid, Relu, Erf, Floor, Ceil, Round, Trunc,
    LogicalNot, BitwiseNot, IsNan, IsInf, IsFinite,
};

enum class BinaryOp : uint8_t {
    Add,  // a + alpha * b
    Sub,  // a - alpha * b
    Mul, Div, DivTrunc, DivFloor, Remainder, Fmod, Pow, Maximum, Minimum, Atan2,
    Eq, Ne, Lt, Le, Gt, Ge,
    LogicalAnd, LogicalOr, LogicalXor, BitwiseAnd, BitwiseOr, BitwiseXor,
};

enum class ReduceOp : uint8_t { Sum, Prod, Max, Min, All, Any };

struct Kernels {
    bool registered = false;
    // Elementwise (operands: out, inputs...; all of the iterator's computation dtype except
    // comparison/logical outputs, which are bool).
    void (*unary)(TensorIterator&, UnaryOp) = nullptr;
    void (*binary)(TensorIterator&, BinaryOp, const Scalar& alpha) = nullptr;
    // out = src converted to out's dtype (mixed dtypes).
    void (*copy)(TensorIterator&) = nullptr;
    // out = value (one operand).
    void (*fill)(TensorIterator&, const Scalar& value) = nullptr;
    // out = cond ? a : b (cond is bool).
    void (*where)(TensorIterator&) = nullptr;
    // out = clamp(a, lo, hi) with optional bounds as operands 2 and 3 (nullptr-free: the
    // flags say which are present).
    void (*clamp)(TensorIterator&, bool has_min, bool has_max) = nullptr;
    // Reduction over an iterator built by TensorIterator::reduction.
    void (*reduce)(TensorIterator&, ReduceOp) = nullptr;
    // (new kernel slots go above this line, one block per family, each with a comment)
};

// The table for a device (throws a clear error when ember was built without that backend).
const Kernels& kernels(Device device);

void register_cpu_kernels(Kernels& table);
#ifdef EMBER_WITH_CUDA
void register_cuda_kernels(Kernels& table);
#endif

}  // namespace ember::detail

// Elementwise op definitions: argument checks, result dtypes, then the device kernel.
// The arithmetic itself is in src/cpu/elementwise_kernels.cpp (and its CUDA twin).
#include "ember/ops/elementwise.h"

#include <cmath>

#include "autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/core/parallel.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/tensor_iterator.h"
#include "ops/sparse_ops.h"
#include "ops/util.h"

namespace ember {

using detail::BinaryOp;
using detail::IteratorConfig;
using detail::TensorIterator;
using detail::UnaryOp;

// ---- promotion ------------------------------------------------------------------------------

DType result_type(const Tensor& a, const Tensor& b) {
    a.check_defined("result_type");
    b.check_defined("result_type");
    detail::DTypeGroups g;
    g.add(a.dtype(), a.dim(), false);
    g.add(b.dtype(), b.dim(), false);
    return g.result();
}

DType result_type(const Tensor& a, const Scalar& b) {
    a.check_defined("result_type");
    detail::DTypeGroups g;
    g.add(a.dtype(), a.dim(), false);
    g.add(b.dtype(), 0, true);
    return g.result();
}

DType result_type(const Scalar& a, const Tensor& b) { return result_type(b, a); }

DimVector broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op) {
    size_t nd = std::max(a.size(), b.size());
    DimVector r(nd, 1);
    for (size_t k = nd; k-- > 0;) {  // from the right, so the first mismatch named is PyTorch's
        int64_t x = k < nd - a.size() ? 1 : a[k - (nd - a.size())];
        int64_t y = k < nd - b.size() ? 1 : b[k - (nd - b.size())];
        EMBER_CHECK(x == y || x == 1 || y == 1, op, ": The size of tensor a (", x,
                    ") must match the size of tensor b (", y, ") at non-singleton dimension ", k,
                    " (shapes ", shape_str(a), " and ", shape_str(b), ")");
        r[k] = x == 1 ? y : x;
    }
    return r;
}

// ---- binary ---------------------------------------------------------------------------------

namespace {

enum class Kind { Arith, TrueDiv, Compare, Logical, Bitwise, FloatOnly };

const char* binary_name(BinaryOp op) {
    switch (op) {
        case BinaryOp::Add: return "add";
        case BinaryOp::Sub: return "sub";
        case BinaryOp::Mul: return "mul";
        case BinaryOp::Div: return "div";
        case BinaryOp::DivTrunc: return "div(rounding_mode='trunc')";
        case BinaryOp::DivFloor: return "floor_divide";
        case BinaryOp::Remainder: return "remainder";
        case BinaryOp::Fmod: return "fmod";
        case BinaryOp::Pow: return "pow";
        case BinaryOp::Maximum: return "maximum";
        case BinaryOp::Minimum: return "minimum";
        case BinaryOp::Atan2: return "atan2";
        case BinaryOp::Eq: return "eq";
        case BinaryOp::Ne: return "ne";
        case BinaryOp::Lt: return "lt";
        case BinaryOp::Le: return "le";
        case BinaryOp::Gt: return "gt";
        case BinaryOp::Ge: return "ge";
        case BinaryOp::LogicalAnd: return "logical_and";
        case BinaryOp::LogicalOr: return "logical_or";
        case BinaryOp::LogicalXor: return "logical_xor";
        case BinaryOp::BitwiseAnd: return "bitwise_and";
        case BinaryOp::BitwiseOr: return "bitwise_or";
        case BinaryOp::BitwiseXor: return "bitwise_xor";
        case BinaryOp::ReluGrad: return "threshold_backward";
    }
    return "binary op";
}

Kind binary_kind(BinaryOp op) {
    switch (op) {
        case BinaryOp::Div: return Kind::TrueDiv;
        case BinaryOp::Atan2: return Kind::FloatOnly;
        case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt:
        case BinaryOp::Le: case BinaryOp::Gt: case BinaryOp::Ge: return Kind::Compare;
        case BinaryOp::LogicalAnd: case BinaryOp::LogicalOr:
        case BinaryOp::LogicalXor: return Kind::Logical;
        case BinaryOp::BitwiseAnd: case BinaryOp::BitwiseOr:
        case BinaryOp::BitwiseXor: return Kind::Bitwise;
        default: return Kind::Arith;
    }
}

// a op b for the four arithmetic ops, element by element.
template <class T>
void same_shape_loop(BinaryOp op, const T* x, const T* y, T* o, int64_t n) {
    switch (op) {
        case BinaryOp::Add: for (int64_t i = 0; i < n; ++i) o[i] = x[i] + y[i]; break;
        case BinaryOp::Sub: for (int64_t i = 0; i < n; ++i) o[i] = x[i] - y[i]; break;
        case BinaryOp::Mul: for (int64_t i = 0; i < n; ++i) o[i] = x[i] * y[i]; break;
        default: for (int64_t i = 0; i < n; ++i) o[i] = x[i] / y[i]; break;
    }
}

// a + b, a - b (alpha 1), a * b or a / b of two contiguous tensors of one shape and one
// floating dtype on the CPU, small enough for one thread, into a new tensor: the loop without
// the iterator's setup, which is most of the time of an op on a few elements. Each element
// is the same single IEEE operation the kernel does. Undefined when the case is another.
Tensor small_same_shape(BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out,
                        const Scalar& alpha, bool wrapped) {
    const bool arithmetic = op == BinaryOp::Add || op == BinaryOp::Sub ||
                            op == BinaryOp::Mul || op == BinaryOp::Div;
    const DType dtype = a.dtype();
    if (!arithmetic || out.defined() || wrapped || b.dtype() != dtype ||
        (dtype != DType::Float32 && dtype != DType::Float64) || !a.is_cpu() || !b.is_cpu() ||
        alpha.is_bool() || alpha.to_double() != 1.0 || a.numel() > kGrainSize ||
        a.sizes() != b.sizes() || !a.is_contiguous() || !b.is_contiguous())
        return {};
    const int64_t n = a.numel();
    Tensor result = detail::empty_contiguous(a.sizes(), n, dtype, a.device());
    if (dtype == DType::Float32)
        same_shape_loop(op, a.data_ptr<float>(), b.data_ptr<float>(), result.data_ptr<float>(), n);
    else
        same_shape_loop(op, a.data_ptr<double>(), b.data_ptr<double>(), result.data_ptr<double>(),
                        n);
    return result;
}

// Runs `op` on (a, b) into `out` (undefined: allocated). `b_is_scalar`: b wraps a number.
Tensor run_binary(BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out,
                  const Scalar& alpha = 1, bool b_is_scalar = false, bool a_is_scalar = false) {
    const char* name = binary_name(op);
    a.check_defined(name);
    b.check_defined(name);
    if (op == BinaryOp::Sub && (a.dtype() == DType::Bool || b.dtype() == DType::Bool)) {
        if (a.dtype() == b.dtype())
            EMBER_ERROR("Subtraction, the `-` operator, with two bool tensors is not supported. "
                        "Use the `^` or `logical_xor()` operator instead.");
        EMBER_ERROR("Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                    "are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    if (Tensor r = small_same_shape(op, a, b, out, alpha, a_is_scalar || b_is_scalar);
        r.defined())
        return r;
    Kind kind = binary_kind(op);
    IteratorConfig cfg{.op = name};
    if (kind == Kind::TrueDiv || kind == Kind::FloatOnly) cfg.promote_integer_to_float = true;
    if (kind == Kind::Compare || kind == Kind::Logical) cfg.output_dtype = DType::Bool;
    TensorIterator it;
    it.add_output(out);
    it.add_input(a, a_is_scalar);
    it.add_input(b, b_is_scalar);
    it.build(cfg);
    DType common = it.common_dtype();
    if (kind == Kind::Bitwise)
        EMBER_CHECK(!is_floating_point(common), name, ": not implemented for '",
                    dtype_short_name(common), "' (operands ", detail::describe(a), " and ",
                    detail::describe(b), "): bitwise ops need integer or bool tensors");
    if (op == BinaryOp::Add || op == BinaryOp::Sub) {
        EMBER_CHECK(!alpha.is_bool() || common == DType::Bool,
                    "Boolean alpha only supported for Boolean results (", name, " on ", common, ")");
        EMBER_CHECK(is_floating_point(common) || !alpha.is_floating_point(),
                    "For integral input tensors, argument alpha must not be a floating point "
                    "number (", name, " on ", common, ")");
    }
    if (op == BinaryOp::Pow)
        EMBER_CHECK(common != DType::Bool, "pow: not implemented for 'Bool' (operands ",
                    detail::describe(a), " and ", detail::describe(b), ")");
    if (it.numel() > 0) {
        try {
            detail::kernels(it.device()).binary(it, op, alpha);
        } catch (const Error& e) {
            // The kernel finds integer division by zero and negative integer powers; name the op.
            EMBER_ERROR(name, ": ", e.what(), " (operands ", detail::describe(a), " and ",
                        detail::describe(b), ")");
        }
    }
    it.finish();
    Tensor result = it.take_output();
    if (out.defined()) out.storage()->bump_version();
    return result;
}

Tensor wrap(const Scalar& s, const Tensor& like) {
    return detail::wrapped_scalar(s, like.defined() ? like.device() : kCPU);
}

BinaryOp rounding_op(std::string_view mode) {
    if (mode.empty()) return BinaryOp::Div;
    if (mode == "trunc") return BinaryOp::DivTrunc;
    if (mode == "floor") return BinaryOp::DivFloor;
    EMBER_ERROR("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '",
                mode, "'");
}

}  // namespace

// Each differentiable op records its backward formula right after computing the result (see
// src/autograd/function.h). Formulas may return gradients of the broadcast shape: the engine
// sums them down to each input's shape.
using autograd::BackwardContext;

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
    if (a.is_sparse() || b.is_sparse()) [[unlikely]]
        return detail::sparse_add(a, b, alpha);
    Tensor out = run_binary(BinaryOp::Add, a, b, {}, alpha);
    if (autograd::needs_grad(a, b))
        autograd::record("AddBackward0", {a, b}, {out}, {}, [alpha](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            return TensorList{g, !ctx.needs(1) ? Tensor() : alpha.to_double() == 1.0 ? g : g * alpha};
        });
    return out;
}
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) {
    Tensor out = run_binary(BinaryOp::Add, a, wrap(b, a), {}, alpha, true);
    if (autograd::needs_grad(a))
        autograd::record("AddBackward1", {a}, {out}, {},
                         [](BackwardContext& ctx) { return TensorList{ctx.grad()}; });
    return out;
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
    Tensor out = run_binary(BinaryOp::Sub, a, b, {}, alpha);
    if (autograd::needs_grad(a, b))
        autograd::record("SubBackward0", {a, b}, {out}, {}, [alpha](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            return TensorList{g, !ctx.needs(1) ? Tensor() : alpha.to_double() == 1.0 ? -g : g * (-alpha)};
        });
    return out;
}
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
    Tensor out = run_binary(BinaryOp::Sub, a, wrap(b, a), {}, alpha, true);
    if (autograd::needs_grad(a))
        autograd::record("SubBackward1", {a}, {out}, {},
                         [](BackwardContext& ctx) { return TensorList{ctx.grad()}; });
    return out;
}
Tensor rsub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
    Tensor out = run_binary(BinaryOp::Sub, wrap(b, a), a, {}, alpha, false, true);
    if (autograd::needs_grad(a))
        autograd::record("RsubBackward1", {a}, {out}, {}, [alpha](BackwardContext& ctx) {
            return TensorList{alpha.to_double() == 1.0 ? -ctx.grad() : ctx.grad() * (-alpha)};
        });
    return out;
}
Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Mul, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("MulBackward0", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            return TensorList{ctx.needs(0) ? g * ctx.saved(1) : Tensor(),
                              ctx.needs(1) ? g * ctx.saved(0) : Tensor()};
        });
    return out;
}
Tensor mul(const Tensor& a, const Scalar& b) {
    Tensor out = run_binary(BinaryOp::Mul, a, wrap(b, a), {}, 1, true);
    if (autograd::needs_grad(a))
        autograd::record("MulBackward1", {a}, {out}, {},
                         [b](BackwardContext& ctx) { return TensorList{ctx.grad() * b}; });
    return out;
}
Tensor div(const Tensor& a, const Tensor& b, std::string_view mode) {
    BinaryOp op = rounding_op(mode);
    Tensor out = run_binary(op, a, b, {});
    if (op == BinaryOp::Div && autograd::needs_grad(a, b))
        autograd::record("DivBackward0", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor b_ = ctx.saved(1);
            return TensorList{ctx.needs(0) ? g / b_ : Tensor(),
                              ctx.needs(1) ? -g * ctx.saved(0) / (b_ * b_) : Tensor()};
        });
    else if (op != BinaryOp::Div && autograd::needs_grad(a, b))  // piecewise constant
        autograd::record("DivBackward2", {a, b}, {out}, {}, [](BackwardContext& ctx) {
            return TensorList{ctx.needs(0) ? zeros_like(ctx.grad()) : Tensor(),
                              ctx.needs(1) ? zeros_like(ctx.grad()) : Tensor()};
        });
    return out;
}
Tensor div(const Tensor& a, const Scalar& b, std::string_view mode) {
    BinaryOp op = rounding_op(mode);
    Tensor out = run_binary(op, a, wrap(b, a), {}, 1, true);
    if (autograd::needs_grad(a))
        autograd::record(op == BinaryOp::Div ? "DivBackward1" : "DivBackward3", {a}, {out}, {},
                         [b, op](BackwardContext& ctx) {
                             return TensorList{op == BinaryOp::Div ? ctx.grad() / b
                                                                   : zeros_like(ctx.grad())};
                         });
    return out;
}
// PyTorch computes `scalar / tensor` as tensor.reciprocal() * scalar (ATen's operator/), which
// fixes both its rounding and its graph (ReciprocalBackward0, then MulBackward1).
Tensor div(const Scalar& a, const Tensor& b) {
    b.check_defined("div");
    return mul(reciprocal(b), a);
}
// floor_divide has no derivative in PyTorch: its result is still part of the graph, under a node
// that fails when backward reaches it.
namespace {
void record_not_implemented(const char* op, const Tensor& a, const Tensor& b, const Tensor& out) {
    if (autograd::needs_grad(a, b))
        autograd::record("NotImplemented", {a, b}, {out}, {}, [op](BackwardContext&) -> TensorList {
            EMBER_ERROR("derivative for aten::", op, " is not implemented");
        });
}
}  // namespace
Tensor floor_divide(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::DivFloor, a, b, {});
    record_not_implemented("floor_divide", a, b, out);
    return out;
}
Tensor floor_divide(const Tensor& a, const Scalar& b) {
    Tensor out = run_binary(BinaryOp::DivFloor, a, wrap(b, a), {}, 1, true);
    record_not_implemented("floor_divide", a, Tensor(), out);
    return out;
}
// remainder and fmod: d/da = 1; d/db = -(a / b rounded), floor for remainder, trunc for fmod.
Tensor remainder(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Remainder, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("RemainderBackward1", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            return TensorList{g, ctx.needs(1) ? -g * ember::div(ctx.saved(0), ctx.saved(1), "floor")
                                              : Tensor()};
        });
    return out;
}
Tensor remainder(const Tensor& a, const Scalar& b) {
    Tensor out = run_binary(BinaryOp::Remainder, a, wrap(b, a), {}, 1, true);
    if (autograd::needs_grad(a))
        autograd::record("RemainderBackward0", {a}, {out}, {},
                         [](BackwardContext& ctx) { return TensorList{ctx.grad()}; });
    return out;
}
Tensor fmod(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Fmod, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("FmodBackward1", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            return TensorList{g, ctx.needs(1) ? -g * ember::div(ctx.saved(0), ctx.saved(1), "trunc")
                                              : Tensor()};
        });
    return out;
}
Tensor fmod(const Tensor& a, const Scalar& b) {
    Tensor out = run_binary(BinaryOp::Fmod, a, wrap(b, a), {}, 1, true);
    if (autograd::needs_grad(a))
        autograd::record("FmodBackward0", {a}, {out}, {},
                         [](BackwardContext& ctx) { return TensorList{ctx.grad()}; });
    return out;
}

// pow's gradients, as PyTorch's pow_backward*: d/dbase = e * base^(e-1), 0 where e == 0 (so
// x**0 has gradient 0 even at x = 0); d/dexp = result * log(base), 0 where base == 0 and e >= 0
// (the limit from the right, instead of 0 * -inf = nan).
Tensor pow(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Pow, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("PowBackward1", {a, b}, {out},
                         {a, b, autograd::needs_grad(b) ? out : Tensor()},
                         [](BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             Tensor base = ctx.saved(0), e = ctx.saved(1);
                             Tensor gb, ge;
                             if (ctx.needs(0))
                                 gb = where(e == 0.0, 0.0, g * (e * base.pow(e - 1)));
                             if (ctx.needs(1)) {
                                 Tensor result = ctx.saved(2);
                                 Tensor at_zero = logical_and(base == 0.0, e >= 0.0);
                                 Tensor log_base = base.to(result.dtype()).log();
                                 ge = g * where(at_zero, 0.0, result * log_base);
                             }
                             return TensorList{gb, ge};
                         });
    return out;
}
Tensor pow(const Tensor& a, const Scalar& b) {
    Tensor out = run_binary(BinaryOp::Pow, a, wrap(b, a), {}, 1, true);
    if (autograd::needs_grad(a))
        autograd::record("PowBackward0", {a}, {out}, {a}, [b](BackwardContext& ctx) {
            const double e = b.to_double();
            if (e == 0.0) return TensorList{zeros_like(ctx.grad())};
            return TensorList{ctx.grad() * (ctx.saved(0).pow(e - 1) * e)};
        });
    return out;
}
Tensor pow(const Scalar& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Pow, wrap(a, b), b, {}, 1, false, true);
    if (autograd::needs_grad(b))
        autograd::record("PowBackward2", {b}, {out}, {b, out}, [a](BackwardContext& ctx) {
            Tensor d = ctx.saved(1) * std::log(a.to_double());
            if (a.to_double() == 0.0) d = where(ctx.saved(0) >= 0.0, 0.0, d);
            return TensorList{ctx.grad() * d};
        });
    return out;
}
// Elementwise max/min: the gradient goes to the larger (smaller) input, split in half on ties.
Tensor maximum(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Maximum, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("MaximumBackward0", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor x = ctx.saved(0), y = ctx.saved(1);
            Tensor split = where(x == y, g / 2, g);
            return TensorList{ctx.needs(0) ? where(x < y, 0.0, split) : Tensor(),
                              ctx.needs(1) ? where(x > y, 0.0, split) : Tensor()};
        });
    return out;
}
Tensor minimum(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Minimum, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("MinimumBackward0", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor x = ctx.saved(0), y = ctx.saved(1);
            Tensor split = where(x == y, g / 2, g);
            return TensorList{ctx.needs(0) ? where(x > y, 0.0, split) : Tensor(),
                              ctx.needs(1) ? where(x < y, 0.0, split) : Tensor()};
        });
    return out;
}
Tensor atan2(const Tensor& a, const Tensor& b) {
    Tensor out = run_binary(BinaryOp::Atan2, a, b, {});
    if (autograd::needs_grad(a, b))
        autograd::record("Atan2Backward0", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            Tensor y = ctx.saved(0), x = ctx.saved(1);
            Tensor recip = (y * y + x * x).reciprocal();
            return TensorList{ctx.needs(0) ? g * x * recip : Tensor(),
                              ctx.needs(1) ? g * -y * recip : Tensor()};
        });
    return out;
}

#define EMBER_DEFINE_COMPARE(name, OP)                                                  \
    Tensor name(const Tensor& a, const Tensor& b) { return run_binary(OP, a, b, {}); }  \
    Tensor name(const Tensor& a, const Scalar& b) {                                     \
        return run_binary(OP, a, wrap(b, a), {}, 1, true);                              \
    }                                                                                   \
    Tensor Tensor::name(const Tensor& o) const { return ember::name(*this, o); }        \
    Tensor Tensor::name(const Scalar& o) const { return ember::name(*this, o); }
EMBER_DEFINE_COMPARE(eq, BinaryOp::Eq)
EMBER_DEFINE_COMPARE(ne, BinaryOp::Ne)
EMBER_DEFINE_COMPARE(lt, BinaryOp::Lt)
EMBER_DEFINE_COMPARE(le, BinaryOp::Le)
EMBER_DEFINE_COMPARE(gt, BinaryOp::Gt)
EMBER_DEFINE_COMPARE(ge, BinaryOp::Ge)
#undef EMBER_DEFINE_COMPARE

Tensor logical_and(const Tensor& a, const Tensor& b) { return run_binary(BinaryOp::LogicalAnd, a, b, {}); }
Tensor logical_or(const Tensor& a, const Tensor& b) { return run_binary(BinaryOp::LogicalOr, a, b, {}); }
Tensor logical_xor(const Tensor& a, const Tensor& b) { return run_binary(BinaryOp::LogicalXor, a, b, {}); }
Tensor bitwise_and(const Tensor& a, const Tensor& b) { return run_binary(BinaryOp::BitwiseAnd, a, b, {}); }
Tensor bitwise_or(const Tensor& a, const Tensor& b) { return run_binary(BinaryOp::BitwiseOr, a, b, {}); }
Tensor bitwise_xor(const Tensor& a, const Tensor& b) { return run_binary(BinaryOp::BitwiseXor, a, b, {}); }

// Methods and in-place forms.
Tensor Tensor::add(const Tensor& o, const Scalar& alpha) const { return ember::add(*this, o, alpha); }
Tensor Tensor::add(const Scalar& o, const Scalar& alpha) const { return ember::add(*this, o, alpha); }
Tensor& Tensor::add_(const Tensor& o, const Scalar& alpha) {
    if (is_sparse() || o.is_sparse()) [[unlikely]] {
        detail::sparse_add_(*this, o, alpha);
        return *this;
    }
    return autograd::inplace_op(
        *this, "add_", autograd::needs_grad(*this, o), [&] { return ember::add(*this, o, alpha); },
        [&] { run_binary(BinaryOp::Add, *this, o, *this, alpha); });
}
Tensor& Tensor::add_(const Scalar& o, const Scalar& alpha) {
    return autograd::inplace_op(
        *this, "add_", autograd::needs_grad(*this), [&] { return ember::add(*this, o, alpha); },
        [&] { run_binary(BinaryOp::Add, *this, wrap(o, *this), *this, alpha, true); });
}
Tensor Tensor::sub(const Tensor& o, const Scalar& alpha) const { return ember::sub(*this, o, alpha); }
Tensor Tensor::sub(const Scalar& o, const Scalar& alpha) const { return ember::sub(*this, o, alpha); }
Tensor& Tensor::sub_(const Tensor& o, const Scalar& alpha) {
    return autograd::inplace_op(
        *this, "sub_", autograd::needs_grad(*this, o), [&] { return ember::sub(*this, o, alpha); },
        [&] { run_binary(BinaryOp::Sub, *this, o, *this, alpha); });
}
Tensor& Tensor::sub_(const Scalar& o, const Scalar& alpha) {
    return autograd::inplace_op(
        *this, "sub_", autograd::needs_grad(*this), [&] { return ember::sub(*this, o, alpha); },
        [&] { run_binary(BinaryOp::Sub, *this, wrap(o, *this), *this, alpha, true); });
}
Tensor Tensor::mul(const Tensor& o) const { return ember::mul(*this, o); }
Tensor Tensor::mul(const Scalar& o) const { return ember::mul(*this, o); }
Tensor& Tensor::mul_(const Tensor& o) {
    return autograd::inplace_op(
        *this, "mul_", autograd::needs_grad(*this, o),
        [&] {
            // o's gradient reads self's old value: compute from a copy of it (see pow_).
            if (!autograd::needs_grad(o)) return ember::mul(*this, o);
            Tensor old = clone();
            return ember::mul(old, o.is_same(*this) ? old : o);
        },
        [&] { run_binary(BinaryOp::Mul, *this, o, *this); });
}
Tensor& Tensor::mul_(const Scalar& o) {
    if (is_sparse()) [[unlikely]] {
        detail::sparse_scale_(*this, o, /*divide=*/false);
        return *this;
    }
    return autograd::inplace_op(
        *this, "mul_", autograd::needs_grad(*this), [&] { return ember::mul(*this, o); },
        [&] { run_binary(BinaryOp::Mul, *this, wrap(o, *this), *this, 1, true); });
}
Tensor Tensor::div(const Tensor& o) const { return ember::div(*this, o); }
Tensor Tensor::div(const Scalar& o) const { return ember::div(*this, o); }
Tensor& Tensor::div_(const Tensor& o) {
    return autograd::inplace_op(
        *this, "div_", autograd::needs_grad(*this, o),
        [&] {
            if (!autograd::needs_grad(o)) return ember::div(*this, o);
            Tensor old = clone();
            return ember::div(old, o.is_same(*this) ? old : o);
        },
        [&] { run_binary(BinaryOp::Div, *this, o, *this); });
}
Tensor& Tensor::div_(const Scalar& o) {
    if (is_sparse()) [[unlikely]] {
        detail::sparse_scale_(*this, o, /*divide=*/true);
        return *this;
    }
    return autograd::inplace_op(
        *this, "div_", autograd::needs_grad(*this), [&] { return ember::div(*this, o); },
        [&] { run_binary(BinaryOp::Div, *this, wrap(o, *this), *this, 1, true); });
}
Tensor Tensor::pow(const Tensor& e) const { return ember::pow(*this, e); }
Tensor Tensor::pow(const Scalar& e) const { return ember::pow(*this, e); }
Tensor& Tensor::pow_(const Scalar& e) {
    return autograd::inplace_op(
        *this, "pow_", autograd::needs_grad(*this),
        // The formula reads self's old value, which the in-place write replaces: it is computed
        // from a copy (PyTorch's `original_self`), part of the graph as CloneBackward0.
        [&] { return ember::pow(clone(), e); },
        [&] { run_binary(BinaryOp::Pow, *this, wrap(e, *this), *this, 1, true); });
}
Tensor Tensor::remainder(const Tensor& o) const { return ember::remainder(*this, o); }
Tensor Tensor::remainder(const Scalar& o) const { return ember::remainder(*this, o); }
Tensor Tensor::floor_divide(const Tensor& o) const { return ember::floor_divide(*this, o); }
Tensor Tensor::floor_divide(const Scalar& o) const { return ember::floor_divide(*this, o); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, b); }
Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, a); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, b); }
Tensor operator-(const Scalar& a, const Tensor& b) { return rsub(b, a); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, b); }
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, a); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, b); }
Tensor operator/(const Scalar& a, const Tensor& b) { return div(a, b); }
Tensor operator%(const Tensor& a, const Tensor& b) { return remainder(a, b); }
Tensor operator%(const Tensor& a, const Scalar& b) { return remainder(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor& operator+=(Tensor& a, const Tensor& b) { return a.add_(b); }
Tensor& operator+=(Tensor& a, const Scalar& b) { return a.add_(b); }
Tensor& operator-=(Tensor& a, const Tensor& b) { return a.sub_(b); }
Tensor& operator-=(Tensor& a, const Scalar& b) { return a.sub_(b); }
Tensor& operator*=(Tensor& a, const Tensor& b) { return a.mul_(b); }
Tensor& operator*=(Tensor& a, const Scalar& b) { return a.mul_(b); }
Tensor& operator/=(Tensor& a, const Tensor& b) { return a.div_(b); }
Tensor& operator/=(Tensor& a, const Scalar& b) { return a.div_(b); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator==(const Tensor& a, const Scalar& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator!=(const Tensor& a, const Scalar& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<(const Tensor& a, const Scalar& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator<=(const Tensor& a, const Scalar& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>(const Tensor& a, const Scalar& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator>=(const Tensor& a, const Scalar& b) { return ge(a, b); }
Tensor operator&(const Tensor& a, const Tensor& b) { return bitwise_and(a, b); }
Tensor operator|(const Tensor& a, const Tensor& b) { return bitwise_or(a, b); }
Tensor operator^(const Tensor& a, const Tensor& b) { return bitwise_xor(a, b); }
Tensor operator~(const Tensor& a) { return bitwise_not(a); }

// ---- unary ----------------------------------------------------------------------------------

namespace {

struct UnaryInfo {
    const char* name;
    bool to_float;     // integer inputs compute in the default float dtype
    bool bool_output;  // result is bool (logical_not, isnan...)
    bool no_bool;      // bool input is an error
};

UnaryInfo unary_info(UnaryOp op) {
    switch (op) {
        case UnaryOp::Neg: return {"neg", false, false, true};
        case UnaryOp::Abs: return {"abs", false, false, true};
        case UnaryOp::Sign: return {"sign", false, false, false};
        case UnaryOp::Reciprocal: return {"reciprocal", true, false, false};
        case UnaryOp::Exp: return {"exp", true, false, false};
        case UnaryOp::Exp2: return {"exp2", true, false, false};
        case UnaryOp::Log: return {"log", true, false, false};
        case UnaryOp::Log2: return {"log2", true, false, false};
        case UnaryOp::Log10: return {"log10", true, false, false};
        case UnaryOp::Log1p: return {"log1p", true, false, false};
        case UnaryOp::Expm1: return {"expm1", true, false, false};
        case UnaryOp::Sqrt: return {"sqrt", true, false, false};
        case UnaryOp::Rsqrt: return {"rsqrt", true, false, false};
        case UnaryOp::Square: return {"square", false, false, false};
        case UnaryOp::Sin: return {"sin", true, false, false};
        case UnaryOp::Cos: return {"cos", true, false, false};
        case UnaryOp::Tan: return {"tan", true, false, false};
        case UnaryOp::Tanh: return {"tanh", true, false, false};
        case UnaryOp::Sigmoid: return {"sigmoid", true, false, false};
        case UnaryOp::Relu: return {"relu", false, false, true};
        case UnaryOp::Erf: return {"erf", true, false, false};
        case UnaryOp::Erfinv: return {"erfinv", true, false, false};
        case UnaryOp::Floor: return {"floor", false, false, true};
        case UnaryOp::Ceil: return {"ceil", false, false, true};
        case UnaryOp::Round: return {"round", false, false, true};
        case UnaryOp::Trunc: return {"trunc", false, false, true};
        case UnaryOp::LogicalNot: return {"logical_not", false, true, false};
        case UnaryOp::BitwiseNot: return {"bitwise_not", false, false, false};
        case UnaryOp::IsNan: return {"isnan", false, true, false};
        case UnaryOp::IsInf: return {"isinf", false, true, false};
        case UnaryOp::IsFinite: return {"isfinite", false, true, false};
    }
    return {"unary op", false, false, false};
}

Tensor run_unary(UnaryOp op, const Tensor& a, const Tensor& out) {
    UnaryInfo info = unary_info(op);
    a.check_defined(info.name);
    if (op == UnaryOp::Neg)
        EMBER_CHECK(a.dtype() != DType::Bool, "Negation, the `-` operator, on a bool tensor is not "
                    "supported. If you are trying to invert a mask, use the `~` or "
                    "`logical_not()` operator instead.");
    EMBER_CHECK(!info.no_bool || a.dtype() != DType::Bool, info.name,
                ": not implemented for 'Bool' (input ", detail::describe(a), ")");
    if (op == UnaryOp::BitwiseNot)
        EMBER_CHECK(!a.is_floating_point(), "bitwise_not: not implemented for '",
                    dtype_short_name(a.dtype()), "': bitwise ops need integer or bool tensors");
    IteratorConfig cfg{.op = info.name};
    cfg.promote_integer_to_float = info.to_float;
    if (info.bool_output) cfg.output_dtype = DType::Bool;
    if (op == UnaryOp::Square && a.dtype() == DType::Bool) cfg.compute_dtype = DType::Int64;
    TensorIterator it = TensorIterator::unary(out, a, cfg);
    if (it.numel() > 0) detail::kernels(it.device()).unary(it, op);
    it.finish();
    if (out.defined()) out.storage()->bump_version();
    return it.take_output();
}

// What a unary op's backward reads: nothing, its input or its result (PyTorch saves the result
// where the formula is cheaper in it: exp, tanh, sigmoid, sqrt, rsqrt, reciprocal, relu...).
enum class Saves { Nothing, Input, Result };

struct UnaryGrad {
    const char* name = nullptr;  // null: not differentiable
    Saves saves = Saves::Nothing;
    // (grad, saved) -> grad of the input, PyTorch's formula (derivatives.yaml).
    Tensor (*fn)(const Tensor& g, const Tensor& s) = nullptr;
};

UnaryGrad unary_grad(UnaryOp op) {
    using S = Saves;
    using T = const Tensor&;
    // Rounding and sign are piecewise constant: zero gradient (not an error, as in PyTorch).
    auto zero = [](T g, T) { return zeros_like(g); };
    switch (op) {
        case UnaryOp::Neg:
            return {"NegBackward0", S::Nothing, [](T g, T) { return -g; }};
        case UnaryOp::Abs:
            return {"AbsBackward0", S::Input, [](T g, T x) { return g * x.sign(); }};
        case UnaryOp::Sign: return {"SignBackward0", S::Nothing, zero};
        case UnaryOp::Reciprocal:
            return {"ReciprocalBackward0", S::Result, [](T g, T r) { return -g * (r * r); }};
        case UnaryOp::Exp:
            return {"ExpBackward0", S::Result, [](T g, T r) { return g * r; }};
        case UnaryOp::Exp2:
            return {"Exp2Backward0", S::Result, [](T g, T r) { return g * r * M_LN2; }};
        case UnaryOp::Log:
            return {"LogBackward0", S::Input, [](T g, T x) { return g / x; }};
        case UnaryOp::Log2:
            return {"Log2Backward0", S::Input, [](T g, T x) { return g / (x * M_LN2); }};
        case UnaryOp::Log10:
            return {"Log10Backward0", S::Input, [](T g, T x) { return g / (x * M_LN10); }};
        case UnaryOp::Log1p:
            return {"Log1PBackward0", S::Input, [](T g, T x) { return g / (x + 1); }};
        case UnaryOp::Expm1:
            return {"Expm1Backward0", S::Result, [](T g, T r) { return g * (r + 1); }};
        case UnaryOp::Sqrt:
            return {"SqrtBackward0", S::Result, [](T g, T r) { return g / (2 * r); }};
        case UnaryOp::Rsqrt:
            return {"RsqrtBackward0", S::Result, [](T g, T r) { return -0.5 * g * r.pow(3); }};
        // square is pow(x, 2) in PyTorch, hence its node's name.
        case UnaryOp::Square:
            return {"PowBackward0", S::Input, [](T g, T x) { return g * (x.pow(1.0) * 2.0); }};
        case UnaryOp::Sin:
            return {"SinBackward0", S::Input, [](T g, T x) { return g * x.cos(); }};
        case UnaryOp::Cos:
            return {"CosBackward0", S::Input, [](T g, T x) { return g * -x.sin(); }};
        case UnaryOp::Tan:
            return {"TanBackward0", S::Result, [](T g, T r) { return g * (r.pow(2) + 1); }};
        case UnaryOp::Tanh:
            return {"TanhBackward0", S::Result, [](T g, T r) { return g * (1 - r * r); }};
        case UnaryOp::Sigmoid:
            return {"SigmoidBackward0", S::Result, [](T g, T r) { return g * (1 - r) * r; }};
        // threshold_backward(grad, result, 0): 0 where result <= 0, so relu'(0) = 0.
        // Unrecorded, one fused pass (a mask and a where were two, the where unvectorised).
        case UnaryOp::Relu:
            return {"ReluBackward0", S::Result, [](T g, T r) {
                        if (is_grad_enabled() || g.requires_grad()) return where(r <= 0, 0.0, g);
                        return run_binary(BinaryOp::ReluGrad, g, r, {});
                    }};
        case UnaryOp::Erf:
            return {"ErfBackward0", S::Input,
                    [](T g, T x) { return 2.0 / std::sqrt(M_PI) * (-x.pow(2)).exp() * g; }};
        case UnaryOp::Erfinv:
            return {"ErfinvBackward0", S::Input,
                    [](T g, T x) { return 0.5 * std::sqrt(M_PI) * x.erfinv().pow(2).exp() * g; }};
        case UnaryOp::Floor: return {"FloorBackward0", S::Nothing, zero};
        case UnaryOp::Ceil: return {"CeilBackward0", S::Nothing, zero};
        case UnaryOp::Round: return {"RoundBackward0", S::Nothing, zero};
        case UnaryOp::Trunc: return {"TruncBackward0", S::Nothing, zero};
        default: return {};  // logical_not, bitwise_not, isnan...: integer or bool results
    }
}

// The op's result, recorded with its backward when autograd needs it.
Tensor unary(UnaryOp op, const Tensor& a) {
    Tensor out = run_unary(op, a, {});
    if (!autograd::needs_grad(a)) return out;
    UnaryGrad ug = unary_grad(op);
    if (!ug.name) return out;
    Tensor saved = ug.saves == Saves::Input ? a : ug.saves == Saves::Result ? out : Tensor();
    autograd::record(ug.name, {a}, {out}, {saved}, [fn = ug.fn](BackwardContext& ctx) {
        return TensorList{fn(ctx.grad(), ctx.saved(0))};
    });
    return out;
}

// In place: recorded as the out-of-place op, whose node takes self's place in the graph. A
// formula that reads the input gets a copy of self's old value (see Tensor::pow_).
Tensor& unary_(UnaryOp op, Tensor& self, const char* name) {
    UnaryGrad ug = unary_grad(op);
    return autograd::inplace_op(
        self, name, ug.name && autograd::needs_grad(self),
        [&] { return unary(op, ug.saves == Saves::Input ? self.clone() : self); },
        [&] { run_unary(op, self, self); });
}

}  // namespace

#define EMBER_DEFINE_UNARY(name, OP)                                         \
    Tensor name(const Tensor& a) { return unary(OP, a); }                    \
    Tensor Tensor::name() const { return unary(OP, *this); }                 \
    Tensor& Tensor::name##_() { return unary_(OP, *this, #name "_"); }
EMBER_DEFINE_UNARY(neg, UnaryOp::Neg)
EMBER_DEFINE_UNARY(abs, UnaryOp::Abs)
EMBER_DEFINE_UNARY(sign, UnaryOp::Sign)
EMBER_DEFINE_UNARY(reciprocal, UnaryOp::Reciprocal)
EMBER_DEFINE_UNARY(exp, UnaryOp::Exp)
EMBER_DEFINE_UNARY(exp2, UnaryOp::Exp2)
EMBER_DEFINE_UNARY(log, UnaryOp::Log)
EMBER_DEFINE_UNARY(log2, UnaryOp::Log2)
EMBER_DEFINE_UNARY(log1p, UnaryOp::Log1p)
EMBER_DEFINE_UNARY(expm1, UnaryOp::Expm1)
EMBER_DEFINE_UNARY(sqrt, UnaryOp::Sqrt)
EMBER_DEFINE_UNARY(rsqrt, UnaryOp::Rsqrt)
EMBER_DEFINE_UNARY(sin, UnaryOp::Sin)
EMBER_DEFINE_UNARY(cos, UnaryOp::Cos)
EMBER_DEFINE_UNARY(tan, UnaryOp::Tan)
EMBER_DEFINE_UNARY(tanh, UnaryOp::Tanh)
EMBER_DEFINE_UNARY(sigmoid, UnaryOp::Sigmoid)
EMBER_DEFINE_UNARY(relu, UnaryOp::Relu)
EMBER_DEFINE_UNARY(erf, UnaryOp::Erf)
EMBER_DEFINE_UNARY(erfinv, UnaryOp::Erfinv)
EMBER_DEFINE_UNARY(floor, UnaryOp::Floor)
EMBER_DEFINE_UNARY(ceil, UnaryOp::Ceil)
EMBER_DEFINE_UNARY(round, UnaryOp::Round)
EMBER_DEFINE_UNARY(trunc, UnaryOp::Trunc)
EMBER_DEFINE_UNARY(logical_not, UnaryOp::LogicalNot)
#undef EMBER_DEFINE_UNARY

Tensor log10(const Tensor& a) { return unary(UnaryOp::Log10, a); }
Tensor square(const Tensor& a) { return unary(UnaryOp::Square, a); }
Tensor bitwise_not(const Tensor& a) { return run_unary(UnaryOp::BitwiseNot, a, {}); }
Tensor isnan(const Tensor& a) { return run_unary(UnaryOp::IsNan, a, {}); }
Tensor isinf(const Tensor& a) { return run_unary(UnaryOp::IsInf, a, {}); }
Tensor isfinite(const Tensor& a) { return run_unary(UnaryOp::IsFinite, a, {}); }

}  // namespace ember

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
class CPUGeneratorImpl;
}

namespace ember::detail {

class TensorIterator;

enum class UnaryOp : uint8_t {
    Neg, Abs, Sign, Reciprocal, Exp, Exp2, Log, Log2, Log10, Log1p, Expm1, Sqrt, Rsqrt, Square,
    Sin, Cos, Tan, Tanh, Sigmoid, Relu, Erf, Erfinv, Floor, Ceil, Round, Trunc,
    LogicalNot, BitwiseNot, IsNan, IsInf, IsFinite,
};

enum class BinaryOp : uint8_t {
    Add,  // a + alpha * b
    Sub,  // a - alpha * b
    Mul, Div, DivTrunc, DivFloor, Remainder, Fmod, Pow, Maximum, Minimum, Atan2,
    Eq, Ne, Lt, Le, Gt, Ge,
    LogicalAnd, LogicalOr, LogicalXor, BitwiseAnd, BitwiseOr, BitwiseXor,
    ReluGrad,  // relu's backward (threshold_backward at 0): a where b > 0 (or NaN), else 0
};

enum class ReduceOp : uint8_t { Sum, Prod, Max, Min, All, Any };

enum class ScanOp : uint8_t { CumSum, CumProd };

// The 2-D sliding-window geometry of im2col/col2im (1-D convolutions use height 1). The
// padding after the input is implied by the output size, so it may differ from the padding
// before it (padding='same' with an even kernel).
struct ConvGeometry {
    int64_t channels, height, width;          // the input image
    int64_t kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
    int64_t pad_top, pad_left;
    int64_t out_h, out_w;                     // the number of window positions
};

// The window of a 2-D pooling op (src/ops/pool.cpp), in (height, width) pairs. divisor: avg
// pooling's divisor_override, 0 when not given.
struct Pool2dParams {
    int64_t kh, kw, sh, sw, ph, pw, dh = 1, dw = 1;
    bool count_include_pad = true;
    int64_t divisor = 0;
};

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
    // out (one element) = the whole of in (contiguous, nonempty, out's dtype) reduced: the same
    // value as reduce over an iterator, for small sums without the iterator's setup.
    void (*reduce_contiguous)(const Tensor& out, const Tensor& in, ReduceOp) = nullptr;
    // Reductions with a parameter, over an iterator from TensorIterator::reduction (input
    // and output of the same floating dtype): the p-norm (p may be 0, inf or -inf), and the
    // variance divided by max(0, n - correction), square-rooted when take_sqrt (std).
    void (*reduce_norm)(TensorIterator&, double p) = nullptr;
    void (*reduce_var)(TensorIterator&, double correction, bool take_sqrt) = nullptr;
    // max/min along `dim` with the index of the first extreme (NaN counts as the extreme):
    // values (may be undefined: argmax/argmin) and int64 indices are contiguous, in keepdim
    // shape; `in` has any strides and the values' dtype.
    void (*reduce_arg)(const Tensor& values, const Tensor& indices, const Tensor& in,
                       int64_t dim, bool is_max) = nullptr;
    // Inclusive scans along `dim`: out (contiguous) and in (any strides) share shape and dtype.
    void (*scan)(const Tensor& out, const Tensor& in, int64_t dim, ScanOp op) = nullptr;
    // softmax / log_softmax along `dim`: out (contiguous) and in (any strides) share shape and
    // a floating dtype.
    void (*softmax)(const Tensor& out, const Tensor& in, int64_t dim, bool log) = nullptr;
    // logsumexp along `dim`: out is contiguous with size 1 along dim, in has any strides.
    void (*logsumexp)(const Tensor& out, const Tensor& in, int64_t dim) = nullptr;
    // Random fills of operand 0 of a nullary iterator (bernoulli_tensor: p is operand 1), one
    // element after another in iteration (storage) order, from `gen`, whose mutex the caller
    // holds. Always the CPU table: values come from the CPU generator's stream on any device.
    void (*uniform)(TensorIterator&, double from, double to, CPUGeneratorImpl& gen) = nullptr;
    void (*normal)(TensorIterator&, double mean, double std, CPUGeneratorImpl& gen) = nullptr;
    void (*random_from_to)(TensorIterator&, uint64_t range, int64_t base,
                           CPUGeneratorImpl& gen) = nullptr;
    void (*random_full)(TensorIterator&, CPUGeneratorImpl& gen) = nullptr;  // random_()
    void (*bernoulli_scalar)(TensorIterator&, double p, CPUGeneratorImpl& gen) = nullptr;
    void (*bernoulli_tensor)(TensorIterator&, CPUGeneratorImpl& gen) = nullptr;
    void (*randperm)(TensorIterator&, CPUGeneratorImpl& gen) = nullptr;  // 1-D output
    // Matrix products (src/cpu/blas_kernels.cpp), operands of one dtype. matmul: for each
    // matrix of a batch, out = beta * out + alpha * (a @ b), with out [..., M, N] contiguous,
    // a [..., M, K] and b [..., K, N] of any strides (0 along broadcast batch dims) and the same
    // batch dims; beta == 0 ignores out's values. dot: out (0-dim) = sum of a * b (1-D, same size).
    void (*matmul)(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& beta,
                   const Scalar& alpha) = nullptr;
    void (*dot)(const Tensor& out, const Tensor& a, const Tensor& b) = nullptr;
    // Indexing (src/cpu/index_kernels.cpp). Index operands are int64 or int32 tensors of any
    // strides. index_in_range scans `index` in row-major order: false (with the first offending
    // value in *bad) when some value is outside [lo, hi); *any_negative says if one is < 0.
    bool (*index_in_range)(const Tensor& index, int64_t lo, int64_t hi, int64_t* bad,
                           bool* any_negative) = nullptr;
    // Over an iterator (out, src, offset): out = src[offset * stride] (stride in elements; src
    // is restrided with stride 0 along the dims the offsets vary over).
    void (*index_gather)(TensorIterator&, int64_t stride) = nullptr;
    // Over an iterator (dst, value, offset): dst[offset * stride] = value, or += when
    // accumulate; serial, in iteration order, so repeated offsets resolve deterministically.
    void (*index_put)(TensorIterator&, int64_t stride, bool accumulate) = nullptr;
    // The coordinates of self's nonzero elements in row-major order, int64 [count, self.dim()].
    Tensor (*nonzero)(const Tensor& self) = nullptr;
    // Sorting (src/cpu/sort_kernels.cpp), NaN as the largest value. sort: sorts `values`
    // (contiguous) in place along dim, filling `indices` (int64, same shape) with the source
    // positions: std::sort's order (PyTorch's default) or std::stable_sort's. topk: the k
    // largest/smallest of `self` (any strides) along dim into contiguous values/indices.
    void (*sort)(const Tensor& values, const Tensor& indices, int64_t dim, bool descending,
                 bool stable) = nullptr;
    void (*topk)(const Tensor& values, const Tensor& indices, const Tensor& self, int64_t k,
                 int64_t dim, bool largest, bool sorted) = nullptr;
    // Convolution helpers (src/cpu/conv_kernels.cpp), float32/float64. im2col: cols
    // [C * kH * kW, N * oH * oW] (contiguous; the batch in the columns, so that one matrix
    // product serves the whole batch) gets, for each window position of each image of the input
    // [N, C, H, W] (contiguous), the patch it sees (zeros in the padding); col2im is its
    // adjoint: out [N, C, H, W] (contiguous, overwritten) = the sum of the column entries taken
    // from each position.
    void (*im2col)(const Tensor& cols, const Tensor& input, const ConvGeometry& g) = nullptr;
    void (*col2im)(const Tensor& out, const Tensor& cols, const ConvGeometry& g) = nullptr;
    // Direct float32 convolutions with groups of 1 (src/cpu/conv_direct.cpp; 5x5 ones of stride
    // 1 by Winograd's algorithm where it pays); nullptr where the CPU lacks AVX-512 (im2col and
    // matmul then serve). conv2d_forward: out [N, Co, oH, oW]
    // (contiguous, overwritten) = input [N, C, H, W] convolved with weight [Co, C, kH, kW]
    // (both contiguous), plus bias [Co] when defined. conv2d_weight_grad: grad_weight
    // [Co, C, kH, kW] (contiguous, overwritten) = the sum over the batch of grad_output
    // [N, Co, oH, oW] times the input's windows (both contiguous).
    void (*conv2d_forward)(const Tensor& out, const Tensor& input, const Tensor& weight,
                           const Tensor& bias, const ConvGeometry& g) = nullptr;
    void (*conv2d_weight_grad)(const Tensor& grad_weight, const Tensor& grad_output,
                               const Tensor& input, const ConvGeometry& g) = nullptr;
    // conv2d_input_grad: grad_input [N, C, H, W] (contiguous, overwritten) = the adjoint of
    // conv2d_forward for grad_output [N, Co, oH, oW] and weight [Co, C, kH, kW] (both
    // contiguous); returns false, writing nothing, for geometries it does not cover.
    bool (*conv2d_input_grad)(const Tensor& grad_input, const Tensor& grad_output,
                              const Tensor& weight, const ConvGeometry& g) = nullptr;
    // conv2d_forward followed by max pooling with 2x2 windows of stride 2: out and codes
    // (uint8, each maximum's position in its window, 0 1 / 2 3 row-major; undefined when not
    // needed) are [N, Co, oH / 2, oW / 2], contiguous; oH, oW >= 2.
    void (*conv2d_max_pool2d_forward)(const Tensor& out, const Tensor& codes,
                                      const Tensor& input, const Tensor& weight,
                                      const Tensor& bias, const ConvGeometry& g) = nullptr;
    // Pooling over (N, C, H, W) planes (src/cpu/pool_kernels.cpp), floating dtypes. Inputs
    // have any strides; outputs are contiguous (N, C, OH, OW). max_pool2d: indices (int64, the
    // flat position in the H*W plane) may be undefined when not needed. The backward kernels
    // add into a zeroed contiguous grad_input (N, C, H, W) from contiguous grad_output (and
    // indices). Each plane is computed by one thread.
    void (*max_pool2d)(const Tensor& out, const Tensor& indices, const Tensor& in,
                       const Pool2dParams& p) = nullptr;
    void (*max_pool2d_backward)(const Tensor& grad_input, const Tensor& grad_output,
                                const Tensor& indices) = nullptr;
    // The same for 2x2 windows of stride 2 without padding or dilation (windows that do not
    // overlap), overwriting all of grad_input (which need not be zeroed); planes < 2^31.
    void (*max_pool2d_2x2_backward)(const Tensor& grad_input, const Tensor& grad_output,
                                    const Tensor& indices) = nullptr;
    // The same with each window's argmax as its position in the window (uint8 codes 0 1 / 2 3,
    // row-major; conv2d_max_pool2d_forward's), contiguous like grad_output.
    void (*max_pool2d_2x2_codes_backward)(const Tensor& grad_input, const Tensor& grad_output,
                                          const Tensor& codes) = nullptr;
    void (*avg_pool2d)(const Tensor& out, const Tensor& in, const Pool2dParams& p) = nullptr;
    void (*avg_pool2d_backward)(const Tensor& grad_input, const Tensor& grad_output,
                                const Pool2dParams& p) = nullptr;
    void (*adaptive_avg_pool2d)(const Tensor& out, const Tensor& in) = nullptr;
    void (*adaptive_avg_pool2d_backward)(const Tensor& grad_input,
                                         const Tensor& grad_output) = nullptr;
    // (new kernel slots go above this line, one block per family, each with a comment)
};

// The table for a device (throws a clear error when ember was built without that backend).
const Kernels& kernels(Device device);

void register_cpu_kernels(Kernels& table);
#ifdef EMBER_WITH_CUDA
void register_cuda_kernels(Kernels& table);
#endif

}  // namespace ember::detail

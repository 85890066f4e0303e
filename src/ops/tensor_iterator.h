// TensorIterator: the one engine behind every elementwise op and reduction (DESIGN decision 6).
//
// Built once per op call, it broadcasts the operands, computes the common dtype with PyTorch's
// promotion rules, converts inputs to it, allocates missing outputs with a layout that follows
// the inputs (as PyTorch does: `a.t().exp()` is transposed too), orders the dimensions so the
// fastest-moving one comes first, and merges dimensions that are contiguous with each other.
// A kernel then sees only 1-D loops: `loop(char** data, const int64_t* byte_strides, n)`.
//
// Reductions use the same machinery: the output is restrided with stride 0 along the reduced
// dimensions (see make_reduction), so the kernel sees which dimensions accumulate.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "ember/core/parallel.h"
#include "ember/core/tensor.h"

namespace ember::detail {

inline constexpr int kMaxOperands = 6;

struct IteratorConfig {
    const char* op = "op";
    // Convert every input to the common dtype before the kernel runs.
    bool promote_inputs = true;
    // Integer inputs are computed in the default float dtype (true division, exp, sqrt...).
    bool promote_integer_to_float = false;
    // Leave dtypes alone (copy and conversion kernels see mixed dtypes).
    bool allow_mixed_dtypes = false;
    // Forces the computation dtype (skips promotion).
    std::optional<DType> compute_dtype;
    // The dtype of outputs that the iterator allocates (default: the computation dtype).
    std::optional<DType> output_dtype;
    // In-place/out results must not need a downcast across categories (float into int).
    bool check_safe_cast = true;
    // Outputs that exist must already have the broadcast shape (in-place ops); otherwise
    // outputs are allocated.
    bool is_reduction = false;
    // Refuse writing through overlapping memory (see check_no_internal_overlap and
    // check_no_partial_overlap in ops/util.h).
    bool check_mem_overlap = true;
};

// PyTorch's result_type over three priority groups of operands: tensors with dims, 0-dim
// tensors, and wrapped numbers (scalars). A lower group only matters when it is of a higher
// category (bool < integer < floating).
struct DTypeGroups {
    std::optional<DType> dims, zero_dim, scalars;
    void add(DType dtype, int64_t dim, bool is_scalar);
    DType result() const;
};

// One operand. The caller's tensors are borrowed (the iterator lives inside the op call, so
// they outlive it; copying handles would cost an atomic increment and decrement each); a tensor
// the iterator creates (an allocated output, a converted input, a temporary output to copy
// back) is owned.
struct IterOperand {
    const Tensor* borrowed = nullptr;
    Tensor owned;
    // The user's output when the kernel writes a temporary of another dtype (finish() copies).
    const Tensor* copy_back_to = nullptr;
    const Tensor& tensor() const { return owned.defined() || !borrowed ? owned : *borrowed; }
    char* data = nullptr;
    DimVector strides;   // in bytes, in iteration order
    DType dtype = DType::Float32;
    bool is_output = false;
    bool is_scalar = false;  // a wrapped number (a Python-style scalar), for promotion
};

class TensorIterator {
public:
    TensorIterator() = default;

    // Operands: outputs first (undefined ones get allocated), then inputs. An lvalue is
    // borrowed and must outlive the iterator; a temporary is kept alive by the iterator.
    void add_output(const Tensor& t) { add(&t, Tensor(), true, false); }
    void add_output(Tensor&& t) { add(nullptr, std::move(t), true, false); }
    void add_input(const Tensor& t, bool is_scalar = false) { add(&t, Tensor(), false, is_scalar); }
    void add_input(Tensor&& t, bool is_scalar = false) {
        add(nullptr, std::move(t), false, is_scalar);
    }
    void build(const IteratorConfig& config);

    // Convenience builders for the common shapes of ops.
    static TensorIterator unary(const Tensor& out, const Tensor& a, const IteratorConfig& c);
    static TensorIterator binary(const Tensor& out, const Tensor& a, const Tensor& b,
                                 const IteratorConfig& c, bool b_is_scalar = false);
    // Output restrided so the reduced dims have stride 0; out is allocated by the caller.
    static TensorIterator reduction(const Tensor& out, const Tensor& in, const IteratorConfig& c);

    int ndim() const { return static_cast<int>(shape_.size()); }
    IntArrayRef shape() const { return shape_; }
    int64_t numel() const { return numel_; }
    int ntensors() const { return ntensors_; }
    int noutputs() const { return noutputs_; }
    DType common_dtype() const { return common_dtype_; }
    DType dtype(int arg) const { return ops_[arg].dtype; }
    char* data(int arg) const { return ops_[arg].data; }
    int64_t stride(int arg, int dim) const { return ops_[arg].strides[dim]; }
    const Tensor& tensor(int arg) const { return ops_[arg].tensor(); }
    // The result as the user sees it (after copy-back of temporaries).
    Tensor output(int i = 0) const;
    // The same, moved out of the iterator (saves a reference-count round trip; the iterator
    // must not be used afterwards).
    Tensor take_output(int i = 0);
    Device device() const { return device_; }
    bool is_contiguous() const;  // one dimension, every operand dense

    // Calls loop(data, strides, n) over the elements in [begin, end) of the iteration space.
    template <class Loop>
    void serial_for_each(const Loop& loop, int64_t begin, int64_t end) const;
    // The same, split across threads (identical results for any thread count).
    template <class Loop>
    void for_each(const Loop& loop, int64_t grain_size = kGrainSize) const {
        parallel_for(0, numel_, grain_size,
                     [&](int64_t b, int64_t e) { serial_for_each(loop, b, e); });
    }

    // Copies temporaries back into the user's outputs (call after the kernel ran).
    void finish();

    // Splits off the outermost dimension for reductions: fills shape and strides views.
    const DimVector& strides_of(int arg) const { return ops_[arg].strides; }

private:
    void add(const Tensor* borrowed, Tensor owned, bool is_output, bool is_scalar);
    bool build_simple(const IteratorConfig& c);
    void check_overlap(const IteratorConfig& c) const;
    void compute_shape(const IteratorConfig& c);
    void compute_dtypes(const IteratorConfig& c);
    void compute_strides_and_order(const IteratorConfig& c);
    void allocate_outputs(const IteratorConfig& c);
    void coalesce();

    std::array<IterOperand, kMaxOperands> ops_;
    int ntensors_ = 0;
    int noutputs_ = 0;
    DimVector shape_;      // iteration order after build (dim 0 moves fastest)
    DimVector perm_;       // iteration dim i is tensor dim perm_[i]
    DimVector out_shape_;  // broadcast shape in tensor order
    int64_t numel_ = 0;
    DType common_dtype_ = DType::Float32;
    Device device_ = kCPU;
};

template <class Loop>
void TensorIterator::serial_for_each(const Loop& loop, int64_t begin, int64_t end) const {
    if (begin >= end) return;
    const int nd = ndim();
    const int nt = ntensors_;
    char* ptrs[kMaxOperands];
    int64_t inner_strides[kMaxOperands];
    for (int a = 0; a < nt; ++a) inner_strides[a] = nd > 0 ? ops_[a].strides[0] : 0;
    if (nd <= 1) {
        for (int a = 0; a < nt; ++a) ptrs[a] = ops_[a].data + begin * inner_strides[a];
        loop(ptrs, inner_strides, end - begin);
        return;
    }
    // Multi-index of `begin` (dim 0 fastest).
    int64_t idx[64];
    EMBER_ASSERT(nd <= 64);
    int64_t rem = begin;
    for (int d = 0; d < nd; ++d) {
        idx[d] = rem % shape_[d];
        rem /= shape_[d];
    }
    int64_t pos = begin;
    while (pos < end) {
        for (int a = 0; a < nt; ++a) {
            char* p = ops_[a].data;
            for (int d = 0; d < nd; ++d) p += idx[d] * ops_[a].strides[d];
            ptrs[a] = p;
        }
        int64_t n = std::min(shape_[0] - idx[0], end - pos);
        loop(ptrs, inner_strides, n);
        pos += n;
        idx[0] += n;
        for (int d = 0; d < nd - 1 && idx[d] >= shape_[d]; ++d) {
            idx[d] = 0;
            ++idx[d + 1];
        }
    }
}

// A scalar as a 0-dim tensor of the given dtype.
Tensor scalar_to_tensor(const Scalar& s, DType dtype, Device device = kCPU);
// A scalar operand ("wrapped number") at full precision: float64, int64 or bool. Added with
// is_scalar, it promotes like a Python number (a float counts as the default dtype) and is
// converted to the op's dtype only when the op runs, so `float64_tensor * 0.001` keeps every
// digit of 0.001.
Tensor wrapped_scalar(const Scalar& s, Device device = kCPU);

}  // namespace ember::detail

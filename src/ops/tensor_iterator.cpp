// TensorIterator construction: broadcasting, promotion, layout, coalescing.
#include "ops/tensor_iterator.h"

#include <algorithm>

#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember::detail {

void TensorIterator::add(const Tensor* borrowed, Tensor owned, bool is_output, bool is_scalar) {
    EMBER_ASSERT(ntensors_ < kMaxOperands, "too many operands");
    EMBER_ASSERT(!is_output || ntensors_ == noutputs_, "outputs must be added before inputs");
    IterOperand& op = ops_[ntensors_++];
    op.borrowed = borrowed;
    op.owned = std::move(owned);
    op.is_output = is_output;
    op.is_scalar = is_scalar;
    if (is_output) ++noutputs_;
}

void TensorIterator::compute_shape(const IteratorConfig& c) {
    // Device: every defined operand must agree (0-dim cpu tensors may join cuda ops, as in
    // PyTorch, but wrapped scalars are created on the op's device anyway).
    bool have_device = false;
    for (int i = 0; i < ntensors_; ++i) {
        const Tensor& t = ops_[i].tensor();
        if (!t.defined()) continue;
        if (!have_device) {
            device_ = t.device();
            have_device = true;
        } else if (!(t.device() == device_)) {
            EMBER_ERROR(c.op, ": expected all tensors to be on the same device, but found at "
                        "least two devices, ", device_, " and ", t.device());
        }
    }
    // Broadcast shape of the inputs (and of outputs for reductions, which define it).
    out_shape_.clear();
    if (ntensors_ == noutputs_ && noutputs_ > 0 && ops_[0].tensor().defined()) {
        IntArrayRef s = ops_[0].tensor().sizes();  // no inputs (fill): the output's shape
        out_shape_.assign(s.begin(), s.end());
    }
    bool first = true;
    for (int i = noutputs_; i < ntensors_; ++i) {
        IntArrayRef sizes = ops_[i].tensor().sizes();
        if (first) {
            out_shape_.assign(sizes.begin(), sizes.end());
            first = false;
        } else if (!(sizes == IntArrayRef(out_shape_))) {  // equal shapes need no broadcasting
            out_shape_ = broadcast_shapes(out_shape_, sizes, c.op);
        }
    }
    if (c.is_reduction) return;  // the reduction builder sets the output geometry itself
    for (int i = 0; i < noutputs_; ++i) {
        const Tensor& t = ops_[i].tensor();
        if (t.defined() && !(t.sizes() == IntArrayRef(out_shape_)))
            EMBER_ERROR(c.op, ": output with shape ", shape_str(t.sizes()),
                        " doesn't match the broadcast shape ", shape_str(out_shape_));
    }
}

// PyTorch's result_type over three priority groups (see reference: type promotion).
static DType combine_categories(std::optional<DType> high, std::optional<DType> low) {
    if (!high) return *low;
    if (!low) return *high;
    if (is_floating_point(*high)) return *high;
    if (*high == DType::Bool || is_floating_point(*low)) return promote_types(*high, *low);
    return *high;
}

void DTypeGroups::add(DType dtype, int64_t dim, bool is_scalar) {
    if (is_scalar && is_floating_point(dtype)) dtype = default_dtype();  // a Python float
    std::optional<DType>& g = is_scalar ? scalars : dim == 0 ? zero_dim : dims;
    g = g ? promote_types(*g, dtype) : dtype;
}

DType DTypeGroups::result() const {
    std::optional<DType> low =
        (zero_dim || scalars) ? std::optional<DType>(combine_categories(zero_dim, scalars))
                              : std::nullopt;
    return (dims || low) ? combine_categories(dims, low) : default_dtype();
}

void TensorIterator::compute_dtypes(const IteratorConfig& c) {
    if (c.allow_mixed_dtypes) {
        for (int i = 0; i < ntensors_; ++i)
            if (ops_[i].tensor().defined()) ops_[i].dtype = ops_[i].tensor().dtype();
        common_dtype_ = ntensors_ > noutputs_ ? ops_[noutputs_].dtype : ops_[0].dtype;
        if (c.output_dtype)
            for (int i = 0; i < noutputs_; ++i)
                if (!ops_[i].tensor().defined()) ops_[i].dtype = *c.output_dtype;
        return;
    }
    if (c.compute_dtype) {
        common_dtype_ = *c.compute_dtype;
    } else {
        // Inputs that all share one dtype promote to it, whatever their groups.
        bool uniform = ntensors_ > noutputs_;
        for (int i = noutputs_; i < ntensors_ && uniform; ++i)
            uniform = !ops_[i].is_scalar &&
                      ops_[i].tensor().dtype() == ops_[noutputs_].tensor().dtype();
        if (uniform) {
            common_dtype_ = ops_[noutputs_].tensor().dtype();
        } else {
            DTypeGroups groups;
            for (int i = noutputs_; i < ntensors_; ++i)
                groups.add(ops_[i].tensor().dtype(), ops_[i].tensor().dim(), ops_[i].is_scalar);
            common_dtype_ = groups.result();
        }
        if (c.promote_integer_to_float && !is_floating_point(common_dtype_))
            common_dtype_ = default_dtype();
    }
    DType out_dtype = c.output_dtype.value_or(common_dtype_);
    for (int i = 0; i < noutputs_; ++i) {
        IterOperand& op = ops_[i];
        const Tensor& t = op.tensor();
        if (!t.defined()) {
            op.dtype = out_dtype;
            continue;
        }
        if (c.check_safe_cast && !can_cast(out_dtype, t.dtype()))
            EMBER_ERROR(c.op, ": result type ", dtype_short_name(out_dtype),
                        " can't be cast to the desired output type ", dtype_short_name(t.dtype()));
        op.dtype = t.dtype();
        if (op.dtype != out_dtype) {
            // Compute into a temporary of the result dtype, copied back by finish().
            EMBER_ASSERT(op.borrowed, "an owned output cannot need a copy back");
            op.copy_back_to = op.borrowed;
            op.owned = empty(t.sizes(), {.dtype = out_dtype, .device = device_});
            op.dtype = out_dtype;
        }
    }
    for (int i = noutputs_; i < ntensors_; ++i) {
        IterOperand& op = ops_[i];
        if (c.promote_inputs && op.tensor().dtype() != common_dtype_)
            op.owned = op.tensor().to(common_dtype_);
        op.dtype = op.tensor().dtype();
    }
}

void TensorIterator::compute_strides_and_order(const IteratorConfig& c) {
    const int nd = static_cast<int>(out_shape_.size());
    // Byte strides of every operand aligned to the broadcast shape (tensor order).
    for (int i = 0; i < ntensors_; ++i) {
        IterOperand& op = ops_[i];
        op.strides.assign(nd, 0);
        const Tensor& t = op.tensor();
        if (!t.defined()) continue;
        IntArrayRef sz = t.sizes(), st = t.strides();
        int offset = nd - static_cast<int>(sz.size());
        int64_t es = element_size(t.dtype());
        for (int k = 0; k < static_cast<int>(sz.size()); ++k)
            op.strides[offset + k] = (sz[k] == 1 && out_shape_[offset + k] != 1) ? 0 : st[k] * es;
    }
    // Order dims so the fastest-moving one (smallest strides) comes first; ties and broadcast
    // dims are resolved as PyTorch does, so allocated outputs get PyTorch's layout.
    perm_.resize(nd);
    for (int i = 0; i < nd; ++i) perm_[i] = nd - 1 - i;
    auto should_swap = [&](int64_t d0, int64_t d1) -> int {
        for (int i = 0; i < ntensors_; ++i) {
            const IterOperand& op = ops_[i];
            if (!op.tensor().defined()) continue;
            int64_t s0 = op.strides[d0], s1 = op.strides[d1];
            if (c.is_reduction && op.is_output && ((s0 == 0) != (s1 == 0)))
                return s1 == 0 ? 1 : -1;  // reduced dims (stride 0 in the output) go first
            if (s0 == 0 || s1 == 0) continue;
            if (s0 < s1) return -1;
            if (s0 > s1) return 1;
            if (out_shape_[d0] > out_shape_[d1]) return 1;
        }
        return 0;
    };
    for (int i = 1; i < nd; ++i) {
        int d1 = i;
        for (int d0 = i - 1; d0 >= 0; --d0) {
            int cmp = should_swap(perm_[d0], perm_[d1]);
            if (cmp > 0) {
                std::swap(perm_[d0], perm_[d1]);
                d1 = d0;
            } else if (cmp < 0) {
                break;
            }
        }
    }
    shape_.resize(nd);
    for (int i = 0; i < nd; ++i) shape_[i] = out_shape_[perm_[i]];
    for (int a = 0; a < ntensors_; ++a) {
        DimVector s(nd, 0);
        for (int i = 0; i < nd; ++i) s[i] = ops_[a].strides[perm_[i]];
        ops_[a].strides = s;
    }
}

void TensorIterator::allocate_outputs(const IteratorConfig&) {
    const int nd = static_cast<int>(shape_.size());
    for (int i = 0; i < noutputs_; ++i) {
        IterOperand& op = ops_[i];
        if (op.tensor().defined()) continue;
        // Dense strides in iteration order, mapped back to tensor dims.
        DimVector tensor_strides(nd, 0);
        int64_t es = element_size(op.dtype);
        int64_t running = 1;
        for (int k = 0; k < nd; ++k) {
            tensor_strides[perm_[k]] = running;
            op.strides[k] = running * es;
            running *= std::max<int64_t>(shape_[k], 1);
        }
        op.owned = empty_strided(out_shape_, tensor_strides, {.dtype = op.dtype, .device = device_});
    }
}

void TensorIterator::coalesce() {
    const int nd = static_cast<int>(shape_.size());
    if (nd <= 1) return;
    int prev = 0;
    for (int d = 1; d < nd; ++d) {
        bool can = true;
        for (int a = 0; a < ntensors_ && can; ++a) {
            int64_t sp = ops_[a].strides[prev], sd = ops_[a].strides[d];
            if (!(shape_[prev] == 1 || shape_[d] == 1 || sp * shape_[prev] == sd)) can = false;
        }
        if (can) {
            for (int a = 0; a < ntensors_; ++a) {
                if (shape_[prev] == 1) ops_[a].strides[prev] = ops_[a].strides[d];
            }
            shape_[prev] *= shape_[d];
        } else {
            ++prev;
            if (prev != d) {
                shape_[prev] = shape_[d];
                for (int a = 0; a < ntensors_; ++a) ops_[a].strides[prev] = ops_[a].strides[d];
            }
        }
    }
    shape_.resize(prev + 1);
    for (int a = 0; a < ntensors_; ++a) ops_[a].strides.resize(prev + 1);
}

void TensorIterator::check_overlap(const IteratorConfig& c) const {
    for (int i = 0; i < noutputs_; ++i) {
        const IterOperand& out = ops_[i];
        if (!out.borrowed || !out.borrowed->defined()) continue;  // a new tensor overlaps nothing
        check_no_internal_overlap(*out.borrowed, c.op);
        for (int j = noutputs_; j < ntensors_; ++j)
            if (ops_[j].tensor().defined()) check_no_partial_overlap(*out.borrowed, ops_[j].tensor(), c.op);
    }
}

// The common case of an op on same-shaped tensors: new outputs, inputs of one dtype, all
// contiguous and on one device. Everything build() would compute is known at once; returns
// false (having changed nothing) when the operands are anything else.
bool TensorIterator::build_simple(const IteratorConfig& c) {
    if (c.is_reduction || c.allow_mixed_dtypes || c.compute_dtype || ntensors_ == noutputs_)
        return false;
    for (int i = 0; i < noutputs_; ++i)
        if (ops_[i].tensor().defined()) return false;
    const Tensor& first = ops_[noutputs_].tensor();
    if (!first.defined() || !first.is_contiguous()) return false;
    const IntArrayRef sizes = first.sizes();
    const DType dtype = first.dtype();
    const Device device = first.device();
    for (int i = noutputs_; i < ntensors_; ++i) {
        const Tensor& t = ops_[i].tensor();
        if (ops_[i].is_scalar || !t.defined() || t.dtype() != dtype || !t.is_contiguous() ||
            !(t.device() == device) || !(t.sizes() == sizes))
            return false;
    }
    DType compute = dtype;
    if (c.promote_integer_to_float && !is_floating_point(compute)) return false;  // converts
    device_ = device;
    common_dtype_ = compute;
    numel_ = first.numel();
    out_shape_.assign(sizes.begin(), sizes.end());
    shape_.assign(1, numel_);
    perm_.assign(1, 0);
    const DType out_dtype = c.output_dtype.value_or(compute);
    for (int i = 0; i < ntensors_; ++i) {
        IterOperand& op = ops_[i];
        op.dtype = op.is_output ? out_dtype : compute;
        if (op.is_output) op.owned = empty_contiguous(sizes, numel_, out_dtype, device);
        op.strides.assign(1, element_size(op.dtype));
        op.data = numel_ > 0 ? static_cast<char*>(op.tensor().data_ptr()) : nullptr;
    }
    return true;
}

void TensorIterator::build(const IteratorConfig& c) {
    if (build_simple(c)) return;
    if (c.check_mem_overlap && !c.is_reduction) check_overlap(c);
    compute_shape(c);
    compute_dtypes(c);
    numel_ = prod(out_shape_);
    // Fast path: every defined operand contiguous with the full shape (no broadcasting).
    bool fast = !c.is_reduction;
    for (int i = 0; i < ntensors_ && fast; ++i) {
        const Tensor& t = ops_[i].tensor();
        if (t.defined() && !(t.is_contiguous() && t.sizes() == IntArrayRef(out_shape_))) fast = false;
    }
    if (fast) {
        for (int i = 0; i < noutputs_; ++i)
            if (!ops_[i].tensor().defined())
                ops_[i].owned = empty_contiguous(out_shape_, numel_, ops_[i].dtype, device_);
        shape_.assign(1, numel_);
        perm_.assign(1, 0);
        for (int i = 0; i < ntensors_; ++i) ops_[i].strides.assign(1, element_size(ops_[i].dtype));
    } else {
        compute_strides_and_order(c);
        allocate_outputs(c);
        coalesce();
    }
    for (int i = 0; i < ntensors_; ++i) {
        const Tensor& t = ops_[i].tensor();
        ops_[i].data = t.numel() > 0 ? static_cast<char*>(t.data_ptr()) : nullptr;
    }
}

bool TensorIterator::is_contiguous() const {
    if (ndim() != 1) return numel_ == 0;
    for (int a = 0; a < ntensors_; ++a)
        if (ops_[a].strides[0] != element_size(ops_[a].dtype)) return false;
    return true;
}

Tensor TensorIterator::output(int i) const {
    return ops_[i].copy_back_to ? *ops_[i].copy_back_to : ops_[i].tensor();
}

Tensor TensorIterator::take_output(int i) {
    IterOperand& op = ops_[i];
    if (op.copy_back_to) return *op.copy_back_to;
    if (op.owned.defined()) return std::move(op.owned);
    return *op.borrowed;
}

void TensorIterator::finish() {
    for (int i = 0; i < noutputs_; ++i)
        if (ops_[i].copy_back_to) {
            Tensor target = *ops_[i].copy_back_to;  // copy_ needs a non-const handle
            target.copy_(ops_[i].owned);
        }
}

TensorIterator TensorIterator::unary(const Tensor& out, const Tensor& a, const IteratorConfig& c) {
    TensorIterator it;
    it.add_output(out);
    it.add_input(a);
    it.build(c);
    return it;
}

TensorIterator TensorIterator::binary(const Tensor& out, const Tensor& a, const Tensor& b,
                                      const IteratorConfig& c, bool b_is_scalar) {
    TensorIterator it;
    it.add_output(out);
    it.add_input(a);
    it.add_input(b, b_is_scalar);
    it.build(c);
    return it;
}

TensorIterator TensorIterator::reduction(const Tensor& out, const Tensor& in,
                                         const IteratorConfig& c) {
    // `out` already has the input's rank (keepdim form) and size 1 on reduced dims; giving it
    // stride 0 there makes every reduced element land on the same output element.
    EMBER_ASSERT(out.dim() == in.dim());
    DimVector strides(out.strides().begin(), out.strides().end());
    for (int64_t d = 0; d < in.dim(); ++d)
        if (out.size(d) == 1 && in.size(d) != 1) strides[d] = 0;
    Tensor restrided = out.as_strided(in.sizes(), strides);
    TensorIterator it;
    it.add_output(std::move(restrided));
    it.add_input(in);
    IteratorConfig cfg = c;
    cfg.is_reduction = true;
    cfg.allow_mixed_dtypes = true;
    it.build(cfg);
    return it;
}

Tensor scalar_to_tensor(const Scalar& s, DType dtype, Device device) {
    return full({}, s, {.dtype = dtype, .device = device});
}

Tensor wrapped_scalar(const Scalar& s, Device device) {
    DType dtype = s.is_floating_point() ? DType::Float64 : s.is_bool() ? DType::Bool : DType::Int64;
    return scalar_to_tensor(s, dtype, device);
}

}  // namespace ember::detail

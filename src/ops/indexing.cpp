// Python-style indexing (Tensor::index, Tensor::index_put_) and the advanced-indexing engine
// behind it, plus index_select, masked_select and nonzero.
//
// Basic indices (integers, slices, None, Ellipsis) only build views. Index tensors then
// select by value as PyTorch's at::index does: masks become their nonzero() coordinates, all
// index tensors broadcast together, and the indexed dims are replaced by the broadcast shape,
// in place when they are adjacent and at the front otherwise. The data moves through an
// offset per result element (see src/cpu/index_kernels.cpp).
//
// Gradients: the views record through the view ops (SelectBackward0, SliceBackward0, ...);
// advanced indexing records IndexBackward0, whose gradient accumulates into zeros at the
// indexed positions (duplicates add up) with an index_put that is itself differentiable.
#include "ember/core/indexing.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "autograd/formulas.h"
#include "autograd/function.h"
#include "ember/core/parallel.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ops/dispatch.h"
#include "ops/index_util.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using detail::make_view;

// ---- shared plumbing (declared in ops/index_util.h) -----------------------------------------

namespace detail {

std::optional<int64_t> first_out_of_range(const Tensor& index, int64_t lo, int64_t hi,
                                          bool* any_negative) {
    int64_t bad = 0;
    bool negative = false;
    bool ok = kernels(index.device()).index_in_range(index, lo, hi, &bad, &negative);
    if (any_negative) *any_negative = negative;
    if (ok) return std::nullopt;
    return bad;
}

void run_index_gather(const Tensor& out, const Tensor& src, const Tensor& offset, int64_t stride) {
    TensorIterator it;
    it.add_output(out);
    it.add_input(src);
    it.add_input(offset);
    // The destination is restrided (stride 0 along the indexed dim) on purpose.
    it.build({.op = "index", .promote_inputs = false, .allow_mixed_dtypes = true,
              .check_safe_cast = false, .check_mem_overlap = false});
    if (it.numel() > 0) kernels(out.device()).index_gather(it, stride);
}

void run_index_put(const Tensor& dst, const Tensor& value, const Tensor& offset, int64_t stride,
                   bool accumulate) {
    TensorIterator it;
    it.add_output(dst);
    it.add_input(value);
    it.add_input(offset);
    // The destination is restrided (stride 0 along the indexed dim) on purpose.
    it.build({.op = "index_put_", .promote_inputs = false, .allow_mixed_dtypes = true,
              .check_safe_cast = false, .check_mem_overlap = false});
    if (it.numel() > 0) kernels(dst.device()).index_put(it, stride, accumulate);
    dst.storage()->bump_version();
}

DimVector strip_leading_ones(IntArrayRef sizes) {
    size_t first = 0;
    while (first < sizes.size() && sizes[first] == 1) ++first;
    return DimVector(sizes.begin() + first, sizes.end());
}

bool is_expandable_to(IntArrayRef shape, IntArrayRef target) {
    if (shape.size() > target.size()) return false;
    for (size_t i = 0; i < shape.size(); ++i) {
        int64_t have = shape[shape.size() - 1 - i], want = target[target.size() - 1 - i];
        if (have != want && have != 1) return false;
    }
    return true;
}

bool shares_storage(const Tensor& a, const Tensor& b) {
    return a.storage().get() == b.storage().get();
}

}  // namespace detail

namespace {

using detail::first_out_of_range;

const char* const kIndexDtypeMessage = "tensors used as indices must be long, byte or bool tensors";

// ---- basic indexing: views -----------------------------------------------------------------

// t.select(dim, index) with the indexing messages; real_dim is the index's position in the
// user's list, which is what PyTorch names.
Tensor apply_select(const Tensor& t, int64_t dim, int64_t index, int64_t real_dim) {
    if (t.dim() == 0) {
        EMBER_CHECK(index != 0, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python "
                    "or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        EMBER_ERROR("index ", index, " is out of bounds for dimension 0 with size 0");
    }
    const int64_t size = t.size(dim);
    EMBER_CHECK(index >= -size && index < size, "index ", index, " is out of bounds for dimension ",
                real_dim, " with size ", size);
    return t.select(dim, index);
}

// t[start:stop:step] along dim: start and stop count from the end when negative and are
// clamped to [0, size], so any Python slice is valid except a step <= 0.
Tensor apply_slice(const Tensor& t, int64_t dim, const Slice& s) {
    const int64_t step = s.step.value_or(1);
    EMBER_CHECK(step > 0, "slice: step must be greater than zero, got ", step);
    EMBER_CHECK(t.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
    const int64_t size = t.size(dim);
    int64_t start = s.start.value_or(0);
    int64_t stop = s.stop.value_or(std::numeric_limits<int64_t>::max());
    if (start < 0) start += size;
    if (stop < 0) stop += size;
    start = std::clamp<int64_t>(start, 0, size);
    stop = std::clamp<int64_t>(stop, start, size);
    DimVector sizes = t.sizes().dims(), strides = t.strides().dims();
    sizes[dim] = stop == start ? 0 : (stop - start - 1) / step + 1;  // no overflow for big steps
    strides[dim] *= step;
    Tensor out = make_view(t, sizes, strides, t.storage_offset() + start * t.stride(dim));
    if (autograd::needs_grad(t)) {
        const DimVector in_sizes = t.sizes().dims();
        const Slice canonical(start, stop, step);
        autograd::record("SliceBackward0", {t}, {out}, {},
                         [in_sizes, dim, canonical](autograd::BackwardContext& ctx) {
                             return TensorList{autograd::embed_in_zeros(
                                 "SliceBackwardBackward0", ctx.grad(), in_sizes,
                                 [dim, canonical](const Tensor& g) {
                                     return apply_slice(g, dim, canonical);
                                 })};
                         });
    }
    return out;
}

Tensor alias(const Tensor& t) {
    Tensor out = make_view(t, t.sizes(), t.strides(), t.storage_offset());
    if (autograd::needs_grad(t))
        autograd::record("AliasBackward0", {t}, {out}, {}, [](autograd::BackwardContext& ctx) {
            return TensorList{ctx.grad()};
        });
    return out;
}

// A boolean index as an index tensor over a new axis of size 1: [0] selects it, [] drops it.
Tensor bool_to_index(bool value, Device device) {
    return value ? zeros({1}, {.dtype = DType::Int64, .device = device})
                 : empty({0}, {.dtype = DType::Int64, .device = device});
}

bool is_mask_dtype(DType d) { return d == DType::Bool || d == DType::UInt8; }

// Dims of `self` that the indices address (a mask addresses as many dims as it has).
int64_t count_specified_dims(const std::vector<TensorIndex>& indices) {
    int64_t count = 0;
    for (const TensorIndex& i : indices) {
        if (i.is_tensor()) {
            i.tensor().check_defined("index");
            count += is_mask_dtype(i.tensor().dtype()) ? i.tensor().dim() : 1;
        } else if (i.is_integer() || i.is_slice()) {
            ++count;
        }
    }
    return count;
}

struct Sliced {
    Tensor result;               // self after the basic indices
    std::vector<Tensor> tensor;  // per dim of result: the index tensor there, or undefined
};

// Applies the basic indices (as views) and records where the index tensors go, walking the
// list as PyTorch does: in particular a mask advances the position by one dim only, so a
// multi-dim mask followed by more indices behaves exactly as in PyTorch.
Sliced apply_slicing(const Tensor& self, const std::vector<TensorIndex>& indices) {
    const int64_t specified = count_specified_dims(indices);
    EMBER_CHECK(specified <= self.dim(), "too many indices for tensor of dimension ", self.dim());
    EMBER_CHECK(std::count_if(indices.begin(), indices.end(),
                              [](const TensorIndex& i) { return i.is_ellipsis(); }) <= 1,
                "an index can only have a single ellipsis ('...')");
    Sliced s{self, {}};
    int64_t dim = 0;
    auto record = [&](const Tensor& t) {
        s.tensor.resize(dim + 1);
        s.tensor[dim] = t;
        ++dim;
    };
    for (size_t i = 0; i < indices.size(); ++i) {
        const TensorIndex& index = indices[i];
        const int64_t real_dim = static_cast<int64_t>(i);
        if (index.is_integer()) {
            s.result = apply_select(s.result, dim, index.integer(), real_dim);
        } else if (index.is_slice()) {
            s.result = apply_slice(s.result, dim, index.slice());
            ++dim;
        } else if (index.is_ellipsis()) {
            dim += self.dim() - specified;
        } else if (index.is_none()) {
            s.result = s.result.unsqueeze(dim);
            ++dim;
        } else if (index.is_boolean()) {
            s.result = s.result.unsqueeze(dim);
            record(bool_to_index(index.boolean(), self.device()));
        } else {
            const Tensor& t = index.tensor();
            if (t.dim() == 0 && is_integral(t.dtype(), /*include_bool=*/true)) {
                // A 0-dim integer tensor is an integer; a 0-dim mask is a boolean.
                if (is_mask_dtype(t.dtype())) {
                    s.result = s.result.unsqueeze(dim);
                    record(bool_to_index(t.item<bool>(), self.device()));
                } else {
                    s.result = apply_select(s.result, dim, t.item<int64_t>(), real_dim);
                }
            } else {
                record(t);
            }
        }
    }
    return s;
}

// ---- advanced indexing ----------------------------------------------------------------------

// self (permuted so the indexed dims are adjacent) split as [before..., indexed..., after...];
// the result replaces the indexed dims by the broadcast shape of the index tensors.
struct AdvancedIndex {
    Tensor src;
    int64_t dims_before = 0;
    std::vector<Tensor> index;  // int64, broadcast to `replacement`
    DimVector indexed_sizes, indexed_strides, replacement, result_shape;
};

std::optional<DimVector> try_broadcast(IntArrayRef a, IntArrayRef b) {
    size_t nd = std::max(a.size(), b.size());
    DimVector r(nd, 1);
    for (size_t k = 0; k < nd; ++k) {
        int64_t x = k < nd - a.size() ? 1 : a[k - (nd - a.size())];
        int64_t y = k < nd - b.size() ? 1 : b[k - (nd - b.size())];
        if (x != y && x != 1 && y != 1) return std::nullopt;
        r[k] = x == 1 ? y : x;
    }
    return r;
}

AdvancedIndex make_advanced_index(const Tensor& self, const std::vector<Tensor>& indices) {
    for (const Tensor& t : indices) {
        if (!t.defined()) continue;
        EMBER_CHECK(t.dtype() == DType::Int64 || is_mask_dtype(t.dtype()), "index: ",
                    kIndexDtypeMessage, " (got ", t.dtype(), ")");
        EMBER_CHECK(t.device() == self.device(), "index: indices should be on the same device as "
                    "the indexed tensor (", self.device(), "), got an index on ", t.device());
    }
    EMBER_CHECK(static_cast<int64_t>(indices.size()) <= self.dim(), "too many indices for tensor "
                "of dimension ", self.dim(), " (got ", indices.size(), ")");
    // Masks become one int64 index tensor per dim they cover.
    std::vector<Tensor> expanded;
    for (const Tensor& t : indices) {
        if (!t.defined() || !is_mask_dtype(t.dtype())) {
            expanded.push_back(t);
            continue;
        }
        for (int64_t j = 0; j < t.dim(); ++j) {
            const int64_t pos = static_cast<int64_t>(expanded.size()) + j;
            EMBER_CHECK(pos < self.dim() && t.size(j) == self.size(pos), "The shape of the mask ",
                        shape_str(t.sizes()), " at index ", j, " does not match the shape of the "
                        "indexed tensor ", shape_str(self.sizes()), " at index ", pos);
        }
        Tensor nz = nonzero(t);
        for (int64_t j = 0; j < t.dim(); ++j) expanded.push_back(nz.select(1, j));
    }
    // Broadcast the index tensors together.
    std::optional<DimVector> shape;
    bool ok = true;
    for (const Tensor& t : expanded) {
        if (!t.defined()) continue;
        if (!shape) shape = t.sizes().dims();
        else if (auto b = try_broadcast(*shape, t.sizes())) shape = *b;
        else ok = false;
    }
    if (!ok) {
        std::string shapes;
        for (const Tensor& t : expanded)
            if (t.defined()) shapes += (shapes.empty() ? "" : ", ") + shape_str(t.sizes());
        EMBER_ERROR("shape mismatch: indexing tensors could not be broadcast together with shapes ",
                    shapes);
    }
    EMBER_ASSERT(shape.has_value(), "advanced indexing without an index tensor");
    expanded.resize(self.dim());
    // Indexed dims separated by a non-indexed one go to the front (numpy's rule).
    int64_t first = -1, last = -1;
    for (int64_t d = 0; d < self.dim(); ++d)
        if (expanded[d].defined()) {
            if (first < 0) first = d;
            last = d;
        }
    AdvancedIndex info;
    info.src = self;
    bool adjacent = true;
    for (int64_t d = first; d <= last; ++d) adjacent &= expanded[d].defined();
    if (!adjacent) {
        DimVector perm;
        std::vector<Tensor> reordered;
        for (int64_t d = 0; d < self.dim(); ++d)
            if (expanded[d].defined()) {
                perm.push_back(d);
                reordered.push_back(expanded[d]);
            }
        for (int64_t d = 0; d < self.dim(); ++d)
            if (!expanded[d].defined()) {
                perm.push_back(d);
                reordered.push_back(Tensor());
            }
        info.src = self.permute(perm);
        expanded = std::move(reordered);
        first = 0;
    }
    info.dims_before = first;
    const IntArrayRef src_sizes = info.src.sizes(), src_strides = info.src.strides();
    info.replacement = *shape;
    for (int64_t d = 0; d < first; ++d) info.result_shape.push_back(src_sizes[d]);
    for (int64_t v : *shape) info.result_shape.push_back(v);
    int64_t d = first;
    for (; d < info.src.dim() && expanded[d].defined(); ++d) {
        info.index.push_back(expanded[d].expand(*shape));
        info.indexed_sizes.push_back(src_sizes[d]);
        info.indexed_strides.push_back(src_strides[d]);
    }
    for (; d < info.src.dim(); ++d) info.result_shape.push_back(src_sizes[d]);
    // No value is a valid index into a size-0 dim, yet a non-empty index asks for one.
    const bool indexes_empty_dim = std::find(info.indexed_sizes.begin(), info.indexed_sizes.end(),
                                             0) != info.indexed_sizes.end();
    EMBER_CHECK(!indexes_empty_dim || prod(*shape) == 0,
                "index is out of bounds for dimension with size 0");
    return info;
}

// The element offset of every indexed position (shape `replacement`) in units of the returned
// stride, after checking the values and wrapping negative ones.
std::pair<Tensor, int64_t> compute_offsets(const AdvancedIndex& info) {
    const size_t k = info.index.size();
    std::vector<bool> negative(k);
    for (size_t j = 0; j < k; ++j) {
        bool any_negative = false;
        const int64_t size = info.indexed_sizes[j];
        if (auto bad = first_out_of_range(info.index[j], -size, size, &any_negative))
            EMBER_ERROR("index ", *bad, " is out of bounds for dimension ", j, " with size ", size);
        negative[j] = any_negative;
    }
    if (k == 1 && !negative[0]) return {info.index[0], info.indexed_strides[0]};
    Tensor offsets = zeros(info.replacement, {.dtype = DType::Int64, .device = info.src.device()});
    for (size_t j = 0; j < k; ++j) {
        Tensor idx = info.index[j];
        if (negative[j]) idx = where(idx.lt(0), idx + info.indexed_sizes[j], idx);
        offsets.add_(idx, info.indexed_strides[j]);
    }
    return {offsets, 1};
}

// `t` (src or the offsets over `replacement`) restrided to the result shape: src with stride 0
// over the replacement dims, offsets with stride 0 over the others.
Tensor restride_src(const AdvancedIndex& info) {
    DimVector strides;
    const IntArrayRef st = info.src.strides();
    const int64_t nrep = static_cast<int64_t>(info.replacement.size());
    const int64_t nidx = static_cast<int64_t>(info.index.size());
    for (int64_t d = 0; d < info.dims_before; ++d) strides.push_back(st[d]);
    for (int64_t d = 0; d < nrep; ++d) strides.push_back(0);
    for (int64_t d = info.dims_before + nidx; d < info.src.dim(); ++d) strides.push_back(st[d]);
    return make_view(info.src, info.result_shape, strides, info.src.storage_offset());
}

Tensor restride_offsets(const AdvancedIndex& info, const Tensor& offsets) {
    DimVector strides(info.result_shape.size(), 0);
    for (size_t d = 0; d < info.replacement.size(); ++d)
        strides[info.dims_before + d] = offsets.stride(static_cast<int64_t>(d));
    return make_view(offsets, info.result_shape, strides, offsets.storage_offset());
}

Tensor index_put_accumulate(IntArrayRef sizes, const std::vector<Tensor>& indices,
                            const Tensor& values);

// The index tensors saved by a node, read back (undefined entries stay undefined).
std::vector<Tensor> saved_indices(autograd::BackwardContext& ctx, size_t first, size_t n) {
    std::vector<Tensor> out;
    for (size_t k = 0; k < n; ++k) out.push_back(ctx.saved(first + k));
    return out;
}

Tensor index_advanced(const Tensor& self, const std::vector<Tensor>& indices) {
    AdvancedIndex info = make_advanced_index(self, indices);
    Tensor out = empty(info.result_shape, {.dtype = self.dtype(), .device = self.device()});
    if (out.numel() > 0) {
        auto [offsets, stride] = compute_offsets(info);
        detail::run_index_gather(out, restride_src(info), restride_offsets(info, offsets), stride);
    }
    if (autograd::needs_grad(self)) {
        const DimVector in_sizes = self.sizes().dims();
        autograd::record("IndexBackward0", TensorList{self}, TensorList{out}, indices,
                         [in_sizes, n = indices.size()](autograd::BackwardContext& ctx) {
                             return TensorList{index_put_accumulate(
                                 in_sizes, saved_indices(ctx, 0, n), ctx.grad())};
                         });
    }
    return out;
}

void index_put_advanced(const Tensor& self, const std::vector<Tensor>& indices,
                        const Tensor& value, bool accumulate = false) {
    AdvancedIndex info = make_advanced_index(self, indices);
    EMBER_CHECK(detail::is_expandable_to(value.sizes(), info.result_shape), "shape mismatch: value "
                "tensor of shape ", shape_str(value.sizes()), " cannot be broadcast to indexing "
                "result of shape ", shape_str(info.result_shape));
    EMBER_CHECK(value.dtype() == self.dtype(), "Index put requires the source and destination "
                "dtypes match, got ", dtype_short_name(self.dtype()), " for the destination and ",
                dtype_short_name(value.dtype()), " for the source.");
    EMBER_CHECK(value.device() == self.device(), "index_put_: expected the value on ",
                self.device(), ", got ", value.device());
    if (prod(info.result_shape) == 0) return;
    auto [offsets, stride] = compute_offsets(info);
    // The writes must not change what is still to be read.
    if (detail::shares_storage(offsets, self)) offsets = offsets.clone();
    Tensor v = detail::shares_storage(value, self) ? value.clone() : value;
    detail::run_index_put(restride_src(info), v.expand(info.result_shape),
                          restride_offsets(info, offsets), stride, accumulate);
}

// zeros(sizes) with `values` (shaped like the indexing result) added at the indexed positions,
// duplicates accumulating: IndexBackward0's gradient. Differentiable in values (double
// backward), whose gradient is the incoming gradient indexed again.
Tensor index_put_accumulate(IntArrayRef sizes, const std::vector<Tensor>& indices,
                            const Tensor& values) {
    Tensor out = zeros(sizes, {.dtype = values.dtype(), .device = values.device()});
    {
        NoGradGuard no_grad;
        index_put_advanced(out, indices, values, /*accumulate=*/true);
    }
    if (autograd::needs_grad(values))
        autograd::record("IndexPutBackward0", TensorList{values}, TensorList{out}, indices,
                         [n = indices.size()](autograd::BackwardContext& ctx) {
                             return TensorList{
                                 index_advanced(ctx.grad(), saved_indices(ctx, 0, n))};
                         });
    return out;
}

// Python's assignment to a basic-indexed view: same shape copies, a 0-dim value fills, other
// values broadcast (after dropping their leading 1s).
void copy_to(Tensor dst, const Tensor& src) {
    if (dst.sizes() == src.sizes()) {
        dst.copy_(src);
    } else if (src.dim() == 0) {
        dst.copy_(src.expand(dst.sizes()));
    } else {
        dst.copy_(src.view(detail::strip_leading_ones(src.sizes())).expand(dst.sizes()));
    }
}

}  // namespace

// ---- Tensor::index / index_put_ -------------------------------------------------------------

Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
    return index(std::vector<TensorIndex>(indices));
}

Tensor Tensor::index(const std::vector<TensorIndex>& indices) const {
    check_defined("index");
    if (indices.size() == 1) {  // the common single-index forms, without the general walk
        const TensorIndex& i = indices[0];
        if (i.is_integer()) return apply_select(*this, 0, i.integer(), 0);
        if (i.is_slice()) return apply_slice(*this, 0, i.slice());
        if (i.is_none()) return unsqueeze(0);
        if (i.is_ellipsis()) return alias(*this);
        if (i.is_boolean())
            return index_advanced(unsqueeze(0), {bool_to_index(i.boolean(), device())});
    }
    Sliced s = apply_slicing(*this, indices);
    if (s.tensor.empty()) return s.result.is_same(*this) ? alias(*this) : s.result;
    return index_advanced(s.result, s.tensor);
}

Tensor Tensor::operator[](const TensorIndex& i) const { return index({i}); }

namespace {

// Writes value at self[indices], recording nothing (the caller runs it without grad mode).
void index_put_values(Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value) {
    if (indices.size() == 1) {
        const TensorIndex& i = indices[0];
        if (i.is_boolean() && !i.boolean()) return;
        if (i.is_ellipsis()) return copy_to(self, value);
        if (i.is_none() || i.is_boolean()) return copy_to(self.unsqueeze(0), value);
        if (i.is_integer()) return copy_to(apply_select(self, 0, i.integer(), 0), value);
        if (i.is_slice()) return copy_to(apply_slice(self, 0, i.slice()), value);
    }
    Sliced s = apply_slicing(self, indices);
    if (s.tensor.empty()) return copy_to(s.result, value);
    index_put_advanced(s.result, s.tensor, value.view(detail::strip_leading_ones(value.sizes())));
}

// The index tensors of `indices` (to be saved), and the list with each replaced by a
// placeholder that rebuild_indices fills back in.
std::pair<std::vector<TensorIndex>, TensorList> split_indices(
    const std::vector<TensorIndex>& indices) {
    std::vector<TensorIndex> pattern;
    TensorList tensors;
    for (const TensorIndex& i : indices) {
        if (i.is_tensor()) {
            tensors.push_back(i.tensor());
            pattern.emplace_back(Tensor());
        } else {
            pattern.push_back(i);
        }
    }
    return {pattern, tensors};
}

std::vector<TensorIndex> rebuild_indices(std::vector<TensorIndex> pattern,
                                         autograd::BackwardContext& ctx, size_t first) {
    for (TensorIndex& i : pattern)
        if (i.is_tensor()) i = TensorIndex(ctx.saved(first++));
    return pattern;
}

// self with value written at self[indices], recorded as IndexPutBackward0: self's gradient is
// zero at the overwritten positions, value's is the gradient read there (summed over the dims
// value was broadcast along).
Tensor index_put_recorded(const Tensor& self, const std::vector<TensorIndex>& indices,
                          const Tensor& value) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = self.clone();
        index_put_values(out, indices, value);
    }
    auto [pattern, tensors] = split_indices(indices);
    const DimVector value_sizes = value.sizes().dims(),
                    value_core = detail::strip_leading_ones(value.sizes());
    autograd::record(
        "IndexPutBackward0", TensorList{self, value}, TensorList{out}, tensors,
        [pattern = std::move(pattern), value_sizes, value_core](autograd::BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            const std::vector<TensorIndex> idx = rebuild_indices(pattern, ctx, 0);
            Tensor gs, gv;
            if (ctx.needs(0)) {
                const TensorOptions opts{.dtype = g.dtype(), .device = g.device()};
                Tensor keep = ones(g.sizes(), opts);
                {
                    NoGradGuard no_grad;
                    index_put_values(keep, idx, zeros({}, opts));
                }
                gs = g * keep;
            }
            if (ctx.needs(1)) gv = autograd::sum_to(g.index(idx), value_core).reshape(value_sizes);
            return TensorList{gs, gv};
        });
    return out;
}

}  // namespace

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Tensor& value) {
    check_defined("index_put_");
    value.check_defined("index_put_");
    return autograd::inplace_op(
        *this, "index_put_", autograd::needs_grad(*this, value),
        [&] { return index_put_recorded(*this, indices, value); },
        [&] { index_put_values(*this, indices, value); });
}

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Scalar& value) {
    check_defined("index_put_");
    return index_put_(indices, full({}, value, {.dtype = dtype(), .device = device()}));
}

// ---- index_select, masked_select, nonzero ---------------------------------------------------

namespace {

// out = the rows index[i] of a contiguous CPU tensor `a` (indices checked), one copy per row,
// without the iterator's setup: most of the time of drawing a small batch from a dataset.
void copy_rows(const Tensor& out, const Tensor& a, const Tensor& index) {
    const int64_t n = index.numel(), row = a.nbytes() / a.size(0);
    const char* src = static_cast<const char*>(a.data_ptr());
    char* dst = static_cast<char*>(out.data_ptr());
    auto run = [&](const auto* idx) {
        // Tasks of about 128 KiB: two threads only where a copy is large (a batch of images).
        const int64_t grain = std::max<int64_t>(1, 4 * kGrainSize / std::max<int64_t>(1, row));
        parallel_for(0, n, grain, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                std::memcpy(dst + i * row, src + static_cast<int64_t>(idx[i]) * row,
                            static_cast<size_t>(row));
        });
    };
    if (index.dtype() == DType::Int64) run(index.data_ptr<int64_t>());
    else run(index.data_ptr<int32_t>());
}

// index_select's forward, after the checks of its arguments; d is wrapped.
Tensor index_select_values(const Tensor& a, int64_t d, const Tensor& index) {
    EMBER_CHECK(index.dim() <= 1, "index_select(): Index is supposed to be a vector (got index ",
                "of shape ", shape_str(index.sizes()), ")");
    EMBER_CHECK(index.dtype() == DType::Int64 || index.dtype() == DType::Int32,
                "index_select(): Expected dtype int32 or int64 for index (got ", index.dtype(),
                ")");
    const int64_t n = index.numel();
    if (a.dim() == 0) {  // a 0-dim tensor has one slice, at 0
        if (auto bad = first_out_of_range(index, 0, 1))
            EMBER_ERROR("index_select(): index out of range in self (index ", *bad,
                        " of a 0-dim tensor)");
        NoGradGuard no_grad;
        return a.clone();
    }
    DimVector shape = a.sizes().dims();
    shape[d] = n;
    Tensor out = empty(shape, {.dtype = a.dtype(), .device = a.device()});
    if (n == 0) return out;
    const int64_t size = a.size(d);
    if (a.numel() == 0 && a.dim() > 1) {
        EMBER_CHECK(size > 0, "index_select(): self indexing axis dim should be positive");
        if (auto bad = first_out_of_range(index, 0, size))
            EMBER_ERROR("index_select(): index ", *bad, " is out of bounds for self dimension ", d,
                        " with size ", size);
        return out;
    }
    if (auto bad = first_out_of_range(index, 0, size))
        EMBER_ERROR("index_select(): index out of range in self (index ", *bad, " for dimension ",
                    d, " with size ", size, ")");
    if (d == 0 && a.is_cpu() && a.is_contiguous() && (index.dim() == 0 || index.stride(0) == 1)) {
        copy_rows(out, a, index);
        return out;
    }
    DimVector src_strides = a.strides().dims(), index_strides(shape.size(), 0);
    src_strides[d] = 0;
    index_strides[d] = index.dim() == 0 ? 0 : index.stride(0);
    detail::run_index_gather(out, make_view(a, shape, src_strides, a.storage_offset()),
                             make_view(index, shape, index_strides, index.storage_offset()),
                             a.stride(d));
    return out;
}

}  // namespace

Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index) {
    a.check_defined("index_select");
    index.check_defined("index_select");
    detail::check_same_device("index_select", {&a, &index});
    const int64_t d = detail::wrap_dim(dim, a.dim(), "index_select");
    Tensor out = index_select_values(a, d, index);
    if (!autograd::needs_grad(a)) return out;
    const DimVector a_sizes = a.sizes().dims();
    autograd::record("IndexSelectBackward0", {a}, {out}, {index},
                     [d, a_sizes](autograd::BackwardContext& ctx) {
                         const Tensor& g = ctx.grad();
                         if (a_sizes.empty()) return TensorList{g};  // 0-dim: a copy of a
                         // Each slice of grad goes back to its index (duplicates accumulate).
                         DimVector along(g.dim(), 1);
                         along[d] = g.size(d);
                         Tensor idx = ctx.saved(0).to(DType::Int64).reshape(along);
                         Tensor z = zeros(a_sizes, {.dtype = g.dtype(), .device = g.device()});
                         return TensorList{z.scatter_add(d, idx.expand(g.sizes()), g)};
                     });
    return out;
}

Tensor masked_select(const Tensor& a, const Tensor& mask) {
    a.check_defined("masked_select");
    mask.check_defined("masked_select");
    detail::check_same_device("masked_select", {&a, &mask});
    EMBER_CHECK(is_mask_dtype(mask.dtype()), "masked_select: expected BoolTensor or ByteTensor "
                "for mask (got ", mask.dtype(), ")");
    DimVector shape = broadcast_shapes(mask.sizes(), a.sizes(), "masked_select");
    Tensor out;
    {
        NoGradGuard no_grad;
        out = a.expand(shape).index({mask.expand(shape)});
    }
    if (autograd::needs_grad(a)) {
        const DimVector a_sizes = a.sizes().dims();
        autograd::record("MaskedSelectBackward0", {a}, {out}, {mask},
                         [shape, a_sizes](autograd::BackwardContext& ctx) {
                             Tensor g = index_put_accumulate(shape, {ctx.saved(0).expand(shape)},
                                                             ctx.grad());
                             return TensorList{autograd::sum_to(g, a_sizes)};
                         });
    }
    return out;
}

Tensor nonzero(const Tensor& a) {
    a.check_defined("nonzero");
    return detail::kernels(a.device()).nonzero(a);
}

Tensor Tensor::index_select(int64_t dim, const Tensor& index) const {
    return ember::index_select(*this, dim, index);
}
Tensor Tensor::masked_select(const Tensor& mask) const { return ember::masked_select(*this, mask); }
Tensor Tensor::nonzero() const { return ember::nonzero(*this); }

}  // namespace ember

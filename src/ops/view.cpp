// View ops: new geometry over the same storage, never a copy (reshape/flatten copy only when
// no view can express the result, as in PyTorch).
#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "autograd/formulas.h"
#include "autograd/function.h"
#include "ember/core/tensor.h"
#include "ember/core/tensor_impl.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/shape.h"
#include "ops/util.h"

namespace ember {

using detail::make_view;
using detail::wrap_dim;

namespace {

// Records the views of a multi-output op (split, unbind) as one node whose input gradient is
// `backward(grads)`; outputs without a gradient reach it as zeros.
TensorList recorded_multi(const char* name, const Tensor& self, TensorList outs,
                          std::function<Tensor(const TensorList&)> backward) {
    if (autograd::needs_grad(self)) {
        const size_t n = outs.size();
        autograd::record(name, TensorList{self}, outs, TensorList{},
                         [n, backward = std::move(backward)](autograd::BackwardContext& ctx) {
                             TensorList grads;
                             for (size_t i = 0; i < n; ++i) grads.push_back(ctx.grad(i));
                             return TensorList{backward(grads)};
                         });
    }
    return outs;
}

// A strided layout over a storage, as as_strided sees it.
struct Geometry {
    DimVector sizes, strides;
    int64_t offset = 0;

    // One past the last storage element it reaches (its offset when empty).
    int64_t end() const {
        if (prod(sizes) == 0) return offset;
        int64_t last = offset;
        for (size_t d = 0; d < sizes.size(); ++d) last += (sizes[d] - 1) * strides[d];
        return last + 1;
    }
    // Whether two elements may share a storage element (a stride too small for the dims inside).
    bool may_overlap() const {
        std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size) of the dims of size > 1
        for (size_t d = 0; d < sizes.size(); ++d)
            if (sizes[d] > 1) dims.emplace_back(strides[d], sizes[d]);
        std::sort(dims.begin(), dims.end());
        int64_t span = 1;  // storage elements covered by the dims so far
        for (auto [stride, size] : dims) {
            if (stride < span) return true;
            span = stride * size;
        }
        return false;
    }
    // The storage index (minus `base`) of every element, as int64 of shape `sizes`.
    Tensor indices(int64_t base, Device device) const {
        const TensorOptions opts{.dtype = DType::Int64, .device = device};
        Tensor idx = full(sizes, offset - base, opts);
        for (size_t d = 0; d < sizes.size(); ++d) {
            DimVector shape(sizes.size(), 1);
            shape[d] = sizes[d];
            idx = idx + arange(sizes[d], opts).mul(strides[d]).view(shape);
        }
        return idx;
    }
};

// PyTorch's as_strided_backward: the output's gradient is summed into the storage elements it
// looks at (so outputs that overlap, e.g. through stride 0, accumulate), and the input reads
// its elements back, each storage element's gradient shared evenly among the input elements
// that overlap on it. Written with scatter_add/gather, so it is differentiable itself.
Tensor as_strided_backward(const Tensor& grad, const Geometry& in, const Geometry& out) {
    const TensorOptions opts{.dtype = grad.dtype(), .device = grad.device()};
    if (prod(in.sizes) == 0) return zeros(in.sizes, opts);
    const int64_t base = std::min(in.offset, out.offset);
    const int64_t length = std::max(in.end(), out.end()) - base;
    Tensor storage = zeros({length}, opts);
    if (grad.numel() > 0)
        storage = storage.scatter_add(0, out.indices(base, grad.device()).reshape({-1}),
                                      grad.reshape({-1}));
    const Tensor in_idx = in.indices(base, grad.device()).reshape({-1});
    Tensor result = storage.gather(0, in_idx);
    if (in.may_overlap()) {
        Tensor count = zeros({length}, opts).scatter_add(0, in_idx, ones({in_idx.numel()}, opts));
        result = result / count.gather(0, in_idx);
    }
    return result.reshape(in.sizes);
}

}  // namespace

// Resolves one -1 and checks the element count, with PyTorch's messages.
static DimVector infer_size(IntArrayRef shape, int64_t numel, const char* op) {
    DimVector out(shape.begin(), shape.end());
    int64_t known = 1;
    std::optional<size_t> infer;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == -1) {
            EMBER_CHECK(!infer, op, ": only one dimension can be inferred (shape ", shape_str(shape), ")");
            infer = i;
        } else {
            EMBER_CHECK(shape[i] >= 0, op, ": invalid shape dimension ", shape[i], " in ",
                        shape_str(shape));
            known *= shape[i];
        }
    }
    if (infer) {
        EMBER_CHECK(known != 0 && numel % known == 0, op, ": shape '", shape_str(shape),
                    "' is invalid for input of size ", numel);
        out[*infer] = numel / known;
    } else {
        EMBER_CHECK(known == numel, op, ": shape '", shape_str(shape),
                    "' is invalid for input of size ", numel);
    }
    return out;
}

// Strides for viewing (sizes, strides) as new_sizes, or nullopt when the layout cannot be
// expressed (some new dim would span two non-contiguous chunks of the old layout).
static std::optional<DimVector> view_strides(IntArrayRef sizes, IntArrayRef strides,
                                             IntArrayRef new_sizes) {
    DimVector out(new_sizes.size(), 0);
    int64_t numel = prod(sizes);
    if (numel == 0) {
        if (sizes == new_sizes) return DimVector(strides.begin(), strides.end());
        return contiguous_strides(new_sizes);
    }
    if (sizes.empty()) return contiguous_strides(new_sizes);  // 0-dim: only size-1 dims
    // Walk old dims from the last, grouping them into chunks that are contiguous with each
    // other; each chunk must be exactly covered by a run of new dims.
    int64_t view_d = static_cast<int64_t>(new_sizes.size()) - 1;
    int64_t chunk_base_stride = strides.empty() ? 1 : strides.back();
    int64_t tensor_numel = 1, view_numel = 1;
    for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
        tensor_numel *= sizes[d];
        // End of a chunk: the first dim, or the next-outer dim is not contiguous with this one.
        if (d == 0 || (sizes[d - 1] != 1 && strides[d - 1] != tensor_numel * chunk_base_stride)) {
            while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
                out[view_d] = view_numel * chunk_base_stride;
                view_numel *= new_sizes[view_d];
                --view_d;
            }
            if (view_numel != tensor_numel) return std::nullopt;
            if (d > 0) {
                chunk_base_stride = strides[d - 1];
                tensor_numel = 1;
                view_numel = 1;
            }
        }
    }
    if (view_d != -1) return std::nullopt;
    return out;
}

Tensor Tensor::view(IntArrayRef shape) const {
    check_defined("view");
    DimVector sizes_out = infer_size(shape, numel(), "view");
    auto st = view_strides(sizes(), strides(), sizes_out);
    EMBER_CHECK(st.has_value(), "view: view size is not compatible with input tensor's size and "
                "stride (at least one dimension spans across two contiguous subspaces): input ",
                shape_str(sizes()), " with strides ", shape_str(strides()), ", requested ",
                shape_str(shape), ". Use .reshape(...) instead.");
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("ViewBackward0", *this, make_view(*this, sizes_out, *st, storage_offset()),
                    [in_sizes](const Tensor& g) { return g.reshape(in_sizes); });
}

Tensor Tensor::reshape(IntArrayRef shape) const {
    check_defined("reshape");
    DimVector sizes_out = infer_size(shape, numel(), "reshape");
    DimVector in_sizes = sizes().dims();
    auto backward = [in_sizes](const Tensor& g) { return g.reshape(in_sizes); };
    if (auto st = view_strides(sizes(), strides(), sizes_out))
        return autograd::record_unary("ReshapeAliasBackward0", *this,
                        make_view(*this, sizes_out, *st, storage_offset()), backward);
    // Not viewable, so not contiguous: a fresh copy (PyTorch's _unsafe_view of a clone).
    Tensor copy;
    {
        NoGradGuard no_grad;
        copy = contiguous();
    }
    Tensor out(make_intrusive<TensorImpl>(copy.storage(), dtype(), sizes_out,
                                          contiguous_strides(sizes_out), 0));
    return autograd::record_unary("UnsafeViewBackward0", *this, out, backward);
}

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
    check_defined("flatten");
    if (dim() == 0) return reshape({1});
    int64_t s = wrap_dim(start_dim, dim(), "flatten"), e = wrap_dim(end_dim, dim(), "flatten");
    EMBER_CHECK(s <= e, "flatten: start_dim (", start_dim, ") cannot come after end_dim (", end_dim, ")");
    if (s == e) return *this;
    DimVector shape;
    for (int64_t d = 0; d < s; ++d) shape.push_back(size(d));
    int64_t merged = 1;
    for (int64_t d = s; d <= e; ++d) merged *= size(d);
    shape.push_back(merged);
    for (int64_t d = e + 1; d < dim(); ++d) shape.push_back(size(d));
    return reshape(shape);
}

Tensor Tensor::unflatten(int64_t d, IntArrayRef new_sizes) const {
    check_defined("unflatten");
    int64_t w = wrap_dim(d, dim(), "unflatten");
    EMBER_CHECK(!new_sizes.empty(), "unflatten: sizes must be non-empty");
    DimVector inner = infer_size(new_sizes, size(w), "unflatten");
    DimVector shape;
    for (int64_t k = 0; k < w; ++k) shape.push_back(size(k));
    for (int64_t v : inner) shape.push_back(v);
    for (int64_t k = w + 1; k < dim(); ++k) shape.push_back(size(k));
    return view(shape);
}

Tensor Tensor::squeeze() const {
    check_defined("squeeze");
    DimVector sz, st;
    for (int64_t d = 0; d < dim(); ++d)
        if (sizes()[d] != 1) {
            sz.push_back(sizes()[d]);
            st.push_back(strides()[d]);
        }
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("SqueezeBackward0", *this, make_view(*this, sz, st, storage_offset()),
                    [in_sizes](const Tensor& g) { return g.reshape(in_sizes); });
}

Tensor Tensor::squeeze(int64_t d) const {
    check_defined("squeeze");
    int64_t w = wrap_dim(d, dim(), "squeeze");
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    if (dim() > 0 && sizes()[w] == 1) {
        sz.erase(sz.begin() + w);
        st.erase(st.begin() + w);
    }
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("SqueezeBackward1", *this, make_view(*this, sz, st, storage_offset()),
                    [in_sizes](const Tensor& g) { return g.reshape(in_sizes); });
}

Tensor Tensor::unsqueeze(int64_t d) const {
    check_defined("unsqueeze");
    int64_t w = wrap_dim(d, dim() + 1, "unsqueeze");
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    int64_t new_stride = w >= dim() ? 1 : sizes()[w] * strides()[w];
    sz.insert(sz.begin() + w, 1);
    st.insert(st.begin() + w, new_stride);
    return autograd::record_unary("UnsqueezeBackward0", *this, make_view(*this, sz, st, storage_offset()),
                    [w](const Tensor& g) { return g.squeeze(w); });
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
    check_defined("transpose");
    int64_t a = wrap_dim(d0, dim(), "transpose"), b = wrap_dim(d1, dim(), "transpose");
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    if (dim() > 0) {
        std::swap(sz[a], sz[b]);
        std::swap(st[a], st[b]);
    }
    return autograd::record_unary("TransposeBackward0", *this, make_view(*this, sz, st, storage_offset()),
                    [a, b](const Tensor& g) { return g.transpose(a, b); });
}

Tensor Tensor::t() const {
    check_defined("t");
    EMBER_CHECK(dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
    Tensor out;
    {
        NoGradGuard no_grad;
        out = dim() < 2 ? transpose(0, 0) : transpose(0, 1);
    }
    return autograd::record_unary("TBackward0", *this, out, [](const Tensor& g) { return g.t(); });
}

Tensor Tensor::mT() const {
    check_defined("mT");
    EMBER_CHECK(dim() >= 2, "tensor.mT is only supported on matrices or batches of matrices. Got ",
                dim(), "-D tensor.");
    return transpose(-2, -1);
}

Tensor Tensor::permute(IntArrayRef dims) const {
    check_defined("permute");
    EMBER_CHECK(static_cast<int64_t>(dims.size()) == dim(), "permute: number of dims don't match in "
                "permute (tensor has ", dim(), " dims, got ", dims.size(), " in ", shape_str(dims), ")");
    auto mask = detail::dim_mask(dims.empty() ? IntArrayRef() : dims, dim(), "permute");
    (void)mask;
    DimVector sz, st, inverse(dims.size());
    for (size_t i = 0; i < dims.size(); ++i) {
        int64_t w = wrap_dim(dims[i], dim(), "permute");
        sz.push_back(sizes()[w]);
        st.push_back(strides()[w]);
        inverse[w] = static_cast<int64_t>(i);
    }
    return autograd::record_unary("PermuteBackward0", *this, make_view(*this, sz, st, storage_offset()),
                    [inverse](const Tensor& g) { return g.permute(inverse); });
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
    check_defined("narrow");
    EMBER_CHECK(dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
    int64_t w = wrap_dim(d, dim(), "narrow");
    int64_t n = sizes()[w];
    EMBER_CHECK(start >= -n && start <= n, "narrow: start (", start, ") out of range for dimension ",
                w, " of size ", n);
    if (start < 0) start += n;
    EMBER_CHECK(length >= 0 && start + length <= n, "narrow: start (", start, ") + length (", length,
                ") exceeds dimension size (", n, ").");
    DimVector sz(sizes().begin(), sizes().end());
    sz[w] = length;
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("SliceBackward0", *this,
                    make_view(*this, sz, strides(), storage_offset() + start * strides()[w]),
                    [in_sizes, w, start, length](const Tensor& g) {
                        return autograd::embed_in_zeros(
                            "SliceBackwardBackward0", g, in_sizes,
                            [w, start, length](const Tensor& t) {
                                return t.narrow(w, start, length);
                            });
                    });
}

Tensor Tensor::select(int64_t d, int64_t index) const {
    check_defined("select");
    EMBER_CHECK(dim() > 0, "select() cannot be applied to a 0-dim tensor.");
    int64_t w = wrap_dim(d, dim(), "select");
    int64_t n = sizes()[w];
    EMBER_CHECK(index >= -n && index < n, "select(): index ", index, " out of range for tensor of size ",
                shape_str(sizes()), " at dimension ", w);
    if (index < 0) index += n;
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    int64_t offset = storage_offset() + index * st[w];
    sz.erase(sz.begin() + w);
    st.erase(st.begin() + w);
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("SelectBackward0", *this, make_view(*this, sz, st, offset),
                    [in_sizes, w, index](const Tensor& g) {
                        return autograd::embed_in_zeros(
                            "SelectBackwardBackward0", g, in_sizes,
                            [w, index](const Tensor& t) { return t.select(w, index); });
                    });
}

Tensor Tensor::expand(IntArrayRef target) const {
    check_defined("expand");
    int64_t nd = static_cast<int64_t>(target.size());
    EMBER_CHECK(nd >= dim(), "expand: the number of sizes provided (", nd, ") must be greater or "
                "equal to the number of dimensions in the tensor (", dim(), ")");
    DimVector sz(nd, 0), st(nd, 0);
    for (int64_t i = nd - 1; i >= 0; --i) {
        int64_t offset = nd - 1 - i;
        int64_t d = dim() - 1 - offset;
        int64_t want = target[i];
        if (d >= 0) {
            int64_t have = sizes()[d];
            if (want == -1) want = have;
            EMBER_CHECK(have == want || have == 1, "expand: The expanded size of the tensor (", want,
                        ") must match the existing size (", have, ") at non-singleton dimension ", i,
                        ".  Target sizes: ", shape_str(target), ".  Tensor sizes: ", shape_str(sizes()));
            sz[i] = want;
            st[i] = have == want ? strides()[d] : 0;
        } else {
            EMBER_CHECK(want >= 0, "expand: the expanded size of the tensor (", want,
                        ") isn't allowed in a leading, non-existing dimension ", i);
            sz[i] = want;
            st[i] = 0;
        }
    }
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("ExpandBackward0", *this, make_view(*this, sz, st, storage_offset()),
                    [in_sizes](const Tensor& g) { return autograd::sum_to(g, in_sizes); });
}

Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const {
    check_defined("diagonal");
    int64_t a = wrap_dim(dim1, dim(), "diagonal"), b = wrap_dim(dim2, dim(), "diagonal");
    EMBER_CHECK(a != b, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
    int64_t len, off = storage_offset();
    if (offset >= 0) {
        len = std::max<int64_t>(std::min(sizes()[a], sizes()[b] - offset), 0);
        if (len > 0) off += offset * strides()[b];
    } else {
        len = std::max<int64_t>(std::min(sizes()[a] + offset, sizes()[b]), 0);
        if (len > 0) off -= offset * strides()[a];
    }
    DimVector sz, st;
    for (int64_t d = 0; d < dim(); ++d)
        if (d != a && d != b) {
            sz.push_back(sizes()[d]);
            st.push_back(strides()[d]);
        }
    sz.push_back(len);
    st.push_back(strides()[a] + strides()[b]);
    DimVector in_sizes = sizes().dims();
    return autograd::record_unary("DiagonalBackward0", *this, make_view(*this, sz, st, off),
                    [in_sizes, offset, a, b](const Tensor& g) {
                        return autograd::embed_in_zeros(
                            "DiagonalBackwardBackward0", g, in_sizes,
                            [offset, a, b](const Tensor& t) { return t.diagonal(offset, a, b); });
                    });
}

Tensor Tensor::as_strided(IntArrayRef sz, IntArrayRef st, std::optional<int64_t> offset) const {
    check_defined("as_strided");
    EMBER_CHECK(sz.size() == st.size(), "as_strided: mismatch in length of strides and shape (",
                shape_str(sz), " vs ", shape_str(st), ")");
    int64_t off = offset.value_or(storage_offset());
    EMBER_CHECK(off >= 0, "as_strided: negative storage offset ", off);
    int64_t max_index = off;
    bool empty = false;
    for (size_t i = 0; i < sz.size(); ++i) {
        EMBER_CHECK(sz[i] >= 0 && st[i] >= 0, "as_strided: negative size or stride in size ",
                    shape_str(sz), " stride ", shape_str(st));
        if (sz[i] == 0) empty = true;
        else max_index += (sz[i] - 1) * st[i];
    }
    if (!empty) {
        int64_t needed = (max_index + 1) * element_size();
        EMBER_CHECK(needed <= static_cast<int64_t>(storage()->nbytes()), "as_strided: setStorage: sizes ",
                    shape_str(sz), ", strides ", shape_str(st), ", storage offset ", off,
                    ", and itemsize ", element_size(), " requiring a storage size of ", needed,
                    " are out of bounds for storage of size ", storage()->nbytes());
    }
    Geometry in{sizes().dims(), strides().dims(), storage_offset()};
    Geometry out{DimVector(sz.begin(), sz.end()), DimVector(st.begin(), st.end()), off};
    return autograd::record_unary("AsStridedBackward0", *this, make_view(*this, sz, st, off),
                    [in, out](const Tensor& g) { return as_strided_backward(g, in, out); });
}

TensorList Tensor::split(int64_t split_size, int64_t d) const {
    check_defined("split");
    EMBER_CHECK(dim() > 0, "split expects at least a 1-dimensional tensor");
    EMBER_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size=",
                split_size);
    int64_t w = wrap_dim(d, dim(), "split");
    int64_t n = sizes()[w];
    EMBER_CHECK(split_size > 0 || n == 0, "split_size can only be 0 if dimension size is 0, but got "
                "dimension size of ", n);
    TensorList out;
    {
        NoGradGuard no_grad;
        if (n == 0) out.push_back(narrow(w, 0, 0));
        for (int64_t start = 0; start < n; start += split_size)
            out.push_back(narrow(w, start, std::min(split_size, n - start)));
    }
    return recorded_multi("SplitBackward0", *this, std::move(out),
                          [w](const TensorList& grads) { return cat(grads, w); });
}

TensorList Tensor::split(IntArrayRef split_sizes, int64_t d) const {
    check_defined("split");
    int64_t w = wrap_dim(d, dim(), "split_with_sizes");
    int64_t total = 0;
    for (int64_t s : split_sizes) {
        EMBER_CHECK(s >= 0, "split_with_sizes expects split_sizes have only non-negative entries, "
                    "but got split_sizes=", shape_str(split_sizes));
        total += s;
    }
    EMBER_CHECK(total == sizes()[w], "split_with_sizes expects split_sizes to sum exactly to ",
                sizes()[w], " (input tensor's size at dimension ", w, "), but got split_sizes=",
                shape_str(split_sizes));
    TensorList out;
    {
        NoGradGuard no_grad;
        int64_t start = 0;
        for (int64_t s : split_sizes) {
            out.push_back(narrow(w, start, s));
            start += s;
        }
    }
    return recorded_multi("SplitWithSizesBackward0", *this, std::move(out),
                          [w](const TensorList& grads) { return cat(grads, w); });
}

TensorList Tensor::chunk(int64_t chunks, int64_t d) const {
    check_defined("chunk");
    EMBER_CHECK(dim() > 0, "chunk expects at least a 1-dimensional tensor");
    EMBER_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks);
    int64_t w = wrap_dim(d, dim(), "chunk");
    int64_t n = sizes()[w];
    int64_t split_size = (n + chunks - 1) / chunks;
    if (split_size == 0 && n == 0) {
        TensorList out;
        {
            NoGradGuard no_grad;
            for (int64_t i = 0; i < chunks; ++i) out.push_back(narrow(w, 0, 0));
        }
        // Every chunk is the whole (empty) input: its gradient is any one of them.
        return recorded_multi("SplitBackward0", *this, std::move(out),
                              [](const TensorList& grads) { return grads[0]; });
    }
    return split(split_size, w);
}

TensorList Tensor::unbind(int64_t d) const {
    check_defined("unbind");
    EMBER_CHECK(dim() > 0, "unbind: dimension specified as 0 but tensor has no dimensions");
    int64_t w = wrap_dim(d, dim(), "unbind");
    TensorList out;
    {
        NoGradGuard no_grad;
        for (int64_t i = 0; i < sizes()[w]; ++i) out.push_back(select(w, i));
    }
    return recorded_multi("UnbindBackward0", *this, std::move(out),
                          [w](const TensorList& grads) { return stack(grads, w); });
}

}  // namespace ember

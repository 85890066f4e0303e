// View ops: new geometry over the same storage, never a copy (reshape/flatten copy only when
// no view can express the result, as in PyTorch).
#include <algorithm>
#include <optional>

#include "ember/core/tensor.h"
#include "ops/util.h"

namespace ember {

using detail::make_view;
using detail::wrap_dim;

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
    return make_view(*this, sizes_out, *st, storage_offset());
}

Tensor Tensor::reshape(IntArrayRef shape) const {
    check_defined("reshape");
    DimVector sizes_out = infer_size(shape, numel(), "reshape");
    if (auto st = view_strides(sizes(), strides(), sizes_out))
        return make_view(*this, sizes_out, *st, storage_offset());
    return contiguous().view(sizes_out);  // not viewable, so not contiguous: a fresh copy
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
    return make_view(*this, sz, st, storage_offset());
}

Tensor Tensor::squeeze(int64_t d) const {
    check_defined("squeeze");
    int64_t w = wrap_dim(d, dim(), "squeeze");
    if (dim() == 0 || sizes()[w] != 1) return make_view(*this, sizes(), strides(), storage_offset());
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    sz.erase(sz.begin() + w);
    st.erase(st.begin() + w);
    return make_view(*this, sz, st, storage_offset());
}

Tensor Tensor::unsqueeze(int64_t d) const {
    check_defined("unsqueeze");
    int64_t w = wrap_dim(d, dim() + 1, "unsqueeze");
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    int64_t new_stride = w >= dim() ? 1 : sizes()[w] * strides()[w];
    sz.insert(sz.begin() + w, 1);
    st.insert(st.begin() + w, new_stride);
    return make_view(*this, sz, st, storage_offset());
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
    check_defined("transpose");
    int64_t a = wrap_dim(d0, dim(), "transpose"), b = wrap_dim(d1, dim(), "transpose");
    DimVector sz(sizes().begin(), sizes().end()), st(strides().begin(), strides().end());
    if (dim() > 0) {
        std::swap(sz[a], sz[b]);
        std::swap(st[a], st[b]);
    }
    return make_view(*this, sz, st, storage_offset());
}

Tensor Tensor::t() const {
    check_defined("t");
    EMBER_CHECK(dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
    return dim() < 2 ? transpose(0, 0) : transpose(0, 1);
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
    DimVector sz, st;
    for (int64_t d : dims) {
        int64_t w = wrap_dim(d, dim(), "permute");
        sz.push_back(sizes()[w]);
        st.push_back(strides()[w]);
    }
    return make_view(*this, sz, st, storage_offset());
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
    return make_view(*this, sz, strides(), storage_offset() + start * strides()[w]);
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
    return make_view(*this, sz, st, offset);
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
    return make_view(*this, sz, st, storage_offset());
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
    return make_view(*this, sz, st, off);
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
    return make_view(*this, sz, st, off);
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
    if (n == 0) {
        out.push_back(narrow(w, 0, 0));
        return out;
    }
    for (int64_t start = 0; start < n; start += split_size)
        out.push_back(narrow(w, start, std::min(split_size, n - start)));
    return out;
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
    int64_t start = 0;
    for (int64_t s : split_sizes) {
        out.push_back(narrow(w, start, s));
        start += s;
    }
    return out;
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
        for (int64_t i = 0; i < chunks; ++i) out.push_back(narrow(w, 0, 0));
        return out;
    }
    return split(split_size, w);
}

TensorList Tensor::unbind(int64_t d) const {
    check_defined("unbind");
    EMBER_CHECK(dim() > 0, "unbind: dimension specified as 0 but tensor has no dimensions");
    int64_t w = wrap_dim(d, dim(), "unbind");
    TensorList out;
    for (int64_t i = 0; i < sizes()[w]; ++i) out.push_back(select(w, i));
    return out;
}

}  // namespace ember

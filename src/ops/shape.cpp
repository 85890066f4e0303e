// cat, stack, flip, repeat, tril and triu: composite ops that copy through views of their
// result (narrow, restrided views) with copy_, so they work on any strides and dtypes.
#include "ember/ops/shape.h"

#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using detail::make_view;

// ---- cat / stack ----------------------------------------------------------------------------

namespace {

// PyTorch keeps skipping 1-D empty tensors in cat, from the days they were the only empty ones.
bool cat_skips(const Tensor& t) { return t.dim() == 1 && t.numel() == 0; }

}  // namespace

Tensor cat(const TensorList& tensors, int64_t dim) {
    for (size_t i = 0; i < tensors.size(); ++i) {
        tensors[i].check_defined("cat");
        EMBER_CHECK(tensors[i].dim() > 0, "zero-dimensional tensor (at position ", i,
                    ") cannot be concatenated");
    }
    // The dim wraps against the first tensor that is not skipped (if any).
    const Tensor* first = nullptr;
    for (const Tensor& t : tensors)
        if (!cat_skips(t)) {
            first = &t;
            break;
        }
    const int64_t d = first ? detail::wrap_dim(dim, first->dim(), "cat") : dim;
    EMBER_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors");
    detail::DTypeGroups groups;
    for (const Tensor& t : tensors) groups.add(t.dtype(), t.dim(), false);
    const DType dtype = groups.result();
    const Device device = tensors[0].device();
    for (size_t i = 0; i < tensors.size(); ++i)
        EMBER_CHECK(tensors[i].device() == device, "cat: expected all tensors to be on the same "
                    "device, but found at least two devices, ", device, " and ",
                    tensors[i].device(), " (tensor number ", i, " in the list)");
    if (!first) return empty({0}, {.dtype = dtype, .device = device});
    DimVector shape = first->sizes().dims();
    int64_t total = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        if (cat_skips(t)) continue;
        EMBER_CHECK(t.dim() == first->dim(), "Tensors must have same number of dimensions: got ",
                    first->dim(), " and ", t.dim());
        for (int64_t k = 0; k < t.dim(); ++k)
            EMBER_CHECK(k == d || t.size(k) == first->size(k), "Sizes of tensors must match except "
                        "in dimension ", d, ". Expected size ", first->size(k), " but got size ",
                        t.size(k), " for tensor number ", i, " in the list.");
        total += t.size(d);
    }
    shape[d] = total;
    Tensor out = empty(shape, {.dtype = dtype, .device = device});
    int64_t offset = 0;
    for (const Tensor& t : tensors) {
        if (cat_skips(t)) continue;
        if (t.numel() > 0) out.narrow(d, offset, t.size(d)).copy_(t);
        offset += t.size(d);
    }
    return out;
}

Tensor stack(const TensorList& tensors, int64_t dim) {
    EMBER_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
    tensors[0].check_defined("stack");
    const int64_t d = detail::wrap_dim(dim, tensors[0].dim() + 1, "stack");
    TensorList inputs;
    inputs.reserve(tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        tensors[i].check_defined("stack");
        EMBER_CHECK(tensors[i].sizes() == tensors[0].sizes(), "stack expects each tensor to be "
                    "equal size, but got ", shape_str(tensors[0].sizes()), " at entry 0 and ",
                    shape_str(tensors[i].sizes()), " at entry ", i);
        inputs.push_back(tensors[i].unsqueeze(d));
    }
    return cat(inputs, d);
}

// ---- flip, repeat ---------------------------------------------------------------------------

Tensor flip(const Tensor& a, IntArrayRef dims) {
    a.check_defined("flip");
    Tensor out = empty_like(a);
    if (dims.empty()) return out.copy_(a);
    const auto mask = detail::dim_mask(dims, a.dim(), "flip");
    if (a.numel() == 0) return out;
    // A view that walks the flipped dims backwards (negative strides, internal only).
    DimVector strides = a.strides().dims();
    int64_t offset = a.storage_offset();
    for (int64_t d = 0; d < a.dim(); ++d)
        if (mask.test(d)) {
            offset += (a.size(d) - 1) * strides[d];
            strides[d] = -strides[d];
        }
    return out.copy_(make_view(a, a.sizes(), strides, offset));
}

Tensor repeat(const Tensor& a, IntArrayRef repeats) {
    a.check_defined("repeat");
    const int64_t nd = static_cast<int64_t>(repeats.size());
    EMBER_CHECK(nd >= a.dim(), "Number of dimensions of repeat dims can not be smaller than number "
                "of dimensions of tensor (repeats ", shape_str(repeats), " for a tensor of shape ",
                shape_str(a.sizes()), ")");
    // a as [1, ..., 1, sizes...] with nd dims, tiled repeats[d] times along each dim d.
    DimVector padded(nd - a.dim(), 1);
    for (int64_t v : a.sizes()) padded.push_back(v);
    DimVector target(nd);
    bool zero = false;
    for (int64_t d = 0; d < nd; ++d) {
        target[d] = padded[d] * repeats[d];
        zero |= repeats[d] == 0;
    }
    for (int64_t d = 0; d < nd; ++d)
        EMBER_CHECK(target[d] >= 0, "Trying to create tensor with negative dimension ", target[d],
                    ": ", shape_str(target));
    Tensor out = empty(target, {.dtype = a.dtype(), .device = a.device()});
    if (zero || out.numel() == 0) return out;
    // out seen as [r0, s0, r1, s1, ...] (each dim split into repeat and source index) takes
    // the source broadcast along the repeat dims.
    const DimVector out_strides = out.strides().dims();
    DimVector split_sizes, split_strides, src_sizes;
    for (int64_t d = 0; d < nd; ++d) {
        split_sizes.push_back(repeats[d]);
        split_sizes.push_back(padded[d]);
        split_strides.push_back(padded[d] * out_strides[d]);
        split_strides.push_back(out_strides[d]);
        src_sizes.push_back(1);
        src_sizes.push_back(padded[d]);
    }
    make_view(out, split_sizes, split_strides, 0).copy_(a.reshape(src_sizes).expand(split_sizes));
    return out;
}

// ---- tril / triu ----------------------------------------------------------------------------

namespace {

// True where element (i, j) of the last two dims lies outside the kept triangle.
Tensor outside_triangle(const Tensor& a, int64_t diagonal, bool lower, const char* op) {
    EMBER_CHECK(a.dim() > 0, op, ": Dimension specified as -2 but tensor has no dimensions");
    (void)detail::wrap_dim(-2, a.dim(), op);  // a 1-D tensor has no dim -2
    const int64_t rows = a.size(-2), cols = a.size(-1);
    Tensor j_minus_i = arange(cols, {.device = a.device()}).unsqueeze(0) -
                       arange(rows, {.device = a.device()}).unsqueeze(1);
    return lower ? j_minus_i.gt(diagonal) : j_minus_i.lt(diagonal);
}

}  // namespace

Tensor tril(const Tensor& a, int64_t diagonal) {
    a.check_defined("tril");
    return a.masked_fill(outside_triangle(a, diagonal, true, "tril"), 0);
}

Tensor triu(const Tensor& a, int64_t diagonal) {
    a.check_defined("triu");
    return a.masked_fill(outside_triangle(a, diagonal, false, "triu"), 0);
}

Tensor Tensor::flip(IntArrayRef dims) const { return ember::flip(*this, dims); }
Tensor Tensor::repeat(IntArrayRef repeats) const { return ember::repeat(*this, repeats); }
Tensor Tensor::tril(int64_t diagonal) const { return ember::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal) const { return ember::triu(*this, diagonal); }

Tensor& Tensor::tril_(int64_t diagonal) {
    check_defined("tril_");
    return masked_fill_(outside_triangle(*this, diagonal, true, "tril_"), 0);
}

Tensor& Tensor::triu_(int64_t diagonal) {
    check_defined("triu_");
    return masked_fill_(outside_triangle(*this, diagonal, false, "triu_"), 0);
}

}  // namespace ember

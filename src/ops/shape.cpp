// cat, stack, flip, repeat, tril and triu: composite ops that copy through views of their
// result (narrow, restrided views) with copy_, so they work on any strides and dtypes. Each
// computes its forward without recording and records its own node (PyTorch's names).
#include "ember/ops/shape.h"

#include "autograd/function.h"
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
        EMBER_CHECK(t.dim() == first->dim(), "torch.cat(): Tensors must have same number of "
                    "dimensions: got ", first->dim(), " and ", t.dim(), " (shapes ",
                    shape_str(first->sizes()), " and ", shape_str(t.sizes()),
                    " for tensor number ", i, ")");
        for (int64_t k = 0; k < t.dim(); ++k)
            EMBER_CHECK(k == d || t.size(k) == first->size(k), "torch.cat(): Sizes of tensors must "
                        "match except in dimension ", d, ". Expected size ", first->size(k),
                        " but got size ", t.size(k), " for tensor number ", i, " in the list. "
                        "Shapes: ", shape_str(first->sizes()), " and ", shape_str(t.sizes()));
        total += t.size(d);
    }
    shape[d] = total;
    Tensor out = empty(shape, {.dtype = dtype, .device = device});
    {
        NoGradGuard no_grad;
        int64_t offset = 0;
        for (const Tensor& t : tensors) {
            if (cat_skips(t)) continue;
            if (t.numel() > 0) out.narrow(d, offset, t.size(d)).copy_(t);
            offset += t.size(d);
        }
    }
    if (autograd::any_requires_grad(tensors)) {
        // Each input's gradient is its slice of grad (a skipped input gets an empty one).
        std::vector<int64_t> lengths;
        for (const Tensor& t : tensors) lengths.push_back(cat_skips(t) ? -1 : t.size(d));
        autograd::record("CatBackward0", tensors, {out}, {},
                         [d, lengths](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             TensorList grads;
                             int64_t offset = 0;
                             for (size_t i = 0; i < lengths.size(); ++i) {
                                 const int64_t n = lengths[i];
                                 Tensor gi;
                                 if (n < 0) {
                                     gi = zeros({0}, {.dtype = g.dtype(), .device = g.device()});
                                 } else {
                                     gi = g.narrow(d, offset, n);
                                     offset += n;
                                 }
                                 grads.push_back(ctx.needs(i) ? gi : Tensor());
                             }
                             return grads;
                         });
    }
    return out;
}

Tensor stack(const TensorList& tensors, int64_t dim) {
    EMBER_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
    tensors[0].check_defined("stack");
    const int64_t d = detail::wrap_dim(dim, tensors[0].dim() + 1, "stack");
    TensorList inputs;
    for (size_t i = 0; i < tensors.size(); ++i) {
        tensors[i].check_defined("stack");
        EMBER_CHECK(tensors[i].sizes() == tensors[0].sizes(), "stack expects each tensor to be "
                    "equal size, but got ", shape_str(tensors[0].sizes()), " at entry 0 and ",
                    shape_str(tensors[i].sizes()), " at entry ", i);
    }
    Tensor out;
    {
        NoGradGuard no_grad;
        for (const Tensor& t : tensors) inputs.push_back(t.unsqueeze(d));
        out = cat(inputs, d);
    }
    if (autograd::any_requires_grad(tensors))
        autograd::record("StackBackward0", tensors, {out}, {},
                         [d, n = tensors.size()](autograd::BackwardContext& ctx) {
                             TensorList grads;
                             for (size_t i = 0; i < n; ++i)
                                 grads.push_back(ctx.needs(i) ? ctx.grad().select(d, int64_t(i))
                                                              : Tensor());
                             return grads;
                         });
    return out;
}

// ---- flip, repeat ---------------------------------------------------------------------------

namespace {

Tensor flip_impl(const Tensor& a, IntArrayRef dims) {
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

// a as [1, ..., 1, sizes...] with as many dims as `repeats`.
DimVector repeat_padded_sizes(const Tensor& a, IntArrayRef repeats) {
    DimVector padded(repeats.size() - a.dim(), 1);
    for (int64_t v : a.sizes()) padded.push_back(v);
    return padded;
}

Tensor repeat_impl(const Tensor& a, IntArrayRef repeats) {
    const int64_t nd = static_cast<int64_t>(repeats.size());
    const DimVector padded = repeat_padded_sizes(a, repeats);
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

// The gradient of repeat: grad seen as [r0, s0, r1, s1, ...] summed over the repeat dims.
Tensor repeat_backward(const Tensor& grad, IntArrayRef repeats, IntArrayRef padded,
                       IntArrayRef input_sizes) {
    DimVector split_sizes, repeat_dims;
    for (size_t d = 0; d < repeats.size(); ++d) {
        repeat_dims.push_back(static_cast<int64_t>(split_sizes.size()));
        split_sizes.push_back(repeats[d]);
        split_sizes.push_back(padded[d]);
    }
    if (repeat_dims.empty()) return grad.reshape(input_sizes);
    return grad.reshape(split_sizes).sum(repeat_dims).reshape(input_sizes);
}

}  // namespace

Tensor flip(const Tensor& a, IntArrayRef dims) {
    a.check_defined("flip");
    Tensor out;
    {
        NoGradGuard no_grad;
        out = flip_impl(a, dims);
    }
    const DimVector flipped(dims.begin(), dims.end());
    return autograd::record_unary("FlipBackward0", a, out,
                    [flipped](const Tensor& g) { return g.flip(flipped); });
}

Tensor repeat(const Tensor& a, IntArrayRef repeats) {
    a.check_defined("repeat");
    EMBER_CHECK(static_cast<int64_t>(repeats.size()) >= a.dim(), "Number of dimensions of repeat "
                "dims can not be smaller than number of dimensions of tensor (repeats ",
                shape_str(repeats), " for a tensor of shape ", shape_str(a.sizes()), ")");
    Tensor out;
    {
        NoGradGuard no_grad;
        out = repeat_impl(a, repeats);
    }
    const DimVector reps(repeats.begin(), repeats.end()), padded = repeat_padded_sizes(a, repeats),
        input_sizes = a.sizes().dims();
    return autograd::record_unary("RepeatBackward0", a, out, [reps, padded, input_sizes](const Tensor& g) {
        return repeat_backward(g, reps, padded, input_sizes);
    });
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

// tril (lower) or triu; the gradient keeps the same triangle of grad.
Tensor triangle(const Tensor& a, int64_t diagonal, bool lower) {
    const char* op = lower ? "tril" : "triu";
    a.check_defined(op);
    Tensor out;
    {
        NoGradGuard no_grad;
        out = a.masked_fill(outside_triangle(a, diagonal, lower, op), 0);
    }
    return autograd::record_unary(lower ? "TrilBackward0" : "TriuBackward0", a, out,
                    [diagonal, lower](const Tensor& g) {
                        return lower ? g.tril(diagonal) : g.triu(diagonal);
                    });
}

Tensor& triangle_(Tensor& self, int64_t diagonal, bool lower) {
    const char* op = lower ? "tril_" : "triu_";
    self.check_defined(op);
    return autograd::inplace_op(
        self, op, autograd::needs_grad(self), [&] { return triangle(self, diagonal, lower); },
        [&] { self.masked_fill_(outside_triangle(self, diagonal, lower, op), 0); });
}

}  // namespace

Tensor tril(const Tensor& a, int64_t diagonal) { return triangle(a, diagonal, true); }
Tensor triu(const Tensor& a, int64_t diagonal) { return triangle(a, diagonal, false); }

Tensor Tensor::flip(IntArrayRef dims) const { return ember::flip(*this, dims); }
Tensor Tensor::repeat(IntArrayRef repeats) const { return ember::repeat(*this, repeats); }
Tensor Tensor::tril(int64_t diagonal) const { return ember::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal) const { return ember::triu(*this, diagonal); }
Tensor& Tensor::tril_(int64_t diagonal) { return triangle_(*this, diagonal, true); }
Tensor& Tensor::triu_(int64_t diagonal) { return triangle_(*this, diagonal, false); }

}  // namespace ember

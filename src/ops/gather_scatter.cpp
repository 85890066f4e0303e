// gather, scatter, scatter_add and one_hot: reading and writing along one dim at positions
// given by an int64 index tensor of the same rank (PyTorch's checks and messages).
//
// Both directions are offset-driven (see ops/index_util.h): self restrided to the index's shape
// with stride 0 along `dim` is moved by index * self.stride(dim) for every element.
//
// gather and scatter are each other's gradients (gather's is a scatter_add into zeros), so the
// formulas stay differentiable for double backward.
#include "autograd/formulas.h"
#include "autograd/function.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"
#include "ops/index_util.h"
#include "ops/util.h"

namespace ember {

using detail::make_view;

namespace {

// A 0-dim tensor takes part as a 1-element 1-D one, as in PyTorch (ensure_nonempty_*).
Tensor nonempty(const Tensor& t) {
    return t.dim() == 0 ? make_view(t, {1}, {1}, t.storage_offset()) : t;
}

// `t` seen through `index`'s shape: stride 0 along dim when `along_dim_zero` (self, moved by
// the offsets), or its own strides cut to the index's extent (src).
Tensor restride(const Tensor& t, IntArrayRef sizes, int64_t dim, bool along_dim_zero) {
    DimVector strides = t.strides().dims();
    if (along_dim_zero) strides[dim] = 0;
    return make_view(t, sizes, strides, t.storage_offset());
}

void check_index_values(const char* op, const Tensor& index, int64_t dim, int64_t size) {
    if (auto bad = detail::first_out_of_range(index, 0, size))
        EMBER_ERROR(op, "(): index ", *bad, " is out of bounds for dimension ", dim, " with size ",
                    size);
}

// PyTorch's scatter_shape_check: index.size(d) <= self.size(d) for d != dim, and
// index.size(d) <= src.size(d) for every d.
void check_scatter_shapes(const Tensor& self, int64_t dim, const Tensor& index,
                          const Tensor* src) {
    if (index.numel() == 0) return;
    const Tensor s = nonempty(self), i = nonempty(index);
    EMBER_CHECK(s.dim() == i.dim(), "Index tensor must have the same number of dimensions as "
                "self tensor (self ", shape_str(self.sizes()), ", index ",
                shape_str(index.sizes()), ")");
    bool wrong_shape = false;
    for (int64_t d = 0; d < s.dim() && !wrong_shape; ++d)
        wrong_shape = d != dim && i.size(d) > s.size(d);
    if (src) {
        const Tensor c = nonempty(*src);
        for (int64_t d = 0; d < s.dim() && !wrong_shape; ++d)
            wrong_shape = d < c.dim() && i.size(d) > c.size(d);
        EMBER_CHECK(c.dim() == i.dim(), "Index tensor must have the same number of dimensions as "
                    "src tensor (src ", shape_str(src->sizes()), ", index ",
                    shape_str(index.sizes()), ")");
        EMBER_CHECK(!wrong_shape, "Expected index ", shape_str(index.sizes()),
                    " to be smaller than self ", shape_str(self.sizes()), " apart from dimension ",
                    dim, " and to be smaller size than src ", shape_str(src->sizes()));
    } else {
        EMBER_CHECK(!wrong_shape, "Expected index ", shape_str(index.sizes()),
                    " to be smaller than self ", shape_str(self.sizes()), " apart from dimension ",
                    dim);
    }
}

// self[index[i][j]][j] = src[i][j] (dim 0), or += when accumulate. src undefined: `value`.
Tensor& scatter_impl(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                     const Scalar& value, bool accumulate) {
    self.check_defined("scatter");
    index.check_defined("scatter");
    if (src.defined()) detail::check_same_device("scatter", {&self, &index, &src});
    else detail::check_same_device("scatter", {&self, &index});
    const int64_t d = detail::wrap_dim(dim, self.dim(), "scatter");
    EMBER_CHECK(index.dtype() == DType::Int64, "scatter(): Expected dtype int64 for index (got ",
                index.dtype(), ")");
    if (src.defined())
        EMBER_CHECK(src.dtype() == self.dtype(), "scatter(): Expected self.dtype to be equal to "
                    "src.dtype (self ", self.dtype(), ", src ", src.dtype(), ")");
    check_scatter_shapes(self, d, index, src.defined() ? &src : nullptr);
    if (index.numel() == 0) return self;
    const Tensor s = nonempty(self), i = nonempty(index);
    check_index_values(accumulate ? "scatter_add" : "scatter", index, d, s.size(d));
    Tensor values;
    if (src.defined()) {
        // A src (or index) overlapping self is read in full before self changes.
        const Tensor c = detail::shares_storage(src, self) ? src.clone() : src;
        values = restride(nonempty(c), i.sizes(), d, false);
    } else {
        values = full({}, value, {.dtype = self.dtype(), .device = self.device()});
        values = values.expand(i.sizes());
    }
    const Tensor offsets = detail::shares_storage(index, self) ? i.clone() : i;
    detail::run_index_put(restride(s, i.sizes(), d, true), values, offsets, s.stride(d),
                          accumulate);
    return self;
}

// The gradient of scatter's src: grad read back at the scattered positions (index's shape),
// padded with zeros where src is larger than index (those elements were not scattered).
Tensor src_grad(const Tensor& grad, int64_t dim, const Tensor& index, IntArrayRef src_sizes) {
    const TensorOptions opts{.dtype = grad.dtype(), .device = grad.device()};
    if (index.numel() == 0) return zeros(src_sizes, opts);
    Tensor g = grad.gather(dim, index);
    if (g.sizes() == src_sizes) return g;
    const DimVector index_sizes = index.sizes().dims();
    return autograd::embed_in_zeros("SliceBackwardBackward0", g, src_sizes,
                                    [index_sizes](const Tensor& t) {
                                        Tensor v = t;
                                        for (size_t d = 0; d < index_sizes.size(); ++d)
                                            v = v.narrow(int64_t(d), 0, index_sizes[d]);
                                        return v;
                                    });
}

// The out-of-place scatters, recorded: `accumulate` for scatter_add; src undefined: `value`.
Tensor scatter_recorded(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src,
                        const Scalar& value, bool accumulate) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = a.clone();
        scatter_impl(out, dim, index, src, value, accumulate);
    }
    if (!autograd::needs_grad(a, src)) return out;
    const int64_t d = detail::wrap_dim(dim, a.dim(), "scatter");
    if (!src.defined()) {
        autograd::record("ScatterBackward1", {a}, {out}, {index},
                         [d](autograd::BackwardContext& ctx) {
                             return TensorList{ctx.grad().scatter(d, ctx.saved(0), 0)};
                         });
        return out;
    }
    const DimVector src_sizes = src.sizes().dims();
    autograd::record(accumulate ? "ScatterAddBackward0" : "ScatterBackward0", {a, src}, {out},
                     {index}, [d, src_sizes, accumulate](autograd::BackwardContext& ctx) {
                         const Tensor& g = ctx.grad();
                         Tensor ga, gs;
                         // scatter overwrites: the written positions lose self's gradient.
                         if (ctx.needs(0)) ga = accumulate ? g : g.scatter(d, ctx.saved(0), 0);
                         if (ctx.needs(1)) gs = src_grad(g, d, ctx.saved(0), src_sizes);
                         return TensorList{ga, gs};
                     });
    return out;
}

}  // namespace

Tensor gather(const Tensor& a, int64_t dim, const Tensor& index) {
    a.check_defined("gather");
    index.check_defined("gather");
    detail::check_same_device("gather", {&a, &index});
    const int64_t d = detail::wrap_dim(dim, a.dim(), "gather");
    EMBER_CHECK(index.dtype() == DType::Int64, "gather(): Expected dtype int64 for index (got ",
                index.dtype(), ")");
    const Tensor s = nonempty(a), i = nonempty(index);
    EMBER_CHECK(s.dim() == i.dim(), "Index tensor must have the same number of dimensions as "
                "input tensor (input ", shape_str(a.sizes()), ", index ",
                shape_str(index.sizes()), ")");
    for (int64_t k = 0; k < s.dim(); ++k)
        EMBER_CHECK(k == d || i.size(k) <= s.size(k), "Size does not match at dimension ", k,
                    " expected index ", shape_str(index.sizes()), " to be smaller than self ",
                    shape_str(a.sizes()), " apart from dimension ", d);
    Tensor out = empty(index.sizes(), {.dtype = a.dtype(), .device = a.device()});
    if (out.numel() > 0) {
        check_index_values("gather", index, d, s.size(d));
        detail::run_index_gather(nonempty(out), restride(s, i.sizes(), d, true), i, s.stride(d));
    }
    if (autograd::needs_grad(a)) {
        const DimVector a_sizes = a.sizes().dims();
        autograd::record("GatherBackward0", {a}, {out}, {index},
                         [d, a_sizes](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             Tensor z = zeros(a_sizes, {.dtype = g.dtype(), .device = g.device()});
                             return TensorList{z.scatter_add(d, ctx.saved(0), g)};
                         });
    }
    return out;
}

Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src) {
    a.check_defined("scatter");
    src.check_defined("scatter");
    return scatter_recorded(a, dim, index, src, 0, false);
}

Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Scalar& value) {
    a.check_defined("scatter");
    return scatter_recorded(a, dim, index, Tensor(), value, false);
}

Tensor scatter_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src) {
    a.check_defined("scatter_add");
    src.check_defined("scatter_add");
    return scatter_recorded(a, dim, index, src, 0, true);
}

Tensor one_hot(const Tensor& a, int64_t num_classes) {
    a.check_defined("one_hot");
    EMBER_CHECK(a.dtype() == DType::Int64, "one_hot is only applicable to index tensor. (got ",
                a.dtype(), ")");
    DimVector shape = a.sizes().dims();
    if (a.numel() == 0) {
        EMBER_CHECK(num_classes > 0, "Can not infer total number of classes from empty tensor.");
        shape.push_back(num_classes);
        return empty(shape, {.dtype = DType::Int64, .device = a.device()});
    }
    const int64_t min_class = min(a).item<int64_t>();
    EMBER_CHECK(min_class >= 0, "one_hot: Class values must be non-negative. (got class ",
                min_class, ")");
    const int64_t max_class = max(a).item<int64_t>();
    if (num_classes == -1) num_classes = max_class + 1;
    else EMBER_CHECK(num_classes > max_class, "one_hot: Class values must be smaller than "
                     "num_classes. (got class ", max_class, " with num_classes=", num_classes, ")");
    shape.push_back(num_classes);
    Tensor out = zeros(shape, {.dtype = DType::Int64, .device = a.device()});
    out.scatter_(-1, a.unsqueeze(-1), 1);
    return out;
}

Tensor Tensor::gather(int64_t dim, const Tensor& index) const {
    return ember::gather(*this, dim, index);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src) const {
    return ember::scatter(*this, dim, index, src);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value) const {
    return ember::scatter(*this, dim, index, value);
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src) {
    src.check_defined("scatter_");
    return autograd::inplace_op(
        *this, "scatter_", autograd::needs_grad(*this, src),
        [&] { return scatter_recorded(*this, dim, index, src, 0, false); },
        [&] { scatter_impl(*this, dim, index, src, 0, false); });
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Scalar& value) {
    return autograd::inplace_op(
        *this, "scatter_", autograd::needs_grad(*this),
        [&] { return scatter_recorded(*this, dim, index, Tensor(), value, false); },
        [&] { scatter_impl(*this, dim, index, Tensor(), value, false); });
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const {
    return ember::scatter_add(*this, dim, index, src);
}
Tensor& Tensor::scatter_add_(int64_t dim, const Tensor& index, const Tensor& src) {
    src.check_defined("scatter_add_");
    return autograd::inplace_op(
        *this, "scatter_add_", autograd::needs_grad(*this, src),
        [&] { return scatter_recorded(*this, dim, index, src, 0, true); },
        [&] { scatter_impl(*this, dim, index, src, 0, true); });
}

}  // namespace ember

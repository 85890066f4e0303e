// Factories: tensor() from nested lists, from_blob, empty/zeros/ones/full(_like), arange,
// linspace, eye.
#include "ember/ops/factory.h"

#include <cmath>

#include "cpu/loops.h"
#include "ops/util.h"

namespace ember {

static void check_sizes(IntArrayRef sizes, const char* op) {
    for (int64_t s : sizes)
        EMBER_CHECK(s >= 0, op, ": trying to create tensor with negative dimension ", s, ": ",
                    shape_str(sizes));
}

static Tensor finish_options(Tensor t, const TensorOptions& o) {
    if (o.requires_grad) {
        EMBER_CHECK(t.is_floating_point(), "Only Tensors of floating point and complex dtype can "
                    "require gradients (got ", t.dtype(), ")");
        t.requires_grad_(true);
    }
    return t;
}

Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, TensorOptions o) {
    check_sizes(sizes, "empty_strided");
    EMBER_CHECK(sizes.size() == strides.size(), "empty_strided: sizes ", shape_str(sizes),
                " and strides ", shape_str(strides), " have different lengths");
    DType dtype = o.dtype.value_or(default_dtype());
    int64_t extent = 1;  // elements the storage must hold
    bool is_empty = false;
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] == 0) is_empty = true;
        else extent += (sizes[i] - 1) * strides[i];
    }
    if (is_empty) extent = 0;
    auto storage = make_intrusive<StorageImpl>(static_cast<size_t>(extent * element_size(dtype)),
                                               o.device);
    Tensor t(make_intrusive<TensorImpl>(std::move(storage), dtype, sizes, strides, 0));
    return finish_options(std::move(t), o);
}

Tensor empty(IntArrayRef sizes, TensorOptions o) {
    check_sizes(sizes, "empty");
    return empty_strided(sizes, contiguous_strides(sizes), o);
}

Tensor zeros(IntArrayRef sizes, TensorOptions o) {
    TensorOptions inner = o;
    inner.requires_grad = false;
    Tensor t = empty(sizes, inner);
    t.zero_();
    return finish_options(std::move(t), o);
}

Tensor ones(IntArrayRef sizes, TensorOptions o) {
    if (!o.dtype) o.dtype = default_dtype();
    return full(sizes, 1, o);
}

Tensor full(IntArrayRef sizes, const Scalar& value, TensorOptions o) {
    TensorOptions inner = o;
    inner.requires_grad = false;
    if (!inner.dtype) inner.dtype = value.dtype();
    Tensor t = empty(sizes, inner);
    t.fill_(value);
    return finish_options(std::move(t), o);
}

// Strides for a new tensor shaped like `like`: its own when it is dense without overlap
// (PyTorch's preserve_format), row-major otherwise.
static DimVector like_strides(const Tensor& like) {
    if (like.numel() > 0 && detail::is_non_overlapping_and_dense(like))
        return DimVector(like.strides().begin(), like.strides().end());
    return contiguous_strides(like.sizes());
}

Tensor empty_like(const Tensor& like, TensorOptions o) {
    like.check_defined("empty_like");
    TensorOptions inner{.dtype = o.dtype.value_or(like.dtype()), .device = like.device(),
                        .requires_grad = o.requires_grad};
    if (!(o.device == kCPU)) inner.device = o.device;
    return empty_strided(like.sizes(), like_strides(like), inner);
}

Tensor zeros_like(const Tensor& like, TensorOptions o) {
    TensorOptions inner = o;
    inner.requires_grad = false;
    Tensor t = empty_like(like, inner);
    t.zero_();
    return finish_options(std::move(t), o);
}

Tensor ones_like(const Tensor& like, TensorOptions o) { return full_like(like, 1, o); }

Tensor full_like(const Tensor& like, const Scalar& value, TensorOptions o) {
    TensorOptions inner = o;
    inner.requires_grad = false;
    Tensor t = empty_like(like, inner);
    t.fill_(value);
    return finish_options(std::move(t), o);
}

// ---- tensor() from nested lists ---------------------------------------------------------

static void nested_shape(const NestedList& n, size_t depth, DimVector& shape, Scalar::Kind& kind,
                         bool& first_leaf) {
    if (!n.is_list()) {
        EMBER_CHECK(depth == shape.size(), "tensor: expected a sequence at dim ", depth,
                    " (got a number): the nested lists are ragged");
        if (first_leaf || static_cast<int>(n.kind()) > static_cast<int>(kind)) kind = n.kind();
        first_leaf = false;
        return;
    }
    if (depth == shape.size()) {
        EMBER_CHECK(first_leaf, "tensor: expected a number at dim ", depth,
                    " (got a sequence): the nested lists are ragged");
        shape.push_back(static_cast<int64_t>(n.list().size()));
    } else {
        EMBER_CHECK(shape[depth] == static_cast<int64_t>(n.list().size()),
                    "tensor: expected sequence of length ", shape[depth], " at dim ", depth,
                    " (got ", n.list().size(), ")");
    }
    for (const NestedList& c : n.list()) nested_shape(c, depth + 1, shape, kind, first_leaf);
}

template <class T>
static void nested_fill(const NestedList& n, T*& out) {
    if (!n.is_list()) {
        *out++ = n.scalar().to<T>();
        return;
    }
    for (const NestedList& c : n.list()) nested_fill(c, out);
}

Tensor tensor(const NestedList& data, TensorOptions o) {
    DimVector shape;
    Scalar::Kind kind = Scalar::Kind::Bool;
    bool first_leaf = true;
    nested_shape(data, 0, shape, kind, first_leaf);
    DType inferred = first_leaf ? default_dtype()  // no numbers at all: empty float tensor
                     : kind == Scalar::Kind::Float ? default_dtype()
                     : kind == Scalar::Kind::Int   ? DType::Int64
                                                   : DType::Bool;
    TensorOptions cpu_opts{.dtype = o.dtype.value_or(inferred), .device = kCPU};
    Tensor t = empty(shape, cpu_opts);
    detail::visit_dtype(t.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* p = reinterpret_cast<T*>(t.data_ptr());
        nested_fill(data, p);
    });
    if (!(o.device == kCPU)) t = t.to(o.device);
    return finish_options(std::move(t), o);
}

template <class T>
Tensor tensor(const std::vector<T>& values, TensorOptions o) {
    Tensor t = empty({static_cast<int64_t>(values.size())}, {.dtype = dtype_of<T>});
    std::copy(values.begin(), values.end(), reinterpret_cast<T*>(t.data_ptr()));
    if (o.dtype && *o.dtype != t.dtype()) t = t.to(*o.dtype);
    if (!(o.device == kCPU)) t = t.to(o.device);
    return finish_options(std::move(t), o);
}

template Tensor tensor<uint8_t>(const std::vector<uint8_t>&, TensorOptions);
template Tensor tensor<int8_t>(const std::vector<int8_t>&, TensorOptions);
template Tensor tensor<int16_t>(const std::vector<int16_t>&, TensorOptions);
template Tensor tensor<int32_t>(const std::vector<int32_t>&, TensorOptions);
template Tensor tensor<int64_t>(const std::vector<int64_t>&, TensorOptions);
template Tensor tensor<Half>(const std::vector<Half>&, TensorOptions);
template Tensor tensor<BFloat16>(const std::vector<BFloat16>&, TensorOptions);
template Tensor tensor<float>(const std::vector<float>&, TensorOptions);
template Tensor tensor<double>(const std::vector<double>&, TensorOptions);

// ---- from_blob ------------------------------------------------------------------------------

static Tensor wrap_blob(void* data, IntArrayRef sizes, IntArrayRef strides,
                        std::function<void(void*)> deleter, const TensorOptions& o) {
    check_sizes(sizes, "from_blob");
    EMBER_CHECK(data != nullptr || prod(sizes) == 0, "from_blob: data is a null pointer");
    DType dtype = o.dtype.value_or(default_dtype());
    int64_t extent = 1;
    for (size_t i = 0; i < sizes.size(); ++i) {
        EMBER_CHECK(strides[i] >= 0, "from_blob: negative stride in ", shape_str(strides));
        if (sizes[i] == 0) extent = 0;
        if (extent) extent += (sizes[i] - 1) * strides[i];
    }
    auto storage = make_intrusive<StorageImpl>(
        data, static_cast<size_t>(extent * element_size(dtype)), o.device, std::move(deleter));
    Tensor t(make_intrusive<TensorImpl>(std::move(storage), dtype, sizes, strides, 0));
    return finish_options(std::move(t), o);
}

Tensor from_blob(void* data, IntArrayRef sizes, TensorOptions o) {
    return wrap_blob(data, sizes, contiguous_strides(sizes), {}, o);
}
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, TensorOptions o) {
    EMBER_CHECK(sizes.size() == strides.size(), "from_blob: sizes ", shape_str(sizes),
                " and strides ", shape_str(strides), " have different lengths");
    return wrap_blob(data, sizes, strides, {}, o);
}
Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter,
                 TensorOptions o) {
    return wrap_blob(data, sizes, contiguous_strides(sizes), std::move(deleter), o);
}

// ---- ranges ---------------------------------------------------------------------------------

Tensor arange(const Scalar& end, TensorOptions o) { return arange(0, end, 1, o); }

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, TensorOptions o) {
    bool all_int = !start.is_floating_point() && !end.is_floating_point() && !step.is_floating_point();
    DType dtype = o.dtype.value_or(all_int ? DType::Int64 : default_dtype());
    double s = start.to_double(), e = end.to_double(), st = step.to_double();
    EMBER_CHECK(std::isfinite(s) && std::isfinite(e), "arange: unsupported range: ", s, " -> ", e);
    EMBER_CHECK(st != 0, "arange: step must be nonzero");
    EMBER_CHECK((st > 0 && e >= s) || (st < 0 && e <= s),
                "arange: upper bound and larger bound inconsistent with step sign (start=", start,
                ", end=", end, ", step=", step, ")");
    double size_d = all_int ? std::ceil(static_cast<double>(end.to_int64() - start.to_int64()) /
                                        static_cast<double>(step.to_int64()))
                            : std::ceil((e - s) / st);
    int64_t n = static_cast<int64_t>(size_d);
    TensorOptions inner{.dtype = dtype, .device = kCPU};
    Tensor t = empty({n}, inner);
    detail::visit_dtype(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* p = reinterpret_cast<T*>(t.data_ptr());
        if constexpr (std::is_same_v<T, bool>) {
            EMBER_ERROR("arange: not implemented for 'Bool'");
        } else if constexpr (std::is_integral_v<T>) {
            int64_t a = start.to_int64(), d = step.to_int64();
            for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(a + d * i);
        } else {
            for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(s + st * static_cast<double>(i));
        }
    });
    if (!(o.device == kCPU)) t = t.to(o.device);
    return finish_options(std::move(t), o);
}

Tensor linspace(double start, double end, int64_t steps, TensorOptions o) {
    EMBER_CHECK(steps >= 0, "linspace: number of steps must be non-negative (got ", steps, ")");
    DType dtype = o.dtype.value_or(default_dtype());
    Tensor t = empty({steps}, {.dtype = dtype});
    detail::visit_dtype(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* p = reinterpret_cast<T*>(t.data_ptr());
        if (steps == 0) return;
        if (steps == 1) {
            p[0] = static_cast<T>(start);
            return;
        }
        if constexpr (std::is_same_v<T, bool>) {
            EMBER_ERROR("linspace: not implemented for 'Bool'");
        } else if constexpr (std::is_integral_v<T>) {
            // Integers step in double and truncate, as PyTorch does.
            double step = (end - start) / static_cast<double>(steps - 1);
            int64_t half = steps / 2;
            for (int64_t i = 0; i < steps; ++i)
                p[i] = static_cast<T>(i < half ? start + step * i : end - step * (steps - i - 1));
        } else {
            using M = detail::opmath_t<T>;
            M a = static_cast<M>(start), b = static_cast<M>(end);
            M step = (b - a) / static_cast<M>(steps - 1);
            int64_t half = steps / 2;
            for (int64_t i = 0; i < steps; ++i)
                p[i] = static_cast<T>(i < half ? a + step * static_cast<M>(i)
                                               : b - step * static_cast<M>(steps - i - 1));
        }
    });
    if (!(o.device == kCPU)) t = t.to(o.device);
    return finish_options(std::move(t), o);
}

Tensor eye(int64_t n, std::optional<int64_t> m_opt, TensorOptions o) {
    int64_t m = m_opt.value_or(n);
    EMBER_CHECK(n >= 0 && m >= 0, "eye: n and m must be non-negative, got n=", n, ", m=", m);
    TensorOptions inner = o;
    inner.requires_grad = false;
    Tensor t = zeros({n, m}, inner);
    t.diagonal().fill_(1);
    return finish_options(std::move(t), o);
}

}  // namespace ember

// Tensor metadata accessors, element access and autograd flags.
#include "ember/core/tensor.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "core/autograd_meta.h"
#include "ember/autograd/grad_mode.h"
#include "cpu/loops.h"
#include "ops/util.h"

namespace ember {

void Tensor::throw_undefined() {
    EMBER_ERROR("called a method on an undefined tensor (a default-constructed Tensor)");
}

void Tensor::check_defined(const char* op) const {
    EMBER_CHECK(defined(), op, ": called on an undefined tensor (a default-constructed Tensor)");
}

int64_t Tensor::size(int64_t d) const { return sizes()[detail::wrap_dim(d, dim(), "size")]; }
int64_t Tensor::stride(int64_t d) const { return strides()[detail::wrap_dim(d, dim(), "stride")]; }

void Tensor::check_dtype_for_access(DType requested, const char* what) const {
    check_defined(what);
    EMBER_CHECK(requested == dtype(), what, ": expected scalar type ", dtype_short_name(dtype()),
                " but found ", dtype_short_name(requested), " (tensor is ", dtype(), ")");
    EMBER_CHECK(is_cpu(), what, ": the tensor is on ", device(), "; move it with .cpu() first");
}

Scalar Tensor::item() const {
    check_defined("item");
    EMBER_CHECK(numel() == 1, "item: a Tensor with ", numel(),
                " elements cannot be converted to Scalar (shape ", shape_str(sizes()), ")");
    Tensor c = cpu();
    return detail::visit_dtype(dtype(), [&](auto tag) -> Scalar {
        using T = typename decltype(tag)::type;
        return Scalar(*reinterpret_cast<const T*>(c.data_ptr()));
    });
}

template <class T>
std::vector<T> Tensor::to_vector() const {
    check_defined("to_vector");
    Tensor c = to(kCPU, dtype_of<T>).contiguous();
    const T* p = reinterpret_cast<const T*>(c.data_ptr());
    return std::vector<T>(p, p + c.numel());
}

template std::vector<bool> Tensor::to_vector<bool>() const;
template std::vector<uint8_t> Tensor::to_vector<uint8_t>() const;
template std::vector<int8_t> Tensor::to_vector<int8_t>() const;
template std::vector<int16_t> Tensor::to_vector<int16_t>() const;
template std::vector<int32_t> Tensor::to_vector<int32_t>() const;
template std::vector<int64_t> Tensor::to_vector<int64_t>() const;
template std::vector<Half> Tensor::to_vector<Half>() const;
template std::vector<BFloat16> Tensor::to_vector<BFloat16>() const;
template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;

std::string Tensor::str() const {
    std::ostringstream ss;
    ss << *this;
    return ss.str();
}

DType Scalar::dtype() const {
    switch (kind_) {
        case Kind::Bool: return DType::Bool;
        case Kind::Int: return DType::Int64;
        case Kind::Float: break;
    }
    return default_dtype();
}

Scalar Scalar::operator-() const {
    switch (kind_) {
        case Kind::Bool: EMBER_ERROR("negation of a bool Scalar is not supported");
        case Kind::Int: return Scalar(-i_);
        case Kind::Float: break;
    }
    return Scalar(-d_);
}

std::ostream& operator<<(std::ostream& os, const Scalar& s) {
    switch (s.kind()) {
        case Scalar::Kind::Bool: return os << (s.to_bool() ? "True" : "False");
        case Scalar::Kind::Int: return os << s.to_int64();
        case Scalar::Kind::Float: break;
    }
    return os << s.to_double();
}

namespace detail {

int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
    int64_t n = std::max<int64_t>(ndim, 1);
    EMBER_CHECK(dim >= -n && dim < n, op, ": dimension out of range (expected to be in range of [",
                -n, ", ", n - 1, "], but got ", dim, ")");
    return dim < 0 ? dim + n : dim;
}

std::bitset<64> dim_mask(IntArrayRef dims, int64_t ndim, const char* op) {
    EMBER_CHECK(ndim <= 64, op, ": tensors with more than 64 dimensions are not supported");
    std::bitset<64> mask;
    if (dims.empty()) {
        for (int64_t d = 0; d < ndim; ++d) mask.set(d);
        return mask;
    }
    for (int64_t d : dims) {
        int64_t w = wrap_dim(d, ndim, op);
        EMBER_CHECK(!mask.test(w), op, ": dim ", w, " appears multiple times in the list of dims");
        mask.set(w);
    }
    return mask;
}

void check_same_device(const char* op, std::initializer_list<const Tensor*> tensors) {
    const Tensor* first = nullptr;
    for (const Tensor* t : tensors) {
        t->check_defined(op);
        if (!first) {
            first = t;
        } else if (!(t->device() == first->device())) {
            EMBER_ERROR(op, ": expected all tensors to be on the same device, but found at least "
                        "two devices, ", first->device(), " and ", t->device());
        }
    }
}

std::string describe(const Tensor& t) {
    if (!t.defined()) return "undefined";
    return str_cat(shape_str(t.sizes()), " ", t.dtype(), " ", t.device());
}

bool is_non_overlapping_and_dense(const Tensor& t) {
    IntArrayRef sz = t.sizes(), st = t.strides();
    DimVector order(sz.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return st[a] < st[b]; });
    int64_t expected = 1;
    for (int64_t d : order) {
        if (sz[d] == 1) continue;
        if (st[d] != expected) return false;
        expected *= sz[d];
    }
    return true;
}

void check_no_internal_overlap(const Tensor& out, const char* op) {
    for (int64_t d = 0; d < out.dim(); ++d)
        EMBER_CHECK(!(out.size(d) > 1 && out.stride(d) == 0), op,
                    ": unsupported operation: more than one element of the written-to tensor "
                    "refers to a single memory location. Please clone() the tensor before "
                    "performing the operation (written-to tensor ", describe(out), " with strides ",
                    shape_str(out.strides()), ")");
}

void check_no_partial_overlap(const Tensor& out, const Tensor& in, const char* op) {
    if (out.storage().get() != in.storage().get() || out.numel() == 0 || in.numel() == 0) return;
    if (out.data_ptr() == in.data_ptr() && out.sizes() == in.sizes() && out.strides() == in.strides())
        return;  // the same elements: an ordinary in-place op
    if (!is_non_overlapping_and_dense(out) || !is_non_overlapping_and_dense(in)) return;
    const char* o = static_cast<const char*>(out.data_ptr());
    const char* i = static_cast<const char*>(in.data_ptr());
    bool disjoint = o + out.nbytes() <= i || i + in.nbytes() <= o;
    EMBER_CHECK(disjoint, op, ": unsupported operation: some elements of the input tensor and the "
                "written-to tensor refer to a single memory location. Please clone() the tensor "
                "before performing the operation (written-to ", describe(out), " strides ",
                shape_str(out.strides()), ", input ", describe(in), " strides ",
                shape_str(in.strides()), ")");
}

Tensor empty_contiguous(IntArrayRef sizes, int64_t numel, DType dtype, Device device) {
    auto storage = make_intrusive<StorageImpl>(static_cast<size_t>(numel * element_size(dtype)), device);
    return Tensor(make_intrusive<TensorImpl>(std::move(storage), dtype, sizes,
                                             contiguous_strides(sizes), 0));
}

Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
    EMBER_CHECK(!base.is_sparse(), "views of sparse tensors are not supported (got a sparse_coo ",
                dtype_name(base.dtype()), " tensor of size ", shape_str(base.sizes()),
                "); convert it with to_dense() first");
    auto impl = make_intrusive<TensorImpl>(base.storage(), base.dtype(), sizes, strides, offset);
    impl->set_view_base(base.is_view() ? base.impl()->view_base() : base.impl_ptr());
    impl->set_inference(base.is_inference());  // a view is an inference tensor iff its base is
    impl->set_view_version(base.version(), is_grad_enabled());
    return Tensor(std::move(impl));
}

}  // namespace detail
}  // namespace ember

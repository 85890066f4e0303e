// Sparse COO tensors (ember/ops/sparse.h): construction, coalesce, to_dense, and the few ops
// that sparse gradients need. Entries are located by their row-major linear index over the
// sparse dims; sums of duplicates run in the order of the entries (scatter_add), so results
// do not depend on the number of threads.
#include "ember/ops/sparse.h"

#include <numeric>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/shape.h"
#include "ops/util.h"

namespace ember {

namespace {

const SparseCooParts& parts_of(const Tensor& t, const char* op) {
    t.check_defined(op);
    EMBER_CHECK(t.is_sparse(), op, ": expected a sparse tensor, got ", detail::describe(t));
    return *t.impl()->sparse_parts();
}

// A sparse tensor from checked, contiguous parts.
Tensor make_sparse(const Tensor& indices, const Tensor& values, IntArrayRef size,
                   bool coalesced) {
    auto impl = make_intrusive<TensorImpl>(make_intrusive<StorageImpl>(0, values.device()),
                                           values.dtype(), size, contiguous_strides(size), 0);
    impl->set_sparse_parts({indices.impl_ptr(), values.impl_ptr(), coalesced});
    return Tensor(std::move(impl));
}

// The row-major linear index over the sparse dims of each entry: (nnz,) int64.
std::vector<int64_t> linear_index(const Tensor& indices, IntArrayRef size) {
    const int64_t sparse_dim = indices.size(0), nnz = indices.size(1);
    std::vector<int64_t> lin(nnz, 0);
    const int64_t* idx = indices.data_ptr<int64_t>();
    for (int64_t d = 0; d < sparse_dim; ++d)
        for (int64_t i = 0; i < nnz; ++i) lin[i] = lin[i] * size[d] + idx[d * nnz + i];
    return lin;
}

Tensor index_tensor(std::vector<int64_t> v) {
    const int64_t n = static_cast<int64_t>(v.size());
    Tensor t = empty({n}, {.dtype = DType::Int64});
    std::copy(v.begin(), v.end(), t.data_ptr<int64_t>());
    return t;
}

// An index along dim 0 of `values` spread over its other dims (for scatter_add).
Tensor spread(const Tensor& rows, const Tensor& values) {
    DimVector shape(values.dim(), 1);
    shape[0] = rows.numel();
    return rows.view(shape).expand(values.sizes());
}

// `dense` (contiguous) viewed as (prod(size[:sparse_dim]), *size[sparse_dim:]).
Tensor rows_view(const Tensor& dense, int64_t sparse_dim) {
    DimVector shape{-1};
    for (int64_t d = sparse_dim; d < dense.dim(); ++d) shape.push_back(dense.size(d));
    return dense.view(shape);
}

void check_no_grad(const Tensor& t, const char* op) {
    EMBER_CHECK(!t.requires_grad() || !is_grad_enabled(), op,
                ": autograd does not flow through sparse tensors yet (got ", detail::describe(t),
                " that requires grad)");
}

void check_same_kind(const Tensor& a, const Tensor& b, const char* op) {
    EMBER_CHECK(a.sizes() == b.sizes(), op, ": sparse operands must have the same size, got ",
                shape_str(a.sizes()), " and ", shape_str(b.sizes()));
    EMBER_CHECK(a.dtype() == b.dtype() && a.device() == b.device(), op,
                ": sparse operands must have the same dtype and device, got ",
                detail::describe(a), " and ", detail::describe(b));
}

}  // namespace

Tensor sparse_coo_tensor(const Tensor& indices, const Tensor& values, IntArrayRef size,
                         bool is_coalesced) {
    indices.check_defined("sparse_coo_tensor");
    values.check_defined("sparse_coo_tensor");
    EMBER_CHECK(!indices.is_sparse() && !values.is_sparse(),
                "sparse_coo_tensor: indices and values must be dense tensors");
    EMBER_CHECK(indices.dtype() == DType::Int64, "sparse_coo_tensor: indices must be an int64 "
                "tensor, but got ", detail::describe(indices));
    EMBER_CHECK(indices.dim() == 2, "sparse_coo_tensor: indices must be sparse_dim x nnz, but got: ",
                shape_str(indices.sizes()));
    EMBER_CHECK(values.dim() >= 1, "sparse_coo_tensor: values must be nnz x *dense_size, but got ",
                shape_str(values.sizes()));
    EMBER_CHECK(indices.is_cpu() && values.is_cpu(),
                "sparse_coo_tensor: only CPU sparse tensors are supported so far, got ",
                detail::describe(indices), " and ", detail::describe(values));
    check_no_grad(values, "sparse_coo_tensor");
    const int64_t sparse_dim = indices.size(0), nnz = indices.size(1);
    EMBER_CHECK(sparse_dim >= 1 && sparse_dim <= static_cast<int64_t>(size.size()),
                "sparse_coo_tensor: number of dimensions must be sparse_dim (", sparse_dim,
                ") + dense_dim (", values.dim() - 1, "), but got ", size.size());
    EMBER_CHECK(values.size(0) == nnz, "sparse_coo_tensor: indices and values must have same nnz, "
                "but got nnz from indices: ", nnz, ", nnz from values: ", values.size(0));
    EMBER_CHECK(static_cast<int64_t>(size.size()) == sparse_dim + values.dim() - 1,
                "sparse_coo_tensor: number of dimensions must be sparse_dim (", sparse_dim,
                ") + dense_dim (", values.dim() - 1, "), but got ", size.size());
    for (int64_t d = 1; d < values.dim(); ++d)
        EMBER_CHECK(values.size(d) == size[sparse_dim + d - 1], "sparse_coo_tensor: values has "
                    "incorrect size, expected ", shape_str(size), " for the dense dims, got ",
                    shape_str(values.sizes()));
    for (int64_t s : size)
        EMBER_CHECK(s >= 0, "sparse_coo_tensor: negative size in ", shape_str(size));
    NoGradGuard no_grad;
    const Tensor idx = indices.contiguous().clone();
    const int64_t* p = idx.data_ptr<int64_t>();
    for (int64_t d = 0; d < sparse_dim; ++d)
        for (int64_t i = 0; i < nnz; ++i) {
            const int64_t v = p[d * nnz + i];
            EMBER_CHECK(v >= 0, "sparse_coo_tensor: found negative index ", v, " for dim ", d);
            EMBER_CHECK(v < size[d], "sparse_coo_tensor: size is inconsistent with indices: for "
                        "dim ", d, ", size is ", size[d], " but found index ", v);
        }
    return make_sparse(idx, values.detach().contiguous(), size, is_coalesced || nnz <= 1);
}

// ---- the parts ----------------------------------------------------------------------------------

int64_t Tensor::sparse_dim() const {
    return is_sparse() ? Tensor(parts_of(*this, "sparse_dim").indices).size(0) : 0;
}
int64_t Tensor::dense_dim() const { return is_sparse() ? dim() - sparse_dim() : dim(); }
int64_t Tensor::_nnz() const { return Tensor(parts_of(*this, "_nnz").values).size(0); }
bool Tensor::is_coalesced() const { return parts_of(*this, "is_coalesced").coalesced; }
Tensor Tensor::_indices() const { return Tensor(parts_of(*this, "_indices").indices); }
Tensor Tensor::_values() const { return Tensor(parts_of(*this, "_values").values); }
Tensor Tensor::indices() const {
    EMBER_CHECK(is_coalesced(), "Cannot get indices on an uncoalesced tensor, please call "
                ".coalesce() first");
    return _indices();
}
Tensor Tensor::values() const {
    EMBER_CHECK(is_coalesced(), "Cannot get values on an uncoalesced tensor, please call "
                ".coalesce() first");
    return _values();
}

Tensor Tensor::coalesce() const {
    const SparseCooParts& parts = parts_of(*this, "coalesce");
    if (parts.coalesced) return *this;
    NoGradGuard no_grad;
    const Tensor indices(parts.indices), values(parts.values);
    const int64_t sparse_dim = indices.size(0), nnz = indices.size(1);
    const std::vector<int64_t> lin = linear_index(indices, sizes());
    std::vector<int64_t> order(nnz);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return lin[a] < lin[b]; });
    // group[k]: the output entry of the k-th entry in sorted order.
    std::vector<int64_t> group(nnz), unique_lin;
    for (int64_t k = 0; k < nnz; ++k) {
        if (k == 0 || lin[order[k]] != lin[order[k - 1]]) unique_lin.push_back(lin[order[k]]);
        group[k] = static_cast<int64_t>(unique_lin.size()) - 1;
    }
    const int64_t n = static_cast<int64_t>(unique_lin.size());
    Tensor new_indices = empty({sparse_dim, n}, {.dtype = DType::Int64});
    int64_t* out = new_indices.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
        int64_t rest = unique_lin[i];
        for (int64_t d = sparse_dim; d-- > 0;) {
            out[d * n + i] = rest % size(d);
            rest /= size(d);
        }
    }
    const Tensor sorted_values = values.index_select(0, index_tensor(order));
    DimVector value_shape = values.sizes().dims();
    value_shape[0] = n;
    Tensor new_values = zeros(value_shape, {.dtype = dtype(), .device = device()});
    new_values.scatter_add_(0, spread(index_tensor(group), sorted_values), sorted_values);
    return make_sparse(new_indices, new_values, sizes(), true);
}

Tensor Tensor::to_dense() const {
    check_defined("to_dense");
    if (!is_sparse()) return *this;
    check_no_grad(*this, "to_dense");
    NoGradGuard no_grad;
    Tensor dense = zeros(sizes(), {.dtype = dtype(), .device = device()});
    dense.add_(*this);
    return dense;
}

// ---- ops on sparse operands (called by the dense ops when one operand is sparse) -------------

namespace detail {

Tensor sparse_clone(const Tensor& t) {
    const SparseCooParts& p = parts_of(t, "clone");
    NoGradGuard no_grad;
    return make_sparse(Tensor(p.indices).clone(), Tensor(p.values).clone(), t.sizes(),
                       p.coalesced);
}

Tensor sparse_detach(const Tensor& t) {
    const SparseCooParts& p = parts_of(t, "detach");
    return make_sparse(Tensor(p.indices), Tensor(p.values), t.sizes(), p.coalesced);
}

Tensor sparse_to(const Tensor& t, Device device, DType dtype) {
    const SparseCooParts& p = parts_of(t, "to");
    EMBER_CHECK(device.is_cpu(), "to: only CPU sparse tensors are supported so far (",
                describe(t), " to ", device.str(), ")");
    NoGradGuard no_grad;
    return make_sparse(Tensor(p.indices).clone(), Tensor(p.values).to(dtype, /*copy=*/true),
                       t.sizes(), p.coalesced);
}

void sparse_zero_(Tensor& t) {
    SparseCooParts& p = *t.impl()->mutable_sparse_parts();
    const Tensor values(p.values);
    DimVector value_shape = values.sizes().dims();
    value_shape[0] = 0;
    p.indices = empty({Tensor(p.indices).size(0), 0}, {.dtype = DType::Int64}).impl_ptr();
    p.values = empty(value_shape, {.dtype = t.dtype(), .device = t.device()}).impl_ptr();
    p.coalesced = true;
}

void sparse_scale_(Tensor& t, const Scalar& factor, bool divide) {
    check_no_grad(t, divide ? "div_" : "mul_");
    NoGradGuard no_grad;
    Tensor values(t.impl()->sparse_parts()->values);
    if (divide) values.div_(factor);
    else values.mul_(factor);
}

// a + alpha * b with a or b sparse: sparse when both are.
Tensor sparse_add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
    check_same_kind(a, b, "add");
    check_no_grad(a, "add");
    check_no_grad(b, "add");
    NoGradGuard no_grad;
    if (a.is_sparse() && b.is_sparse()) {
        EMBER_CHECK(a.sparse_dim() == b.sparse_dim(), "add: sparse operands must have the same "
                    "sparse_dim, got ", a.sparse_dim(), " and ", b.sparse_dim());
        const Tensor bv = alpha.to_double() == 1.0 ? b._values() : b._values() * alpha;
        return make_sparse(cat({a._indices(), b._indices()}, 1).contiguous(),
                           cat({a._values(), bv}, 0).contiguous(), a.sizes(), false);
    }
    Tensor out = a.is_sparse() ? b * alpha : a.clone();
    if (a.is_sparse()) out.add_(a);
    else out.add_(b, alpha);
    return out;
}

std::vector<int64_t> sparse_rows(const Tensor& sparse) {
    return linear_index(Tensor(parts_of(sparse, "sparse_rows").indices), sparse.sizes());
}

// dense += alpha * sparse, or sparse += alpha * sparse (the entries appended).
void sparse_add_(Tensor& self, const Tensor& other, const Scalar& alpha) {
    check_same_kind(self, other, "add_");
    check_no_grad(other, "add_");
    NoGradGuard no_grad;
    if (self.is_sparse()) {
        EMBER_CHECK(other.is_sparse(), "add_: a dense tensor cannot be added in place to a "
                    "sparse one (", describe(self), " += ", describe(other), ")");
        const Tensor sum = sparse_add(self, other, alpha);
        *self.impl()->mutable_sparse_parts() = *sum.impl()->sparse_parts();
        return;
    }
    const Tensor indices = other._indices();
    Tensor values = alpha.to_double() == 1.0 ? other._values() : other._values() * alpha;
    const Tensor rows = index_tensor(linear_index(indices, self.sizes()));
    Tensor target = self.is_contiguous() ? self : self.contiguous();
    rows_view(target, indices.size(0)).scatter_add_(0, spread(rows, values), values);
    if (!target.is_same(self)) self.copy_(target);
}

}  // namespace detail
}  // namespace ember

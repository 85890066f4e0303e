// Tensor: a cheap, reference-counted handle to a TensorImpl (a strided view of a Storage).
//
// Copying a Tensor copies the handle, never the data (as assigning a torch.Tensor in Python).
// The methods mirror PyTorch's; each forwards to the free function of the same name in
// ember/ops/*.h, which is where the semantics are documented.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <functional>
#include <iosfwd>
#include <memory>
#include <type_traits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ember/core/device.h"
#include "ember/core/dtype.h"
#include "ember/core/error.h"
#include "ember/core/generator.h"
#include "ember/core/int_array.h"
#include "ember/core/intrusive_ptr.h"
#include "ember/core/scalar.h"
#include "ember/core/tensor_impl.h"

namespace ember {

class Tensor;
class TensorIndex;
namespace autograd {
class Node;
}
using TensorList = std::vector<Tensor>;

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(intrusive_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    // ---- identity and metadata ----------------------------------------------------------
    bool defined() const { return static_cast<bool>(impl_); }
    // The implementation; throws for an undefined (default-constructed) tensor, so every
    // metadata accessor below reports that instead of crashing.
    TensorImpl* impl() const {
        if (!impl_) [[unlikely]]
            throw_undefined();
        return impl_.get();
    }
    const intrusive_ptr<TensorImpl>& impl_ptr() const { return impl_; }
    bool is_same(const Tensor& o) const { return impl_ == o.impl_; }
    uint32_t use_count() const { return impl_.use_count(); }

    int64_t dim() const { return impl()->dim(); }
    int64_t ndimension() const { return dim(); }
    IntArrayRef sizes() const { return impl()->sizes(); }
    IntArrayRef shape() const { return impl()->sizes(); }
    int64_t size(int64_t dim) const;  // negative dims count from the end
    IntArrayRef strides() const { return impl()->strides(); }
    int64_t stride(int64_t dim) const;
    int64_t storage_offset() const { return impl()->storage_offset(); }
    int64_t numel() const { return impl()->numel(); }
    DType dtype() const { return impl()->dtype(); }
    DType scalar_type() const { return dtype(); }
    Device device() const { return impl()->device(); }
    bool is_cpu() const { return device().is_cpu(); }
    bool is_cuda() const { return device().is_cuda(); }
    bool is_floating_point() const { return ember::is_floating_point(dtype()); }
    bool is_contiguous() const { return impl()->is_contiguous(); }
    int64_t element_size() const { return ember::element_size(dtype()); }
    int64_t nbytes() const { return numel() * element_size(); }
    const Storage& storage() const { return impl()->storage(); }
    bool is_view() const { return static_cast<bool>(impl()->view_base()); }
    // The tensor owning the storage this view looks at (undefined if not a view).
    Tensor base() const { return Tensor(impl()->view_base()); }
    uint32_t version() const { return storage()->version(); }

    // Pointer to element 0; T must match the dtype (checked).
    template <class T>
    T* data_ptr() const {
        check_dtype_for_access(dtype_of<T>, "data_ptr");
        return reinterpret_cast<T*>(impl()->data());
    }
    void* data_ptr() const { return impl()->data(); }

    // The value of a one-element tensor, converted to T (any dtype may be read as any T).
    template <class T>
    T item() const {
        return item().to<T>();
    }
    Scalar item() const;
    // All elements in logical (row-major) order, converted to T.
    template <class T>
    std::vector<T> to_vector() const;

    // ---- autograd (see ember/autograd/autograd.h) ---------------------------------------
    bool requires_grad() const;
    // Leaves only (except turning it on): PyTorch's requires_grad_().
    Tensor& requires_grad_(bool requires_grad = true);
    Tensor& set_requires_grad(bool requires_grad) { return requires_grad_(requires_grad); }
    // The gradient backward() accumulated into this leaf (or into a non-leaf that called
    // retain_grad()); undefined until then.
    const Tensor& grad() const;
    // The same slot, writable (`p.mutable_grad() = Tensor()` drops it; optimizers zero it).
    Tensor& mutable_grad();
    // PyTorch's `.grad = g`: g (or undefined, to drop it) must match this tensor's dtype,
    // device and shape.
    void set_grad(const Tensor& grad);
    // The node that computed this tensor (null for leaves); name() is PyTorch's, e.g.
    // "MulBackward0".
    std::shared_ptr<autograd::Node> grad_fn() const;
    bool is_leaf() const;
    uint32_t output_nr() const;
    // Makes backward() keep this non-leaf's gradient in grad().
    void retain_grad() const;
    bool retains_grad() const;
    // Shares storage (and version counter) but is not part of the graph and not a view.
    Tensor detach() const;
    // Detaches this tensor from the graph in place: it becomes a leaf that does not require
    // grad.
    Tensor& detach_();
    // Created inside InferenceMode.
    bool is_inference() const;
    // Accumulates d(this)/d(leaf) into every leaf's grad(). `gradient` is required unless this
    // tensor has one element (then it is 1); retain_graph defaults to create_graph.
    void backward(const Tensor& gradient = Tensor(), std::optional<bool> retain_graph = std::nullopt,
                  bool create_graph = false) const;
    // A hook called with this tensor's gradient whenever one is computed: `Tensor(const
    // Tensor&)` returns a replacement (or an undefined tensor to keep the gradient), `void(const
    // Tensor&)` only looks. Returns a handle for remove_hook.
    template <class F>
    int register_hook(F&& hook) const {
        if constexpr (std::is_void_v<std::invoke_result_t<F, const Tensor&>>)
            return add_hook([h = std::forward<F>(hook)](const Tensor& g) {
                h(g);
                return Tensor();
            });
        else
            return add_hook(std::forward<F>(hook));
    }
    void remove_hook(int handle) const;

    // ---- views (share storage) ----------------------------------------------------------
    Tensor view(IntArrayRef shape) const;
    Tensor view_as(const Tensor& other) const { return view(other.sizes()); }
    Tensor reshape(IntArrayRef shape) const;
    Tensor reshape_as(const Tensor& other) const { return reshape(other.sizes()); }
    Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
    Tensor unflatten(int64_t dim, IntArrayRef sizes) const;
    Tensor squeeze() const;
    Tensor squeeze(int64_t dim) const;
    Tensor unsqueeze(int64_t dim) const;
    Tensor transpose(int64_t dim0, int64_t dim1) const;
    Tensor t() const;
    Tensor mT() const;
    Tensor permute(IntArrayRef dims) const;
    Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
    Tensor select(int64_t dim, int64_t index) const;
    Tensor expand(IntArrayRef sizes) const;
    Tensor expand_as(const Tensor& other) const { return expand(other.sizes()); }
    Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1) const;
    Tensor as_strided(IntArrayRef sizes, IntArrayRef strides,
                      std::optional<int64_t> storage_offset = std::nullopt) const;
    TensorList split(int64_t split_size, int64_t dim = 0) const;
    TensorList split(IntArrayRef split_sizes, int64_t dim = 0) const;
    TensorList chunk(int64_t chunks, int64_t dim = 0) const;
    TensorList unbind(int64_t dim = 0) const;

    // Indexing with integers, Slice, None (new axis), Ellipsis, bool masks and index tensors:
    // `t.index({Slice(1, None), 0})` is Python's `t[1:, 0]`.
    Tensor index(std::initializer_list<TensorIndex> indices) const;
    Tensor index(const std::vector<TensorIndex>& indices) const;
    Tensor operator[](int64_t i) const { return select(0, i); }
    Tensor operator[](const TensorIndex& i) const;
    // `t.index_put_({mask}, 0.)` is Python's `t[mask] = 0.`.
    Tensor& index_put_(const std::vector<TensorIndex>& indices, const Tensor& value);
    Tensor& index_put_(const std::vector<TensorIndex>& indices, const Scalar& value);

    // ---- copies and conversions ---------------------------------------------------------
    Tensor contiguous() const;  // returns *this when already contiguous
    Tensor clone() const;
    Tensor to(DType dtype, bool copy = false) const;     // *this when nothing changes
    Tensor to(Device device, bool copy = false) const;
    Tensor to(Device device, DType dtype, bool copy = false) const;
    Tensor to(const Tensor& other, bool copy = false) const {
        return to(other.device(), other.dtype(), copy);
    }
    Tensor cpu() const { return to(kCPU); }
    Tensor cuda() const { return to(kCUDA); }
    // Python's t.float(), t.long(), ...: `float`, `long` etc. are C++ keywords, hence to_*.
    Tensor to_bool() const { return to(DType::Bool); }
    Tensor to_byte() const { return to(DType::UInt8); }
    Tensor to_short() const { return to(DType::Int16); }
    Tensor to_int() const { return to(DType::Int32); }
    Tensor to_long() const { return to(DType::Int64); }
    Tensor to_half() const { return to(DType::Float16); }
    Tensor to_bfloat16() const { return to(DType::BFloat16); }
    Tensor to_float() const { return to(DType::Float32); }
    Tensor to_double() const { return to(DType::Float64); }

    // ---- in-place filling ---------------------------------------------------------------
    Tensor& fill_(const Scalar& value);
    Tensor& fill_(const Tensor& value);  // value: a 0-dim tensor
    Tensor& zero_();
    Tensor& copy_(const Tensor& src);  // broadcasts src, converts dtype

    // ---- arithmetic (see ember/ops/elementwise.h) ---------------------------------------
    Tensor add(const Tensor& o, const Scalar& alpha = 1) const;
    Tensor add(const Scalar& o, const Scalar& alpha = 1) const;
    Tensor& add_(const Tensor& o, const Scalar& alpha = 1);
    Tensor& add_(const Scalar& o, const Scalar& alpha = 1);
    Tensor sub(const Tensor& o, const Scalar& alpha = 1) const;
    Tensor sub(const Scalar& o, const Scalar& alpha = 1) const;
    Tensor& sub_(const Tensor& o, const Scalar& alpha = 1);
    Tensor& sub_(const Scalar& o, const Scalar& alpha = 1);
    Tensor mul(const Tensor& o) const;
    Tensor mul(const Scalar& o) const;
    Tensor& mul_(const Tensor& o);
    Tensor& mul_(const Scalar& o);
    Tensor div(const Tensor& o) const;
    Tensor div(const Scalar& o) const;
    Tensor& div_(const Tensor& o);
    Tensor& div_(const Scalar& o);
    Tensor pow(const Tensor& exponent) const;
    Tensor pow(const Scalar& exponent) const;
    Tensor& pow_(const Scalar& exponent);
    Tensor remainder(const Tensor& o) const;
    Tensor remainder(const Scalar& o) const;
    Tensor floor_divide(const Tensor& o) const;
    Tensor floor_divide(const Scalar& o) const;
    Tensor clamp(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt) const;
    Tensor& clamp_(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt);
    Tensor masked_fill(const Tensor& mask, const Scalar& value) const;
    Tensor& masked_fill_(const Tensor& mask, const Scalar& value);

#define EMBER_UNARY_METHOD(name) \
    Tensor name() const;         \
    Tensor& name##_();
    EMBER_UNARY_METHOD(neg)
    EMBER_UNARY_METHOD(abs)
    EMBER_UNARY_METHOD(sign)
    EMBER_UNARY_METHOD(reciprocal)
    EMBER_UNARY_METHOD(exp)
    EMBER_UNARY_METHOD(exp2)
    EMBER_UNARY_METHOD(log)
    EMBER_UNARY_METHOD(log2)
    EMBER_UNARY_METHOD(log1p)
    EMBER_UNARY_METHOD(expm1)
    EMBER_UNARY_METHOD(sqrt)
    EMBER_UNARY_METHOD(rsqrt)
    EMBER_UNARY_METHOD(sin)
    EMBER_UNARY_METHOD(cos)
    EMBER_UNARY_METHOD(tan)
    EMBER_UNARY_METHOD(tanh)
    EMBER_UNARY_METHOD(sigmoid)
    EMBER_UNARY_METHOD(relu)
    EMBER_UNARY_METHOD(erf)
    EMBER_UNARY_METHOD(erfinv)
    EMBER_UNARY_METHOD(floor)
    EMBER_UNARY_METHOD(ceil)
    EMBER_UNARY_METHOD(round)
    EMBER_UNARY_METHOD(trunc)
    EMBER_UNARY_METHOD(logical_not)
#undef EMBER_UNARY_METHOD

    Tensor eq(const Tensor& o) const;
    Tensor eq(const Scalar& o) const;
    Tensor ne(const Tensor& o) const;
    Tensor ne(const Scalar& o) const;
    Tensor lt(const Tensor& o) const;
    Tensor lt(const Scalar& o) const;
    Tensor le(const Tensor& o) const;
    Tensor le(const Scalar& o) const;
    Tensor gt(const Tensor& o) const;
    Tensor gt(const Scalar& o) const;
    Tensor ge(const Tensor& o) const;
    Tensor ge(const Scalar& o) const;

    // ---- reductions (see ember/ops/reduce.h) --------------------------------------------
    Tensor sum(std::optional<DType> dtype = std::nullopt) const;
    Tensor sum(IntArrayRef dims, bool keepdim = false,
               std::optional<DType> dtype = std::nullopt) const;
    Tensor mean(std::optional<DType> dtype = std::nullopt) const;
    Tensor mean(IntArrayRef dims, bool keepdim = false,
                std::optional<DType> dtype = std::nullopt) const;
    Tensor prod(std::optional<DType> dtype = std::nullopt) const;
    Tensor prod(int64_t dim, bool keepdim = false, std::optional<DType> dtype = std::nullopt) const;
    Tensor max() const;
    std::pair<Tensor, Tensor> max(int64_t dim, bool keepdim = false) const;
    Tensor min() const;
    std::pair<Tensor, Tensor> min(int64_t dim, bool keepdim = false) const;
    Tensor amax(IntArrayRef dims = {}, bool keepdim = false) const;
    Tensor amin(IntArrayRef dims = {}, bool keepdim = false) const;
    Tensor argmax(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
    Tensor argmin(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
    Tensor var(IntArrayRef dims = {}, int64_t correction = 1, bool keepdim = false) const;
    Tensor std(IntArrayRef dims = {}, int64_t correction = 1, bool keepdim = false) const;
    Tensor norm(const Scalar& p = 2, IntArrayRef dims = {}, bool keepdim = false) const;
    Tensor logsumexp(IntArrayRef dims, bool keepdim = false) const;
    Tensor all() const;
    Tensor all(int64_t dim, bool keepdim = false) const;
    Tensor any() const;
    Tensor any(int64_t dim, bool keepdim = false) const;
    Tensor cumsum(int64_t dim, std::optional<DType> dtype = std::nullopt) const;
    Tensor cumprod(int64_t dim, std::optional<DType> dtype = std::nullopt) const;
    Tensor softmax(int64_t dim, std::optional<DType> dtype = std::nullopt) const;
    Tensor log_softmax(int64_t dim, std::optional<DType> dtype = std::nullopt) const;

    // ---- linear algebra, shape and indexing ops (see ember/ops/*.h) ---------------------
    Tensor matmul(const Tensor& o) const;
    Tensor mm(const Tensor& o) const;
    Tensor bmm(const Tensor& o) const;
    Tensor mv(const Tensor& v) const;
    Tensor dot(const Tensor& o) const;
    Tensor index_select(int64_t dim, const Tensor& index) const;
    Tensor gather(int64_t dim, const Tensor& index) const;
    Tensor scatter(int64_t dim, const Tensor& index, const Tensor& src) const;
    Tensor scatter(int64_t dim, const Tensor& index, const Scalar& value) const;
    Tensor& scatter_(int64_t dim, const Tensor& index, const Tensor& src);
    Tensor& scatter_(int64_t dim, const Tensor& index, const Scalar& value);
    Tensor scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const;
    Tensor& scatter_add_(int64_t dim, const Tensor& index, const Tensor& src);
    Tensor masked_select(const Tensor& mask) const;
    Tensor nonzero() const;
    std::pair<Tensor, Tensor> sort(int64_t dim = -1, bool descending = false,
                                   bool stable = false) const;
    std::pair<Tensor, Tensor> topk(int64_t k, int64_t dim = -1, bool largest = true,
                                   bool sorted = true) const;
    Tensor flip(IntArrayRef dims) const;
    Tensor repeat(IntArrayRef repeats) const;
    Tensor tril(int64_t diagonal = 0) const;
    Tensor triu(int64_t diagonal = 0) const;
    Tensor& tril_(int64_t diagonal = 0);
    Tensor& triu_(int64_t diagonal = 0);

    // ---- random fill (see ember/ops/random.h; gen: the default generator when unset) -----
    Tensor& uniform_(double from = 0, double to = 1, std::optional<Generator> gen = std::nullopt);
    Tensor& normal_(double mean = 0, double std = 1, std::optional<Generator> gen = std::nullopt);
    Tensor& bernoulli_(double p = 0.5, std::optional<Generator> gen = std::nullopt);
    Tensor& bernoulli_(const Tensor& p, std::optional<Generator> gen = std::nullopt);
    Tensor& random_(int64_t from, int64_t to, std::optional<Generator> gen = std::nullopt);
    Tensor& random_(int64_t to, std::optional<Generator> gen = std::nullopt);
    Tensor& random_(std::optional<Generator> gen = std::nullopt);

    // ---- sparse COO tensors (see ember/ops/sparse.h) -------------------------------------
    Layout layout() const { return impl()->layout(); }
    bool is_sparse() const { return layout() == Layout::SparseCoo; }
    int64_t sparse_dim() const;
    int64_t dense_dim() const;
    int64_t _nnz() const;
    bool is_coalesced() const;
    // The raw parts (duplicates possible unless coalesced), sharing memory with the tensor.
    Tensor _indices() const;
    Tensor _values() const;
    // The parts of a coalesced tensor (PyTorch's error otherwise).
    Tensor indices() const;
    Tensor values() const;
    // Duplicate indices summed, indices sorted.
    Tensor coalesce() const;
    Tensor to_dense() const;

    // ---- comparison of whole tensors ----------------------------------------------------
    bool equal(const Tensor& o) const;
    bool allclose(const Tensor& o, double rtol = 1e-05, double atol = 1e-08,
                  bool equal_nan = false) const;

    // "tensor([1., 2.])", exactly as PyTorch prints it.
    std::string str() const;

    // Throws unless the tensor is defined (the message names `op`).
    void check_defined(const char* op) const;

private:
    [[noreturn]] static void throw_undefined();
    int add_hook(std::function<Tensor(const Tensor&)> hook) const;
    void check_dtype_for_access(DType requested, const char* what) const;

    intrusive_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

// Arithmetic operators, as in Python.
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, const Scalar& b);
Tensor operator+(const Scalar& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Scalar& b);
Tensor operator-(const Scalar& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Scalar& b);
Tensor operator*(const Scalar& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Scalar& b);
Tensor operator/(const Scalar& a, const Tensor& b);
Tensor operator%(const Tensor& a, const Tensor& b);
Tensor operator%(const Tensor& a, const Scalar& b);
Tensor operator-(const Tensor& a);
Tensor& operator+=(Tensor& a, const Tensor& b);
Tensor& operator+=(Tensor& a, const Scalar& b);
Tensor& operator-=(Tensor& a, const Tensor& b);
Tensor& operator-=(Tensor& a, const Scalar& b);
Tensor& operator*=(Tensor& a, const Tensor& b);
Tensor& operator*=(Tensor& a, const Scalar& b);
Tensor& operator/=(Tensor& a, const Tensor& b);
Tensor& operator/=(Tensor& a, const Scalar& b);
// Comparisons give bool tensors, as in PyTorch (use equal() for a single bool).
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Scalar& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Scalar& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Scalar& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Scalar& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Scalar& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Scalar& b);
// Bitwise ops (logical on bool tensors), as Python's & | ^ ~.
Tensor operator&(const Tensor& a, const Tensor& b);
Tensor operator|(const Tensor& a, const Tensor& b);
Tensor operator^(const Tensor& a, const Tensor& b);
Tensor operator~(const Tensor& a);

extern template std::vector<bool> Tensor::to_vector<bool>() const;
extern template std::vector<uint8_t> Tensor::to_vector<uint8_t>() const;
extern template std::vector<int8_t> Tensor::to_vector<int8_t>() const;
extern template std::vector<int16_t> Tensor::to_vector<int16_t>() const;
extern template std::vector<int32_t> Tensor::to_vector<int32_t>() const;
extern template std::vector<int64_t> Tensor::to_vector<int64_t>() const;
extern template std::vector<Half> Tensor::to_vector<Half>() const;
extern template std::vector<BFloat16> Tensor::to_vector<BFloat16>() const;
extern template std::vector<float> Tensor::to_vector<float>() const;
extern template std::vector<double> Tensor::to_vector<double>() const;

}  // namespace ember

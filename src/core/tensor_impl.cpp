// TensorImpl geometry bookkeeping and the layout rules shared by every view op.
#include "ember/core/tensor_impl.h"

#include <ostream>

#include "core/autograd_meta.h"
#include "ember/autograd/grad_mode.h"
#include "ember/core/error.h"

namespace ember {

static void delete_meta(AutogradMeta* m) { delete m; }

TensorImpl::TensorImpl(Storage storage, DType dtype, IntArrayRef sizes, IntArrayRef strides,
                       int64_t storage_offset)
    : storage_(std::move(storage)),
      sizes_(sizes.begin(), sizes.end()),
      strides_(strides.begin(), strides.end()),
      storage_offset_(storage_offset),
      dtype_(dtype),
      is_inference_(is_inference_mode_enabled()),
      autograd_meta_(nullptr, &delete_meta) {
    EMBER_ASSERT(sizes.size() == strides.size());
    refresh();
}

TensorImpl::~TensorImpl() = default;

void TensorImpl::set_geometry(IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset) {
    EMBER_ASSERT(sizes.size() == strides.size());
    sizes_.assign(sizes.begin(), sizes.end());
    strides_.assign(strides.begin(), strides.end());
    storage_offset_ = storage_offset;
    refresh();
}

void TensorImpl::set_data(const TensorImpl& src) {
    storage_ = src.storage_;
    dtype_ = src.dtype_;
    set_geometry(src.sizes_, src.strides_, src.storage_offset_);
}

void TensorImpl::refresh() {
    numel_ = 1;
    for (int64_t s : sizes_) numel_ *= s;
    is_contiguous_ = !sparse_ && compute_contiguous(sizes_, strides_);
}

void TensorImpl::set_sparse_parts(SparseCooParts parts) {
    sparse_ = std::make_unique<SparseCooParts>(std::move(parts));
    refresh();
}

void TensorImpl::throw_no_dense_data() const {
    EMBER_ERROR("this operation does not support sparse tensors (got a sparse_coo ",
                dtype_name(dtype_), " tensor of size ", shape_str(sizes_),
                "); convert it with to_dense() first");
}

AutogradMeta& TensorImpl::ensure_autograd_meta() {
    if (!autograd_meta_) autograd_meta_.reset(new AutogradMeta());
    return *autograd_meta_;
}

DimVector contiguous_strides(IntArrayRef sizes) {
    DimVector strides(sizes.size(), 1);
    int64_t running = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
        strides[i] = running;
        running *= std::max<int64_t>(sizes[i], 1);
    }
    return strides;
}

bool compute_contiguous(IntArrayRef sizes, IntArrayRef strides) {
    int64_t numel = 1;
    for (int64_t s : sizes) numel *= s;
    if (numel <= 1) return true;
    int64_t expected = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
        if (sizes[i] == 1) continue;
        if (strides[i] != expected) return false;
        expected *= sizes[i];
    }
    return true;
}

std::string shape_str(IntArrayRef shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

std::ostream& operator<<(std::ostream& os, IntArrayRef a) { return os << shape_str(a); }

int64_t prod(IntArrayRef a) {
    int64_t p = 1;
    for (int64_t v : a) p *= v;
    return p;
}

}  // namespace ember

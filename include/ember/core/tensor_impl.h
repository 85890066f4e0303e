// TensorImpl: what a Tensor handle points at: storage + sizes + strides + offset + dtype,
// and the autograd metadata (null until a tensor requires grad).
#pragma once

#include <cstdint>
#include <memory>

#include "ember/core/dtype.h"
#include "ember/core/int_array.h"
#include "ember/core/intrusive_ptr.h"
#include "ember/core/small_vector.h"
#include "ember/core/storage.h"

namespace ember {

struct AutogradMeta;  // defined by the autograd layer

// How a tensor's elements are stored: strided over a storage, or as a sparse COO tensor
// (ember/ops/sparse.h).
enum class Layout : uint8_t { Strided, SparseCoo };

class TensorImpl;
// The parts of a sparse COO tensor: int64 indices (sparse_dim, nnz) and values
// (nnz, *dense sizes); `coalesced` when the indices are sorted and unique.
struct SparseCooParts {
    intrusive_ptr<TensorImpl> indices;
    intrusive_ptr<TensorImpl> values;
    bool coalesced = false;
};

class TensorImpl final : public RefCounted {
public:
    TensorImpl(Storage storage, DType dtype, IntArrayRef sizes, IntArrayRef strides,
               int64_t storage_offset);
    ~TensorImpl() override;

    const Storage& storage() const { return storage_; }
    DType dtype() const { return dtype_; }
    Device device() const { return storage_->device(); }
    IntArrayRef sizes() const { return sizes_; }
    IntArrayRef strides() const { return strides_; }
    int64_t dim() const { return static_cast<int64_t>(sizes_.size()); }
    int64_t storage_offset() const { return storage_offset_; }
    int64_t numel() const { return numel_; }
    bool is_contiguous() const { return is_contiguous_; }
    // Address of element 0 (storage data + offset). A sparse tensor has none: dense code
    // reaching one gets an error instead of reading an empty storage.
    char* data() const {
        if (sparse_) [[unlikely]]
            throw_no_dense_data();
        return static_cast<char*>(storage_->data()) + storage_offset_ * element_size(dtype_);
    }

    Layout layout() const { return sparse_ ? Layout::SparseCoo : Layout::Strided; }
    // The indices and values of a sparse tensor (null for a strided one).
    const SparseCooParts* sparse_parts() const { return sparse_.get(); }
    SparseCooParts* mutable_sparse_parts() { return sparse_.get(); }
    // Makes this (new, storage-less) impl a sparse COO tensor with these parts.
    void set_sparse_parts(SparseCooParts parts);

    // Changes the geometry in place (used by views being built and by out= resizing).
    void set_geometry(IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset);
    // Takes src's storage, dtype and geometry, keeping this tensor's identity and autograd
    // state (PyTorch's `param.data = src`, used by Module::to).
    void set_data(const TensorImpl& src);

    AutogradMeta* autograd_meta() const { return autograd_meta_.get(); }
    AutogradMeta& ensure_autograd_meta();
    void clear_autograd_meta() { autograd_meta_.reset(); }

    // Created inside an InferenceMode guard (see ember/autograd/grad_mode.h).
    bool is_inference() const { return is_inference_; }
    void set_inference(bool inference) { is_inference_ = inference; }

    // The tensor whose storage this view shares, if this tensor is a view (PyTorch's `_base`).
    const intrusive_ptr<TensorImpl>& view_base() const { return view_base_; }
    void set_view_base(intrusive_ptr<TensorImpl> base) { view_base_ = std::move(base); }
    // For a view made with grad mode on: the storage version when its autograd history was
    // last set. An in-place change of the base since makes that history stale (autograd then
    // rebuilds it from the base's; see refresh_view_history).
    bool view_follows_base() const { return view_follows_base_; }
    uint32_t view_version() const { return view_version_; }
    void set_view_version(uint32_t version, bool follows_base) {
        view_version_ = version;
        view_follows_base_ = follows_base;
    }

private:
    void refresh();  // recomputes numel_ and is_contiguous_
    [[noreturn]] void throw_no_dense_data() const;

    Storage storage_;
    DimVector sizes_;
    DimVector strides_;
    int64_t storage_offset_;
    int64_t numel_ = 1;
    DType dtype_;
    bool is_contiguous_ = true;
    bool is_inference_ = false;
    bool view_follows_base_ = false;
    uint32_t view_version_ = 0;
    intrusive_ptr<TensorImpl> view_base_;
    std::unique_ptr<AutogradMeta, void (*)(AutogradMeta*)> autograd_meta_;
    std::unique_ptr<SparseCooParts> sparse_;
};

// Row-major strides for sizes (a size-0 dim counts as 1, as in PyTorch).
DimVector contiguous_strides(IntArrayRef sizes);
// PyTorch's is_contiguous rule: size-1 dims are ignored, numel 0 or 1 is always contiguous.
bool compute_contiguous(IntArrayRef sizes, IntArrayRef strides);

}  // namespace ember

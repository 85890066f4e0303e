// Storage allocation and release.
#include "ember/core/storage.h"

#include "ember/core/error.h"

namespace ember {

[[noreturn]] static void no_cuda(Device device) {
    EMBER_ERROR("ember was built without CUDA: cannot place a tensor on ", device.str(),
                "; rebuild with -DEMBER_CUDA=ON to use cuda devices");
}

StorageImpl::StorageImpl(size_t nbytes, Device device)
    : data_(nullptr), nbytes_(nbytes), device_(device), owned_(true) {
    if (device.is_cuda()) no_cuda(device);
    data_ = cpu_allocate(nbytes);
}

StorageImpl::StorageImpl(void* data, size_t nbytes, Device device, Deleter deleter)
    : data_(data), nbytes_(nbytes), device_(device), owned_(false), deleter_(std::move(deleter)) {
    if (device.is_cuda()) no_cuda(device);
}

StorageImpl::~StorageImpl() {
    if (owned_) {
        cpu_free(data_, nbytes_);
    } else if (deleter_) {
        deleter_(data_);
    }
}

}  // namespace ember

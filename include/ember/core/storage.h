// Storage: a reference-counted flat byte buffer on one device, shared by a tensor and its views.
//
// It also carries the version counter that autograd uses to detect in-place changes to saved
// tensors: every tensor viewing this storage sees the same counter (Note [Version counter]).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "ember/core/allocator.h"
#include "ember/core/device.h"
#include "ember/core/intrusive_ptr.h"

namespace ember {

class StorageImpl final : public RefCounted {
public:
    using Deleter = std::function<void(void*)>;

    // Allocates nbytes on device (uninitialised).
    StorageImpl(size_t nbytes, Device device);
    // Wraps memory the caller owns; `deleter` (may be empty) runs when the storage dies.
    StorageImpl(void* data, size_t nbytes, Device device, Deleter deleter);
    ~StorageImpl() override;

    void* data() const { return data_; }
    size_t nbytes() const { return nbytes_; }
    Device device() const { return device_; }

    uint32_t version() const { return version_.load(std::memory_order_relaxed); }
    void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

private:
    void* data_;
    size_t nbytes_;
    Device device_;
    bool owned_;  // allocated by ember's allocator (freed through it) or wrapped user memory
    Deleter deleter_;
    std::atomic<uint32_t> version_{0};
};

using Storage = intrusive_ptr<StorageImpl>;


}  // namespace ember

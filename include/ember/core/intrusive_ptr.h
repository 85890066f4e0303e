// intrusive_ptr: a reference-counted pointer whose count lives in the object (one allocation per
// tensor instead of two, and a handle the size of one pointer).
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

#include "ember/core/small_object.h"

namespace ember {

// Allocated through the per-thread small-object caches (every op creates a few of these).
class RefCounted : public SmallObject {
public:
    RefCounted() = default;
    RefCounted(const RefCounted&) = delete;
    RefCounted& operator=(const RefCounted&) = delete;
    virtual ~RefCounted() = default;

    void retain() const { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() const {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }
    uint32_t use_count() const { return refs_.load(std::memory_order_relaxed); }

private:
    mutable std::atomic<uint32_t> refs_{0};
};

template <class T>
class intrusive_ptr {
public:
    intrusive_ptr() = default;
    explicit intrusive_ptr(T* p) : p_(p) {
        if (p_) p_->retain();
    }
    intrusive_ptr(const intrusive_ptr& o) : p_(o.p_) {
        if (p_) p_->retain();
    }
    intrusive_ptr(intrusive_ptr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    template <class U>
    intrusive_ptr(intrusive_ptr<U> o) : p_(o.detach()) {}  // NOLINT: upcast
    intrusive_ptr& operator=(intrusive_ptr o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~intrusive_ptr() {
        if (p_) p_->release();
    }

    T* get() const { return p_; }
    T* operator->() const { return p_; }
    T& operator*() const { return *p_; }
    explicit operator bool() const { return p_ != nullptr; }
    void reset() { intrusive_ptr().swap(*this); }
    void swap(intrusive_ptr& o) noexcept { std::swap(p_, o.p_); }
    // Gives up ownership without releasing (the caller takes the reference).
    T* detach() { return std::exchange(p_, nullptr); }
    uint32_t use_count() const { return p_ ? p_->use_count() : 0; }

    friend bool operator==(const intrusive_ptr& a, const intrusive_ptr& b) { return a.p_ == b.p_; }

private:
    T* p_ = nullptr;
};

template <class T, class... Args>
intrusive_ptr<T> make_intrusive(Args&&... args) {
    return intrusive_ptr<T>(new T(std::forward<Args>(args)...));
}

}  // namespace ember

// InlineVector: a vector of any element type that keeps its first N elements inline (no heap
// allocation for small sizes). The autograd graph uses it for a node's edges and metadata,
// which almost always hold one or two entries: a node is built for every recorded op, so the
// allocations it avoids are a large part of autograd's per-op cost.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace ember {

template <class T, size_t N>
class InlineVector {
public:
    InlineVector() = default;
    InlineVector(const InlineVector&) = delete;
    InlineVector& operator=(const InlineVector&) = delete;
    ~InlineVector() {
        clear();
        if (data_ != inline_data()) ::operator delete(data_);
    }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }

    void reserve(size_t n) {
        if (n <= capacity_) return;
        T* fresh = static_cast<T*>(::operator new(n * sizeof(T)));
        for (size_t i = 0; i < size_; ++i) {
            new (fresh + i) T(std::move(data_[i]));
            data_[i].~T();
        }
        if (data_ != inline_data()) ::operator delete(data_);
        data_ = fresh;
        capacity_ = n;
    }
    template <class... Args>
    T& emplace_back(Args&&... args) {
        if (size_ == capacity_) reserve(capacity_ * 2);
        T* p = new (data_ + size_) T(std::forward<Args>(args)...);
        ++size_;
        return *p;
    }
    void push_back(T value) { emplace_back(std::move(value)); }
    void resize(size_t n) {
        reserve(n);
        while (size_ < n) emplace_back();
        while (size_ > n) data_[--size_].~T();
    }
    void clear() {
        while (size_ > 0) data_[--size_].~T();
    }

private:
    T* inline_data() { return reinterpret_cast<T*>(storage_); }
    alignas(T) unsigned char storage_[N * sizeof(T)];
    T* data_ = inline_data();
    size_t size_ = 0;
    size_t capacity_ = N;
};

}  // namespace ember

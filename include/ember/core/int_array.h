// IntArrayRef: a non-owning view of int64 values, the parameter type for sizes, strides and dims.
//
// Accepts a braced list (`t.view({2, -1})`), a std::vector<int64_t> or a DimVector. Like
// std::span it does not own its values: never keep one past the call it was passed to.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

#include "ember/core/small_vector.h"

namespace ember {

class IntArrayRef {
public:
    constexpr IntArrayRef() = default;
    constexpr IntArrayRef(const int64_t* data, size_t size) : data_(data), size_(size) {}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // by design: a parameter type
    constexpr IntArrayRef(std::initializer_list<int64_t> l)  // NOLINT
        : data_(l.begin()), size_(l.size()) {}
#pragma GCC diagnostic pop
    IntArrayRef(const std::vector<int64_t>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
    template <int N>
    IntArrayRef(const SmallVector<int64_t, N>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
    // A single value, so that `squeeze(1)` style calls taking a list also take a number.
    IntArrayRef(const int64_t& single) : data_(&single), size_(1) {}  // NOLINT

    constexpr const int64_t* data() const { return data_; }
    constexpr size_t size() const { return size_; }
    constexpr bool empty() const { return size_ == 0; }
    constexpr const int64_t* begin() const { return data_; }
    constexpr const int64_t* end() const { return data_ + size_; }
    constexpr int64_t operator[](size_t i) const { return data_[i]; }
    constexpr int64_t back() const { return data_[size_ - 1]; }
    std::vector<int64_t> vec() const { return {begin(), end()}; }
    DimVector dims() const { return DimVector(begin(), end()); }

    friend bool operator==(IntArrayRef a, IntArrayRef b) {
        if (a.size_ != b.size_) return false;
        for (size_t i = 0; i < a.size_; ++i)
            if (a.data_[i] != b.data_[i]) return false;
        return true;
    }

private:
    const int64_t* data_ = nullptr;
    size_t size_ = 0;
};

// "[2, 3]", as PyTorch writes shapes in its messages.
std::string shape_str(IntArrayRef shape);
std::ostream& operator<<(std::ostream& os, IntArrayRef a);

// Product of the values (1 for an empty list).
int64_t prod(IntArrayRef a);

}  // namespace ember

// Scalar: a number passed to an op (`t + 2.5`, `t.fill_(1)`), remembering whether it was a
// bool, an integer or a floating value, because PyTorch's promotion depends on that.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <type_traits>

#include "ember/core/dtype.h"

namespace ember {

class Scalar {
public:
    enum class Kind : uint8_t { Bool, Int, Float };

    Scalar() : Scalar(int64_t(0)) {}
    Scalar(bool v) : kind_(Kind::Bool), i_(v) {}  // NOLINT
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Scalar(T v) : kind_(Kind::Int), i_(static_cast<int64_t>(v)) {}  // NOLINT
    template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
    Scalar(T v) : kind_(Kind::Float), d_(static_cast<double>(v)) {}  // NOLINT
    Scalar(Half v) : Scalar(static_cast<float>(v)) {}          // NOLINT
    Scalar(BFloat16 v) : Scalar(static_cast<float>(v)) {}      // NOLINT

    Kind kind() const { return kind_; }
    bool is_bool() const { return kind_ == Kind::Bool; }
    bool is_integral() const { return kind_ == Kind::Int; }
    bool is_floating_point() const { return kind_ == Kind::Float; }

    // The dtype PyTorch gives a Python scalar of this kind: bool, int64, or the default float.
    DType dtype() const;

    double to_double() const { return kind_ == Kind::Float ? d_ : static_cast<double>(i_); }
    int64_t to_int64() const { return kind_ == Kind::Float ? static_cast<int64_t>(d_) : i_; }
    bool to_bool() const { return kind_ == Kind::Float ? d_ != 0 : i_ != 0; }

    // The value converted to T with C++ conversion semantics (wrapping for integers).
    template <class T>
    T to() const {
        if constexpr (std::is_same_v<T, bool>) return to_bool();
        else if constexpr (std::is_integral_v<T>)
            return kind_ == Kind::Float ? static_cast<T>(static_cast<int64_t>(d_))
                                        : static_cast<T>(i_);
        else return static_cast<T>(to_double());
    }

    Scalar operator-() const;

private:
    Kind kind_;
    union {
        int64_t i_;
        double d_;
    };
};

std::ostream& operator<<(std::ostream& os, const Scalar& s);

}  // namespace ember

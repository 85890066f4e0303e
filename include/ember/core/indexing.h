// Python-style indices for Tensor::index: integers, Slice(start, stop, step), None (a new
// axis), Ellipsis, and tensors (bool masks or integer indices).
//
//   Python            ember
//   t[1:, 0]          t.index({Slice(1, None), 0})
//   t[..., ::2]       t.index({Ellipsis, Slice(None, None, 2)})
//   t[None]           t.index({None})
//   t[mask]           t.index({mask})
//   t[True]           t.index({true})   (a new axis of size 1, or 0 for false; a copy)
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "ember/core/tensor.h"

namespace ember {

inline constexpr std::nullopt_t None = std::nullopt;

struct EllipsisIndex {};
inline constexpr EllipsisIndex Ellipsis{};

struct Slice {
    std::optional<int64_t> start;
    std::optional<int64_t> stop;
    std::optional<int64_t> step;
    Slice(std::optional<int64_t> start_ = None, std::optional<int64_t> stop_ = None,  // NOLINT
          std::optional<int64_t> step_ = None)
        : start(start_), stop(stop_), step(step_) {}
};

class TensorIndex {
public:
    TensorIndex(int64_t i) : v_(i) {}               // NOLINT
    TensorIndex(int i) : v_(int64_t(i)) {}          // NOLINT
    TensorIndex(bool b) : v_(Boolean{b}) {}         // NOLINT
    TensorIndex(Slice s) : v_(s) {}                 // NOLINT
    TensorIndex(std::nullopt_t) : v_(NewAxis{}) {}  // NOLINT
    TensorIndex(EllipsisIndex) : v_(EllipsisIndex{}) {}  // NOLINT
    TensorIndex(Tensor t) : v_(std::move(t)) {}     // NOLINT

    bool is_integer() const { return std::holds_alternative<int64_t>(v_); }
    bool is_boolean() const { return std::holds_alternative<Boolean>(v_); }
    bool is_slice() const { return std::holds_alternative<Slice>(v_); }
    bool is_none() const { return std::holds_alternative<NewAxis>(v_); }
    bool is_ellipsis() const { return std::holds_alternative<EllipsisIndex>(v_); }
    bool is_tensor() const { return std::holds_alternative<Tensor>(v_); }
    int64_t integer() const { return std::get<int64_t>(v_); }
    bool boolean() const { return std::get<Boolean>(v_).value; }
    const Slice& slice() const { return std::get<Slice>(v_); }
    const Tensor& tensor() const { return std::get<Tensor>(v_); }

private:
    struct NewAxis {};
    struct Boolean {
        bool value;
    };
    std::variant<int64_t, Boolean, Slice, NewAxis, EllipsisIndex, Tensor> v_;
};

}  // namespace ember

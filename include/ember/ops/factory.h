// Tensor factories: tensor() from nested braces, from_blob, zeros/ones/full/empty(_like),
// arange, linspace, eye. Random factories are in ember/ops/random.h.
#pragma once

#include <functional>
#include <initializer_list>
#include <vector>

#include "ember/core/tensor.h"
#include "ember/core/tensor_options.h"

namespace ember {

// One level of a nested braced list: a number, or a list of NestedList.
// `ember::tensor({{1., -1.}, {1., -1.}})` is float32 (a float anywhere makes it float),
// `ember::tensor({1, 2})` is int64, `ember::tensor({true, false})` is bool: PyTorch's inference.
class NestedList {
public:
    NestedList(double v) : scalar_(v), kind_(Scalar::Kind::Float) {}    // NOLINT
    NestedList(float v) : scalar_(v), kind_(Scalar::Kind::Float) {}     // NOLINT
    NestedList(int v) : scalar_(v), kind_(Scalar::Kind::Int) {}         // NOLINT
    NestedList(int64_t v) : scalar_(v), kind_(Scalar::Kind::Int) {}     // NOLINT
    NestedList(bool v) : scalar_(v), kind_(Scalar::Kind::Bool) {}       // NOLINT
    NestedList(std::initializer_list<NestedList> l)                      // NOLINT
        : list_(l), is_list_(true) {}

    bool is_list() const { return is_list_; }
    const Scalar& scalar() const { return scalar_; }
    Scalar::Kind kind() const { return kind_; }
    const std::vector<NestedList>& list() const { return list_; }

private:
    Scalar scalar_;
    Scalar::Kind kind_ = Scalar::Kind::Int;
    std::vector<NestedList> list_;
    bool is_list_ = false;
};

Tensor tensor(const NestedList& data, TensorOptions options = {});
// A 1-D tensor from a vector (dtype inferred from T unless given).
template <class T>
Tensor tensor(const std::vector<T>& values, TensorOptions options = {});

// Wraps existing memory without copying. The memory must outlive the tensor unless a deleter is
// given, which runs when the last view of it dies. Strides default to row-major.
Tensor from_blob(void* data, IntArrayRef sizes, TensorOptions options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, TensorOptions options = {});
Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter,
                 TensorOptions options = {});

Tensor empty(IntArrayRef sizes, TensorOptions options = {});
Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, TensorOptions options = {});
Tensor zeros(IntArrayRef sizes, TensorOptions options = {});
Tensor ones(IntArrayRef sizes, TensorOptions options = {});
// dtype defaults to the fill value's: float32 for a double, int64 for an integer, bool for bool.
Tensor full(IntArrayRef sizes, const Scalar& fill_value, TensorOptions options = {});

// The *_like factories take size, dtype and device from `like` unless options set them.
Tensor empty_like(const Tensor& like, TensorOptions options = {});
Tensor zeros_like(const Tensor& like, TensorOptions options = {});
Tensor ones_like(const Tensor& like, TensorOptions options = {});
Tensor full_like(const Tensor& like, const Scalar& fill_value, TensorOptions options = {});

// [start, end) in steps of step; int64 when all arguments are integers, else float32.
Tensor arange(const Scalar& end, TensorOptions options = {});
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1,
              TensorOptions options = {});
Tensor linspace(double start, double end, int64_t steps, TensorOptions options = {});
Tensor eye(int64_t n, std::optional<int64_t> m = std::nullopt, TensorOptions options = {});

}  // namespace ember

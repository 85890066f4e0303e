// The sparse halves of dense ops (src/ops/sparse.cpp): the dense op calls them when an operand
// is a sparse COO tensor.
#pragma once

#include "ember/core/tensor.h"

namespace ember::detail {

Tensor sparse_clone(const Tensor& t);
Tensor sparse_detach(const Tensor& t);
Tensor sparse_to(const Tensor& t, Device device, DType dtype);
void sparse_zero_(Tensor& t);
void sparse_scale_(Tensor& t, const Scalar& factor, bool divide);
Tensor sparse_add(const Tensor& a, const Tensor& b, const Scalar& alpha);
void sparse_add_(Tensor& self, const Tensor& other, const Scalar& alpha);
// For each entry of a sparse tensor, its row in the dense tensor viewed as
// (prod(size[:sparse_dim]), *size[sparse_dim:]): the row-major index over the sparse dims.
std::vector<int64_t> sparse_rows(const Tensor& sparse);

}  // namespace ember::detail

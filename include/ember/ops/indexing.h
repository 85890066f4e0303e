// Indexing ops that copy: index_select, gather, scatter(_add), masked_select, nonzero, one_hot,
// and the ordering ops sort and topk.
//
// Python-style `t[...]` indexing is Tensor::index / Tensor::index_put_ (ember/core/indexing.h).
// Index tensors are int64 (index_select also takes int32); an index out of range is an error
// that names the value, the dim and its size.
#pragma once

#include <utility>

#include "ember/core/tensor.h"

namespace ember {

// The slices of `a` along `dim` at the positions in `index` (a 1-D or 0-dim int64/int32 tensor).
Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index);
// out[i][j][k] = a[index[i][j][k]][j][k] for dim 0 (and likewise for other dims); the result
// has index's shape, which may be smaller than a's apart from `dim`.
Tensor gather(const Tensor& a, int64_t dim, const Tensor& index);
// The inverse of gather: out[index[i][j]][j] = src[i][j] (dim 0). With repeated indices the
// last write wins; scatter_add sums them instead, in index order. `src` must have a's dtype; a
// Scalar value is converted to it.
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Scalar& value);
Tensor scatter_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src);
// The elements of `a` where `mask` (bool, broadcast with a) is true, as a 1-D tensor.
Tensor masked_select(const Tensor& a, const Tensor& mask);
// The coordinates of the nonzero elements in row-major order: int64 [count, a.dim()].
Tensor nonzero(const Tensor& a);
// int64 [..., num_classes] with a 1 at each class of `a` (int64); -1 infers max(a) + 1.
Tensor one_hot(const Tensor& a, int64_t num_classes = -1);
// Sorted values along `dim` and their int64 source positions. NaN sorts as the largest value.
// The default reproduces PyTorch's (std::sort) order for equal values exactly; stable = true
// keeps equal values in their original order.
std::pair<Tensor, Tensor> sort(const Tensor& a, int64_t dim = -1, bool descending = false,
                               bool stable = false);
// The k largest (or smallest) values along `dim` and their positions; NaN counts as the
// largest. sorted = false leaves them in PyTorch's (unspecified) selection order.
std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim = -1, bool largest = true,
                               bool sorted = true);

}  // namespace ember

// Shape ops that copy: cat, stack, flip, repeat, and the triangular masks tril/triu.
//
// Results are new tensors (never views), as in PyTorch. View ops (view, narrow, select, ...)
// are Tensor methods; indexing is in ember/core/indexing.h and ember/ops/indexing.h.
#pragma once

#include "ember/core/tensor.h"

namespace ember {

// torch.cat: joins tensors along an existing dim. The result has the promoted dtype of all
// inputs (each is converted); 1-D empty tensors (the legacy "no data" placeholder) are skipped,
// so `cat({x, empty({0})})` is x. Other tensors must match in every dim but `dim`.
Tensor cat(const TensorList& tensors, int64_t dim = 0);
// torch.stack: joins equally-shaped tensors along a new dim (dim ranges over ndim + 1 places).
Tensor stack(const TensorList& tensors, int64_t dim = 0);
// Reverses the order of elements along each of `dims` (empty: a copy).
Tensor flip(const Tensor& a, IntArrayRef dims);
// Tiles `a`: repeats.size() >= a.dim(); missing leading dims are added with size 1.
Tensor repeat(const Tensor& a, IntArrayRef repeats);
// The lower (tril) or upper (triu) triangle of the last two dims, the rest zeroed. Element
// (i, j) is kept when j - i <= diagonal (tril) or j - i >= diagonal (triu).
Tensor tril(const Tensor& a, int64_t diagonal = 0);
Tensor triu(const Tensor& a, int64_t diagonal = 0);

}  // namespace ember

// Sparse COO tensors, as torch.sparse_coo_tensor: a tensor of `size` whose non-zero entries are
// listed by int64 `indices` (sparse_dim, nnz) and `values` (nnz, *size[sparse_dim:]).
//
// They exist for sparse gradients: nn::Embedding(sparse=true) gives its weight one, and
// optim::SparseAdam, SGD and Adagrad consume them. What works on them: coalesce(), to_dense(),
// the parts (indices()/values(), _indices()/_values(), _nnz(), sparse_dim(), dense_dim()),
// clone(), detach(), to(dtype/device), zero_(), mul_(scalar) / div_(scalar),
// add(sparse, sparse), add(dense, sparse), dense.add_(sparse) (all with alpha), and printing.
// Other ops raise an ember::Error; autograd does not flow through sparse tensors (yet).
#pragma once

#include "ember/core/tensor.h"

namespace ember {

// The indices are checked against `size` (PyTorch's message). The values' dtype and device
// are the tensor's.
Tensor sparse_coo_tensor(const Tensor& indices, const Tensor& values, IntArrayRef size,
                         bool is_coalesced = false);

}  // namespace ember

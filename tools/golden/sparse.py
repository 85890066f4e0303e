"""Golden values for sparse COO tensors (tests/ops/test_sparse.cpp) and sparse embedding
gradients (tests/nn/test_embedding_sparse.cpp): construction, coalesce, to_dense, add, printing,
and Embedding(sparse=True)'s weight gradient."""
import torch

from common import tensor_json, write_fixture

torch.set_printoptions(profile="default")

# Duplicates and an unsorted order; one dense dim.
i = torch.tensor([[2, 0, 2, 1]])
v = torch.tensor([[1., 2.], [3., 4.], [5., 6.], [7., 8.]])
s = torch.sparse_coo_tensor(i, v, (4, 2))
c = s.coalesce()

# Two sparse dims, no dense dim.
i2 = torch.tensor([[1, 0, 1, 1], [2, 1, 2, 0]])
v2 = torch.tensor([0.5, -1.0, 2.0, 3.0], dtype=torch.float64)
s2 = torch.sparse_coo_tensor(i2, v2, (2, 3))
c2 = s2.coalesce()

other = torch.sparse_coo_tensor(torch.tensor([[3, 0]]), torch.tensor([[1., 1.], [2., 2.]]), (4, 2))
dense = torch.arange(8, dtype=torch.float32).reshape(4, 2)

empty = torch.sparse_coo_tensor(torch.zeros(1, 0, dtype=torch.int64), torch.zeros(0, 2), (4, 2))

# Embedding(sparse=True): gradient rows per lookup, none for padding_idx.
torch.manual_seed(0)
emb = torch.nn.Embedding(5, 3, padding_idx=1, sparse=True)
w0 = emb.weight.detach().clone()
idx = torch.tensor([[0, 2, 1], [2, 4, 0]])
weights = torch.arange(18, dtype=torch.float32).reshape(2, 3, 3) / 10
(emb(idx) * weights).sum().backward()
g = emb.weight.grad

write_fixture("sparse", __file__, {
    "s": {"indices": tensor_json(i), "values": tensor_json(v), "size": [4, 2],
          "coalesced_indices": tensor_json(c._indices()), "coalesced_values": tensor_json(c._values()),
          "dense": tensor_json(s.to_dense()), "repr": repr(s), "coalesced_repr": repr(c)},
    "s2": {"indices": tensor_json(i2), "values": tensor_json(v2), "size": [2, 3],
           "coalesced_indices": tensor_json(c2._indices()), "coalesced_values": tensor_json(c2._values()),
           "dense": tensor_json(s2.to_dense()), "repr": repr(s2)},
    "other": {"indices": tensor_json(other._indices()), "values": tensor_json(other._values())},
    "sum_dense": tensor_json((s + other).to_dense()),
    "dense_plus_sparse_alpha": tensor_json(dense.add(s, alpha=-0.5)),
    "empty_repr": repr(empty),
    "embedding": {"weight": tensor_json(w0), "input": tensor_json(idx), "weights": tensor_json(weights),
                  "grad_indices": tensor_json(g._indices()), "grad_values": tensor_json(g._values()),
                  "grad_dense": tensor_json(g.to_dense()), "repr": repr(emb)},
})

// Sparse COO tensors against PyTorch (tools/golden/sparse.py): construction, coalesce,
// to_dense, add, printing, the ops sparse gradients need, and the errors of everything else.
#include "support/golden.h"

namespace ember::test {
namespace {

Tensor sparse_from(const json& j, IntArrayRef size) {
    return sparse_coo_tensor(tensor_from_json(j.at("indices")), tensor_from_json(j.at("values")),
                             size);
}

TEST(Sparse, ConstructionAndParts) {
    const json fx = load_golden("sparse");
    const Tensor s = sparse_from(fx.at("s"), {4, 2});
    EXPECT_TRUE(s.is_sparse());
    EXPECT_EQ(s.layout(), Layout::SparseCoo);
    EXPECT_EQ(s.sizes(), IntArrayRef({4, 2}));
    EXPECT_EQ(s.sparse_dim(), 1);
    EXPECT_EQ(s.dense_dim(), 1);
    EXPECT_EQ(s._nnz(), 4);
    EXPECT_FALSE(s.is_coalesced());
    EXPECT_TENSOR_EQ(s._indices(), tensor_from_json(fx.at("s").at("indices")));
    EXPECT_TENSOR_EQ(s._values(), tensor_from_json(fx.at("s").at("values")));
    EXPECT_EMBER_ERROR(s.indices(), "Cannot get indices on an uncoalesced tensor");
    EXPECT_EMBER_ERROR(s.values(), "Cannot get values on an uncoalesced tensor");
    EXPECT_FALSE(ones({2}).is_sparse());
    EXPECT_EQ(ones({2, 3}).sparse_dim(), 0);
}

TEST(Sparse, CoalesceAndToDense) {
    const json fx = load_golden("sparse");
    for (const char* name : {"s", "s2"}) {
        const json& c = fx.at(name);
        const std::vector<int64_t> size = c.at("size").get<std::vector<int64_t>>();
        const Tensor s = sparse_from(c, size);
        const Tensor co = s.coalesce();
        EXPECT_TRUE(co.is_coalesced());
        EXPECT_TENSOR_EQ(co.indices(), tensor_from_json(c.at("coalesced_indices")));
        EXPECT_TENSOR_CLOSE(co.values(), tensor_from_json(c.at("coalesced_values")));
        EXPECT_TENSOR_CLOSE(s.to_dense(), tensor_from_json(c.at("dense")));
        EXPECT_TENSOR_CLOSE(co.to_dense(), tensor_from_json(c.at("dense")));
        EXPECT_TRUE(co.coalesce().is_same(co));
        EXPECT_EQ(s.str(), c.at("repr").get<std::string>());
    }
    EXPECT_EQ(sparse_from(fx.at("s"), {4, 2}).coalesce().str(),
              fx.at("s").at("coalesced_repr").get<std::string>());
}

TEST(Sparse, Add) {
    const json fx = load_golden("sparse");
    const Tensor s = sparse_from(fx.at("s"), {4, 2}), o = sparse_from(fx.at("other"), {4, 2});
    const Tensor sum = s + o;
    EXPECT_TRUE(sum.is_sparse());
    EXPECT_EQ(sum._nnz(), 6);
    EXPECT_TENSOR_CLOSE(sum.to_dense(), tensor_from_json(fx.at("sum_dense")));
    const Tensor dense = arange(8, {.dtype = DType::Float32}).reshape({4, 2});
    const Tensor expected = tensor_from_json(fx.at("dense_plus_sparse_alpha"));
    EXPECT_TENSOR_CLOSE(add(dense, s, -0.5), expected);
    EXPECT_TENSOR_CLOSE(add(s, dense * -2, 1) * -0.5, expected);  // sparse + dense is dense
    Tensor inplace = dense.clone();
    inplace.add_(s, -0.5);
    EXPECT_TENSOR_CLOSE(inplace, expected);
    // Into a non-contiguous dense tensor.
    Tensor t = dense.t().contiguous().t();
    ASSERT_FALSE(t.is_contiguous());
    t.add_(s, -0.5);
    EXPECT_TENSOR_CLOSE(t, expected);
    // sparse += sparse appends the entries.
    Tensor acc = s.clone();
    acc.add_(o);
    EXPECT_EQ(acc._nnz(), 6);
    EXPECT_TENSOR_CLOSE(acc.to_dense(), tensor_from_json(fx.at("sum_dense")));
    EXPECT_EQ(s._nnz(), 4);  // the clone was separate
}

TEST(Sparse, ScaleZeroCloneDetachTo) {
    const json fx = load_golden("sparse");
    Tensor s = sparse_from(fx.at("s"), {4, 2});
    const Tensor dense = s.to_dense();
    Tensor scaled = s.clone();
    scaled.mul_(2.0);
    EXPECT_TENSOR_CLOSE(scaled.to_dense(), dense * 2);
    scaled.div_(4.0);
    EXPECT_TENSOR_CLOSE(scaled.to_dense(), dense * 0.5);
    const Tensor d = s.detach();
    EXPECT_TRUE(d.is_sparse());
    EXPECT_TRUE(d._values().is_same(s._values()));
    const Tensor f64 = s.to(DType::Float64);
    EXPECT_EQ(f64.dtype(), DType::Float64);
    EXPECT_EQ(f64._values().dtype(), DType::Float64);
    EXPECT_TENSOR_CLOSE(f64.to_dense(), dense.to(DType::Float64));
    Tensor z = s.clone();
    z.zero_();
    EXPECT_EQ(z._nnz(), 0);
    EXPECT_TENSOR_EQ(z.to_dense(), zeros({4, 2}));
    EXPECT_EQ(z.str(), fx.at("empty_repr").get<std::string>());
}

TEST(Sparse, Errors) {
    const Tensor v = ones({2, 3});
    const Tensor i = tensor({{0, 3}}, {.dtype = DType::Int64});
    EXPECT_EMBER_ERROR(sparse_coo_tensor(i, v, {3, 3}), "sparse_coo_tensor",
                       "size is inconsistent with indices: for dim 0, size is 3 but found index 3");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({{0, -1}}, {.dtype = DType::Int64}), v, {3, 3}),
                       "found negative index -1 for dim 0");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({{0.f, 1.f}}), v, {3, 3}), "indices must be an int64");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({0, 1}, {.dtype = DType::Int64}), v, {3, 3}),
                       "indices must be sparse_dim x nnz");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({{0, 1, 2}}, {.dtype = DType::Int64}), v, {3, 3}),
                       "indices and values must have same nnz");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({{0, 1}}, {.dtype = DType::Int64}), v, {4, 4}),
                       "values has incorrect size");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({{0, 1}}, {.dtype = DType::Int64}), v, {4}),
                       "number of dimensions must be sparse_dim (1) + dense_dim (1)");
    EXPECT_EMBER_ERROR(sparse_coo_tensor(tensor({{0, 1}}, {.dtype = DType::Int64}),
                                         ones({2, 3}).requires_grad_(), {4, 3}),
                       "autograd does not flow through sparse tensors");

    const Tensor s = sparse_coo_tensor(tensor({{0, 1}}, {.dtype = DType::Int64}), v, {4, 3});
    // Dense ops and views say what they got instead of reading memory that is not there.
    EXPECT_EMBER_ERROR(s.sum(), "does not support sparse tensors", "sparse_coo float32", "[4, 3]");
    EXPECT_EMBER_ERROR(s * 2, "does not support sparse tensors");
    EXPECT_EMBER_ERROR(s.view({12}), "views of sparse tensors are not supported");
    EXPECT_EMBER_ERROR(s.t(), "views of sparse tensors are not supported");
    EXPECT_EMBER_ERROR(ones({2, 3}).coalesce(), "coalesce: expected a sparse tensor");
    EXPECT_EMBER_ERROR(s + ones({3, 4}), "add: sparse operands must have the same size");
    EXPECT_EMBER_ERROR(s + ones({4, 3}, {.dtype = DType::Float64}), "same dtype and device");
    Tensor d = ones({4, 3});
    EXPECT_EMBER_ERROR(s.clone().add_(d), "add_: a dense tensor cannot be added in place to a sparse one");
}

}  // namespace
}  // namespace ember::test

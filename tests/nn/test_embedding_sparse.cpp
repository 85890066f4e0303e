// nn::Embedding(sparse=true): the weight's gradient is a sparse COO tensor with one row per
// lookup (none for padding_idx), as PyTorch's (tools/golden/sparse.py).
#include "support/golden.h"

namespace ember::test {
namespace {

TEST(EmbeddingSparse, GradientMatchesPyTorch) {
    const json fx = load_golden("sparse");
    const json& e = fx.at("embedding");
    nn::Embedding emb = nn::Embedding::from_pretrained(tensor_from_json(e.at("weight")),
                                                       /*freeze=*/false,
                                                       {.padding_idx = 1, .sparse = true});
    EXPECT_EQ(emb.repr(), e.at("repr").get<std::string>());
    (emb(tensor_from_json(e.at("input"))) * tensor_from_json(e.at("weights"))).sum().backward();
    const Tensor& g = emb.weight.grad();
    ASSERT_TRUE(g.is_sparse());
    EXPECT_TENSOR_EQ(g._indices(), tensor_from_json(e.at("grad_indices")));
    EXPECT_TENSOR_CLOSE(g._values(), tensor_from_json(e.at("grad_values")));
    EXPECT_TENSOR_CLOSE(g.to_dense(), tensor_from_json(e.at("grad_dense")));
}

TEST(EmbeddingSparse, GradientsAccumulateOverBackwardCallsAndUses) {
    const json fx = load_golden("sparse");
    const json& e = fx.at("embedding");
    nn::Embedding emb = nn::Embedding::from_pretrained(tensor_from_json(e.at("weight")), false,
                                                       {.padding_idx = 1, .sparse = true});
    const Tensor input = tensor_from_json(e.at("input")), w = tensor_from_json(e.at("weights"));
    const Tensor dense = tensor_from_json(e.at("grad_dense"));
    // Two uses in one graph (summed in the engine), then a second backward (AccumulateGrad).
    ((emb(input) * w).sum() + (emb(input) * w).sum()).backward();
    (emb(input) * w).sum().backward();
    ASSERT_TRUE(emb.weight.grad().is_sparse());
    EXPECT_TENSOR_CLOSE(emb.weight.grad().to_dense(), dense * 3);
    // zero_grad(set_to_none=false) keeps an empty sparse gradient.
    optim::SGD opt(emb.parameters(), {.lr = 0.1});
    opt.zero_grad(false);
    EXPECT_TRUE(emb.weight.grad().is_sparse());
    EXPECT_EQ(emb.weight.grad()._nnz(), 0);
}

TEST(EmbeddingSparse, DenseGradientWhereTheWeightMeetsADenseOne) {
    // The weight also used densely: dense + sparse gradients sum to a dense one.
    const json fx = load_golden("sparse");
    const json& e = fx.at("embedding");
    nn::Embedding emb = nn::Embedding::from_pretrained(tensor_from_json(e.at("weight")), false,
                                                       {.padding_idx = 1, .sparse = true});
    ((emb(tensor_from_json(e.at("input"))) * tensor_from_json(e.at("weights"))).sum() +
     emb.weight.sum())
        .backward();
    ASSERT_FALSE(emb.weight.grad().is_sparse());
    EXPECT_TENSOR_CLOSE(emb.weight.grad(), tensor_from_json(e.at("grad_dense")) + 1);
}

}  // namespace
}  // namespace ember::test

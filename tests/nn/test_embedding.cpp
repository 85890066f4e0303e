// nn::Embedding and nn::functional::embedding against PyTorch (tools/golden/nn_norm.py): default
// weights after manual_seed, lookups and weight gradients with padding_idx, scale_grad_by_freq
// and max_norm; from_pretrained; float64 gradchecks with double backward; reprs and errors.
#include <gtest/gtest.h>

#include <string>

#include "ember/ember.h"
#include "ember/nn/nn.h"
#include "support/golden.h"

namespace ember {
namespace {

namespace F = nn::functional;
using test::json;
using test::load_golden;
using test::tensor_from_json;

TEST(Embedding, DefaultInitMatchesPyTorch) {
    const json golden = load_golden("nn_norm").at("embedding");
    manual_seed(0);
    nn::Embedding emb(10, 3);
    EXPECT_TENSOR_EQ(emb.weight, tensor_from_json(golden.at("default_10x3")));
    EXPECT_TRUE(emb.weight.requires_grad());
    manual_seed(1);
    nn::Embedding padded(5, 4, {.padding_idx = 1});
    EXPECT_TENSOR_EQ(padded.weight, tensor_from_json(golden.at("default_5x4_padding_1")));
    EXPECT_TENSOR_EQ(padded.weight[1], zeros({4}));
}

void check_lookup(const json& c, const Tensor& table, const Tensor& index, bool module) {
    SCOPED_TRACE(c.at("name").get<std::string>() + (module ? " (module)" : ""));
    const json& o = c.at("options");
    nn::EmbeddingOptions options;
    if (o.contains("padding_idx")) options.padding_idx = o.at("padding_idx").get<int64_t>();
    if (o.contains("max_norm")) options.max_norm = o.at("max_norm").get<double>();
    options.norm_type = o.value("norm_type", 2.0);
    options.scale_grad_by_freq = o.value("scale_grad_by_freq", false);
    Tensor out, weight;
    if (module) {
        auto emb = nn::Embedding::from_pretrained(table.clone(), /*freeze=*/false, options);
        out = emb(index);
        weight = emb.weight;
    } else {
        weight = table.clone().requires_grad_();
        out = F::embedding(index, weight, options.padding_idx, options.max_norm,
                           options.norm_type, options.scale_grad_by_freq);
    }
    EXPECT_TENSOR_CLOSE(out, tensor_from_json(c.at("out")));
    EXPECT_EQ(out.grad_fn()->name(), "EmbeddingBackward0");
    out.backward(tensor_from_json(c.at("upstream")));
    EXPECT_TENSOR_CLOSE(weight.grad(), tensor_from_json(c.at("grad_weight")));
    // max_norm renormalised the rows looked up in place.
    EXPECT_TENSOR_CLOSE(weight.detach(), tensor_from_json(c.at("weight_after")));
}

TEST(Embedding, LookupsMatchPyTorch) {
    const json golden = load_golden("nn_norm").at("embedding");
    const Tensor table = tensor_from_json(golden.at("table"));
    const Tensor index = tensor_from_json(golden.at("index"));
    for (const json& c : golden.at("lookups")) {
        check_lookup(c, table, index, false);
        check_lookup(c, table, index, true);
        check_lookup(c, table, index.to_int(), false);  // int32 indices too
    }
}

TEST(Embedding, ShapesAndNonContiguous) {
    const Tensor w = randn({7, 3});
    // Any index shape, 0-dim included; the output adds embedding_dim.
    EXPECT_EQ(F::embedding(tensor(int64_t{2}), w).sizes(), IntArrayRef({3}));
    EXPECT_TENSOR_EQ(F::embedding(tensor(int64_t{2}), w), w[2]);
    EXPECT_EQ(F::embedding(zeros({2, 0}, {.dtype = int64}), w).sizes(), IntArrayRef({2, 0, 3}));
    const Tensor idx = tensor({{0, 6}, {3, 3}, {1, 5}}, {.dtype = int64}).t();  // not contiguous
    const Tensor wt = randn({3, 7}).t();  // a non-contiguous weight
    const Tensor out = F::embedding(idx, wt);
    EXPECT_EQ(out.sizes(), IntArrayRef({2, 3, 3}));
    EXPECT_TENSOR_EQ(out[1][2], wt[5]);
    EXPECT_TENSOR_EQ(out[0][1], wt[3]);
}

TEST(Embedding, PaddingRowGetsNoGradient) {
    nn::Embedding emb(4, 2, {.padding_idx = -1});
    EXPECT_EQ(emb.options.padding_idx, 3);
    EXPECT_TENSOR_EQ(emb.weight[3], zeros({2}));
    emb(tensor({3, 3, 0}, {.dtype = int64})).sum().backward();
    EXPECT_TENSOR_EQ(emb.weight.grad(), tensor({{1.f, 1.f}, {0.f, 0.f}, {0.f, 0.f}, {0.f, 0.f}}));
}

TEST(Embedding, FromPretrained) {
    const Tensor table = randn({4, 2});
    auto frozen = nn::Embedding::from_pretrained(table);
    EXPECT_FALSE(frozen.weight.requires_grad());
    EXPECT_EQ(frozen.num_embeddings, 4);
    EXPECT_EQ(frozen.embedding_dim, 2);
    EXPECT_EQ(frozen.weight.data_ptr(), table.data_ptr());  // shared, not copied
    EXPECT_FALSE(frozen(tensor({1}, {.dtype = int64})).requires_grad());
    auto trainable = nn::Embedding::from_pretrained(table, false, {.padding_idx = 0});
    EXPECT_TRUE(trainable.weight.requires_grad());
    EXPECT_FALSE(table.requires_grad());
    EXPECT_TENSOR_EQ(trainable.weight, table);  // the padding row is not zeroed
}

// Without padding_idx and scale_grad_by_freq (which by design are not the true gradient: see
// LookupsMatchPyTorch and PaddingRowGetsNoGradient).
TEST(Embedding, Gradcheck) {
    const Tensor idx = tensor({{1, 2, 1}, {4, 0, 1}}, {.dtype = int64});
    const Tensor w = randn({5, 3}, {.dtype = float64}).requires_grad_();
    EXPECT_TRUE(autograd::gradcheck(
        [&](const TensorList& a) { return TensorList{F::embedding(idx, a[0])}; }, {w},
        {.check_grad_grad = true}));
}

TEST(Embedding, Reprs) {
    EXPECT_EQ(nn::Embedding(10, 3).repr(), "Embedding(10, 3)");
    EXPECT_EQ(nn::Embedding(10, 3, {.padding_idx = -1, .max_norm = 1.0, .norm_type = 1.0,
                                    .scale_grad_by_freq = true})
                  .repr(),
              "Embedding(10, 3, padding_idx=9, max_norm=1.0, norm_type=1.0, "
              "scale_grad_by_freq=True)");
}

TEST(Embedding, Errors) {
    const Tensor w = randn({5, 2});
    EXPECT_EMBER_ERROR(F::embedding(tensor({5}, {.dtype = int64}), w),
                       "index out of range in self");
    EXPECT_EMBER_ERROR(F::embedding(tensor({-1}, {.dtype = int64}), w),
                       "index out of range in self");
    EXPECT_EMBER_ERROR(F::embedding(tensor({1.f}), w), "Expected tensor for argument #1 "
                       "'indices' to have one of the following scalar types: Long, Int");
    EXPECT_EMBER_ERROR(F::embedding(tensor({1}, {.dtype = int64}), randn({5})),
                       "'weight' must be 2-D");
    EXPECT_EMBER_ERROR(F::embedding(tensor({1}, {.dtype = int64}), w, 5),
                       "Padding_idx must be within num_embeddings");
    EXPECT_EMBER_ERROR(nn::Embedding(5, 2, {.padding_idx = -6}),
                       "Padding_idx must be within num_embeddings");
    EXPECT_EMBER_ERROR(nn::Embedding(5, 2, {.scale_grad_by_freq = true, .sparse = true}),
                       "scale_grad_by_freq not supported with sparse gradients");
    EXPECT_EMBER_ERROR(F::embedding(tensor({1}, {.dtype = int64}), w, std::nullopt, std::nullopt,
                                    2.0, /*scale_grad_by_freq=*/true, /*sparse=*/true),
                       "embedding", "scale_grad_by_freq not supported with sparse gradients");
    EXPECT_EMBER_ERROR(nn::Embedding::from_pretrained(randn({5})),
                       "Embeddings parameter is expected to be 2-dimensional");
    nn::Embedding emb(3, 2);
    EXPECT_EMBER_ERROR(emb(tensor({3}, {.dtype = int64})), "Embedding: ",
                       "index out of range in self");
}

}  // namespace
}  // namespace ember

// nn::Embedding, as torch.nn.Embedding: a lookup table of num_embeddings vectors of size
// embedding_dim, indexed by integer tensors; and its functional form nn::functional::embedding.
//
//   nn::Embedding emb(10, 3, {.padding_idx = 0});
//   Tensor vectors = emb(tensor({{1, 2, 0}}, {.dtype = int64}));   // (1, 3, 3)
//   auto frozen = nn::Embedding::from_pretrained(table);           // weight does not learn
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ember/nn/module.h"

namespace ember::nn {

struct EmbeddingOptions {
    // This row is zero at initialisation and gets no gradient (negative counts from the end).
    std::optional<int64_t> padding_idx;
    // Rows looked up whose norm_type-norm exceeds max_norm are rescaled in place to max_norm
    // before the lookup (PyTorch's embedding_renorm_).
    std::optional<double> max_norm;
    double norm_type = 2.0;
    // Scales each row's gradient by the inverse of its number of occurrences in the batch.
    bool scale_grad_by_freq = false;
    // The weight's gradient as a sparse COO tensor with one row per lookup (for
    // optim::SparseAdam, SGD or Adagrad); not with scale_grad_by_freq.
    bool sparse = false;
};

class Embedding : public Module {
public:
    // The weight is drawn from normal(0, 1), as PyTorch.
    Embedding(int64_t num_embeddings, int64_t embedding_dim, const EmbeddingOptions& options = {});
    // An embedding whose weight is `embeddings` (2-D, used as is, not copied); freeze: the weight
    // does not require grad.
    static Embedding from_pretrained(const Tensor& embeddings, bool freeze = true,
                                     const EmbeddingOptions& options = {});
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    int64_t num_embeddings, embedding_dim;
    EmbeddingOptions options;  // padding_idx kept non-negative
    Tensor& weight;            // (num_embeddings, embedding_dim)

private:
    Embedding(const Tensor& weight, bool requires_grad, const EmbeddingOptions& options);
};

namespace functional {

// The rows of weight (num_embeddings, embedding_dim) picked by input (int64 or int32, any
// shape): shape input.shape + (embedding_dim). The options are EmbeddingOptions' (a negative
// padding_idx counts from the end); max_norm renormalises the rows of weight in place.
Tensor embedding(const Tensor& input, const Tensor& weight,
                 std::optional<int64_t> padding_idx = std::nullopt,
                 std::optional<double> max_norm = std::nullopt, double norm_type = 2.0,
                 bool scale_grad_by_freq = false, bool sparse = false);

}  // namespace functional

}  // namespace ember::nn

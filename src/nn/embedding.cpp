// nn::Embedding and nn::functional::embedding. The lookup is one primitive (EmbeddingBackward0,
// as PyTorch) whose backward, written with ember ops, sums the output gradient into the rows
// looked up, leaving out padding_idx and optionally dividing by each row's frequency.
#include "ember/nn/embedding.h"

#include "autograd/function.h"
#include "ember/ember.h"
#include "ember/nn/init.h"
#include "nn/repr.h"

namespace ember::nn {

namespace {

// padding_idx within [-num_embeddings, num_embeddings), made non-negative (F.embedding's asserts).
std::optional<int64_t> normalize_padding_idx(std::optional<int64_t> padding_idx,
                                             int64_t num_embeddings, const char* op) {
    if (!padding_idx) return std::nullopt;
    EMBER_CHECK(*padding_idx < num_embeddings && *padding_idx >= -num_embeddings, op,
                ": Padding_idx must be within num_embeddings (padding_idx=", *padding_idx,
                ", num_embeddings=", num_embeddings, ")");
    return *padding_idx < 0 ? *padding_idx + num_embeddings : *padding_idx;
}

// PyTorch raises this in the backward; ember as soon as the combination is asked for.
void check_sparse_options(bool sparse, bool scale_grad_by_freq, const char* op) {
    EMBER_CHECK(!(sparse && scale_grad_by_freq), op, ": embedding_backward: scale_grad_by_freq "
                "not supported with sparse gradients");
}

// PyTorch's embedding_renorm_: each row looked up whose norm exceeds max_norm is scaled in place
// by max_norm / (norm + 1e-7), the factor computed in double.
void renorm_rows(const Tensor& weight, const Tensor& index, double max_norm, double norm_type) {
    NoGradGuard no_grad;
    const Tensor rows = weight.index_select(0, index);
    const Tensor norms = rows.norm(norm_type, {1}, /*keepdim=*/true).to(float64);
    const Tensor scale = where(norms > max_norm, max_norm / (norms + 1e-7), 1.0);
    // A row looked up twice is written twice with the same value.
    Tensor w = weight;
    w.scatter_(0, index.unsqueeze(1).expand(rows.sizes()), rows * scale.to(weight.dtype()));
}

}  // namespace

namespace functional {

Tensor embedding(const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx,
                 std::optional<double> max_norm, double norm_type, bool scale_grad_by_freq,
                 bool sparse) {
    input.check_defined("embedding");
    weight.check_defined("embedding");
    check_sparse_options(sparse, scale_grad_by_freq, "embedding");
    EMBER_CHECK(weight.dim() == 2, "embedding: 'weight' must be 2-D, got shape ",
                shape_str(weight.sizes()));
    EMBER_CHECK(input.dtype() == int64 || input.dtype() == int32, "embedding: Expected tensor "
                "for argument #1 'indices' to have one of the following scalar types: Long, Int; "
                "but got ", input.dtype(), " instead");
    const int64_t num_embeddings = weight.size(0), dim = weight.size(1);
    const std::optional<int64_t> pad = normalize_padding_idx(padding_idx, num_embeddings, "embedding");
    const Tensor index = input.reshape({-1}).to(int64);
    if (index.numel() > 0) {
        const int64_t lo = index.min().item<int64_t>(), hi = index.max().item<int64_t>();
        EMBER_CHECK(lo >= 0 && hi < num_embeddings, "embedding: index out of range in self (index ",
                    lo < 0 ? lo : hi, ", num_embeddings ", num_embeddings, ")");
    }
    if (max_norm) renorm_rows(weight, index, *max_norm, norm_type);

    DimVector out_shape = input.sizes().dims();
    out_shape.push_back(dim);
    Tensor out;
    {
        NoGradGuard no_grad;
        out = weight.index_select(0, index).view(out_shape);
    }
    if (autograd::needs_grad(weight))
        autograd::record(
            "EmbeddingBackward0", {weight}, {out}, {},
            [index, pad, scale_grad_by_freq, sparse, num_embeddings,
             dim](autograd::BackwardContext& ctx) {
                Tensor g = ctx.grad().reshape({-1, dim});
                if (sparse) {
                    // One row of values per lookup (duplicates stay, as PyTorch's), none for
                    // padding_idx.
                    Tensor rows = index;
                    if (pad) {
                        const Tensor keep = index.ne(*pad);
                        rows = index.masked_select(keep);
                        g = g.masked_select(keep.unsqueeze(1)).view({-1, dim});
                    }
                    return TensorList{sparse_coo_tensor(rows.view({1, -1}), g,
                                                        {num_embeddings, dim})};
                }
                if (pad) g = g.masked_fill(index.eq(*pad).unsqueeze(1), 0);
                if (scale_grad_by_freq) {
                    const Tensor counts = zeros({num_embeddings}, {.dtype = int64})
                                              .scatter_add(0, index, ones_like(index));
                    g = g / counts.index_select(0, index).unsqueeze(1).to(g.dtype());
                }
                const Tensor grad_weight =
                    zeros({num_embeddings, dim}, {.dtype = g.dtype(), .device = g.device()})
                        .scatter_add(0, index.unsqueeze(1).expand({-1, dim}), g);
                return TensorList{grad_weight};
            });
    return out;
}

}  // namespace functional

namespace {

// normal(0, 1), as reset_parameters, with the padding row zeroed.
Tensor initial_weight(int64_t num_embeddings, int64_t embedding_dim,
                      std::optional<int64_t> padding_idx) {
    EMBER_CHECK(num_embeddings >= 0 && embedding_dim >= 0, "Embedding: num_embeddings and "
                "embedding_dim must be non-negative, got ", num_embeddings, " and ", embedding_dim);
    Tensor w = empty({num_embeddings, embedding_dim});
    init::normal_(w);
    if (const auto pad = normalize_padding_idx(padding_idx, num_embeddings, "Embedding"))
        w[*pad].zero_();
    return w;
}

const Tensor& checked_pretrained(const Tensor& embeddings) {
    embeddings.check_defined("Embedding.from_pretrained");
    EMBER_CHECK(embeddings.dim() == 2, "Embedding.from_pretrained: Embeddings parameter is "
                "expected to be 2-dimensional, got shape ", shape_str(embeddings.sizes()));
    return embeddings;
}

EmbeddingOptions checked_options(EmbeddingOptions options, int64_t num_embeddings) {
    check_sparse_options(options.sparse, options.scale_grad_by_freq, "Embedding");
    options.padding_idx = normalize_padding_idx(options.padding_idx, num_embeddings, "Embedding");
    return options;
}

}  // namespace

Embedding::Embedding(int64_t num, int64_t dim, const EmbeddingOptions& opts)
    : Embedding(initial_weight(num, dim, checked_options(opts, num).padding_idx), true, opts) {}

Embedding::Embedding(const Tensor& w, bool requires_grad, const EmbeddingOptions& opts)
    : num_embeddings(checked_pretrained(w).size(0)),
      embedding_dim(w.size(1)),
      options(checked_options(opts, num_embeddings)),
      weight(register_parameter("weight", w, requires_grad)) {}

Embedding Embedding::from_pretrained(const Tensor& embeddings, bool freeze,
                                     const EmbeddingOptions& options) {
    // A new tensor sharing the values (as nn.Parameter(embeddings)): the caller's tensor keeps
    // its own requires_grad.
    return Embedding(checked_pretrained(embeddings).detach(), !freeze, options);
}

Tensor Embedding::forward(const Tensor& input) {
    return functional::embedding(input, weight, options.padding_idx, options.max_norm,
                                 options.norm_type, options.scale_grad_by_freq, options.sparse);
}

std::string Embedding::extra_repr() const {
    std::string s = detail::str_cat(num_embeddings, ", ", embedding_dim);
    if (options.padding_idx) s += detail::str_cat(", padding_idx=", *options.padding_idx);
    if (options.max_norm) s += ", max_norm=" + py_float(*options.max_norm);
    if (options.norm_type != 2) s += ", norm_type=" + py_float(options.norm_type);
    if (options.scale_grad_by_freq) s += ", scale_grad_by_freq=True";
    if (options.sparse) s += ", sparse=True";
    return s;
}

}  // namespace ember::nn

// Activation layers: forward through nn::functional, PyTorch's reprs.
#include "ember/nn/activation.h"

#include "ember/nn/functional.h"
#include "nn/repr.h"

namespace ember::nn {

namespace F = functional;

namespace {

// PyTorch's implicit softmax dim (deprecated there, kept for the legacy call): 0 for 0-, 1- and
// 3-dimensional inputs, 1 otherwise.
int64_t implicit_softmax_dim(const Tensor& input, std::optional<int64_t> dim) {
    if (dim) return *dim;
    const int64_t nd = input.dim();
    return nd == 0 || nd == 1 || nd == 3 ? 0 : 1;
}

std::string dim_repr(std::optional<int64_t> dim) {
    return "dim=" + (dim ? std::to_string(*dim) : std::string("None"));
}

}  // namespace

Tensor ReLU::forward(const Tensor& input) { return F::relu(input, inplace); }

Tensor LeakyReLU::forward(const Tensor& input) {
    return F::leaky_relu(input, negative_slope, inplace);
}
std::string LeakyReLU::extra_repr() const {
    return "negative_slope=" + py_float(negative_slope) + (inplace ? ", inplace=True" : "");
}

Tensor ELU::forward(const Tensor& input) { return F::elu(input, alpha, inplace); }
std::string ELU::extra_repr() const {
    return "alpha=" + py_float(alpha) + (inplace ? ", inplace=True" : "");
}

Tensor GELU::forward(const Tensor& input) { return F::gelu(input, approximate); }
Tensor SiLU::forward(const Tensor& input) { return F::silu(input, inplace); }
Tensor Sigmoid::forward(const Tensor& input) { return F::sigmoid(input); }
Tensor Tanh::forward(const Tensor& input) { return F::tanh(input); }

Tensor Softmax::forward(const Tensor& input) {
    return F::softmax(input, implicit_softmax_dim(input, dim));
}
std::string Softmax::extra_repr() const { return dim_repr(dim); }

Tensor LogSoftmax::forward(const Tensor& input) {
    return F::log_softmax(input, implicit_softmax_dim(input, dim));
}
std::string LogSoftmax::extra_repr() const { return dim_repr(dim); }

}  // namespace ember::nn

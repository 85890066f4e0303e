// nn::init: PyTorch's initialisers, computed in double in PyTorch's order so that the bounds
// handed to uniform_/normal_ (and so the drawn values) are PyTorch's.
#include "ember/nn/init.h"

#include <cmath>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/factory.h"

namespace ember::nn::init {

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
    if (nonlinearity == "linear" || nonlinearity == "conv1d" || nonlinearity == "conv2d" ||
        nonlinearity == "conv3d" || nonlinearity == "conv_transpose1d" ||
        nonlinearity == "conv_transpose2d" || nonlinearity == "conv_transpose3d" ||
        nonlinearity == "sigmoid")
        return 1;
    if (nonlinearity == "tanh") return 5.0 / 3;
    if (nonlinearity == "relu") return std::sqrt(2.0);
    if (nonlinearity == "leaky_relu") {
        const double slope = param.value_or(0.01);
        return std::sqrt(2.0 / (1 + slope * slope));
    }
    if (nonlinearity == "selu") return 3.0 / 4;
    EMBER_ERROR("calculate_gain: Unsupported nonlinearity ", nonlinearity);
}

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor) {
    EMBER_CHECK(tensor.dim() >= 2, "Fan in and fan out can not be computed for tensor with fewer "
                "than 2 dimensions (got shape ", shape_str(tensor.sizes()), ")");
    int64_t receptive = 1;
    for (int64_t d = 2; d < tensor.dim(); ++d) receptive *= tensor.size(d);
    return {tensor.size(1) * receptive, tensor.size(0) * receptive};
}

Tensor& uniform_(Tensor& tensor, double a, double b, std::optional<Generator> generator) {
    NoGradGuard no_grad;
    return tensor.uniform_(a, b, generator);
}

Tensor& normal_(Tensor& tensor, double mean, double std, std::optional<Generator> generator) {
    NoGradGuard no_grad;
    return tensor.normal_(mean, std, generator);
}

Tensor& constant_(Tensor& tensor, const Scalar& value) {
    NoGradGuard no_grad;
    return tensor.fill_(value);
}

Tensor& zeros_(Tensor& tensor) {
    NoGradGuard no_grad;
    return tensor.zero_();
}

Tensor& ones_(Tensor& tensor) { return constant_(tensor, 1); }

Tensor& eye_(Tensor& tensor) {
    EMBER_CHECK(tensor.dim() == 2, "eye_: only tensors with 2 dimensions are supported (got shape ",
                shape_str(tensor.sizes()), ")");
    NoGradGuard no_grad;
    return tensor.copy_(eye(tensor.size(0), tensor.size(1), {.dtype = tensor.dtype()}));
}

Tensor& xavier_uniform_(Tensor& tensor, double gain, std::optional<Generator> generator) {
    auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    const double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
    const double a = std::sqrt(3.0) * std;
    return uniform_(tensor, -a, a, generator);
}

Tensor& xavier_normal_(Tensor& tensor, double gain, std::optional<Generator> generator) {
    auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    const double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
    return normal_(tensor, 0, std, generator);
}

namespace {

double kaiming_std(const Tensor& tensor, double a, const std::string& mode,
                   const std::string& nonlinearity) {
    EMBER_CHECK(mode == "fan_in" || mode == "fan_out", "kaiming init: Mode ", mode,
                " not supported, please use one of fan_in, fan_out");
    auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    const double fan = static_cast<double>(mode == "fan_in" ? fan_in : fan_out);
    return calculate_gain(nonlinearity, a) / std::sqrt(fan);
}

}  // namespace

Tensor& kaiming_uniform_(Tensor& tensor, double a, const std::string& mode,
                         const std::string& nonlinearity, std::optional<Generator> generator) {
    if (tensor.numel() == 0) return tensor;  // PyTorch: "Initializing zero-element tensors is a no-op"
    const double bound = std::sqrt(3.0) * kaiming_std(tensor, a, mode, nonlinearity);
    return uniform_(tensor, -bound, bound, generator);
}

Tensor& kaiming_normal_(Tensor& tensor, double a, const std::string& mode,
                        const std::string& nonlinearity, std::optional<Generator> generator) {
    if (tensor.numel() == 0) return tensor;
    return normal_(tensor, 0, kaiming_std(tensor, a, mode, nonlinearity), generator);
}

}  // namespace ember::nn::init

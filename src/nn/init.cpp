// nn::init: PyTorch's initialisers, computed in double in PyTorch's order so that the bounds
// handed to uniform_/normal_ (and so the drawn values) are PyTorch's.
#include "ember/nn/init.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/core/warning.h"
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
                " not supported, please use one of ['fan_in', 'fan_out']");
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

Tensor& trunc_normal_(Tensor& tensor, double mean, double std, double a, double b,
                      std::optional<Generator> generator) {
    EMBER_CHECK(std > 0, "trunc_normal_: std must be positive, got ", std);
    EMBER_CHECK(a <= b, "trunc_normal_: the lower bound a (", a, ") must not exceed the upper "
                "bound b (", b, ")");
    if (mean < a - 2 * std || mean > b + 2 * std)
        warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of "
             "values may be incorrect.");
    // Inverse-CDF sampling: a uniform draw between the normal CDF at a and at b, mapped to
    // [-1, 1] for erfinv. Every step is PyTorch's, in its order and precision.
    auto norm_cdf = [](double x) { return (1 + std::erf(x / std::sqrt(2.0))) / 2; };
    const double l = norm_cdf((a - mean) / std);
    const double u = norm_cdf((b - mean) / std);
    NoGradGuard no_grad;
    tensor.uniform_(2 * l - 1, 2 * u - 1, generator);
    tensor.erfinv_();
    tensor.mul_(std * std::sqrt(2.0));
    tensor.add_(mean);
    return tensor.clamp_(a, b);
}

namespace {

// The Q of a Householder QR of the row-major (m, n) matrix `a` (m >= n), in place of `a`, with
// its columns signed so that R's diagonal is positive (the unique such Q for a full-rank `a`;
// a column whose R entry is 0 is zeroed, as multiplying by sign(0) does in PyTorch).
void orthonormal_q(std::vector<double>& a, int64_t m, int64_t n) {
    std::vector<std::vector<double>> reflectors;  // v_k, of length m - k, with |v_k| = 1
    std::vector<double> r_diagonal;
    for (int64_t k = 0; k < n; ++k) {
        std::vector<double> v(static_cast<size_t>(m - k));
        double norm2 = 0;
        for (int64_t i = k; i < m; ++i) {
            v[i - k] = a[i * n + k];
            norm2 += v[i - k] * v[i - k];
        }
        const double norm = std::sqrt(norm2);
        // Reflect x onto -sign(x0)|x| e1, avoiding cancellation in x0 - alpha.
        const double alpha = v[0] >= 0 ? -norm : norm;
        r_diagonal.push_back(alpha);
        v[0] -= alpha;
        double v_norm2 = 0;
        for (double x : v) v_norm2 += x * x;
        if (v_norm2 > 0) {
            const double scale = 1 / std::sqrt(v_norm2);
            for (double& x : v) x *= scale;
            // A[k:, k:] -= 2 v (v^T A[k:, k:])
            for (int64_t j = k; j < n; ++j) {
                double dot = 0;
                for (int64_t i = k; i < m; ++i) dot += v[i - k] * a[i * n + j];
                for (int64_t i = k; i < m; ++i) a[i * n + j] -= 2 * v[i - k] * dot;
            }
        }
        reflectors.push_back(std::move(v));
    }
    // Q = H_0 H_1 ... H_{n-1} I[:, :n], applied right to left.
    std::fill(a.begin(), a.end(), 0.0);
    for (int64_t j = 0; j < n; ++j) a[j * n + j] = 1;
    for (int64_t k = n - 1; k >= 0; --k) {
        const std::vector<double>& v = reflectors[static_cast<size_t>(k)];
        for (int64_t j = 0; j < n; ++j) {
            double dot = 0;
            for (int64_t i = k; i < m; ++i) dot += v[i - k] * a[i * n + j];
            for (int64_t i = k; i < m; ++i) a[i * n + j] -= 2 * v[i - k] * dot;
        }
    }
    for (int64_t j = 0; j < n; ++j) {
        const double r = r_diagonal[static_cast<size_t>(j)];
        const double sign = r > 0 ? 1 : r < 0 ? -1 : 0;
        for (int64_t i = 0; i < m; ++i) a[i * n + j] *= sign;
    }
}

}  // namespace

Tensor& orthogonal_(Tensor& tensor, double gain, std::optional<Generator> generator) {
    EMBER_CHECK(tensor.dim() >= 2, "orthogonal_: Only tensors with 2 or more dimensions are "
                "supported (got shape ", shape_str(tensor.sizes()), ")");
    if (tensor.numel() == 0) return tensor;
    const int64_t rows = tensor.size(0);
    const int64_t cols = tensor.numel() / rows;
    NoGradGuard no_grad;
    // PyTorch draws the (rows, cols) matrix in the tensor's dtype and factors its transpose when
    // it is wide; the factorisation runs here in double.
    Tensor flat = empty({rows, cols}, {.dtype = tensor.dtype(), .device = tensor.device()});
    flat.normal_(0, 1, generator);
    const bool wide = rows < cols;
    Tensor tall = (wide ? flat.t() : flat).to(kCPU, float64).contiguous();
    const int64_t m = tall.size(0), n = tall.size(1);
    std::vector<double> q(tall.data_ptr<double>(), tall.data_ptr<double>() + m * n);
    orthonormal_q(q, m, n);
    Tensor result = ember::tensor(q, {.dtype = float64}).view({m, n});
    if (wide) result = result.t();
    tensor.copy_(result.reshape(tensor.sizes()));
    return tensor.mul_(gain);
}

}  // namespace ember::nn::init

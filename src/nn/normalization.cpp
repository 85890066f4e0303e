// BatchNorm1d/2d, LayerNorm, GroupNorm and their functional forms, written with ember ops
// (autograd differentiates them to any order); only BatchNorm's running statistics are
// computed aside, without grad, in PyTorch's precision.
#include "ember/nn/normalization.h"

#include "ember/ember.h"
#include "nn/repr.h"

namespace ember::nn {

namespace {

// The shape (1, C, 1, ...) of rank `ndim` that broadcasts a per-channel vector over (N, C, *).
DimVector channel_shape(int64_t channels, int64_t ndim) {
    DimVector shape(static_cast<size_t>(ndim), 1);
    shape[1] = channels;
    return shape;
}

// Every dim but the channel dim 1: those batch statistics reduce.
DimVector non_channel_dims(int64_t ndim) {
    DimVector dims;
    for (int64_t d = 0; d < ndim; ++d)
        if (d != 1) dims.push_back(d);
    return dims;
}

// PyTorch's check of a per-channel tensor: "running_mean should contain 3 elements not 4".
void check_per_channel(const Tensor& t, const char* name, int64_t channels) {
    if (!t.defined()) return;
    EMBER_CHECK(t.numel() == channels, "batch_norm: ", name, " should contain ", channels,
                " elements not ", t.numel());
}

// F.batch_norm's _verify_batch_size: statistics of a single value per channel are meaningless.
void verify_batch_size(const Tensor& input) {
    int64_t values = input.size(0);
    for (int64_t d = 2; d < input.dim(); ++d) values *= input.size(d);
    EMBER_CHECK(values != 1, "Expected more than 1 value per channel when training, got input "
                "size ", shape_str(input.sizes()));
}

// (x - mean) / sqrt(var + eps) with the biased variance over `dims` (two passes, stable).
Tensor normalize(const Tensor& x, IntArrayRef dims, double eps) {
    const Tensor centered = x - x.mean(dims, /*keepdim=*/true);
    const Tensor var = (centered * centered).mean(dims, /*keepdim=*/true);
    return centered * (var + eps).rsqrt();
}

// The running statistics' update, as PyTorch's CPU kernel computes it: the mean summed in double
// and rounded to the input's dtype, the squared deviations from that mean summed in double, the
// blend with the old value in double.
void update_running_stats(const Tensor& input, IntArrayRef dims, const Tensor& running_mean,
                          const Tensor& running_var, double momentum) {
    NoGradGuard no_grad;
    const Tensor x = input.detach();
    const int64_t n = x.numel() / x.size(1);
    const Tensor mean = x.to(float64).mean(dims).to(x.dtype());
    if (running_mean.defined()) {
        Tensor rm = running_mean;
        rm.copy_(mean.to(float64) * momentum + running_mean.to(float64) * (1 - momentum));
    }
    if (running_var.defined()) {
        const Tensor centered = x - mean.view(channel_shape(x.size(1), x.dim()));
        const Tensor var_sum = (centered * centered).to(float64).sum(dims);
        Tensor rv = running_var;
        rv.copy_(var_sum / static_cast<double>(n - 1) * momentum +
                 running_var.to(float64) * (1 - momentum));
    }
}

// y * weight + bias with the per-channel parameters broadcast as `shape` (either may be undefined).
Tensor affine(Tensor y, const Tensor& weight, const Tensor& bias, IntArrayRef shape) {
    if (weight.defined()) y = y * weight.reshape(shape);
    if (bias.defined()) y = y + bias.reshape(shape);
    return y;
}

}  // namespace

namespace functional {

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum,
                  double eps) {
    input.check_defined("batch_norm");
    EMBER_CHECK(input.dim() >= 2, "batch_norm: expected input of shape (N, C, *) with at least 2 "
                "dims, got shape ", shape_str(input.sizes()));
    EMBER_CHECK(input.is_floating_point(), "batch_norm: expected a floating input, got ",
                input.dtype());
    if (training) verify_batch_size(input);
    // PyTorch's order: the running statistics first, then the parameters.
    const int64_t channels = input.size(1);
    EMBER_CHECK(training || (running_mean.defined() && running_var.defined()), "batch_norm: ",
                running_mean.defined() ? "running_var" : "running_mean",
                " must be defined in evaluation mode");
    check_per_channel(running_mean, "running_mean", channels);
    check_per_channel(running_var, "running_var", channels);
    check_per_channel(weight, "weight", channels);
    check_per_channel(bias, "bias", channels);
    const DimVector shape = channel_shape(channels, input.dim());

    // As PyTorch, no statistics of an empty batch: a copy (scaled by the first channel's
    // parameters, keeping the graph to them).
    if (input.numel() == 0) {
        Tensor out = input.clone();
        if (weight.defined()) out = out * weight[0];
        if (bias.defined()) out = out + bias[0];
        return out;
    }

    if (!training) {
        const Tensor y = (input - running_mean.reshape(shape)) *
                         (running_var.reshape(shape) + eps).rsqrt();
        return affine(y, weight, bias, shape);
    }
    const DimVector dims = non_channel_dims(input.dim());
    if (running_mean.defined() || running_var.defined())
        update_running_stats(input, dims, running_mean, running_var, momentum);
    return affine(normalize(input, dims, eps), weight, bias, shape);
}

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                  const Tensor& bias, double eps) {
    input.check_defined("layer_norm");
    const auto k = static_cast<int64_t>(normalized_shape.size());
    EMBER_CHECK(k >= 1, "layer_norm: Expected normalized_shape to be at least 1-dimensional, "
                "i.e., containing at least one element, but got normalized_shape = []");
    EMBER_CHECK(!weight.defined() || weight.sizes() == normalized_shape, "layer_norm: Expected "
                "weight to be of same shape as normalized_shape, but got weight of shape ",
                shape_str(weight.defined() ? weight.sizes() : IntArrayRef()),
                " and normalized_shape = ", shape_str(normalized_shape));
    EMBER_CHECK(!bias.defined() || bias.sizes() == normalized_shape, "layer_norm: Expected bias "
                "to be of same shape as normalized_shape, but got bias of shape ",
                shape_str(bias.defined() ? bias.sizes() : IntArrayRef()),
                " and normalized_shape = ", shape_str(normalized_shape));
    const bool matches =
        input.dim() >= k &&
        IntArrayRef(input.sizes().data() + (input.dim() - k), static_cast<size_t>(k)) ==
            normalized_shape;
    if (!matches) {
        std::string expected = "[*";
        for (int64_t s : normalized_shape) expected += ", " + std::to_string(s);
        EMBER_ERROR("layer_norm: Given normalized_shape=", shape_str(normalized_shape),
                    ", expected input with shape ", expected, "], but got input of size",
                    shape_str(input.sizes()));
    }
    EMBER_CHECK(input.is_floating_point(), "layer_norm: expected a floating input, got ",
                input.dtype());
    DimVector dims;
    for (int64_t d = input.dim() - k; d < input.dim(); ++d) dims.push_back(d);
    Tensor y = normalize(input, dims, eps);
    if (weight.defined()) y = y * weight;
    if (bias.defined()) y = y + bias;
    return y;
}

Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight,
                  const Tensor& bias, double eps) {
    input.check_defined("group_norm");
    EMBER_CHECK(input.dim() >= 2, "group_norm: Expected at least 2 dimensions for input tensor "
                "but received ", input.dim());
    EMBER_CHECK(num_groups > 0, "group_norm: num_groups must be positive, got ", num_groups);
    const int64_t n = input.size(0), channels = input.size(1);
    EMBER_CHECK(channels % num_groups == 0, "group_norm: Expected number of channels in input to "
                "be divisible by num_groups, but got input of shape ", shape_str(input.sizes()),
                " and num_groups=", num_groups);
    for (const auto& [t, name] : {std::pair{&weight, "weight"}, std::pair{&bias, "bias"}})
        EMBER_CHECK(!t->defined() || (t->dim() == 1 && t->numel() == channels), "group_norm: "
                    "Expected ", name, " to be a vector of size equal to the number of channels "
                    "in input, but got ", name, " of shape ", shape_str(t->sizes()),
                    " and input of shape ", shape_str(input.sizes()));
    EMBER_CHECK(input.is_floating_point(), "group_norm: expected a floating input, got ",
                input.dtype());
    // F.group_norm's _verify_batch_size on (N * C / G, G, *): one value per group is an error.
    int64_t values = n * channels / num_groups;
    for (int64_t d = 2; d < input.dim(); ++d) values *= input.size(d);
    if (values == 1) {
        DimVector sizes{values, num_groups};
        for (int64_t d = 2; d < input.dim(); ++d) sizes.push_back(input.size(d));
        EMBER_ERROR("Expected more than 1 value per channel when training, got input size ",
                    shape_str(sizes));
    }
    if (input.numel() == 0) return affine(input.clone(), weight, bias,
                                          channel_shape(channels, input.dim()));
    // Each group of each sample is one row of (N, G, C / G * spatial).
    const Tensor y = normalize(input.reshape({n, num_groups, -1}), {2}, eps).reshape(input.sizes());
    return affine(y, weight, bias, channel_shape(channels, input.dim()));
}

}  // namespace functional

// ---- BatchNorm -------------------------------------------------------------------------------

namespace {

Tensor channel_tensor(int64_t num_features, double value, bool present) {
    return present ? full({num_features}, value) : Tensor();
}

}  // namespace

BatchNormBase::BatchNormBase(int64_t features, const BatchNormOptions& opts)
    : num_features(features),
      options(opts),
      weight(register_parameter("weight", channel_tensor(features, 1, opts.affine))),
      bias(register_parameter("bias", channel_tensor(features, 0, opts.affine))),
      running_mean(register_buffer("running_mean",
                                   channel_tensor(features, 0, opts.track_running_stats))),
      running_var(register_buffer("running_var",
                                  channel_tensor(features, 1, opts.track_running_stats))),
      num_batches_tracked(register_buffer(
          "num_batches_tracked",
          opts.track_running_stats ? zeros({}, {.dtype = int64}) : Tensor())) {
    EMBER_CHECK(features >= 0, type_name(), ": num_features must be non-negative, got ", features);
}

void BatchNormBase::reset_running_stats() {
    if (!options.track_running_stats) return;
    NoGradGuard no_grad;
    running_mean.zero_();
    running_var.fill_(1);
    num_batches_tracked.zero_();
}

Tensor BatchNormBase::forward(const Tensor& input) {
    input.check_defined(type_name().c_str());
    check_input_dim(input);
    // As _BatchNorm.forward: count the batch, then blend with momentum or, without one, the
    // cumulative average 1 / num_batches_tracked.
    double factor = options.momentum.value_or(0.0);
    if (is_training() && options.track_running_stats) {
        NoGradGuard no_grad;
        num_batches_tracked.add_(1);
        if (!options.momentum) factor = 1.0 / num_batches_tracked.item<double>();
    }
    // Batch statistics in training mode, and in eval mode when no running ones are kept.
    const bool use_batch_stats = is_training() || !running_mean.defined();
    const bool pass_running = !is_training() || options.track_running_stats;
    return functional::batch_norm(input, pass_running ? running_mean : Tensor(),
                                  pass_running ? running_var : Tensor(), weight, bias,
                                  use_batch_stats, factor, options.eps);
}

std::string BatchNormBase::extra_repr() const {
    return detail::str_cat(num_features, ", eps=", py_float(options.eps), ", momentum=",
                           options.momentum ? py_float(*options.momentum) : "None",
                           ", affine=", py_bool(options.affine),
                           ", track_running_stats=", py_bool(options.track_running_stats));
}

void BatchNorm1d::check_input_dim(const Tensor& input) const {
    EMBER_CHECK(input.dim() == 2 || input.dim() == 3, "expected 2D or 3D input (got ",
                input.dim(), "D input)");
}

void BatchNorm2d::check_input_dim(const Tensor& input) const {
    EMBER_CHECK(input.dim() == 4, "expected 4D input (got ", input.dim(), "D input)");
}

// ---- LayerNorm and GroupNorm -----------------------------------------------------------------

namespace {

Tensor filled(IntArrayRef shape, double value, bool present) {
    return present ? full(shape, value) : Tensor();
}

}  // namespace

LayerNorm::LayerNorm(IntArrayRef shape, const LayerNormOptions& opts)
    : normalized_shape(shape.begin(), shape.end()),
      options(opts),
      weight(register_parameter("weight", filled(shape, 1, opts.elementwise_affine))),
      bias(register_parameter("bias", filled(shape, 0, opts.elementwise_affine))) {}

Tensor LayerNorm::forward(const Tensor& input) {
    return functional::layer_norm(input, normalized_shape, weight, bias, options.eps);
}

std::string LayerNorm::extra_repr() const {
    return detail::str_cat(py_tuple(normalized_shape), ", eps=", py_float(options.eps),
                           ", elementwise_affine=", py_bool(options.elementwise_affine));
}

namespace {

// Checked before the parameters are made (PyTorch raises in __init__).
int64_t checked_channels(int64_t num_groups, int64_t num_channels) {
    EMBER_CHECK(num_groups > 0, "GroupNorm: num_groups must be positive, got ", num_groups);
    EMBER_CHECK(num_channels % num_groups == 0, "GroupNorm: num_channels must be divisible by "
                "num_groups (num_channels=", num_channels, ", num_groups=", num_groups, ")");
    return num_channels;
}

}  // namespace

GroupNorm::GroupNorm(int64_t groups, int64_t channels, const GroupNormOptions& opts)
    : num_groups(groups),
      num_channels(checked_channels(groups, channels)),
      options(opts),
      weight(register_parameter("weight", filled({channels}, 1, opts.affine))),
      bias(register_parameter("bias", filled({channels}, 0, opts.affine))) {}

Tensor GroupNorm::forward(const Tensor& input) {
    return functional::group_norm(input, num_groups, weight, bias, options.eps);
}

std::string GroupNorm::extra_repr() const {
    return detail::str_cat(num_groups, ", ", num_channels, ", eps=", py_float(options.eps),
                           ", affine=", py_bool(options.affine));
}

}  // namespace ember::nn

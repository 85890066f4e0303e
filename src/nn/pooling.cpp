// The pooling layers and nn::functional's pooling functions: argument forms and reprs; the
// computation is in src/ops/pool.cpp.
#include "ember/nn/pooling.h"

#include "nn/repr.h"

namespace ember::nn {

std::string PoolSize::repr() const {
    return values.size() == 1 ? std::to_string(values[0]) : py_tuple(values);
}

namespace functional {

namespace {

IntArrayRef optional_stride(const std::optional<int64_t>& stride) {
    return stride ? IntArrayRef(*stride) : IntArrayRef();
}

}  // namespace

std::pair<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input, int64_t kernel_size,
                                                  const MaxPool1dOptions& o) {
    return ember::max_pool1d_with_indices(input, kernel_size, optional_stride(o.stride),
                                          o.padding, o.dilation, o.ceil_mode);
}

Tensor max_pool1d(const Tensor& input, int64_t kernel_size, const MaxPool1dOptions& o) {
    return ember::max_pool1d(input, kernel_size, optional_stride(o.stride), o.padding,
                             o.dilation, o.ceil_mode);
}

Tensor max_pool2d(const Tensor& input, const PoolSize& kernel_size, const MaxPool2dOptions& o) {
    return ember::max_pool2d(input, kernel_size, o.stride, o.padding, o.dilation, o.ceil_mode);
}

std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, const PoolSize& kernel_size,
                                                  const MaxPool2dOptions& o) {
    return ember::max_pool2d_with_indices(input, kernel_size, o.stride, o.padding, o.dilation,
                                          o.ceil_mode);
}

Tensor avg_pool2d(const Tensor& input, const PoolSize& kernel_size, const AvgPool2dOptions& o) {
    return ember::avg_pool2d(input, kernel_size, o.stride, o.padding, o.ceil_mode,
                             o.count_include_pad, o.divisor_override);
}

Tensor adaptive_avg_pool2d(const Tensor& input, const PoolSize& output_size) {
    return ember::adaptive_avg_pool2d(input, output_size);
}

}  // namespace functional

Tensor MaxPool1d::forward(const Tensor& input) {
    return functional::max_pool1d(input, kernel_size, options);
}

std::pair<Tensor, Tensor> MaxPool1d::forward_with_indices(const Tensor& input) {
    return with_error_prefix(
        [&] { return functional::max_pool1d_with_indices(input, kernel_size, options); });
}

// Python shows stride=None as the kernel size.
std::string MaxPool1d::extra_repr() const {
    return detail::str_cat("kernel_size=", kernel_size,
                           ", stride=", options.stride.value_or(kernel_size),
                           ", padding=", options.padding, ", dilation=", options.dilation,
                           ", ceil_mode=", py_bool(options.ceil_mode));
}

Tensor MaxPool2d::forward(const Tensor& input) {
    return functional::max_pool2d(input, kernel_size, options);
}

std::pair<Tensor, Tensor> MaxPool2d::forward_with_indices(const Tensor& input) {
    return with_error_prefix(
        [&] { return functional::max_pool2d_with_indices(input, kernel_size, options); });
}

std::string MaxPool2d::extra_repr() const {
    const PoolSize& stride = options.stride.empty() ? kernel_size : options.stride;
    return "kernel_size=" + kernel_size.repr() + ", stride=" + stride.repr() +
           ", padding=" + options.padding.repr() + ", dilation=" + options.dilation.repr() +
           ", ceil_mode=" + py_bool(options.ceil_mode);
}

Tensor AvgPool2d::forward(const Tensor& input) {
    return functional::avg_pool2d(input, kernel_size, options);
}

std::string AvgPool2d::extra_repr() const {
    const PoolSize& stride = options.stride.empty() ? kernel_size : options.stride;
    return "kernel_size=" + kernel_size.repr() + ", stride=" + stride.repr() +
           ", padding=" + options.padding.repr();
}

Tensor AdaptiveAvgPool2d::forward(const Tensor& input) {
    return functional::adaptive_avg_pool2d(input, output_size);
}

std::string AdaptiveAvgPool2d::extra_repr() const { return "output_size=" + output_size.repr(); }

}  // namespace ember::nn

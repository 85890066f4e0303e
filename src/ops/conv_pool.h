// A 2-D convolution followed by max pooling with 2x2 windows of stride 2, as one op (the seed's
// Conv2d, ReLU, MaxPool2d blocks; nn::Sequential uses it), and the pooling backward it shares
// with max_pool2d.
#pragma once

#include "ember/core/tensor.h"

namespace ember::detail {

// max_pool2d(convolution(input, weight, bias, stride, padding, dilation), 2) with the same
// checks, values, indices and gradients. Where the direct kernels apply (float32, 2-D, CPU
// with AVX-512) each block of output channels is pooled from the kernel's scratch and
// the full-size output is never stored; the backward scatters to it and runs the
// convolution's. Elsewhere it runs the two ops.
Tensor conv2d_max_pool2x2(const Tensor& input, const Tensor& weight, const Tensor& bias,
                          IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation);

// max pooling's backward: the gradient scattered to the argmax positions (indices into each
// plane of in_sizes); recorded (its own backward gathers) when grad needs a graph.
Tensor max_pool2d_backward_scatter(const Tensor& grad, const Tensor& indices,
                                   IntArrayRef in_sizes);

}  // namespace ember::detail

// A 2-D convolution followed by max pooling with 2x2 windows of stride 2, as one op (the seed's
// Conv2d, ReLU, MaxPool2d blocks; nn::Sequential uses it), and the pooling backward it shares
// with max_pool2d.
#pragma once

#include "ember/core/tensor.h"

namespace ember::detail {

// max_pool2d(convolution(input, weight, bias, stride, padding, dilation), 2) with the same
// checks, values and gradients (the bias gradient summed over the pooled gradient: the same
// terms, rounded in another order). Where the direct kernels apply (float32, 2-D, CPU
// with AVX-512) each block of output channels is pooled from the kernel's scratch and
// the full-size output is never stored; the backward scatters to it and runs the
// convolution's. Elsewhere it runs the two ops.
Tensor conv2d_max_pool2x2(const Tensor& input, const Tensor& weight, const Tensor& bias,
                          IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation);

// The backward of max pooling with 2x2 windows of stride 2 inside planes of in_sizes: the
// gradient at the argmax positions (indices into each plane), zero elsewhere; recorded (its
// own backward gathers) when grad needs a graph.
Tensor max_pool2d_2x2_backward(const Tensor& grad, const Tensor& indices,
                                   IntArrayRef in_sizes);
// The same with the argmax positions as codes within each window (uint8, 0 1 / 2 3 row-major:
// what conv2d_max_pool2x2 saves, an eighth of int64 indices' bytes).
Tensor max_pool2d_2x2_codes_backward(const Tensor& grad, const Tensor& codes,
                                     IntArrayRef in_sizes);

}  // namespace ember::detail

// Convolutions: torch.convolution (1-D and 2-D, plain and transposed, with groups), and the
// sliding-window ops it is built on, im2col (F.unfold) and col2im (F.fold). The layers and
// their functional forms (nn::Conv2d, nn::functional::conv2d, ...) are in ember/nn/conv.h.
//
// float32 and float64, on the CPU. A convolution is recorded as one node
// (ConvolutionBackward0) whose formula is written with im2col, col2im and matmul, so it is
// differentiable to any order. Results do not depend on the number of threads.
#pragma once

#include "ember/core/tensor.h"

namespace ember {

// torch.convolution on a batched input: (N, C_in, *spatial) with a weight (C_out, C_in /
// groups, *kernel), or, when `transposed`, a weight (C_in, C_out / groups, *kernel), and an
// optional bias (C_out). stride, dilation and output_padding (used only when transposed) have
// one value per spatial dim or one for all; padding too, or two per spatial dim
// (before_0, after_0, before_1, after_1, ...) for an uneven padding of a plain convolution
// (what padding='same' needs with an even kernel).
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias,
                   IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                   IntArrayRef output_padding, int64_t groups);

// F.unfold: the sliding kH x kW patches of a (N, C, H, W) or (C, H, W) input as columns
// (N, C * kH * kW, L), L the number of window positions. Arguments: one value or two (h, w).
Tensor im2col(const Tensor& input, IntArrayRef kernel_size, IntArrayRef dilation = 1,
              IntArrayRef padding = 0, IntArrayRef stride = 1);

// F.fold, the adjoint of im2col: sums columns (N, C * kH * kW, L) or (C * kH * kW, L) back into
// an image (N, C, H, W) with (H, W) = output_size.
Tensor col2im(const Tensor& input, IntArrayRef output_size, IntArrayRef kernel_size,
              IntArrayRef dilation = 1, IntArrayRef padding = 0, IntArrayRef stride = 1);

}  // namespace ember

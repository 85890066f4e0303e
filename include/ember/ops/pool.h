// Pooling ops, as ATen's: 2-D max pooling with indices (and 1-D, through it), average pooling
// and adaptive average pooling over (N, C, H, W) or unbatched (C, H, W) inputs of a floating
// dtype (float32, float64, bfloat16). nn::functional (ember/nn/pooling.h) wraps them with PyTorch's Python
// signatures and the modules.
//
// Window arguments take one value for both dims or (height, width); an empty stride means
// stride = kernel_size. Output sizes follow PyTorch: floor((H + 2p - d(k - 1) - 1) / s) + 1, or
// with ceil_mode rounded up unless the last window would start past the input and its left
// padding. Errors use PyTorch's texts after the op's name.
#pragma once

#include <optional>
#include <utility>

#include "ember/core/tensor.h"

namespace ember {

// Values and int64 indices of the maxima: each index is the flat row-major position in its
// H*W input plane. Ties go to the first maximum in row-major window order; NaN wins.
std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, IntArrayRef kernel_size,
                                                  IntArrayRef stride = {},
                                                  IntArrayRef padding = 0,
                                                  IntArrayRef dilation = 1,
                                                  bool ceil_mode = false);
// The values alone (no indices are computed unless autograd needs them).
Tensor max_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, IntArrayRef dilation = 1, bool ceil_mode = false);

// The same along the last dim of a (N, C, L) or unbatched (C, L) input, with max_pool1d()'s
// argument checks; computed as a 2-D pooling of height 1.
std::pair<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input, IntArrayRef kernel_size,
                                                  IntArrayRef stride = {},
                                                  IntArrayRef padding = 0,
                                                  IntArrayRef dilation = 1,
                                                  bool ceil_mode = false);
Tensor max_pool1d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, IntArrayRef dilation = 1, bool ceil_mode = false);

// Means over the windows; padding counts as zeros when count_include_pad, and
// divisor_override (non-zero) replaces the window size as the divisor.
Tensor avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<int64_t> divisor_override = std::nullopt);

// Means over windows [floor(i * H / OH), ceil((i + 1) * H / OH)) (likewise along W), so the
// output is output_size for any input size. Output (1, 1) is the mean over H and W.
Tensor adaptive_avg_pool2d(const Tensor& input, IntArrayRef output_size);

}  // namespace ember

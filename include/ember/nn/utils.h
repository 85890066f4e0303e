// nn::utils: gradient clipping and flattening parameters to one vector (torch.nn.utils).
#pragma once

#include "ember/core/tensor.h"

namespace ember::nn::utils {

// Scales the gradients of `parameters` in place so that their total norm (of order norm_type;
// infinity for the max norm) is at most max_norm; returns the total norm before clipping.
// Parameters without a gradient are skipped. error_if_nonfinite: a nan/inf total norm is an
// error instead of scaling every gradient by nan.
Tensor clip_grad_norm_(const TensorList& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
// Clamps every gradient into [-clip_value, clip_value] in place.
void clip_grad_value_(const TensorList& parameters, double clip_value);
// The parameters flattened and concatenated into one vector, and back.
Tensor parameters_to_vector(const TensorList& parameters);
void vector_to_parameters(const Tensor& vec, const TensorList& parameters);

}  // namespace ember::nn::utils

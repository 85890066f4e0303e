// nn::utils: gradient clipping and parameter vectors, with PyTorch 1.13's arithmetic.
#include "ember/nn/utils.h"

#include <cmath>
#include <limits>

#include "ember/ember.h"

namespace ember::nn::utils {

Tensor clip_grad_norm_(const TensorList& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
    // A sparse gradient counts through its coalesced values (duplicates summed first).
    TensorList grads;
    for (const Tensor& p : parameters)
        if (p.grad().defined())
            grads.push_back(p.grad().is_sparse() ? p.grad().coalesce()._values()
                                                 : p.grad().detach());
    if (grads.empty()) return zeros({});
    NoGradGuard no_grad;
    Tensor total;
    if (std::isinf(norm_type)) {
        TensorList maxes;
        for (const Tensor& g : grads) maxes.push_back(g.abs().max());
        total = maxes.size() == 1 ? maxes[0] : stack(maxes).max();
    } else {
        TensorList norms;
        for (const Tensor& g : grads) norms.push_back(g.norm(norm_type));
        total = stack(norms).norm(norm_type);
    }
    if (error_if_nonfinite && !std::isfinite(total.item<double>()))
        EMBER_ERROR("The total norm of order ", norm_type, " for gradients from `parameters` is "
                    "non-finite, so it cannot be clipped. To disable this error and scale the "
                    "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
    // As PyTorch: always multiply, by min(max_norm / (total + 1e-6), 1).
    Tensor coef = (total + 1e-6).reciprocal() * max_norm;
    Tensor clamped = coef.clamp(std::nullopt, 1.0);
    for (const Tensor& p : parameters)
        if (p.grad().defined()) {
            Tensor g = p.grad();
            if (g.is_sparse()) g.mul_(clamped.to(g.dtype()).item<double>());
            else g.mul_(clamped.to(g.dtype()));
        }
    return total;
}

void clip_grad_value_(const TensorList& parameters, double clip_value) {
    NoGradGuard no_grad;
    for (const Tensor& p : parameters)
        if (p.grad().defined()) {
            Tensor g = p.grad();
            g.clamp_(-clip_value, clip_value);
        }
}

Tensor parameters_to_vector(const TensorList& parameters) {
    TensorList flat;
    for (const Tensor& p : parameters) flat.push_back(p.reshape({-1}));
    return cat(flat);
}

void vector_to_parameters(const Tensor& vec, const TensorList& parameters) {
    EMBER_CHECK(vec.dim() == 1, "vector_to_parameters: expected a 1-D vector, got shape ",
                shape_str(vec.sizes()));
    int64_t total = 0;
    for (const Tensor& p : parameters) total += p.numel();
    EMBER_CHECK(total == vec.numel(), "vector_to_parameters: the vector has ", vec.numel(),
                " elements, the parameters ", total);
    NoGradGuard no_grad;
    int64_t offset = 0;
    for (const Tensor& p : parameters) {
        Tensor target = p;
        target.copy_(vec.narrow(0, offset, p.numel()).view(p.sizes()));
        offset += p.numel();
    }
}

}  // namespace ember::nn::utils

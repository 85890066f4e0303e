// Loss functions, as torch.nn.functional's and torch.nn's: mse_loss / MSELoss, l1_loss,
// smooth_l1_loss, huber_loss, cross_entropy, nll_loss, binary_cross_entropy(_with_logits) and
// kl_div, each with its module form.
//
// Options are aggregates with PyTorch's defaults, filled with designated initializers in
// PyTorch's keyword order:
//
//   namespace F = ember::nn::functional;
//   Tensor l = F::cross_entropy(logits, labels, {.ignore_index = 0, .label_smoothing = 0.1});
//   nn::CrossEntropyLoss criterion({.weight = class_weights});
//   Tensor loss = criterion(output, target);
//
// `reduction` is "none" (one loss per element / sample), "mean" or "sum" (kl_div also takes
// "batchmean"); an unknown value is an error when the loss is computed, as in PyTorch. The
// losses are written with ember ops (binary_cross_entropy's element loss is one primitive, to
// get PyTorch's unclamped gradient), so they are differentiable to any order.
#pragma once

#include <cstdint>
#include <string>

#include "ember/core/tensor.h"
#include "ember/nn/module.h"

namespace ember::nn {

// ---- options, one aggregate per loss family -----------------------------------------------

// mse_loss / MSELoss and l1_loss / L1Loss.
struct LossOptions {
    std::string reduction = "mean";
};
using MSELossOptions = LossOptions;
using L1LossOptions = LossOptions;

struct SmoothL1LossOptions {
    std::string reduction = "mean";
    double beta = 1.0;  // quadratic below beta, linear above; 0 gives l1_loss
};

struct HuberLossOptions {
    std::string reduction = "mean";
    double delta = 1.0;  // quadratic below delta, linear (slope delta) above; must be > 0
};

struct CrossEntropyLossOptions {
    Tensor weight;              // one rescaling weight per class (C), or undefined
    int64_t ignore_index = -100;  // class-index targets equal to it add nothing
    std::string reduction = "mean";
    double label_smoothing = 0.0;  // in [0, 1]
};

struct NLLLossOptions {
    Tensor weight;
    int64_t ignore_index = -100;
    std::string reduction = "mean";
};

struct BCELossOptions {
    Tensor weight;  // broadcast to the input's shape
    std::string reduction = "mean";
};

struct BCEWithLogitsLossOptions {
    Tensor weight;  // broadcast to the input's shape
    std::string reduction = "mean";
    Tensor pos_weight;  // weight of the positive examples, broadcast along the last (class) dim
};

struct KLDivLossOptions {
    std::string reduction = "mean";  // also "batchmean": the sum divided by input.size(0)
    bool log_target = false;         // the target holds log-probabilities
};

// ---- functional forms ---------------------------------------------------------------------

namespace functional {

// (input - target)^2; input and target broadcast (PyTorch warns when their shapes differ).
Tensor mse_loss(const Tensor& input, const Tensor& target, const LossOptions& options = {});
// |input - target|.
Tensor l1_loss(const Tensor& input, const Tensor& target, const LossOptions& options = {});
// 0.5 z^2 / beta where z = |input - target| < beta, else z - 0.5 beta.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossOptions& options = {});
// 0.5 z^2 where z < delta, else delta (z - 0.5 delta).
Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossOptions& options = {});

// Logits `input` of shape (N, C), (N, C, d1, ...) or (C) (unbatched). `target` holds either
// class indices (shape (N), (N, d1, ...) or (), any integer dtype) or class probabilities (a
// floating tensor of the input's shape). With class indices, "mean" divides by the summed
// weight of the non-ignored targets (NaN when all are ignored); with probabilities, by the
// number of positions (N * d1 * ...).
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyLossOptions& options = {});
// -weight[t] * input[t] for log-probabilities `input` (shapes as cross_entropy's class-index
// form): cross_entropy(x, t) == nll_loss(log_softmax(x, 1), t).
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossOptions& options = {});
// -weight * (t log(x) + (1 - t) log(1 - x)) for probabilities x in [0, 1]; each log is clamped
// at -100. The target must have the input's shape.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BCELossOptions& options = {});
// binary_cross_entropy(sigmoid(x), t) computed stably from logits x, with pos_weight scaling
// the positive term.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BCEWithLogitsLossOptions& options = {});
// target * (log(target) - input) (0 where target == 0) for log-probabilities `input`; with
// log_target, exp(target) * (target - input).
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivLossOptions& options = {});

}  // namespace functional

// ---- modules ------------------------------------------------------------------------------
//
// Each holds its options as public members named as PyTorch's attributes (`loss.reduction =
// "sum"` works as in Python); class weights are buffers, so to(device) moves them and they are
// in state_dict(), as PyTorch's. A loss prints as its bare class name: `CrossEntropyLoss()`.
// Errors are prefixed with the module's path and type.

// The shared part: the two-tensor call operator (a loss's forward takes input and target).
class Loss : public Module {
public:
    Tensor operator()(const Tensor& input, const Tensor& target);
    std::string extra_repr() const override { return {}; }

protected:
    virtual Tensor compute(const Tensor& input, const Tensor& target) = 0;
};

class MSELoss : public Loss {
public:
    explicit MSELoss(const MSELossOptions& options = {}) : reduction(options.reduction) {}
    std::string reduction;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class L1Loss : public Loss {
public:
    explicit L1Loss(const L1LossOptions& options = {}) : reduction(options.reduction) {}
    std::string reduction;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class SmoothL1Loss : public Loss {
public:
    explicit SmoothL1Loss(const SmoothL1LossOptions& options = {})
        : reduction(options.reduction), beta(options.beta) {}
    std::string reduction;
    double beta;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class HuberLoss : public Loss {
public:
    explicit HuberLoss(const HuberLossOptions& options = {})
        : reduction(options.reduction), delta(options.delta) {}
    std::string reduction;
    double delta;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class CrossEntropyLoss : public Loss {
public:
    explicit CrossEntropyLoss(const CrossEntropyLossOptions& options = {})
        : weight(register_buffer("weight", options.weight)),
          ignore_index(options.ignore_index),
          reduction(options.reduction),
          label_smoothing(options.label_smoothing) {}
    Tensor& weight;  // the "weight" buffer
    int64_t ignore_index;
    std::string reduction;
    double label_smoothing;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class NLLLoss : public Loss {
public:
    explicit NLLLoss(const NLLLossOptions& options = {})
        : weight(register_buffer("weight", options.weight)),
          ignore_index(options.ignore_index),
          reduction(options.reduction) {}
    Tensor& weight;
    int64_t ignore_index;
    std::string reduction;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class BCELoss : public Loss {
public:
    explicit BCELoss(const BCELossOptions& options = {})
        : weight(register_buffer("weight", options.weight)), reduction(options.reduction) {}
    Tensor& weight;
    std::string reduction;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class BCEWithLogitsLoss : public Loss {
public:
    explicit BCEWithLogitsLoss(const BCEWithLogitsLossOptions& options = {})
        : weight(register_buffer("weight", options.weight)),
          pos_weight(register_buffer("pos_weight", options.pos_weight)),
          reduction(options.reduction) {}
    Tensor& weight;
    Tensor& pos_weight;
    std::string reduction;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

class KLDivLoss : public Loss {
public:
    explicit KLDivLoss(const KLDivLossOptions& options = {})
        : reduction(options.reduction), log_target(options.log_target) {}
    std::string reduction;
    bool log_target;

protected:
    Tensor compute(const Tensor& input, const Tensor& target) override;
};

}  // namespace ember::nn

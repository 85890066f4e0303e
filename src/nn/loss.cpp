// The loss functions and modules of ember/nn/loss.h, written with ember ops so that autograd
// differentiates them (binary_cross_entropy's element loss is a primitive with PyTorch's
// backward formula, whose gradient is not that of the clamped loss).
#include "ember/nn/loss.h"

#include "autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"
#include "nn/cross_entropy_fused.h"
#include "nn/mse_loss_fused.h"
#include "ops/util.h"

namespace ember::nn {

namespace {

enum class Reduction { None, Mean, Sum, BatchMean };

// Parsed when the loss is computed (as PyTorch), so a module built with a bad value fails on
// its first call.
Reduction parse_reduction(const std::string& reduction, const char* op,
                          bool allow_batchmean = false) {
    if (reduction == "none") return Reduction::None;
    if (reduction == "mean") return Reduction::Mean;
    if (reduction == "sum") return Reduction::Sum;
    if (allow_batchmean && reduction == "batchmean") return Reduction::BatchMean;
    EMBER_ERROR(op, ": ", reduction, " is not a valid value for reduction (expected \"none\", "
                "\"mean\"", allow_batchmean ? ", \"sum\" or \"batchmean\")" : " or \"sum\")");
}

// "none" keeps the element losses; "mean" of no elements is NaN, as in PyTorch.
Tensor reduce(const Tensor& loss, Reduction reduction) {
    switch (reduction) {
        case Reduction::None: return loss;
        case Reduction::Mean: return loss.mean();
        case Reduction::Sum:
        case Reduction::BatchMean: return loss.sum();
    }
    return loss;
}

void check_defined(const Tensor& input, const Tensor& target, const char* op) {
    EMBER_CHECK(input.defined() && target.defined(), op, ": input and target must be defined "
                "tensors, got ", input.defined() ? "a" : "an undefined", " input and ",
                target.defined() ? "a" : "an undefined", " target");
}

// The pointwise regression losses compute in the promoted dtype of input and target, which
// must be floating (PyTorch: "mse_cpu" not implemented for 'Long').
void check_pointwise(const Tensor& input, const Tensor& target, const char* op) {
    check_defined(input, target, op);
    detail::check_same_device(op, {&input, &target});
    EMBER_CHECK(is_floating_point(result_type(input, target)), op, ": expected floating input "
                "and target, got input ", detail::describe(input), " and target ",
                detail::describe(target));
    // PyTorch broadcasts different shapes (with a warning); a mismatch is an error naming the op.
    broadcast_shapes(input.sizes(), target.sizes(), op);
}

// Whether `t` broadcasts to exactly `shape` (per-element weights must not enlarge the loss).
bool broadcasts_to(const Tensor& t, IntArrayRef shape) {
    if (t.dim() > static_cast<int64_t>(shape.size())) return false;
    const int64_t offset = static_cast<int64_t>(shape.size()) - t.dim();
    for (int64_t d = 0; d < t.dim(); ++d)
        if (t.size(d) != 1 && t.size(d) != shape[offset + d]) return false;
    return true;
}

// The class-index part shared by nll_loss and cross_entropy (which passes log_softmax(x)).
// `loss` holds -weight[t] * logp[t] per position (0 where ignored), `weight` the weight of
// each position's target (0 where ignored): "mean" divides by its sum.
struct ClassIndexLoss {
    Tensor loss;
    Tensor weight;
    Tensor ignored;  // bool, where target == ignore_index
};

void check_class_weight(const Tensor& weight, int64_t classes, const char* op) {
    if (!weight.defined()) return;
    EMBER_CHECK(weight.dim() == 1 && weight.numel() == classes, op, ": weight tensor should be "
                "defined either for all ", classes, " classes or no classes but got weight tensor "
                "of shape: ", shape_str(weight.sizes()));
}

ClassIndexLoss class_index_loss(const Tensor& logp, const Tensor& target, const Tensor& weight,
                                int64_t ignore_index, const char* op) {
    const int64_t dim = logp.dim();
    EMBER_CHECK(dim >= 1, op, ": Expected 1 or more dimensions (got 0)");
    EMBER_CHECK(is_integral(target.dtype()), op, ": expected a target of class indices with an "
                "integer dtype, got target ", detail::describe(target), " for input ",
                shape_str(logp.sizes()), " (class-probability targets must be floating and have "
                "the input's shape)");
    if (dim == 1) {
        EMBER_CHECK(target.dim() == 0, op, ": size mismatch (got input: ", shape_str(logp.sizes()),
                    ", target: ", shape_str(target.sizes()), "): an unbatched input (C) takes a "
                    "0-dim target");
    } else {
        EMBER_CHECK(target.dim() >= 1, op, ": expected a target of shape [", logp.size(0),
                    "] (one class index per sample), got a 0-dim target for input ",
                    shape_str(logp.sizes()));
        EMBER_CHECK(logp.size(0) == target.size(0), op, ": Expected input batch_size (",
                    logp.size(0), ") to match target batch_size (", target.size(0), ").");
        if (dim == 2) {
            EMBER_CHECK(target.dim() == 1, op, ": 0D or 1D target tensor expected, multi-target "
                        "not supported (input ", shape_str(logp.sizes()), ", target ",
                        shape_str(target.sizes()), "; a target of shape [N, 1] needs squeeze(1))");
        } else {
            DimVector expected{logp.size(0)};
            for (int64_t d = 2; d < dim; ++d) expected.push_back(logp.size(d));
            EMBER_CHECK(target.sizes() == IntArrayRef(expected), op, ": Expected target size ",
                        shape_str(expected), ", got ", shape_str(target.sizes()), " (input ",
                        shape_str(logp.sizes()), ")");
        }
    }
    const int64_t class_dim = dim == 1 ? 0 : 1;
    const int64_t classes = logp.size(class_dim);
    check_class_weight(weight, classes, op);
    if (weight.defined()) detail::check_same_device(op, {&logp, &target, &weight});
    else detail::check_same_device(op, {&logp, &target});

    const Tensor t = target.to_long();
    const Tensor ignored = t.eq(ignore_index);
    const Tensor valid = ignored.logical_not();
    const Tensor out_of_range = logical_and(valid, logical_or(t.lt(0), t.ge(classes)));
    if (out_of_range.numel() > 0 && out_of_range.any().item<bool>()) {
        const int64_t bad = t.masked_select(out_of_range)[0].item<int64_t>();
        EMBER_ERROR(op, ": Target ", bad, " is out of bounds. Class indices must be in [0, ",
                    classes, ") for input ", shape_str(logp.sizes()), " (or equal ignore_index = ",
                    ignore_index, ")");
    }
    // Ignored positions gather class 0 (always valid) and are masked out afterwards.
    const Tensor safe = t.masked_fill(ignored, 0);
    const Tensor picked = logp.gather(class_dim, safe.unsqueeze(class_dim)).squeeze(class_dim);
    Tensor w = weight.defined() ? weight.index_select(0, safe.reshape({-1}))
                                      .view(safe.sizes())
                                      .masked_fill(ignored, 0)
                                : valid.to(logp.dtype());
    Tensor loss = weight.defined() ? -(picked * w) : -picked;
    // masked_fill rather than a product with the 0/1 mask: an ignored position may hold -inf.
    return {loss.masked_fill(ignored, 0), std::move(w), ignored};
}

Tensor reduce_class_index(const ClassIndexLoss& l, Reduction reduction) {
    if (reduction == Reduction::Mean) return l.loss.sum() / l.weight.sum();
    return reduce(l.loss, reduction);
}

// log_softmax's input: cross_entropy needs floating logits with at least one dim.
void check_logits(const Tensor& input, const char* op) {
    EMBER_CHECK(input.dim() >= 1, op, ": Expected 1 or more dimensions (got 0)");
    EMBER_CHECK(input.is_floating_point(), op, ": expected floating logits, got input ",
                detail::describe(input));
}

// The class weights shaped to broadcast along the class dim (1) of an input with `dim` dims.
Tensor class_weight_view(const Tensor& weight, int64_t dim) {
    if (dim <= 1) return weight;
    DimVector shape(static_cast<size_t>(dim), 1);
    shape[1] = weight.size(0);
    return weight.view(shape);
}

// The loss of binary_cross_entropy per element: -(t log x + (1 - t) log(1 - x)) with each log
// clamped at -100. Its gradient is PyTorch's (x - t) / max(x (1 - x), 1e-12), not the clamped
// one (which would vanish where x is 0 or 1), and -logit(x) for the target.
Tensor binary_cross_entropy_elementwise(const Tensor& input, const Tensor& target) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = (target - 1) * log(rsub(input, 1)).clamp(-100) - target * log(input).clamp(-100);
    }
    if (autograd::needs_grad(input, target))
        autograd::record("BinaryCrossEntropyBackward0", {input, target}, {out}, {input, target},
                         [](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             const Tensor x = ctx.saved(0), t = ctx.saved(1);
                             Tensor gx, gt;
                             if (ctx.needs(0))
                                 gx = g * (x - t) / (x * rsub(x, 1)).clamp(1e-12);
                             if (ctx.needs(1)) gt = g * (log(rsub(x, 1)) - log(x));
                             return TensorList{gx, gt};
                         });
    return out;
}

}  // namespace

// ---- functional ---------------------------------------------------------------------------

namespace functional {

Tensor mse_loss(const Tensor& input, const Tensor& target, const LossOptions& options) {
    const Reduction r = parse_reduction(options.reduction, "mse_loss");
    check_pointwise(input, target, "mse_loss");
    if (r == Reduction::Mean || r == Reduction::Sum)
        if (auto fused = detail::fused_mse_loss(input, target, r == Reduction::Mean)) return *fused;
    return reduce((input - target).pow(2), r);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const LossOptions& options) {
    const Reduction r = parse_reduction(options.reduction, "l1_loss");
    check_pointwise(input, target, "l1_loss");
    return reduce((input - target).abs(), r);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossOptions& options) {
    const Reduction r = parse_reduction(options.reduction, "smooth_l1_loss");
    check_pointwise(input, target, "smooth_l1_loss");
    EMBER_CHECK(options.beta >= 0, "smooth_l1_loss does not support negative values for beta "
                "(got ", options.beta, ")");
    const Tensor z = (input - target).abs();
    // beta = 0 is l1_loss; the quadratic branch would divide by zero (NaN gradients).
    if (options.beta == 0) return reduce(z, r);
    const double beta = options.beta;
    return reduce(where(z.lt(beta), z * z * (0.5 / beta), z - 0.5 * beta), r);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossOptions& options) {
    const Reduction r = parse_reduction(options.reduction, "huber_loss");
    check_pointwise(input, target, "huber_loss");
    EMBER_CHECK(options.delta > 0, "huber_loss does not support non-positive values for delta "
                "(got ", options.delta, ")");
    const double delta = options.delta;
    const Tensor z = (input - target).abs();
    return reduce(where(z.lt(delta), z * z * 0.5, (z - 0.5 * delta) * delta), r);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossOptions& options) {
    const Reduction r = parse_reduction(options.reduction, "nll_loss");
    check_defined(input, target, "nll_loss");
    return reduce_class_index(
        class_index_loss(input, target, options.weight, options.ignore_index, "nll_loss"), r);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyLossOptions& options) {
    const char* op = "cross_entropy";
    const Reduction r = parse_reduction(options.reduction, op);
    check_defined(input, target, op);
    check_logits(input, op);
    const double ls = options.label_smoothing;
    EMBER_CHECK(ls >= 0.0 && ls <= 1.0, op, ": label_smoothing must be between 0.0 and 1.0. Got: ",
                ls);
    const int64_t class_dim = input.dim() == 1 ? 0 : 1;
    const int64_t classes = input.size(class_dim);
    const Tensor& weight = options.weight;

    if (input.sizes() == target.sizes()) {
        // Class probabilities (PyTorch decides by the shapes alone).
        EMBER_CHECK(target.is_floating_point(), op, ": Expected floating point type for target "
                    "with class probabilities, got ", target.dtype(), " (target ",
                    shape_str(target.sizes()), " has the input's shape, so it is read as "
                    "probabilities)");
        EMBER_CHECK(options.ignore_index < 0, op, ": ignore_index is not supported for floating "
                    "point target (got ignore_index = ", options.ignore_index, ")");
        check_class_weight(weight, classes, op);
        if (weight.defined()) detail::check_same_device(op, {&input, &target, &weight});
        else detail::check_same_device(op, {&input, &target});
        const Tensor logp = input.log_softmax(class_dim);
        const Tensor p = ls > 0 ? target * (1 - ls) + ls / static_cast<double>(classes) : target;
        Tensor terms = logp * p;
        if (weight.defined()) terms = terms * class_weight_view(weight, input.dim());
        switch (r) {
            case Reduction::None: return -terms.sum({class_dim});
            case Reduction::Sum: return -terms.sum();
            default: {
                // Divided by the number of positions (not by the weights); none -> NaN.
                const int64_t positions = classes == 0 ? 0 : input.numel() / classes;
                return -terms.sum() / static_cast<double>(positions);
            }
        }
    }

    if (!weight.defined() && ls == 0 && r != Reduction::None)
        if (std::optional<Tensor> fused = detail::fused_cross_entropy(
                input, target, options.ignore_index, r == Reduction::Mean))
            return *fused;
    const Tensor logp = input.log_softmax(class_dim);
    const ClassIndexLoss nll = class_index_loss(logp, target, weight, options.ignore_index, op);
    const Tensor nll_reduced = reduce_class_index(nll, r);
    if (ls == 0) return nll_reduced;
    // Label smoothing mixes in the (weighted) loss against the uniform distribution, with the
    // same denominator as the nll term for "mean".
    const Tensor smooth = (weight.defined() ? -(logp * class_weight_view(weight, input.dim()))
                                            : -logp)
                              .sum({class_dim})
                              .masked_fill(nll.ignored, 0);
    const Tensor smooth_reduced = reduce_class_index({smooth, nll.weight, nll.ignored}, r);
    return nll_reduced * (1 - ls) + smooth_reduced * (ls / static_cast<double>(classes));
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BCELossOptions& options) {
    const char* op = "binary_cross_entropy";
    const Reduction r = parse_reduction(options.reduction, op);
    check_defined(input, target, op);
    EMBER_CHECK(input.sizes() == target.sizes(), op, ": Using a target size (",
                shape_str(target.sizes()), ") that is different to the input size (",
                shape_str(input.sizes()), ") is deprecated. Please ensure they have the same "
                "size.");
    EMBER_CHECK(input.is_floating_point() && target.is_floating_point(), op, ": expected floating "
                "input and target, got input ", detail::describe(input), " and target ",
                detail::describe(target));
    detail::check_same_device(op, {&input, &target});
    if (input.numel() > 0) {
        // NaN fails too, as in PyTorch.
        const bool in_range = logical_and(input.ge(0), input.le(1)).all().item<bool>();
        EMBER_CHECK(in_range, op, ": all elements of input should be between 0 and 1 (input ",
                    detail::describe(input), "; apply sigmoid first, or use "
                    "binary_cross_entropy_with_logits on logits)");
    }
    EMBER_CHECK(!options.weight.defined() || broadcasts_to(options.weight, input.sizes()), op,
                ": weight of shape ", shape_str(options.weight.sizes()), " can't be broadcast to "
                "the input's shape ", shape_str(input.sizes()));
    Tensor loss = binary_cross_entropy_elementwise(input, target);
    if (options.weight.defined()) loss = loss * options.weight;
    return reduce(loss, r);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BCEWithLogitsLossOptions& options) {
    const char* op = "binary_cross_entropy_with_logits";
    const Reduction r = parse_reduction(options.reduction, op);
    check_defined(input, target, op);
    EMBER_CHECK(input.sizes() == target.sizes(), op, ": Target size (", shape_str(target.sizes()),
                ") must be the same as input size (", shape_str(input.sizes()), ")");
    EMBER_CHECK(input.is_floating_point() && target.is_floating_point(), op, ": expected floating "
                "input and target, got input ", detail::describe(input), " and target ",
                detail::describe(target));
    detail::check_same_device(op, {&input, &target});
    for (const auto& [name, w] : {std::pair{"weight", &options.weight},
                                  std::pair{"pos_weight", &options.pos_weight}})
        EMBER_CHECK(!w->defined() || broadcasts_to(*w, input.sizes()), op, ": ", name,
                    " of shape ", shape_str(w->sizes()), " can't be broadcast to the input's "
                    "shape ", shape_str(input.sizes()));
    // PyTorch's stable form: log(1 + exp(-x)) = log(exp(-m) + exp(-x - m)) + m, m = max(-x, 0).
    const Tensor m = (-input).clamp(0);
    const Tensor log_sigmoid_neg = log(exp(-m) + exp(-input - m)) + m;  // -log(sigmoid(x))
    Tensor loss = options.pos_weight.defined()
                      ? rsub(target, 1) * input +
                            ((options.pos_weight - 1) * target + 1) * log_sigmoid_neg
                      : rsub(target, 1) * input + log_sigmoid_neg;
    if (options.weight.defined()) loss = loss * options.weight;
    return reduce(loss, r);
}

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivLossOptions& options) {
    const char* op = "kl_div";
    const Reduction r = parse_reduction(options.reduction, op, /*allow_batchmean=*/true);
    check_pointwise(input, target, op);
    Tensor loss;
    if (options.log_target) {
        loss = exp(target) * (target - input);
    } else {
        // xlogy(t, t) - t * x: 0 where t == 0, NaN where t < 0. As PyTorch's, the gradient
        // with respect to a zero target is NaN (d/dt t log t is unbounded there).
        loss = where(target.eq(0), 0, target * log(target)) - target * input;
    }
    if (r == Reduction::BatchMean && input.dim() > 0)
        return loss.sum() / static_cast<double>(input.size(0));
    return reduce(loss, r);
}

}  // namespace functional

// ---- modules ------------------------------------------------------------------------------

namespace F = functional;

Tensor Loss::operator()(const Tensor& input, const Tensor& target) {
    return with_error_prefix([&] { return compute(input, target); });
}

Tensor MSELoss::compute(const Tensor& input, const Tensor& target) {
    return F::mse_loss(input, target, {.reduction = reduction});
}

Tensor L1Loss::compute(const Tensor& input, const Tensor& target) {
    return F::l1_loss(input, target, {.reduction = reduction});
}

Tensor SmoothL1Loss::compute(const Tensor& input, const Tensor& target) {
    return F::smooth_l1_loss(input, target, {.reduction = reduction, .beta = beta});
}

Tensor HuberLoss::compute(const Tensor& input, const Tensor& target) {
    return F::huber_loss(input, target, {.reduction = reduction, .delta = delta});
}

Tensor CrossEntropyLoss::compute(const Tensor& input, const Tensor& target) {
    return F::cross_entropy(input, target, {.weight = weight, .ignore_index = ignore_index,
                                            .reduction = reduction,
                                            .label_smoothing = label_smoothing});
}

Tensor NLLLoss::compute(const Tensor& input, const Tensor& target) {
    return F::nll_loss(input, target,
                       {.weight = weight, .ignore_index = ignore_index, .reduction = reduction});
}

Tensor BCELoss::compute(const Tensor& input, const Tensor& target) {
    return F::binary_cross_entropy(input, target, {.weight = weight, .reduction = reduction});
}

Tensor BCEWithLogitsLoss::compute(const Tensor& input, const Tensor& target) {
    return F::binary_cross_entropy_with_logits(
        input, target, {.weight = weight, .reduction = reduction, .pos_weight = pos_weight});
}

Tensor KLDivLoss::compute(const Tensor& input, const Tensor& target) {
    return F::kl_div(input, target, {.reduction = reduction, .log_target = log_target});
}

}  // namespace ember::nn

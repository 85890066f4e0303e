// cross_entropy's common case fused: per row, the log-sum-exp of the logits and the picked
// logit give the loss (lse - x[t], PyTorch's log_softmax then nll_loss); the backward writes
// (softmax - one_hot(t)) * scale in one pass from the saved log-sum-exps; the lines use the
// softmax kernels' vectorised max, sum of exp (in double) and exp. A backward that is
// itself recorded (create_graph) is composed of differentiable ops instead.
#include "nn/cross_entropy_fused.h"

#include <cmath>
#include <limits>

#include "autograd/function.h"
#include "cpu/line_stats.h"
#include "ember/autograd/grad_mode.h"
#include "ember/core/parallel.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ops/util.h"

namespace ember::detail {

namespace {

// Rows of logits per task: about kGrainSize elements.
int64_t row_grain(int64_t classes) { return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(classes, 1)); }

// lse[i] for every row; returns the sum over kept rows of lse[i] - x[i, t[i]] (in double,
// summed in row order) and counts them.
template <class T>
double forward_rows(const T* x, const int64_t* t, T* lse, int64_t rows, int64_t classes,
                    int64_t ignore_index, int64_t& kept) {
    parallel_for(0, rows, row_grain(classes), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const T* row = x + i * classes;
            const T m = LineStats<T>::max_contiguous(row, classes);
            if (std::isinf(m)) {  // all -inf (or a +inf): log_softmax's result, NaN or -inf
                lse[i] = m;
                continue;
            }
            const double s = LineStats<T>::template sum_exp_contiguous<false>(row, classes, m,
                                                                              nullptr);
            lse[i] = m + static_cast<T>(std::log(s));
        }
    });
    double total = 0;
    kept = 0;
    for (int64_t i = 0; i < rows; ++i) {
        if (t[i] == ignore_index) continue;
        total += static_cast<double>(lse[i] - x[i * classes + t[i]]);
        ++kept;
    }
    return total;
}

template <class T>
void backward_rows(T* gx, const T* x, const int64_t* t, const T* lse, int64_t rows,
                   int64_t classes, int64_t ignore_index, T scale) {
    parallel_for(0, rows, row_grain(classes), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            T* out = gx + i * classes;
            if (t[i] == ignore_index) {
                std::fill(out, out + classes, T(0));
                continue;
            }
            const T* row = x + i * classes;
            const T shift = lse[i];
            for (int64_t j = 0; j < classes; ++j) out[j] = exp_of<T>(row[j] - shift) * scale;
            out[t[i]] -= scale;
        }
    });
}

void check_targets(const Tensor& t, int64_t classes, int64_t ignore_index, const Tensor& input) {
    const int64_t* p = t.data_ptr<int64_t>();
    for (int64_t i = 0; i < t.numel(); ++i)
        EMBER_CHECK(p[i] == ignore_index || (p[i] >= 0 && p[i] < classes), "cross_entropy: Target ",
                    p[i], " is out of bounds. Class indices must be in [0, ", classes,
                    ") for input ", shape_str(input.sizes()), " (or equal ignore_index = ",
                    ignore_index, ")");
}

}  // namespace

std::optional<Tensor> fused_cross_entropy(const Tensor& input, const Tensor& target,
                                          int64_t ignore_index, bool mean) {
    if (input.dim() != 2 || target.dim() != 1 || target.dtype() != DType::Int64 ||
        !input.is_cpu() || !target.is_cpu() || input.size(0) != target.size(0) ||
        input.numel() == 0 || (input.dtype() != DType::Float32 && input.dtype() != DType::Float64))
        return std::nullopt;
    const int64_t rows = input.size(0), classes = input.size(1);
    Tensor x, t;
    {
        NoGradGuard no_grad;
        x = input.contiguous();
        t = target.contiguous();
    }
    check_targets(t, classes, ignore_index, input);
    Tensor lse = empty({rows}, {.dtype = input.dtype()});
    Tensor out = empty({}, {.dtype = input.dtype()});
    int64_t kept = 0;
    if (input.dtype() == DType::Float64) {
        const double total = forward_rows(x.data_ptr<double>(), t.data_ptr<int64_t>(),
                                          lse.data_ptr<double>(), rows, classes, ignore_index, kept);
        *out.data_ptr<double>() = mean ? total / static_cast<double>(kept) : total;
    } else {
        const double total = forward_rows(x.data_ptr<float>(), t.data_ptr<int64_t>(),
                                          lse.data_ptr<float>(), rows, classes, ignore_index, kept);
        *out.data_ptr<float>() = static_cast<float>(mean ? total / static_cast<double>(kept) : total);
    }
    if (autograd::needs_grad(input))
        autograd::record(
            "NllLossBackward0", {input}, {out}, {input},
            [t, lse, ignore_index, mean, kept](autograd::BackwardContext& ctx) {
                const Tensor& g = ctx.grad();
                const Tensor logits = ctx.saved(0);
                const int64_t classes = logits.size(1);
                if (is_grad_enabled() || g.requires_grad()) {
                    // Recorded: (softmax - one_hot) * g / kept, with ignored rows zeroed.
                    const Tensor keep = t.ne(ignore_index).unsqueeze(1).to(logits.dtype());
                    const Tensor hot =
                        one_hot(t.masked_fill(t.eq(ignore_index), 0), classes).to(logits.dtype());
                    Tensor gx = (logits.softmax(1) - hot) * keep * g;
                    return TensorList{mean ? gx / static_cast<double>(kept) : gx};
                }
                const Tensor x = logits.contiguous();
                Tensor gx = empty(x.sizes(), {.dtype = x.dtype()});
                const double scale = g.item<double>() / (mean ? static_cast<double>(kept) : 1.0);
                if (x.dtype() == DType::Float64)
                    backward_rows(gx.data_ptr<double>(), x.data_ptr<double>(), t.data_ptr<int64_t>(),
                                  lse.data_ptr<double>(), x.size(0), classes, ignore_index, scale);
                else
                    backward_rows(gx.data_ptr<float>(), x.data_ptr<float>(), t.data_ptr<int64_t>(),
                                  lse.data_ptr<float>(), x.size(0), classes, ignore_index,
                                  static_cast<float>(scale));
                return TensorList{gx};
            });
    return out;
}

}  // namespace ember::detail

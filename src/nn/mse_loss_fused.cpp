// mse_loss's common case fused: the forward sums (x - y)^2 in one pass (chunks of fixed size
// summed in double, in chunk order, so the result does not depend on the number of threads);
// the backward writes (x - y) * (2 / N) * g in one pass, as PyTorch's mse_loss_backward orders
// it, and its negation for the target. The composed version took about ten ops and as many
// allocations per call, most of a small model's training step. A backward that is itself
// recorded (create_graph) is composed of differentiable ops instead.
#include "nn/mse_loss_fused.h"

#include <vector>

#include "autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/core/parallel.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember::detail {

namespace {

template <class T>
double sum_of_squares(const T* x, const T* y, int64_t n) {
    const int64_t chunks = (n + kGrainSize - 1) / kGrainSize;
    std::vector<double> partial(static_cast<size_t>(chunks), 0.0);
    parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            const int64_t lo = c * kGrainSize, hi = std::min(n, lo + kGrainSize);
            double lanes[8] = {};
            int64_t i = lo;
            for (; i + 8 <= hi; i += 8)
                for (int l = 0; l < 8; ++l) {
                    const T d = x[i + l] - y[i + l];
                    lanes[l] += static_cast<double>(d * d);
                }
            double s = 0;
            for (int l = 0; l < 8; ++l) s += lanes[l];
            for (; i < hi; ++i) {
                const T d = x[i] - y[i];
                s += static_cast<double>(d * d);
            }
            partial[static_cast<size_t>(c)] = s;
        }
    });
    double total = 0;
    for (double p : partial) total += p;
    return total;
}

template <class T>
void mse_grad(T* gx, const T* x, const T* y, int64_t n, T norm, T g) {
    parallel_for(0, n, kGrainSize, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) gx[i] = (x[i] - y[i]) * norm * g;
    });
}

}  // namespace

std::optional<Tensor> fused_mse_loss(const Tensor& input, const Tensor& target, bool mean) {
    if (!input.is_cpu() || !target.is_cpu() || input.dtype() != target.dtype() ||
        (input.dtype() != DType::Float32 && input.dtype() != DType::Float64) ||
        input.sizes() != target.sizes() || input.numel() == 0)
        return std::nullopt;
    Tensor x, y;
    {
        NoGradGuard no_grad;
        x = input.contiguous();
        y = target.contiguous();
    }
    const int64_t n = x.numel();
    Tensor out = empty({}, {.dtype = input.dtype()});
    if (input.dtype() == DType::Float64) {
        const double s = sum_of_squares(x.data_ptr<double>(), y.data_ptr<double>(), n);
        *out.data_ptr<double>() = mean ? s / static_cast<double>(n) : s;
    } else {
        const double s = sum_of_squares(x.data_ptr<float>(), y.data_ptr<float>(), n);
        *out.data_ptr<float>() = static_cast<float>(mean ? s / static_cast<double>(n) : s);
    }
    if (autograd::needs_grad(input, target))
        autograd::record(
            "MseLossBackward0", {input, target}, {out}, {input, target},
            [mean, n](autograd::BackwardContext& ctx) {
                const Tensor& g = ctx.grad();
                const Tensor a = ctx.saved(0), b = ctx.saved(1);
                const double norm = mean ? 2.0 / static_cast<double>(n) : 2.0;
                Tensor gx;
                if (is_grad_enabled() || g.requires_grad()) {
                    gx = (a - b) * norm * g;  // recorded: double backward
                } else {
                    const Tensor xa = a.contiguous(), yb = b.contiguous();
                    gx = empty(xa.sizes(), {.dtype = xa.dtype()});
                    if (xa.dtype() == DType::Float64)
                        mse_grad(gx.data_ptr<double>(), xa.data_ptr<double>(),
                                 yb.data_ptr<double>(), n, norm, g.item<double>());
                    else
                        mse_grad(gx.data_ptr<float>(), xa.data_ptr<float>(), yb.data_ptr<float>(),
                                 n, static_cast<float>(norm), g.item<float>());
                }
                return TensorList{ctx.needs(0) ? gx : Tensor(), ctx.needs(1) ? -gx : Tensor()};
            });
    return out;
}

}  // namespace ember::detail

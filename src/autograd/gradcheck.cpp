// gradcheck: analytical gradients (through backward) against central finite differences.
#include <cmath>
#include <sstream>

#include "ember/autograd/autograd.h"
#include "ember/ops/factory.h"
#include "ember/ops/random.h"
#include "ops/util.h"

namespace ember::autograd {

namespace {

// Address of the element with row-major flat index `flat` (any strides).
double* element(const Tensor& t, int64_t flat) {
    double* p = t.data_ptr<double>();
    for (int64_t d = t.dim() - 1; d >= 0; --d) {
        int64_t size = t.size(d);
        p += (flat % size) * t.stride(d);
        flat /= size;
    }
    return p;
}

// The differentiable outputs of fn, flattened and concatenated, as doubles.
std::vector<double> flat_outputs(const TensorList& outs) {
    std::vector<double> v;
    for (const Tensor& o : outs) {
        if (!o.defined() || !o.is_floating_point()) continue;
        std::vector<double> part = o.detach().to(DType::Float64).to_vector<double>();
        v.insert(v.end(), part.begin(), part.end());
    }
    return v;
}

}  // namespace

bool gradcheck(const std::function<TensorList(const TensorList&)>& fn, const TensorList& inputs,
               const GradcheckOptions& options) {
    std::vector<size_t> diff;  // inputs that require grad
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].defined() || !inputs[i].requires_grad()) continue;
        EMBER_CHECK(inputs[i].dtype() == DType::Float64, "gradcheck: input ", i, " is ",
                    detail::describe(inputs[i]), "; finite differences need float64 inputs");
        diff.push_back(i);
    }
    EMBER_CHECK(!diff.empty(), "gradcheck: no input requires grad");

    // Analytical Jacobian, one row (over all differentiable inputs) per output element.
    TensorList outs = fn(inputs);
    std::vector<std::vector<std::vector<double>>> analytical;  // [output elem][input][elem]
    std::vector<std::pair<size_t, int64_t>> out_index;         // (output, element) per row
    for (size_t o = 0; o < outs.size(); ++o) {
        const Tensor& out = outs[o];
        if (!out.defined() || !out.is_floating_point()) continue;
        for (int64_t k = 0; k < out.numel(); ++k) {
            std::vector<std::vector<double>> row(diff.size());
            TensorList g;
            if (out.requires_grad()) {
                Tensor seed = zeros(out.sizes(), {.dtype = out.dtype()});
                seed.view({-1})[k].fill_(1);
                TensorList in;
                for (size_t i : diff) in.push_back(inputs[i]);
                g = grad({out}, in, {seed}, /*retain_graph=*/true, false, /*allow_unused=*/true);
            }
            for (size_t j = 0; j < diff.size(); ++j) {
                int64_t n = inputs[diff[j]].numel();
                if (j < g.size() && g[j].defined())
                    row[j] = g[j].to(DType::Float64).to_vector<double>();
                else
                    row[j].assign(static_cast<size_t>(n), 0.0);
            }
            analytical.push_back(std::move(row));
            out_index.emplace_back(o, k);
        }
    }

    // Numerical Jacobian, one column per input element.
    for (size_t j = 0; j < diff.size(); ++j) {
        const Tensor& x = inputs[diff[j]];
        for (int64_t e = 0; e < x.numel(); ++e) {
            double* p = element(x, e);
            const double orig = *p;
            std::vector<double> plus, minus;
            // Grad mode stays on: fn may itself differentiate (gradgradcheck's first backward).
            *p = orig + options.eps;
            plus = flat_outputs(fn(inputs));
            *p = orig - options.eps;
            minus = flat_outputs(fn(inputs));
            *p = orig;
            EMBER_CHECK(plus.size() == analytical.size() && minus.size() == analytical.size(),
                        "gradcheck: fn returned outputs of different sizes on different calls");
            for (size_t r = 0; r < analytical.size(); ++r) {
                double numerical = (plus[r] - minus[r]) / (2 * options.eps);
                double a = analytical[r][j][static_cast<size_t>(e)];
                bool ok = std::abs(a - numerical) <= options.atol + options.rtol * std::abs(numerical);
                if (std::isnan(a) != std::isnan(numerical)) ok = false;
                if (std::isnan(a) && std::isnan(numerical)) ok = true;
                if (!ok) {
                    if (!options.raise_exception) return false;
                    EMBER_ERROR("gradcheck: Jacobian mismatch for output ", out_index[r].first,
                                " element ", out_index[r].second, " with respect to input ",
                                diff[j], " element ", e, ": numerical ", numerical,
                                ", analytical ", a);
                }
            }
        }
    }

    if (!options.check_grad_grad) return true;
    // gradgradcheck: the first backward, with random grad_outputs as extra inputs, is itself
    // checked against finite differences.
    TensorList extended = inputs;
    size_t n_out = 0;
    for (const Tensor& out : outs) {
        ++n_out;
        Tensor go = out.defined() && out.is_floating_point()
                        ? randn(out.sizes(), {.dtype = DType::Float64}).requires_grad_()
                        : Tensor();
        extended.push_back(go);
    }
    const size_t n_in = inputs.size();
    auto first_backward = [&](const TensorList& ins) {
        TensorList base(ins.begin(), ins.begin() + static_cast<std::ptrdiff_t>(n_in));
        TensorList o = fn(base), keep, seeds, diff_in;
        for (size_t k = 0; k < n_out; ++k)
            if (o[k].defined() && o[k].requires_grad()) {
                keep.push_back(o[k]);
                seeds.push_back(ins[n_in + k]);
            }
        for (size_t i : diff) diff_in.push_back(ins[i]);
        TensorList g = keep.empty() ? TensorList(diff_in.size())
                                    : grad(keep, diff_in, seeds, true, true, true);
        for (size_t i = 0; i < g.size(); ++i)
            if (!g[i].defined()) g[i] = zeros_like(diff_in[i]);
        return g;
    };
    GradcheckOptions inner = options;
    inner.check_grad_grad = false;
    return gradcheck(first_backward, extended, inner);
}

}  // namespace ember::autograd

// Statistical reductions: var/std (Welford kernel, Kernels::reduce_var), the p-norms
// (Kernels::reduce_norm) and logsumexp (Kernels::logsumexp, max + log(sum(exp(x - max))) per
// line, one pass for the max and one for the sum).
#include <cmath>
#include <limits>

#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/dispatch.h"
#include "ops/reduce.h"
#include "ops/util.h"

namespace ember {

namespace {

Tensor var_std(const Tensor& a, IntArrayRef dims, int64_t correction, bool keepdim,
               bool take_sqrt) {
    const char* name = take_sqrt ? "std" : "var";
    a.check_defined(name);
    EMBER_CHECK(a.is_floating_point(), name, "(): std and var only support floating point and "
                "complex dtypes (input ", detail::describe(a), ")");
    auto mask = detail::dim_mask(dims, a.dim(), name);
    // An empty reduction has no mean: NaN, whatever the correction (as PyTorch).
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return detail::reduce_with(a, mask, keepdim, a.dtype(), name, nan,
                               [&](detail::TensorIterator& it) {
                                   detail::kernels(a.device())
                                       .reduce_var(it, static_cast<double>(correction), take_sqrt);
                               });
}

}  // namespace

Tensor var(const Tensor& a, IntArrayRef dims, int64_t correction, bool keepdim) {
    return var_std(a, dims, correction, keepdim, false);
}

Tensor std(const Tensor& a, IntArrayRef dims, int64_t correction, bool keepdim) {
    return var_std(a, dims, correction, keepdim, true);
}

Tensor norm(const Tensor& a, const Scalar& p, IntArrayRef dims, bool keepdim) {
    a.check_defined("norm");
    EMBER_CHECK(a.is_floating_point(), "norm(): input dtype should be either floating point or "
                "complex. Got ", dtype_short_name(a.dtype()), " instead (input ",
                detail::describe(a), ")");
    const double pv = p.to_double();
    EMBER_CHECK(!std::isnan(pv), "norm(): p must not be NaN");
    auto mask = detail::dim_mask(dims, a.dim(), "norm");
    // torch.norm gives 0 over an empty dim for every p (inf and -inf included).
    return detail::reduce_with(a, mask, keepdim, a.dtype(), "norm", 0.0,
                               [&](detail::TensorIterator& it) {
                                   detail::kernels(a.device()).reduce_norm(it, pv);
                               });
}

Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim) {
    a.check_defined("logsumexp");
    // Integer and bool inputs compute in the default float dtype, as in PyTorch.
    Tensor x = a.is_floating_point() ? a : a.to(default_dtype());
    const auto mask = detail::dim_mask(dims, a.dim(), "logsumexp");
    Tensor result = empty(detail::reduced_shape(a.sizes(), mask, keepdim),
                          {.dtype = x.dtype(), .device = x.device()});
    if (result.numel() == 0) return result;
    if (x.numel() == 0) return result.fill_(-INFINITY);  // log(0)
    // The kernel reduces one dim: several reduced dims are moved last and merged into one.
    Tensor lines = x;
    int64_t line_dim = 0;
    if (a.dim() > 0) {
        DimVector perm, merged_shape;
        int64_t reduced_count = 0, merged = 1;
        for (int64_t d = 0; d < a.dim(); ++d)
            if (!mask.test(d)) {
                perm.push_back(d);
                merged_shape.push_back(a.size(d));
            }
        for (int64_t d = 0; d < a.dim(); ++d)
            if (mask.test(d)) {
                perm.push_back(d);
                merged *= a.size(d);
                ++reduced_count;
                line_dim = d;
            }
        if (reduced_count > 1) {
            merged_shape.push_back(merged);
            lines = x.permute(perm).reshape(merged_shape);
            line_dim = lines.dim() - 1;
        }
    }
    DimVector line_result_shape(lines.sizes().begin(), lines.sizes().end());
    if (lines.dim() > 0) line_result_shape[line_dim] = 1;
    detail::kernels(a.device()).logsumexp(result.view(line_result_shape), lines, line_dim);
    return result;
}

Tensor Tensor::var(IntArrayRef dims, int64_t correction, bool keepdim) const {
    return ember::var(*this, dims, correction, keepdim);
}
Tensor Tensor::std(IntArrayRef dims, int64_t correction, bool keepdim) const {
    return ember::std(*this, dims, correction, keepdim);
}
Tensor Tensor::norm(const Scalar& p, IntArrayRef dims, bool keepdim) const {
    return ember::norm(*this, p, dims, keepdim);
}
Tensor Tensor::logsumexp(IntArrayRef dims, bool keepdim) const {
    return ember::logsumexp(*this, dims, keepdim);
}

}  // namespace ember

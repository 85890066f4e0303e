// Whole-tensor comparisons: equal, isclose, allclose (composites of elementwise ops).
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "ops/util.h"

namespace ember {

bool equal(const Tensor& a, const Tensor& b) {
    detail::check_same_device("equal", {&a, &b});
    if (!(a.sizes() == b.sizes())) return false;
    return eq(a, b).all().item<bool>();
}

Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
    detail::check_same_device("isclose", {&a, &b});
    EMBER_CHECK(a.dtype() == b.dtype(), "isclose: ", dtype_short_name(a.dtype()),
                " did not match ", dtype_short_name(b.dtype()));
    EMBER_CHECK(rtol >= 0, "isclose: rtol must be greater than or equal to zero, but got ", rtol);
    EMBER_CHECK(atol >= 0, "isclose: atol must be greater than or equal to zero, but got ", atol);
    Tensor close = eq(a, b);
    if (equal_nan && a.is_floating_point()) close = logical_or(close, logical_and(isnan(a), isnan(b)));
    if (rtol == 0 && atol == 0) return close;
    // Integers and bools are compared in the default float dtype, as PyTorch does.
    Tensor fa = a.is_floating_point() ? a : a.to(default_dtype());
    Tensor fb = b.is_floating_point() ? b : b.to(default_dtype());
    Tensor allowed = abs(fb * rtol) + atol;
    Tensor actual = abs(fa - fb);
    return logical_or(close, logical_and(isfinite(actual), actual <= allowed));
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
    return isclose(a, b, rtol, atol, equal_nan).all().item<bool>();
}

bool Tensor::equal(const Tensor& o) const { return ember::equal(*this, o); }
bool Tensor::allclose(const Tensor& o, double rtol, double atol, bool equal_nan) const {
    return ember::allclose(*this, o, rtol, atol, equal_nan);
}

}  // namespace ember

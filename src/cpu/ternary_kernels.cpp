// CPU kernels for where (and masked_fill, which is a where into self) and clamp.
#include <cmath>

#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

void where_kernel(TensorIterator& it) {
    visit_dtype(it.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        cpu_kernel<T, bool, T, T>(it, [](bool c, T a, T b) { return c ? a : b; });
    });
}

void clamp_kernel(TensorIterator& it, bool has_min, bool has_max) {
    visit_dtype(it.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        using M = opmath_t<T>;
        // NaN in the input or a bound propagates, as in PyTorch.
        auto lower = [](M x, M lo) -> M {
            if constexpr (is_float_v<T>)
                if (x != x || lo != lo) return x != x ? x : lo;
            return x < lo ? lo : x;
        };
        auto upper = [](M x, M hi) -> M {
            if constexpr (is_float_v<T>)
                if (x != x || hi != hi) return x != x ? x : hi;
            return x > hi ? hi : x;
        };
        if (has_min && has_max)
            cpu_kernel<T, T, T, T>(it, [=](T x, T lo, T hi) {
                return static_cast<T>(upper(lower(M(x), M(lo)), M(hi)));
            });
        else if (has_min)
            cpu_kernel<T, T, T>(it, [=](T x, T lo) { return static_cast<T>(lower(M(x), M(lo))); });
        else
            cpu_kernel<T, T, T>(it, [=](T x, T hi) { return static_cast<T>(upper(M(x), M(hi))); });
    });
}

}  // namespace

void register_cpu_ternary_kernels(Kernels& k) {
    k.where = where_kernel;
    k.clamp = clamp_kernel;
}

}  // namespace ember::detail

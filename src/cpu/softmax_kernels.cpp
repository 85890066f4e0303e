// CPU softmax / log_softmax and logsumexp along one dim, numerically stable (the line's max is
// subtracted before exp). 16-bit floats compute in float; sums of exp accumulate in double;
// float uses the vectorisable exp_float. Each line is computed by one thread in a fixed order,
// so results do not depend on the number of threads.
#include <cmath>
#include <limits>

#include "cpu/dim_loops.h"
#include "cpu/line_stats.h"
#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

template <class T>
void softmax_typed(const Tensor& out, const Tensor& in, int64_t dim, bool log) {
    using S = LineStats<T>;
    using A = typename S::A;
    const DimLines lines = make_dim_lines(out, in, dim);
    const T* x = static_cast<const T*>(in.data_ptr());
    T* y = static_cast<T*>(out.data_ptr());
    const int64_t n = lines.length, is = lines.in_step, os = lines.out_step;
    // exp(x - max) can be stored and rescaled in place when T is the computation type.
    constexpr bool kStoreExp = std::is_same_v<T, A>;

    auto line = [&](int64_t in_off, int64_t out_off) {
        const T* xp = x + in_off;
        T* yp = y + out_off;
        if (is == 1 && os == 1) {
            const A mx = S::max_contiguous(xp, n);
            if (log) {
                const double sum = S::template sum_exp_contiguous<false>(xp, n, mx, yp);
                const A shift = mx + static_cast<A>(std::log(sum));
                for (int64_t j = 0; j < n; ++j)
                    yp[j] = static_cast<T>(static_cast<A>(xp[j]) - shift);
                return;
            }
            const double sum = S::template sum_exp_contiguous<kStoreExp>(xp, n, mx, yp);
            const A scale = static_cast<A>(1.0 / sum);
            if constexpr (kStoreExp) {
                for (int64_t j = 0; j < n; ++j) yp[j] = yp[j] * scale;
            } else {
                for (int64_t j = 0; j < n; ++j)
                    yp[j] = static_cast<T>(exp_of<A>(static_cast<A>(xp[j]) - mx) * scale);
            }
            return;
        }
        const A mx = S::max_strided(xp, n, is);
        const double sum = S::sum_exp_strided(xp, n, is, mx);
        if (log) {
            const A shift = mx + static_cast<A>(std::log(sum));
            for (int64_t j = 0; j < n; ++j)
                yp[j * os] = static_cast<T>(static_cast<A>(xp[j * is]) - shift);
        } else {
            const A scale = static_cast<A>(1.0 / sum);
            for (int64_t j = 0; j < n; ++j)
                yp[j * os] = static_cast<T>(exp_of<A>(static_cast<A>(xp[j * is]) - mx) * scale);
        }
    };

    auto block = [&](int64_t in_off, int64_t out_off, int64_t width) {
        const T* xp = x + in_off;
        T* yp = y + out_off;
        A mx[kLineBlock];
        double sum[kLineBlock];
        S::max_block(xp, n, is, width, mx);
        const bool store = kStoreExp && !log;
        if (store) S::template sum_exp_block<kStoreExp>(xp, n, is, width, mx, sum, yp, os);
        else S::template sum_exp_block<false>(xp, n, is, width, mx, sum, yp, os);
        A factor[kLineBlock];  // log: the shift x - factor; softmax: the scale e * factor
        for (int64_t j = 0; j < width; ++j)
            factor[j] = log ? mx[j] + static_cast<A>(std::log(sum[j]))
                            : static_cast<A>(1.0 / sum[j]);
        for (int64_t r = 0; r < n; ++r) {
            const T* xr = xp + r * is;
            T* yr = yp + r * os;
            if (log) {
                for (int64_t j = 0; j < width; ++j)
                    yr[j] = static_cast<T>(static_cast<A>(xr[j]) - factor[j]);
            } else if (store) {
                for (int64_t j = 0; j < width; ++j)
                    yr[j] = static_cast<T>(static_cast<A>(yr[j]) * factor[j]);
            } else {
                for (int64_t j = 0; j < width; ++j)
                    yr[j] = static_cast<T>(exp_of<A>(static_cast<A>(xr[j]) - mx[j]) * factor[j]);
            }
        }
    };

    for_each_line(lines, line, block);
}

template <class T>
void logsumexp_typed(const Tensor& out, const Tensor& in, int64_t dim) {
    using S = LineStats<T>;
    using A = typename S::A;
    const DimLines lines = make_dim_lines(out, in, dim);
    const T* x = static_cast<const T*>(in.data_ptr());
    T* y = static_cast<T*>(out.data_ptr());
    const int64_t n = lines.length, is = lines.in_step;
    // PyTorch's formula: an infinite max is replaced by 0, so that all -inf gives -inf and
    // +inf gives +inf instead of NaN.
    auto shift_of = [](A mx) { return std::isinf(mx) ? A(0) : mx; };
    auto result = [](double sum, A shift) {
        return static_cast<T>(static_cast<A>(std::log(sum)) + shift);
    };

    auto line = [&](int64_t in_off, int64_t out_off) {
        const T* xp = x + in_off;
        const A shift = shift_of(is == 1 ? S::max_contiguous(xp, n) : S::max_strided(xp, n, is));
        const double sum = is == 1 ? S::template sum_exp_contiguous<false>(xp, n, shift, nullptr)
                                   : S::sum_exp_strided(xp, n, is, shift);
        y[out_off] = result(sum, shift);
    };
    auto block = [&](int64_t in_off, int64_t out_off, int64_t width) {
        A shift[kLineBlock];
        double sum[kLineBlock];
        S::max_block(x + in_off, n, is, width, shift);
        for (int64_t j = 0; j < width; ++j) shift[j] = shift_of(shift[j]);
        S::template sum_exp_block<false>(x + in_off, n, is, width, shift, sum, nullptr, 0);
        for (int64_t j = 0; j < width; ++j) y[out_off + j] = result(sum[j], shift[j]);
    };
    for_each_line(lines, line, block);
}

void softmax_kernel(const Tensor& out, const Tensor& in, int64_t dim, bool log) {
    if (out.numel() == 0) return;
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) softmax_typed<T>(out, in, dim, log);
        else EMBER_ASSERT(false, "softmax reached the kernel with a non-floating dtype");
    });
}

void logsumexp_kernel(const Tensor& out, const Tensor& in, int64_t dim) {
    if (out.numel() == 0) return;
    EMBER_ASSERT(in.numel() > 0, "logsumexp kernel called on an empty input");
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) logsumexp_typed<T>(out, in, dim);
        else EMBER_ASSERT(false, "logsumexp reached the kernel with a non-floating dtype");
    });
}

}  // namespace

void register_cpu_softmax_kernels(Kernels& k) {
    k.softmax = softmax_kernel;
    k.logsumexp = logsumexp_kernel;
}

}  // namespace ember::detail

// CPU inclusive scans (cumsum, cumprod) along one dim. Floats accumulate in double (float for
// the 16-bit floats) and integers in 64 bits, as PyTorch's CPU kernels do, so a narrow integer
// result wraps exactly like PyTorch's. Lines run in parallel, each in order on one thread.
#include <cstdint>
#include <type_traits>

#include "cpu/dim_loops.h"
#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

// PyTorch's CPU accumulation type (at::acc_type<T, false>).
template <class T>
using scan_acc_t = std::conditional_t<is_reduced_float_v<T>, float,
                                      std::conditional_t<is_float_v<T>, double, int64_t>>;

template <class Acc, bool IsSum>
inline Acc scan_step(Acc acc, Acc x) {
    return IsSum ? wrapping_add(acc, x) : wrapping_mul(acc, x);
}

template <class T, bool IsSum>
void scan_typed(const Tensor& out, const Tensor& in, int64_t dim) {
    using Acc = scan_acc_t<T>;
    const DimLines lines = make_dim_lines(out, in, dim);
    const T* x = static_cast<const T*>(in.data_ptr());
    T* y = static_cast<T*>(out.data_ptr());
    const int64_t n = lines.length, is = lines.in_step, os = lines.out_step;
    const Acc init = IsSum ? Acc(0) : Acc(1);
    auto load = [](T v) { return static_cast<Acc>(static_cast<opmath_t<T>>(v)); };
    auto store = [](Acc a) { return static_cast<T>(static_cast<opmath_t<T>>(a)); };

    auto line = [&](int64_t in_off, int64_t out_off) {
        const T* xp = x + in_off;
        T* yp = y + out_off;
        Acc acc = init;
        if (is == 1 && os == 1) {
            for (int64_t j = 0; j < n; ++j) {
                acc = scan_step<Acc, IsSum>(acc, load(xp[j]));
                yp[j] = store(acc);
            }
        } else {
            for (int64_t j = 0; j < n; ++j) {
                acc = scan_step<Acc, IsSum>(acc, load(xp[j * is]));
                yp[j * os] = store(acc);
            }
        }
    };
    auto block = [&](int64_t in_off, int64_t out_off, int64_t width) {
        // `width` neighbouring lines scanned together, row by row (vectorises across lines).
        Acc acc[kLineBlock];
        for (int64_t j = 0; j < width; ++j) acc[j] = init;
        for (int64_t r = 0; r < n; ++r) {
            const T* xr = x + in_off + r * is;
            T* yr = y + out_off + r * os;
            for (int64_t j = 0; j < width; ++j) {
                acc[j] = scan_step<Acc, IsSum>(acc[j], load(xr[j]));
                yr[j] = store(acc[j]);
            }
        }
    };
    for_each_line(lines, line, block);
}

void scan_kernel(const Tensor& out, const Tensor& in, int64_t dim, ScanOp op) {
    if (out.numel() == 0) return;
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, bool>) {
            EMBER_ASSERT(false, "scan reached the kernel with a bool tensor");
        } else {
            if (op == ScanOp::CumSum) scan_typed<T, true>(out, in, dim);
            else scan_typed<T, false>(out, in, dim);
        }
    });
}

}  // namespace

void register_cpu_scan_kernels(Kernels& k) { k.scan = scan_kernel; }

}  // namespace ember::detail

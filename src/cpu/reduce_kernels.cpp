// CPU reduction kernels: sum, prod, max, min, all, any, the p-norms and var/std over an
// iterator from TensorIterator::reduction (the output has stride 0 along reduced dims), and
// max/min with indices along one dim.
//
// Each output element is reduced by one thread in a fixed order, and a full reduction is cut
// into fixed-size chunks whose partial results are combined in order, so results never depend
// on the number of threads. Floats accumulate in double.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "cpu/dim_loops.h"
#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

// Integers accumulate in uint64: the same low bits as PyTorch's int64 accumulation when a sum or
// product overflows (wrap-around), without C++'s undefined behaviour on signed overflow.
template <class T>
using acc_t = std::conditional_t<is_float_v<T>, double, uint64_t>;

// An Op gives init(), reduce(acc, x), combine(acc, acc) and project(acc) (the final value, in
// the output's arithmetic type). Ops are objects so that they can carry a parameter (p, the
// correction).
template <class T>
struct IdentityProject {
    opmath_t<T> project(acc_t<T> a) const { return static_cast<opmath_t<T>>(a); }
};

template <class T>
struct SumOp : IdentityProject<T> {
    using Acc = acc_t<T>;
    static Acc init() { return Acc(0); }
    static Acc reduce(Acc a, T x) { return a + static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
    static Acc combine(Acc a, Acc b) { return a + b; }
};

template <class T>
struct ProdOp : IdentityProject<T> {
    using Acc = acc_t<T>;
    static Acc init() { return Acc(1); }
    static Acc reduce(Acc a, T x) { return a * static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
    static Acc combine(Acc a, Acc b) { return a * b; }
};

template <class T, bool IsMax>
struct MinMaxOp {
    using Acc = opmath_t<T>;
    static Acc init() {
        if constexpr (is_float_v<T>)
            return IsMax ? -std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::infinity();
        else
            return IsMax ? std::numeric_limits<Acc>::lowest() : std::numeric_limits<Acc>::max();
    }
    static Acc combine(Acc a, Acc b) {
        if constexpr (is_float_v<T>)
            if (a != a || b != b) return std::numeric_limits<Acc>::quiet_NaN();
        return IsMax ? (b > a ? b : a) : (b < a ? b : a);
    }
    static Acc reduce(Acc a, T x) { return combine(a, static_cast<Acc>(x)); }
    static Acc project(Acc a) { return a; }
};

template <bool IsAll>
struct AllAnyOp {
    using Acc = bool;
    static Acc init() { return IsAll; }
    static Acc reduce(Acc a, bool x) { return IsAll ? (a && x) : (a || x); }
    static Acc combine(Acc a, Acc b) { return reduce(a, b); }
    static Acc project(Acc a) { return a; }
};

// ---- p-norms: |x|^p summed in double, |x|^p itself in the input's arithmetic type (so a
// float32 square overflows to inf as in PyTorch) ----

template <class T>
struct NormTwoOp {
    using Acc = double;
    using M = opmath_t<T>;
    static Acc init() { return 0; }
    static Acc reduce(Acc a, T x) {
        M v = static_cast<M>(x);
        return a + static_cast<Acc>(v * v);
    }
    static Acc combine(Acc a, Acc b) { return a + b; }
    static M project(Acc a) { return static_cast<M>(std::sqrt(a)); }
};

template <class T>
struct NormOneOp {
    using Acc = double;
    using M = opmath_t<T>;
    static Acc init() { return 0; }
    static Acc reduce(Acc a, T x) { return a + static_cast<Acc>(std::abs(static_cast<M>(x))); }
    static Acc combine(Acc a, Acc b) { return a + b; }
    static M project(Acc a) { return static_cast<M>(a); }
};

// p = 0: the number of nonzero elements (NaN counts).
template <class T>
struct NormZeroOp {
    using Acc = double;
    using M = opmath_t<T>;
    static Acc init() { return 0; }
    static Acc reduce(Acc a, T x) { return a + (static_cast<M>(x) != M(0) ? 1.0 : 0.0); }
    static Acc combine(Acc a, Acc b) { return a + b; }
    static M project(Acc a) { return static_cast<M>(a); }
};

// p = inf / -inf: the max / min of |x|, NaN propagating.
template <class T, bool IsMax>
struct NormInfOp {
    using M = opmath_t<T>;
    using Acc = M;
    static Acc init() { return IsMax ? M(0) : std::numeric_limits<M>::infinity(); }
    static Acc combine(Acc a, Acc b) {
        if (a != a || b != b) return std::numeric_limits<M>::quiet_NaN();
        return IsMax ? (b > a ? b : a) : (b < a ? b : a);
    }
    static Acc reduce(Acc a, T x) { return combine(a, std::abs(static_cast<M>(x))); }
    static M project(Acc a) { return a; }
};

template <class T>
struct NormPOp {
    using Acc = double;
    using M = opmath_t<T>;
    M p;
    double inv_p;
    static Acc init() { return 0; }
    Acc reduce(Acc a, T x) const {
        return a + static_cast<Acc>(std::pow(std::abs(static_cast<M>(x)), p));
    }
    static Acc combine(Acc a, Acc b) { return a + b; }
    M project(Acc a) const { return static_cast<M>(std::pow(a, inv_p)); }
};

// ---- var/std: Welford's running mean and sum of squared deviations in double, merged with
// Chan's formula (numerically stable, one pass) ----

struct Welford {
    double mean = 0, m2 = 0;
    int64_t n = 0;
};

template <class T>
struct VarOp {
    using Acc = Welford;
    using M = opmath_t<T>;
    double correction;
    bool take_sqrt;
    static Acc init() { return {}; }
    static Acc reduce(Acc a, T x) {
        double v = static_cast<double>(static_cast<M>(x));
        a.n += 1;
        double delta = v - a.mean;
        a.mean += delta / static_cast<double>(a.n);
        a.m2 += delta * (v - a.mean);
        return a;
    }
    static Acc combine(Acc a, Acc b) {
        if (a.n == 0) return b;
        if (b.n == 0) return a;
        double na = static_cast<double>(a.n), nb = static_cast<double>(b.n), n = na + nb;
        double delta = b.mean - a.mean;
        return {a.mean + delta * (nb / n), a.m2 + b.m2 + delta * delta * (na * nb / n), a.n + b.n};
    }
    M project(Acc a) const {
        // Any inf or NaN input makes the variance NaN (inf - inf), whatever the merge order.
        if (!std::isfinite(a.mean)) return std::numeric_limits<M>::quiet_NaN();
        double divisor = std::max(0.0, static_cast<double>(a.n) - correction);
        double var = a.m2 / divisor;
        return static_cast<M>(take_sqrt ? std::sqrt(var) : var);
    }
};

// A strided multi-dim walk over one group of dims (fastest first).
struct DimGroup {
    DimVector shape, in_strides, out_strides;
    int64_t numel() const {
        int64_t n = 1;
        for (int64_t s : shape) n *= s;
        return n;
    }
    // Byte offsets (input, output) of flat index i.
    std::pair<int64_t, int64_t> offset(int64_t i) const {
        int64_t in = 0, out = 0;
        for (size_t d = 0; d < shape.size(); ++d) {
            int64_t k = i % shape[d];
            i /= shape[d];
            in += k * in_strides[d];
            out += k * out_strides[d];
        }
        return {in, out};
    }
};

// Reduces the elements [begin, end) of the reduced group starting at `base`.
// Sum of n contiguous floats: float lanes within blocks short enough that their rounding error
// stays far below float32 precision, the block sums added in double. Full-width float vectors
// keep the sum at memory speed (a double accumulator halves the vector width).
inline double sum_contiguous_floats(const float* x, int64_t n) {
    constexpr int kLanes = 32;
    constexpr int64_t kBlock = 2048;
    double total = 0;
    for (int64_t b = 0; b < n; b += kBlock) {
        const int64_t len = std::min(kBlock, n - b);
        const float* xb = x + b;
        float lanes[kLanes] = {};
        int64_t j = 0;
        for (; j + kLanes <= len; j += kLanes)
            for (int l = 0; l < kLanes; ++l) lanes[l] += xb[j + l];
        double block = 0;
        for (; j < len; ++j) block += xb[j];
        for (int l = 0; l < kLanes; ++l) block += lanes[l];
        total += block;
    }
    return total;
}

template <class T, class Op>
typename Op::Acc reduce_range(const Op& op, const char* base, const DimGroup& red, int64_t begin,
                              int64_t end) {
    using Acc = typename Op::Acc;
    Acc acc = op.init();
    if (red.shape.empty()) return op.reduce(acc, *reinterpret_cast<const T*>(base));
    const int64_t n0 = red.shape[0], s0 = red.in_strides[0];
    int64_t i = begin;
    while (i < end) {
        int64_t inner = i % n0;
        int64_t count = std::min(n0 - inner, end - i);
        const char* p = base + red.offset(i).first;
        if constexpr (std::is_same_v<Op, SumOp<float>>) {
            if (s0 == sizeof(float)) {
                acc += sum_contiguous_floats(reinterpret_cast<const float*>(p), count);
                i += count;
                continue;
            }
        }
        if (s0 == sizeof(T)) {
            // Contiguous: independent accumulators so the compiler can vectorise.
            const T* x = reinterpret_cast<const T*>(p);
            constexpr int kLanes = 8;
            Acc lanes[kLanes];
            for (int l = 0; l < kLanes; ++l) lanes[l] = op.init();
            int64_t j = 0;
            for (; j + kLanes <= count; j += kLanes)
                for (int l = 0; l < kLanes; ++l) lanes[l] = op.reduce(lanes[l], x[j + l]);
            for (; j < count; ++j) lanes[0] = op.reduce(lanes[0], x[j]);
            for (int l = 0; l < kLanes; ++l) acc = op.combine(acc, lanes[l]);
        } else {
            // Strided (or an expanded value, stride 0): the same independent accumulators, so
            // the loop is bound by loads rather than by the latency of one running sum.
            constexpr int kLanes = 8;
            Acc lanes[kLanes];
            for (int l = 0; l < kLanes; ++l) lanes[l] = op.init();
            int64_t j = 0;
            for (; j + kLanes <= count; j += kLanes)
                for (int l = 0; l < kLanes; ++l)
                    lanes[l] = op.reduce(lanes[l], *reinterpret_cast<const T*>(p + (j + l) * s0));
            for (; j < count; ++j)
                lanes[0] = op.reduce(lanes[0], *reinterpret_cast<const T*>(p + j * s0));
            for (int l = 0; l < kLanes; ++l) acc = op.combine(acc, lanes[l]);
        }
        i += count;
    }
    return acc;
}

// Writes the finished accumulator `a` of `op` as one T at p.
template <class T, class Op>
void store_result(char* p, const Op& op, const typename Op::Acc& a) {
    *reinterpret_cast<T*>(p) = static_cast<T>(static_cast<opmath_t<T>>(op.project(a)));
}

// Full reduction of the R elements of `red` from `in` into out: fixed chunks, partials
// combined in order.
template <class T, class Op>
void reduce_all(char* out, const char* in, const DimGroup& red, int64_t R, const Op& op) {
    using Acc = typename Op::Acc;
    constexpr int64_t kChunk = 1 << 16;
    const int64_t nchunks = (R + kChunk - 1) / kChunk;
    // One whole object per chunk: for all/any (Acc = bool) a std::vector<Acc> packs the
    // chunks' results into shared words, and threads setting neighbouring bits would race.
    struct Partial {
        Acc value;
    };
    std::vector<Partial> partial(static_cast<size_t>(nchunks), Partial{op.init()});
    parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
        for (int64_t c = b; c < e; ++c)
            partial[c].value =
                reduce_range<T>(op, in, red, c * kChunk, std::min(R, (c + 1) * kChunk));
    });
    Acc acc = op.init();
    for (const Partial& p : partial) acc = op.combine(acc, p.value);
    store_result<T>(out, op, acc);
}

template <class T, class Op>
void run_reduce(TensorIterator& it, const Op& op = Op{}) {
    using Acc = typename Op::Acc;
    DimGroup red, kept;
    for (int d = 0; d < it.ndim(); ++d) {
        if (it.shape()[d] == 1) continue;
        DimGroup& g = it.stride(0, d) == 0 ? red : kept;
        g.shape.push_back(it.shape()[d]);
        g.in_strides.push_back(it.stride(1, d));
        g.out_strides.push_back(it.stride(0, d));
    }
    char* out = it.data(0);
    const char* in = it.data(1);
    const int64_t K = kept.numel(), R = red.numel();
    auto store = [&op](char* p, const Acc& a) { store_result<T>(p, op, a); };

    if (K == 1) return reduce_all<T>(out, in, red, R, op);
    const bool outer = !kept.shape.empty() && kept.in_strides[0] == int64_t(sizeof(T)) &&
                       (red.shape.empty() || red.in_strides[0] != int64_t(sizeof(T)));
    const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(R, 1));
    if (outer) {
        // Reducing across rows of contiguous outputs: accumulate a block of neighbouring
        // outputs together, walking the input row by row (vectorises, cache-friendly).
        const int64_t n0 = kept.shape[0];
        const int64_t rows = K / n0;
        constexpr int64_t kBlock = 256;
        const int64_t blocks_per_row = (n0 + kBlock - 1) / kBlock;
        parallel_for(0, rows * blocks_per_row, std::max<int64_t>(1, grain / kBlock), [&](int64_t b, int64_t e) {
            Acc acc[kBlock];
            for (int64_t blk = b; blk < e; ++blk) {
                int64_t row = blk / blocks_per_row, j0 = (blk % blocks_per_row) * kBlock;
                int64_t width = std::min(kBlock, n0 - j0);
                auto [in_off, out_off] = kept.offset(row * n0 + j0);
                for (int64_t j = 0; j < width; ++j) acc[j] = op.init();
                for (int64_t r = 0; r < R; ++r) {
                    const T* x = reinterpret_cast<const T*>(in + in_off + red.offset(r).first);
                    for (int64_t j = 0; j < width; ++j) acc[j] = op.reduce(acc[j], x[j]);
                }
                char* o = out + out_off;
                const int64_t os = kept.out_strides[0];
                for (int64_t j = 0; j < width; ++j) store(o + j * os, acc[j]);
            }
        });
        return;
    }
    parallel_for(0, K, grain, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) {
            auto [in_off, out_off] = kept.offset(k);
            store(out + out_off, reduce_range<T>(op, in + in_off, red, 0, R));
        }
    });
}

// Calls f with the Op of `op` for elements of type T.
template <class T, class F>
void with_reduce_op(ReduceOp op, F f) {
    switch (op) {
        case ReduceOp::Sum: f(SumOp<T>{}); return;
        case ReduceOp::Prod: f(ProdOp<T>{}); return;
        case ReduceOp::Max: f(MinMaxOp<T, true>{}); return;
        case ReduceOp::Min: f(MinMaxOp<T, false>{}); return;
        case ReduceOp::All:
        case ReduceOp::Any:
            if constexpr (std::is_same_v<T, bool>) {
                if (op == ReduceOp::All) f(AllAnyOp<true>{});
                else f(AllAnyOp<false>{});
            } else {
                EMBER_ASSERT(false, "all/any reached the kernel with a non-bool input");
            }
            return;
    }
}

void reduce_kernel(TensorIterator& it, ReduceOp op) {
    visit_dtype(it.dtype(1), [&](auto tag) {
        using T = typename decltype(tag)::type;
        with_reduce_op<T>(op, [&](const auto& o) { run_reduce<T>(it, o); });
    });
}

void reduce_contiguous_kernel(const Tensor& out, const Tensor& in, ReduceOp op) {
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        DimGroup red;
        red.shape = {in.numel()};
        red.in_strides = {static_cast<int64_t>(sizeof(T))};
        red.out_strides = {0};
        with_reduce_op<T>(op, [&](const auto& o) {
            reduce_all<T>(static_cast<char*>(out.data_ptr()),
                          static_cast<const char*>(in.data_ptr()), red, in.numel(), o);
        });
    });
}

void reduce_norm_kernel(TensorIterator& it, double p) {
    visit_dtype(it.dtype(1), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) {
            using M = opmath_t<T>;
            if (p == 2) run_reduce<T, NormTwoOp<T>>(it);
            else if (p == 1) run_reduce<T, NormOneOp<T>>(it);
            else if (p == 0) run_reduce<T, NormZeroOp<T>>(it);
            else if (std::isinf(p) && p > 0) run_reduce<T, NormInfOp<T, true>>(it);
            else if (std::isinf(p)) run_reduce<T, NormInfOp<T, false>>(it);
            else run_reduce<T>(it, NormPOp<T>{static_cast<M>(p), 1.0 / p});
        } else {
            EMBER_ASSERT(false, "norm reached the kernel with a non-floating input");
        }
    });
}

void reduce_var_kernel(TensorIterator& it, double correction, bool take_sqrt) {
    visit_dtype(it.dtype(1), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (is_float_v<T>) run_reduce<T>(it, VarOp<T>{correction, take_sqrt});
        else EMBER_ASSERT(false, "var reached the kernel with a non-floating input");
    });
}

// ---- max/min with indices along one dim ----

// Whether x replaces the current extreme `best`: strictly better, or the first NaN (which then
// stays, as PyTorch reports the first NaN). Ties keep the first occurrence.
template <class M, bool IsMax>
inline bool replaces(M x, M best) {
    if constexpr (std::is_floating_point_v<M>) {
        if (best != best) return false;
        if (x != x) return true;
    }
    return IsMax ? x > best : x < best;
}

template <class T, bool IsMax>
void arg_reduce_typed(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim) {
    using M = opmath_t<T>;
    const DimLines lines = make_dim_lines(indices, in, dim);
    const T* x = static_cast<const T*>(in.data_ptr());
    T* vals = values.defined() ? static_cast<T*>(values.data_ptr()) : nullptr;
    int64_t* idx = indices.data_ptr<int64_t>();
    const int64_t n = lines.length, is = lines.in_step;

    auto contiguous_line = [&](const T* xp) -> int64_t {
        // Two passes that vectorise: the extreme value (and whether there is a NaN), then the
        // first index holding it.
        constexpr int kLanes = 8;
        M lane_best[kLanes];
        bool lane_nan[kLanes];
        for (int l = 0; l < kLanes; ++l) {
            lane_best[l] = static_cast<M>(xp[0]);
            lane_nan[l] = false;
        }
        int64_t j = 0;
        for (; j + kLanes <= n; j += kLanes)
            for (int l = 0; l < kLanes; ++l) {
                M v = static_cast<M>(xp[j + l]);
                lane_best[l] = (IsMax ? v > lane_best[l] : v < lane_best[l]) ? v : lane_best[l];
                lane_nan[l] |= v != v;
            }
        M best = lane_best[0];
        bool nan = false;
        for (int l = 0; l < kLanes; ++l) {
            best = (IsMax ? lane_best[l] > best : lane_best[l] < best) ? lane_best[l] : best;
            nan |= lane_nan[l];
        }
        for (; j < n; ++j) {
            M v = static_cast<M>(xp[j]);
            best = (IsMax ? v > best : v < best) ? v : best;
            nan |= v != v;
        }
        for (j = 0; j < n; ++j) {
            M v = static_cast<M>(xp[j]);
            if (nan ? v != v : v == best) return j;
        }
        EMBER_ASSERT(false, "max/min: the extreme value was not found again");
        return 0;
    };

    auto line = [&](int64_t in_off, int64_t out_off) {
        const T* xp = x + in_off;
        if (is == 1) {
            const int64_t best_i = contiguous_line(xp);
            if (vals) vals[out_off] = xp[best_i];
            idx[out_off] = best_i;
            return;
        }
        M best = static_cast<M>(xp[0]);
        int64_t best_i = 0;
        for (int64_t j = 1; j < n; ++j) {
            M v = static_cast<M>(xp[j * is]);
            if (replaces<M, IsMax>(v, best)) {
                best = v;
                best_i = j;
            }
        }
        if (vals) vals[out_off] = xp[best_i * is];
        idx[out_off] = best_i;
    };
    auto block = [&](int64_t in_off, int64_t out_off, int64_t width) {
        M best[kLineBlock];
        int64_t best_i[kLineBlock];
        for (int64_t j = 0; j < width; ++j) {
            best[j] = static_cast<M>(x[in_off + j]);
            best_i[j] = 0;
        }
        for (int64_t r = 1; r < n; ++r) {
            const T* xr = x + in_off + r * is;
            for (int64_t j = 0; j < width; ++j) {
                M v = static_cast<M>(xr[j]);
                if (replaces<M, IsMax>(v, best[j])) {
                    best[j] = v;
                    best_i[j] = r;
                }
            }
        }
        for (int64_t j = 0; j < width; ++j) {
            if (vals) vals[out_off + j] = x[in_off + j + best_i[j] * is];
            idx[out_off + j] = best_i[j];
        }
    };
    for_each_line(lines, line, block);
}

void reduce_arg_kernel(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim,
                       bool is_max) {
    if (indices.numel() == 0) return;
    EMBER_ASSERT(in.dim() == 0 || in.size(dim) > 0, "max/min with indices over an empty dim");
    visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (is_max) arg_reduce_typed<T, true>(values, indices, in, dim);
        else arg_reduce_typed<T, false>(values, indices, in, dim);
    });
}

}  // namespace

void register_cpu_reduce_kernels(Kernels& k) {
    k.reduce = reduce_kernel;
    k.reduce_contiguous = reduce_contiguous_kernel;
    k.reduce_norm = reduce_norm_kernel;
    k.reduce_var = reduce_var_kernel;
    k.reduce_arg = reduce_arg_kernel;
}

}  // namespace ember::detail

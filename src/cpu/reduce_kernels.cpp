// CPU reduction kernel: sum, prod, max, min, all, any over an iterator from
// TensorIterator::reduction (the output has stride 0 along reduced dims).
//
// Each output element is reduced by one thread in a fixed order, and a full reduction is cut
// into fixed-size chunks whose partial results are combined in order, so results never depend
// on the number of threads. Floats accumulate in double.
#include <cmath>
#include <limits>
#include <vector>

#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

template <class T>
using acc_t = std::conditional_t<is_float_v<T>, double, int64_t>;

template <class T>
struct SumOp {
    using Acc = acc_t<T>;
    static Acc init() { return Acc(0); }
    static Acc reduce(Acc a, T x) { return a + static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
    static Acc combine(Acc a, Acc b) { return a + b; }
};

template <class T>
struct ProdOp {
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
};

template <bool IsAll>
struct AllAnyOp {
    using Acc = bool;
    static Acc init() { return IsAll; }
    static Acc reduce(Acc a, bool x) { return IsAll ? (a && x) : (a || x); }
    static Acc combine(Acc a, Acc b) { return reduce(a, b); }
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
template <class T, class Op>
typename Op::Acc reduce_range(const char* base, const DimGroup& red, int64_t begin, int64_t end) {
    using Acc = typename Op::Acc;
    Acc acc = Op::init();
    if (red.shape.empty()) return Op::reduce(acc, *reinterpret_cast<const T*>(base));
    const int64_t n0 = red.shape[0], s0 = red.in_strides[0];
    int64_t i = begin;
    while (i < end) {
        int64_t inner = i % n0;
        int64_t count = std::min(n0 - inner, end - i);
        const char* p = base + red.offset(i).first;
        if (s0 == sizeof(T)) {
            // Contiguous: independent accumulators so the compiler can vectorise.
            const T* x = reinterpret_cast<const T*>(p);
            constexpr int kLanes = 8;
            Acc lanes[kLanes];
            for (int l = 0; l < kLanes; ++l) lanes[l] = Op::init();
            int64_t j = 0;
            for (; j + kLanes <= count; j += kLanes)
                for (int l = 0; l < kLanes; ++l) lanes[l] = Op::reduce(lanes[l], x[j + l]);
            for (; j < count; ++j) lanes[0] = Op::reduce(lanes[0], x[j]);
            for (int l = 0; l < kLanes; ++l) acc = Op::combine(acc, lanes[l]);
        } else {
            for (int64_t j = 0; j < count; ++j)
                acc = Op::reduce(acc, *reinterpret_cast<const T*>(p + j * s0));
        }
        i += count;
    }
    return acc;
}

template <class T, class Op>
void run_reduce(TensorIterator& it) {
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
    auto store = [](char* p, Acc a) { *reinterpret_cast<T*>(p) = static_cast<T>(static_cast<opmath_t<T>>(a)); };

    if (K == 1) {
        // Full reduction: fixed chunks, partials combined in order.
        constexpr int64_t kChunk = 1 << 16;
        int64_t nchunks = (R + kChunk - 1) / kChunk;
        std::vector<Acc> partial(static_cast<size_t>(nchunks), Op::init());
        parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
            for (int64_t c = b; c < e; ++c)
                partial[c] = reduce_range<T, Op>(in, red, c * kChunk, std::min(R, (c + 1) * kChunk));
        });
        Acc acc = Op::init();
        for (Acc p : partial) acc = Op::combine(acc, p);
        store(out, acc);
        return;
    }
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
                for (int64_t j = 0; j < width; ++j) acc[j] = Op::init();
                for (int64_t r = 0; r < R; ++r) {
                    const T* x = reinterpret_cast<const T*>(in + in_off + red.offset(r).first);
                    for (int64_t j = 0; j < width; ++j) acc[j] = Op::reduce(acc[j], x[j]);
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
            store(out + out_off, reduce_range<T, Op>(in + in_off, red, 0, R));
        }
    });
}

void reduce_kernel(TensorIterator& it, ReduceOp op) {
    visit_dtype(it.dtype(1), [&](auto tag) {
        using T = typename decltype(tag)::type;
        switch (op) {
            case ReduceOp::Sum: run_reduce<T, SumOp<T>>(it); return;
            case ReduceOp::Prod: run_reduce<T, ProdOp<T>>(it); return;
            case ReduceOp::Max: run_reduce<T, MinMaxOp<T, true>>(it); return;
            case ReduceOp::Min: run_reduce<T, MinMaxOp<T, false>>(it); return;
            case ReduceOp::All:
            case ReduceOp::Any:
                if constexpr (std::is_same_v<T, bool>) {
                    if (op == ReduceOp::All) run_reduce<T, AllAnyOp<true>>(it);
                    else run_reduce<T, AllAnyOp<false>>(it);
                } else {
                    EMBER_ASSERT(false, "all/any reached the kernel with a non-bool input");
                }
                return;
        }
    });
}

}  // namespace

void register_cpu_reduce_kernels(Kernels& k) { k.reduce = reduce_kernel; }

}  // namespace ember::detail

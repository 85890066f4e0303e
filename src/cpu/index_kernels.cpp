// CPU kernels for indexing: index range checks, gathers and puts through element offsets
// (advanced indexing, index_select, gather, scatter), and nonzero.
#include <algorithm>
#include <cstring>
#include <vector>

#include "cpu/loops.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

// Calls f(element offset) for every element of a geometry in row-major order; stops early
// (returning false) when f returns false.
template <class F>
bool walk_row_major(IntArrayRef sizes, IntArrayRef strides, const F& f) {
    const int64_t nd = static_cast<int64_t>(sizes.size());
    if (prod(sizes) == 0) return true;
    if (nd == 0) return f(int64_t(0));
    DimVector idx(nd, 0);
    const int64_t inner = sizes[nd - 1], inner_stride = strides[nd - 1];
    int64_t base = 0;
    while (true) {
        for (int64_t i = 0; i < inner; ++i)
            if (!f(base + i * inner_stride)) return false;
        int64_t d = nd - 2;
        for (; d >= 0; --d) {
            base += strides[d];
            if (++idx[d] < sizes[d]) break;
            base -= idx[d] * strides[d];
            idx[d] = 0;
        }
        if (d < 0) return true;
    }
}

template <class F>
decltype(auto) visit_index_dtype(DType dtype, const F& f) {
    EMBER_ASSERT(dtype == DType::Int64 || dtype == DType::Int32, "index dtype ", dtype);
    if (dtype == DType::Int32) return f(TypeTag<int32_t>{});
    return f(TypeTag<int64_t>{});
}

// Gathers and plain puts only move bits, so they dispatch on the element size.
template <class F>
decltype(auto) visit_element_size(DType dtype, const F& f) {
    switch (element_size(dtype)) {
        case 1: return f(TypeTag<uint8_t>{});
        case 2: return f(TypeTag<uint16_t>{});
        case 4: return f(TypeTag<uint32_t>{});
        default: return f(TypeTag<uint64_t>{});
    }
}

bool index_in_range(const Tensor& index, int64_t lo, int64_t hi, int64_t* bad,
                    bool* any_negative) {
    return visit_index_dtype(index.dtype(), [&](auto tag) {
        using I = typename decltype(tag)::type;
        const I* data = index.numel() > 0 ? static_cast<const I*>(index.data_ptr()) : nullptr;
        bool negative = false;
        bool ok = walk_row_major(index.sizes(), index.strides(), [&](int64_t off) {
            const int64_t v = data[off];
            if (v < lo || v >= hi) {
                *bad = v;
                return false;
            }
            negative |= v < 0;
            return true;
        });
        *any_negative = negative;
        return ok;
    });
}

void index_gather(TensorIterator& iter, int64_t stride) {
    visit_element_size(iter.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        visit_index_dtype(iter.dtype(2), [&](auto index_tag) {
            using I = typename decltype(index_tag)::type;
            const auto elem = static_cast<int64_t>(sizeof(T));
            const int64_t step = stride * elem;
            iter.for_each([&](char** data, const int64_t* strides, int64_t n) {
                char* out = data[0];
                const char* src = data[1];
                const char* off = data[2];
                // A run of elements under one offset, contiguous on both sides (the rows of
                // index_select along an outer dim, of a batch picked with x[idx]): one copy.
                if (strides[2] == 0 && strides[0] == elem && strides[1] == elem) {
                    const int64_t o = *reinterpret_cast<const I*>(off);
                    std::memcpy(out, src + o * step, static_cast<size_t>(n) * sizeof(T));
                    return;
                }
                for (int64_t i = 0; i < n; ++i) {
                    const int64_t o = *reinterpret_cast<const I*>(off + i * strides[2]);
                    *reinterpret_cast<T*>(out + i * strides[0]) =
                        *reinterpret_cast<const T*>(src + i * strides[1] + o * step);
                }
            });
        });
    });
}

template <class T>
inline T accumulate_value(T dst, T value) {
    if constexpr (std::is_same_v<T, bool>) {
        return dst || value;
    } else {
        return static_cast<T>(static_cast<opmath_t<T>>(dst) + static_cast<opmath_t<T>>(value));
    }
}

void index_put(TensorIterator& iter, int64_t stride, bool accumulate) {
    auto run = [&](auto tag, auto combine) {
        using T = typename decltype(tag)::type;
        visit_index_dtype(iter.dtype(2), [&](auto index_tag) {
            using I = typename decltype(index_tag)::type;
            const int64_t step = stride * static_cast<int64_t>(sizeof(T));
            iter.serial_for_each(
                [&](char** data, const int64_t* strides, int64_t n) {
                    char* dst = data[0];
                    const char* value = data[1];
                    const char* off = data[2];
                    for (int64_t i = 0; i < n; ++i) {
                        const int64_t o = *reinterpret_cast<const I*>(off + i * strides[2]);
                        T* d = reinterpret_cast<T*>(dst + i * strides[0] + o * step);
                        *d = combine(*d, *reinterpret_cast<const T*>(value + i * strides[1]));
                    }
                },
                0, iter.numel());
        });
    };
    if (accumulate) {
        visit_dtype(iter.dtype(0), [&](auto tag) {
            using T = typename decltype(tag)::type;
            run(tag, [](T d, T v) { return accumulate_value(d, v); });
        });
    } else {
        visit_element_size(iter.dtype(0), [&](auto tag) {
            using T = typename decltype(tag)::type;
            run(tag, [](T, T v) { return v; });
        });
    }
}

template <class T>
inline bool is_nonzero(T v) {
    if constexpr (std::is_same_v<T, bool>) return v;
    else return static_cast<opmath_t<T>>(v) != opmath_t<T>(0);  // NaN counts as nonzero
}

Tensor nonzero(const Tensor& self) {
    const Tensor in = self.contiguous();
    const int64_t n = in.numel(), nd = in.dim();
    // Fixed-size chunks (independent of the thread count): count, then write at the offsets
    // given by the running counts.
    constexpr int64_t kChunk = 16384;
    const int64_t nchunks = (n + kChunk - 1) / kChunk;
    std::vector<int64_t> counts(nchunks + 1, 0);
    return visit_dtype(in.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T* data = n > 0 ? static_cast<const T*>(in.data_ptr()) : nullptr;
        parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
            for (int64_t c = b; c < e; ++c) {
                int64_t count = 0;
                for (int64_t i = c * kChunk, end = std::min(n, (c + 1) * kChunk); i < end; ++i)
                    count += is_nonzero(data[i]);
                counts[c + 1] = count;
            }
        });
        for (int64_t c = 0; c < nchunks; ++c) counts[c + 1] += counts[c];
        Tensor out = empty({counts[nchunks], nd}, {.dtype = DType::Int64, .device = in.device()});
        if (counts[nchunks] == 0 || nd == 0) return out;
        int64_t* out_data = out.data_ptr<int64_t>();
        IntArrayRef sizes = in.sizes();
        parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
            DimVector coord(nd, 0);
            for (int64_t c = b; c < e; ++c) {
                const int64_t begin = c * kChunk, end = std::min(n, (c + 1) * kChunk);
                int64_t rem = begin;
                for (int64_t d = nd - 1; d >= 0; --d) {
                    coord[d] = rem % sizes[d];
                    rem /= sizes[d];
                }
                int64_t* row = out_data + counts[c] * nd;
                for (int64_t i = begin; i < end; ++i) {
                    if (is_nonzero(data[i])) {
                        std::copy(coord.begin(), coord.end(), row);
                        row += nd;
                    }
                    for (int64_t d = nd - 1; d >= 0; --d) {
                        if (++coord[d] < sizes[d]) break;
                        coord[d] = 0;
                    }
                }
            }
        });
        return out;
    });
}

}  // namespace

void register_cpu_index_kernels(Kernels& k) {
    k.index_in_range = index_in_range;
    k.index_gather = index_gather;
    k.index_put = index_put;
    k.nonzero = nonzero;
}

}  // namespace ember::detail

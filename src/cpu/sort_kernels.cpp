// CPU kernels for sort and topk, line by line along one dim.
//
// Both reproduce PyTorch's CPU algorithms step for step (std::sort / std::stable_sort for
// sort; partial_sort or nth_element + sort for topk, with the same comparators), so the order
// of equal values, which those algorithms leave unspecified, matches PyTorch's too.
#include <algorithm>
#include <utility>
#include <vector>

#include "cpu/dim_loops.h"
#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

template <class T>
inline bool is_nan(T v) {
    if constexpr (std::is_floating_point_v<T>) return v != v;
    else return false;
}

// PyTorch's comparators: NaN is larger than every number; only values are compared.
template <class T>
struct Less {
    bool operator()(const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) const {
        return (!is_nan(a.first) && is_nan(b.first)) || (a.first < b.first);
    }
};
template <class T>
struct Greater {
    bool operator()(const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) const {
        return (is_nan(a.first) && !is_nan(b.first)) || (a.first > b.first);
    }
};

// Runs line(in_off, out_off) for every line of `lines`, in parallel over lines.
template <class F>
void for_each_line_simple(const DimLines& lines, const F& line) {
    for_each_line(lines, line, [&](int64_t in_off, int64_t out_off, int64_t width) {
        for (int64_t w = 0; w < width; ++w) line(in_off + w, out_off + w);
    });
}

void sort_kernel(const Tensor& values, const Tensor& indices, int64_t dim, bool descending,
                 bool stable) {
    visit_dtype(values.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        using V = opmath_t<T>;  // exact for the 16-bit floats, so the order is unchanged
        using Elem = std::pair<V, int64_t>;
        const DimLines lines = make_dim_lines(values, values, dim);
        const int64_t n = lines.length, step = lines.in_step;
        const int64_t index_step = indices.stride(dim);
        T* vdata = values.data_ptr<T>();
        int64_t* idata = indices.data_ptr<int64_t>();
        EMBER_ASSERT(indices.strides() == values.strides());
        for_each_line_simple(lines, [&](int64_t off, int64_t) {
            thread_local std::vector<Elem> buf;
            buf.resize(n);
            for (int64_t j = 0; j < n; ++j) buf[j] = {static_cast<V>(vdata[off + j * step]), j};
            if (descending) {
                if (stable) std::stable_sort(buf.begin(), buf.end(), Greater<V>());
                else std::sort(buf.begin(), buf.end(), Greater<V>());
            } else {
                if (stable) std::stable_sort(buf.begin(), buf.end(), Less<V>());
                else std::sort(buf.begin(), buf.end(), Less<V>());
            }
            for (int64_t j = 0; j < n; ++j) {
                vdata[off + j * step] = static_cast<T>(buf[j].first);
                idata[off + j * index_step] = buf[j].second;
            }
        });
    });
}

// PyTorch's topk_impl_loop: partial_sort when k is small against the line, otherwise
// nth_element and (if sorted) a sort of the first k - 1.
template <class V, class Cmp>
void select_top(std::vector<std::pair<V, int64_t>>& q, int64_t k, bool sorted, Cmp cmp) {
    const int64_t n = static_cast<int64_t>(q.size());
    if (k * 64 <= n) {
        std::partial_sort(q.begin(), q.begin() + k, q.end(), cmp);
    } else {
        std::nth_element(q.begin(), q.begin() + k - 1, q.end(), cmp);
        if (sorted) std::sort(q.begin(), q.begin() + k - 1, cmp);
    }
}

void topk_kernel(const Tensor& values, const Tensor& indices, const Tensor& self, int64_t k,
                 int64_t dim, bool largest, bool sorted) {
    visit_dtype(self.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        using V = opmath_t<T>;
        using Elem = std::pair<V, int64_t>;
        const DimLines lines = make_dim_lines(values, self, dim);
        const int64_t n = lines.length, in_step = lines.in_step;
        const int64_t out_step = values.stride(dim);
        EMBER_ASSERT(indices.strides() == values.strides());
        const T* in = static_cast<const T*>(self.data_ptr());
        T* vdata = values.data_ptr<T>();
        int64_t* idata = indices.data_ptr<int64_t>();
        for_each_line_simple(lines, [&](int64_t in_off, int64_t out_off) {
            thread_local std::vector<Elem> q;
            q.resize(n);
            for (int64_t j = 0; j < n; ++j) q[j] = {static_cast<V>(in[in_off + j * in_step]), j};
            if (largest) select_top(q, k, sorted, Greater<V>());
            else select_top(q, k, sorted, Less<V>());
            for (int64_t j = 0; j < k; ++j) {
                vdata[out_off + j * out_step] = static_cast<T>(q[j].first);
                idata[out_off + j * out_step] = q[j].second;
            }
        });
    });
}

}  // namespace

void register_cpu_sort_kernels(Kernels& k) {
    k.sort = sort_kernel;
    k.topk = topk_kernel;
}

}  // namespace ember::detail

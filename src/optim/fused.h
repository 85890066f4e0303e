// One pass over a parameter, its gradient and its state buffers: what every optimizer's update
// is built on, so that a step reads and writes each element once (no temporaries per op).
//
//   fused_update("Adam", p, grad, {&exp_avg, &exp_avg_sq},
//                [&](auto* p, const auto* g, auto s, int64_t n) {
//                    using T = std::remove_pointer_t<decltype(p)>;
//                    for (int64_t i = 0; i < n; ++i) ... s[0][i] ... s[1][i] ...
//                });
//
// The body runs on chunks of contiguous elements, several threads for large parameters (each
// element's update depends on that element only, so results never depend on the threads).
// Tensors that are not contiguous are updated through contiguous copies written back after.
#pragma once

#include <algorithm>
#include <array>
#include <vector>
#include <type_traits>

#include "ember/core/parallel.h"
#include "ember/core/tensor.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember::optim::detail {

// Checks that a gradient can update its parameter: same shape, dtype and device; dense unless
// the optimizer says otherwise.
void check_grad(const char* optimizer, const Tensor& param, const Tensor& grad);

// A zero buffer shaped as the parameter (contiguous).
inline Tensor zero_state(const Tensor& param) {
    return zeros(param.sizes(), {.dtype = param.dtype(), .device = param.device()});
}

template <size_t K, class Body>
void fused_update(const char* optimizer, Tensor& param, const Tensor& grad,
                  const std::array<Tensor*, K>& state, const Body& body) {
    check_grad(optimizer, param, grad);
    for (const Tensor* buffer : state)
        EMBER_CHECK(buffer->sizes() == param.sizes() && buffer->dtype() == param.dtype(),
                    optimizer, ": a state buffer (", ember::detail::describe(*buffer),
                    ") does not match its parameter (", ember::detail::describe(param), ")");
    auto dense = [](const Tensor& t) { return t.is_contiguous() ? t : t.contiguous(); };
    Tensor p = dense(param);
    const Tensor g = dense(grad);
    std::array<Tensor, K> s;
    std::transform(state.begin(), state.end(), s.begin(), [&](Tensor* t) { return dense(*t); });

    auto run = [&]<class T>(T*) {
        T* pp = p.template data_ptr<T>();
        const T* gp = g.template data_ptr<T>();
        std::array<T*, K> sp;
        std::transform(s.begin(), s.end(), sp.begin(),
                       [](Tensor& t) { return t.template data_ptr<T>(); });
        parallel_for(0, p.numel(), kGrainSize, [&](int64_t begin, int64_t end) {
            std::array<T*, K> chunk;
            std::transform(sp.begin(), sp.end(), chunk.begin(), [&](T* q) { return q + begin; });
            body(pp + begin, gp + begin, chunk, end - begin);
        });
    };
    if (p.dtype() == DType::Float64) run(static_cast<double*>(nullptr));
    else run(static_cast<float*>(nullptr));

    if (!p.is_same(param)) param.copy_(p);
    for (size_t k = 0; k != K; ++k)
        if (!s[k].is_same(*state[k])) state[k]->copy_(s[k]);
}

// The rows of a sparse gradient: body(p_row, g_row, {state rows}, width) for each row present
// in `grad` after coalescing (so each row once), where a row is the parameter viewed as
// (prod(size[:sparse_dim]), *size[sparse_dim:]). Other rows are not touched.
void check_sparse_grad(const char* optimizer, const Tensor& param, const Tensor& grad);
std::vector<int64_t> sparse_grad_rows(const Tensor& coalesced_grad);

template <size_t K, class Body>
void sparse_update(const char* optimizer, Tensor& param, const Tensor& grad,
                   const std::array<Tensor*, K>& state, const Body& body) {
    check_sparse_grad(optimizer, param, grad);
    for (Tensor* buffer : state)
        if (!buffer->is_contiguous()) *buffer = buffer->contiguous();  // e.g. loaded ones
    const Tensor g = grad.coalesce();
    const std::vector<int64_t> rows = sparse_grad_rows(g);
    const int64_t width = g._nnz() == 0 ? 0 : g._values().numel() / g._nnz();
    const Tensor values = g._values().contiguous();
    Tensor p = param.is_contiguous() ? param : param.contiguous();
    auto run = [&]<class T>(T*) {
        T* pp = p.template data_ptr<T>();
        const T* gp = values.template data_ptr<T>();
        std::array<T*, K> sp;
        std::transform(state.begin(), state.end(), sp.begin(),
                       [](Tensor* t) { return t->template data_ptr<T>(); });
        const auto n = static_cast<int64_t>(rows.size());
        parallel_for(0, n, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(width, 1)),
                     [&](int64_t begin, int64_t end) {
                         for (int64_t k = begin; k < end; ++k) {
                             const int64_t at = rows[k] * width;
                             std::array<T*, K> s;
                             std::transform(sp.begin(), sp.end(), s.begin(),
                                            [&](T* q) { return q + at; });
                             body(pp + at, gp + k * width, s, width);
                         }
                     });
    };
    if (p.dtype() == DType::Float64) run(static_cast<double*>(nullptr));
    else run(static_cast<float*>(nullptr));
    if (!p.is_same(param)) param.copy_(p);
}

}  // namespace ember::optim::detail

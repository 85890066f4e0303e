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

}  // namespace ember::optim::detail

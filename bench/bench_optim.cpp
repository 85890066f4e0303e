// The optimizer workloads of ember_bench_core, ember's side: one Adam step over kAdamNumel
// float32 parameters (one tensor, its gradient set once), and the limit it is held to: a plain
// loop with the same memory traffic (read p, g, m, v; write p, m, v) over preallocated arrays.
#include <omp.h>

#include <ember/ember.h>

#include <vector>

#include "bench_core.h"

namespace bench {

void adam_step(benchmark::State& state, int threads) {
    set_threads(threads);
    ember::manual_seed(0);
    ember::Tensor p = ember::randn({kAdamNumel});
    p.mutable_grad() = ember::randn({kAdamNumel});
    ember::optim::Adam opt({p}, {.lr = 1e-3});
    opt.step();  // the state buffers are created (and paged in) by the first step
    for (auto _ : state) {
        opt.step();
        benchmark::DoNotOptimize(p.data_ptr());
    }
    report_rate(state, "GB/s", kAdamBytes / 1e9);
}

void adam_traffic_loop(benchmark::State& state, int threads) {
    set_threads(threads);
    std::vector<float> p(static_cast<size_t>(kAdamNumel)), g(p.size()), m(p.size()), v(p.size());
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t i = 0; i < kAdamNumel; ++i) {  // first touch by the threads that use it
        p[i] = 1.0f;
        g[i] = 0.5f;
        m[i] = 0.0f;
        v[i] = 0.0f;
    }
    float *pp = p.data(), *mp = m.data(), *vp = v.data();
    const float* gp = g.data();
    for (auto _ : state) {
#pragma omp parallel for simd num_threads(threads) schedule(static)
        for (int64_t i = 0; i < kAdamNumel; ++i) {
            const float gi = gp[i];
            mp[i] = 0.5f * mp[i] + gi;
            vp[i] = 0.5f * vp[i] + gi * gi;
            pp[i] = 0.5f * pp[i] + gi;
        }
        benchmark::DoNotOptimize(pp);
        benchmark::ClobberMemory();
    }
    report_rate(state, "GB/s", kAdamBytes / 1e9);
}

}  // namespace bench

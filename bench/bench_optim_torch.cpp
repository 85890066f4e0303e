// The optimizer workloads of ember_bench_core, LibTorch's side: torch::optim::Adam's step over
// the same kAdamNumel float32 parameters, with the same thread count.
#include <torch/torch.h>

#include "bench_core.h"

namespace bench::libtorch {

void adam_step(benchmark::State& state, int threads) {
    set_threads(threads);
    torch::set_num_threads(threads);
    torch::manual_seed(0);
    torch::Tensor p = torch::randn({kAdamNumel});
    p.mutable_grad() = torch::randn({kAdamNumel});
    torch::optim::Adam opt({p}, torch::optim::AdamOptions(1e-3));
    opt.step();  // the state buffers are created by the first step
    for (auto _ : state) {
        opt.step();
        benchmark::DoNotOptimize(p.data_ptr());
    }
    report_rate(state, "GB/s", kAdamBytes / 1e9);
}

}  // namespace bench::libtorch

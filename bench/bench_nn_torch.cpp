// The nn workloads of ember_bench_core, LibTorch's side (the same layers, shapes and steps as
// bench_nn.cpp).
#include <torch/torch.h>

#include "bench_core.h"

namespace bench::libtorch {

namespace {

template <class M>
void run_layer(benchmark::State& state, int threads, M& m, const torch::Tensor& x, bool backward) {
    set_threads(threads);
    torch::set_num_threads(threads);
    for (auto _ : state) {
        if (backward) {
            torch::Tensor y = m->forward(x);
            y.sum().backward();
            m->zero_grad();
        } else {
            torch::NoGradGuard no_grad;
            torch::Tensor y = m->forward(x);
            benchmark::DoNotOptimize(y.data_ptr());
        }
    }
}

}  // namespace

void run_nn_case(benchmark::State& state, int threads, const NnCase& c) {
    torch::manual_seed(0);
    switch (c.kind) {
        case NnCase::Conv: {
            torch::nn::Conv2d layer(torch::nn::Conv2dOptions(c.in_channels, c.out_channels, 5));
            torch::Tensor x = torch::randn({64, c.in_channels, c.size, c.size});
            return run_layer(state, threads, layer, x, c.backward);
        }
        case NnCase::MaxPool: {
            torch::nn::MaxPool2d layer(torch::nn::MaxPool2dOptions(2));
            torch::Tensor x = torch::randn({64, c.in_channels, c.size, c.size});
            return run_layer(state, threads, layer, x, false);
        }
        case NnCase::Linear: {
            torch::nn::Linear layer(750, 10);
            torch::Tensor x = torch::randn({64, 750});
            return run_layer(state, threads, layer, x, true);
        }
        case NnCase::CrossEntropy: {
            set_threads(threads);
            torch::set_num_threads(threads);
            torch::Tensor logits = torch::randn({64, 10}).requires_grad_();
            torch::Tensor labels = torch::randint(0, 10, {64});
            for (auto _ : state) {
                torch::Tensor loss = torch::nn::functional::cross_entropy(logits, labels);
                loss.backward();
                logits.mutable_grad() = torch::Tensor();
            }
            return;
        }
    }
}

}  // namespace bench::libtorch

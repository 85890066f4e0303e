// The nn workloads of ember_bench_core: the seed CNN's layers at batch 64 (its two convolutions
// forward and forward+backward, max pooling, the final Linear, cross entropy), ember's side.
#include <ember/ember.h>

#include "bench_core.h"

namespace bench {

namespace {

namespace nn = ember::nn;

// x through module m, forward only (no graph) or forward and backward of the sum.
template <class M>
void run_layer(benchmark::State& state, int threads, M& m, const ember::Tensor& x, bool backward) {
    set_threads(threads);
    for (auto _ : state) {
        if (backward) {
            ember::Tensor y = m(x);
            y.sum().backward();
            m.zero_grad();
        } else {
            ember::NoGradGuard no_grad;
            ember::Tensor y = m(x);
            benchmark::DoNotOptimize(y.data_ptr());
        }
    }
}

void conv(benchmark::State& state, int threads, const NnCase& c) {
    ember::manual_seed(0);
    nn::Conv2d layer(c.in_channels, c.out_channels, 5);
    ember::Tensor x = ember::randn({64, c.in_channels, c.size, c.size});
    run_layer(state, threads, layer, x, c.backward);
}

void max_pool(benchmark::State& state, int threads, const NnCase& c) {
    nn::MaxPool2d layer(2);
    ember::Tensor x = ember::randn({64, c.in_channels, c.size, c.size});
    run_layer(state, threads, layer, x, false);
}

void linear(benchmark::State& state, int threads, const NnCase& c) {
    ember::manual_seed(0);
    nn::Linear layer(750, 10);
    ember::Tensor x = ember::randn({64, 750});
    run_layer(state, threads, layer, x, true);
}

void cross_entropy(benchmark::State& state, int threads, const NnCase&) {
    set_threads(threads);
    ember::Tensor logits = ember::randn({64, 10}).requires_grad_();
    ember::Tensor labels = ember::randint(0, 10, {64});
    for (auto _ : state) {
        ember::Tensor loss = nn::functional::cross_entropy(logits, labels);
        loss.backward();
        logits.mutable_grad() = ember::Tensor();
    }
}

}  // namespace

void run_nn_case(benchmark::State& state, int threads, const NnCase& c) {
    switch (c.kind) {
        case NnCase::Conv: return conv(state, threads, c);
        case NnCase::MaxPool: return max_pool(state, threads, c);
        case NnCase::Linear: return linear(state, threads, c);
        case NnCase::CrossEntropy: return cross_entropy(state, threads, c);
    }
}

}  // namespace bench

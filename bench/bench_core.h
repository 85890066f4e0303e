// Shared by the two halves of ember_bench_core: the sizes of the cases, the thread setting both
// sides use, and the LibTorch cases (bench_core_torch.cpp, built when CMake finds LibTorch).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

namespace bench {

// 16M float32 elements: 64 MiB per tensor, far beyond the caches.
inline constexpr int64_t kLargeNumel = int64_t(16) << 20;
inline constexpr double kLargeBytes = double(kLargeNumel) * sizeof(float);
// Ops in the autograd chain (autograd_chain100).
inline constexpr int kChainOps = 100;

// Sets ember's threads, OpenMP's and OpenBLAS's to `threads` (LibTorch's side adds its own).
void set_threads(int threads);

// Throughput counters: `amount` units of work per iteration, reported per second.
inline void report_rate(benchmark::State& state, const char* name, double amount) {
    state.counters[name] =
        benchmark::Counter(amount, benchmark::Counter::kIsIterationInvariantRate);
}

// One nn workload (bench_nn.cpp, bench_nn_torch.cpp): the seed CNN's layers at batch 64.
struct NnCase {
    enum Kind { Conv, MaxPool, Linear, CrossEntropy } kind;
    int64_t in_channels = 0, out_channels = 0, size = 0;  // input (64, in_channels, size, size)
    bool backward = false;                                 // forward and backward of the sum
};
void run_nn_case(benchmark::State& state, int threads, const NnCase& c);

// The optimizer workload (bench_optim.cpp, bench_optim_torch.cpp): one Adam step over 10M
// float32 parameters; its traffic counts p and g read, p, m, v read and written (7 x 4 bytes
// per element). adam_traffic_loop: a plain loop with that traffic, the limit.
inline constexpr int64_t kAdamNumel = 10'000'000;
inline constexpr double kAdamBytes = 7.0 * sizeof(float) * double(kAdamNumel);
void adam_step(benchmark::State& state, int threads);
// The DataLoader workload (bench_data.cpp): an epoch of 60,000 normalised 28x28 samples, batch
// 64, with `workers` worker threads.
void dataloader_epoch(benchmark::State& state, int workers);
void adam_traffic_loop(benchmark::State& state, int threads);
// The vision workloads (bench_vision.cpp, bench_vision_torch.cpp) over Debian's Fashion-MNIST:
// decoding the training set (ember from the decompressed files or the .gz archives), and an
// epoch of ToTensor + Normalize at batch 64 with `workers` worker threads.
std::string decompressed_fashion_mnist();  // the folder of the decompressed IDX files
void fashion_mnist_decode(benchmark::State& state, bool gzipped);
void fashion_mnist_epoch(benchmark::State& state, int workers);
// The TensorBoard workload (bench_tensorboard.cpp): 10,000 add_scalar calls per iteration.
void tensorboard_add_scalar(benchmark::State& state, bool tensor_value, bool time_flush);

#ifdef EMBER_BENCH_WITH_TORCH
namespace libtorch {
void adam_step(benchmark::State& state, int threads);
void run_nn_case(benchmark::State& state, int threads, const NnCase& c);
std::string version();
void add_one_element(benchmark::State& state, int threads);
void autograd_chain(benchmark::State& state, int threads);
void add_large(benchmark::State& state, int threads);
void add_large_inplace(benchmark::State& state, int threads);
void sum_large(benchmark::State& state, int threads);
void mm(benchmark::State& state, int threads, int64_t n);
void mnist_decode(benchmark::State& state);
void mnist_epoch(benchmark::State& state, int workers);
}  // namespace libtorch
#endif

}  // namespace bench

// The LibTorch half of ember_bench_core: the same workloads as bench_core.cpp's ember cases,
// written as a LibTorch user would (plain tensors; autograd only in the autograd chain), with
// the same thread count.
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "bench_core.h"

namespace bench::libtorch {

namespace {

void set_all_threads(int threads) {
    set_threads(threads);  // OpenMP's and OpenBLAS's count (LibTorch's BLAS is OpenBLAS too)
    torch::set_num_threads(threads);
}

}  // namespace

std::string version() { return TORCH_VERSION; }

void add_one_element(benchmark::State& state, int threads) {
    set_all_threads(threads);
    torch::Tensor a = torch::ones({1}), b = torch::ones({1}), c;
    for (auto _ : state) {
        c = a + b;
        benchmark::DoNotOptimize(c.data_ptr());
    }
}

void autograd_chain(benchmark::State& state, int threads) {
    set_all_threads(threads);
    torch::Tensor x = torch::ones({1}).requires_grad_();
    torch::Tensor a = torch::full({1}, 0.999), b = torch::full({1}, 0.001);
    for (auto _ : state) {
        torch::Tensor y = x;
        for (int i = 0; i < kChainOps; ++i) y = i % 2 == 0 ? y * a : y + b;
        y.backward();
        benchmark::DoNotOptimize(x.grad().data_ptr());
    }
}

void add_large(benchmark::State& state, int threads) {
    set_all_threads(threads);
    torch::Tensor a = torch::rand({kLargeNumel}), b = torch::rand({kLargeNumel}), c;
    for (auto _ : state) {
        c = torch::Tensor();
        c = a + b;
        benchmark::DoNotOptimize(c.data_ptr());
    }
    report_rate(state, "GB/s", 3 * kLargeBytes / 1e9);
}

void add_large_inplace(benchmark::State& state, int threads) {
    set_all_threads(threads);
    torch::Tensor a = torch::rand({kLargeNumel}), b = torch::rand({kLargeNumel});
    for (auto _ : state) {
        a.add_(b);
        benchmark::DoNotOptimize(a.data_ptr());
    }
    report_rate(state, "GB/s", 3 * kLargeBytes / 1e9);
}

void sum_large(benchmark::State& state, int threads) {
    set_all_threads(threads);
    torch::Tensor a = torch::rand({kLargeNumel});
    for (auto _ : state) {
        torch::Tensor s = a.sum();
        benchmark::DoNotOptimize(s.data_ptr());
    }
    report_rate(state, "GB/s", kLargeBytes / 1e9);
}

void mm(benchmark::State& state, int threads, int64_t n) {
    set_all_threads(threads);
    torch::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
    for (auto _ : state) {
        torch::Tensor c = torch::mm(a, b);
        benchmark::DoNotOptimize(c.data_ptr());
    }
    report_rate(state, "GFLOP/s", 2.0 * double(n) * double(n) * double(n) / 1e9);
}

}  // namespace bench::libtorch

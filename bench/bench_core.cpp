// ember_bench_core: per-op overhead (c = a + b on one-element tensors), autograd overhead (a
// chain of 100 one-element ops, forward and backward), the seed CNN's layers (bench_nn.cpp),
// memory-bound ops on 16M floats (add, in-place add, sum), sgemm through ember::mm and straight
// through cblas_sgemm, an Adam step over 10M parameters (bench_optim.cpp), and the machine's
// memory bandwidth (plain C++ copy, triad and read loops on the same sizes, and a loop with the
// Adam step's traffic). The LibTorch cases (bench_core_torch.cpp, bench_nn_torch.cpp,
// bench_optim_torch.cpp) are registered next to ember's, so that one run measures both under
// the same conditions; every case runs with 1 and with 2 threads, the same count on both sides.
// bench/compare.py runs this binary and prints the ratios.
#include <cblas.h>
#include <omp.h>

#include <ember/ember.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench_core.h"

namespace bench {

void set_threads(int threads) {
    ember::set_num_threads(threads);  // also OpenMP's count, which OpenBLAS's OpenMP build follows
    omp_set_num_threads(threads);
#ifdef OPENBLAS_VERSION
    openblas_set_num_threads(threads);
#endif
}

namespace {

// Values in [-1, 1) from a linear congruential generator (what they are does not matter here,
// only that they are ordinary normal floats).
void fill(float* p, int64_t n, uint64_t seed) {
    uint64_t s = seed * 6364136223846793005ULL + 1;
    for (int64_t i = 0; i < n; ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        p[i] = static_cast<float>(static_cast<double>(s >> 40) / double(1 << 23) - 1.0);
    }
}

ember::Tensor filled(ember::IntArrayRef shape, uint64_t seed) {
    ember::Tensor t = ember::empty(shape);
    fill(t.data_ptr<float>(), t.numel(), seed);
    return t;
}

// ---- ember ----------------------------------------------------------------------------------

void ember_add_one_element(benchmark::State& state, int threads) {
    set_threads(threads);
    ember::Tensor a = ember::ones({1}), b = ember::ones({1}), c;
    for (auto _ : state) {
        c = a + b;  // the previous c is released here, as in a loop of `c = a + b`
        benchmark::DoNotOptimize(c.data_ptr());
    }
}

// Autograd overhead: forward and backward of a chain of kChainOps elementwise ops (alternately
// y * a and y + b) on one-element tensors, x requiring grad. Time is per whole chain.
void ember_autograd_chain(benchmark::State& state, int threads) {
    set_threads(threads);
    ember::Tensor x = ember::ones({1}).requires_grad_();
    ember::Tensor a = ember::full({1}, 0.999), b = ember::full({1}, 0.001);
    for (auto _ : state) {
        ember::Tensor y = x;
        for (int i = 0; i < kChainOps; ++i) y = i % 2 == 0 ? y * a : y + b;
        y.backward();
        benchmark::DoNotOptimize(x.grad().data_ptr());
    }
}

void ember_add_large(benchmark::State& state, int threads) {
    set_threads(threads);
    ember::Tensor a = filled({kLargeNumel}, 1), b = filled({kLargeNumel}, 2), c;
    for (auto _ : state) {
        c = ember::Tensor();  // release the previous result first, as LibTorch's case does
        c = a + b;
        benchmark::DoNotOptimize(c.data_ptr());
    }
    report_rate(state, "GB/s", 3 * kLargeBytes / 1e9);
}

void ember_add_large_inplace(benchmark::State& state, int threads) {
    set_threads(threads);
    ember::Tensor a = filled({kLargeNumel}, 1), b = filled({kLargeNumel}, 2);
    for (auto _ : state) {
        a.add_(b);
        benchmark::DoNotOptimize(a.data_ptr());
    }
    report_rate(state, "GB/s", 3 * kLargeBytes / 1e9);
}

void ember_sum_large(benchmark::State& state, int threads) {
    set_threads(threads);
    ember::Tensor a = filled({kLargeNumel}, 3);
    for (auto _ : state) {
        ember::Tensor s = a.sum();
        benchmark::DoNotOptimize(s.data_ptr());
    }
    report_rate(state, "GB/s", kLargeBytes / 1e9);
}

void ember_mm(benchmark::State& state, int threads, int64_t n) {
    set_threads(threads);
    ember::Tensor a = filled({n, n}, 4), b = filled({n, n}, 5);
    for (auto _ : state) {
        ember::Tensor c = ember::mm(a, b);  // a new result each call, as torch::mm
        benchmark::DoNotOptimize(c.data_ptr());
    }
    report_rate(state, "GFLOP/s", 2.0 * double(n) * double(n) * double(n) / 1e9);
}

// ---- the limits: BLAS itself and the memory bandwidth ---------------------------------------

void cblas_mm(benchmark::State& state, int threads, int64_t n) {
    set_threads(threads);  // OpenBLAS threads itself inside the call
    std::vector<float> a(static_cast<size_t>(n * n)), b(a.size()), c(a.size());
    fill(a.data(), n * n, 4);
    fill(b.data(), n * n, 5);
    const int ni = static_cast<int>(n);
    for (auto _ : state) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0f, a.data(), ni,
                    b.data(), ni, 0.0f, c.data(), ni);
        benchmark::DoNotOptimize(c.data());
    }
    report_rate(state, "GFLOP/s", 2.0 * double(n) * double(n) * double(n) / 1e9);
}

// Plain loops over preallocated arrays, split over `threads` OpenMP threads: what the memory
// system gives a simple vectorised kernel (no allocation, no dispatch).
struct Arrays {
    std::vector<float> a, b, c;
    explicit Arrays(int threads)
        : a(static_cast<size_t>(kLargeNumel)), b(a.size()), c(a.size()) {
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t i = 0; i < kLargeNumel; ++i) {  // first touch by the threads that use it
            a[i] = 1.0f;
            b[i] = 2.0f;
            c[i] = 0.5f;
        }
    }
};

void baseline_copy(benchmark::State& state, int threads) {
    set_threads(threads);
    Arrays x(threads);
    float* dst = x.a.data();
    const float* src = x.b.data();
    for (auto _ : state) {
#pragma omp parallel for simd num_threads(threads) schedule(static)
        for (int64_t i = 0; i < kLargeNumel; ++i) dst[i] = src[i];
        benchmark::DoNotOptimize(dst);
        benchmark::ClobberMemory();
    }
    report_rate(state, "GB/s", 2 * kLargeBytes / 1e9);
}

void baseline_triad(benchmark::State& state, int threads) {
    set_threads(threads);
    Arrays x(threads);
    float* dst = x.a.data();
    const float* b = x.b.data();
    const float* c = x.c.data();
    for (auto _ : state) {
#pragma omp parallel for simd num_threads(threads) schedule(static)
        for (int64_t i = 0; i < kLargeNumel; ++i) dst[i] = b[i] + 3.0f * c[i];
        benchmark::DoNotOptimize(dst);
        benchmark::ClobberMemory();
    }
    report_rate(state, "GB/s", 3 * kLargeBytes / 1e9);
}

void baseline_read(benchmark::State& state, int threads) {
    set_threads(threads);
    Arrays x(threads);
    const float* src = x.b.data();
    for (auto _ : state) {
        float total = 0;
#pragma omp parallel for simd num_threads(threads) schedule(static) reduction(+ : total)
        for (int64_t i = 0; i < kLargeNumel; ++i) total += src[i];
        benchmark::DoNotOptimize(total);
    }
    report_rate(state, "GB/s", kLargeBytes / 1e9);
}

template <class F, class... Args>
void add(const std::string& name, F f, Args... args) {
    benchmark::RegisterBenchmark(name.c_str(), f, args...)->UseRealTime();
}

// Cases grouped by workload, ember next to LibTorch and the limits, names
// "<workload>/<implementation>/threads:<n>" (bench/compare.py relies on that form).
void register_all() {
    // Kernels inside DataLoader workers run on one thread: the dimension is the worker count.
    for (int w : {0, 1, 2})
        add("dataloader_60k_w" + std::to_string(w) + "/ember/threads:1", dataloader_epoch, w);
    // Fashion-MNIST: the decode runs on one thread on both sides; epochs by worker count.
    add("fmnist_decode/ember/threads:1", fashion_mnist_decode, false);
    add("fmnist_decode_gz/ember/threads:1", fashion_mnist_decode, true);
#ifdef EMBER_BENCH_WITH_TORCH
    add("fmnist_decode/libtorch/threads:1", libtorch::mnist_decode);
#endif
    add("tb_add_scalar_number/ember/threads:1", tensorboard_add_scalar, false, false);
    add("tb_add_scalar_tensor/ember/threads:1", tensorboard_add_scalar, true, false);
    add("tb_sustained/ember/threads:1", tensorboard_add_scalar, false, true);
    for (int w : {0, 2}) {
        const std::string name = "fmnist_epoch_w" + std::to_string(w);
        add(name + "/ember/threads:1", fashion_mnist_epoch, w);
#ifdef EMBER_BENCH_WITH_TORCH
        add(name + "/libtorch/threads:1", libtorch::mnist_epoch, w);
#endif
    }
    for (int t : {1, 2}) {
        const std::string th = "/threads:" + std::to_string(t);
        add("add_1elem/ember" + th, ember_add_one_element, t);
#ifdef EMBER_BENCH_WITH_TORCH
        add("add_1elem/libtorch" + th, libtorch::add_one_element, t);
#endif
        add("autograd_chain100/ember" + th, ember_autograd_chain, t);
#ifdef EMBER_BENCH_WITH_TORCH
        add("autograd_chain100/libtorch" + th, libtorch::autograd_chain, t);
#endif
        add("add_16M/ember" + th, ember_add_large, t);
#ifdef EMBER_BENCH_WITH_TORCH
        add("add_16M/libtorch" + th, libtorch::add_large, t);
#endif
        add("add_16M/triad_loop" + th, baseline_triad, t);
        add("add_16M_inplace/ember" + th, ember_add_large_inplace, t);
#ifdef EMBER_BENCH_WITH_TORCH
        add("add_16M_inplace/libtorch" + th, libtorch::add_large_inplace, t);
#endif
        add("add_16M_inplace/triad_loop" + th, baseline_triad, t);
        add("sum_16M/ember" + th, ember_sum_large, t);
#ifdef EMBER_BENCH_WITH_TORCH
        add("sum_16M/libtorch" + th, libtorch::sum_large, t);
#endif
        add("sum_16M/read_loop" + th, baseline_read, t);
        add("copy_16M/copy_loop" + th, baseline_copy, t);
        add("adam_10M/ember" + th, adam_step, t);
#ifdef EMBER_BENCH_WITH_TORCH
        add("adam_10M/libtorch" + th, libtorch::adam_step, t);
#endif
        add("adam_10M/traffic_loop" + th, adam_traffic_loop, t);
        const std::pair<const char*, NnCase> nn_cases[] = {
            {"conv1_fwd", {NnCase::Conv, 3, 64, 32, false}},
            {"conv1_fwdbwd", {NnCase::Conv, 3, 64, 32, true}},
            {"conv2_fwd", {NnCase::Conv, 64, 30, 14, false}},
            {"conv2_fwdbwd", {NnCase::Conv, 64, 30, 14, true}},
            {"maxpool_28", {NnCase::MaxPool, 64, 0, 28, false}},
            {"linear_fwdbwd", {NnCase::Linear}},
            {"cross_entropy", {NnCase::CrossEntropy}},
        };
        for (const auto& [name, c] : nn_cases) {
            add(std::string(name) + "/ember" + th, run_nn_case, t, c);
#ifdef EMBER_BENCH_WITH_TORCH
            add(std::string(name) + "/libtorch" + th, libtorch::run_nn_case, t, c);
#endif
        }
        for (int64_t n : {256, 1024, 2048}) {
            const std::string w = "mm_N" + std::to_string(n);
            add(w + "/ember" + th, ember_mm, t, n);
#ifdef EMBER_BENCH_WITH_TORCH
            add(w + "/libtorch" + th, libtorch::mm, t, n);
#endif
            add(w + "/cblas_sgemm" + th, cblas_mm, t, n);
        }
    }
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
#ifdef EMBER_BENCH_WITH_TORCH
    benchmark::AddCustomContext("libtorch", bench::libtorch::version());
#else
    benchmark::AddCustomContext("libtorch", "not found at configure time: ember cases only");
#endif
#ifdef OPENBLAS_VERSION
    benchmark::AddCustomContext("openblas", openblas_get_config());
#endif
    bench::register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

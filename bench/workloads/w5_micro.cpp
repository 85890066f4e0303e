// W5 micro-benchmarks, ember's side (bench/README.md, "Workloads"; w5_micro_torch.cpp is
// LibTorch's, call for call):
//   (a) c = a + b on 1-element fp32 tensors, without and with a.requires_grad: 1 warm-up + 3
//       timed loops of 10^6 iterations (10^4 with --quick), us/op;
//   (b) c = mm(a, b), a, b = randn([N,N]), N = 256, 1024, 2048: 3 warm-up calls, 9 samples of
//       k = max(1, 10^10 / (2 N^3)) calls each, GFLOP/s = 2 N^3 / time per call;
//   (c) Conv2d(64,30,5) on randn([64,64,14,14]) (requires_grad): forward under NoGradGuard,
//       forward in grad mode, forward + y.backward(gy) with a fixed gy, grads reset to undefined
//       between calls (untimed): 5 warm-up + 30 timed calls, ms;
//   (d) cross_entropy(randn([4096,1000]) requiring grad, randint(0,1000,[4096])): forward, and
//       forward + backward with the grad reset between calls: 5 warm-up + 30 timed, ms.
// --quick cuts every count; --reps is not used (the counts are the guide's).
#include <ember/ember.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "report.h"

using namespace ember;

namespace {

constexpr const char* kWorkload = "W5 micro";

struct Counts {
    int64_t add_iterations;  // (a) per loop
    int add_loops;           // (a) timed loops
    int mm_warmup, mm_samples;
    int64_t mm_calls_divisor;  // (b) k is divided by this (1 unless --quick)
    int warmup, timed;         // (c) and (d)
};

void add_overhead(const Counts& counts, bool requires_grad, const std::string& metric) {
    Tensor a = ones({1});
    const Tensor b = ones({1});
    if (requires_grad) a.requires_grad_();
    Tensor c;
    auto loop = [&] {
        for (int64_t i = 0; i < counts.add_iterations; ++i) c = a + b;
    };
    loop();  // warm-up
    std::vector<double> us_per_op;
    for (int i = 0; i < counts.add_loops; ++i) {
        us_per_op.push_back(bench::time_it(loop, "us") / static_cast<double>(counts.add_iterations));
    }
    bench::emit(kWorkload, metric, "us/op", us_per_op);
}

void matmul(const Counts& counts, int64_t n) {
    manual_seed(0);
    const Tensor a = randn({n, n});
    const Tensor b = randn({n, n});
    const double flop = 2.0 * n * n * n;
    const int64_t k =
        std::max<int64_t>(1, static_cast<int64_t>(1e10 / flop) / counts.mm_calls_divisor);
    Tensor c;
    for (int i = 0; i < counts.mm_warmup; ++i) c = mm(a, b);
    std::vector<double> gflops;
    for (int s = 0; s < counts.mm_samples; ++s) {
        const double seconds = bench::time_it(
            [&] {
                for (int64_t i = 0; i < k; ++i) c = mm(a, b);
            },
            "s");
        gflops.push_back(flop / (seconds / static_cast<double>(k)) / 1e9);
    }
    const std::string size = "N=" + std::to_string(n);
    bench::emit(kWorkload, "(b) mm fp32 " + size, "GFLOP/s", gflops, "higher");
    bench::emit_check(kWorkload, "(b) mm " + size + ": sum of c", c.sum().item<double>());
}

// Times `call` counts.timed times after counts.warmup untimed calls; `reset` runs untimed after
// every call.
template <class Call, class Reset>
std::vector<double> time_calls(const Counts& counts, Call&& call, Reset&& reset) {
    for (int i = 0; i < counts.warmup; ++i) {
        call();
        reset();
    }
    std::vector<double> ms;
    for (int i = 0; i < counts.timed; ++i) {
        ms.push_back(bench::time_it(call, "ms"));
        reset();
    }
    return ms;
}

void drop_grads(const std::vector<Tensor>& tensors) {
    for (Tensor t : tensors) t.mutable_grad() = Tensor();
}

void convolution(const Counts& counts) {
    manual_seed(0);
    nn::Conv2d conv(64, 30, 5);
    Tensor x = randn({64, 64, 14, 14});
    x.requires_grad_();
    const Tensor gy = randn({64, 30, 10, 10});
    std::vector<Tensor> leaves = conv.parameters();
    leaves.push_back(x);
    Tensor y;
    auto nothing = [] {};

    std::vector<double> no_grad_ms = time_calls(
        counts,
        [&] {
            NoGradGuard no_grad;
            y = conv(x);
        },
        nothing);
    bench::emit(kWorkload, "(c) Conv2d(64,30,5) fwd, no_grad, in [64,64,14,14]", "ms", no_grad_ms);
    bench::emit_check(kWorkload, "(c) conv: sum of y", y.sum().item<double>());

    bench::emit(kWorkload, "(c) Conv2d(64,30,5) fwd, grad mode", "ms",
                time_calls(counts, [&] { y = conv(x); }, nothing));

    std::vector<double> backward_ms = time_calls(
        counts,
        [&] {
            y = conv(x);
            y.backward(gy);
        },
        [&] { drop_grads(leaves); });
    bench::emit(kWorkload, "(c) Conv2d(64,30,5) fwd+bwd", "ms", backward_ms);
    y = conv(x);  // one more, untimed, to read the gradients it leaves
    y.backward(gy);
    bench::emit_check(kWorkload, "(c) conv: sum of x.grad", x.grad().sum().item<double>());
    bench::emit_check(kWorkload, "(c) conv: sum of weight.grad",
                      conv.weight.grad().sum().item<double>());
}

void cross_entropy_loss(const Counts& counts) {
    manual_seed(0);
    Tensor logits = randn({4096, 1000});
    logits.requires_grad_();
    const Tensor target = randint(0, 1000, {4096});
    Tensor loss;
    auto forward = [&] { loss = nn::functional::cross_entropy(logits, target); };

    bench::emit(kWorkload, "(d) cross_entropy fwd, [4096,1000]", "ms",
                time_calls(counts, forward, [] {}));
    bench::emit_check(kWorkload, "(d) cross_entropy: loss", loss.item<double>());

    std::vector<double> backward_ms = time_calls(
        counts,
        [&] {
            forward();
            loss.backward();
        },
        [&] { drop_grads({logits}); });
    bench::emit(kWorkload, "(d) cross_entropy fwd+bwd, [4096,1000]", "ms", backward_ms);
    forward();  // one more, untimed, to read the gradient it leaves
    loss.backward();
    bench::emit_check(kWorkload, "(d) cross_entropy: sum of abs(logits.grad)",
                      abs(logits.grad()).sum().item<double>());
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Args args = bench::parse_args(argc, argv);
    set_num_threads(args.threads);
    const Counts counts = args.quick ? Counts{10'000, 3, 1, 3, 20, 1, 3}
                                     : Counts{1'000'000, 3, 3, 9, 1, 5, 30};
    add_overhead(counts, false, "(a) c = a + b, 1 element, no autograd");
    add_overhead(counts, true, "(a) c = a + b, 1 element, a.requires_grad");
    for (int64_t n : {256, 1024, 2048}) matmul(counts, n);
    convolution(counts);
    cross_entropy_loss(counts);
    bench::emit_peak_rss();
    return 0;
}

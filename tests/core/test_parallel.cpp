// Results must not depend on the number of threads (DESIGN decisions 6 and 7).
#include "support/golden.h"

using namespace ember;

namespace {
struct ThreadCount {
    explicit ThreadCount(int n) : saved(get_num_threads()) { set_num_threads(n); }
    ~ThreadCount() { set_num_threads(saved); }
    int saved;
};

Tensor big_values(int64_t n) {
    // Deterministic, non-trivial values without the random generator.
    Tensor i = arange(n, {.dtype = float64});
    return (sin(i * 0.37) * 1000 + cos(i * 0.011)).to(float32);
}
}  // namespace

TEST(Parallel, ElementwiseAndReductionsAreThreadCountIndependent) {
    Tensor x = big_values(3 * 1000 * 1000 + 17);
    Tensor m = x.narrow(0, 0, 2000 * 1500).view({2000, 1500});
    std::vector<Tensor> one, two;
    for (int threads : {1, 2}) {
        ThreadCount guard(threads);
        std::vector<Tensor>& out = threads == 1 ? one : two;
        out.push_back(x * 3 + 1);
        out.push_back(exp(x / 1000));
        out.push_back(x.sum());
        out.push_back(m.sum({0}));
        out.push_back(m.sum({1}));
        out.push_back(m.t().sum({0}));
        out.push_back(m.amax({0}));
        out.push_back(m.mean());
        out.push_back(m.to(float64).prod(1));
    }
    for (size_t i = 0; i < one.size(); ++i) EXPECT_TENSOR_EQ(two[i], one[i]) << "result " << i;
}

TEST(Parallel, ExceptionsInsideWorkersReachTheCaller) {
    ThreadCount guard(2);
    Tensor a = arange(int64_t(1) << 20);
    Tensor b = zeros({int64_t(1) << 20}, {.dtype = int64});
    EXPECT_EMBER_ERROR(floor_divide(a, b), "ZeroDivisionError");
    EXPECT_EMBER_ERROR(set_num_threads(0), "set_num_threads", "positive");
}

TEST(Parallel, LargeSumIsAccurate) {
    // float32 values accumulated in double: exact for this integer-valued sum.
    Tensor x = ones({int64_t(1) << 24});
    EXPECT_EQ(x.sum().item<double>(), double(int64_t(1) << 24));
}

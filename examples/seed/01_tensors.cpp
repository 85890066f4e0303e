// Seed row 1: a tensor from nested lists, the dtype PyTorch infers from the values, a few
// factories (zeros, ones, arange, randn after manual_seed) and ops, printed as PyTorch prints.
//
//   build/release/examples/seed_01_tensors
//
// The output equals tools/golden/seed/01_tensors.py's under PyTorch (CTest: Seed.01_tensors).
#include <ember/ember.h>

#include <iostream>

using ember::Tensor;

int main() {
    // torch.manual_seed(0)
    ember::manual_seed(0);

    // x = torch.tensor([[1., -1.], [1., -1.]]); print(x)
    Tensor x = ember::tensor({{1., -1.}, {1., -1.}});
    std::cout << x << "\n";
    std::cout << "shape " << x.shape() << " dtype " << x.dtype() << "\n";

    // The dtype comes from the values, as in Python: a float anywhere makes float32,
    // integers alone make int64, True/False make bool.
    std::cout << "1. -> " << ember::tensor({1., 2.}).dtype() << "\n";
    std::cout << "1 -> " << ember::tensor({1, 2}).dtype() << "\n";
    std::cout << "True -> " << ember::tensor({true, false}).dtype() << "\n";
    std::cout << "1 and 2. -> " << ember::tensor({1, 2.}).dtype() << "\n";

    // torch.zeros(2, 3); torch.ones(2, 2, dtype=torch.int64)
    std::cout << ember::zeros({2, 3}) << "\n";
    std::cout << ember::ones({2, 2}, {.dtype = ember::int64}) << "\n";
    // torch.arange(5); torch.arange(0, 1, 0.25)
    std::cout << ember::arange(5) << "\n";
    std::cout << ember::arange(0, 1, 0.25) << "\n";
    // r = torch.randn(2, 3): the same numbers as PyTorch for the same seed
    Tensor r = ember::randn({2, 3});
    std::cout << r << "\n";

    // x + 1; x * x; x.t() @ x
    std::cout << x + 1 << "\n";
    std::cout << x * x << "\n";
    std::cout << x.t().matmul(x) << "\n";
    // r.sum(), r.mean(dim=1)
    std::cout << r.sum() << " " << r.mean({1}) << "\n";
    // torch.tensor([1, 2]) / 2: true division makes integers float
    std::cout << ember::tensor({1, 2}) / 2 << "\n";
    return 0;
}

// Seed row 5: however many dimensions a tensor has, memory holds it as a one-dimensional array,
// the storage. The storage offset is where the tensor's first element sits in it; the stride
// says, per dimension, how many storage elements to skip to reach the next element. A matrix
// and its transpose share one storage and differ only in strides; a slice starts at an offset.
//
//   build/release/examples/seed_05_storage_stride
//
// The output equals tools/golden/seed/05_storage_stride.py's under PyTorch
// (CTest: Seed.05_storage_stride).
#include <ember/ember.h>

#include <iostream>
#include <string>

using ember::None;
using ember::Slice;
using ember::Tensor;

// The whole storage behind `t` in memory order, whatever part of it `t` views
// (Python: torch.tensor(t.storage().tolist())).
Tensor storage_of(const Tensor& t) {
    const int64_t elements = static_cast<int64_t>(t.storage()->nbytes()) / t.element_size();
    return t.as_strided({elements}, {1}, 0);
}

void describe(const std::string& name, const Tensor& t) {
    std::cout << name << " storage " << storage_of(t) << " offset " << t.storage_offset()
              << " stride " << t.strides() << " contiguous " << t.is_contiguous() << "\n";
}

int main() {
    std::cout << std::boolalpha;

    // A = torch.tensor([[1, 2, 3], [4, 5, 6]]): row after row in storage, strides [3, 1]
    Tensor A = ember::tensor({{1, 2, 3}, {4, 5, 6}});
    std::cout << A << "\n";
    describe("A", A);

    // At = A.t(): the same storage, read column after column (strides [1, 3])
    Tensor At = A.t();
    std::cout << At << "\n";
    describe("A.t()", At);
    std::cout << "same storage: " << (At.data_ptr() == A.data_ptr()) << "\n";

    // A[1:] starts 3 elements into the storage; A[:, 1] at 1, stepping 3 at a time
    describe("A[1:]", A.index({Slice(1, None)}));
    std::cout << A.index({Slice(), 1}) << "\n";
    describe("A[:, 1]", A.index({Slice(), 1}));

    // Ac = At.contiguous(): a new storage laid out in At's row order
    Tensor Ac = At.contiguous();
    describe("A.t().contiguous()", Ac);
    std::cout << "same storage: " << (Ac.data_ptr() == A.data_ptr()) << "\n";

    // At.view(6) cannot be a view of that storage (its elements are not in row order) ...
    try {
        At.view({6});
    } catch (const ember::Error& e) {
        std::cout << "error: " << e.what() << "\n";
    }
    // ... while reshape copies when it has to
    std::cout << At.reshape({6}) << "\n";

    // v = A.view(3, 2); v[0, 0] = 100; At[2, 1] = -6: writes through views reach A's storage
    Tensor v = A.view({3, 2});
    v.index_put_({0, 0}, 100);
    At.index_put_({2, 1}, -6);
    std::cout << v << "\n" << A << "\n";
    return 0;
}

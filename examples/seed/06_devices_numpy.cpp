// Seed row 6: a tensor on the CPU, the same tensor asked for on the GPU ("cuda:0"), and the
// hand-off to NumPy. The test machines have no GPU, so the cuda:0 line prints the error; NumPy
// gets the tensor as a .npy file (temp.npy, written into the working folder), which
// numpy.load reads as the array the seed's temp.numpy() gives (CTest checks that too).
//
//   build/release/examples/seed_06_devices_numpy
//
// The output equals tools/golden/seed/06_devices_numpy.py's under PyTorch
// (CTest: Seed.06_devices_numpy and Seed.06_devices_numpy.numpy_reads_it).
#include <ember/ember.h>

#include <iostream>

using ember::Tensor;

int main() {
    std::cout << std::boolalpha;

    // print(torch.tensor([[1, 2], [3, 4]]))
    std::cout << ember::tensor({{1, 2}, {3, 4}}) << "\n";

    // print(torch.tensor([[1, 2], [3, 4]], device="cuda:0"))
    std::cout << "cuda available: " << ember::cuda_is_available() << "\n";
    try {
        std::cout << ember::tensor({{1, 2}, {3, 4}}, {.device = "cuda:0"}) << "\n";
    } catch (const ember::Error& e) {
        std::cout << "error: " << e.what() << "\n";
    }

    // temp = torch.tensor([[1, 2], [3, 4]]); print(temp.numpy())
    // C++ has no NumPy: save the array where NumPy reads it, numpy.load('temp.npy')
    Tensor temp = ember::tensor({{1, 2}, {3, 4}});
    ember::io::save_npy(temp, "temp.npy");
    Tensor written = ember::io::load_npy("temp.npy");
    std::cout << "temp.npy: " << written.sizes() << " " << written.dtype() << "\n" << written << "\n";
    return 0;
}

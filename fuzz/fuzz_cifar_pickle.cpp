// CIFAR's Python pickles through the CIFAR10 and CIFAR100 datasets: the input is both the test
// batch and the metadata file of a dataset folder (CIFAR10 for inputs of even size, CIFAR100 for
// odd ones), so that the pickle reader and the dataset's checks of what it read are reached.
#include "ember/vision/datasets/cifar.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ember::vision::datasets;
    const bool cifar10 = size % 2 == 0;
    const std::string root = (ember_fuzz::scratch() / (cifar10 ? "cifar10" : "cifar100")).string();
    if (cifar10) {
        ember_fuzz::write_input("cifar10/cifar-10-batches-py/test_batch", data, size);
        ember_fuzz::write_input("cifar10/cifar-10-batches-py/batches.meta", data, size);
    } else {
        ember_fuzz::write_input("cifar100/cifar-100-python/test", data, size);
        ember_fuzz::write_input("cifar100/cifar-100-python/meta", data, size);
    }
    const CIFAROptions options{.train = false, .check_integrity = false};
    ember_fuzz::expect_only_ember_errors(root, [&] {
        if (cifar10)
            CIFAR10 dataset(root, options);
        else
            CIFAR100 dataset(root, options);
    });
    return 0;
}

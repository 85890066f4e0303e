// CIFAR-10's binary batches (3073-byte records) through the CIFAR10 dataset: the input is both
// test_batch.bin and batches.meta.txt of a cifar-10-batches-bin folder.
#include "ember/vision/datasets/cifar.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ember::vision::datasets;
    const std::string root = (ember_fuzz::scratch() / "cifar_binary").string();
    ember_fuzz::write_input("cifar_binary/cifar-10-batches-bin/test_batch.bin", data, size);
    ember_fuzz::write_input("cifar_binary/cifar-10-batches-bin/batches.meta.txt", data, size);
    ember_fuzz::expect_only_ember_errors(root, [&] {
        CIFAR10 dataset(root, {.train = false});
        if (dataset.size() > 0) dataset.item(dataset.size() - 1);
    });
    return 0;
}

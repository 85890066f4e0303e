// CIFAR-10 and CIFAR-100 (torchvision.datasets.CIFAR10, CIFAR100): 32x32 RGB images from the
// Python release as torchvision reads it, <root>/cifar-10-batches-py/ (data_batch_1..5,
// test_batch, batches.meta) and <root>/cifar-100-python/ (train, test, meta; fine labels).
// CIFAR10 also reads the binary release, <root>/cifar-10-batches-bin/, when the Python one is
// absent. As in torchvision, the batch files are MD5-checked against the published release.
//
//   datasets::CIFAR10 train("data", {.train = true, .transform = T::ToTensor(), .download = true});
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ember/vision/datasets/vision_dataset.h"

namespace ember::vision::datasets {

struct CIFAROptions {
    bool train = true;  // the 50,000 training images, else the 10,000 test images
    ImageTransform transform;
    TargetTransform target_transform;
    // Fetch and extract the archive into root unless the files are already there and intact.
    bool download = false;
    // Base URLs tried in order, each followed by the archive's name; empty: torchvision's.
    std::vector<std::string> mirrors;
    // MD5s by file name (batch files, meta file, archive) replacing the published ones.
    std::map<std::string, std::string> md5;
    // Check the MD5 of every batch file and of the meta file, as torchvision does.
    bool check_integrity = true;
};

class CIFAR10 : public VisionDataset {
public:
    using Options = CIFAROptions;
    explicit CIFAR10(std::string root, Options options = {});

    int64_t size() const override { return data_.size(0); }
    // (Image of data()[index], RGB, shared with data(); targets()[index]).
    std::pair<Image, int64_t> item(int64_t index) const override;

    // uint8 [N, 32, 32, 3] (HWC, as torchvision's .data) and int64 [N].
    const Tensor& data() const { return data_; }
    const Tensor& targets() const { return targets_; }
    bool train() const { return train_; }

    struct File {
        std::string name;
        std::string md5;
    };
    // What distinguishes CIFAR-100 from CIFAR-10.
    struct Spec {
        std::string name;          // "CIFAR10"
        std::string base_folder;   // "cifar-10-batches-py"
        std::string archive;       // "cifar-10-python.tar.gz"
        std::string archive_md5;
        std::vector<std::string> mirrors;
        std::vector<File> train_files, test_files;
        File meta;
        std::string meta_key;      // "label_names"
    };

protected:
    CIFAR10(std::string root, const Options& options, Spec spec);

private:
    void load_python(const Spec& spec);
    void load_binary(const std::string& folder);

    std::string name_;
    bool train_ = true;
    Tensor data_, targets_;
};

class CIFAR100 : public CIFAR10 {
public:
    explicit CIFAR100(std::string root, Options options = {});
};

}  // namespace ember::vision::datasets

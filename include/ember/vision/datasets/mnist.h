// The MNIST family (torchvision.datasets.MNIST, FashionMNIST, KMNIST, EMNIST): 28x28 grey
// images in IDX files under <root>/<ClassName>/raw/, e.g. <root>/MNIST/raw/
// train-images-idx3-ubyte. Each file is read decompressed as torchvision reads it, or else from
// its .gz archive beside it (so the archives as distributed work without extracting them).
//
//   datasets::MNIST train("data", {.train = true, .transform = T::ToTensor(), .download = true});
//   auto [image, label] = train.item(0);   // Image 28x28 "L", class index
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ember/vision/datasets/vision_dataset.h"

namespace ember::vision::datasets {

struct MNISTOptions {
    bool train = true;  // the 60,000 training images, else the 10,000 test images
    ImageTransform transform;
    TargetTransform target_transform;
    // Fetch the missing files from the mirrors (MD5-checked, then decompressed); files already
    // present are used as they are.
    bool download = false;
    // Base URLs tried in order, each followed by the archive's name; empty: torchvision's.
    std::vector<std::string> mirrors;
    // MD5s by archive name replacing the published ones (a private mirror's own files).
    std::map<std::string, std::string> md5;
};

class MNIST : public VisionDataset {
public:
    using Options = MNISTOptions;
    explicit MNIST(std::string root, Options options = {});

    int64_t size() const override { return data_.size(0); }
    // (Image of data()[index], mode "L", shared with data(); targets()[index]).
    std::pair<Image, int64_t> item(int64_t index) const override;

    // uint8 [N, H, W] and int64 [N], as torchvision's .data and .targets.
    const Tensor& data() const { return data_; }
    const Tensor& targets() const { return targets_; }
    bool train() const { return train_; }
    // <root>/<ClassName>/raw
    std::string raw_folder() const;
    // "MNIST", "FashionMNIST", ...: the folder under root and the name in messages.
    const std::string& name() const { return name_; }

    // An archive of the dataset: its name and its MD5.
    struct Resource {
        std::string filename;
        std::string md5;
    };
    // What distinguishes the members of the family.
    struct Spec {
        std::string name;
        std::vector<std::string> mirrors;
        std::vector<Resource> resources;
        std::vector<std::string> classes;
    };

protected:
    // Loads images_file and labels_file (names inside raw_folder()) after the download, if any.
    // Labels are uint8 [N] (the MNIST files), or int32 [N, 8] when qmnist_labels (QMNIST's).
    MNIST(std::string root, const Options& options, Spec spec, const std::string& images_file,
          const std::string& labels_file, bool qmnist_labels = false);

    std::string name_;
    bool train_ = true;
    Tensor data_, targets_;
};

// Zalando's Fashion-MNIST: same files and format, <root>/FashionMNIST/raw/.
class FashionMNIST : public MNIST {
public:
    explicit FashionMNIST(std::string root, Options options = {});
};

// Kuzushiji-MNIST: same files and format, <root>/KMNIST/raw/.
class KMNIST : public MNIST {
public:
    explicit KMNIST(std::string root, Options options = {});
};

// EMNIST, one of its splits "byclass", "bymerge", "balanced", "letters", "digits", "mnist":
// <root>/EMNIST/raw/emnist-<split>-<train|test>-<images-idx3|labels-idx1>-ubyte. The images are
// returned as stored, as torchvision 0.14 returns them (the files hold them transposed: call
// .transpose(1, 2) on data() for upright characters). download fetches NIST's gzip.zip.
class EMNIST : public MNIST {
public:
    EMNIST(std::string root, const std::string& split, Options options = {});
    const std::string& split() const { return split_; }
    // A split's class names (torchvision's EMNIST.classes_split_dict[split]).
    static std::vector<std::string> split_classes(const std::string& split);

private:
    std::string split_;
};

struct QMNISTOptions {
    // "train", "test" (60,000 images), "test10k" (its first 10,000, MNIST's test set),
    // "test50k" (the other 50,000) or "nist" (all NIST digits); empty: "train" or "test" by train.
    std::string what;
    // Targets as the class index (MNIST-compatible), else get() returns each image's eight
    // QMNIST label fields (int64 [8]: class, NIST series, writer, ...).
    bool compat = true;
    bool train = true;
    ImageTransform transform;
    TargetTransform target_transform;
    bool download = false;
    std::vector<std::string> mirrors;
    std::map<std::string, std::string> md5;
};

// QMNIST (torchvision.datasets.QMNIST): <root>/QMNIST/raw/qmnist-<train|test>-images-idx3-ubyte
// and -labels-idx2-int (int32 [N, 8]; targets() is int64 [N, 8]); "nist" reads xnist-images-
// idx3-ubyte and xnist-labels-idx2-int, whose .xz downloads ember cannot decompress (it asks
// for the decompressed files). item() gives the class index whatever compat is.
class QMNIST : public MNIST {
public:
    using Options = QMNISTOptions;
    explicit QMNIST(std::string root, Options options = {});
    std::pair<Tensor, Tensor> get(int64_t index) const override;
    const std::string& what() const { return what_; }
    bool compat() const { return compat_; }

private:
    QMNIST(std::string root, const Options& options, const std::string& what);
    std::string what_;
    bool compat_ = true;
};

}  // namespace ember::vision::datasets

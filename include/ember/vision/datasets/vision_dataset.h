// VisionDataset (torchvision.datasets.VisionDataset): the base of the image datasets. get(i)
// returns (as_tensor(transform(image)), target_transform(int64 0-d target)), what a DataLoader
// collates; item(i) returns the raw (Image, class index) pair, what torchvision's __getitem__
// returns before its transforms.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ember/core/tensor.h"
#include "ember/data/dataset.h"
#include "ember/vision/image.h"
#include "ember/vision/transform.h"

namespace ember::vision::datasets {

// Applied to each sample's image (an Image) and to its target (an int64 0-d tensor).
using ImageTransform = std::optional<transforms::AnyTransform>;
using TargetTransform = std::function<Tensor(Tensor)>;

class VisionDataset : public data::Dataset<std::pair<Tensor, Tensor>> {
public:
    // The (image, class index) pair at `index` before any transform; an out-of-range index is
    // an ember::Error.
    virtual std::pair<Image, int64_t> item(int64_t index) const = 0;
    // (as_tensor(transform(image)) or the image as uint8 [C, H, W], target_transform(target)).
    std::pair<Tensor, Tensor> get(int64_t index) const override;

    const std::string& root() const { return root_; }
    // The class names, in the order of their indices.
    const std::vector<std::string>& classes() const { return classes_; }
    std::map<std::string, int64_t> class_to_idx() const;
    const ImageTransform& transform() const { return transform_; }
    const TargetTransform& target_transform() const { return target_transform_; }

protected:
    VisionDataset(std::string root, ImageTransform transform, TargetTransform target_transform)
        : root_(std::move(root)),
          transform_(std::move(transform)),
          target_transform_(std::move(target_transform)) {}

    std::string root_;
    std::vector<std::string> classes_;
    ImageTransform transform_;
    TargetTransform target_transform_;
};

}  // namespace ember::vision::datasets

// VisionDataset: the transforms applied around item().
#include "ember/vision/datasets/vision_dataset.h"

#include "ember/ops/factory.h"

namespace ember::vision::datasets {

std::pair<Tensor, Tensor> VisionDataset::get(int64_t index) const {
    auto [image, target] = item(index);
    Tensor x = transform_ ? transforms::as_tensor((*transform_)(std::move(image)))
                          : transforms::as_tensor(std::move(image));
    Tensor y = full({}, target, {.dtype = DType::Int64});
    if (target_transform_) y = target_transform_(std::move(y));
    return {std::move(x), std::move(y)};
}

std::map<std::string, int64_t> VisionDataset::class_to_idx() const {
    std::map<std::string, int64_t> map;
    for (size_t i = 0; i < classes_.size(); ++i) map[classes_[i]] = static_cast<int64_t>(i);
    return map;
}

}  // namespace ember::vision::datasets

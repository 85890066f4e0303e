// ImageFolder (torchvision.datasets.ImageFolder): images in one sub-folder per class,
//   root/cat/001.png, root/cat/more/002.jpg, root/dog/003.bmp, ...
// Classes are the sorted sub-folder names (their indices in that order); samples are every file
// with an image extension under a class folder (recursively, symbolic links followed), in
// torchvision's order: classes sorted, folders sorted by path, file names sorted. Images are
// loaded when read, converted to RGB as PIL's convert("RGB").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ember/vision/datasets/vision_dataset.h"

namespace ember::vision::datasets {

struct ImageFolderOptions {
    ImageTransform transform;
    TargetTransform target_transform;
    // Reads a sample's file; default: load_image(path, ImageReadMode::RGB).
    std::function<Image(const std::string&)> loader;
    // File name endings (compared lowercased) that make a file a sample; empty: torchvision's
    // IMG_EXTENSIONS, .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp (TIFF and WebP files are
    // listed but an error when read: ember does not decode them).
    std::vector<std::string> extensions;
};

class ImageFolder : public VisionDataset {
public:
    using Options = ImageFolderOptions;
    explicit ImageFolder(std::string root, Options options = {});

    int64_t size() const override { return static_cast<int64_t>(samples_.size()); }
    std::pair<Image, int64_t> item(int64_t index) const override;

    // (path, class index) for every sample, as torchvision's .samples (and .imgs).
    const std::vector<std::pair<std::string, int64_t>>& samples() const { return samples_; }
    std::vector<int64_t> targets() const;
    const std::vector<std::string>& extensions() const { return extensions_; }

private:
    std::vector<std::pair<std::string, int64_t>> samples_;
    std::vector<std::string> extensions_;
    std::function<Image(const std::string&)> loader_;
};

// torchvision's IMG_EXTENSIONS.
const std::vector<std::string>& image_extensions();

}  // namespace ember::vision::datasets

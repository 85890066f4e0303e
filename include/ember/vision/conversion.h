// Conversion transforms (torchvision.transforms): ToTensor, PILToTensor, ConvertImageDtype and
// Normalize, with torchvision 0.14's values, checks and reprs.
#pragma once

#include <string>
#include <vector>

#include "ember/core/dtype.h"
#include "ember/vision/transform.h"

namespace ember::vision::transforms {

// Image -> float32 [C, H, W] in [0, 1] (pixel / 255). A tensor is an error, as in torchvision
// (ToTensor takes PIL images and arrays; wrap raw HWC uint8 pixels in an Image first).
class ToTensor : public Transform {
public:
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override { return "ToTensor()"; }
};

// Image -> uint8 [C, H, W], unscaled.
class PILToTensor : public Transform {
public:
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override { return "PILToTensor()"; }
};

// A tensor image to another dtype with torchvision's rescaling: integers to floats divide by
// the integer type's maximum, floats to integers multiply by (max + 1 - 0.001) and truncate,
// integers to integers shift. float32 -> int32/int64 and float64 -> int64 are refused (they
// cannot be done exactly), as in torchvision.
class ConvertImageDtype : public Transform {
public:
    explicit ConvertImageDtype(DType dtype);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;
    DType dtype() const { return dtype_; }

private:
    DType dtype_;
};

// A float tensor image [..., C, H, W]: out[c] = (x[c] - mean[c]) / std[c] (subtract, then divide),
// mean and std of length C or 1, converted to the input's dtype. inplace writes into the input.
class Normalize : public Transform {
public:
    Normalize(std::vector<double> mean, std::vector<double> std, bool inplace = false);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    std::vector<double> mean_, std_;
    bool inplace_;
};

}  // namespace ember::vision::transforms

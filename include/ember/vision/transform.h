// The transform protocol of ember::vision::transforms (torchvision.transforms): a transform maps
// an Image or a Tensor to an Image or a Tensor, so conversions (ToTensor) and image or tensor
// operations chain in one Compose, as in torchvision:
//
//   namespace T = ember::vision::transforms;
//   T::Compose transform({T::ToTensor(), T::Normalize({0.5}, {1.0})});
//   Tensor x = T::as_tensor(transform(image));
//
// Any class derived from Transform, or any callable from ImageOrTensor to ImageOrTensor (taken
// as a Lambda), converts to AnyTransform, so lists of transforms need no pointers. Random
// transforms draw from ember's global generator as torchvision draws from torch's, so
// manual_seed reproduces them.
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ember/core/tensor.h"
#include "ember/vision/image.h"

namespace ember::vision::transforms {

using ImageOrTensor = std::variant<Image, Tensor>;

class Transform {
public:
    virtual ~Transform() = default;
    virtual ImageOrTensor operator()(ImageOrTensor input) const = 0;
    // torchvision's repr, e.g. "Normalize(mean=[0.5], std=[1])".
    virtual std::string repr() const = 0;
};

// A callable as a transform; repr "Lambda()".
class Lambda : public Transform {
public:
    explicit Lambda(std::function<ImageOrTensor(ImageOrTensor)> fn);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override { return "Lambda()"; }

private:
    std::function<ImageOrTensor(ImageOrTensor)> fn_;
};

// A transform held by value: any Transform subclass (copied into shared ownership), a
// shared_ptr to one, or a callable (wrapped in a Lambda).
class AnyTransform {
public:
    template <class T>
        requires std::derived_from<std::remove_cvref_t<T>, Transform>
    AnyTransform(T&& t)  // NOLINT: implicit, so {ToTensor(), Normalize(...)} reads as in Python
        : impl_(std::make_shared<std::remove_cvref_t<T>>(std::forward<T>(t))) {}
    template <class T>
        requires std::derived_from<T, Transform>
    AnyTransform(std::shared_ptr<T> t) : impl_(std::move(t)) {}
    template <class F>
        requires(!std::derived_from<std::remove_cvref_t<F>, Transform> &&
                 std::is_invocable_r_v<ImageOrTensor, F, ImageOrTensor>)
    AnyTransform(F&& fn) : impl_(std::make_shared<Lambda>(std::forward<F>(fn))) {}

    ImageOrTensor operator()(ImageOrTensor input) const { return (*impl_)(std::move(input)); }
    std::string repr() const { return impl_->repr(); }
    const Transform& get() const { return *impl_; }

private:
    std::shared_ptr<const Transform> impl_;
};

// The transforms applied in order. repr lists them one per line, indented, as torchvision does.
class Compose : public Transform {
public:
    Compose(std::vector<AnyTransform> transforms);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;
    const std::vector<AnyTransform>& transforms() const { return transforms_; }

private:
    std::vector<AnyTransform> transforms_;
};

// The tensor a transform chain produced; an Image that no transform converted becomes its
// uint8 [C, H, W] tensor (PILToTensor), so datasets always return tensors.
Tensor as_tensor(ImageOrTensor x);

namespace detail {
// The Image in x, or an ember::Error naming `op` (it takes images only).
const Image& expect_image(const ImageOrTensor& x, const char* op);
// The Tensor in x, or an ember::Error naming `op` (it takes tensors only).
const Tensor& expect_tensor(const ImageOrTensor& x, const char* op);
}  // namespace detail

}  // namespace ember::vision::transforms

// Lambda, Compose and the Image/Tensor accessors every transform uses.
#include "ember/vision/transform.h"

#include "ember/core/error.h"

namespace ember::vision::transforms {

Lambda::Lambda(std::function<ImageOrTensor(ImageOrTensor)> fn) : fn_(std::move(fn)) {
    EMBER_CHECK(static_cast<bool>(fn_), "Lambda: the function is empty");
}

ImageOrTensor Lambda::operator()(ImageOrTensor input) const { return fn_(std::move(input)); }

Compose::Compose(std::vector<AnyTransform> transforms) : transforms_(std::move(transforms)) {}

ImageOrTensor Compose::operator()(ImageOrTensor input) const {
    for (const AnyTransform& t : transforms_) input = t(std::move(input));
    return input;
}

std::string Compose::repr() const {
    std::string s = "Compose(";
    // Nested reprs are not re-indented (torchvision's format).
    for (const AnyTransform& t : transforms_) s += "\n    " + t.repr();
    return s + "\n)";
}

Tensor as_tensor(ImageOrTensor x) {
    if (Tensor* t = std::get_if<Tensor>(&x)) return std::move(*t);
    return std::get<Image>(x).tensor().permute({2, 0, 1}).contiguous();
}

namespace detail {

const Image& expect_image(const ImageOrTensor& x, const char* op) {
    const Image* image = std::get_if<Image>(&x);
    EMBER_CHECK(image, op, ": expected an Image, got a tensor of sizes ",
                std::get<Tensor>(x).sizes());
    return *image;
}

const Tensor& expect_tensor(const ImageOrTensor& x, const char* op) {
    const Tensor* tensor = std::get_if<Tensor>(&x);
    EMBER_CHECK(tensor, op, ": expected a tensor image, got ", std::get<Image>(x).repr(),
                " (convert it with ToTensor or PILToTensor first)");
    return *tensor;
}

}  // namespace detail

}  // namespace ember::vision::transforms

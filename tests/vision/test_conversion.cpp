// ToTensor, PILToTensor, ConvertImageDtype, Normalize, Compose and Lambda against torchvision
// (tests/golden/vision_conversion.json from tools/golden/vision_conversion.py), and their errors.
#include <gtest/gtest.h>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember::vision::transforms {
namespace {

using test::load_golden;
using test::tensor_from_json;

Image golden_image(const std::string& name) {
    const test::json g = load_golden("vision_conversion");
    return Image(tensor_from_json(g["images"][name]));
}

TEST(VisionImage, ShapesModesAndErrors) {
    const Image rgb = golden_image("rgb_3x5"), grey = golden_image("grey_4x2");
    EXPECT_EQ(rgb.height(), 3);
    EXPECT_EQ(rgb.width(), 5);
    EXPECT_EQ(rgb.channels(), 3);
    EXPECT_STREQ(rgb.mode(), "RGB");
    EXPECT_STREQ(grey.mode(), "L");
    EXPECT_EQ(grey.repr(), "Image(mode=L, size=2x4)");
    EXPECT_EQ(rgb.at(2, 4, 1), rgb.tensor()[2][4][1].item<uint8_t>());
    // [H, W] is grey; a non-contiguous tensor is copied to contiguous pixels.
    const Tensor t = arange(12, {.dtype = DType::UInt8}).view({3, 4});
    EXPECT_EQ(Image(t).channels(), 1);
    EXPECT_TRUE(Image(t.t()).tensor().is_contiguous());
    EXPECT_EQ(Image(t.t()).at(1, 2), 9);
    EXPECT_EQ(Image(2, 3, 3).tensor().sum().item<int64_t>(), 0);
    EXPECT_EMBER_ERROR(Image(zeros({2, 2, 3})), "Image", "uint8", "float32");
    EXPECT_EMBER_ERROR(Image(zeros({2, 2, 2}, {.dtype = DType::UInt8})), "Image", "[2, 2, 2]");
    EXPECT_EMBER_ERROR(Image(2, 2, 4), "channels", "4");
    EXPECT_EMBER_ERROR(Image{Tensor{}}, "Image");
}

TEST(VisionConversion, ToTensorAndPILToTensorMatchTorchvision) {
    const test::json g = load_golden("vision_conversion");
    for (const char* name : {"rgb_3x5", "grey_4x2"}) {
        SCOPED_TRACE(name);
        const Image image = golden_image(name);
        EXPECT_TENSOR_EQ(as_tensor(ToTensor()(image)), tensor_from_json(g["to_tensor"][name]));
        EXPECT_TENSOR_EQ(as_tensor(PILToTensor()(image)), tensor_from_json(g["pil_to_tensor"][name]));
        // An Image nothing converted becomes PILToTensor's tensor.
        EXPECT_TENSOR_EQ(as_tensor(image), tensor_from_json(g["pil_to_tensor"][name]));
    }
    // An empty image converts to an empty tensor.
    EXPECT_EQ(as_tensor(ToTensor()(Image(0, 4, 3))).sizes(), (DimVector{3, 0, 4}));
}

TEST(VisionConversion, NormalizeMatchesTorchvision) {
    const test::json g = load_golden("vision_conversion");
    for (const auto& c : g["normalize"]) {
        const Normalize n(c["mean"].get<std::vector<double>>(), c["std"].get<std::vector<double>>());
        const Tensor x = tensor_from_json(c["input"]);
        const Tensor before = x.clone();
        EXPECT_TENSOR_EQ(as_tensor(n(x)), tensor_from_json(c["output"]));
        EXPECT_TENSOR_EQ(x, before);  // not in place
        EXPECT_EQ(n.repr(), c["repr"].get<std::string>());
        // Non-contiguous input (the general path) gives the same values.
        const Tensor strided = x.transpose(-1, -2).contiguous().transpose(-1, -2);
        EXPECT_TENSOR_EQ(as_tensor(n(strided)), tensor_from_json(c["output"]));
    }
}

TEST(VisionConversion, NormalizeInPlaceAndErrors) {
    Tensor x = full({2, 2, 2}, 1.0);
    const Tensor y = as_tensor(Normalize({0.5, 0.0}, {0.5, 2.0}, true)(x));
    EXPECT_TRUE(y.is_same(x));
    EXPECT_EQ(x[0][0][0].item<float>(), 1.0f);
    EXPECT_EQ(x[1][1][1].item<float>(), 0.5f);
    const Normalize n({0.5}, {0.5});
    EXPECT_EMBER_ERROR(n(zeros({3})), "Normalize", "not a tensor image", "[3]");
    EXPECT_EMBER_ERROR(n(zeros({3, 3})), "Normalize", "(..., C, H, W)", "[3, 3]");
    EXPECT_EMBER_ERROR(n(zeros({1, 2, 2}, {.dtype = DType::Int64})), "Normalize", "float tensor",
                       "int64");
    EXPECT_EMBER_ERROR(Normalize({0.5}, {1e-46})(zeros({1, 2, 2})), "std evaluated to zero",
                       "float32");
    // On both paths (contiguous, strided), and only where the dtype rounds the std to zero.
    EXPECT_EMBER_ERROR(Normalize({0.5}, {1e-46})(zeros({1, 2, 3}).transpose(1, 2)),
                       "std evaluated to zero", "float32");
    EXPECT_NO_THROW(Normalize({0.5}, {1e-46})(zeros({1, 2, 2}, {.dtype = DType::Float64})));
    EXPECT_EMBER_ERROR(Normalize({0.5, 0.5}, {1.0})(zeros({3, 2, 2})), "mean has 2 values",
                       "3 channels");
    EXPECT_EMBER_ERROR(n(Image(2, 2, 1)), "Normalize", "tensor image", "ToTensor");
    EXPECT_EMBER_ERROR(ToTensor()(zeros({1, 2, 2})), "ToTensor", "Image", "[1, 2, 2]");
    EXPECT_EMBER_ERROR(PILToTensor()(zeros({1, 2, 2})), "PILToTensor", "Image");
}

TEST(VisionConversion, ConvertImageDtypeMatchesTorchvision) {
    const test::json g = load_golden("vision_conversion");
    for (const auto& c : g["convert"]) {
        SCOPED_TRACE(c["from"].get<std::string>() + " -> " + c["to"].get<std::string>());
        const ConvertImageDtype convert(test::dtype_from_name(c["to"]));
        const Tensor x = tensor_from_json(c["input"]);
        if (c.contains("error"))
            EXPECT_EMBER_ERROR(convert(x), "ConvertImageDtype", "cannot be performed safely");
        else
            EXPECT_TENSOR_EQ(as_tensor(convert(x)), tensor_from_json(c["output"]));
    }
    // ((void): clang would parse the statement as the declaration of a variable DType::Float32)
    EXPECT_EMBER_ERROR((void)ConvertImageDtype(DType::Float32)(Image(1, 1, 1)),
                       "ConvertImageDtype", "ToTensor");
}

TEST(VisionTransform, ComposeLambdaAndReprs) {
    const test::json g = load_golden("vision_conversion");
    const Compose seed({ToTensor(), Normalize({0.5}, {1.0})});
    EXPECT_EQ(seed.repr(), g["reprs"]["compose"].get<std::string>());
    const Compose nested({Compose({PILToTensor()}), ConvertImageDtype(DType::Float32)});
    EXPECT_EQ(nested.repr(), g["reprs"]["nested"].get<std::string>());
    EXPECT_EQ(ConvertImageDtype(DType::Float32).repr(), g["reprs"]["convert"].get<std::string>());
    // The seed's chain: (x / 255 - 0.5) / 1.
    const Image image = golden_image("grey_4x2");
    const Tensor expected = as_tensor(ToTensor()(image)) - 0.5;
    EXPECT_TENSOR_EQ(as_tensor(seed(image)), expected);
    // A callable is a transform (Lambda), in a list or alone.
    const Compose doubled({ToTensor(), [](ImageOrTensor x) -> ImageOrTensor {
                               return as_tensor(std::move(x)) * 2;
                           }});
    EXPECT_TENSOR_EQ(as_tensor(doubled(image)), as_tensor(ToTensor()(image)) * 2);
    EXPECT_EQ(doubled.repr(), "Compose(\n    ToTensor()\n    Lambda()\n)");
    EXPECT_EMBER_ERROR(Lambda(nullptr), "Lambda", "empty");
    // Empty Compose is the identity.
    EXPECT_TENSOR_EQ(as_tensor(Compose({})(image)), as_tensor(image));
}

}  // namespace
}  // namespace ember::vision::transforms

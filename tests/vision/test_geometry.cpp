// Geometric transforms against torchvision 0.14 fixtures (tools/golden/vision_geometry.py):
// Pad, CenterCrop, RandomCrop, the flips, Resize, RandomResizedCrop and RandomRotation on
// PIL-style Images and
// on tensors, with the random ones reseeded as the fixture was.
#include <map>

#include "ember/vision/vision.h"
#include "support/golden.h"

namespace ember::test {
namespace {

namespace T = ember::vision::transforms;
using IM = T::InterpolationMode;
using vision::Image;

// The transforms the fixture's cases name, built as the Python script builds them.
std::map<std::string, T::AnyTransform> fixture_transforms() {
    return {
        {"pad_int", T::Pad(2)},
        {"pad_pair_fill", T::Pad({1, 2}, {.fill = 7})},
        {"pad_four_fill_rgb", T::Pad({1, 0, 2, 3}, {.fill = {10, 20, 30}})},
        {"pad_edge", T::Pad({2, 1}, {.padding_mode = "edge"})},
        {"pad_reflect", T::Pad({3, 1, 2, 4}, {.padding_mode = "reflect"})},
        {"pad_symmetric", T::Pad({3, 1, 2, 4}, {.padding_mode = "symmetric"})},
        {"pad_reflect_wide", T::Pad({9, 0, 0, 0}, {.padding_mode = "reflect"})},
        {"pad_symmetric_wide", T::Pad({0, 13, 0, 0}, {.padding_mode = "symmetric"})},
        {"pad_negative", T::Pad({-1, 2, 1, -2}, {.padding_mode = "reflect"})},
        {"pad_negative_constant", T::Pad({-2, 1, 0, -1})},
        {"center_crop_4", T::CenterCrop(4)},
        {"center_crop_3", T::CenterCrop(3)},
        {"center_crop_3x5", T::CenterCrop({3, 5})},
        {"center_crop_larger", T::CenterCrop({8, 9})},
        {"center_crop_mixed", T::CenterCrop({2, 10})},
        {"random_crop_3", T::RandomCrop(3)},
        {"random_crop_padding", T::RandomCrop({4, 5}, {.padding = 2})},
        {"random_crop_pad_if_needed",
         T::RandomCrop(8, {.pad_if_needed = true, .padding_mode = "edge"})},
        {"random_crop_whole_then_3", T::Compose({T::RandomCrop({5, 7}), T::RandomCrop(3)})},
        {"hflip", T::RandomHorizontalFlip(1.0)},
        {"vflip", T::RandomVerticalFlip(1.0)},
        {"resize_3", T::Resize(3)},
        {"resize_4", T::Resize(4)},
        {"resize_4x9", T::Resize({4, 9})},
        {"resize_6x9", T::Resize({6, 9})},
        {"resize_max_size", T::Resize(3, {.max_size = 4})},
        {"resize_nearest_2", T::Resize(2, {.interpolation = IM::Nearest})},
        {"resize_nearest_7x9", T::Resize({7, 9}, {.interpolation = IM::Nearest})},
        {"resize_nearest_3x5", T::Resize({3, 5}, {.interpolation = IM::Nearest})},
        {"resize_nearest_double", T::Resize({10, 14}, {.interpolation = IM::Nearest})},
        {"resize_antialias", T::Resize({4, 3}, {.antialias = true})},
        {"resize_big_6x5", T::Resize({6, 5})},
        {"resize_big_7_nearest", T::Resize(7, {.interpolation = IM::Nearest})},
        {"resize_big_antialias", T::Resize({6, 5}, {.antialias = true})},
        {"random_resized_crop_4", T::RandomResizedCrop(4)},
        {"random_resized_crop_options",
         T::RandomResizedCrop(
             {3, 5}, {.scale = {0.5, 0.9}, .ratio = {0.5, 2.0}, .interpolation = IM::Nearest})},
        {"rotate_nearest", T::RandomRotation(30)},
        {"rotate_bilinear_fill",
         T::RandomRotation({-45, 45}, {.interpolation = IM::Bilinear, .fill = 9})},
        {"rotate_expand", T::RandomRotation(60, {.expand = true})},
        {"rotate_center_fill_rgb",
         T::RandomRotation({10, 80}, {.center = std::pair{1.0, 2.0}, .fill = {5, 6, 7}})},
        {"rotate_expand_bilinear",
         T::RandomRotation(100, {.interpolation = IM::Bilinear, .expand = true})},
        {"rotate_90", [](T::ImageOrTensor x) { return T::functional::rotate(x, 90); }},
        {"rotate_270_expand",
         [](T::ImageOrTensor x) { return T::functional::rotate(x, -90, IM::Nearest, true); }},
        {"rotate_180", [](T::ImageOrTensor x) { return T::functional::rotate(x, 180); }},
        {"random_resized_crop_fallback",
         T::RandomResizedCrop(3, {.scale = {2.0, 3.0}, .ratio = {2.0, 3.0}})},
    };
}

class VisionGeometry : public ::testing::Test {
protected:
    static void SetUpTestSuite() { fixture_ = new json(load_golden("vision_geometry")); }
    static void TearDownTestSuite() { delete fixture_; }

    // The named input: Images for the PIL path, tensors ([C, H, W] from the images' pixels
    // for the uint8 ones) for the tensor path.
    static T::ImageOrTensor input(const std::string& key) {
        const json& in = (*fixture_)["inputs"];
        if (key == "t_u8") return tensor_from_json(in["rgb"]).permute({2, 0, 1}).contiguous();
        if (key == "t_big") return tensor_from_json(in["big"]).permute({2, 0, 1}).contiguous();
        if (key == "t_f32") return tensor_from_json(in["t_f32"]);
        return Image(tensor_from_json(in[key]));
    }

    static json* fixture_;
};

json* VisionGeometry::fixture_ = nullptr;

// Float results of antialiased resizes, rotations and of resizes of one-channel images (which
// PyTorch sends through its channels-last kernel) come from float computations PyTorch orders
// and fuses differently: they may differ in the last bit or two. Everything else (all uint8
// results, the 3-channel bilinear resize, nearest, pads and crops) must match exactly.
void expect_output(const std::string& name, const std::string& key, const Tensor& actual,
                   const Tensor& expected) {
    SCOPED_TRACE(name + " on " + key);
    const bool approximate = name.find("antialias") != std::string::npos ||
                             name.rfind("rotate", 0) == 0 || name.rfind("resize", 0) == 0 ||
                             name.rfind("random_resized", 0) == 0;
    if (is_floating_point(expected.dtype()) && approximate)
        EXPECT_TENSOR_CLOSE(actual, expected, 1e-5, 1e-6);
    else
        EXPECT_TENSOR_EQ(actual, expected);
}

Tensor result_tensor(const T::ImageOrTensor& out) {
    if (const Image* image = std::get_if<Image>(&out)) return image->tensor();
    return std::get<Tensor>(out).contiguous();
}

TEST_F(VisionGeometry, MatchesTorchvision) {
    const json& cases = (*fixture_)["cases"];
    const auto transforms = fixture_transforms();
    EXPECT_EQ(transforms.size(), cases.size());
    for (const auto& [name, transform] : transforms) {
        ASSERT_TRUE(cases.contains(name)) << name;
        const json& c = cases[name];
        if (!c["repr"].is_null()) {
            EXPECT_EQ(transform.repr(), c["repr"].get<std::string>()) << name;
        }
        const int calls = c["calls"].get<int>();
        std::vector<std::string> keys;
        for (const auto& [key, _] : c["outputs"].items()) keys.push_back(key);
        if (c.contains("same_as_pil"))
            for (const auto& key : c["same_as_pil"]) keys.push_back(key.get<std::string>());
        for (const std::string& key : keys) {
            const bool derived = !c["outputs"].contains(key);
            const std::string pil_key = key == "t_big" ? "big" : "rgb";
            const json& outs = c["outputs"][derived ? pil_key : key];
            // Tensors run twice: contiguous, then as a non-contiguous view of the same values.
            for (int variant = 0; variant < (key[0] == 't' ? 2 : 1); ++variant) {
                T::ImageOrTensor in = input(key);
                if (variant == 1) {
                    Tensor t = std::get<Tensor>(in);
                    in = t.transpose(-1, -2).contiguous().transpose(-1, -2);
                    ASSERT_FALSE(std::get<Tensor>(in).is_contiguous());
                }
                if (!c["seed"].is_null()) manual_seed(c["seed"].get<uint64_t>());
                for (int call = 0; call < calls; ++call) {
                    Tensor expected = tensor_from_json(outs[call]);
                    if (derived) expected = expected.permute({2, 0, 1}).contiguous();
                    Tensor actual = result_tensor(transform(in));
                    expect_output(name + "#" + std::to_string(call) + (variant ? " (strided)" : ""),
                                  key, actual, expected);
                }
            }
        }
    }
}

TEST_F(VisionGeometry, RandomFlipDecisions) {
    for (const char* name : {"hflip", "vflip"}) {
        const json& c = (*fixture_)["cases"][name];
        const bool horizontal = std::string(name) == "hflip";
        T::AnyTransform t = horizontal ? T::AnyTransform(T::RandomHorizontalFlip())
                                       : T::AnyTransform(T::RandomVerticalFlip(0.3));
        EXPECT_EQ(t.repr(), c["random_repr"].get<std::string>());
        manual_seed(horizontal ? 0 : 3);
        const Tensor x = std::get<Tensor>(input("t_f32"));
        for (const auto& flipped : c["decisions"]) {
            const Tensor out = std::get<Tensor>(t(x));
            EXPECT_EQ(!equal(out, x), flipped.get<bool>()) << name;
        }
    }
}

TEST_F(VisionGeometry, RandomResizedCropParams) {
    manual_seed(7);
    for (const auto& p : (*fixture_)["rrc_params"]) {
        EXPECT_EQ(T::RandomResizedCrop::get_params(5, 7, {0.08, 1.0}, {0.75, 4.0 / 3.0}),
                  p.get<std::vector<int64_t>>());
    }
}

TEST(VisionGeometryChecks, ReprsAsTorchvision) {
    EXPECT_EQ(T::Pad(4).repr(), "Pad(padding=4, fill=0, padding_mode=constant)");
    EXPECT_EQ(T::Pad({1, 2}, {.fill = 0.5, .padding_mode = "edge"}).repr(),
              "Pad(padding=(1, 2), fill=0.5, padding_mode=edge)");
    EXPECT_EQ(T::CenterCrop(4).repr(), "CenterCrop(size=(4, 4))");
    EXPECT_EQ(T::RandomCrop(32, {.padding = 4}).repr(), "RandomCrop(size=(32, 32), padding=4)");
    EXPECT_EQ(T::RandomCrop({3, 5}).repr(), "RandomCrop(size=(3, 5), padding=None)");
    EXPECT_EQ(T::RandomHorizontalFlip().repr(), "RandomHorizontalFlip(p=0.5)");
    EXPECT_EQ(T::RandomVerticalFlip(0.25).repr(), "RandomVerticalFlip(p=0.25)");
}

TEST(VisionGeometryChecks, Errors) {
    const Tensor x = rand({3, 5, 7});
    EXPECT_EMBER_ERROR(T::Pad({1, 2, 3}), "Pad", "1, 2, or 4 element", "3 element");
    EXPECT_EMBER_ERROR(T::Pad(1, {.padding_mode = "wrap"}), "Pad",
                       "constant, edge, reflect or symmetric", "'wrap'");
    EXPECT_EMBER_ERROR(T::Pad(5, {.padding_mode = "reflect"})(x), "Pad", "too large", "reflect",
                       "5 x 7", "less than");
    EXPECT_EMBER_ERROR(T::Pad(6, {.padding_mode = "symmetric"})(x), "Pad", "too large", "symmetric",
                       "at most");
    EXPECT_EMBER_ERROR(T::Pad(1, {.fill = {1, 2}})(Image(4, 4, 3)), "Pad", "fill",
                       "number of channels", "(2 != 3)");
    EXPECT_EMBER_ERROR(T::Pad(1, {.fill = {1, 2, 3}})(x), "Pad", "one number as fill", "(1, 2, 3)");
    EXPECT_EMBER_ERROR(T::Pad(1)(rand({7})), "Pad", "not a torch image", "[7]");
    EXPECT_EMBER_ERROR(T::CenterCrop({1, 2, 3}), "CenterCrop", "two dimensions", "(1, 2, 3)");
    EXPECT_EMBER_ERROR(T::RandomCrop(6)(x), "RandomCrop", "required crop size (6, 6)",
                       "input image size (5, 7)");
    EXPECT_EMBER_ERROR(T::RandomCrop(3, {.padding = std::vector<int64_t>{1, 2, 3}}), "RandomCrop",
                       "3 element");
    EXPECT_EMBER_ERROR(T::RandomHorizontalFlip(1.0)(rand({4})), "hflip", "not a torch image");
}

TEST(VisionGeometryChecks, RotationArgumentsAndShapes) {
    EXPECT_EQ(
        T::RandomRotation({-10, 20}, {.interpolation = IM::Bilinear}).repr(),
        "RandomRotation(degrees=[-10.0, 20.0], interpolation=bilinear, expand=False, fill=0)");
    EXPECT_EMBER_ERROR(T::RandomRotation(-5), "RandomRotation", "single number", "-5");
    EXPECT_EMBER_ERROR(T::RandomRotation({20, 10}), "RandomRotation", "(min, max)", "(20.0, 10.0)");
    EXPECT_EMBER_ERROR(
        T::functional::rotate(rand({3, 4, 4}), 10, IM::Nearest, false, std::nullopt, {1, 2}),
        "rotate", "fill", "(2 != 3)");
    EXPECT_EMBER_ERROR(
        T::functional::rotate(Image(4, 4, 3), 10, IM::Nearest, false, std::nullopt, {1, 2}),
        "rotate", "fill", "(2 != 3)");
    // Batch dims pass through; a zero angle keeps the pixels.
    const Tensor x = rand({2, 3, 5, 6});
    EXPECT_TENSOR_EQ(std::get<Tensor>(T::functional::rotate(x, 0)), x);
    EXPECT_EQ(std::get<Tensor>(T::RandomRotation(45)(x)).sizes().vec(), x.sizes().vec());
}

TEST(VisionGeometryChecks, EmptyAndBatchedTensors) {
    // Batch dims pass through; an empty image pads to pure fill.
    const Tensor batch = rand({2, 2, 3, 4, 5});
    EXPECT_EQ(std::get<Tensor>(T::Pad(1)(batch)).sizes().vec(),
              (std::vector<int64_t>{2, 2, 3, 6, 7}));
    EXPECT_EQ(std::get<Tensor>(T::CenterCrop(2)(batch)).sizes().vec(),
              (std::vector<int64_t>{2, 2, 3, 2, 2}));
    const Tensor padded = std::get<Tensor>(T::Pad(1, {.fill = 3})(zeros({3, 0, 2})));
    EXPECT_EQ(padded.sizes().vec(), (std::vector<int64_t>{3, 2, 4}));
    EXPECT_TRUE(equal(padded, full({3, 2, 4}, 3.0f)));
    // In-bounds tensor crops are views of the input, as in torchvision.
    const Tensor crop = std::get<Tensor>(T::CenterCrop(2)(batch));
    EXPECT_EQ(crop.data_ptr<float>() - batch.data_ptr<float>(), 1 * 5 + 2);  // round(1.5) = 2
    // Crops past the border fill with zeros.
    const Tensor outside = std::get<Tensor>(T::functional::crop(ones({1, 2, 2}), -1, 1, 3, 2));
    EXPECT_EQ(outside.sum().item<double>(), 2.0);
}

}  // namespace
}  // namespace ember::test

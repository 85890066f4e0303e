// Grayscale, ColorJitter (and the adjust_* functions) and RandomErasing against torchvision
// 0.14 fixtures (tools/golden/vision_color.py), plus their argument checks and error messages.
#include <map>

#include "ember/vision/vision.h"
#include "support/golden.h"

namespace ember::test {
namespace {

namespace T = ember::vision::transforms;
namespace F = ember::vision::transforms::functional;
using vision::Image;

// A functional adjust_* with a fixed factor, as a transform.
template <class Fn>
T::AnyTransform with_factor(Fn fn, double factor) {
    return [fn, factor](T::ImageOrTensor x) { return fn(x, factor); };
}

std::map<std::string, T::AnyTransform> color_transforms() {
    return {
        {"grayscale_1", T::Grayscale()},
        {"grayscale_3", T::Grayscale(3)},
        {"brightness_0.5", with_factor(F::adjust_brightness, 0.5)},
        {"brightness_1.7", with_factor(F::adjust_brightness, 1.7)},
        {"contrast_0.3", with_factor(F::adjust_contrast, 0.3)},
        {"contrast_1.6", with_factor(F::adjust_contrast, 1.6)},
        {"saturation_0.2", with_factor(F::adjust_saturation, 0.2)},
        {"saturation_2", with_factor(F::adjust_saturation, 2.0)},
        {"hue_0.2", with_factor(F::adjust_hue, 0.2)},
        {"hue_-0.3", with_factor(F::adjust_hue, -0.3)},
        {"jitter_all",
         T::ColorJitter({.brightness = 0.4, .contrast = 0.4, .saturation = 0.4, .hue = 0.1})},
        {"jitter_ranges",
         T::ColorJitter({.brightness = {0.5, 1.5}, .saturation = {0.0, 2.0}, .hue = {-0.5, 0.2}})},
        {"jitter_contrast_only", T::ColorJitter({.contrast = 0.9})},
        {"erasing_default", T::RandomErasing()},
        {"erasing_always_value", T::RandomErasing({.p = 1.0, .scale = {0.1, 0.5}, .value = 7})},
        {"erasing_per_channel", T::RandomErasing({.p = 1.0, .value = {0.1, 0.2, 0.3}})},
        {"erasing_random",
         T::RandomErasing(
             {.p = 1.0, .scale = {0.1, 0.3}, .ratio = {0.5, 2.0}, .random_value = true})},
        {"erasing_no_fit", T::RandomErasing({.p = 1.0, .scale = {0.95, 1.0}, .ratio = {1.0, 1.0}})},
    };
}

T::ImageOrTensor color_input(const json& inputs, const std::string& key) {
    if (key == "t_u8") return tensor_from_json(inputs["rgb"]).permute({2, 0, 1}).contiguous();
    if (key == "t_f32") return tensor_from_json(inputs["t_f32"]);
    return Image(tensor_from_json(inputs[key]));
}

TEST(VisionColor, MatchesTorchvision) {
    const json fixture = load_golden("vision_color");
    const json& cases = fixture["cases"];
    const auto transforms = color_transforms();
    EXPECT_EQ(transforms.size(), cases.size());
    for (const auto& [name, transform] : transforms) {
        ASSERT_TRUE(cases.contains(name)) << name;
        const json& c = cases[name];
        if (!c["repr"].is_null()) {
            EXPECT_EQ(transform.repr(), c["repr"].get<std::string>());
        }
        for (const auto& [key, outs] : c["outputs"].items()) {
            for (int variant = 0; variant < (key[0] == 't' ? 2 : 1); ++variant) {
                SCOPED_TRACE(name + " on " + key + (variant ? " (strided)" : ""));
                T::ImageOrTensor in = color_input(fixture["inputs"], key);
                if (variant == 1) {
                    const Tensor t = std::get<Tensor>(in);
                    in = t.transpose(-1, -2).contiguous().transpose(-1, -2);
                }
                const bool seeded = !c["seed"].is_null();
                if (seeded) manual_seed(c["seed"].get<uint64_t>());
                for (const auto& expected : outs) {
                    const T::ImageOrTensor out = transform(in);
                    const Tensor actual = std::holds_alternative<Image>(out)
                                              ? std::get<Image>(out).tensor()
                                              : std::get<Tensor>(out).contiguous();
                    // Float contrast means are sums in another order than torch's: allow an ulp.
                    if (key == "t_f32" && (name.find("contrast") != std::string::npos ||
                                           name.find("jitter") != std::string::npos))
                        EXPECT_TENSOR_CLOSE(actual, tensor_from_json(expected), 1e-6, 1e-6);
                    else
                        EXPECT_TENSOR_EQ(actual, tensor_from_json(expected));
                }
                if (seeded) {
                    EXPECT_EQ(rand({1}).item<float>(), c["next_rand"].get<float>())
                        << "the draws differ from torchvision's";
                }
            }
        }
    }
}

TEST(VisionColor, PillowGreyConversionOfManyColours) {
    const json fixture = load_golden("vision_color");
    const Image rgb(tensor_from_json(fixture["many_rgb"]));
    const Image grey = std::get<Image>(T::Grayscale()(rgb));
    EXPECT_TENSOR_EQ(grey.tensor().squeeze(2), tensor_from_json(fixture["many_l"]));
}

TEST(VisionColor, GrayscaleTensorShapesAndErrors) {
    // Leading batch dims are kept; three output channels are an expanded view of one.
    const Tensor x = rand({2, 2, 3, 4, 5});
    const Tensor g1 = std::get<Tensor>(T::Grayscale()(x));
    EXPECT_EQ(g1.sizes().vec(), (std::vector<int64_t>{2, 2, 1, 4, 5}));
    const Tensor g3 = std::get<Tensor>(T::Grayscale(3)(x));
    EXPECT_EQ(g3.sizes().vec(), x.sizes().vec());
    EXPECT_TENSOR_EQ(g3.select(-3, 2).contiguous(), g1.select(-3, 0).contiguous());
    // A one-channel image is copied through.
    const Tensor one = rand({1, 3, 3});
    EXPECT_TENSOR_EQ(std::get<Tensor>(T::Grayscale()(one)), one);
    // Empty images stay empty.
    EXPECT_EQ(std::get<Tensor>(T::Grayscale()(zeros({3, 0, 4}))).sizes().vec(),
              (std::vector<int64_t>{1, 0, 4}));

    EXPECT_EMBER_ERROR(T::Grayscale(2), "Grayscale", "num_output_channels", "1 or 3", "2");
    EXPECT_EMBER_ERROR(T::Grayscale()(rand({4, 5})), "Grayscale", "at least 3 dimensions",
                       "[4, 5]");
    EXPECT_EMBER_ERROR(T::Grayscale()(rand({2, 4, 5})), "Grayscale", "1 or 3", "2 channels");
}

TEST(VisionColor, RandomErasingChecks) {
    EXPECT_EMBER_ERROR(T::RandomErasing({.p = 1.5}), "RandomErasing", "probability", "1.5");
    EXPECT_EMBER_ERROR(T::RandomErasing({.scale = {0.1, 1.5}}), "RandomErasing", "scale",
                       "(0.1, 1.5)");
    EXPECT_EMBER_ERROR(T::RandomErasing({.p = 1.0})(Image(4, 4, 3)), "RandomErasing",
                       "expected a tensor image", "Image(mode=RGB, size=4x4)");
    EXPECT_EMBER_ERROR(T::RandomErasing({.p = 1.0, .value = {1, 2}})(rand({3, 8, 8})),
                       "RandomErasing", "either a single value or 3", "(1, 2)");
    EXPECT_EMBER_ERROR(T::RandomErasing({.p = 1.0})(rand({8, 8})), "RandomErasing", "[8, 8]");
    EXPECT_EQ(
        T::RandomErasing({.random_value = true, .inplace = true}).repr(),
        "RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=random, inplace=True)");

    // inplace writes into the input; the default returns a new tensor and leaves it alone.
    manual_seed(0);
    Tensor x = ones({3, 10, 10});
    const Tensor out = std::get<Tensor>(T::RandomErasing({.p = 1.0, .inplace = true})(x));
    EXPECT_EQ(out.data_ptr(), x.data_ptr());
    EXPECT_LT(x.sum().item<double>(), 300.0);
    Tensor y = ones({3, 10, 10});
    const Tensor copy = std::get<Tensor>(T::RandomErasing({.p = 1.0})(y));
    EXPECT_NE(copy.data_ptr(), y.data_ptr());
    EXPECT_EQ(y.sum().item<double>(), 300.0);
}

TEST(VisionColor, ColorJitterArguments) {
    EXPECT_EQ(
        T::ColorJitter({.brightness = 0.5, .hue = {-0.1, 0.2}}).repr(),
        "ColorJitter(brightness=[0.5, 1.5], contrast=None, saturation=None, hue=(-0.1, 0.2))");
    EXPECT_EQ(T::ColorJitter().repr(),
              "ColorJitter(brightness=None, contrast=None, saturation=None, hue=None)");
    EXPECT_EMBER_ERROR(T::ColorJitter({.brightness = -0.5}), "ColorJitter", "brightness",
                       "non negative");
    EXPECT_EMBER_ERROR(T::ColorJitter({.hue = {-0.6, 0.2}}), "ColorJitter", "hue",
                       "between (-0.5, 0.5)");
    EXPECT_EMBER_ERROR(T::ColorJitter({.contrast = {1.5, 0.5}}), "ColorJitter", "contrast");
    EXPECT_EMBER_ERROR(T::ColorJitter({.saturation = {1, 2, 3}}), "ColorJitter", "saturation",
                       "3 values");
    EXPECT_EMBER_ERROR(F::adjust_hue(rand({3, 2, 2}), 0.7), "adjust_hue", "[-0.5, 0.5]");
    EXPECT_EMBER_ERROR(F::adjust_brightness(rand({3, 2, 2}), -1), "adjust_brightness",
                       "not non-negative");
    EXPECT_EMBER_ERROR(F::adjust_saturation(rand({2, 2, 2}), 1.5), "adjust_saturation", "1 or 3",
                       "2 channels");
    // No factor enabled: only the permutation is drawn and the image comes back unchanged.
    const Tensor x = rand({3, 4, 4});
    EXPECT_TENSOR_EQ(std::get<Tensor>(T::ColorJitter()(x)), x);
}

TEST(VisionColor, FunctionalErase) {
    const Tensor x = zeros({2, 4, 5});
    const Tensor out = T::functional::erase(x, 1, 2, 2, 3, tensor({5.0f, 6.0f}).view({2, 1, 1}));
    EXPECT_EQ(out.sum().item<double>(), (5.0 + 6.0) * 6);
    EXPECT_EQ(x.sum().item<double>(), 0.0);
    EXPECT_EMBER_ERROR(T::functional::erase(x, 3, 0, 2, 2, zeros({1})), "erase", "does not fit",
                       "[2, 4, 5]");
}

}  // namespace
}  // namespace ember::test

// Resize and RandomResizedCrop beyond the fixture images: torchvision's output size rule,
// max_size, reprs, argument errors, batches and empty tensors. (The pixel values are checked
// against torchvision in test_geometry.cpp.)
#include "ember/vision/vision.h"
#include "support/golden.h"

namespace ember::test {
namespace {

namespace T = ember::vision::transforms;
namespace F = ember::vision::transforms::functional;
using IM = T::InterpolationMode;
using vision::Image;

TEST(VisionResize, OutputSizeRuleMatchesTorchvision) {
    const json fixture = load_golden("vision_geometry");
    for (const auto& c : fixture["resize_sizes"]) {
        const auto size = c[2].get<std::vector<int64_t>>();
        const T::IntOrList arg = size.size() == 1 ? T::IntOrList(size[0]) : T::IntOrList(size);
        std::optional<int64_t> max_size;
        if (!c[3].is_null()) max_size = c[3].get<int64_t>();
        const auto [h, w] =
            F::resized_output_size(c[0].get<int64_t>(), c[1].get<int64_t>(), arg, max_size);
        EXPECT_EQ((std::vector<int64_t>{h, w}), c[4].get<std::vector<int64_t>>()) << c.dump();
    }
}

TEST(VisionResize, ShapesBatchesAndDtypes) {
    // Leading dims are batch dims; integer images are rounded back to their dtype.
    const Tensor x = rand({2, 3, 3, 6, 8});
    const Tensor y = std::get<Tensor>(T::Resize(3)(x));
    EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{2, 3, 3, 3, 4}));
    const Tensor xd = x.to(DType::Float64);
    const Tensor yd = std::get<Tensor>(T::Resize(3)(xd));
    EXPECT_EQ(yd.dtype(), DType::Float64);
    EXPECT_TENSOR_CLOSE(yd.to(DType::Float32), y, 1e-5, 1e-6);
    const Tensor u = full({1, 4, 4}, 200, {.dtype = DType::UInt8});
    const Tensor v = std::get<Tensor>(T::Resize({7, 5})(u));
    EXPECT_EQ(v.dtype(), DType::UInt8);
    EXPECT_TRUE(equal(v, full({1, 7, 5}, 200, {.dtype = DType::UInt8})));
    // A 2-D tensor is an image too; the same size returns the input.
    const Tensor plane = rand({4, 6});
    EXPECT_EQ(std::get<Tensor>(T::Resize(2)(plane)).sizes().vec(), (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(std::get<Tensor>(T::Resize({4, 6})(plane)).data_ptr(), plane.data_ptr());
    // An empty batch keeps its shape rule.
    EXPECT_EQ(std::get<Tensor>(T::Resize({2, 3})(zeros({0, 3, 4, 6}))).sizes().vec(),
              (std::vector<int64_t>{0, 3, 2, 3}));
    // Images keep their mode.
    const Image grey(5, 9, 1);
    const Image small = std::get<Image>(T::Resize(2, {.interpolation = IM::Nearest})(grey));
    EXPECT_EQ(small.height(), 2);
    EXPECT_EQ(small.width(), 3);
    EXPECT_EQ(small.channels(), 1);
}

TEST(VisionResize, ReprsAndErrors) {
    EXPECT_EQ(T::Resize(3).repr(),
              "Resize(size=3, interpolation=bilinear, max_size=None, antialias=None)");
    EXPECT_EQ(T::Resize({4, 5}, {.interpolation = IM::Nearest, .antialias = false}).repr(),
              "Resize(size=(4, 5), interpolation=nearest, max_size=None, antialias=False)");
    EXPECT_EQ(T::Resize(3, {.max_size = 8}).repr(),
              "Resize(size=3, interpolation=bilinear, max_size=8, antialias=None)");
    EXPECT_EMBER_ERROR(T::Resize(3, {.max_size = 3}), "Resize", "max_size = 3", "strictly greater",
                       "size = [3]");
    EXPECT_EMBER_ERROR(T::Resize({3, 4}, {.max_size = 8}), "Resize", "max_size", "smaller edge",
                       "(3, 4)");
    EXPECT_EMBER_ERROR(T::Resize({1, 2, 3}), "Resize", "1 or 2 element", "3 element");
    EXPECT_EMBER_ERROR(T::Resize(0), "Resize", "positive", "0");
    EXPECT_EMBER_ERROR(
        T::Resize(3, {.interpolation = IM::Nearest, .antialias = true})(rand({3, 8, 8})), "Resize",
        "antialias", "nearest");
    EXPECT_EMBER_ERROR(T::Resize(3)(rand({8})), "Resize", "not a torch image", "[8]");
    EXPECT_EMBER_ERROR(T::Resize(3)(zeros({3, 0, 4})), "Resize", "0 x 4");

    EXPECT_EQ(T::RandomResizedCrop(224).repr(),
              "RandomResizedCrop(size=(224, 224), scale=(0.08, 1.0), ratio=(0.75, 1.3333), "
              "interpolation=bilinear), antialias=None)");
    EXPECT_EMBER_ERROR(T::RandomResizedCrop({1, 2, 3}), "RandomResizedCrop", "two dimensions");
}

TEST(VisionResize, RandomResizedCropIsReproducible) {
    const Tensor x = rand({3, 32, 40});
    const T::RandomResizedCrop t(16);
    manual_seed(11);
    const Tensor a = std::get<Tensor>(t(x));
    const Tensor b = std::get<Tensor>(t(x));
    manual_seed(11);
    EXPECT_TENSOR_EQ(std::get<Tensor>(t(x)), a);
    EXPECT_TENSOR_EQ(std::get<Tensor>(t(x)), b);
    EXPECT_EQ(a.sizes().vec(), (std::vector<int64_t>{3, 16, 16}));
}

}  // namespace
}  // namespace ember::test

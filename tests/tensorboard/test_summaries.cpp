// add_histogram's buckets, add_image's pixels and add_hparams' summaries against
// torch.utils.tensorboard.summary (tests/golden/tensorboard_summaries.json).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "support/golden.h"
#include "tensorboard/histogram.h"
#include "tensorboard/image.h"
#include "tensorboard/proto.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

namespace ember::tensorboard {
namespace {

using test::json;

std::string to_hex(const std::string& bytes) {
    std::string out;
    char buf[3];
    for (unsigned char c : bytes) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

HistogramBins bins_from_json(const json& j) {
    if (j.is_string()) return HistogramBins(j.get<std::string>());
    if (j.is_number_integer()) return HistogramBins(j.get<int64_t>());
    return HistogramBins(j.get<std::vector<double>>());
}

TEST(TensorboardHistogram, DefaultEdgesAreTensorflows) {
    const std::vector<double>& edges = default_histogram_edges();
    ASSERT_EQ(edges.size(), 1549u);
    EXPECT_EQ(edges[774], 0.0);
    EXPECT_EQ(edges[775], 1e-12);
    EXPECT_EQ(edges[0], -edges.back());
    EXPECT_NEAR(edges.back(), 9.9208e19, 1e16);
}

TEST(TensorboardHistogram, MatchesPyTorch) {
    const json golden = test::load_golden("tensorboard_summaries");
    for (const json& c : golden["histograms"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const std::vector<double> values =
            test::tensor_from_json(c["values"]).to_vector<double>();
        std::optional<int64_t> max_bins;
        if (!c["max_bins"].is_null()) max_bins = c["max_bins"].get<int64_t>();
        const proto::Histogram h = make_histogram(values, bins_from_json(c["bins"]), max_bins);
        // Edges and counts are computed exactly as numpy does: bit-identical.
        EXPECT_EQ(h.bucket_limit, c["bucket_limit"].get<std::vector<double>>());
        EXPECT_EQ(h.bucket, c["bucket"].get<std::vector<double>>());
        EXPECT_EQ(h.min, c["min"].get<double>());
        EXPECT_EQ(h.max, c["max"].get<double>());
        EXPECT_EQ(h.num, c["num"].get<double>());
        // numpy sums pairwise (and dot uses BLAS): equal up to rounding.
        EXPECT_NEAR(h.sum, c["sum"].get<double>(), 1e-12 * (1 + std::abs(h.sum)));
        EXPECT_NEAR(h.sum_squares, c["sum_squares"].get<double>(), 1e-12 * (1 + h.sum_squares));
    }
}

TEST(TensorboardHistogram, Errors) {
    EXPECT_EMBER_ERROR(make_histogram({}, "tensorflow", std::nullopt), "add_histogram",
                       "no element");
    EXPECT_EMBER_ERROR(HistogramBins("auto"), "add_histogram", "'auto'", "not supported");
    EXPECT_EMBER_ERROR(HistogramBins(0), "add_histogram", "positive");
    EXPECT_EMBER_ERROR(HistogramBins(std::vector<double>{1.0}), "add_histogram", "at least 2");
    EXPECT_EMBER_ERROR(HistogramBins(std::vector<double>{0.0, 2.0, 1.0}), "add_histogram",
                       "increase");
    EXPECT_EMBER_ERROR(make_histogram({5.0, 6.0}, std::vector<double>{0.0, 1.0}, std::nullopt),
                       "add_histogram", "none of the 2 values", "[0, 1]");
    EXPECT_EMBER_ERROR(make_histogram({1.0, INFINITY}, 3, std::nullopt), "add_histogram",
                       "not finite");
}

TEST(TensorboardImage, MatchesPyTorch) {
    const json golden = test::load_golden("tensorboard_summaries");
    for (const json& c : golden["images"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const Tensor input = test::tensor_from_json(c["input"]);
        const EncodedImage image =
            encode_image(input, c["dataformats"].get<std::string>(), "add_image");
        EXPECT_EQ(image.height, c["height"].get<int64_t>());
        EXPECT_EQ(image.width, c["width"].get<int64_t>());
        EXPECT_EQ(image.channels, c["colorspace"].get<int64_t>());
        int w = 0, h = 0, n = 0;
        std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
            stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(image.png.data()),
                                  static_cast<int>(image.png.size()), &w, &h, &n, 0),
            stbi_image_free);
        ASSERT_NE(pixels, nullptr) << "not a PNG";
        EXPECT_EQ(h, image.height);
        EXPECT_EQ(w, image.width);
        EXPECT_EQ(n, image.channels);
        const auto expected = c["pixels"].get<std::vector<int>>();
        ASSERT_EQ(expected.size(), size_t(w) * size_t(h) * size_t(n));
        std::vector<int> actual(pixels.get(), pixels.get() + expected.size());
        EXPECT_EQ(actual, expected);
    }
}

TEST(TensorboardImage, NonContiguousInputAndClipping) {
    // A transposed (non-contiguous) HWC view read as CHW gives the same pixels as a copy.
    const Tensor hwc = rand({4, 5, 3});
    const Tensor chw_view = hwc.permute({2, 0, 1});
    EXPECT_EQ(encode_image(chw_view, "CHW", "add_image").png,
              encode_image(chw_view.contiguous(), "CHW", "add_image").png);
    EXPECT_EQ(encode_image(hwc, "HWC", "add_image").png,
              encode_image(chw_view, "CHW", "add_image").png);
    // Out-of-range floats are clipped to [0, 255], as current PyTorch does.
    const EncodedImage image = encode_image(tensor({-1.0f, 0.5f, 2.0f}).view({1, 1, 3}), "HWC",
                                            "add_image");
    int w = 0, h = 0, n = 0;
    stbi_uc* p = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(image.png.data()),
                                       static_cast<int>(image.png.size()), &w, &h, &n, 0);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(p[1], 127);
    EXPECT_EQ(p[2], 255);
    stbi_image_free(p);
}

TEST(TensorboardImage, Errors) {
    EXPECT_EMBER_ERROR(encode_image(rand({3, 4}), "CHW", "add_image"), "add_image", "'CHW'",
                       "[3, 4]");
    EXPECT_EMBER_ERROR(encode_image(rand({3, 4, 5}), "CHX", "add_image"), "add_image",
                       "ordering of HWC", "'CHX'");
    EXPECT_EMBER_ERROR(encode_image(rand({2, 4, 5}), "CHW", "add_image"), "add_image",
                       "1, 3 or 4 channels, got 2");
    EXPECT_EMBER_ERROR(encode_image(rand({2, 4, 4, 5}), "NCHW", "add_images"), "add_images",
                       "1 or 3 channels, got 4");
    EXPECT_EMBER_ERROR(encode_image(rand({0, 3, 4, 5}), "NCHW", "add_images"), "add_images",
                       "empty");
    EXPECT_EMBER_ERROR(encode_image(rand({3, 0, 5}), "CHW", "add_image"), "add_image", "empty",
                       "[3, 0, 5]");
}

TEST(TensorboardHparams, SummariesMatchPyTorchBytes) {
    const json golden = test::load_golden("tensorboard_summaries");
    const json& hp = golden["hparams"];
    const std::vector<proto::HParam> numbers{{"lr", std::nullopt, 0.1}};
    EXPECT_EQ(to_hex(proto::summary({proto::hparams_experiment_value(
                  numbers, {"hparam/accuracy", "hparam/loss"})})),
              hp["experiment_number"].get<std::string>());
    EXPECT_EQ(to_hex(proto::summary({proto::hparams_session_start_value(numbers)})),
              hp["session_start_number"].get<std::string>());
    EXPECT_EQ(to_hex(proto::summary({proto::hparams_session_end_value()})),
              hp["session_end"].get<std::string>());
    // A string, an int and a bool (a number, as Python's bool is an int).
    const std::vector<proto::HParam> mixed{
        {"optimizer", "sgd", 0}, {"bsize", std::nullopt, 32}, {"nesterov", std::nullopt, 1}};
    EXPECT_EQ(to_hex(proto::summary({proto::hparams_experiment_value(mixed, {"m"})})),
              hp["experiment_mixed"].get<std::string>());
    EXPECT_EQ(to_hex(proto::summary({proto::hparams_session_start_value(mixed)})),
              hp["session_start_mixed"].get<std::string>());
}

TEST(TensorboardHparams, ValuesConvertAsPyTorch) {
    EXPECT_EQ(HParamValue(true).number(), 1.0);
    EXPECT_EQ(HParamValue(32).number(), 32.0);
    EXPECT_EQ(HParamValue("adam").string(), "adam");
    EXPECT_EQ(HParamValue(tensor({0.5})).number(), 0.5);
    EXPECT_EMBER_ERROR(HParamValue(tensor({0.5, 1.0})), "add_hparams", "one element", "[2]");
}

}  // namespace
}  // namespace ember::tensorboard

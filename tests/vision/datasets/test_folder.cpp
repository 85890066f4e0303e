// ImageFolder against torchvision (class and sample order, RGB conversion of PNG, BMP, PNM and
// JPEG files), load_image and save_png, and the error paths.
#include "ember/vision/datasets/folder.h"

#include <filesystem>

#include "ember/data/dataloader.h"
#include "ember/vision/image_io.h"
#include "support/golden.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

namespace vd = vision::datasets;
using vision::ImageReadMode;
using vision::load_image;

TEST(ImageFolder, MatchesTorchvision) {
    const json golden = load_golden("vision_datasets");
    const json& g = golden["folder"];
    const std::string root = vision_data("folder");
    vd::ImageFolder ds(root);
    EXPECT_EQ(ds.classes(), g["classes"].get<std::vector<std::string>>());
    ASSERT_EQ(ds.size(), int64_t(g["samples"].size()));
    for (size_t i = 0; i < g["samples"].size(); ++i) {
        const std::string rel = g["samples"][i][0];
        SCOPED_TRACE(rel);
        EXPECT_EQ(ds.samples()[i].first, root + "/" + rel);  // torchvision's os.path.join
        EXPECT_EQ(ds.samples()[i].second, g["samples"][i][1].get<int64_t>());
        auto [image, target] = ds.item(int64_t(i));
        const json& item = g["items"][i];
        EXPECT_EQ(target, item["target"].get<int64_t>());
        EXPECT_STREQ(image.mode(), "RGB");
        EXPECT_EQ(image.width(), item["size"][0].get<int64_t>());
        EXPECT_EQ(image.height(), item["size"][1].get<int64_t>());
        if (item.contains("pixels")) {
            // JPEG: stb_image's decoder rounds differently from PIL's libjpeg.
            const Tensor expected = tensor(item["pixels"].get<std::vector<int64_t>>());
            const Tensor diff = (image.tensor().reshape({-1}).to(DType::Int64) - expected).abs();
            // They differ by at most 2 levels on this fixture.
            EXPECT_LE(diff.max().item<int64_t>(), 4) << "JPEG pixels differ from PIL's by more than 4";
        } else {
            EXPECT_EQ(image_md5(image), item["md5"].get<std::string>());
        }
    }
    EXPECT_EQ(ds.targets().size(), size_t(ds.size()));
    auto [x, y] = ds.get(0);
    EXPECT_EQ(x.size(0), 3);
    EXPECT_EQ(y.item<int64_t>(), 0);
}

TEST(ImageFolder, WorkerThreadsLoadTheSameBatches) {
    // get() runs on several worker threads at once: decoding must not share state.
    vd::ImageFolder ds(vision_data("folder"), {.transform = [](vision::transforms::ImageOrTensor in) {
                           // One size for every image, so that the batch stacks.
                           return vision::transforms::as_tensor(std::move(in)).flatten().narrow(0, 0, 4);
                       }});
    std::vector<Tensor> serial, threaded;
    for (const auto& [x, y] : data::DataLoader(ds, {.batch_size = 3})) serial.push_back(x);
    for (const auto& [x, y] : data::DataLoader(ds, {.batch_size = 3, .num_workers = 2}))
        threaded.push_back(x);
    ASSERT_EQ(serial.size(), threaded.size());
    for (size_t i = 0; i < serial.size(); ++i) EXPECT_TENSOR_EQ(threaded[i], serial[i]);
}

TEST(ImageFolder, ExtensionsAndLoaderOptions) {
    vd::ImageFolder pngs(vision_data("folder"), {.extensions = {".png"}});
    for (const auto& [path, target] : pngs.samples()) EXPECT_TRUE(path.ends_with(".png") || path.ends_with(".PNG"));
    EXPECT_EQ(pngs.size(), 5);
    int calls = 0;
    vd::ImageFolder counted(vision_data("folder"), {.loader = [&](const std::string& path) {
                                ++calls;
                                return load_image(path, ImageReadMode::Gray);
                            }});
    EXPECT_EQ(counted.item(3).first.channels(), 1);
    EXPECT_EQ(calls, 1);
}

TEST(ImageFolder, ErrorsNameTheFolderOrFile) {
    const std::string bad = vision_data("folder_bad/");
    EXPECT_EMBER_ERROR(vd::ImageFolder(bad + "no_classes"), "ImageFolder",
                       "couldn't find any class folder", "no_classes");
    EXPECT_EMBER_ERROR(vd::ImageFolder(bad + "empty_class"), "ImageFolder",
                       "found no valid file for the classes y", ".jpg, .jpeg, .png");
    EXPECT_EMBER_ERROR(vd::ImageFolder(bad + "missing"), "ImageFolder", "is not a folder");
    vd::ImageFolder corrupt(bad + "corrupt");
    ASSERT_EQ(corrupt.size(), 2);
    EXPECT_EMBER_ERROR(corrupt.item(0), "load_image", "bad.png");
    EXPECT_EQ(corrupt.item(1).first.width(), 2);
    vd::ImageFolder tiff(bad + "unsupported");
    EXPECT_EMBER_ERROR(tiff.item(0), "load_image", "a.tif", "TIFF", "cannot decode");
}

TEST(LoadImage, ModesAndGreyFiles) {
    const json golden = load_golden("vision_datasets");
    for (const auto& [rel, rec] : golden["folder"]["grey"].items()) {
        SCOPED_TRACE(rel);
        const vision::Image grey = load_image(vision_data("folder/" + rel));
        EXPECT_STREQ(grey.mode(), "L");
        EXPECT_EQ(image_md5(grey), rec["md5"].get<std::string>());
        const vision::Image rgb = load_image(vision_data("folder/" + rel), ImageReadMode::RGB);
        EXPECT_TENSOR_EQ(rgb.tensor().select(2, 1), grey.tensor().select(2, 0));
    }
    const vision::Image rgb = load_image(vision_data("folder/cat/a.png"));
    EXPECT_STREQ(rgb.mode(), "RGB");
    EXPECT_EQ(load_image(vision_data("folder/cat/a.png"), ImageReadMode::Gray).channels(), 1);
    EXPECT_EMBER_ERROR(load_image(vision_data("folder/missing.png")), "load_image", "cannot open",
                       "missing.png");
}

TEST(SavePng, RoundTripsGreyAndRgb) {
    ScratchDir dir("save_png");
    const vision::Image rgb = load_image(vision_data("folder/dog/e.png"));
    vision::save_png(rgb, dir / "rgb.png");
    EXPECT_TENSOR_EQ(load_image(dir / "rgb.png").tensor(), rgb.tensor());
    const vision::Image grey = load_image(vision_data("folder/cat/b.PNG"));
    vision::save_png(grey, dir / "grey.png");
    EXPECT_TENSOR_EQ(load_image(dir / "grey.png").tensor(), grey.tensor());
    EXPECT_EMBER_ERROR(vision::save_png(grey, dir / "no/such/folder/x.png"), "save_png",
                       "cannot write");
    EXPECT_EMBER_ERROR(vision::save_png(vision::Image(), dir / "empty.png"), "save_png", "empty");
}

}  // namespace
}  // namespace ember::test

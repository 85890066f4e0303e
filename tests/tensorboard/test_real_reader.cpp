// TensorBoard's own reader (event_accumulator, through tools/golden/tensorboard_read.py run by
// the golden venv) reads back every tag, step, value, histogram bucket, image size, text and
// hparams entry that ember wrote, including the seed's training loop logging its loss.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <filesystem>

#include "event_reader.h"
#include "support/golden.h"
#include "tensorboard/histogram.h"

namespace ember::tensorboard {
namespace {

using test::json;
using test_util::TempLogDir;

const std::filesystem::path kRoot = std::filesystem::path(EMBER_GOLDEN_DIR) / ".." / "..";

// The python of the venv CTest makes (tools/tensorboard_venv.sh), else of the golden venv, or ""
// (with the reason in why) when neither has the tensorboard package.
std::string reader_python(std::string& why) {
    for (const std::filesystem::path& venv :
         {std::filesystem::path(EMBER_TENSORBOARD_VENV), kRoot / "build" / "golden-venv"}) {
        const std::filesystem::path python = venv / "bin" / "python";
        if (!std::filesystem::exists(python)) continue;
        const std::string probe = "'" + python.string() + "' -c 'import tensorboard' 2>/dev/null";
        if (std::system(probe.c_str()) == 0) return python.string();
    }
    why = "neither ";
    why += EMBER_TENSORBOARD_VENV;
    why += " (made by tools/tensorboard_venv.sh when CTest runs) nor build/golden-venv has the "
           "tensorboard package";
    return "";
}

// Runs tools/golden/<script> with the arguments and parses the JSON it prints.
json run_script(const std::string& python, const std::string& script,
                const std::vector<std::string>& args) {
    std::string command =
        "'" + python + "' '" + (kRoot / "tools" / "golden" / script).string() + "'";
    for (const std::string& arg : args) command += " '" + arg + "'";
    std::FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr) << command;
    if (!pipe) return json();
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << command;
    return json::parse(out);
}

json read_with_tensorboard(const std::string& python, const std::string& log_dir) {
    return run_script(python, "tensorboard_read.py", {log_dir});
}

// Without TensorBoard's reader these tests fail (never skip), saying how to get it.
#define REQUIRE_TENSORBOARD(python)                                                            \
    std::string why_;                                                                          \
    const std::string python = reader_python(why_);                                            \
    if (python.empty())                                                                        \
        FAIL() << "TensorBoard's reader is unavailable (" << why_                              \
               << "); CTest makes it with tools/tensorboard_venv.sh (needs python3-venv from "  \
                  "scripts/install-deps and PyPI), or run: python3 -m venv "                   \
                  "--system-site-packages build/golden-venv && build/golden-venv/bin/pip "     \
                  "install -r tools/golden/requirements.txt"

TEST(TensorboardRealReader, ReadsEverySummaryKind) {
    REQUIRE_TENSORBOARD(python);
    TempLogDir dir;
    const Tensor hist_values = randn({200});
    const Tensor hist_values2 = rand({3, 5}).mul(10);
    {
        SummaryWriter writer(dir.str());
        for (int step = 0; step < 5; ++step) writer.add_scalar("loss", 1.0 / (step + 1), step);
        writer.add_scalar("acc", tensor({0.75f}), 9);
        writer.add_scalars("cmp", {{"train", 1.5}, {"val", 2.5}}, 3);
        writer.add_histogram("weights", hist_values, 1);
        writer.add_histogram("counts", hist_values2, 2, 10);
        writer.add_image("img", rand({3, 6, 4}), 1);
        writer.add_image("gray", rand({5, 7}).mul(255).to(DType::UInt8), 2, std::nullopt, "HW");
        writer.add_image("rgba", rand({2, 3, 4}), 3, std::nullopt, "HWC");
        writer.add_images("batch", rand({10, 1, 2, 3}), 4);
        writer.add_text("note", "héllo **world**", 6);
        writer.add_hparams({{"lr", 0.01}, {"bsize", 32}, {"opt", "sgd"}, {"nesterov", true}},
                           {{"hparam/accuracy", 0.875}}, "hp");
    }
    const json runs = read_with_tensorboard(python, dir.str());
    ASSERT_TRUE(runs.contains(".")) << runs.dump();
    const json& main = runs["."];
    if (std::getenv("EMBER_TB_DUMP")) std::cerr << runs.dump() << "\n";

    const json& loss = main["scalars"]["loss"];
    ASSERT_EQ(loss.size(), 5u);
    for (int step = 0; step < 5; ++step) {
        EXPECT_EQ(loss[step][0].get<int64_t>(), step);
        EXPECT_EQ(loss[step][1].get<double>(), double(float(1.0 / (step + 1))));
    }
    EXPECT_EQ(main["scalars"]["acc"], json::parse("[[9, 0.75]]"));
    EXPECT_EQ(runs["cmp_train"]["scalars"]["cmp"], json::parse("[[3, 1.5]]"));
    EXPECT_EQ(runs["cmp_val"]["scalars"]["cmp"], json::parse("[[3, 2.5]]"));

    const auto check_histogram = [&](const std::string& tag, const Tensor& values,
                                     const HistogramBins& bins, int64_t step) {
        SCOPED_TRACE(tag);
        const json& h = main["histograms"][tag];
        ASSERT_EQ(h.size(), 1u);
        const proto::Histogram expected = make_histogram(values.to_vector<double>(), bins, {});
        EXPECT_EQ(h[0]["step"].get<int64_t>(), step);
        EXPECT_EQ(h[0]["bucket_limit"].get<std::vector<double>>(), expected.bucket_limit);
        EXPECT_EQ(h[0]["bucket"].get<std::vector<double>>(), expected.bucket);
        EXPECT_EQ(h[0]["min"].get<double>(), expected.min);
        EXPECT_EQ(h[0]["max"].get<double>(), expected.max);
        EXPECT_EQ(h[0]["num"].get<double>(), double(values.numel()));
        EXPECT_EQ(h[0]["sum"].get<double>(), expected.sum);
        EXPECT_EQ(h[0]["sum_squares"].get<double>(), expected.sum_squares);
    };
    check_histogram("weights", hist_values, "tensorflow", 1);
    check_histogram("counts", hist_values2, 10, 2);

    const auto check_image = [&](const std::string& tag, int64_t step, int64_t h, int64_t w,
                                 const std::string& mode) {
        SCOPED_TRACE(tag);
        const json& images = main["images"][tag];
        ASSERT_EQ(images.size(), 1u);
        EXPECT_EQ(images[0]["step"].get<int64_t>(), step);
        EXPECT_EQ(images[0]["height"].get<int64_t>(), h);
        EXPECT_EQ(images[0]["width"].get<int64_t>(), w);
        if (images[0].contains("png_mode")) {  // decoded by PIL
            EXPECT_EQ(images[0]["png_height"].get<int64_t>(), h);
            EXPECT_EQ(images[0]["png_width"].get<int64_t>(), w);
            EXPECT_EQ(images[0]["png_mode"].get<std::string>(), mode);
        }
    };
    check_image("img", 1, 6, 4, "RGB");
    check_image("gray", 2, 5, 7, "RGB");
    check_image("rgba", 3, 2, 3, "RGBA");
    check_image("batch", 4, 4, 24, "RGB");  // 10 images, 8 per row

    EXPECT_EQ(main["texts"]["note/text_summary"], json::parse("[[6, \"héllo **world**\"]]"));

    ASSERT_TRUE(runs.contains("hp")) << runs.dump();
    const json& hp = runs["hp"];
    const json& start = hp["hparams"]["_hparams_/session_start_info"]["sessionStartInfo"]["hparams"];
    // MessageToDict shows google.protobuf.Value as a plain JSON value.
    EXPECT_EQ(start, json::parse(R"({"lr": 0.01, "bsize": 32.0, "opt": "sgd", "nesterov": 1.0})"));
    const json& experiment = hp["hparams"]["_hparams_/experiment"]["experiment"];
    ASSERT_EQ(experiment["hparamInfos"].size(), 4u);
    EXPECT_EQ(experiment["hparamInfos"][2],
              json::parse(R"({"name": "opt", "type": "DATA_TYPE_STRING"})"));
    EXPECT_EQ(experiment["metricInfos"],
              json::parse(R"([{"name": {"tag": "hparam/accuracy"}}])"));
    EXPECT_EQ(hp["hparams"]["_hparams_/session_end_info"]["sessionEndInfo"]["status"],
              "STATUS_SUCCESS");
    EXPECT_EQ(hp["scalars"]["hparam/accuracy"], json::parse("[[0, 0.875]]"));
}

// The seed's loop (nn::Linear, MSELoss, SGD with momentum, LambdaLR) logging
// writer.add_scalar("Loss", loss, epoch), then close(): TensorBoard reads the same values.
TEST(TensorboardRealReader, SeedLoopLossesReadBackAsWritten) {
    REQUIRE_TENSORBOARD(python);
    TempLogDir dir;
    manual_seed(0);
    nn::Linear model(1, 1);
    const Tensor x = randn({100, 1});
    const Tensor y = 3 * x - 0.5 + 0.1 * randn({100, 1});
    nn::MSELoss criterion;
    optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});
    optim::lr_scheduler::LambdaLR scheduler(optimizer,
                                            [](int64_t epoch) { return std::pow(0.95, epoch); });
    SummaryWriter writer(dir.str());
    std::vector<float> logged;
    for (int epoch = 0; epoch < 20; ++epoch) {
        Tensor loss;
        for (int64_t i = 0; i < 100; i += 10) {
            loss = criterion(model(x.narrow(0, i, 10)), y.narrow(0, i, 10));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        writer.add_scalar("Loss", loss, epoch);  // the tensor itself, as the seed passes it
        logged.push_back(loss.item<float>());
        scheduler.step();
    }
    writer.close();
    const json runs = read_with_tensorboard(python, dir.str());
    const json& values = runs["."]["scalars"]["Loss"];
    ASSERT_EQ(values.size(), logged.size());
    for (size_t epoch = 0; epoch < logged.size(); ++epoch) {
        EXPECT_EQ(values[epoch][0].get<int64_t>(), int64_t(epoch));
        EXPECT_EQ(values[epoch][1].get<double>(), double(logged[epoch]));
    }
    EXPECT_LT(logged.back(), logged.front());  // it trained
}

// `tensorboard --logdir` serves what ember wrote: its HTTP API returns the scalars of a run.
TEST(TensorboardRealReader, ServerHttpApiReturnsTheScalars) {
    REQUIRE_TENSORBOARD(python);
    TempLogDir dir;
    std::vector<float> written;
    {
        SummaryWriter writer((dir.path() / "train").string());
        for (int epoch = 0; epoch < 7; ++epoch) {
            written.push_back(static_cast<float>(std::exp(-0.3 * epoch)));
            writer.add_scalar("Loss", written.back(), epoch);
        }
    }
    const json rows = run_script(python, "tensorboard_http.py", {dir.str(), "train", "Loss"});
    ASSERT_EQ(rows.size(), written.size()) << rows.dump();
    for (size_t epoch = 0; epoch < written.size(); ++epoch) {
        EXPECT_EQ(rows[epoch][0].get<int64_t>(), int64_t(epoch));
        EXPECT_EQ(rows[epoch][1].get<double>(), double(written[epoch]));
    }
}

}  // namespace
}  // namespace ember::tensorboard

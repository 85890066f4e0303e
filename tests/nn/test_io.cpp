// Saving and loading safetensors (round trips, a file written by the reference implementation,
// corrupt files), loading into modules, and nn::utils against PyTorch.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember {
namespace {

using test::load_golden;
using test::tensor_from_json;

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("ember_test_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

TEST(NnIo, ReadsAFileWrittenByTheReferenceImplementation) {
    const auto fx = load_golden("nn_io");
    OrderedDict<Tensor> loaded = load(std::string(EMBER_GOLDEN_DIR) + "/reference.safetensors");
    ASSERT_EQ(loaded.size(), fx["tensors"].size());
    for (const auto& [name, expected] : fx["tensors"].items()) {
        SCOPED_TRACE(name);
        EXPECT_TENSOR_EQ(loaded.at(name), tensor_from_json(expected));
    }
    EXPECT_EQ(load_metadata(std::string(EMBER_GOLDEN_DIR) + "/reference.safetensors").at("format"),
              "pt");
}

TEST(NnIo, RoundTripEveryDtypeAndNonContiguousTensors) {
    OrderedDict<Tensor> tensors;
    tensors.insert("t", randn({3, 4}).t());  // non-contiguous: saved row-major
    tensors.insert("half", randn({5}).to_half());
    tensors.insert("bf", randn({2, 2}).to_bfloat16());
    tensors.insert("long", arange(6).view({2, 3}));
    tensors.insert("bool", tensor({true, false}));
    tensors.insert("scalar", tensor(3.5));
    tensors.insert("empty", zeros({0}));
    const std::string path = temp_path("roundtrip.safetensors");
    save(tensors, path, {{"step", "7"}});
    OrderedDict<Tensor> back = load(path);
    EXPECT_EQ(back.keys(), tensors.keys());
    for (const auto& [name, t] : tensors) EXPECT_TENSOR_EQ(back.at(name), t.contiguous());
    EXPECT_EQ(load_metadata(path).at("step"), "7");
    std::remove(path.c_str());
}

TEST(NnIo, ModuleStateDictThroughAFile) {
    manual_seed(0);
    nn::Sequential a(nn::Linear(3, 4), nn::ReLU(), nn::Linear(4, 2));
    manual_seed(1);
    nn::Sequential b(nn::Linear(3, 4), nn::ReLU(), nn::Linear(4, 2));
    const std::string path = temp_path("model.safetensors");
    save(a.state_dict(), path);
    b.load_state_dict(load(path));
    Tensor x = randn({5, 3});
    EXPECT_TENSOR_EQ(b(x), a(x));
    // Names, shapes and dtypes are checked.
    nn::Sequential other(nn::Linear(3, 5));
    EXPECT_EMBER_ERROR(other.load_state_dict(load(path)),
                       "Unexpected key(s) in state_dict: \"2.weight\", \"2.bias\". ",
                       "size mismatch for 0.weight: copying a param with shape [4, 3] from "
                       "checkpoint, the shape in current model is [5, 3].");
    b.to(float64);
    EXPECT_EMBER_ERROR(b.load_state_dict(load(path)),
                       "dtype mismatch for 0.weight: copying a param with dtype float32");
    std::remove(path.c_str());
}

TEST(NnIo, CorruptFilesAreRefusedClearly) {
    const std::string path = temp_path("corrupt.safetensors");
    auto write = [&](const std::string& bytes) {
        std::ofstream(path, std::ios::binary) << bytes;
    };
    write("abc");
    EXPECT_EMBER_ERROR(load(path), "is not a safetensors file");
    OrderedDict<Tensor> one;
    one.insert("x", ones({4}));
    save(one, path);
    std::string good;
    {
        std::ifstream in(path, std::ios::binary);
        good.assign(std::istreambuf_iterator<char>(in), {});
    }
    write(good.substr(0, good.size() - 3));  // truncated data
    EXPECT_EMBER_ERROR(load(path), "lies outside the file");
    std::string bad_json = good;
    bad_json[8] = '[';
    write(bad_json);
    EXPECT_EMBER_ERROR(load(path), "the header is not valid JSON");
    write(std::string("\x02\0\0\0\0\0\0\0[]", 10));
    EXPECT_EMBER_ERROR(load(path), "the header is not a JSON object");
    EXPECT_EMBER_ERROR(load(temp_path("missing.safetensors")), "load: cannot open");
    std::remove(path.c_str());
}

TEST(NnIo, SaveNeverLeavesAPartialFile) {
    // A directory that does not exist: nothing is created, the error names the path.
    OrderedDict<Tensor> one;
    one.insert("x", ones({2}));
    EXPECT_EMBER_ERROR(save(one, "/nonexistent-dir/x.safetensors"), "save: cannot create");
    EXPECT_FALSE(std::filesystem::exists("/nonexistent-dir/x.safetensors"));
}

TEST(NnUtils, ClipGradNormMatchesPyTorch) {
    const auto fixture = load_golden("nn_io");  // kept alive: the loop reads into it
    for (const auto& c : fixture["clip_grad_norm"]) {
        const double norm_type = c["norm_type"].is_string() ? INFINITY : c["norm_type"].get<double>();
        SCOPED_TRACE(norm_type);
        Tensor a = zeros({2, 3}).requires_grad_(), b = zeros({4}).requires_grad_();
        a.mutable_grad() = linspace(-1, 1, 6).reshape({2, 3});
        b.mutable_grad() = tensor({0.5f, -2.0f, 0.25f, 1.0f});
        Tensor total = nn::utils::clip_grad_norm_({a, b}, c["max_norm"].get<double>(), norm_type);
        EXPECT_TENSOR_CLOSE(total, tensor_from_json(c["total"]));
        EXPECT_TENSOR_CLOSE(a.grad(), tensor_from_json(c["grads"][0]));
        EXPECT_TENSOR_CLOSE(b.grad(), tensor_from_json(c["grads"][1]));
    }
}

TEST(NnUtils, ClipGradValueAndParameterVectors) {
    Tensor a = zeros({3}).requires_grad_();
    a.mutable_grad() = tensor({-2.f, 0.5f, 3.f});
    nn::utils::clip_grad_value_({a}, 1.0);
    EXPECT_TENSOR_EQ(a.grad(), tensor({-1.f, 0.5f, 1.f}));
    Tensor w = ones({2, 2}).requires_grad_(), v = zeros({3}).requires_grad_();
    Tensor flat = nn::utils::parameters_to_vector({w, v});
    EXPECT_EQ(flat.numel(), 7);
    nn::utils::vector_to_parameters(arange(7).to_float(), {w, v});
    EXPECT_TENSOR_EQ(v.detach(), tensor({4.f, 5.f, 6.f}));
    EXPECT_EMBER_ERROR(nn::utils::vector_to_parameters(zeros({3}), {w, v}),
                       "the vector has 3 elements, the parameters 7");
    Tensor nan_grad = zeros({1}).requires_grad_();
    nan_grad.mutable_grad() = tensor({NAN});
    EXPECT_EMBER_ERROR(nn::utils::clip_grad_norm_({nan_grad}, 1.0, 2.0, true),
                       "for gradients from `parameters` is non-finite");
}

}  // namespace
}  // namespace ember

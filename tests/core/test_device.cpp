// Device parsing, comparison and printing; the CPU-only build's CUDA errors; dtype helpers.
#include <sstream>

#include "support/golden.h"

using namespace ember;

TEST(Device, ParsesPyTorchSpellings) {
    EXPECT_TRUE(Device("cpu").is_cpu());
    EXPECT_EQ(Device("cuda").index, -1);
    EXPECT_EQ(Device("cuda:1").index, 1);
    EXPECT_EQ(Device("cuda:1").str(), "cuda:1");
    EXPECT_EQ(Device("cpu:0").str(), "cpu");
    EXPECT_TRUE(Device("cpu") == kCPU);
    EXPECT_FALSE(Device("cuda:0") == Device("cuda:1"));
    std::ostringstream ss;
    ss << Device("cuda:3");
    EXPECT_EQ(ss.str(), "cuda:3");
    for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "cuda:1:2", "cpu:1", "", "CUDA"})
        EXPECT_EMBER_ERROR(Device{std::string_view(bad)}, "Device");
}

TEST(Device, CpuOnlyBuildExplainsCuda) {
    EXPECT_FALSE(cuda_is_available());
    EXPECT_EQ(cuda_device_count(), 0);
    EXPECT_EMBER_ERROR(ones({2}).to(Device("cuda:0")), "ember was built without CUDA");
    EXPECT_EMBER_ERROR(ones({2}).cuda(), "ember was built without CUDA");
    EXPECT_EMBER_ERROR(tensor({1., 2.}, {.device = kCUDA}), "ember was built without CUDA");
    // The message names the device asked for.
    EXPECT_EMBER_ERROR(tensor({{1, 2}, {3, 4}}, {.device = "cuda:0"}),
                       "ember was built without CUDA: cannot place a tensor on cuda:0");
}

TEST(DType, NamesPromotionAndCasting) {
    EXPECT_STREQ(dtype_name(float32), "float32");
    EXPECT_STREQ(dtype_short_name(int64), "Long");
    EXPECT_EQ(element_size(bfloat16), 2);
    EXPECT_EQ(promote_types(uint8, int8), int16);
    EXPECT_EQ(promote_types(bfloat16, float16), float32);
    EXPECT_EQ(promote_types(bool_, int32), int32);
    EXPECT_EQ(promote_types(int64, float16), float16);
    EXPECT_TRUE(can_cast(int64, float32));
    EXPECT_FALSE(can_cast(float32, int64));
    EXPECT_FALSE(can_cast(int8, bool_));
    EXPECT_TRUE(is_floating_point(bfloat16));
    EXPECT_FALSE(is_integral(bool_));
    EXPECT_TRUE(is_integral(bool_, true));
}

TEST(DType, ConversionsAndRequiresGrad) {
    Tensor x = tensor({1.7, -2.2});
    EXPECT_EQ(x.to_long().to_vector<int64_t>(), (std::vector<int64_t>{1, -2}));
    EXPECT_EQ(x.to_bool().to_vector<int64_t>(), (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(x.to_double().dtype(), float64);
    EXPECT_TRUE(x.to(float32).is_same(x));  // no copy when nothing changes
    EXPECT_FALSE(x.to(float32, true).is_same(x));
    EXPECT_EMBER_ERROR(tensor({1, 2}).requires_grad_(), "only Tensors of floating point dtype can require gradients");
    EXPECT_TRUE(ones({2}).requires_grad_().requires_grad());
}

// Factories against PyTorch (tests/golden/factory.json, tools/golden/factory.py), from_blob,
// and the float16/bfloat16 conversions.
#include <bit>
#include <cstring>

#include "support/golden.h"

using namespace ember;
using ember::test::dtype_from_name;
using ember::test::json;
using ember::test::tensor_from_json;

namespace {

const json& fixture() {
    static const json j = ember::test::load_golden("factory");
    return j;
}

Scalar scalar_from_json(const json& j) {
    if (j.is_number_integer()) return Scalar(j.get<int64_t>());
    return Scalar(j.get<double>());
}

}  // namespace

TEST(Factory, ArangeMatchesPyTorch) {
    for (const json& c : fixture()["arange"]) {
        std::vector<Scalar> a;
        for (const json& v : c["args"]) a.push_back(scalar_from_json(v));
        TensorOptions o;
        if (c.contains("dtype")) o.dtype = dtype_from_name(c["dtype"]);
        SCOPED_TRACE(c["args"].dump());
        auto make = [&] {
            if (a.size() == 1) return arange(a[0], o);
            if (a.size() == 2) return arange(a[0], a[1], 1, o);
            return arange(a[0], a[1], a[2], o);
        };
        if (c.contains("error")) {
            const std::string expected_error = c["error"].get<std::string>();
            EXPECT_EMBER_ERROR(make(), expected_error.c_str());
        } else {
            EXPECT_TENSOR_CLOSE(make(), tensor_from_json(c["result"]), 1e-7, 1e-7);
        }
    }
}

TEST(Factory, LinspaceMatchesPyTorch) {
    for (const json& c : fixture()["linspace"]) {
        SCOPED_TRACE(c.dump().substr(0, 80));
        Tensor got = linspace(c["start"].get<double>(), c["end"].get<double>(),
                              c["steps"].get<int64_t>(), {.dtype = dtype_from_name(c["dtype"])});
        EXPECT_TENSOR_CLOSE(got, tensor_from_json(c["result"]), 1e-6, 1e-7);
    }
    EXPECT_EMBER_ERROR(linspace(0, 1, -1), "linspace", "non-negative");
}

TEST(Factory, DtypeInferenceAndFill) {
    const json& c = fixture()["inference"];
    EXPECT_TENSOR_EQ(tensor({{1., -1.}, {1., -1.}}), tensor_from_json(c["float_nested"]));
    EXPECT_TENSOR_EQ(tensor({1, 2, 3}), tensor_from_json(c["int_list"]));
    EXPECT_TENSOR_EQ(tensor({true, false}), tensor_from_json(c["bool_list"]));
    EXPECT_TENSOR_EQ(tensor({1, 2.}), tensor_from_json(c["mixed_int_float"]));
    EXPECT_TENSOR_EQ(tensor(3), tensor_from_json(c["scalar_int"]));
    EXPECT_TENSOR_EQ(tensor(3.5), tensor_from_json(c["scalar_float"]));
    EXPECT_TENSOR_EQ(tensor({true, 2}), tensor_from_json(c["bool_int"]));
    EXPECT_TENSOR_EQ(tensor({}), tensor_from_json(c["empty"]));
    EXPECT_TENSOR_EQ(full({2, 2}, 7), tensor_from_json(c["full_int"]));
    EXPECT_TENSOR_EQ(full({2}, 1.5), tensor_from_json(c["full_float"]));
    EXPECT_TENSOR_EQ(full({2}, true), tensor_from_json(c["full_bool"]));
    EXPECT_TENSOR_EQ(eye(3), tensor_from_json(c["eye3"]));
    EXPECT_TENSOR_EQ(eye(2, 4), tensor_from_json(c["eye2x4"]));
    EXPECT_TENSOR_EQ(eye(4, 2, {.dtype = int64}), tensor_from_json(c["eye4x2_int"]));
    EXPECT_TENSOR_EQ(ones_like(tensor({1, 2})), tensor_from_json(c["ones_like_int"]));
    EXPECT_TENSOR_EQ(zeros_like(tensor({1., 2.}, {.dtype = float64})),
                     tensor_from_json(c["zeros_like_f64"]));
    EXPECT_EMBER_ERROR(tensor({{1, 2}, {3}}), "expected sequence of length 2 at dim 1 (got 1)");
    EXPECT_EMBER_ERROR(zeros({2, -1}), "negative dimension -1");
    EXPECT_EMBER_ERROR(zeros({2}, {.dtype = int64, .requires_grad = true}),
                       "Only Tensors of floating point and complex dtype can require gradients");
    EXPECT_EMBER_ERROR(zeros({2}, {.device = kCUDA}), "ember was built without CUDA");
}

TEST(Factory, LikeKeepsLayoutOfDenseTensors) {
    Tensor t = zeros({3, 4}).t();
    EXPECT_EQ(empty_like(t).strides().vec(), (std::vector<int64_t>{1, 4}));
    Tensor s = zeros({3, 4}).narrow(1, 0, 2);  // not dense: row-major result
    EXPECT_EQ(empty_like(s).strides().vec(), (std::vector<int64_t>{2, 1}));
    EXPECT_EQ(t.clone().strides().vec(), (std::vector<int64_t>{1, 4}));
    EXPECT_TRUE(t.contiguous().is_contiguous());
    EXPECT_TRUE(t.to(float64).strides() == t.strides());
}

TEST(Factory, FromBlobSharesMemoryAndRunsDeleter) {
    float data[6] = {1, 2, 3, 4, 5, 6};
    Tensor t = from_blob(data, {2, 3});
    EXPECT_EQ(t.data_ptr<float>(), data);
    t.mul_(2);
    EXPECT_EQ(data[5], 12.f);
    Tensor st = from_blob(data, {3, 2}, {1, 3});
    EXPECT_EQ(st.to_vector<float>(), (std::vector<float>{2, 8, 4, 10, 6, 12}));
    bool deleted = false;
    {
        Tensor owned = from_blob(new double[4]{1, 2, 3, 4}, {4},
                                 [&](void* p) { delete[] static_cast<double*>(p); deleted = true; },
                                 {.dtype = float64});
        Tensor view = owned.narrow(0, 1, 2);
        owned = Tensor();
        EXPECT_FALSE(deleted);  // the view keeps the memory alive
        EXPECT_EQ(view.to_vector<double>(), (std::vector<double>{2, 3}));
    }
    EXPECT_TRUE(deleted);
    EXPECT_EMBER_ERROR(from_blob(nullptr, {2}), "from_blob", "null");
}

TEST(Factory, DataAccessChecks) {
    Tensor t = arange(6);
    EXPECT_EMBER_ERROR(t.data_ptr<float>(), "data_ptr", "expected scalar type Long but found Float");
    EXPECT_EQ(tensor(2.5).item<int>(), 2);
    EXPECT_EQ(tensor(true).item<double>(), 1.0);
    EXPECT_EMBER_ERROR(Tensor().dim(), "undefined");
}

namespace {
uint32_t fnv_block(const std::vector<uint32_t>& v, size_t begin, size_t end) {
    uint32_t h = 0x811C9DC5u;
    for (size_t i = begin; i < end; ++i)
        for (int shift : {0, 8, 16, 24}) {
            h ^= (v[i] >> shift) & 0xFFu;
            h *= 0x01000193u;
        }
    return h;
}
}  // namespace

TEST(Factory, HalfAndBFloat16ConversionsMatchPyTorch) {
    const json& c = fixture()["half"];
    std::vector<uint32_t> bits(65536);
    for (uint32_t i = 0; i < 65536; ++i)
        bits[i] = std::bit_cast<uint32_t>(Half::to_float(static_cast<uint16_t>(i)));
    auto hashes = c["half_to_float_block_hashes"].get<std::vector<uint32_t>>();
    ASSERT_EQ(hashes.size(), 64u);
    for (size_t b = 0; b < 64; ++b)
        EXPECT_EQ(fnv_block(bits, b * 1024, (b + 1) * 1024), hashes[b]) << "block " << b;
    Tensor singles = tensor_from_json(c["singles"]);
    EXPECT_TENSOR_EQ(singles.to(float16), tensor_from_json(c["singles_to_half"]).to(float16));
    EXPECT_TENSOR_EQ(singles.to(bfloat16), tensor_from_json(c["singles_to_bfloat16"]).to(bfloat16));
}

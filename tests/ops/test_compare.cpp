// equal, isclose and allclose against PyTorch (tests/golden/compare.json, tools/golden/compare.py).
#include "support/golden.h"

using namespace ember;
using ember::test::json;
using ember::test::tensor_from_json;

TEST(Compare, MatchesPyTorch) {
    json fixture = ember::test::load_golden("compare");
    for (const json& c : fixture["cases"]) {
        Tensor a = tensor_from_json(c["a"]), b = tensor_from_json(c["b"]);
        double rtol = c["rtol"], atol = c["atol"];
        bool equal_nan = c["equal_nan"];
        SCOPED_TRACE(std::string(dtype_name(a.dtype())) + " rtol=" + std::to_string(rtol) +
                     " atol=" + std::to_string(atol));
        EXPECT_TENSOR_EQ(isclose(a, b, rtol, atol, equal_nan), tensor_from_json(c["isclose"]));
        // Non-contiguous operands give the same answer.
        Tensor a2 = stack({a, a}, 1).select(1, 1), b2 = stack({b, b}, 1).select(1, 0);
        ASSERT_FALSE(a2.is_contiguous());
        EXPECT_TENSOR_EQ(isclose(a2, b2, rtol, atol, equal_nan), tensor_from_json(c["isclose"]));
        EXPECT_EQ(allclose(a, b, rtol, atol, equal_nan), c["allclose"].get<bool>());
        if (c.contains("equal")) {
            EXPECT_EQ(equal(a, b), c["equal"].get<bool>());
            EXPECT_EQ(a.equal(a), c["equal_self"].get<bool>());
        }
    }
    EXPECT_EQ(equal(tensor({1}), tensor({1.})), fixture["equal_int_float"].get<bool>());
}

TEST(Compare, ShapesAndErrors) {
    EXPECT_FALSE(equal(ones({2}), ones({3})));
    EXPECT_FALSE(equal(ones({2, 1}), ones({2})));
    EXPECT_TRUE(equal(zeros({0}), zeros({0})));
    EXPECT_TRUE(ones({2, 3}).allclose(ones({3})));  // broadcasts, as torch.allclose
    EXPECT_EMBER_ERROR(allclose(ones({2}), ones({3})), "The size of tensor a (2) must match the size of tensor b (3)");
    EXPECT_EMBER_ERROR(isclose(tensor({1}), tensor({1.})), "isclose", "Long did not match Float");
    EXPECT_EMBER_ERROR(isclose(ones({2}), ones({2}), -1), "rtol must be greater than or equal to zero, but got -1");
    EXPECT_EMBER_ERROR(isclose(ones({2}), ones({2}), 0, -1), "atol must be greater than or equal to zero");
    EXPECT_EMBER_ERROR(equal(Tensor(), ones({1})), "equal", "undefined");
}

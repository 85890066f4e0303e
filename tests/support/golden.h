// Test helpers: PyTorch golden fixtures (tests/golden/*.json, written by tools/golden/*.py)
// and tensor comparisons with useful failure messages.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "ember/ember.h"

namespace ember::test {

using json = nlohmann::json;

// Loads tests/golden/<name>.json (fails the test if it is missing).
json load_golden(const std::string& name);

// A tensor from a fixture object {"dtype": "float32", "shape": [2, 3], "data": [...]}; the data
// is flat in row-major order, with "nan", "inf" and "-inf" as strings.
Tensor tensor_from_json(const json& j);

// Dtype name ("float32") to DType.
DType dtype_from_name(const std::string& name);

// Shape, dtype and values must match; floats within rtol/atol (NaN equals NaN).
::testing::AssertionResult tensors_close(const Tensor& actual, const Tensor& expected,
                                         double rtol = 1.3e-6, double atol = 1e-5);
// Shape, dtype and bit-identical values.
::testing::AssertionResult tensors_equal(const Tensor& actual, const Tensor& expected);

#define EXPECT_TENSOR_CLOSE(a, e, ...) EXPECT_TRUE(::ember::test::tensors_close(a, e, ##__VA_ARGS__))
#define EXPECT_TENSOR_EQ(a, e) EXPECT_TRUE(::ember::test::tensors_equal(a, e))

// Runs `stmt` and checks it throws ember::Error whose message contains every fragment.
#define EXPECT_EMBER_ERROR(stmt, ...)                                                         \
    do {                                                                                      \
        try {                                                                                 \
            stmt;                                                                             \
            ADD_FAILURE() << "expected ember::Error from: " #stmt;                            \
        } catch (const ::ember::Error& e_) {                                                  \
            for (const char* frag_ : {__VA_ARGS__})                                           \
                EXPECT_NE(std::string(e_.what()).find(frag_), std::string::npos)              \
                    << "message: " << e_.what() << "\nmissing: " << frag_;                    \
        }                                                                                     \
    } while (0)

}  // namespace ember::test

// Access to the cases of tests/golden/shape.json (tools/golden/shape.py), shared by the shape
// and indexing tests: each case has its inputs ("in") and PyTorch's outputs ("out").
#pragma once

#include <string>
#include <vector>

#include "support/golden.h"

namespace ember::test::shape_cases {

inline const json& golden(const std::string& name) {
    static const json fixture = load_golden("shape");
    return fixture.at("cases").at(name);
}

// Input i of a case, as stored (contiguous).
inline Tensor in(const std::string& name, size_t i = 0) {
    return tensor_from_json(golden(name).at("in").at(i));
}

// Every result must equal PyTorch's exactly: shape, dtype and bits (these ops only move values).
inline void expect_outputs(const std::string& name, const std::vector<Tensor>& got) {
    const json& outs = golden(name).at("out");
    ASSERT_EQ(got.size(), outs.size()) << name;
    for (size_t i = 0; i < got.size(); ++i)
        EXPECT_TENSOR_EQ(got[i], tensor_from_json(outs[i])) << name << ", output " << i;
}

}  // namespace ember::test::shape_cases

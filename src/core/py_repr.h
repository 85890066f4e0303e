// Python's text for values in reprs (nn modules, vision transforms): True/False, floats as
// repr() writes them, tuples "(2, 3)", lists of floats "[0.5, 1.0]".
#pragma once

#include <charconv>
#include <string>
#include <vector>

#include "ember/core/int_array.h"

namespace ember::detail {

inline std::string py_bool(bool v) { return v ? "True" : "False"; }

// repr(float): the shortest text that reads back to v, with ".0" on integral values.
inline std::string py_float(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    std::string s(buf, end);
    if (s.find_first_of(".enai") == std::string::npos) s += ".0";
    return s;
}

inline std::string py_tuple(IntArrayRef values) {
    std::string s = "(";
    for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
    return s + (values.size() == 1 ? ",)" : ")");
}

inline std::string py_float_list(const std::vector<double>& values) {
    std::string s = "[";
    for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + py_float(values[i]);
    return s + "]";
}

}  // namespace ember::detail

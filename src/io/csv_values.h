// The field parsers behind read_csv, matching pandas' C parser on what is a missing value, an
// integer, a float and a bool.
#pragma once

#include <cstdint>
#include <string_view>

namespace ember::io::detail {

// Empty, or one of pandas 1.5's default NA strings (NA, NaN, nan, NULL, null, N/A, #N/A, ...).
bool is_missing_slow(std::string_view s);
inline bool is_missing(std::string_view s) {
    if (s.empty()) return true;
    // Most fields start with a digit, and no NA string starts with one but "1.#IND"/"1.#QNAN".
    const unsigned c = static_cast<unsigned char>(s[0]);
    if (c == '0' || c - '2' <= 7u) return false;
    return is_missing_slow(s);
}
// Surrounding spaces and tabs are allowed, as is a leading '+'; false when `s` is not one.
bool parse_int64_slow(std::string_view s, int64_t& out);
inline bool parse_int64(std::string_view s, int64_t& out) {
    // The common case inline: up to 18 plain digits, which cannot overflow.
    if (!s.empty() && s.size() <= 18) {
        uint64_t v = 0;
        size_t i = 0;
        for (; i < s.size(); ++i) {
            const unsigned d = static_cast<unsigned>(s[i] - '0');
            if (d > 9) break;
            v = v * 10 + d;
        }
        if (i == s.size()) {
            out = static_cast<int64_t>(v);
            return true;
        }
    }
    return parse_int64_slow(s, out);
}
// Whether `s` is written as an integer (sign and digits), whatever its size.
bool is_integer_text(std::string_view s);
bool parse_float64(std::string_view s, double& out);
// 1 for True/TRUE/true, 0 for False/FALSE/false, -1 otherwise.
int parse_bool(std::string_view s);

}  // namespace ember::io::detail

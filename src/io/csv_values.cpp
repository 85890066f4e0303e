// pandas-compatible field parsers for read_csv.
#include "io/csv_values.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>
#include <cstdlib>

namespace ember::io::detail {

bool is_missing_slow(std::string_view s) {
    if (s.empty()) return true;
    if (s.size() > 8) return false;
    // Most fields are numbers: rule them out with a look at the first bytes.
    switch (s[0]) {
        case '#': case '<': case 'N': case 'n': break;
        case '1': if (s.size() < 3 || s[2] != '#') return false; break;
        case '-': if (s.size() < 2 || (s[1] != '1' && s[1] != 'N' && s[1] != 'n')) return false; break;
        default: return false;
    }
    static constexpr std::string_view kNa[] = {"-1.#IND", "1.#QNAN", "1.#IND", "-1.#QNAN",
                                               "#N/A N/A", "#N/A", "N/A", "n/a", "NA", "<NA>",
                                               "#NA", "NULL", "null", "NaN", "-NaN", "nan",
                                               "-nan"};
    for (std::string_view na : kNa)
        if (s == na) return true;
    return false;
}

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool parse_int64_slow(std::string_view s, int64_t& out) {
    s = trim(s);
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return false;
    uint64_t v = 0;
    for (char c : s) {
        const unsigned d = static_cast<unsigned>(c - '0');
        if (d > 9) return false;
        if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
        v = v * 10 + d;
    }
    constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (negative) {
        if (v > kMaxPositive + 1) return false;
        out = v == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                    : -static_cast<int64_t>(v);
    } else {
        if (v > kMaxPositive) return false;
        out = static_cast<int64_t>(v);
    }
    return true;
}

bool is_integer_text(std::string_view s) {
    s = trim(s);
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool parse_float64(std::string_view s, double& out) {
    const std::string_view written = s;
    s = trim(s);
    const bool negative = !s.empty() && s[0] == '-';
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s.empty() || s[0] == '+') return false;
    // Words: pandas takes exactly [+-]inf or [+-]infinity in any case, without spaces around
    // (from_chars would also take nan spellings, which pandas reads only as its NA strings).
    const std::string_view word = negative ? s.substr(1) : s;
    if (!word.empty() && ((word[0] | 0x20) >= 'a' && (word[0] | 0x20) <= 'z')) {
        if (written.size() != s.size() + (written[0] == '+' ? 1 : 0)) return false;
        std::string lower(word);
        for (char& c : lower) c = static_cast<char>(c | 0x20);
        if (lower != "inf" && lower != "infinity") return false;
        out = negative ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
        return true;
    }
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (end != s.data() + s.size()) return false;
    if (ec == std::errc::result_out_of_range) {
        // pandas reads an underflow as 0 (as strtod does) and an overflow as no number.
        out = std::strtod(std::string(s).c_str(), nullptr);
        return std::isfinite(out);
    }
    return ec == std::errc();
}

int parse_bool(std::string_view s) {
    s = trim(s);
    if (s == "True" || s == "TRUE" || s == "true") return 1;
    if (s == "False" || s == "FALSE" || s == "false") return 0;
    return -1;
}

}  // namespace ember::io::detail

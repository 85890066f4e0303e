// Fixture loading and tensor comparison for the test suite.
#include "support/golden.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace ember::test {

json load_golden(const std::string& name) {
    std::string path = std::string(EMBER_GOLDEN_DIR) + "/" + name + ".json";
    std::ifstream f(path);
    if (!f) throw std::runtime_error("missing golden fixture " + path);
    return json::parse(f);
}

DType dtype_from_name(const std::string& n) {
    static const std::pair<const char*, DType> names[] = {
        {"bool", DType::Bool},       {"uint8", DType::UInt8},     {"int8", DType::Int8},
        {"int16", DType::Int16},     {"int32", DType::Int32},     {"int64", DType::Int64},
        {"float16", DType::Float16}, {"bfloat16", DType::BFloat16}, {"float32", DType::Float32},
        {"float64", DType::Float64}};
    for (auto& [s, d] : names)
        if (n == s) return d;
    throw std::runtime_error("unknown dtype in fixture: " + n);
}

static double json_number(const json& v) {
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
        if (s == "inf") return std::numeric_limits<double>::infinity();
        if (s == "-inf") return -std::numeric_limits<double>::infinity();
        throw std::runtime_error("bad number in fixture: " + s);
    }
    if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
    return v.get<double>();
}

Tensor tensor_from_json(const json& j) {
    DType dtype = dtype_from_name(j.at("dtype").get<std::string>());
    std::vector<int64_t> shape = j.at("shape").get<std::vector<int64_t>>();
    const json& data = j.at("data");
    Tensor t = empty(shape, {.dtype = dtype});
    // Integers are read as int64 to keep all 64 bits; floats through double (exact for
    // every float32/float64 value PyTorch writes with repr()).
    if (is_integral(dtype, true)) {
        Tensor tmp = empty(shape, {.dtype = DType::Int64});
        int64_t* p = tmp.data_ptr<int64_t>();
        for (size_t i = 0; i < data.size(); ++i)
            p[i] = data[i].is_boolean() ? int64_t(data[i].get<bool>()) : data[i].get<int64_t>();
        t.copy_(tmp);
    } else {
        Tensor tmp = empty(shape, {.dtype = DType::Float64});
        double* p = tmp.data_ptr<double>();
        for (size_t i = 0; i < data.size(); ++i) p[i] = json_number(data[i]);
        t.copy_(tmp);
    }
    return t;
}

static std::string brief(const Tensor& t) {
    std::ostringstream ss;
    ss << shape_str(t.sizes()) << " " << t.dtype();
    return ss.str();
}

static ::testing::AssertionResult compare(const Tensor& actual, const Tensor& expected,
                                          double rtol, double atol, bool exact) {
    if (!actual.defined() || !expected.defined())
        return ::testing::AssertionFailure() << "undefined tensor";
    if (!(actual.sizes() == expected.sizes()) || actual.dtype() != expected.dtype())
        return ::testing::AssertionFailure()
               << "got " << brief(actual) << ", expected " << brief(expected);
    std::vector<double> a = actual.to_vector<double>(), e = expected.to_vector<double>();
    if (is_integral(actual.dtype(), true)) {
        // Compare integers exactly through int64 (double would lose the low bits).
        std::vector<int64_t> ai = actual.to_vector<int64_t>(), ei = expected.to_vector<int64_t>();
        for (size_t i = 0; i < ai.size(); ++i)
            if (ai[i] != ei[i])
                return ::testing::AssertionFailure() << "element " << i << ": got " << ai[i]
                                                     << ", expected " << ei[i];
        return ::testing::AssertionSuccess();
    }
    for (size_t i = 0; i < a.size(); ++i) {
        bool both_nan = std::isnan(a[i]) && std::isnan(e[i]);
        bool ok = exact ? (both_nan || (a[i] == e[i] && std::signbit(a[i]) == std::signbit(e[i])))
                        : (both_nan || a[i] == e[i] || std::abs(a[i] - e[i]) <= atol + rtol * std::abs(e[i]));
        if (!ok) {
            std::ostringstream ss;
            ss.precision(17);
            ss << "element " << i << ": got " << a[i] << ", expected " << e[i] << " (shape "
               << shape_str(actual.sizes()) << ")";
            return ::testing::AssertionFailure() << ss.str();
        }
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult tensors_close(const Tensor& actual, const Tensor& expected, double rtol,
                                         double atol) {
    return compare(actual, expected, rtol, atol, false);
}

::testing::AssertionResult tensors_equal(const Tensor& actual, const Tensor& expected) {
    return compare(actual, expected, 0, 0, true);
}

}  // namespace ember::test

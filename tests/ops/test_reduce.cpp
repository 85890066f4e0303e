// Reductions, scans and softmax against PyTorch (tests/golden/reduce.json, written by
// tools/golden/reduce.py): every case rebuilds its input and view, runs the op and compares with
// PyTorch's result or error. Then the API details the fixture cannot show, and thread-count
// independence.
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "cpu/fast_exp.h"
#include "support/golden.h"

using namespace ember;
using ember::test::json;

namespace {

// ---- fixture plumbing ----------------------------------------------------------------------

// An input stored explicitly, or the formula ((i * mul) % mod - off) * scale of
// tools/golden/reduce.py (exact in every dtype, so both sides see the same values).
Tensor build_input(const json& spec) {
    if (spec.contains("tensor")) return test::tensor_from_json(spec["tensor"]);
    const json& f = spec.at("formula");
    std::vector<int64_t> shape = f.at("shape").get<std::vector<int64_t>>();
    Tensor base = arange(prod(shape)) * f.at("mul").get<int64_t>() % f.at("mod").get<int64_t>() -
                  f.at("off").get<int64_t>();
    return (base.to(float64) * f.at("scale").get<double>())
        .to(test::dtype_from_name(f.at("dtype").get<std::string>()))
        .reshape(shape);
}

Tensor apply_view(Tensor t, const json& view) {
    for (const json& step : view) {
        const std::string kind = step.at(0).get<std::string>();
        if (kind == "transpose") {
            t = t.transpose(step.at(1).get<int64_t>(), step.at(2).get<int64_t>());
        } else if (kind == "permute") {
            t = t.permute(step.at(1).get<std::vector<int64_t>>());
        } else if (kind == "step") {  // Python's t[..., ::s] along one dim
            int64_t d = step.at(1).get<int64_t>(), s = step.at(2).get<int64_t>();
            if (d < 0) d += t.dim();
            std::vector<int64_t> sizes = t.sizes().vec(), strides = t.strides().vec();
            sizes[d] = (sizes[d] + s - 1) / s;
            strides[d] *= s;
            t = t.as_strided(sizes, strides, t.storage_offset());
        } else if (kind == "expand") {
            t = t.expand(step.at(1).get<std::vector<int64_t>>());
        } else {
            ADD_FAILURE() << "unknown view step " << kind;
        }
    }
    return t;
}

std::optional<DType> dtype_arg(const json& args) {
    if (!args.contains("dtype") || args["dtype"].is_null()) return std::nullopt;
    return test::dtype_from_name(args["dtype"].get<std::string>());
}

double p_arg(const json& args) {
    if (!args.contains("p")) return 2;
    const json& p = args["p"];
    if (p.is_string()) return p.get<std::string>() == "inf" ? INFINITY : -INFINITY;
    return p.get<double>();
}

// Runs a fixture case: the results in PyTorch's order (max/min with a dim give two).
std::vector<Tensor> run_case(const std::string& op, const Tensor& x, const json& args) {
    const bool keepdim = args.value("keepdim", false);
    const bool has_dims = args.contains("dims") && !args["dims"].is_null();
    const std::vector<int64_t> dims = has_dims ? args["dims"].get<std::vector<int64_t>>()
                                               : std::vector<int64_t>{};
    const std::optional<int64_t> dim =
        args.contains("dim") && !args["dim"].is_null() ? std::optional(args["dim"].get<int64_t>())
                                                       : std::nullopt;
    const auto dtype = dtype_arg(args);
    if (op == "sum") return {sum(x, dims, keepdim, dtype)};
    if (op == "mean") return {mean(x, dims, keepdim, dtype)};
    if (op == "prod") return {prod(x, dim, keepdim, dtype)};
    if (op == "amax") return {amax(x, dims, keepdim)};
    if (op == "amin") return {amin(x, dims, keepdim)};
    if (op == "max" || op == "min") {
        if (!dim) return {op == "max" ? max(x) : min(x)};
        auto [values, indices] = op == "max" ? max(x, *dim, keepdim) : min(x, *dim, keepdim);
        return {values, indices};
    }
    if (op == "argmax") return {argmax(x, dim, keepdim)};
    if (op == "argmin") return {argmin(x, dim, keepdim)};
    if (op == "all") return {dim ? all(x, *dim, keepdim) : all(x)};
    if (op == "any") return {dim ? any(x, *dim, keepdim) : any(x)};
    const int64_t correction = args.value("correction", int64_t{1});
    if (op == "var") return {var(x, dims, correction, keepdim)};
    if (op == "std") return {ember::std(x, dims, correction, keepdim)};
    if (op == "norm") return {norm(x, p_arg(args), dims, keepdim)};
    if (op == "logsumexp") return {logsumexp(x, dims, keepdim)};
    if (op == "cumsum") return {cumsum(x, *dim, dtype)};
    if (op == "cumprod") return {cumprod(x, *dim, dtype)};
    if (op == "softmax") return {softmax(x, *dim, dtype)};
    if (op == "log_softmax") return {log_softmax(x, *dim, dtype)};
    ADD_FAILURE() << "unknown op " << op;
    return {};
}

// Floats within a few units in the last place of their dtype (or the case's own rtol, where
// PyTorch's float32 accumulation is the larger error); integers and bools exactly.
::testing::AssertionResult matches_pytorch(const Tensor& actual, const Tensor& expected,
                                           std::optional<double> rtol) {
    switch (expected.dtype()) {
        case DType::Float16: return test::tensors_close(actual, expected, 2e-3, 1e-3);
        case DType::BFloat16: return test::tensors_close(actual, expected, 1e-2, 1e-2);
        case DType::Float32:
            return test::tensors_close(actual, expected, rtol.value_or(2e-6), 1e-6);
        case DType::Float64: return test::tensors_close(actual, expected, 1e-10, 1e-12);
        default: return test::tensors_equal(actual, expected);
    }
}

const json& fixture() {
    static const json j = test::load_golden("reduce");
    return j;
}

// Runs every fixture case whose op is in `ops`; returns how many ran.
int run_fixture_cases(std::initializer_list<const char*> ops) {
    const json& inputs = fixture().at("inputs");
    int count = 0;
    for (const json& c : fixture().at("cases")) {
        const std::string op = c.at("op").get<std::string>();
        if (std::find(ops.begin(), ops.end(), op) == ops.end()) continue;
        ++count;
        SCOPED_TRACE(c.at("name").get<std::string>());
        Tensor x = apply_view(build_input(inputs.at(c.at("input").get<size_t>())), c.at("view"));
        const json& args = c.at("args");
        if (c.contains("error")) {
            const std::string fragment = c["error"].get<std::string>();
            EXPECT_EMBER_ERROR(run_case(op, x, args), fragment.c_str(), op.c_str());
            continue;
        }
        std::vector<Tensor> got = run_case(op, x, args);
        const json& out = c.at("out");
        std::vector<Tensor> expected;
        if (out.is_array()) {
            for (const json& o : out) expected.push_back(test::tensor_from_json(o));
        } else {
            expected.push_back(test::tensor_from_json(out));
        }
        EXPECT_EQ(got.size(), expected.size());
        for (size_t i = 0; i < std::min(got.size(), expected.size()); ++i) {
            std::optional<double> rtol;
            if (c.contains("rtol")) rtol = c["rtol"].get<double>();
            EXPECT_TRUE(matches_pytorch(got[i], expected[i], rtol)) << "result " << i;
            // Results are fresh, contiguous tensors, as PyTorch's.
            EXPECT_TRUE(got[i].is_contiguous()) << "result " << i;
        }
    }
    return count;
}

}  // namespace

// ---- golden cases, one test per family ------------------------------------------------------

TEST(ReduceGolden, SumMeanProd) { EXPECT_GT(run_fixture_cases({"sum", "mean", "prod"}), 150); }

TEST(ReduceGolden, AmaxAmin) { EXPECT_GT(run_fixture_cases({"amax", "amin"}), 80); }

TEST(ReduceGolden, MaxMinArgmaxArgmin) {
    EXPECT_GT(run_fixture_cases({"max", "min", "argmax", "argmin"}), 150);
}

TEST(ReduceGolden, AllAny) { EXPECT_GT(run_fixture_cases({"all", "any"}), 40); }

TEST(ReduceGolden, VarStd) { EXPECT_GT(run_fixture_cases({"var", "std"}), 80); }

TEST(ReduceGolden, Norm) { EXPECT_GT(run_fixture_cases({"norm"}), 80); }

TEST(ReduceGolden, Logsumexp) { EXPECT_GT(run_fixture_cases({"logsumexp"}), 30); }

TEST(ReduceGolden, CumsumCumprod) { EXPECT_GT(run_fixture_cases({"cumsum", "cumprod"}), 60); }

TEST(ReduceGolden, SoftmaxLogSoftmax) {
    EXPECT_GT(run_fixture_cases({"softmax", "log_softmax"}), 60);
}

// ---- API details ------------------------------------------------------------------------------

TEST(Reduce, MethodsForwardToFunctions) {
    Tensor x = tensor({{1., 5., 2.}, {7., 0., 7.}});
    auto [values, indices] = x.max(1);
    EXPECT_EQ(values.to_vector<float>(), (std::vector<float>{5, 7}));
    EXPECT_EQ(indices.to_vector<int64_t>(), (std::vector<int64_t>{1, 0}));
    EXPECT_EQ(indices.dtype(), int64);
    auto [min_values, min_indices] = x.min(0, true);
    EXPECT_EQ(min_values.sizes().vec(), (std::vector<int64_t>{1, 3}));
    EXPECT_EQ(min_indices.to_vector<int64_t>(), (std::vector<int64_t>{0, 1, 0}));
    EXPECT_EQ(x.argmax().item<int64_t>(), 3);
    EXPECT_EQ(x.argmin(1).to_vector<int64_t>(), (std::vector<int64_t>{0, 1}));
    EXPECT_EQ(x.argmax(std::nullopt, true).sizes().vec(), (std::vector<int64_t>{1, 1}));
    EXPECT_TENSOR_EQ(x.var(), var(x));
    EXPECT_TENSOR_EQ(x.std({1}, 0, true), ember::std(x, {1}, 0, true));
    EXPECT_TENSOR_EQ(x.var({0, 1}), x.var());  // an empty list is all dims too
    EXPECT_TENSOR_EQ(x.norm(2, {1}), norm(x, 2, {-1}));
    EXPECT_TENSOR_EQ(x.norm(1), norm(x, 1));
    EXPECT_TENSOR_EQ(x.logsumexp({1}), logsumexp(x, {1}));
    EXPECT_TENSOR_EQ(x.cumsum(1), cumsum(x, 1));
    EXPECT_TENSOR_EQ(x.cumprod(0, float64), cumprod(x, 0, float64));
    EXPECT_TENSOR_EQ(x.softmax(0), softmax(x, 0));
    EXPECT_TENSOR_EQ(x.log_softmax(-1), log_softmax(x, -1));
    // Results are new tensors, not views of a keepdim temporary.
    EXPECT_FALSE(values.is_view());
    EXPECT_FALSE(x.argmax().is_view());
}

TEST(Reduce, ErrorsNameTheOperands) {
    Tensor i = tensor({{1, 2}, {3, 4}});
    EXPECT_EMBER_ERROR(var(i), "var()", "[2, 2]", "int64");
    EXPECT_EMBER_ERROR(norm(i), "norm()", "[2, 2]", "int64");
    EXPECT_EMBER_ERROR(softmax(i, 1), "softmax()", "[2, 2]", "int64", "dtype");
    EXPECT_EMBER_ERROR(cumsum(i, 0, bool_), "cumsum()", "'Bool'");
    EXPECT_EMBER_ERROR(mean(tensor({1., 2.}), {}, false, int64),
                       "Optional dtype must be either a floating point or complex dtype.",
                       "Got: Long");
    EXPECT_EMBER_ERROR(max(i, 2), "max", "[-2, 1]", "but got 2");
    EXPECT_EMBER_ERROR(sum(Tensor()), "sum");
}

// The vectorisable exp behind float softmax: within 1 ulp of the correctly rounded exp.
TEST(Reduce, SoftmaxExpIsAccurate) {
    auto ulps = [](float a, float b) {
        int32_t ia, ib;
        std::memcpy(&ia, &a, 4);
        std::memcpy(&ib, &b, 4);
        // Map the sign-magnitude bit patterns onto a monotonic integer line.
        const int64_t ma = ia < 0 ? int64_t(INT32_MIN) - ia : ia;
        const int64_t mb = ib < 0 ? int64_t(INT32_MIN) - ib : ib;
        return std::llabs(ma - mb);
    };
    int64_t checked = 0;
    for (uint32_t bits = 0; bits < 0xFFFFFFFFu - 997; bits += 997) {
        float x;
        std::memcpy(&x, &bits, 4);
        if (!(x >= -110.0f && x <= 90.0f)) continue;
        const float expected = static_cast<float>(std::exp(static_cast<double>(x)));
        ASSERT_LE(ulps(detail::exp_float(x), expected), 1) << "x = " << x;
        ++checked;
    }
    EXPECT_GT(checked, 1000000);
    EXPECT_EQ(detail::exp_float(-INFINITY), 0.0f);
    EXPECT_EQ(detail::exp_float(-105.0f), 0.0f);
    EXPECT_EQ(detail::exp_float(INFINITY), INFINITY);
    EXPECT_EQ(detail::exp_float(89.0f), INFINITY);
    EXPECT_TRUE(std::isfinite(detail::exp_float(88.72f)));
    EXPECT_TRUE(std::isnan(detail::exp_float(NAN)));
    EXPECT_EQ(detail::exp_float(0.0f), 1.0f);
    EXPECT_GT(detail::exp_float(-100.0f), 0.0f);  // a denormal, not flushed
}

// ---- thread-count independence -------------------------------------------------------------

namespace {

// Bit-identical contents (NaN payloads included).
bool same_bits(const Tensor& a, const Tensor& b) {
    if (!(a.sizes() == b.sizes()) || a.dtype() != b.dtype()) return false;
    Tensor ca = a.contiguous(), cb = b.contiguous();
    return std::memcmp(ca.data_ptr(), cb.data_ptr(), static_cast<size_t>(ca.nbytes())) == 0;
}

// Deterministic inputs with values that do not sum exactly, so any change of summation order
// would show in the low bits.
Tensor wavy(IntArrayRef shape) {
    return (arange(prod(shape)).to(float32) * 0.7311).sin().mul(3.3).reshape(shape);
}

class ReduceThreads : public ::testing::Test {
protected:
    void SetUp() override { saved_ = get_num_threads(); }
    void TearDown() override { set_num_threads(saved_); }

    // Runs f with 1 and then 2 threads and checks the results are bit-identical.
    template <class F>
    void expect_same_with_1_and_2_threads(F f) {
        set_num_threads(1);
        std::vector<Tensor> one = f();
        set_num_threads(2);
        std::vector<Tensor> two = f();
        ASSERT_EQ(one.size(), two.size());
        for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(same_bits(one[i], two[i])) << i;
    }

private:
    int saved_ = 1;
};

}  // namespace

TEST_F(ReduceThreads, LargeSum) {
    Tensor x = wavy({(1 << 20) + 12345});
    expect_same_with_1_and_2_threads([&] {
        return std::vector<Tensor>{x.sum(), x.mean(), x.var(), x.norm(), x.norm(3), x.sum(float64)};
    });
}

TEST_F(ReduceThreads, SumOverDimZeroOfLargeMatrix) {
    Tensor m = wavy({2049, 1031});
    expect_same_with_1_and_2_threads([&] {
        return std::vector<Tensor>{m.sum({0}), m.sum({1}), m.t().sum({0}), m.var({0}),
                                   m.amax({0}), std::get<1>(m.max(0)), m.logsumexp({0})};
    });
}

// all/any over many chunks on two threads: each chunk's partial result needs memory of its own
// (packed into std::vector<bool>, neighbouring chunks' writes raced: ThreadSanitizer's finding,
// and a lost write could restore a chunk's initial value and flip the answer).
TEST_F(ReduceThreads, AllAnyOverManyChunks) {
    constexpr int64_t kChunk = int64_t(1) << 16;  // the full reduction's chunk size
    const int64_t n = 64 * kChunk;
    set_num_threads(2);
    for (int64_t chunk : {0, 1, 31, 62, 63}) {
        Tensor t = ones({n}, {.dtype = DType::Bool});
        t.data_ptr<bool>()[chunk * kChunk + 7] = false;
        EXPECT_FALSE(t.all().item<bool>()) << "false in chunk " << chunk;
        Tensor f = zeros({n}, {.dtype = DType::Bool});
        f.data_ptr<bool>()[chunk * kChunk + 7] = true;
        EXPECT_TRUE(f.any().item<bool>()) << "true in chunk " << chunk;
    }
}

TEST_F(ReduceThreads, SoftmaxAndScans) {
    Tensor m = wavy({1031, 517});
    expect_same_with_1_and_2_threads([&] {
        return std::vector<Tensor>{m.softmax(1), m.softmax(0), m.log_softmax(1),
                                   m.t().log_softmax(1), m.cumsum(0), m.cumsum(1)};
    });
}

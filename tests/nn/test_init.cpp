// nn::init against PyTorch (tools/golden/nn_init.py): after the same seed, xavier, kaiming,
// normal_, uniform_, trunc_normal_ and orthogonal_ write PyTorch's values and consume exactly
// PyTorch's draws; calculate_gain; orthogonality, explicit generators, non-contiguous and empty
// tensors, warnings and error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

#include "ember/ember.h"
#include "ember/nn/init.h"
#include "support/golden.h"

namespace ember {
namespace {

using test::load_golden;
using test::tensor_from_json;
using json = test::json;

double arg(const json& kwargs, const char* name, double fallback) {
    return kwargs.contains(name) ? kwargs[name].get<double>() : fallback;
}

std::string arg(const json& kwargs, const char* name, const char* fallback) {
    return kwargs.contains(name) ? kwargs[name].get<std::string>() : fallback;
}

// Runs the initialiser a fixture case names, with its keyword arguments (PyTorch's defaults
// for the others).
void run_init(const std::string& fn, Tensor& t, const json& kw) {
    namespace init = nn::init;
    if (fn == "xavier_uniform_") init::xavier_uniform_(t, arg(kw, "gain", 1.0));
    else if (fn == "xavier_normal_") init::xavier_normal_(t, arg(kw, "gain", 1.0));
    else if (fn == "kaiming_uniform_")
        init::kaiming_uniform_(t, arg(kw, "a", 0.0), arg(kw, "mode", "fan_in"),
                               arg(kw, "nonlinearity", "leaky_relu"));
    else if (fn == "kaiming_normal_")
        init::kaiming_normal_(t, arg(kw, "a", 0.0), arg(kw, "mode", "fan_in"),
                              arg(kw, "nonlinearity", "leaky_relu"));
    else if (fn == "normal_") init::normal_(t, arg(kw, "mean", 0.0), arg(kw, "std", 1.0));
    else if (fn == "uniform_") init::uniform_(t, arg(kw, "a", 0.0), arg(kw, "b", 1.0));
    else if (fn == "trunc_normal_")
        init::trunc_normal_(t, arg(kw, "mean", 0.0), arg(kw, "std", 1.0), arg(kw, "a", -2.0),
                            arg(kw, "b", 2.0));
    else if (fn == "orthogonal_") init::orthogonal_(t, arg(kw, "gain", 1.0));
    else FAIL() << "unknown initialiser " << fn;
}

TEST(NnInit, ValuesAndDrawsMatchPyTorch) {
    const auto golden = load_golden("nn_init");
    for (const auto& c : golden["cases"]) {
        const std::string fn = c["fn"].get<std::string>();
        SCOPED_TRACE(fn + " " + c["kwargs"].dump() + " seed " + std::to_string(c["seed"].get<int>()));
        const Tensor expected = tensor_from_json(c["values"]);
        manual_seed(c["seed"].get<uint64_t>());
        Tensor t = empty(expected.sizes(), {.dtype = expected.dtype()});
        run_init(fn, t, c["kwargs"]);
        const bool f32 = expected.dtype() == float32;
        if (fn == "orthogonal_") {
            // PyTorch's LAPACK QR runs in the tensor's dtype, ember's in double: the same Q to
            // the dtype's rounding.
            EXPECT_TENSOR_CLOSE(t, expected, f32 ? 1e-5 : 1e-12, f32 ? 2e-6 : 1e-14);
        } else if (fn == "trunc_normal_") {
            // erfinv's last bit may differ (see tests/ops/test_erfinv.cpp); the draws do not.
            EXPECT_TENSOR_CLOSE(t, expected, f32 ? 1e-6 : 1e-14, f32 ? 1e-7 : 1e-15);
        } else {
            EXPECT_TENSOR_EQ(t, expected);
        }
        // the initialiser consumed exactly PyTorch's draws
        EXPECT_TENSOR_EQ(rand({2}, {.dtype = float64}), tensor_from_json(c["next_draws"]));
    }
}

TEST(NnInit, CalculateGain) {
    const auto golden = load_golden("nn_init");
    for (const auto& g : golden["gains"]) {
        const std::string name = g["nonlinearity"].get<std::string>();
        SCOPED_TRACE(name);
        const std::optional<double> param =
            g["param"].is_null() ? std::nullopt : std::optional<double>(g["param"].get<double>());
        EXPECT_DOUBLE_EQ(nn::init::calculate_gain(name, param), g["gain"].get<double>());
    }
}

TEST(NnInit, ErrorsMatchPyTorch) {
    const auto golden = load_golden("nn_init");
    // PyTorch's messages, kept alive while the checks read them
    const auto& e = golden["errors"];
    const std::string gain = e["calculate_gain_unknown"], fans = e["xavier_uniform_1d"],
                      mode = e["kaiming_mode"], orthogonal = e["orthogonal_1d"];
    EXPECT_EMBER_ERROR(nn::init::calculate_gain("swish"), gain.c_str());
    Tensor v = empty({3});
    EXPECT_EMBER_ERROR(nn::init::xavier_uniform_(v), fans.c_str(), "[3]");
    Tensor w = empty({2, 3});
    EXPECT_EMBER_ERROR(nn::init::kaiming_uniform_(w, 0, "fan_avg"), mode.c_str());
    Tensor v4 = empty({4});
    EXPECT_EMBER_ERROR(nn::init::orthogonal_(v4), orthogonal.c_str(), "orthogonal_", "[4]");
    Tensor i = zeros({3}, {.dtype = int64});
    EXPECT_EMBER_ERROR(nn::init::trunc_normal_(i), "check_uniform_bounds", "Long");
    // ember checks what PyTorch lets through to a ZeroDivisionError or a uniform_ bound error
    Tensor t = empty({3});
    EXPECT_EMBER_ERROR(nn::init::trunc_normal_(t, 0, 0), "trunc_normal_", "std must be positive");
    EXPECT_EMBER_ERROR(nn::init::trunc_normal_(t, 0, 1, 1, -1), "trunc_normal_",
                       "must not exceed the upper bound");
}

TEST(NnInit, TruncNormalStaysInBoundsAndWarnsFarFromThem) {
    manual_seed(3);
    Tensor t = empty({400}, {.dtype = float64});
    nn::init::trunc_normal_(t, 1, 0.5, 0.25, 1.5);
    EXPECT_GE(t.min().item<double>(), 0.25);
    EXPECT_LE(t.max().item<double>(), 1.5);
    {
        WarningCapture warnings;
        nn::init::trunc_normal_(t, 0, 1, -2, 2);
        EXPECT_TRUE(warnings.messages().empty());
        nn::init::trunc_normal_(t, 10, 1, -2, 2);
        EXPECT_TRUE(warnings.contains("mean is more than 2 std from [a, b]"));
        // the inverse CDF breaks down that far out (as in PyTorch); the clamp still holds
        EXPECT_GE(t.min().item<double>(), -2.0);
        EXPECT_LE(t.max().item<double>(), 2.0);
        EXPECT_FALSE(isnan(t).any().item<bool>());
    }
}

TEST(NnInit, ExplicitGeneratorsGiveTheSeededStream) {
    for (const char* fn : {"trunc_normal_", "orthogonal_"}) {
        SCOPED_TRACE(fn);
        manual_seed(11);
        Tensor global = empty({4, 6});
        run_init(fn, global, json::object());
        manual_seed(0);
        Generator gen(11);
        Tensor own = empty({4, 6});
        if (std::string(fn) == "trunc_normal_") nn::init::trunc_normal_(own, 0, 1, -2, 2, gen);
        else nn::init::orthogonal_(own, 1, gen);
        EXPECT_TENSOR_EQ(own, global);
        // the default generator was left alone
        Tensor after = rand({2});
        manual_seed(0);
        EXPECT_TENSOR_EQ(after, rand({2}));
    }
}

TEST(NnInit, OrthogonalRowsOrColumnsAreOrthonormal) {
    manual_seed(4);
    for (auto shape : {std::vector<int64_t>{7, 3}, {3, 7}, {4, 2, 3}, {5, 5}}) {
        SCOPED_TRACE(shape_str(shape));
        Tensor w = empty(shape, {.dtype = float64});
        nn::init::orthogonal_(w, 3.0);
        const Tensor m = w.reshape({shape[0], -1}) / 3.0;
        const bool wide = m.size(0) < m.size(1);
        const Tensor gram = wide ? mm(m, m.t()) : mm(m.t(), m);
        EXPECT_TENSOR_CLOSE(gram, eye(gram.size(0), gram.size(0), {.dtype = float64}), 0, 1e-12);
    }
}

TEST(NnInit, NonContiguousEmptyAndParameterTensors) {
    // a transposed view is filled through its own layout; only the viewed elements change
    Tensor base = zeros({6, 4});
    Tensor view = base.t();
    manual_seed(2);
    nn::init::orthogonal_(view);
    EXPECT_TENSOR_CLOSE(mm(view, view.t()), eye(4, 4), 0, 1e-5);
    Tensor wide = full({3, 8}, 7.0f);
    Tensor cols = wide.narrow(1, 2, 4);
    nn::init::trunc_normal_(cols, 0, 1, -0.5, 0.5);
    EXPECT_LE(cols.abs().max().item<float>(), 0.5f);
    EXPECT_TRUE(allclose(wide.narrow(1, 0, 2), full({3, 2}, 7.0f)));
    EXPECT_TRUE(allclose(wide.narrow(1, 6, 2), full({3, 2}, 7.0f)));
    // zero-element tensors are a no-op that draws nothing
    manual_seed(8);
    Tensor none = empty({0, 3});
    nn::init::orthogonal_(none);
    nn::init::trunc_normal_(none);
    Tensor after = rand({2});
    manual_seed(8);
    EXPECT_TENSOR_EQ(after, rand({2}));
    // parameters (leaves that require grad) are filled without recording
    Tensor p = empty({3, 3}).requires_grad_();
    nn::init::orthogonal_(p);
    nn::init::trunc_normal_(p);
    EXPECT_TRUE(p.requires_grad());
    EXPECT_EQ(p.grad_fn(), nullptr);
}

}  // namespace
}  // namespace ember

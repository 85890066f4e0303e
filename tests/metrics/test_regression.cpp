// Regression metrics (functional and stateful) against torchmetrics fixtures.
#include <memory>

#include "metrics/fixtures.h"
#include "support/golden.h"

using namespace ember;
using ember::test::json;
using ember::test::tensor_from_json;

namespace {

const json& fixture() { return test::metrics_fixture("metrics_regression"); }

std::pair<Tensor, Tensor> input(const std::string& name) {
    return test::metrics_input(fixture(), name);
}

Tensor functional_of(const json& c, const Tensor& p, const Tensor& t) {
    namespace F = metrics::functional;
    const std::string m = c["metric"];
    const json& a = c["args"];
    const std::string mo = a.value("multioutput", std::string("uniform_average"));
    if (m == "mse") return F::mean_squared_error(p, t, true, a.value("num_outputs", int64_t{1}));
    if (m == "rmse") return F::mean_squared_error(p, t, false);
    if (m == "mae") return F::mean_absolute_error(p, t);
    if (m == "r2") return F::r2_score(p, t, a.value("adjusted", int64_t{0}), mo);
    if (m == "pearson") return F::pearson_corrcoef(p, t);
    return F::explained_variance(p, t, mo);
}

std::unique_ptr<metrics::Metric> module_of(const json& c) {
    const std::string m = c["metric"];
    const json& a = c["args"];
    const std::string mo = a.value("multioutput", std::string("uniform_average"));
    const int64_t outputs = a.value("num_outputs", int64_t{1});
    if (m == "mse") return std::make_unique<metrics::MeanSquaredError>(
        metrics::MeanSquaredErrorOptions{.num_outputs = outputs});
    if (m == "rmse") return std::make_unique<metrics::MeanSquaredError>(
        metrics::MeanSquaredErrorOptions{.squared = false});
    if (m == "mae") return std::make_unique<metrics::MeanAbsoluteError>();
    if (m == "r2") return std::make_unique<metrics::R2Score>(metrics::R2ScoreOptions{
        .num_outputs = outputs, .adjusted = a.value("adjusted", int64_t{0}), .multioutput = mo});
    if (m == "pearson") return std::make_unique<metrics::PearsonCorrCoef>(
        metrics::PearsonCorrCoefOptions{.num_outputs = outputs});
    return std::make_unique<metrics::ExplainedVariance>(
        metrics::ExplainedVarianceOptions{.multioutput = mo});
}

}  // namespace

TEST(MetricsRegression, MatchesTorchmetrics) {
    EXPECT_EQ(fixture()["torchmetrics_version"], "1.4.3");
    WarningCapture quiet;  // the adjusted-R2 fallback warns, as torchmetrics does
    for (const json& c : fixture()["cases"]) {
        SCOPED_TRACE(c["metric"].get<std::string>() + "/" + c["input"].get<std::string>() + " " +
                     c["args"].dump());
        auto [p, t] = input(c["input"]);
        EXPECT_TENSOR_CLOSE(functional_of(c, p, t), tensor_from_json(c["out"]), 1e-5, 1e-5);
        const int64_t half = p.size(0) / 2, rest = p.size(0) - half;
        auto m = module_of(c);
        EXPECT_TENSOR_CLOSE((*m)(p.narrow(0, 0, half), t.narrow(0, 0, half)),
                            tensor_from_json(c["forward"][0]), 1e-5, 1e-5);
        EXPECT_TENSOR_CLOSE((*m)(p.narrow(0, half, rest), t.narrow(0, half, rest)),
                            tensor_from_json(c["forward"][1]), 1e-5, 1e-5);
        EXPECT_TENSOR_CLOSE(m->compute(), tensor_from_json(c["compute"]), 1e-5, 1e-5);
        // merge_state of two halves equals one accumulator.
        auto a = module_of(c), b = module_of(c);
        a->update(p.narrow(0, 0, half), t.narrow(0, 0, half));
        b->update(p.narrow(0, half, rest), t.narrow(0, half, rest));
        a->merge_state(*b);
        EXPECT_TENSOR_CLOSE(a->compute(), tensor_from_json(c["compute"]), 1e-5, 1e-5);
    }
}

TEST(MetricsRegression, NonContiguousInputs) {
    auto [p, t] = input("mat");
    Tensor pt = p.t().contiguous().t(), tt = t.t().contiguous().t();
    ASSERT_FALSE(pt.is_contiguous());
    namespace F = metrics::functional;
    EXPECT_TENSOR_CLOSE(F::r2_score(pt, tt, 0, "raw_values"), F::r2_score(p, t, 0, "raw_values"));
    EXPECT_TENSOR_CLOSE(F::mean_squared_error(pt, tt), F::mean_squared_error(p, t));
    EXPECT_TENSOR_CLOSE(F::pearson_corrcoef(pt, tt), F::pearson_corrcoef(p, t));
}

TEST(MetricsRegression, BadInputs) {
    namespace F = metrics::functional;
    Tensor a = ember::tensor({1.0, 2.0, 3.0}), b = ember::tensor({1.0, 2.0});
    EXPECT_EMBER_ERROR(F::mean_squared_error(a, b), "mean_squared_error", "same shape", "[3] float32",
                       "[2] float32");
    EXPECT_EMBER_ERROR(metrics::MeanAbsoluteError().update(a, b), "MeanAbsoluteError", "[3]", "[2]");
    EXPECT_EMBER_ERROR(F::r2_score(ember::tensor({1.0}), ember::tensor({2.0})), "r2_score",
                       "at least two samples");
    EXPECT_EMBER_ERROR(F::r2_score(a, a, 0, "median"), "r2_score", "multioutput", "'median'");
    EXPECT_EMBER_ERROR(F::r2_score(ember::zeros({2, 2, 2}), ember::zeros({2, 2, 2})), "r2_score",
                       "1-D or 2-D", "[2, 2, 2]");
    EXPECT_EMBER_ERROR(metrics::R2Score({.adjusted = -1}), "R2Score", "adjusted");
    EXPECT_EMBER_ERROR(metrics::MeanSquaredError({.num_outputs = 2}).update(a, a),
                       "MeanSquaredError", "(N, 2)", "[3] float32");
    EXPECT_EMBER_ERROR(metrics::PearsonCorrCoef().update(ember::zeros({3, 2}), ember::zeros({3, 2})),
                       "PearsonCorrCoef", "num_outputs=1", "[3, 2]");
    EXPECT_EMBER_ERROR(metrics::ExplainedVariance({.multioutput = "x"}), "ExplainedVariance",
                       "multioutput");
}

TEST(MetricsRegression, PearsonWarnsOnConstantInput) {
    WarningCapture warnings;
    metrics::functional::pearson_corrcoef(ember::tensor({1.0, 1.0, 1.0}), ember::tensor({1.0, 2.0, 3.0}));
    EXPECT_TRUE(warnings.contains("variance of predictions or target is close to zero"));
}

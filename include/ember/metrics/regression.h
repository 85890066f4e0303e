// ember::metrics regression metrics (torchmetrics.regression): MeanSquaredError,
// MeanAbsoluteError, R2Score, PearsonCorrCoef, ExplainedVariance, with functional forms.
#pragma once

#include <string>

#include "ember/metrics/metric.h"

namespace ember::metrics {

struct MeanSquaredErrorOptions {
    bool squared = true;      // false: RMSE, the square root of the accumulated MSE
    int64_t num_outputs = 1;  // > 1: inputs (N, num_outputs), one error per output
};
// Sum of squared errors over the element count.
class MeanSquaredError : public Metric {
public:
    explicit MeanSquaredError(MeanSquaredErrorOptions o = {});
    void update(const Tensor& preds, const Tensor& target) override;
    std::string repr() const override;

protected:
    Tensor compute_state() override;

private:
    MeanSquaredErrorOptions options_;
};

// Sum of absolute errors over the element count.
class MeanAbsoluteError : public Metric {
public:
    MeanAbsoluteError();
    void update(const Tensor& preds, const Tensor& target) override;

protected:
    Tensor compute_state() override;
};

// multioutput: "uniform_average" | "raw_values" | "variance_weighted".
struct R2ScoreOptions {
    int64_t num_outputs = 1;
    int64_t adjusted = 0;  // independent regressors of the adjusted R2 (0: plain R2)
    std::string multioutput = "uniform_average";
};
// 1 - RSS / TSS per output on 1-D (N) or 2-D (N, outputs) inputs; needs >= 2 samples.
class R2Score : public Metric {
public:
    explicit R2Score(R2ScoreOptions o = {});
    void update(const Tensor& preds, const Tensor& target) override;
    std::string repr() const override;

protected:
    Tensor compute_state() override;

private:
    R2ScoreOptions options_;
};

struct PearsonCorrCoefOptions {
    int64_t num_outputs = 1;
};
// Pearson correlation of 1-D (N) or 2-D (N, outputs) inputs. The state is float64 running
// sums (n, sums, sums of squares and products), so states merge by addition; the result is
// float32 as torchmetrics'.
class PearsonCorrCoef : public Metric {
public:
    explicit PearsonCorrCoef(PearsonCorrCoefOptions o = {});
    void update(const Tensor& preds, const Tensor& target) override;

protected:
    Tensor compute_state() override;

private:
    PearsonCorrCoefOptions options_;
};

struct ExplainedVarianceOptions {
    std::string multioutput = "uniform_average";
};
// 1 - Var(target - preds) / Var(target) per output.
class ExplainedVariance : public Metric {
public:
    explicit ExplainedVariance(ExplainedVarianceOptions o = {});
    void update(const Tensor& preds, const Tensor& target) override;

protected:
    Tensor compute_state() override;

private:
    ExplainedVarianceOptions options_;
};

namespace functional {
Tensor mean_squared_error(const Tensor& preds, const Tensor& target, bool squared = true,
                          int64_t num_outputs = 1);
Tensor mean_absolute_error(const Tensor& preds, const Tensor& target);
Tensor r2_score(const Tensor& preds, const Tensor& target, int64_t adjusted = 0,
                const std::string& multioutput = "uniform_average");
Tensor pearson_corrcoef(const Tensor& preds, const Tensor& target);
Tensor explained_variance(const Tensor& preds, const Tensor& target,
                          const std::string& multioutput = "uniform_average");
}  // namespace functional

}  // namespace ember::metrics

// Aggregation metrics and MetricCollection.
#include <cmath>

#include "metrics/fixtures.h"
#include "support/golden.h"

using namespace ember;
using ember::test::json;
using ember::test::tensor_from_json;

namespace {

const json& fixture() { return test::metrics_fixture("metrics_regression"); }

template <class M>
void check_aggregator(const std::string& key, M metric) {
    SCOPED_TRACE(key);
    const json& agg = fixture()["aggregation"];
    const json& expected = agg[key];
    for (size_t i = 0; i < 3; ++i)
        EXPECT_TENSOR_CLOSE(metric(tensor_from_json(agg["values"][i])),
                            tensor_from_json(expected["forward"][i]));
    EXPECT_TENSOR_CLOSE(metric.compute(), tensor_from_json(expected["compute"]));
}

}  // namespace

TEST(MetricsAggregation, MatchesTorchmetrics) {
    using namespace metrics;
    check_aggregator("sum/ignore", SumMetric({.nan_strategy = "ignore"}));
    check_aggregator("min/ignore", MinMetric({.nan_strategy = "ignore"}));
    check_aggregator("max/ignore", MaxMetric({.nan_strategy = "ignore"}));
    check_aggregator("mean/ignore", MeanMetric({.nan_strategy = "ignore"}));
    check_aggregator("sum/0.5", SumMetric({.nan_strategy = 0.5}));
    check_aggregator("min/0.5", MinMetric({.nan_strategy = 0.5}));
    check_aggregator("max/0.5", MaxMetric({.nan_strategy = 0.5}));
    check_aggregator("mean/0.5", MeanMetric({.nan_strategy = 0.5}));
}

TEST(MetricsAggregation, WeightedMean) {
    const json& agg = fixture()["aggregation"];
    metrics::MeanMetric m({.nan_strategy = "ignore"});
    for (size_t i = 0; i < 3; ++i)
        EXPECT_TENSOR_CLOSE(m(tensor_from_json(agg["values"][i]), tensor_from_json(agg["weights"][i])),
                            tensor_from_json(agg["mean_weighted"]["forward"][i]));
    EXPECT_TENSOR_CLOSE(m.compute(), tensor_from_json(agg["mean_weighted"]["compute"]));
    EXPECT_EMBER_ERROR(m.update(ember::zeros({3}), ember::ones({2})), "MeanMetric", "[2]", "[3]");
}

TEST(MetricsAggregation, RunningMeanWindow) {
    const json& r = fixture()["aggregation"]["running_mean"];
    Tensor stream = tensor_from_json(r["stream"]);
    metrics::RunningMean m({.window = r["window"].get<int64_t>()});
    for (int64_t i = 0; i < stream.size(0); ++i)
        EXPECT_TENSOR_CLOSE(m(stream[i]), tensor_from_json(r["forward"][i]));
    EXPECT_TENSOR_CLOSE(m.compute(), tensor_from_json(r["compute"]));
    EXPECT_EQ(m.state("value_sums").numel(), 3);  // only the window is kept
    EXPECT_EMBER_ERROR(metrics::RunningMean({.window = 0}), "RunningMean", "window");
}

TEST(MetricsAggregation, NanStrategies) {
    Tensor v = ember::tensor({1.0, std::nan(""), 3.0});
    {
        WarningCapture warnings;
        metrics::SumMetric s;  // default "warn": drops NaNs with a warning
        s.update(v);
        EXPECT_TRUE(warnings.contains("nan"));
        EXPECT_TENSOR_CLOSE(s.compute(), metrics::SumMetric({.nan_strategy = "ignore"})(v));
    }
    metrics::MaxMetric strict({.nan_strategy = "error"});
    EXPECT_EMBER_ERROR(strict.update(v), "MaxMetric", "nan", "[3] float32");
    EXPECT_EMBER_ERROR(metrics::MeanMetric({.nan_strategy = "drop"}), "MeanMetric", "nan_strategy",
                       "'drop'");
}

TEST(MetricsAggregation, NumbersAndMerge) {
    metrics::MeanMetric a, b;
    a.update(1.0);
    a.update(ember::tensor({2.0, 3.0}));
    b.update(ember::tensor({4.0}), 3.0);
    a.merge_state(b);
    EXPECT_EQ(a.update_count(), 3);
    metrics::MeanMetric all;
    all.update(ember::tensor({1.0, 2.0, 3.0, 4.0}), ember::tensor({1.0, 1.0, 1.0, 3.0}));
    EXPECT_TENSOR_CLOSE(a.compute(), all.compute());
}

TEST(MetricsCollection, UpdatesAllAndComputesByName) {
    using namespace metrics;
    MetricCollection c;
    auto& acc = c.add("acc", MulticlassAccuracy(3, {.average = "micro"}));
    c.add(MulticlassF1Score(3));
    EXPECT_EQ(c.keys(), (std::vector<std::string>{"acc", "MulticlassF1Score"}));
    Tensor p1 = ember::tensor({0, 1, 2, 2}), t1 = ember::tensor({0, 1, 1, 2});
    Tensor p2 = ember::tensor({1, 1, 0}), t2 = ember::tensor({1, 2, 0});
    auto batch = c(p1, t1);
    EXPECT_TENSOR_CLOSE(batch["acc"], functional::multiclass_accuracy(p1, t1, 3, {.average = "micro"}));
    c.update(p2, t2);
    auto all = c.compute();
    Tensor p = cat({p1, p2}), t = cat({t1, t2});
    EXPECT_TENSOR_CLOSE(all["acc"], functional::multiclass_accuracy(p, t, 3, {.average = "micro"}));
    EXPECT_TENSOR_CLOSE(all["MulticlassF1Score"], functional::multiclass_f1_score(p, t, 3));
    EXPECT_EQ(acc.update_count(), 2);
    EXPECT_EQ(&c["acc"], static_cast<Metric*>(&acc));
    c.reset();
    EXPECT_EQ(acc.update_count(), 0);
    EXPECT_EMBER_ERROR(c.add("acc", BinaryAccuracy()), "MetricCollection", "'acc'");
    EXPECT_EMBER_ERROR(c["nope"], "MetricCollection", "'nope'");
}

TEST(MetricsBase, CopiesAndResultsAreIndependentOfLaterUpdates) {
    metrics::SumMetric a({.nan_strategy = "ignore"});
    a.update(ember::tensor({1.0, 2.0}));
    Tensor first = a.compute();
    metrics::SumMetric b = a;  // a deep copy
    a.update(ember::tensor({4.0}));
    EXPECT_TENSOR_CLOSE(first, b.compute());  // neither the old result nor the copy moved
    EXPECT_TENSOR_CLOSE(a.compute(), metrics::SumMetric({.nan_strategy = "ignore"})(
                                         ember::tensor({1.0, 2.0, 4.0})));
    metrics::ConfusionMatrix m({.task = "binary"});
    m.update(ember::tensor({0, 1}), ember::tensor({0, 1}));
    Tensor before = m.compute().clone(), returned = m.compute();
    m.update(ember::tensor({1}), ember::tensor({0}));
    EXPECT_TENSOR_EQ(returned, before);
}

// States live on the inputs' device (the CPU until the CUDA backend lands).
TEST(MetricsBase, StatesFollowTheInputsDevice) {
    Tensor scores = ember::tensor({{0.1, 0.9, 0.0}, {0.3, 0.1, 0.6}, {0.5, 0.2, 0.3}});
    Tensor labels = ember::tensor({1, 2, 1});
    metrics::MulticlassF1Score cpu(3);
    cpu.update(scores, labels);
    EXPECT_EQ(cpu.state("tp").device(), Device(kCPU));
    EXPECT_EQ(cpu.to(kCPU).device(), Device(kCPU));
    // The same on CUDA comes with the CUDA backend (its tests run where a GPU is).
}

namespace {
// A metric with a "mean" state: the average of the per-update means, weighted by updates.
class MeanOfMeans : public metrics::AggregationMetric {
public:
    MeanOfMeans() : AggregationMetric("MeanOfMeans", {}) {
        add_state("avg", ember::zeros({}), metrics::Reduction::Mean);
    }
    using AggregationMetric::update;
    void update(const Tensor& value) override {
        run_update(value.device(), [&] { tensor_state("avg") = value.mean(); });
    }

protected:
    Tensor compute_state() override { return state("avg").clone(); }
};
}  // namespace

TEST(MetricsBase, MeanStatesMergeWeightedByUpdateCounts) {
    Tensor a = ember::tensor({1.0, 2.0}), b = ember::tensor({4.0, 8.0, 9.0}), c = ember::tensor({3.0});
    MeanOfMeans m;
    EXPECT_TENSOR_CLOSE(m(a), a.mean());
    EXPECT_TENSOR_CLOSE(m(b), b.mean());
    EXPECT_TENSOR_CLOSE(m.compute(), (a.mean() + b.mean()) / 2);
    MeanOfMeans other;
    other.update(c);
    m.merge_state(other);  // two updates here, one there
    EXPECT_EQ(m.update_count(), 3);
    EXPECT_TENSOR_CLOSE(m.compute(), (a.mean() + b.mean() + c.mean()) / 3);
}

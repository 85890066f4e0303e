// AUROC, AveragePrecision, MatthewsCorrCoef and CohenKappa against torchmetrics fixtures.
#include <memory>

#include "metrics/fixtures.h"
#include "support/golden.h"

using namespace ember;
using ember::test::json;
using ember::test::tensor_from_json;

namespace {

const json& fixture() { return test::metrics_fixture("metrics_ranking"); }

std::pair<Tensor, Tensor> input(const std::string& name) {
    return test::metrics_input(fixture(), name);
}

std::optional<int64_t> ignore_of(const json& a) { return test::ignore_index_of(a); }

std::string weights_of(const json& a) {
    return a.contains("weights") && !a["weights"].is_null() ? a["weights"].get<std::string>()
                                                            : std::string("none");
}

// The wrapper options of a case (task-specific classes are checked separately below).
metrics::RankingOptions ranking_opts(const json& c) {
    const json& a = c["args"];
    metrics::RankingOptions o{.task = c["task"].get<std::string>()};
    if (a.contains("num_classes")) o.num_classes = a["num_classes"].get<int64_t>();
    if (a.contains("num_labels")) o.num_labels = a["num_labels"].get<int64_t>();
    o.average = a.value("average", std::string("macro"));
    o.ignore_index = ignore_of(a);
    return o;
}

metrics::AgreementOptions agreement_opts(const json& c) {
    const json& a = c["args"];
    metrics::AgreementOptions o{.task = c["task"].get<std::string>()};
    o.threshold = a.value("threshold", 0.5);
    if (a.contains("num_classes")) o.num_classes = a["num_classes"].get<int64_t>();
    if (a.contains("num_labels")) o.num_labels = a["num_labels"].get<int64_t>();
    o.weights = weights_of(a);
    o.ignore_index = ignore_of(a);
    return o;
}

Tensor functional_of(const json& c, const Tensor& p, const Tensor& t) {
    namespace F = metrics::functional;
    const std::string kind = c["kind"], task = c["task"];
    const json& a = c["args"];
    if (kind == "matthews_corrcoef") return F::matthews_corrcoef(p, t, agreement_opts(c));
    if (kind == "cohen_kappa") return F::cohen_kappa(p, t, agreement_opts(c));
    const bool auc = kind == "auroc";
    if (task == "binary") {
        metrics::BinaryRankingOptions o{.ignore_index = ignore_of(a)};
        return auc ? F::binary_auroc(p, t, o) : F::binary_average_precision(p, t, o);
    }
    if (task == "multiclass") {
        metrics::MulticlassRankingOptions o{.average = a.value("average", std::string("macro")),
                                            .ignore_index = ignore_of(a)};
        const int64_t n = a["num_classes"];
        return auc ? F::multiclass_auroc(p, t, n, o) : F::multiclass_average_precision(p, t, n, o);
    }
    metrics::MultilabelRankingOptions o{.average = a.value("average", std::string("macro")),
                                        .ignore_index = ignore_of(a)};
    const int64_t n = a["num_labels"];
    return auc ? F::multilabel_auroc(p, t, n, o) : F::multilabel_average_precision(p, t, n, o);
}

Tensor wrapper_functional_of(const json& c, const Tensor& p, const Tensor& t) {
    namespace F = metrics::functional;
    const std::string kind = c["kind"];
    if (kind == "auroc") return F::auroc(p, t, ranking_opts(c));
    if (kind == "average_precision") return F::average_precision(p, t, ranking_opts(c));
    return functional_of(c, p, t);
}

std::unique_ptr<metrics::Metric> module_of(const json& c) {
    const std::string kind = c["kind"];
    if (kind == "auroc") return std::make_unique<metrics::AUROC>(ranking_opts(c));
    if (kind == "average_precision")
        return std::make_unique<metrics::AveragePrecision>(ranking_opts(c));
    if (kind == "matthews_corrcoef")
        return std::make_unique<metrics::MatthewsCorrCoef>(agreement_opts(c));
    return std::make_unique<metrics::CohenKappa>(agreement_opts(c));
}

std::string label(const json& c) {
    return c["kind"].get<std::string>() + "/" + c["task"].get<std::string>() + "/" +
           c["input"].get<std::string>() + " " + c["args"].dump();
}

}  // namespace

TEST(MetricsRanking, MatchesTorchmetrics) {
    EXPECT_EQ(fixture()["torchmetrics_version"], "1.4.3");
    WarningCapture quiet;  // classes without positives warn, as in torchmetrics
    for (const json& c : fixture()["cases"]) {
        SCOPED_TRACE(label(c));
        auto [p, t] = input(c["input"]);
        Tensor expected = tensor_from_json(c["out"]);
        EXPECT_TENSOR_CLOSE(functional_of(c, p, t), expected, 1e-5, 1e-6);
        EXPECT_TENSOR_CLOSE(wrapper_functional_of(c, p, t), expected, 1e-5, 1e-6);
        const int64_t half = p.size(0) / 2, rest = p.size(0) - half;
        auto m = module_of(c);
        EXPECT_TENSOR_CLOSE((*m)(p.narrow(0, 0, half), t.narrow(0, 0, half)),
                            tensor_from_json(c["forward"][0]), 1e-5, 1e-6);
        EXPECT_TENSOR_CLOSE((*m)(p.narrow(0, half, rest), t.narrow(0, half, rest)),
                            tensor_from_json(c["forward"][1]), 1e-5, 1e-6);
        EXPECT_TENSOR_CLOSE(m->compute(), tensor_from_json(c["compute"]), 1e-5, 1e-6);
        auto a = module_of(c), b = module_of(c);
        a->update(p.narrow(0, 0, half), t.narrow(0, 0, half));
        b->update(p.narrow(0, half, rest), t.narrow(0, half, rest));
        a->merge_state(*b);
        EXPECT_TENSOR_CLOSE(a->compute(), tensor_from_json(c["compute"]), 1e-5, 1e-6);
    }
}

TEST(MetricsRanking, TaskSpecificClasses) {
    auto [p, t] = input("mc_logit");
    metrics::MulticlassAUROC a(4, {.average = "weighted"});
    EXPECT_TENSOR_CLOSE(a(p, t), metrics::functional::auroc(
                                     p, t, {.task = "multiclass", .num_classes = 4, .average = "weighted"}));
    auto [bp, bt] = input("bin_prob");
    metrics::BinaryAveragePrecision ap;
    EXPECT_TENSOR_CLOSE(ap(bp, bt), metrics::functional::binary_average_precision(bp, bt));
    metrics::MultilabelAUROC ml(3);
    auto [mp, mt] = input("ml_prob");
    EXPECT_TENSOR_CLOSE(ml(mp, mt), metrics::functional::multilabel_auroc(mp, mt, 3));
    metrics::MulticlassCohenKappa k(4, {.weights = "quadratic"});
    EXPECT_TENSOR_CLOSE(k(p, t), metrics::functional::cohen_kappa(
                                     p, t, {.task = "multiclass", .num_classes = 4, .weights = "quadratic"}));
    EXPECT_EQ(k.repr(), "MulticlassCohenKappa(num_classes=4, weights=quadratic)");
    EXPECT_EQ(a.repr(), "MulticlassAUROC(num_classes=4, average=weighted)");
}

TEST(MetricsRanking, NonContiguousInputs) {
    auto [p, t] = input("mc_prob");
    Tensor pt = p.t().contiguous().t();
    ASSERT_FALSE(pt.is_contiguous());
    EXPECT_TENSOR_CLOSE(metrics::functional::multiclass_auroc(pt, t, 4),
                        metrics::functional::multiclass_auroc(p, t, 4));
}

TEST(MetricsRanking, DegenerateMatthews) {
    for (const json& d : fixture()["degenerate"]) {
        SCOPED_TRACE(d.dump());
        EXPECT_TENSOR_CLOSE(metrics::BinaryMatthewsCorrCoef()(tensor_from_json(d["preds"]),
                                                              tensor_from_json(d["target"])),
                            // torchmetrics returns its shortcut +-1 in the confusion matrix's
                            // int64 dtype; ember's result is float32 throughout.
                            tensor_from_json(d["mcc"]).to(DType::Float32));
    }
}

TEST(MetricsRanking, BadInputs) {
    namespace F = metrics::functional;
    using namespace metrics;
    EXPECT_EMBER_ERROR(F::binary_auroc(ember::tensor({0, 1}), ember::tensor({0, 1})), "binary_auroc",
                       "float", "[2] int64");
    EXPECT_EMBER_ERROR(F::binary_auroc(ember::tensor({0.2, 0.4}), ember::tensor({0, 1, 1})),
                       "binary_auroc", "same shape", "[2] float32", "[3] int64");
    EXPECT_EMBER_ERROR(F::binary_auroc(ember::tensor({0.2, 0.4}), ember::tensor({0, 2})),
                       "binary_auroc", "only 0 and 1");
    EXPECT_EMBER_ERROR(F::multiclass_auroc(ember::zeros({3, 4}), ember::tensor({0, 1, 2}), 3),
                       "multiclass_auroc", "[3, 4] float32", "3 classes");
    EXPECT_EMBER_ERROR(F::multiclass_auroc(ember::zeros({2, 3}), ember::tensor({0, 3}), 3),
                       "multiclass_auroc", "[0, 3)", "[0, 3]");
    EXPECT_EMBER_ERROR(F::multiclass_auroc(ember::zeros({2, 3}), ember::tensor({0, 1}), 3, {.average = "micro"}),
                       "multiclass_auroc", "average", "'micro'");
    EXPECT_EMBER_ERROR(F::multilabel_average_precision(ember::zeros({2, 2}), ember::zeros({2, 2}, {.dtype = int64}), 3),
                       "multilabel_average_precision", "(N, 3, ...)", "[2, 2] float32");
    EXPECT_EMBER_ERROR(F::binary_auroc(ember::zeros({0}), ember::zeros({0}, {.dtype = int64})),
                       "binary_auroc", "no samples");
    EXPECT_EMBER_ERROR(AUROC({}), "AUROC", "task");
    EXPECT_EMBER_ERROR(AUROC({.task = "multiclass"}), "AUROC", "num_classes");
    EXPECT_EMBER_ERROR(MulticlassAveragePrecision(1), "MulticlassAveragePrecision", ">= 2");
    EXPECT_EMBER_ERROR(CohenKappa({.task = "binary", .weights = "cubic"}), "CohenKappa", "weights",
                       "'cubic'");
    EXPECT_EMBER_ERROR(CohenKappa({.task = "multilabel", .num_labels = 3}), "CohenKappa", "multilabel");
    EXPECT_EMBER_ERROR(MulticlassMatthewsCorrCoef(3).update(ember::zeros({2, 3}), ember::tensor({0, 5})),
                       "MulticlassMatthewsCorrCoef", "[0, 5]");
    MulticlassAUROC a(3);
    MulticlassAUROC b(4);
    EXPECT_EMBER_ERROR(a.merge_state(b), "merge_state", "num_classes=4");
}

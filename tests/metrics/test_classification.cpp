// Classification metrics (functional and stateful) against torchmetrics fixtures.
#include <memory>

#include "metrics/fixtures.h"
#include "support/golden.h"

using namespace ember;
using ember::test::json;
using ember::test::tensor_from_json;

namespace {

const json& fixture() { return test::metrics_fixture("metrics_classification"); }

std::pair<Tensor, Tensor> input(const std::string& name) {
    return test::metrics_input(fixture(), name);
}

std::optional<int64_t> ignore_of(const json& a) { return test::ignore_index_of(a); }
metrics::BinaryOptions binary_opts(const json& a) {
    return {.threshold = a.value("threshold", 0.5),
            .multidim_average = a.value("multidim_average", std::string("global")),
            .ignore_index = ignore_of(a)};
}
metrics::MulticlassOptions multiclass_opts(const json& a) {
    return {.top_k = a.value("top_k", int64_t{1}),
            .average = a.value("average", std::string("macro")),
            .multidim_average = a.value("multidim_average", std::string("global")),
            .ignore_index = ignore_of(a)};
}
metrics::MultilabelOptions multilabel_opts(const json& a) {
    return {.threshold = a.value("threshold", 0.5),
            .average = a.value("average", std::string("macro")),
            .multidim_average = a.value("multidim_average", std::string("global")),
            .ignore_index = ignore_of(a)};
}
// The wrapper options equivalent to a task-specific case.
metrics::ClassificationOptions wrapper_opts(const std::string& task, const json& a) {
    metrics::ClassificationOptions o{.task = task};
    o.threshold = a.value("threshold", 0.5);
    if (a.contains("num_classes")) o.num_classes = a["num_classes"].get<int64_t>();
    if (a.contains("num_labels")) o.num_labels = a["num_labels"].get<int64_t>();
    o.average = a.value("average", std::string("macro"));
    o.multidim_average = a.value("multidim_average", std::string("global"));
    o.top_k = a.value("top_k", int64_t{1});
    o.ignore_index = ignore_of(a);
    return o;
}

constexpr double kBeta = 2.0;  // the fixture's FBetaScore beta

// The task-specific functional form of a case.
Tensor functional_of(const json& c, const Tensor& p, const Tensor& t) {
    namespace F = metrics::functional;
    const std::string kind = c["kind"], task = c["task"];
    const json& a = c["args"];
    if (task == "binary") {
        auto o = binary_opts(a);
        if (kind == "accuracy") return F::binary_accuracy(p, t, o);
        if (kind == "precision") return F::binary_precision(p, t, o);
        if (kind == "recall") return F::binary_recall(p, t, o);
        if (kind == "f1_score") return F::binary_f1_score(p, t, o);
        if (kind == "fbeta_score") return F::binary_fbeta_score(p, t, kBeta, o);
        return F::binary_specificity(p, t, o);
    }
    if (task == "multiclass") {
        auto o = multiclass_opts(a);
        const int64_t n = a["num_classes"];
        if (kind == "accuracy") return F::multiclass_accuracy(p, t, n, o);
        if (kind == "precision") return F::multiclass_precision(p, t, n, o);
        if (kind == "recall") return F::multiclass_recall(p, t, n, o);
        if (kind == "f1_score") return F::multiclass_f1_score(p, t, n, o);
        if (kind == "fbeta_score") return F::multiclass_fbeta_score(p, t, kBeta, n, o);
        return F::multiclass_specificity(p, t, n, o);
    }
    auto o = multilabel_opts(a);
    const int64_t n = a["num_labels"];
    if (kind == "accuracy") return F::multilabel_accuracy(p, t, n, o);
    if (kind == "precision") return F::multilabel_precision(p, t, n, o);
    if (kind == "recall") return F::multilabel_recall(p, t, n, o);
    if (kind == "f1_score") return F::multilabel_f1_score(p, t, n, o);
    if (kind == "fbeta_score") return F::multilabel_fbeta_score(p, t, kBeta, n, o);
    return F::multilabel_specificity(p, t, n, o);
}

// The same case through the task wrapper (functional.accuracy(..., {.task = ...})).
Tensor wrapper_functional_of(const json& c, const Tensor& p, const Tensor& t) {
    namespace F = metrics::functional;
    const std::string kind = c["kind"];
    auto o = wrapper_opts(c["task"], c["args"]);
    if (kind == "accuracy") return F::accuracy(p, t, o);
    if (kind == "precision") return F::precision(p, t, o);
    if (kind == "recall") return F::recall(p, t, o);
    if (kind == "f1_score") return F::f1_score(p, t, o);
    if (kind == "fbeta_score") return F::fbeta_score(p, t, kBeta, o);
    return F::specificity(p, t, o);
}

// The stateful task-specific class of a case (accuracy / fbeta_score cases have module data).
std::unique_ptr<metrics::Metric> module_of(const json& c) {
    const std::string kind = c["kind"], task = c["task"];
    const json& a = c["args"];
    const bool acc = kind == "accuracy";
    if (task == "binary") {
        if (acc) return std::make_unique<metrics::BinaryAccuracy>(binary_opts(a));
        return std::make_unique<metrics::BinaryFBetaScore>(kBeta, binary_opts(a));
    }
    if (task == "multiclass") {
        const int64_t n = a["num_classes"];
        if (acc) return std::make_unique<metrics::MulticlassAccuracy>(n, multiclass_opts(a));
        return std::make_unique<metrics::MulticlassFBetaScore>(kBeta, n, multiclass_opts(a));
    }
    const int64_t n = a["num_labels"];
    if (acc) return std::make_unique<metrics::MultilabelAccuracy>(n, multilabel_opts(a));
    return std::make_unique<metrics::MultilabelFBetaScore>(kBeta, n, multilabel_opts(a));
}

std::string label(const json& c) {
    return c["kind"].get<std::string>() + "/" + c["task"].get<std::string>() + "/" +
           c["input"].get<std::string>() + " " + c["args"].dump();
}

// The same values as `t`, viewed with a stride of 2 in the last dim (non-contiguous).
Tensor noncontiguous(const Tensor& t) {
    if (t.dim() == 0) return t;
    return stack({t, t}, -1).select(-1, 0);
}

}  // namespace

TEST(MetricsClassification, FixtureVersion) {
    EXPECT_EQ(fixture()["torchmetrics_version"], "1.4.3");
}

TEST(MetricsClassification, FunctionalMatchesTorchmetrics) {
    const json& cases = fixture()["cases"];
    ASSERT_GT(cases.size(), 100u);
    for (const json& c : cases) {
        SCOPED_TRACE(label(c));
        auto [p, t] = input(c["input"]);
        Tensor expected = tensor_from_json(c["out"]);
        EXPECT_TENSOR_CLOSE(functional_of(c, p, t), expected);
        EXPECT_TENSOR_CLOSE(wrapper_functional_of(c, p, t), expected);
    }
}

TEST(MetricsClassification, NonContiguousInputs) {
    for (const json& c : fixture()["cases"]) {
        if (c["kind"] != "f1_score") continue;
        SCOPED_TRACE(label(c));
        auto [p, t] = input(c["input"]);
        Tensor pn = noncontiguous(p), tn = noncontiguous(t);
        ASSERT_TRUE(ember::equal(pn, p));
        ASSERT_FALSE(pn.is_contiguous());
        EXPECT_TENSOR_CLOSE(functional_of(c, pn, tn), tensor_from_json(c["out"]));
    }
}

TEST(MetricsClassification, ForwardReturnsBatchValueAndComputeAccumulates) {
    int checked = 0;
    for (const json& c : fixture()["cases"]) {
        if (!c.contains("forward")) continue;
        SCOPED_TRACE(label(c));
        auto [p, t] = input(c["input"]);
        const int64_t half = p.size(0) / 2;
        auto m = module_of(c);
        EXPECT_TENSOR_CLOSE((*m)(p.narrow(0, 0, half), t.narrow(0, 0, half)),
                            tensor_from_json(c["forward"][0]));
        EXPECT_TENSOR_CLOSE((*m)(p.narrow(0, half, p.size(0) - half),
                                 t.narrow(0, half, t.size(0) - half)),
                            tensor_from_json(c["forward"][1]));
        EXPECT_EQ(m->update_count(), 2);
        EXPECT_TENSOR_CLOSE(m->compute(), tensor_from_json(c["compute"]));
        ++checked;
    }
    EXPECT_GT(checked, 50);
}

TEST(MetricsClassification, MergeStateEqualsOneAccumulator) {
    for (const json& c : fixture()["cases"]) {
        if (!c.contains("forward")) continue;
        SCOPED_TRACE(label(c));
        auto [p, t] = input(c["input"]);
        const int64_t half = p.size(0) / 2, rest = p.size(0) - half;
        auto a = module_of(c), b = module_of(c);
        a->update(p.narrow(0, 0, half), t.narrow(0, 0, half));
        b->update(p.narrow(0, half, rest), t.narrow(0, half, rest));
        a->merge_state(*b);
        EXPECT_EQ(a->update_count(), 2);
        EXPECT_TENSOR_CLOSE(a->compute(), tensor_from_json(c["compute"]));
    }
}

TEST(MetricsClassification, ResetAndComputeBeforeUpdateWarns) {
    auto [p, t] = input("mc_scores");
    metrics::MulticlassAccuracy m(4);
    m.update(p, t);
    Tensor first = m.compute();
    EXPECT_TRUE(m.compute().is_same(first));  // cached until the next update
    m.reset();
    EXPECT_EQ(m.update_count(), 0);
    {
        WarningCapture warnings;
        Tensor v = m.compute();
        EXPECT_TRUE(warnings.contains("MulticlassAccuracy was called before the update"));
        EXPECT_EQ(v.dim(), 0);
        EXPECT_EQ(v.item<double>(), 0.0);  // safe division of zero counts
    }
    m.update(p, t);
    EXPECT_TENSOR_CLOSE(m.compute(), first);
}

TEST(MetricsClassification, WrapperAndClassDefaults) {
    const json& d = fixture()["defaults"];
    auto [p, t] = input("mc_scores");
    namespace F = metrics::functional;
    EXPECT_TENSOR_CLOSE(F::accuracy(p, t, {.task = "multiclass", .num_classes = 4}),
                        tensor_from_json(d["wrapper_accuracy"]));
    EXPECT_TENSOR_CLOSE(F::precision(p, t, {.task = "multiclass", .num_classes = 4}),
                        tensor_from_json(d["wrapper_precision"]));
    EXPECT_TENSOR_CLOSE(metrics::MulticlassAccuracy(4)(p, t), tensor_from_json(d["class_accuracy"]));
    EXPECT_TENSOR_CLOSE(metrics::MulticlassF1Score(4)(p, t), tensor_from_json(d["class_f1"]));
    EXPECT_TENSOR_CLOSE(metrics::Accuracy({.task = "multiclass", .num_classes = 4})(p, t),
                        tensor_from_json(d["wrapper_accuracy"]));
}

TEST(MetricsClassification, ConfusionMatrixMatchesTorchmetrics) {
    for (const json& c : fixture()["confusion_matrix"]) {
        SCOPED_TRACE(c.dump().substr(0, 200));
        auto [p, t] = input(c["input"]);
        const json& a = c["args"];
        metrics::ConfusionMatrixOptions o{.task = c["task"].get<std::string>(),
                                          .normalize = c["normalize"]};
        if (a.contains("num_classes")) o.num_classes = a["num_classes"].get<int64_t>();
        if (a.contains("num_labels")) o.num_labels = a["num_labels"].get<int64_t>();
        o.ignore_index = ignore_of(a);
        EXPECT_TENSOR_CLOSE(metrics::functional::confusion_matrix(p, t, o), tensor_from_json(c["out"]));
        metrics::ConfusionMatrix m(o);
        const int64_t half = p.size(0) / 2;
        m.update(p.narrow(0, 0, half), t.narrow(0, 0, half));
        m.update(p.narrow(0, half, p.size(0) - half), t.narrow(0, half, t.size(0) - half));
        EXPECT_TENSOR_CLOSE(m.compute(), tensor_from_json(c["compute"]));
    }
}

// The seed: functional accuracy on softmax outputs, and a stateful Accuracy() (no task: the
// old API, multiclass micro with the class count taken from the first batch) per batch.
TEST(MetricsClassification, SeedSnippets) {
    const json& s = fixture()["seed"];
    Tensor logits = tensor_from_json(s["logits"]), labels = tensor_from_json(s["labels"]);
    EXPECT_TENSOR_CLOSE(metrics::functional::accuracy(softmax(logits[0], 1), labels[0]),
                        tensor_from_json(s["functional"]));
    metrics::Accuracy acc;
    std::vector<Tensor> all_preds;
    for (int64_t i = 0; i < 10; ++i) {
        Tensor preds = softmax(logits[i], 1);
        all_preds.push_back(preds);
        EXPECT_TENSOR_CLOSE(acc(preds, labels[i]), tensor_from_json(s["batches"][i]));
    }
    Tensor total = acc.compute();
    EXPECT_TENSOR_CLOSE(total, tensor_from_json(s["compute"]));
    // The accumulated accuracy is the accuracy of the concatenated batches.
    EXPECT_TENSOR_CLOSE(total, metrics::functional::accuracy(cat(all_preds, 0), labels.reshape({-1})));
    EXPECT_EQ(acc.repr(), "Accuracy(num_classes=5, average=micro)");
}

TEST(MetricsClassification, EmptyBatchAddsNothing) {
    auto [p, t] = input("mc_scores");
    metrics::MulticlassRecall m(4);
    m.update(p.narrow(0, 0, 0), t.narrow(0, 0, 0));
    m.update(p, t);
    EXPECT_TENSOR_CLOSE(m.compute(), metrics::functional::multiclass_recall(p, t, 4));
    auto [bp, bt] = input("bin_prob");
    metrics::BinaryAccuracy b;
    b.update(bp.narrow(0, 0, 0), bt.narrow(0, 0, 0));
    b.update(bp, bt);
    EXPECT_TENSOR_CLOSE(b.compute(), metrics::functional::binary_accuracy(bp, bt));
}

TEST(MetricsClassification, ForwardErrorKeepsAccumulatedState) {
    auto [p, t] = input("mc_scores");
    metrics::MulticlassAccuracy m(4);
    m.update(p, t);
    Tensor before = m.compute();
    EXPECT_THROW(m(p, t.narrow(0, 0, 3)), Error);
    EXPECT_EQ(m.update_count(), 1);
    EXPECT_TENSOR_CLOSE(m.compute(), before);
}

TEST(MetricsClassification, BadArguments) {
    using namespace metrics;
    EXPECT_EMBER_ERROR(MulticlassAccuracy(1), "MulticlassAccuracy", "num_classes", ">= 2", "1");
    EXPECT_EMBER_ERROR(MulticlassAccuracy(3, {.top_k = 4}), "MulticlassAccuracy", "top_k=4",
                       "num_classes=3");
    EXPECT_EMBER_ERROR(MulticlassPrecision(3, {.average = "mean"}), "MulticlassPrecision",
                       "average", "'mean'");
    EXPECT_EMBER_ERROR(BinaryRecall({.multidim_average = "batch"}), "BinaryRecall",
                       "multidim_average", "'batch'");
    EXPECT_EMBER_ERROR(BinaryAccuracy({.threshold = 1.5}), "BinaryAccuracy", "threshold", "1.5");
    EXPECT_EMBER_ERROR(MultilabelF1Score(1), "MultilabelF1Score", "num_labels", ">= 2");
    EXPECT_EMBER_ERROR(Accuracy({.task = "multiclass"}), "Accuracy", "num_classes", "multiclass");
    EXPECT_EMBER_ERROR(Accuracy({.task = "multilabel"}), "Accuracy", "num_labels", "multilabel");
    EXPECT_EMBER_ERROR(Accuracy({.task = "regression"}), "Accuracy", "task", "'regression'");
    EXPECT_EMBER_ERROR(FBetaScore(0.0, {.task = "binary"}), "FBetaScore", "beta");
    EXPECT_EMBER_ERROR(ConfusionMatrix({.task = "binary", .normalize = "rows"}), "ConfusionMatrix",
                       "normalize", "'rows'");
    EXPECT_EMBER_ERROR(ConfusionMatrix({}), "ConfusionMatrix", "task");
}

TEST(MetricsClassification, BadInputs) {
    using namespace metrics;
    namespace F = metrics::functional;
    Tensor scores = ember::tensor({{0.1, 0.9, 0.0}, {0.3, 0.1, 0.6}});
    // Shape mismatches.
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(scores, ember::tensor({0, 1, 2}), 3),
                       "multiclass_accuracy", "[2, 3] float32", "[3] int64");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(scores, ember::tensor({0, 1}), 4),
                       "multiclass_accuracy", "C=4", "[2, 3] float32");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(ember::tensor({0, 1, 1}), ember::tensor({0, 1}), 3),
                       "multiclass_accuracy", "same shape", "[3] int64", "[2] int64");
    EXPECT_EMBER_ERROR(F::binary_accuracy(ember::tensor({0.1, 0.7}), ember::tensor({0, 1, 1})),
                       "binary_accuracy", "same shape", "[2] float32", "[3] int64");
    EXPECT_EMBER_ERROR(F::multilabel_accuracy(ember::tensor({{0.1, 0.7}}), ember::tensor({{0, 1}}), 3),
                       "multilabel_accuracy", "num_labels=3", "[1, 2] float32");
    // Class index out of range, negative labels other than ignore_index.
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(scores, ember::tensor({0, 3}), 3), "multiclass_accuracy",
                       "target class labels must be in [0, 3)", "[0, 3]");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(scores, ember::tensor({-1, 2}), 3),
                       "multiclass_accuracy", "[-1, 2]");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(scores, ember::tensor({-1, 2}), 3, {.ignore_index = -100}),
                       "multiclass_accuracy", "or ignore_index", "[-1, 2]");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(ember::tensor({0, 5}), ember::tensor({0, 1}), 3),
                       "multiclass_accuracy", "preds class labels", "[0, 5]");
    EXPECT_EMBER_ERROR(F::binary_accuracy(ember::tensor({0, 1}), ember::tensor({0, 2})),
                       "binary_accuracy", "only 0 and 1", "[0, 2]");
    EXPECT_EMBER_ERROR(F::binary_accuracy(ember::tensor({0, 3}), ember::tensor({0, 1})),
                       "binary_accuracy", "integer preds", "0 or 1");
    // Float preds where labels are needed; float targets; top_k on labels.
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(ember::tensor({0.0, 1.0}), ember::tensor({0, 1}), 3),
                       "multiclass_accuracy", "integer labels", "[2] float32");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(scores, ember::tensor({0.0, 1.0}), 3),
                       "multiclass_accuracy", "target must hold integer", "[2] float32");
    EXPECT_EMBER_ERROR(F::multiclass_accuracy(ember::tensor({0, 1}), ember::tensor({0, 1}), 3, {.top_k = 2}),
                       "multiclass_accuracy", "top_k=2", "float scores");
    // samplewise needs extra dims.
    EXPECT_EMBER_ERROR(F::binary_accuracy(ember::tensor({0, 1}), ember::tensor({0, 1}),
                                          {.multidim_average = "samplewise"}),
                       "binary_accuracy", "samplewise", "[2] int64");
    // The old API cannot take binary probabilities.
    EXPECT_EMBER_ERROR(F::accuracy(ember::tensor({0.2, 0.9}), ember::tensor({0, 1})), "accuracy",
                       "task='binary'", "[2] float32");
    // A stateful metric names itself.
    MulticlassAccuracy m(3);
    EXPECT_EMBER_ERROR(m.update(scores, ember::tensor({0, 7})), "MulticlassAccuracy", "[0, 7]");
    // merge_state of different metrics / configurations.
    MulticlassAccuracy other(4);
    EXPECT_EMBER_ERROR(m.merge_state(other), "MulticlassAccuracy", "merge_state", "num_classes=4");
    BinaryAccuracy b;
    EXPECT_EMBER_ERROR(m.merge_state(b), "merge_state", "BinaryAccuracy");
}

TEST(MetricsClassification, Repr) {
    EXPECT_EQ(metrics::MulticlassAccuracy(3).repr(), "MulticlassAccuracy(num_classes=3, average=macro)");
    EXPECT_EQ(metrics::BinaryF1Score().repr(), "BinaryF1Score(threshold=0.5, average=binary)");
    EXPECT_EQ(metrics::MultilabelRecall(2, {.ignore_index = -1}).repr(),
              "MultilabelRecall(num_labels=2, threshold=0.5, average=macro, ignore_index=-1)");
}

TEST(MetricsClassification, OldApiInfersClassesFromLabels) {
    auto [p, t] = input("mc_labels");
    metrics::Accuracy acc;  // no task: num_classes from the largest label, micro
    EXPECT_THROW(acc(p, t.narrow(0, 0, 2)), Error);  // a failed first forward keeps nothing
    EXPECT_EQ(acc.update_count(), 0);
    EXPECT_TENSOR_CLOSE(acc(p, t), metrics::functional::multiclass_accuracy(p, t, 4, {.average = "micro"}));
    EXPECT_EQ(acc.repr(), "Accuracy(num_classes=4, average=micro)");
    // Later batches must stay within the inferred classes.
    EXPECT_EMBER_ERROR(acc.update(ember::tensor({5}), ember::tensor({0})), "Accuracy", "[0, 4)", "[5, 5]");
}

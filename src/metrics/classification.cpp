// The stat-scores metrics (Accuracy, Precision, Recall, F-beta, Specificity) and
// ConfusionMatrix: reductions of tp/fp/tn/fn as torchmetrics' _*_reduce functions.
#include "ember/metrics/classification.h"

#include <sstream>

#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/util.h"

namespace ember::metrics {

using ember::detail::describe;  // "[2, 3] float32 cpu" in messages
namespace detail {
namespace {

Tensor safe_divide(const Tensor& num, const Tensor& den) {
    Tensor n = num.is_floating_point() ? num : num.to(DType::Float32);
    Tensor d = den.is_floating_point() ? den : den.to(DType::Float32);
    return where(d.ne(0), n / d, 0.0);
}

// Macro / weighted averaging over the last dim; classes neither present nor predicted get no
// weight for multiclass (torchmetrics' _adjust_weights_safe_divide).
Tensor adjust_weights(const Tensor& score, const std::string& average, bool multilabel,
                      const StatScores& s, int64_t top_k) {
    if (average == "none") return score;
    Tensor weights;
    if (average == "weighted") {
        weights = (s.tp + s.fn).to(DType::Float32);
    } else {
        weights = ones_like(score);
        if (!multilabel) {
            Tensor absent = top_k == 1 ? (s.tp + s.fp + s.fn).eq(0) : (s.tp + s.fn).eq(0);
            weights = where(absent, 0.0, weights);
        }
    }
    return safe_divide(weights * score, weights.sum({-1}, true)).sum({-1});
}

}  // namespace

Tensor stat_scores_reduce(StatKind kind, const StatScores& s, const StatScoresConfig& c) {
    const bool multilabel = c.task == Task::Multilabel;
    const std::string& average = c.average;
    const double beta2 = c.beta * c.beta;
    // The statistic's numerator and denominator from (possibly summed) counts.
    auto ratio = [&](const Tensor& tp, const Tensor& fp, const Tensor& tn, const Tensor& fn) {
        switch (kind) {
            case StatKind::Accuracy:
                if (multilabel || average == "binary") return safe_divide(tp + tn, tp + tn + fp + fn);
                return safe_divide(tp, tp + fn);
            case StatKind::Precision: return safe_divide(tp, tp + fp);
            case StatKind::Recall: return safe_divide(tp, tp + fn);
            case StatKind::Specificity: return safe_divide(tn, tn + fp);
            case StatKind::FBeta: {
                Tensor tpf = tp.to(DType::Float32) * (1 + beta2);
                return safe_divide(tpf, tpf + fn.to(DType::Float32) * beta2 + fp.to(DType::Float32));
            }
        }
        return Tensor();
    };
    if (average == "binary") return ratio(s.tp, s.fp, s.tn, s.fn);
    if (average == "micro") {
        const int64_t dim = c.samplewise ? 1 : 0;
        auto total = [&](const Tensor& x) { return x.sum({dim}); };
        return ratio(total(s.tp), total(s.fp), total(s.tn), total(s.fn));
    }
    // F-beta and specificity weigh classes as for top_k = 1 (as torchmetrics).
    const int64_t top_k =
        kind == StatKind::FBeta || kind == StatKind::Specificity ? 1 : c.top_k;
    return adjust_weights(ratio(s.tp, s.fp, s.tn, s.fn), average, multilabel, s, top_k);
}

StatScoresMetric::StatScoresMetric(std::string name, StatKind kind, StatScoresConfig config)
    : Metric(std::move(name)), kind_(kind), config_(std::move(config)) {
    if (config_.task != Task::Multiclass || config_.num_classes > 0) register_states();
}

void StatScoresMetric::register_states() {
    const Reduction r = config_.samplewise ? Reduction::Cat : Reduction::Sum;
    Tensor zero;
    if (config_.samplewise)
        zero = zeros({0}, {.dtype = DType::Int64});
    else if (config_.task == Task::Binary)
        zero = zeros({}, {.dtype = DType::Int64});
    else
        zero = zeros({config_.task == Task::Multiclass ? config_.num_classes : config_.num_labels},
                     {.dtype = DType::Int64});
    for (const char* s : {"tp", "fp", "tn", "fn"}) add_state(s, zero, r);
}

void StatScoresMetric::update(const Tensor& preds, const Tensor& target) {
    if (!has_state("tp")) {
        // The old API: the class count comes from the first batch (kept if a failed forward
        // dropped the states again).
        if (config_.num_classes == 0)
            config_.num_classes = infer_num_classes(preds, target, name().c_str());
        EMBER_CHECK(config_.top_k <= config_.num_classes, name(), ": top_k=", config_.top_k,
                    " exceeds the ", config_.num_classes, " classes inferred from preds ",
                    describe(preds));
        register_states();
    }
    run_update(preds.device(), [&] {
        StatScores s = stat_scores_update(preds, target, config_, name().c_str());
        if (config_.samplewise) {
            list_state("tp").push_back(s.tp);
            list_state("fp").push_back(s.fp);
            list_state("tn").push_back(s.tn);
            list_state("fn").push_back(s.fn);
        } else {
            tensor_state("tp") += s.tp;
            tensor_state("fp") += s.fp;
            tensor_state("tn") += s.tn;
            tensor_state("fn") += s.fn;
        }
    });
}

Tensor StatScoresMetric::compute_state() {
    if (!has_state("tp")) return zeros({}, {.device = device()});  // old API, no update yet
    return stat_scores_reduce(kind_, {state("tp"), state("fp"), state("tn"), state("fn")},
                              config_);
}

void StatScoresMetric::check_mergeable(const MetricBase& other) const {
    const auto* o = dynamic_cast<const StatScoresMetric*>(&other);
    EMBER_CHECK(o && o->name() == name() && o->kind_ == kind_ && o->config_.task == config_.task &&
                    o->config_.num_classes == config_.num_classes &&
                    o->config_.num_labels == config_.num_labels &&
                    o->config_.samplewise == config_.samplewise,
                name(), ".merge_state: cannot merge the state of ", other.repr(), " into ", repr(),
                " (different metric or configuration)");
}

std::string StatScoresMetric::repr() const {
    std::ostringstream ss;
    ss << name() << "(";
    if (config_.task == Task::Multiclass) ss << "num_classes=" << config_.num_classes << ", ";
    if (config_.task == Task::Multilabel) ss << "num_labels=" << config_.num_labels << ", ";
    if (config_.task != Task::Multiclass) ss << "threshold=" << config_.threshold << ", ";
    if (config_.top_k != 1) ss << "top_k=" << config_.top_k << ", ";
    if (kind_ == StatKind::FBeta && config_.beta != 1.0) ss << "beta=" << config_.beta << ", ";
    ss << "average=" << config_.average;
    if (config_.samplewise) ss << ", multidim_average=samplewise";
    if (config_.ignore_index) ss << ", ignore_index=" << *config_.ignore_index;
    ss << ")";
    return ss.str();
}

namespace {
StatScoresConfig with_beta(StatScoresConfig c, double beta, const char* metric) {
    EMBER_CHECK(beta > 0, metric, ": beta must be a positive float, got ", beta);
    c.beta = beta;
    return c;
}
}  // namespace

StatScoresConfig confusion_matrix_config(const ConfusionMatrixOptions& o, const char* metric) {
    EMBER_CHECK(o.normalize == "none" || o.normalize == "true" || o.normalize == "pred" ||
                    o.normalize == "all",
                metric, ": normalize must be one of 'none', 'true', 'pred', 'all', got '",
                o.normalize, "'");
    EMBER_CHECK(o.task.has_value(), metric,
                ": task must be given ('binary', 'multiclass' or 'multilabel')");
    return wrapper_config({.task = o.task, .threshold = o.threshold, .num_classes = o.num_classes,
                           .num_labels = o.num_labels, .ignore_index = o.ignore_index},
                          metric);
}

Tensor confusion_matrix_reduce(const Tensor& confmat, const std::string& normalize) {
    if (normalize == "none") return confmat.clone();  // never the live state
    Tensor m = confmat.to(DType::Float32);
    Tensor den;
    if (normalize == "true")
        den = m.sum({-1}, true);
    else if (normalize == "pred")
        den = m.sum({-2}, true);
    else
        den = m.sum({-2, -1}, true);
    // 0/0 (a class never present / never predicted) becomes 0, as torchmetrics.
    return safe_divide(m, den);
}

}  // namespace detail

using detail::StatKind;

#define EMBER_METRICS_TASK_CLASSES(Stem, kind)                                                     \
    Binary##Stem::Binary##Stem(BinaryOptions o)                                                    \
        : StatScoresMetric("Binary" #Stem, kind, detail::binary_config(o, "Binary" #Stem)) {}     \
    Multiclass##Stem::Multiclass##Stem(int64_t num_classes, MulticlassOptions o)                   \
        : StatScoresMetric("Multiclass" #Stem, kind,                                               \
                           detail::multiclass_config(num_classes, o, "Multiclass" #Stem)) {}       \
    Multilabel##Stem::Multilabel##Stem(int64_t num_labels, MultilabelOptions o)                    \
        : StatScoresMetric("Multilabel" #Stem, kind,                                               \
                           detail::multilabel_config(num_labels, o, "Multilabel" #Stem)) {}        \
    Stem::Stem(ClassificationOptions o)                                                            \
        : StatScoresMetric(#Stem, kind, detail::wrapper_config(o, #Stem)) {}

EMBER_METRICS_TASK_CLASSES(Accuracy, StatKind::Accuracy)
EMBER_METRICS_TASK_CLASSES(Precision, StatKind::Precision)
EMBER_METRICS_TASK_CLASSES(Recall, StatKind::Recall)
EMBER_METRICS_TASK_CLASSES(F1Score, StatKind::FBeta)
EMBER_METRICS_TASK_CLASSES(Specificity, StatKind::Specificity)
#undef EMBER_METRICS_TASK_CLASSES

BinaryFBetaScore::BinaryFBetaScore(double beta, BinaryOptions o)
    : StatScoresMetric("BinaryFBetaScore", StatKind::FBeta,
                       detail::with_beta(detail::binary_config(o, "BinaryFBetaScore"), beta,
                                         "BinaryFBetaScore")) {}
MulticlassFBetaScore::MulticlassFBetaScore(double beta, int64_t num_classes, MulticlassOptions o)
    : StatScoresMetric("MulticlassFBetaScore", StatKind::FBeta,
                       detail::with_beta(
                           detail::multiclass_config(num_classes, o, "MulticlassFBetaScore"), beta,
                           "MulticlassFBetaScore")) {}
MultilabelFBetaScore::MultilabelFBetaScore(double beta, int64_t num_labels, MultilabelOptions o)
    : StatScoresMetric("MultilabelFBetaScore", StatKind::FBeta,
                       detail::with_beta(
                           detail::multilabel_config(num_labels, o, "MultilabelFBetaScore"), beta,
                           "MultilabelFBetaScore")) {}
FBetaScore::FBetaScore(double beta, ClassificationOptions o)
    : StatScoresMetric("FBetaScore", StatKind::FBeta,
                       detail::with_beta(detail::wrapper_config(o, "FBetaScore"), beta,
                                         "FBetaScore")) {}

ConfusionMatrix::ConfusionMatrix(ConfusionMatrixOptions o)
    : Metric("ConfusionMatrix"),
      config_(detail::confusion_matrix_config(o, "ConfusionMatrix")),
      normalize_(o.normalize) {
    DimVector shape;
    if (config_.task == detail::Task::Binary) shape = {2, 2};
    if (config_.task == detail::Task::Multiclass) shape = {config_.num_classes, config_.num_classes};
    if (config_.task == detail::Task::Multilabel) shape = {config_.num_labels, 2, 2};
    add_state("confmat", zeros(shape, {.dtype = DType::Int64}), Reduction::Sum);
}

void ConfusionMatrix::update(const Tensor& preds, const Tensor& target) {
    run_update(preds.device(), [&] {
        tensor_state("confmat") +=
            detail::confusion_matrix_update(preds, target, config_, "ConfusionMatrix");
    });
}

Tensor ConfusionMatrix::compute_state() {
    return detail::confusion_matrix_reduce(state("confmat"), normalize_);
}

std::string ConfusionMatrix::repr() const {
    std::ostringstream ss;
    ss << "ConfusionMatrix(";
    if (config_.task == detail::Task::Binary) ss << "task=binary";
    if (config_.task == detail::Task::Multiclass) ss << "task=multiclass, num_classes=" << config_.num_classes;
    if (config_.task == detail::Task::Multilabel) ss << "task=multilabel, num_labels=" << config_.num_labels;
    ss << ", normalize=" << normalize_ << ")";
    return ss.str();
}

}  // namespace ember::metrics

// AUROC and AveragePrecision (exact, threshold-free): per-class curves from the predictions
// sorted by score, as torchmetrics' _binary_clf_curve, reduced on the host in double.
#include "ember/metrics/ranking.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <vector>

#include "ember/core/error.h"
#include "ember/core/warning.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"
#include "ember/ops/shape.h"
#include "ops/util.h"

namespace ember::metrics {

using ember::detail::describe;  // "[2, 3] float32 cpu" in messages
namespace detail {
namespace {

constexpr int kBinary = 0, kMulticlass = 1, kMultilabel = 2;

bool in_unit_interval(const Tensor& p) {
    return p.numel() == 0 || logical_and(p.ge(0), p.le(1)).all().item<bool>();
}

// Labels must be 0/1 (or ignore_index).
void check_binary_target(const Tensor& target, const RankingConfig& c, const char* metric) {
    Tensor bad = logical_and(target.ne(0), target.ne(1));
    if (c.ignore_index) bad = logical_and(bad, target.ne(*c.ignore_index));
    EMBER_CHECK(!bad.any().item<bool>(), metric,
                ": target must contain only 0 and 1 (or ignore_index), got target ",
                describe(target), " with other values");
}

// Rows of `t` (dim 0) where `keep` is true.
Tensor select_rows(const Tensor& t, const Tensor& keep) {
    return index_select(t, 0, nonzero(keep).reshape({-1}));
}

// One curve's counts at each distinct score, highest first.
struct Curve {
    std::vector<double> tps, fps;
};

Curve clf_curve(const std::vector<double>& score, const std::vector<bool>& positive) {
    std::vector<size_t> order(score.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return score[a] > score[b]; });
    Curve c;
    double tp = 0, fp = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        (positive[order[i]] ? tp : fp) += 1;
        if (i + 1 == order.size() || score[order[i + 1]] != score[order[i]]) {
            c.tps.push_back(tp);
            c.fps.push_back(fp);
        }
    }
    return c;
}

double auroc_of(const Curve& c) {
    // The ROC starts at (0, 0); a missing class makes its rate zero (with a warning).
    const double P = c.tps.back(), N = c.fps.back();
    if (N <= 0)
        warn("No negative samples in targets, false positive value should be meaningless. "
             "Returning zero tensor in false positive score");
    if (P <= 0)
        warn("No positive samples in targets, true positive value should be meaningless. "
             "Returning zero tensor in true positive score");
    double area = 0, x0 = 0, y0 = 0;
    for (size_t i = 0; i < c.tps.size(); ++i) {
        const double x = N > 0 ? c.fps[i] / N : 0.0, y = P > 0 ? c.tps[i] / P : 0.0;
        area += (x - x0) * (y + y0) / 2;
        x0 = x;
        y0 = y;
    }
    return area;
}

double average_precision_of(const Curve& c, bool all_negative) {
    if (all_negative)
        warn("No positive samples found in target, recall is undefined. Setting recall to one "
             "for all thresholds.");
    const double P = c.tps.back();
    // Recall is 0/0 = NaN for a class without positives (unless all targets are negative:
    // then 1). Reversed curve plus the (recall 0, precision 1) end point, as torchmetrics builds it.
    std::vector<double> recall, precision;
    for (size_t i = c.tps.size(); i-- > 0;) {
        precision.push_back(c.tps[i] / (c.tps[i] + c.fps[i]));
        recall.push_back(all_negative ? 1.0 : c.tps[i] / P);
    }
    precision.push_back(1.0);
    recall.push_back(0.0);
    double ap = 0;
    for (size_t i = 0; i + 1 < recall.size(); ++i) ap -= (recall[i + 1] - recall[i]) * precision[i];
    return ap;
}

double score_curve(RankingKind kind, const std::vector<double>& score,
                   const std::vector<bool>& positive, bool all_negative) {
    Curve c = clf_curve(score, positive);
    return kind == RankingKind::AUROC ? auroc_of(c) : average_precision_of(c, all_negative);
}

// NaN scores are left out of macro / weighted averages (with a warning), as torchmetrics.
double reduce_scores(const std::vector<double>& res, const std::vector<double>& weights,
                     const std::string& average) {
    std::vector<size_t> keep;
    for (size_t i = 0; i < res.size(); ++i)
        if (!std::isnan(res[i])) keep.push_back(i);
    if (keep.size() != res.size())
        warn("Average precision score for one or more classes was `nan`. Ignoring these classes "
             "in " + average + "-average");
    if (average == "macro") {
        double sum = 0;
        for (size_t i : keep) sum += res[i];
        return keep.empty() ? std::nan("") : sum / static_cast<double>(keep.size());
    }
    double wsum = 0, total = 0;
    for (size_t i : keep) wsum += weights[i];
    for (size_t i : keep) total += res[i] * (wsum != 0 ? weights[i] / wsum : 0.0);
    return total;
}

template <class T>
std::vector<T> host(const Tensor& t, DType dtype) {
    return t.to(kCPU).to(dtype).contiguous().to_vector<T>();
}

}  // namespace

RankingConfig ranking_config(const RankingOptions& o, const char* metric) {
    EMBER_CHECK(o.task.has_value(), metric,
                ": task must be given ('binary', 'multiclass' or 'multilabel')");
    RankingConfig c;
    c.ignore_index = o.ignore_index;
    c.average = o.average;
    const std::string& task = *o.task;
    if (task == "binary") {
        c.task = kBinary;
        return c;
    }
    if (task == "multiclass") {
        EMBER_CHECK(o.num_classes.has_value(), metric,
                    ": num_classes must be given when task is 'multiclass'");
        EMBER_CHECK(*o.num_classes >= 2, metric, ": num_classes must be an integer >= 2, got ",
                    *o.num_classes);
        EMBER_CHECK(o.average == "macro" || o.average == "weighted" || o.average == "none", metric,
                    ": average must be one of 'macro', 'weighted', 'none', got '", o.average, "'");
        c.task = kMulticlass;
        c.num_classes = *o.num_classes;
        return c;
    }
    if (task == "multilabel") {
        EMBER_CHECK(o.num_labels.has_value(), metric,
                    ": num_labels must be given when task is 'multilabel'");
        EMBER_CHECK(*o.num_labels >= 2, metric, ": num_labels must be an integer >= 2, got ",
                    *o.num_labels);
        EMBER_CHECK(o.average == "micro" || o.average == "macro" || o.average == "weighted" ||
                        o.average == "none",
                    metric, ": average must be one of 'micro', 'macro', 'weighted', 'none', got '",
                    o.average, "'");
        c.task = kMultilabel;
        c.num_classes = *o.num_labels;
        return c;
    }
    EMBER_ERROR(metric, ": task must be 'binary', 'multiclass' or 'multilabel', got '", task, "'");
}

std::pair<Tensor, Tensor> ranking_format(const Tensor& preds, const Tensor& target,
                                         const RankingConfig& c, const char* metric) {
    EMBER_CHECK(preds.device() == target.device(), metric,
                ": preds and target must be on the same device, got ", preds.device(), " and ",
                target.device());
    EMBER_CHECK(preds.is_floating_point(), metric,
                ": preds must be float probabilities or logits, got preds ", describe(preds));
    EMBER_CHECK(!target.is_floating_point(), metric,
                ": target must hold integer labels, got target ", describe(target));
    if (c.task == kBinary) {
        EMBER_CHECK(preds.sizes() == target.sizes(), metric,
                    ": preds and target must have the same shape, got preds ", describe(preds),
                    " and target ", describe(target));
        check_binary_target(target, c, metric);
        Tensor p = preds.reshape({-1}), t = target.reshape({-1});
        if (c.ignore_index) {
            Tensor keep = t.ne(*c.ignore_index);
            p = masked_select(p, keep);
            t = masked_select(t, keep);
        }
        if (!in_unit_interval(p)) p = sigmoid(p);
        return {p, t};
    }
    const int64_t C = c.num_classes;
    if (c.task == kMulticlass) {
        bool match = preds.dim() == target.dim() + 1 && preds.dim() >= 2 && preds.size(1) == C &&
                     preds.size(0) == target.size(0);
        for (int64_t d = 2; match && d < preds.dim(); ++d) match = preds.size(d) == target.size(d - 1);
        EMBER_CHECK(match, metric, ": expected preds (N, ", C, ", ...) and target (N, ...) for ",
                    C, " classes, got preds ", describe(preds), " and target ", describe(target));
        Tensor t = target.reshape({-1});
        Tensor valid = c.ignore_index ? t.ne(*c.ignore_index) : ones_like(t).eq(1);
        Tensor kept = masked_select(t, valid);
        if (kept.numel() > 0) {
            const int64_t lo = kept.min().item<int64_t>(), hi = kept.max().item<int64_t>();
            EMBER_CHECK(lo >= 0 && hi < C, metric, ": target class labels must be in [0, ", C,
                        ")", c.ignore_index ? " or ignore_index" : "", ", found values in [", lo,
                        ", ", hi, "] in target ", describe(target));
        }
        Tensor p = preds.transpose(0, 1).reshape({C, -1}).t();
        if (c.ignore_index) {
            p = select_rows(p, valid);
            t = kept;
        }
        if (!in_unit_interval(p)) p = softmax(p, 1);
        return {p, t};
    }
    EMBER_CHECK(preds.sizes() == target.sizes() && preds.dim() >= 2 && preds.size(1) == C, metric,
                ": expected preds and target of the same shape (N, ", C, ", ...), got preds ",
                describe(preds), " and target ", describe(target));
    check_binary_target(target, c, metric);
    Tensor p = preds.transpose(0, 1).reshape({C, -1}).t();
    Tensor t = target.transpose(0, 1).reshape({C, -1}).t();
    if (!in_unit_interval(p)) p = sigmoid(p);
    return {p, t};
}

Tensor ranking_compute(RankingKind kind, const Tensor& preds, const Tensor& target,
                       const RankingConfig& c, const char* metric) {
    EMBER_CHECK(target.numel() > 0, metric, ": no samples to compute the metric from");
    const Device device = preds.device();
    auto out = [&](double v) { return full({}, v, {.dtype = DType::Float32, .device = device}); };
    std::vector<double> p = host<double>(preds, DType::Float64);
    std::vector<int64_t> t = host<int64_t>(target, DType::Int64);
    if (c.task == kBinary) {
        std::vector<bool> pos(t.size());
        bool all_negative = true;
        for (size_t i = 0; i < t.size(); ++i) {
            pos[i] = t[i] == 1;
            all_negative = all_negative && t[i] == 0;
        }
        return out(score_curve(kind, p, pos, all_negative));
    }
    const int64_t C = c.num_classes;
    const size_t M = t.size() / (c.task == kMulticlass ? 1 : C);
    auto is_ignored = [&](int64_t v) { return c.ignore_index && v == *c.ignore_index; };
    if (c.task == kMultilabel && c.average == "micro") {
        std::vector<double> s;
        std::vector<bool> pos;
        bool all_negative = true;
        for (size_t i = 0; i < t.size(); ++i) {
            if (is_ignored(t[i])) continue;
            s.push_back(p[i]);
            pos.push_back(t[i] == 1);
            all_negative = all_negative && t[i] == 0;
        }
        EMBER_CHECK(!s.empty(), metric, ": every target is ignore_index");
        return out(score_curve(kind, s, pos, all_negative));
    }
    std::vector<double> res(C), weights(C, 0.0);
    bool multiclass_all_zero = true;  // torchmetrics' AP "all negative" test for multiclass
    for (int64_t v : t) multiclass_all_zero = multiclass_all_zero && v == 0;
    for (int64_t k = 0; k < C; ++k) {
        std::vector<double> s;
        std::vector<bool> pos;
        bool all_negative = true;
        for (size_t i = 0; i < M; ++i) {
            const int64_t label = t[c.task == kMulticlass ? i : i * C + k];
            if (c.task == kMultilabel && is_ignored(label)) continue;
            s.push_back(p[i * C + k]);
            const bool positive = c.task == kMulticlass ? label == k : label == 1;
            pos.push_back(positive);
            weights[k] += positive ? 1.0 : 0.0;
            all_negative = all_negative && label == 0;
        }
        if (c.task == kMulticlass) all_negative = multiclass_all_zero;
        res[k] = s.empty() ? std::nan("") : score_curve(kind, s, pos, all_negative);
    }
    if (c.average == "none") {
        std::vector<float> f(res.begin(), res.end());
        return ember::tensor(f).to(device);
    }
    return out(reduce_scores(res, weights, c.average));
}

RankingMetric::RankingMetric(std::string name, RankingKind kind, RankingConfig config)
    : Metric(std::move(name)), kind_(kind), config_(std::move(config)) {
    const bool rows = config_.task != kBinary;
    add_state("preds", rows ? zeros({0, config_.num_classes}) : zeros({0}), Reduction::Cat);
    add_state("target",
              config_.task == kMultilabel ? zeros({0, config_.num_classes}, {.dtype = DType::Int64})
                                          : zeros({0}, {.dtype = DType::Int64}),
              Reduction::Cat);
}

void RankingMetric::update(const Tensor& preds, const Tensor& target) {
    run_update(preds.device(), [&] {
        auto [p, t] = ranking_format(preds, target, config_, name().c_str());
        list_state("preds").push_back(p);
        list_state("target").push_back(t.to(DType::Int64));
    });
}

Tensor RankingMetric::compute_state() {
    return ranking_compute(kind_, state("preds"), state("target"), config_, name().c_str());
}

void RankingMetric::check_mergeable(const MetricBase& other) const {
    const auto* o = dynamic_cast<const RankingMetric*>(&other);
    EMBER_CHECK(o && o->name() == name() && o->kind_ == kind_ && o->config_.task == config_.task &&
                    o->config_.num_classes == config_.num_classes,
                name(), ".merge_state: cannot merge the state of ", other.repr(), " into ", repr(),
                " (different metric or configuration)");
}

std::string RankingMetric::repr() const {
    std::ostringstream ss;
    ss << name() << "(";
    if (config_.task == kMulticlass) ss << "num_classes=" << config_.num_classes << ", ";
    if (config_.task == kMultilabel) ss << "num_labels=" << config_.num_classes << ", ";
    if (config_.task != kBinary) ss << "average=" << config_.average;
    if (config_.ignore_index)
        ss << (config_.task != kBinary ? ", " : "") << "ignore_index=" << *config_.ignore_index;
    ss << ")";
    return ss.str();
}

}  // namespace detail

namespace {
RankingOptions binary_ranking(const BinaryRankingOptions& o) {
    return {.task = "binary", .ignore_index = o.ignore_index};
}
RankingOptions multiclass_ranking(int64_t n, const MulticlassRankingOptions& o) {
    return {.task = "multiclass", .num_classes = n, .average = o.average,
            .ignore_index = o.ignore_index};
}
RankingOptions multilabel_ranking(int64_t n, const MultilabelRankingOptions& o) {
    return {.task = "multilabel", .num_labels = n, .average = o.average,
            .ignore_index = o.ignore_index};
}
}  // namespace

using detail::RankingKind;

#define EMBER_METRICS_RANKING_CLASSES(Stem, kind)                                                 \
    Binary##Stem::Binary##Stem(BinaryRankingOptions o)                                            \
        : RankingMetric("Binary" #Stem, kind,                                                     \
                        detail::ranking_config(binary_ranking(o), "Binary" #Stem)) {}             \
    Multiclass##Stem::Multiclass##Stem(int64_t num_classes, MulticlassRankingOptions o)           \
        : RankingMetric("Multiclass" #Stem, kind,                                                 \
                        detail::ranking_config(multiclass_ranking(num_classes, o),                \
                                               "Multiclass" #Stem)) {}                            \
    Multilabel##Stem::Multilabel##Stem(int64_t num_labels, MultilabelRankingOptions o)            \
        : RankingMetric("Multilabel" #Stem, kind,                                                 \
                        detail::ranking_config(multilabel_ranking(num_labels, o),                 \
                                               "Multilabel" #Stem)) {}                            \
    Stem::Stem(RankingOptions o) : RankingMetric(#Stem, kind, detail::ranking_config(o, #Stem)) {}

EMBER_METRICS_RANKING_CLASSES(AUROC, RankingKind::AUROC)
EMBER_METRICS_RANKING_CLASSES(AveragePrecision, RankingKind::AveragePrecision)
#undef EMBER_METRICS_RANKING_CLASSES

namespace functional {
namespace {
Tensor rank(RankingKind kind, const Tensor& preds, const Tensor& target, const RankingOptions& o,
            const char* metric) {
    detail::RankingConfig c = detail::ranking_config(o, metric);
    auto [p, t] = detail::ranking_format(preds, target, c, metric);
    return detail::ranking_compute(kind, p, t, c, metric);
}
}  // namespace

Tensor auroc(const Tensor& preds, const Tensor& target, const RankingOptions& o) {
    return rank(RankingKind::AUROC, preds, target, o, "auroc");
}
Tensor binary_auroc(const Tensor& preds, const Tensor& target, const BinaryRankingOptions& o) {
    return rank(RankingKind::AUROC, preds, target, binary_ranking(o), "binary_auroc");
}
Tensor multiclass_auroc(const Tensor& preds, const Tensor& target, int64_t num_classes,
                        const MulticlassRankingOptions& o) {
    return rank(RankingKind::AUROC, preds, target, multiclass_ranking(num_classes, o),
                "multiclass_auroc");
}
Tensor multilabel_auroc(const Tensor& preds, const Tensor& target, int64_t num_labels,
                        const MultilabelRankingOptions& o) {
    return rank(RankingKind::AUROC, preds, target, multilabel_ranking(num_labels, o),
                "multilabel_auroc");
}
Tensor average_precision(const Tensor& preds, const Tensor& target, const RankingOptions& o) {
    return rank(RankingKind::AveragePrecision, preds, target, o, "average_precision");
}
Tensor binary_average_precision(const Tensor& preds, const Tensor& target,
                                const BinaryRankingOptions& o) {
    return rank(RankingKind::AveragePrecision, preds, target, binary_ranking(o),
                "binary_average_precision");
}
Tensor multiclass_average_precision(const Tensor& preds, const Tensor& target, int64_t num_classes,
                                    const MulticlassRankingOptions& o) {
    return rank(RankingKind::AveragePrecision, preds, target, multiclass_ranking(num_classes, o),
                "multiclass_average_precision");
}
Tensor multilabel_average_precision(const Tensor& preds, const Tensor& target, int64_t num_labels,
                                    const MultilabelRankingOptions& o) {
    return rank(RankingKind::AveragePrecision, preds, target, multilabel_ranking(num_labels, o),
                "multilabel_average_precision");
}
}  // namespace functional

}  // namespace ember::metrics

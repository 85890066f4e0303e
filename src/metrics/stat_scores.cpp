// The stat-scores core of the classification metrics: argument validation, input formatting
// (sigmoid / threshold / argmax / top-k, ignore_index) and tp/fp/tn/fn counting.
#include <algorithm>

#include "ember/core/error.h"
#include "ember/metrics/classification.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"
#include "ember/ops/shape.h"
#include "ops/util.h"

namespace ember::metrics {
using ember::detail::describe;  // "[2, 3] float32 cpu" in messages
}  // namespace ember::metrics

namespace ember::metrics::detail {
namespace {

bool is_label_dtype(DType t) { return !is_floating_point(t); }

void check_average(const std::string& average, const char* metric) {
    EMBER_CHECK(average == "micro" || average == "macro" || average == "weighted" ||
                    average == "none",
                metric, ": average must be one of 'micro', 'macro', 'weighted', 'none', got '",
                average, "'");
}

bool check_multidim(const std::string& multidim_average, const char* metric) {
    EMBER_CHECK(multidim_average == "global" || multidim_average == "samplewise", metric,
                ": multidim_average must be 'global' or 'samplewise', got '", multidim_average,
                "'");
    return multidim_average == "samplewise";
}

void check_threshold(double threshold, const char* metric) {
    EMBER_CHECK(threshold >= 0.0 && threshold <= 1.0, metric,
                ": threshold must be a float in [0, 1], got ", threshold);
}

void check_classes(int64_t num_classes, int64_t top_k, const char* metric) {
    EMBER_CHECK(num_classes >= 2, metric, ": num_classes must be an integer >= 2, got ",
                num_classes);
    EMBER_CHECK(top_k >= 1 && top_k <= num_classes, metric,
                ": top_k must be in [1, num_classes], got top_k=", top_k,
                " with num_classes=", num_classes);
}

// Smallest and largest element of the (non-empty) int tensor `t` where `keep` is true.
std::pair<int64_t, int64_t> value_range(const Tensor& t, const Tensor& keep) {
    Tensor kept = keep.defined() ? masked_select(t, keep) : t.reshape({-1});
    if (kept.numel() == 0) return {0, 0};
    Tensor k64 = kept.to(DType::Int64);
    return {k64.min().item<int64_t>(), k64.max().item<int64_t>()};
}

// Binary / multilabel preds: labels stay, probabilities are thresholded, logits (any value
// outside [0, 1]) go through a sigmoid first.
Tensor binarize(const Tensor& preds, double threshold) {
    if (!preds.is_floating_point()) return preds.eq(1);
    Tensor p = preds;
    if (!logical_and(p.ge(0), p.le(1)).all().item<bool>()) p = sigmoid(p);
    return p.gt(threshold);
}

// Reshapes t to (leading..., product of the remaining dims), spelled out so that empty
// batches (where -1 would be ambiguous) work too.
Tensor keep_leading(const Tensor& t, std::initializer_list<int64_t> leading) {
    int64_t rest = 1;
    for (int64_t d = static_cast<int64_t>(leading.size()); d < t.dim(); ++d) rest *= t.size(d);
    DimVector shape(leading.begin(), leading.end());
    shape.push_back(rest);
    return t.reshape(shape);
}

Tensor count(const Tensor& mask, IntArrayRef dims) { return mask.sum(dims, false, DType::Int64); }

// Counts the four statistics from bool predictions, bool truths and a bool validity mask.
StatScores count_stats(const Tensor& pred, const Tensor& truth, const Tensor& valid,
                       IntArrayRef dims) {
    Tensor np = logical_not(pred), nt = logical_not(truth);
    return {count(logical_and(logical_and(pred, truth), valid), dims),
            count(logical_and(logical_and(pred, nt), valid), dims),
            count(logical_and(logical_and(np, nt), valid), dims),
            count(logical_and(logical_and(np, truth), valid), dims)};
}

// Binary and multilabel: target values 0/1 (or ignore_index); label preds 0/1.
void check_binary_values(const Tensor& preds, const Tensor& target, const Tensor& valid,
                         const char* metric) {
    auto [tmin, tmax] = value_range(target, valid);
    Tensor bad_target = logical_and(logical_and(target.ne(0), target.ne(1)), valid);
    EMBER_CHECK(!bad_target.any().item<bool>(), metric,
                ": target must contain only 0 and 1 (or ignore_index), found values in [", tmin,
                ", ", tmax, "] in target ", describe(target));
    if (!preds.is_floating_point()) {
        Tensor bad = logical_and(preds.ne(0), preds.ne(1));
        EMBER_CHECK(!bad.any().item<bool>(), metric,
                    ": integer preds are labels and must be 0 or 1, got preds ", describe(preds),
                    " with other values");
    }
}

Tensor valid_mask(const Tensor& target, const std::optional<int64_t>& ignore_index) {
    if (!ignore_index) return ones(target.sizes(), {.dtype = DType::Bool, .device = target.device()});
    return target.ne(*ignore_index);
}

StatScores binary_update(const Tensor& preds, const Tensor& target, const StatScoresConfig& c,
                         const char* metric) {
    EMBER_CHECK(preds.sizes() == target.sizes(), metric,
                ": preds and target must have the same shape, got preds ", describe(preds),
                " and target ", describe(target));
    EMBER_CHECK(!c.samplewise || preds.dim() >= 2, metric,
                ": multidim_average='samplewise' needs inputs of at least 2 dims, got ",
                describe(preds));
    Tensor valid = valid_mask(target, c.ignore_index);
    check_binary_values(preds, target, valid, metric);
    const int64_t n = preds.dim() == 0 ? 1 : preds.size(0);
    Tensor p = keep_leading(binarize(preds, c.threshold), {n});
    Tensor t = keep_leading(target.eq(1), {n});
    Tensor v = keep_leading(valid, {n});
    if (c.samplewise) return count_stats(p, t, v, {1});
    return count_stats(p, t, v, {0, 1});
}

StatScores multilabel_update(const Tensor& preds, const Tensor& target, const StatScoresConfig& c,
                             const char* metric) {
    EMBER_CHECK(preds.sizes() == target.sizes(), metric,
                ": preds and target must have the same shape, got preds ", describe(preds),
                " and target ", describe(target));
    EMBER_CHECK(preds.dim() >= 2 && preds.size(1) == c.num_labels, metric,
                ": expected preds and target of shape (N, ", c.num_labels,
                ", ...) with num_labels=", c.num_labels, ", got preds ", describe(preds));
    EMBER_CHECK(!c.samplewise || preds.dim() >= 3, metric,
                ": multidim_average='samplewise' needs inputs of shape (N, L, ...) with at least "
                "3 dims, got ",
                describe(preds));
    Tensor valid = valid_mask(target, c.ignore_index);
    check_binary_values(preds, target, valid, metric);
    const int64_t n = preds.size(0);
    Tensor p = keep_leading(binarize(preds, c.threshold), {n, c.num_labels});
    Tensor t = keep_leading(target.eq(1), {n, c.num_labels});
    Tensor v = keep_leading(valid, {n, c.num_labels});
    if (c.samplewise) return count_stats(p, t, v, {2});
    return count_stats(p, t, v, {0, 2});
}

// Validates multiclass inputs; returns whether preds are float scores (N, C, ...).
bool check_multiclass_inputs(const Tensor& preds, const Tensor& target, const Tensor& valid,
                             const StatScoresConfig& c, const char* metric) {
    const int64_t C = c.num_classes;
    EMBER_CHECK(target.dim() >= 1, metric, ": target must have shape (N, ...), got ",
                describe(target));
    EMBER_CHECK(is_label_dtype(target.dtype()), metric,
                ": target must hold integer class labels, got target ", describe(target));
    const bool scores = preds.dim() == target.dim() + 1;
    if (scores) {
        EMBER_CHECK(preds.is_floating_point(), metric,
                    ": preds with one more dim than target must be float scores (N, C, ...), got "
                    "preds ",
                    describe(preds));
        EMBER_CHECK(preds.size(1) == C, metric, ": preds scores (N, C, ...) must have C=", C,
                    " (num_classes), got preds ", describe(preds));
        bool match = preds.size(0) == target.size(0);
        for (int64_t d = 2; d < preds.dim(); ++d) match = match && preds.size(d) == target.size(d - 1);
        EMBER_CHECK(match, metric,
                    ": preds (N, C, ...) and target (N, ...) shapes do not match: preds ",
                    describe(preds), ", target ", describe(target));
        EMBER_CHECK(!c.samplewise || preds.dim() >= 3, metric,
                    ": multidim_average='samplewise' needs float preds of at least 3 dims, got ",
                    describe(preds));
    } else {
        EMBER_CHECK(preds.dim() == target.dim(), metric,
                    ": expected preds (N, ...) labels or (N, C, ...) scores for target (N, ...), "
                    "got preds ",
                    describe(preds), " and target ", describe(target));
        EMBER_CHECK(preds.sizes() == target.sizes(), metric,
                    ": preds and target must have the same shape, got preds ", describe(preds),
                    " and target ", describe(target));
        EMBER_CHECK(is_label_dtype(preds.dtype()), metric,
                    ": float preds need one more dim than target (scores (N, C, ...)); with the "
                    "same shape as target they must be integer labels, got preds ",
                    describe(preds), " and target ", describe(target));
        EMBER_CHECK(c.top_k == 1, metric, ": top_k=", c.top_k,
                    " needs float scores (N, C, ...), got label preds ", describe(preds));
        EMBER_CHECK(!c.samplewise || preds.dim() >= 2, metric,
                    ": multidim_average='samplewise' needs label inputs of at least 2 dims, got ",
                    describe(preds));
    }
    auto [tmin, tmax] = value_range(target, valid);
    EMBER_CHECK(tmin >= 0 && tmax < C, metric, ": target class labels must be in [0, ", C,
                ")", c.ignore_index ? " or ignore_index" : "", ", found values in [", tmin, ", ",
                tmax, "] in target ", describe(target));
    if (!scores) {
        auto [pmin, pmax] = value_range(preds, Tensor());
        EMBER_CHECK(pmin >= 0 && pmax < C, metric, ": preds class labels must be in [0, ", C,
                    "), found values in [", pmin, ", ", pmax, "] in preds ", describe(preds));
    }
    return scores;
}

// The (C, C) confusion matrix (rows: target) of label preds or argmax'ed scores.
Tensor multiclass_confmat(const Tensor& preds, const Tensor& target, const Tensor& valid,
                          bool scores, int64_t C) {
    Tensor labels = scores ? preds.argmax(1) : preds;
    Tensor keep = valid.reshape({-1});
    Tensor p = masked_select(labels.to(DType::Int64).reshape({-1}), keep);
    Tensor t = masked_select(target.to(DType::Int64).reshape({-1}), keep);
    Tensor bins = zeros({C * C}, {.dtype = DType::Int64, .device = target.device()});
    bins = scatter_add(bins, 0, t * C + p, ones_like(p));
    return bins.view({C, C});
}

StatScores multiclass_update(const Tensor& preds, const Tensor& target, const StatScoresConfig& c,
                             const char* metric) {
    const int64_t C = c.num_classes;
    Tensor valid = valid_mask(target, c.ignore_index);
    const bool scores = check_multiclass_inputs(preds, target, valid, c, metric);
    const int64_t n = target.size(0);
    Tensor t = keep_leading(where(valid, target, 0).to(DType::Int64), {n});
    Tensor v = keep_leading(valid, {n});
    if (!c.samplewise && c.top_k == 1) {
        // The confusion matrix, then its margins (as torchmetrics' bincount path).
        Tensor confmat = multiclass_confmat(preds, target, valid, scores, C);
        Tensor tp = confmat.diagonal().clone();
        Tensor fp = confmat.sum({0}) - tp;
        Tensor fn = confmat.sum({1}) - tp;
        Tensor tn = (confmat.sum() - (fp + fn + tp));
        return {tp, fp, tn, fn};
    }
    // One-hot path (top_k > 1 or samplewise): (N, M, C) predicted / true class indicators.
    Tensor pred_oh;
    if (scores) {
        Tensor s = keep_leading(preds, {n, C});
        Tensor idx = topk(s, c.top_k, 1).second;
        Tensor hot = scatter(zeros(s.sizes(), {.dtype = DType::Int64, .device = s.device()}),
                             1, idx, 1);
        pred_oh = hot.eq(1).permute({0, 2, 1});
    } else {
        pred_oh = one_hot(keep_leading(preds.to(DType::Int64), {n}), C).eq(1);
    }
    Tensor true_oh = one_hot(t, C).eq(1);
    Tensor vv = v.unsqueeze(2);
    if (c.samplewise) return count_stats(pred_oh, true_oh, vv, {1});
    return count_stats(pred_oh, true_oh, vv, {0, 1});
}

}  // namespace

StatScoresConfig binary_config(const BinaryOptions& o, const char* metric) {
    check_threshold(o.threshold, metric);
    StatScoresConfig c;
    c.task = Task::Binary;
    c.threshold = o.threshold;
    c.average = "binary";
    c.samplewise = check_multidim(o.multidim_average, metric);
    c.ignore_index = o.ignore_index;
    return c;
}

StatScoresConfig multiclass_config(int64_t num_classes, const MulticlassOptions& o,
                                   const char* metric) {
    check_classes(num_classes, o.top_k, metric);
    check_average(o.average, metric);
    StatScoresConfig c;
    c.task = Task::Multiclass;
    c.num_classes = num_classes;
    c.top_k = o.top_k;
    c.average = o.average;
    c.samplewise = check_multidim(o.multidim_average, metric);
    c.ignore_index = o.ignore_index;
    return c;
}

StatScoresConfig multilabel_config(int64_t num_labels, const MultilabelOptions& o,
                                   const char* metric) {
    EMBER_CHECK(num_labels >= 2, metric, ": num_labels must be an integer >= 2, got ", num_labels);
    check_threshold(o.threshold, metric);
    check_average(o.average, metric);
    StatScoresConfig c;
    c.task = Task::Multilabel;
    c.num_labels = num_labels;
    c.threshold = o.threshold;
    c.average = o.average;
    c.samplewise = check_multidim(o.multidim_average, metric);
    c.ignore_index = o.ignore_index;
    return c;
}

StatScoresConfig wrapper_config(const ClassificationOptions& o, const char* metric) {
    if (!o.task) {
        // The old API: multiclass with the class count inferred at the first update.
        check_average(o.average, metric);
        StatScoresConfig c;
        c.task = Task::Multiclass;
        if (o.num_classes) check_classes(*o.num_classes, o.top_k, metric);
        EMBER_CHECK(o.top_k >= 1, metric, ": top_k must be >= 1, got ", o.top_k);
        c.num_classes = o.num_classes.value_or(0);
        c.top_k = o.top_k;
        c.average = o.average;
        c.samplewise = check_multidim(o.multidim_average, metric);
        c.ignore_index = o.ignore_index;
        return c;
    }
    const std::string& task = *o.task;
    if (task == "binary")
        return binary_config({o.threshold, o.multidim_average, o.ignore_index}, metric);
    if (task == "multiclass") {
        EMBER_CHECK(o.num_classes.has_value(), metric,
                    ": num_classes must be given when task is 'multiclass'");
        return multiclass_config(*o.num_classes,
                                 {o.top_k, o.average, o.multidim_average, o.ignore_index}, metric);
    }
    if (task == "multilabel") {
        EMBER_CHECK(o.num_labels.has_value(), metric,
                    ": num_labels must be given when task is 'multilabel'");
        return multilabel_config(*o.num_labels,
                                 {o.threshold, o.average, o.multidim_average, o.ignore_index},
                                 metric);
    }
    EMBER_ERROR(metric, ": task must be 'binary', 'multiclass' or 'multilabel', got '", task, "'");
}

int64_t infer_num_classes(const Tensor& preds, const Tensor& target, const char* metric) {
    int64_t n = 0;
    if (preds.dim() == target.dim() + 1 && preds.dim() >= 2) {
        n = preds.size(1);
    } else {
        EMBER_CHECK(is_label_dtype(preds.dtype()) && is_label_dtype(target.dtype()), metric,
                    ": without a task, preds must be float scores (N, C, ...) or integer labels "
                    "shaped as target (give task='binary' for probabilities), got preds ",
                    describe(preds), " and target ", describe(target));
        n = std::max(value_range(preds, Tensor()).second, value_range(target, Tensor()).second) + 1;
    }
    // Two classes at least, as torchmetrics requires.
    return std::max<int64_t>(n, 2);
}

StatScores stat_scores_update(const Tensor& preds, const Tensor& target,
                              const StatScoresConfig& config, const char* metric) {
    EMBER_CHECK(preds.device() == target.device(), metric,
                ": preds and target must be on the same device, got ", preds.device(), " and ",
                target.device());
    switch (config.task) {
        case Task::Binary: return binary_update(preds, target, config, metric);
        case Task::Multilabel: return multilabel_update(preds, target, config, metric);
        case Task::Multiclass: return multiclass_update(preds, target, config, metric);
    }
    EMBER_ASSERT(false, "unknown task");
    return {};
}

Tensor confusion_matrix_update(const Tensor& preds, const Tensor& target,
                               const StatScoresConfig& config, const char* metric) {
    if (config.task == Task::Multiclass) {
        EMBER_CHECK(preds.device() == target.device(), metric,
                    ": preds and target must be on the same device, got ", preds.device(),
                    " and ", target.device());
        Tensor valid = valid_mask(target, config.ignore_index);
        const bool scores = check_multiclass_inputs(preds, target, valid, config, metric);
        return multiclass_confmat(preds, target, valid, scores, config.num_classes);
    }
    // Binary and multilabel matrices are [[tn, fp], [fn, tp]] (per label).
    StatScores s = stat_scores_update(preds, target, config, metric);
    Tensor row0 = stack({s.tn, s.fp}, -1), row1 = stack({s.fn, s.tp}, -1);
    return stack({row0, row1}, -2);
}

}  // namespace ember::metrics::detail

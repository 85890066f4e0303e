// The per-batch cyclical schedulers CyclicLR and OneCycleLR (which also drive momentum), and
// ReduceLROnPlateau, as PyTorch 1.13's.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "ember/core/warning.h"
#include "ember/optim/lr_scheduler.h"
#include "optim/lr_scheduler_util.h"

namespace ember::optim::lr_scheduler {

namespace {

constexpr double kPi = std::numbers::pi;

const char* const kNoMomentum =
    "optimizer must support momentum with `cycle_momentum` option enabled";

std::vector<double> read_momentums(const Optimizer& optimizer) {
    std::vector<double> m;
    for (const ParamGroup& g : optimizer.param_groups()) m.push_back(g.options.number("momentum"));
    return m;
}

}  // namespace

// ---- CyclicLR -------------------------------------------------------------------------------

namespace {

// What PyTorch does before its base constructor: check the arguments, then move every group
// to its base_lr (and base_momentum) so that initial_lr becomes base_lr.
int64_t prepare_cyclic(Optimizer& optimizer, const CyclicLROptions& o) {
    const char* name = "CyclicLR";
    const size_t groups = optimizer.param_groups().size();
    const std::vector<double> base_lrs = o.base_lr.expand(groups, name, "base_lr");
    o.max_lr.expand(groups, name, "max_lr");
    EMBER_CHECK(o.step_size_up > 0, "CyclicLR: step_size_up should be a positive integer, got ",
                o.step_size_up);
    EMBER_CHECK(!o.step_size_down || *o.step_size_down >= 0,
                "CyclicLR: step_size_down should be a non-negative integer, got ",
                o.step_size_down.value_or(0));
    EMBER_CHECK(
        o.scale_fn || o.mode == "triangular" || o.mode == "triangular2" || o.mode == "exp_range",
        "CyclicLR: mode is invalid and scale_fn is None (mode \"", o.mode, "\")");
    EMBER_CHECK(!o.scale_fn || o.scale_mode == "cycle" || o.scale_mode == "iterations",
                "CyclicLR: scale_mode should be 'cycle' or 'iterations', got \"", o.scale_mode,
                "\"");
    std::vector<double> base_momentums;
    if (o.cycle_momentum) {
        EMBER_CHECK(optimizer.defaults().contains("momentum"), "CyclicLR: ", kNoMomentum, " (",
                    optimizer.name(), " has no momentum)");
        base_momentums = o.base_momentum.expand(groups, name, "base_momentum");
        o.max_momentum.expand(groups, name, "max_momentum");
    }
    if (o.last_epoch == -1) {
        for (size_t i = 0; i < groups; ++i) {
            ParamGroup& g = optimizer.param_groups()[i];
            g.set_lr(base_lrs[i]);
            if (o.cycle_momentum) g.options.set("momentum", base_momentums[i]);
        }
    }
    return o.last_epoch;
}

}  // namespace

CyclicLR::CyclicLR(Optimizer& optimizer, const CyclicLROptions& o)
    : LRScheduler("CyclicLR", optimizer, prepare_cyclic(optimizer, o)),
      max_lrs_(o.max_lr.expand(num_groups(), "CyclicLR", "max_lr")),
      mode_(o.mode),
      gamma_(o.gamma),
      scale_fn_(o.scale_fn),
      cycle_momentum_(o.cycle_momentum) {
    const double up = static_cast<double>(o.step_size_up);
    const double down = o.step_size_down ? static_cast<double>(*o.step_size_down) : up;
    total_size_ = up + down;
    step_ratio_ = up / total_size_;
    // The built-in modes fix the scale mode; a custom scale_fn takes the one given.
    scale_mode_ = o.scale_fn ? o.scale_mode : (mode_ == "exp_range" ? "iterations" : "cycle");
    if (cycle_momentum_) {
        base_momentums_ = read_momentums(optimizer);
        max_momentums_ = o.max_momentum.expand(num_groups(), "CyclicLR", "max_momentum");
    }
    initial_step();
    // As PyTorch: the initial step ran with base_lrs taken from initial_lr, then base_lr rules.
    base_lrs_ = o.base_lr.expand(num_groups(), "CyclicLR", "base_lr");
}

double CyclicLR::scale(double x) const {
    if (scale_fn_) return scale_fn_(x);
    if (mode_ == "triangular") return 1.;
    if (mode_ == "triangular2") return 1 / std::pow(2., x - 1);
    return std::pow(gamma_, x);  // exp_range
}

std::vector<double> CyclicLR::get_lr() {
    const double e = static_cast<double>(last_epoch_);
    const double cycle = std::floor(1 + e / total_size_);
    const double x = 1. + e / total_size_ - cycle;
    const double scale_factor = x <= step_ratio_ ? x / step_ratio_ : (x - 1) / (step_ratio_ - 1);
    const double scale_at = scale(scale_mode_ == "cycle" ? cycle : e);

    std::vector<double> lrs;
    for (size_t i = 0; i < base_lrs_.size(); ++i) {
        const double base_height = (max_lrs_[i] - base_lrs_[i]) * scale_factor;
        lrs.push_back(base_lrs_[i] + base_height * scale_at);
    }
    if (cycle_momentum_) {
        std::vector<ParamGroup>& groups = optimizer().param_groups();
        for (size_t i = 0; i < groups.size(); ++i) {
            const double base_height = (max_momentums_[i] - base_momentums_[i]) * scale_factor;
            groups[i].options.set("momentum", max_momentums_[i] - base_height * scale_at);
        }
    }
    return lrs;
}

void CyclicLR::write_state(detail::StateWriter& out) const {
    out.list("max_lrs", max_lrs_);
    out.scalar("total_size", total_size_);
    out.scalar("step_ratio", step_ratio_);
    out.scalar("gamma", gamma_);
    out.scalar("cycle_momentum", cycle_momentum_ ? 1 : 0);
    if (cycle_momentum_) {
        out.list("base_momentums", base_momentums_);
        out.list("max_momentums", max_momentums_);
    }
    LRScheduler::write_state(out);
}

void CyclicLR::read_state(detail::StateReader& in) {
    const auto groups = static_cast<int64_t>(num_groups());
    max_lrs_ = in.list("max_lrs", groups);
    total_size_ = in.scalar("total_size");
    step_ratio_ = in.scalar("step_ratio");
    gamma_ = in.scalar("gamma");
    const bool cycle_momentum = in.flag("cycle_momentum");
    EMBER_CHECK(!cycle_momentum || optimizer().defaults().contains("momentum"),
                "CyclicLR.load_state_dict: ", kNoMomentum);
    cycle_momentum_ = cycle_momentum;
    if (cycle_momentum_) {
        base_momentums_ = in.list("base_momentums", groups);
        max_momentums_ = in.list("max_momentums", groups);
    }
    LRScheduler::read_state(in);
}

// ---- OneCycleLR -----------------------------------------------------------------------------

namespace {

int64_t one_cycle_total_steps(const OneCycleLROptions& o) {
    const char* missing =
        "OneCycleLR: You must define either total_steps OR (epochs AND steps_per_epoch)";
    if (o.total_steps) {
        EMBER_CHECK(*o.total_steps > 0,
                    "OneCycleLR: Expected positive integer total_steps, but got ", *o.total_steps);
        return *o.total_steps;
    }
    EMBER_CHECK(o.epochs && o.steps_per_epoch, missing);
    EMBER_CHECK(*o.epochs > 0, "OneCycleLR: Expected positive integer epochs, but got ", *o.epochs);
    EMBER_CHECK(*o.steps_per_epoch > 0,
                "OneCycleLR: Expected positive integer steps_per_epoch, but got ",
                *o.steps_per_epoch);
    return *o.epochs * *o.steps_per_epoch;
}

// PyTorch's checks and group setup before its base constructor: initial_lr, max_lr and min_lr
// in every group, momentum (or beta1) at max_momentum.
int64_t prepare_one_cycle(Optimizer& optimizer, const OneCycleLROptions& o) {
    const char* name = "OneCycleLR";
    one_cycle_total_steps(o);
    EMBER_CHECK(o.pct_start >= 0 && o.pct_start <= 1,
                "OneCycleLR: Expected float between 0 and 1 pct_start, but got ", o.pct_start);
    EMBER_CHECK(o.anneal_strategy == "cos" || o.anneal_strategy == "linear",
                "OneCycleLR: anneal_strategy must by one of 'cos' or 'linear', instead got ",
                o.anneal_strategy);
    std::vector<ParamGroup>& groups = optimizer.param_groups();
    const std::vector<double> max_lrs = o.max_lr.expand(groups.size(), name, "max_lr");
    const bool use_beta1 = optimizer.defaults().contains("betas");
    std::vector<double> max_momentums, base_momentums;
    if (o.cycle_momentum) {
        EMBER_CHECK(optimizer.defaults().contains("momentum") || use_beta1,
                    "OneCycleLR: ", kNoMomentum, " (", optimizer.name(),
                    " has neither momentum nor betas)");
        max_momentums = o.max_momentum.expand(groups.size(), name, "max_momentum");
        base_momentums = o.base_momentum.expand(groups.size(), name, "base_momentum");
    }
    if (o.last_epoch != -1) {  // resuming: the keys must be there already
        for (size_t i = 0; i < groups.size(); ++i) {
            std::vector<const char*> keys = {"max_lr", "min_lr"};
            if (o.cycle_momentum) keys.insert(keys.end(), {"max_momentum", "base_momentum"});
            for (const char* key : keys)
                EMBER_CHECK(groups[i].options.contains(key), "OneCycleLR: param '", key,
                            "' is not specified in param_groups[", i,
                            "] when resuming an optimizer");
        }
        return o.last_epoch;
    }
    for (size_t i = 0; i < groups.size(); ++i) {
        Options& g = groups[i].options;
        const double initial_lr = max_lrs[i] / o.div_factor;
        g.set("initial_lr", initial_lr);
        g.set("max_lr", max_lrs[i]);
        g.set("min_lr", initial_lr / o.final_div_factor);
        if (!o.cycle_momentum) continue;
        if (use_beta1)
            g.set("betas", std::pair(max_momentums[i], g.pair("betas").second));
        else
            g.set("momentum", max_momentums[i]);
        g.set("max_momentum", max_momentums[i]);
        g.set("base_momentum", base_momentums[i]);
    }
    return o.last_epoch;
}

}  // namespace

OneCycleLR::OneCycleLR(Optimizer& optimizer, const OneCycleLROptions& o)
    : LRScheduler("OneCycleLR", optimizer, prepare_one_cycle(optimizer, o)),
      total_steps_(one_cycle_total_steps(o)),
      linear_(o.anneal_strategy == "linear"),
      cycle_momentum_(o.cycle_momentum) {
    set_phases(o.pct_start, o.three_phase);
    use_beta1_ = cycle_momentum_ && optimizer.defaults().contains("betas");
    initial_step();
}

void OneCycleLR::set_phases(double pct_start, bool three_phase) {
    const double total = static_cast<double>(total_steps_);
    if (three_phase) {
        phases_ = {
            {pct_start * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
            {2 * pct_start * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"},
            {total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"}};
    } else {
        phases_ = {{pct_start * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
                   {total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"}};
    }
}

double OneCycleLR::anneal(double start, double end, double pct) const {
    if (linear_) return (end - start) * pct + start;
    const double cos_out = std::cos(kPi * pct) + 1;
    return end + (start - end) / 2.0 * cos_out;
}

std::vector<double> OneCycleLR::get_lr() {
    const int64_t step_num = last_epoch_;
    if (step_num > total_steps_)
        fail(ember::detail::str_cat("Tried to step ", step_num + 1,
                                    " times. The specified number of total steps is ",
                                    total_steps_));
    const double step = static_cast<double>(step_num);
    std::vector<double> lrs;
    for (ParamGroup& group : optimizer().param_groups()) {
        Options& g = group.options;
        double start_step = 0, lr = 0, momentum = 0;
        for (size_t i = 0; i < phases_.size(); ++i) {
            const Phase& phase = phases_[i];
            if (step <= phase.end_step || i + 1 == phases_.size()) {
                const double pct = (step - start_step) / (phase.end_step - start_step);
                lr = anneal(g.number(phase.start_lr), g.number(phase.end_lr), pct);
                if (cycle_momentum_)
                    momentum =
                        anneal(g.number(phase.start_momentum), g.number(phase.end_momentum), pct);
                break;
            }
            start_step = phase.end_step;
        }
        lrs.push_back(lr);
        if (!cycle_momentum_) continue;
        if (use_beta1_)
            g.set("betas", std::pair(momentum, g.pair("betas").second));
        else
            g.set("momentum", momentum);
    }
    return lrs;
}

void OneCycleLR::write_state(detail::StateWriter& out) const {
    out.scalar("total_steps", static_cast<double>(total_steps_));
    std::vector<double> end_steps;
    for (const Phase& p : phases_) end_steps.push_back(p.end_step);
    out.list("_schedule_phases.end_step", end_steps);
    out.scalar("cycle_momentum", cycle_momentum_ ? 1 : 0);
    out.scalar("use_beta1", use_beta1_ ? 1 : 0);
    LRScheduler::write_state(out);
}

void OneCycleLR::read_state(detail::StateReader& in) {
    total_steps_ = in.integer("total_steps");
    const std::vector<double> end_steps = in.list("_schedule_phases.end_step");
    EMBER_CHECK(
        end_steps.size() == 2 || end_steps.size() == 3,
        "OneCycleLR.load_state_dict: entry \"_schedule_phases.end_step\" should hold 2 or 3 "
        "phases, got ",
        end_steps.size());
    set_phases(0, end_steps.size() == 3);
    for (size_t i = 0; i < end_steps.size(); ++i) phases_[i].end_step = end_steps[i];
    cycle_momentum_ = in.flag("cycle_momentum");
    use_beta1_ = in.flag("use_beta1");
    LRScheduler::read_state(in);
}

// ---- ReduceLROnPlateau ----------------------------------------------------------------------

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, const ReduceLROnPlateauOptions& o)
    : optimizer_(&optimizer) {
    const char* name = "ReduceLROnPlateau";
    EMBER_CHECK(o.factor < 1.0, name, ": Factor should be < 1.0. Got: ", o.factor);
    const size_t groups = optimizer.param_groups().size();
    // PyTorch words this check differently from the other schedulers' lists.
    EMBER_CHECK(!o.min_lr.is_list() || o.min_lr.values().size() == groups, name, ": expected ",
                groups, " min_lrs, got ", o.min_lr.values().size());
    min_lrs_ = o.min_lr.expand(groups, name, "min_lr");
    EMBER_CHECK(o.mode == "min" || o.mode == "max", name, ": mode ", o.mode, " is unknown!");
    EMBER_CHECK(o.threshold_mode == "rel" || o.threshold_mode == "abs", name, ": threshold mode ",
                o.threshold_mode, " is unknown!");
    max_mode_ = o.mode == "max";
    abs_threshold_ = o.threshold_mode == "abs";
    factor_ = o.factor;
    patience_ = o.patience;
    threshold_ = o.threshold;
    cooldown_ = o.cooldown;
    eps_ = o.eps;
    best_ = max_mode_ ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    for (const ParamGroup& g : optimizer.param_groups()) last_lr_.push_back(g.lr());
}

bool ReduceLROnPlateau::is_better(double a, double best) const {
    if (!max_mode_ && !abs_threshold_) return a < best * (1. - threshold_);
    if (!max_mode_) return a < best - threshold_;
    if (!abs_threshold_) return a > best * (threshold_ + 1.);
    return a > best + threshold_;
}

void ReduceLROnPlateau::step(double metric) {
    ++last_epoch_;
    if (is_better(metric, best_)) {
        best_ = metric;
        num_bad_epochs_ = 0;
    } else {
        ++num_bad_epochs_;
    }
    if (in_cooldown()) {
        --cooldown_counter_;
        num_bad_epochs_ = 0;  // bad epochs in cooldown don't count
    }
    std::vector<ParamGroup>& groups = optimizer_->param_groups();
    if (num_bad_epochs_ > patience_) {
        for (size_t i = 0; i < groups.size(); ++i) {
            const double old_lr = groups[i].lr();
            const double new_lr = std::max(old_lr * factor_, min_lrs_[i]);
            if (old_lr - new_lr > eps_) groups[i].set_lr(new_lr);
        }
        cooldown_counter_ = cooldown_;
        num_bad_epochs_ = 0;
    }
    last_lr_.clear();
    for (const ParamGroup& g : groups) last_lr_.push_back(g.lr());
}

void ReduceLROnPlateau::step(const Tensor& metric) {
    metric.check_defined("ReduceLROnPlateau.step");
    EMBER_CHECK(
        metric.numel() == 1,
        "ReduceLROnPlateau.step: the metric should be a single number, got a tensor of shape ",
        shape_str(metric.sizes()));
    step(metric.item<double>());
}

OrderedDict<Tensor> ReduceLROnPlateau::state_dict() const {
    OrderedDict<Tensor> out;
    detail::StateWriter w(out);
    w.scalar("factor", factor_);
    w.list("min_lrs", min_lrs_);
    w.scalar("patience", static_cast<double>(patience_));
    w.scalar("cooldown", static_cast<double>(cooldown_));
    w.scalar("cooldown_counter", static_cast<double>(cooldown_counter_));
    w.scalar("threshold", threshold_);
    w.scalar("best", best_);
    w.scalar("num_bad_epochs", static_cast<double>(num_bad_epochs_));
    w.scalar("eps", eps_);
    w.scalar("last_epoch", static_cast<double>(last_epoch_));
    w.list("_last_lr", last_lr_);
    return out;
}

void ReduceLROnPlateau::load_state_dict(const OrderedDict<Tensor>& state_dict) {
    // Read everything first, so that a bad entry changes nothing.
    detail::StateReader in(state_dict, "ReduceLROnPlateau");
    const auto groups = static_cast<int64_t>(optimizer_->param_groups().size());
    const double factor = in.scalar("factor");
    std::vector<double> min_lrs = in.list("min_lrs", groups);
    const int64_t patience = in.integer("patience"), cooldown = in.integer("cooldown");
    const int64_t cooldown_counter = in.integer("cooldown_counter");
    const double threshold = in.scalar("threshold"), best = in.scalar("best");
    const int64_t num_bad_epochs = in.integer("num_bad_epochs");
    const double eps = in.scalar("eps");
    const int64_t last_epoch = in.integer("last_epoch");
    std::vector<double> last_lr = in.list("_last_lr", groups);
    in.check_all_read();
    factor_ = factor;
    min_lrs_ = std::move(min_lrs);
    patience_ = patience;
    cooldown_ = cooldown;
    cooldown_counter_ = cooldown_counter;
    threshold_ = threshold;
    best_ = best;
    num_bad_epochs_ = num_bad_epochs;
    eps_ = eps;
    last_epoch_ = last_epoch;
    last_lr_ = std::move(last_lr);
}

}  // namespace ember::optim::lr_scheduler

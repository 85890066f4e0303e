// optim::lr_scheduler: learning-rate schedulers, as torch.optim.lr_scheduler (PyTorch 1.13).
//
//   optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});
//   optim::lr_scheduler::LambdaLR scheduler(optimizer,
//                                           [](int64_t epoch) { return std::pow(0.95, epoch); });
//   for (int epoch = 0; epoch < 100; ++epoch) {
//       for (...) {  // the epoch's batches
//           optimizer.zero_grad();
//           criterion(model(x), y).backward();
//           optimizer.step();
//       }
//       scheduler.step();
//   }
//
// Arguments. A scheduler with at most two hyperparameters takes them positionally, in PyTorch's
// order and with its defaults, then last_epoch: `StepLR(opt, 30, 0.1)`,
// `CosineAnnealingLR(opt, 50, 1e-5)`. One with more takes an options struct filled with
// designated initialisers whose fields are PyTorch's keyword names (last_epoch among them):
// `OneCycleLR(opt, {.max_lr = 0.1, .total_steps = 100})`,
// `ReduceLROnPlateau(opt, {.patience = 2})`. PyTorch's "float or list" arguments (max_lr, min_lr,
// base_momentum...) are `PerGroup`: a number for every group, or `{one, per, group}`. Composites
// take the schedulers they drive by reference (they must outlive it):
// `SequentialLR(opt, {warmup, decay}, {5})`.
//
// Stepping follows PyTorch: construction sets each group's `initial_lr` and performs the initial
// step; step() advances one epoch (or batch), computing the new lr from the group's current one
// where PyTorch does (the chainable form, so several schedulers on one optimizer multiply);
// the deprecated step(epoch) jumps to an epoch with the closed form where there is one. The first
// step() before any optimizer.step() warns with PyTorch's text.
//
// state_dict() returns named float64 tensors (PyTorch's attribute names; nested schedulers under
// "_schedulers.<i>."), so `ember::save(s.state_dict(), path)` and
// `s.load_state_dict(ember::load(path))` work. Callables (lr_lambda, scale_fn) and string
// settings (mode, anneal_strategy) are not saved: build the scheduler with the same arguments,
// then load.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/core/ordered_dict.h"
#include "ember/core/tensor.h"
#include "ember/optim/optimizer.h"

namespace ember::optim::lr_scheduler {

// A value for each parameter group, or one value for all of them (PyTorch's "float or list").
class PerGroup {
public:
    PerGroup() = default;  // unset
    PerGroup(double value) : values_{value} {}
    PerGroup(std::initializer_list<double> values) : values_(values), is_list_(true) {}
    PerGroup(std::vector<double> values) : values_(std::move(values)), is_list_(true) {}

    bool has_value() const { return is_list_ || !values_.empty(); }
    bool is_list() const { return is_list_; }
    const std::vector<double>& values() const { return values_; }
    // One value per group; a list of another length raises PyTorch's error:
    // "<scheduler>: expected 2 values for max_lr, got 1".
    std::vector<double> expand(size_t groups, const std::string& scheduler, const char* name) const;

private:
    std::vector<double> values_;
    bool is_list_ = false;
};

namespace detail {

// Writes a scheduler's state as float64 tensors under a key prefix.
class StateWriter {
public:
    explicit StateWriter(OrderedDict<Tensor>& out, std::string prefix = "")
        : out_(out), prefix_(std::move(prefix)) {}
    void scalar(const std::string& key, double value);
    void list(const std::string& key, const std::vector<double>& values);
    StateWriter nested(const std::string& key) const {
        return StateWriter(out_, prefix_ + key + ".");
    }

private:
    OrderedDict<Tensor>& out_;
    std::string prefix_;
};

// Reads what StateWriter wrote; a missing or mis-shaped entry is an error naming the scheduler.
class StateReader {
public:
    StateReader(const OrderedDict<Tensor>& in, std::string scheduler, std::string prefix = "");
    double scalar(const std::string& key);
    int64_t integer(const std::string& key);
    bool flag(const std::string& key) { return scalar(key) != 0; }
    // `size` -1: any length.
    std::vector<double> list(const std::string& key, int64_t size = -1);
    bool contains(const std::string& key) const { return in_.contains(prefix_ + key); }
    StateReader nested(const std::string& key) const;
    // Every entry of the dict was read (an unknown one is an error).
    void check_all_read() const;

private:
    const Tensor& entry(const std::string& key);
    const OrderedDict<Tensor>& in_;
    std::string scheduler_, prefix_;
    std::shared_ptr<std::vector<std::string>> read_;  // shared with nested readers
};

}  // namespace detail

// The base of the epoch-stepped schedulers (PyTorch's _LRScheduler).
class LRScheduler {
public:
    virtual ~LRScheduler();
    LRScheduler(const LRScheduler&) = delete;
    LRScheduler& operator=(const LRScheduler&) = delete;

    // PyTorch's class name ("StepLR").
    const std::string& name() const { return name_; }
    Optimizer& optimizer() const { return *optimizer_; }

    // Advances one epoch (or batch, for the per-batch schedulers).
    void step();
    // Deprecated in PyTorch: sets last_epoch to `epoch` and uses the closed form where the
    // scheduler has one (warns with PyTorch's deprecation text).
    void step(int64_t epoch);

    // The lr of every group after the latest step.
    const std::vector<double>& get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }
    const std::vector<double>& base_lrs() const { return base_lrs_; }
    // Steps taken, the constructor's initial one included (PyTorch's _step_count).
    int64_t step_count() const { return step_count_; }

    OrderedDict<Tensor> state_dict() const;
    // Restores a state_dict() of a scheduler of the same kind (atomically: on error nothing
    // changes).
    void load_state_dict(const OrderedDict<Tensor>& state_dict);

protected:
    // Sets `initial_lr` in every group (last_epoch -1) or requires it (resuming).
    LRScheduler(std::string name, Optimizer& optimizer, int64_t last_epoch);
    // For the composites, which keep no base_lrs.
    struct Composite {};
    LRScheduler(std::string name, Optimizer& optimizer, Composite);

    // PyTorch's _initial_step: every concrete constructor ends with it.
    void initial_step();
    // The lrs at last_epoch_ in the chainable form (may update momentum as a side effect).
    virtual std::vector<double> get_lr() = 0;
    // The closed form used by step(epoch); none by default (get_lr() is used instead).
    virtual std::optional<std::vector<double>> closed_form_lr() const { return std::nullopt; }
    // One step, to the next epoch or to `epoch`; the base class's is PyTorch's _LRScheduler.step.
    virtual void advance(std::optional<double> epoch);
    // Writes `lrs` into the groups and records them as the last lrs.
    void apply_lrs(const std::vector<double>& lrs);

    // The state: the base writes last_epoch, _step_count, base_lrs, _last_lr; a scheduler adds
    // its own fields after calling the base.
    virtual void write_state(detail::StateWriter& out) const;
    virtual void read_state(detail::StateReader& in);

    // "StepLR: " + message, as an ember::Error.
    [[noreturn]] void fail(const std::string& message) const;
    size_t num_groups() const { return optimizer_->param_groups().size(); }
    std::vector<double> group_lrs() const;

    int64_t last_epoch_ = 0;
    int64_t step_count_ = 0;
    std::vector<double> base_lrs_;
    std::vector<double> last_lr_;

private:
    friend class SequentialLR;
    friend class ChainedScheduler;

    std::string name_;
    Optimizer* optimizer_;
    int64_t optimizer_steps_at_init_ = 0;  // optimizer.step_calls() at the initial step
};

using LrLambda = std::function<double(int64_t epoch)>;

// lr = initial_lr * lr_lambda(epoch): one function, or one per group.
class LambdaLR : public LRScheduler {
public:
    LambdaLR(Optimizer& optimizer, LrLambda lr_lambda, int64_t last_epoch = -1);
    LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas, int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;

private:
    std::vector<LrLambda> lr_lambdas_;
};

// lr = lr * lr_lambda(epoch) for every epoch after the first: one function, or one per group.
class MultiplicativeLR : public LRScheduler {
public:
    MultiplicativeLR(Optimizer& optimizer, LrLambda lr_lambda, int64_t last_epoch = -1);
    MultiplicativeLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas,
                     int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;

private:
    std::vector<LrLambda> lr_lambdas_;
};

// lr *= gamma every step_size epochs.
class StepLR : public LRScheduler {
public:
    StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1, int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    int64_t step_size_;
    double gamma_;
};

// lr *= gamma at each milestone (a repeated milestone applies gamma as often as it is listed).
class MultiStepLR : public LRScheduler {
public:
    MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1,
                int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    std::vector<int64_t> milestones_;  // sorted, with repeats
    double gamma_;
};

// lr * factor until epoch total_iters, then lr.
class ConstantLR : public LRScheduler {
public:
    ConstantLR(Optimizer& optimizer, double factor = 1.0 / 3, int64_t total_iters = 5,
               int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    double factor_;
    int64_t total_iters_;
};

struct LinearLROptions {
    double start_factor = 1.0 / 3;
    double end_factor = 1.0;
    int64_t total_iters = 5;
    int64_t last_epoch = -1;
};

// lr * a factor going linearly from start_factor to end_factor over total_iters epochs.
class LinearLR : public LRScheduler {
public:
    explicit LinearLR(Optimizer& optimizer, const LinearLROptions& options = {});

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    double start_factor_, end_factor_;
    int64_t total_iters_;
};

// lr *= gamma every epoch.
class ExponentialLR : public LRScheduler {
public:
    ExponentialLR(Optimizer& optimizer, double gamma, int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    double gamma_;
};

// lr decays as (1 - epoch / total_iters)^power, then stays at 0.
class PolynomialLR : public LRScheduler {
public:
    PolynomialLR(Optimizer& optimizer, int64_t total_iters = 5, double power = 1.0,
                 int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    int64_t total_iters_;
    double power_;
};

// Cosine annealing from initial_lr to eta_min over T_max epochs, in PyTorch's recursive form
// (it goes on as a cosine wave of period 2 * T_max).
class CosineAnnealingLR : public LRScheduler {
public:
    CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0,
                      int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override;
    std::optional<std::vector<double>> closed_form_lr() const override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    int64_t T_max_;
    double eta_min_;
};

struct CosineAnnealingWarmRestartsOptions {
    int64_t T_0 = 0;  // required: epochs until the first restart
    int64_t T_mult = 1;
    double eta_min = 0;
    int64_t last_epoch = -1;
};

// SGDR: cosine annealing restarted every T_i epochs, T_i growing by T_mult after each restart.
class CosineAnnealingWarmRestarts : public LRScheduler {
public:
    CosineAnnealingWarmRestarts(Optimizer& optimizer,
                                const CosineAnnealingWarmRestartsOptions& options);

    void step() { LRScheduler::step(); }
    // Jumps to a (possibly fractional) epoch: `step(epoch + i / iters)` inside an epoch. Unlike
    // the base class's step(epoch), this is not deprecated and does not warn.
    void step(double epoch) { advance(epoch); }

    double T_cur() const { return T_cur_; }
    int64_t T_i() const { return T_i_; }

protected:
    std::vector<double> get_lr() override;
    void advance(std::optional<double> epoch) override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    int64_t T_0_, T_i_, T_mult_;
    double eta_min_;
    double T_cur_;
};

struct CyclicLROptions {
    PerGroup base_lr;  // required
    PerGroup max_lr;   // required
    int64_t step_size_up = 2000;
    std::optional<int64_t> step_size_down;  // unset: step_size_up
    std::string mode = "triangular";        // "triangular", "triangular2", "exp_range"
    double gamma = 1.0;
    std::function<double(double)> scale_fn;  // set: replaces mode
    std::string scale_mode = "cycle";        // "cycle" or "iterations" (for scale_fn)
    bool cycle_momentum = true;
    PerGroup base_momentum = 0.8;
    PerGroup max_momentum = 0.9;
    int64_t last_epoch = -1;
};

// Cyclical learning rates (stepped per batch), momentum cycled inversely.
class CyclicLR : public LRScheduler {
public:
    CyclicLR(Optimizer& optimizer, const CyclicLROptions& options);

protected:
    std::vector<double> get_lr() override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    double scale(double x) const;

    std::vector<double> max_lrs_;
    double total_size_, step_ratio_;
    std::string mode_;
    double gamma_;
    std::function<double(double)> scale_fn_;
    std::string scale_mode_;
    bool cycle_momentum_;
    std::vector<double> base_momentums_, max_momentums_;
};

struct OneCycleLROptions {
    PerGroup max_lr;  // required
    std::optional<int64_t> total_steps;
    std::optional<int64_t> epochs;
    std::optional<int64_t> steps_per_epoch;
    double pct_start = 0.3;
    std::string anneal_strategy = "cos";  // or "linear"
    bool cycle_momentum = true;
    PerGroup base_momentum = 0.85;
    PerGroup max_momentum = 0.95;
    double div_factor = 25.0;
    double final_div_factor = 1e4;
    bool three_phase = false;
    int64_t last_epoch = -1;
};

// The 1cycle policy (stepped per batch): lr up from max_lr / div_factor to max_lr, then down
// to initial_lr / final_div_factor; momentum (or Adam's beta1) cycled inversely.
class OneCycleLR : public LRScheduler {
public:
    OneCycleLR(Optimizer& optimizer, const OneCycleLROptions& options);

    int64_t total_steps() const { return total_steps_; }

protected:
    std::vector<double> get_lr() override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    struct Phase {
        double end_step;
        const char *start_lr, *end_lr, *start_momentum, *end_momentum;  // group option names
    };
    void set_phases(double pct_start, bool three_phase);
    double anneal(double start, double end, double pct) const;

    int64_t total_steps_;
    std::vector<Phase> phases_;
    bool linear_;
    bool cycle_momentum_;
    bool use_beta1_ = false;
};

// Runs `schedulers` one after the other, switching at the milestones (a scheduler that takes
// over restarts from epoch 0).
class SequentialLR : public LRScheduler {
public:
    SequentialLR(Optimizer& optimizer, std::vector<std::reference_wrapper<LRScheduler>> schedulers,
                 std::vector<int64_t> milestones, int64_t last_epoch = -1);

protected:
    std::vector<double> get_lr() override { return group_lrs(); }
    void advance(std::optional<double> epoch) override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    std::vector<std::reference_wrapper<LRScheduler>> schedulers_;
    std::vector<int64_t> milestones_;
};

// Steps every scheduler of the list at each step() (their effects multiply).
class ChainedScheduler : public LRScheduler {
public:
    explicit ChainedScheduler(std::vector<std::reference_wrapper<LRScheduler>> schedulers);

protected:
    std::vector<double> get_lr() override { return group_lrs(); }
    void advance(std::optional<double> epoch) override;
    void write_state(detail::StateWriter& out) const override;
    void read_state(detail::StateReader& in) override;

private:
    std::vector<std::reference_wrapper<LRScheduler>> schedulers_;
};

struct ReduceLROnPlateauOptions {
    std::string mode = "min";  // or "max"
    double factor = 0.1;
    int64_t patience = 10;
    double threshold = 1e-4;
    std::string threshold_mode = "rel";  // or "abs"
    int64_t cooldown = 0;
    PerGroup min_lr = 0.0;
    double eps = 1e-8;
};

// Lowers the lr by `factor` when a metric has stopped improving for `patience` epochs. Not an
// LRScheduler (as in PyTorch 1.13): step() takes the metric. get_last_lr() is available from
// construction (as in PyTorch 2.x).
class ReduceLROnPlateau {
public:
    explicit ReduceLROnPlateau(Optimizer& optimizer, const ReduceLROnPlateauOptions& options = {});
    ReduceLROnPlateau(const ReduceLROnPlateau&) = delete;
    ReduceLROnPlateau& operator=(const ReduceLROnPlateau&) = delete;

    void step(double metric);
    // A one-element tensor (a loss).
    void step(const Tensor& metric);

    const std::vector<double>& get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }
    double best() const { return best_; }
    int64_t num_bad_epochs() const { return num_bad_epochs_; }
    int64_t cooldown_counter() const { return cooldown_counter_; }
    bool in_cooldown() const { return cooldown_counter_ > 0; }
    Optimizer& optimizer() const { return *optimizer_; }

    OrderedDict<Tensor> state_dict() const;
    void load_state_dict(const OrderedDict<Tensor>& state_dict);

private:
    bool is_better(double a, double best) const;

    Optimizer* optimizer_;
    bool max_mode_, abs_threshold_;
    double factor_;
    int64_t patience_;
    double threshold_;
    int64_t cooldown_;
    std::vector<double> min_lrs_;
    double eps_;
    double best_;
    int64_t num_bad_epochs_ = 0, cooldown_counter_ = 0, last_epoch_ = 0;
    std::vector<double> last_lr_;
};

}  // namespace ember::optim::lr_scheduler

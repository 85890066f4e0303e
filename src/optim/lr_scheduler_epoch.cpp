// The per-epoch schedulers: LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR,
// LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR and CosineAnnealingWarmRestarts, in
// PyTorch 1.13's chainable and closed forms (same operations in the same order, so the lrs
// match to the last bit).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "ember/optim/lr_scheduler.h"
#include "optim/lr_scheduler_util.h"

namespace ember::optim::lr_scheduler {

using detail::checked;

namespace {

constexpr double kPi = std::numbers::pi;

std::vector<LrLambda> one_per_group(const Optimizer& optimizer, const LrLambda& f) {
    return std::vector<LrLambda>(optimizer.param_groups().size(), f);
}

void check_lambdas(const char* name, const Optimizer& optimizer,
                   const std::vector<LrLambda>& lambdas) {
    EMBER_CHECK(lambdas.size() == optimizer.param_groups().size(), name, ": Expected ",
                optimizer.param_groups().size(), " lr_lambdas, but got ", lambdas.size());
    for (size_t i = 0; i < lambdas.size(); ++i)
        EMBER_CHECK(static_cast<bool>(lambdas[i]), name, ": lr_lambda ", i, " is empty");
}

}  // namespace

// ---- LambdaLR, MultiplicativeLR -------------------------------------------------------------

LambdaLR::LambdaLR(Optimizer& optimizer, LrLambda lr_lambda, int64_t last_epoch)
    : LambdaLR(optimizer, one_per_group(optimizer, lr_lambda), last_epoch) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas, int64_t last_epoch)
    : LRScheduler("LambdaLR", optimizer,
                  checked(last_epoch, [&] { check_lambdas("LambdaLR", optimizer, lr_lambdas); })),
      lr_lambdas_(std::move(lr_lambdas)) {
    initial_step();
}

std::vector<double> LambdaLR::get_lr() {
    std::vector<double> lrs;
    for (size_t i = 0; i < base_lrs_.size(); ++i)
        lrs.push_back(base_lrs_[i] * lr_lambdas_[i](last_epoch_));
    return lrs;
}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, LrLambda lr_lambda, int64_t last_epoch)
    : MultiplicativeLR(optimizer, one_per_group(optimizer, lr_lambda), last_epoch) {}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas,
                                   int64_t last_epoch)
    : LRScheduler(
          "MultiplicativeLR", optimizer,
          checked(last_epoch, [&] { check_lambdas("MultiplicativeLR", optimizer, lr_lambdas); })),
      lr_lambdas_(std::move(lr_lambdas)) {
    initial_step();
}

std::vector<double> MultiplicativeLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    if (last_epoch_ > 0)
        for (size_t i = 0; i < lrs.size(); ++i) lrs[i] = lrs[i] * lr_lambdas_[i](last_epoch_);
    return lrs;
}

// ---- StepLR, MultiStepLR --------------------------------------------------------------------

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma, int64_t last_epoch)
    : LRScheduler("StepLR", optimizer,
                  checked(last_epoch,
                          [&] {
                              EMBER_CHECK(step_size > 0,
                                          "StepLR: step_size should be a positive integer, got ",
                                          step_size);
                          })),
      step_size_(step_size),
      gamma_(gamma) {
    initial_step();
}

std::vector<double> StepLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return lrs;
    for (double& lr : lrs) lr = lr * gamma_;
    return lrs;
}

std::optional<std::vector<double>> StepLR::closed_form_lr() const {
    std::vector<double> lrs;
    const double exponent = static_cast<double>(detail::floor_div(last_epoch_, step_size_));
    for (double base : base_lrs_) lrs.push_back(base * std::pow(gamma_, exponent));
    return lrs;
}

void StepLR::write_state(detail::StateWriter& out) const {
    out.scalar("step_size", static_cast<double>(step_size_));
    out.scalar("gamma", gamma_);
    LRScheduler::write_state(out);
}

void StepLR::read_state(detail::StateReader& in) {
    step_size_ = in.integer("step_size");
    EMBER_CHECK(step_size_ > 0,
                "StepLR.load_state_dict: step_size should be a positive integer, got ", step_size_);
    gamma_ = in.scalar("gamma");
    LRScheduler::read_state(in);
}

namespace {

std::vector<int64_t> sorted(std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma,
                         int64_t last_epoch)
    : LRScheduler("MultiStepLR", optimizer, last_epoch),
      milestones_(sorted(std::move(milestones))),
      gamma_(gamma) {
    initial_step();
}

std::vector<double> MultiStepLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    const auto count = std::count(milestones_.begin(), milestones_.end(), last_epoch_);
    if (count == 0) return lrs;
    for (double& lr : lrs) lr = lr * std::pow(gamma_, static_cast<double>(count));
    return lrs;
}

std::optional<std::vector<double>> MultiStepLR::closed_form_lr() const {
    const auto passed =
        std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin();
    std::vector<double> lrs;
    for (double base : base_lrs_)
        lrs.push_back(base * std::pow(gamma_, static_cast<double>(passed)));
    return lrs;
}

void MultiStepLR::write_state(detail::StateWriter& out) const {
    out.list("milestones", std::vector<double>(milestones_.begin(), milestones_.end()));
    out.scalar("gamma", gamma_);
    LRScheduler::write_state(out);
}

void MultiStepLR::read_state(detail::StateReader& in) {
    std::vector<int64_t> milestones;
    for (double m : in.list("milestones"))
        milestones.push_back(static_cast<int64_t>(std::llround(m)));
    milestones_ = sorted(std::move(milestones));
    gamma_ = in.scalar("gamma");
    LRScheduler::read_state(in);
}

// ---- ConstantLR, LinearLR -------------------------------------------------------------------

ConstantLR::ConstantLR(Optimizer& optimizer, double factor, int64_t total_iters, int64_t last_epoch)
    : LRScheduler("ConstantLR", optimizer,
                  checked(last_epoch,
                          [&] {
                              EMBER_CHECK(
                                  factor >= 0 && factor <= 1.0,
                                  "ConstantLR: Constant multiplicative factor expected to be "
                                  "between 0 and 1. Got: ", factor);
                          })),
      factor_(factor),
      total_iters_(total_iters) {
    initial_step();
}

std::vector<double> ConstantLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    if (last_epoch_ == 0) {
        for (double& lr : lrs) lr = lr * factor_;
    } else if (last_epoch_ == total_iters_) {
        // Python raises ZeroDivisionError here; inf * lr would be a silent wrong answer.
        if (factor_ == 0) fail("can't undo a factor of 0 at total_iters (float division by zero)");
        for (double& lr : lrs) lr = lr * (1.0 / factor_);
    }
    return lrs;
}

std::optional<std::vector<double>> ConstantLR::closed_form_lr() const {
    std::vector<double> lrs;
    const double reached = last_epoch_ >= total_iters_ ? 1.0 : 0.0;
    for (double base : base_lrs_) lrs.push_back(base * (factor_ + reached * (1 - factor_)));
    return lrs;
}

void ConstantLR::write_state(detail::StateWriter& out) const {
    out.scalar("factor", factor_);
    out.scalar("total_iters", static_cast<double>(total_iters_));
    LRScheduler::write_state(out);
}

void ConstantLR::read_state(detail::StateReader& in) {
    factor_ = in.scalar("factor");
    total_iters_ = in.integer("total_iters");
    LRScheduler::read_state(in);
}

LinearLR::LinearLR(Optimizer& optimizer, const LinearLROptions& o)
    : LRScheduler(
          "LinearLR", optimizer,
          checked(o.last_epoch,
                  [&] {
                      EMBER_CHECK(o.start_factor >= 0 && o.start_factor <= 1.0,
                                  "LinearLR: Starting multiplicative factor expected to be between "
                                  "0 and 1. Got: ", o.start_factor);
                      // PyTorch 1.13 accepts start_factor 0 and then divides by zero on the
                      // second step; 2.x rejects it with this message.
                      EMBER_CHECK(o.start_factor > 0,
                                  "LinearLR: Starting multiplicative factor expected to be greater "
                                  "than 0 and less or equal to 1. Got: ", o.start_factor);
                      EMBER_CHECK(o.end_factor >= 0 && o.end_factor <= 1.0,
                                  "LinearLR: Ending multiplicative factor expected to be between 0 "
                                  "and 1. Got: ", o.end_factor);
                  })),
      start_factor_(o.start_factor),
      end_factor_(o.end_factor),
      total_iters_(o.total_iters) {
    initial_step();
}

std::vector<double> LinearLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    if (last_epoch_ == 0) {
        for (double& lr : lrs) lr = lr * start_factor_;
        return lrs;
    }
    if (last_epoch_ > total_iters_) return lrs;
    const double delta = end_factor_ - start_factor_;
    const double factor = 1. + delta / (static_cast<double>(total_iters_) * start_factor_ +
                                        static_cast<double>(last_epoch_ - 1) * delta);
    for (double& lr : lrs) lr = lr * factor;
    return lrs;
}

std::optional<std::vector<double>> LinearLR::closed_form_lr() const {
    if (total_iters_ == 0) fail("step(epoch) with total_iters 0 (float division by zero)");
    std::vector<double> lrs;
    const double done = static_cast<double>(std::min(total_iters_, last_epoch_));
    for (double base : base_lrs_)
        lrs.push_back(base * (start_factor_ + (end_factor_ - start_factor_) * done /
                                                  static_cast<double>(total_iters_)));
    return lrs;
}

void LinearLR::write_state(detail::StateWriter& out) const {
    out.scalar("start_factor", start_factor_);
    out.scalar("end_factor", end_factor_);
    out.scalar("total_iters", static_cast<double>(total_iters_));
    LRScheduler::write_state(out);
}

void LinearLR::read_state(detail::StateReader& in) {
    start_factor_ = in.scalar("start_factor");
    end_factor_ = in.scalar("end_factor");
    total_iters_ = in.integer("total_iters");
    LRScheduler::read_state(in);
}

// ---- ExponentialLR, PolynomialLR ------------------------------------------------------------

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma, int64_t last_epoch)
    : LRScheduler("ExponentialLR", optimizer, last_epoch), gamma_(gamma) {
    initial_step();
}

std::vector<double> ExponentialLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    if (last_epoch_ == 0) return lrs;
    for (double& lr : lrs) lr = lr * gamma_;
    return lrs;
}

std::optional<std::vector<double>> ExponentialLR::closed_form_lr() const {
    std::vector<double> lrs;
    for (double base : base_lrs_)
        lrs.push_back(base * std::pow(gamma_, static_cast<double>(last_epoch_)));
    return lrs;
}

void ExponentialLR::write_state(detail::StateWriter& out) const {
    out.scalar("gamma", gamma_);
    LRScheduler::write_state(out);
}

void ExponentialLR::read_state(detail::StateReader& in) {
    gamma_ = in.scalar("gamma");
    LRScheduler::read_state(in);
}

PolynomialLR::PolynomialLR(Optimizer& optimizer, int64_t total_iters, double power,
                           int64_t last_epoch)
    : LRScheduler("PolynomialLR", optimizer, last_epoch), total_iters_(total_iters), power_(power) {
    initial_step();
}

std::vector<double> PolynomialLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    if (last_epoch_ == 0 || last_epoch_ > total_iters_) return lrs;
    const double t = static_cast<double>(total_iters_);
    const double decay = std::pow((1.0 - static_cast<double>(last_epoch_) / t) /
                                      (1.0 - static_cast<double>(last_epoch_ - 1) / t),
                                  power_);
    for (double& lr : lrs) lr = lr * decay;
    return lrs;
}

std::optional<std::vector<double>> PolynomialLR::closed_form_lr() const {
    if (total_iters_ == 0) fail("step(epoch) with total_iters 0 (float division by zero)");
    std::vector<double> lrs;
    const double t = static_cast<double>(total_iters_);
    const double done = static_cast<double>(std::min(total_iters_, last_epoch_));
    for (double base : base_lrs_) lrs.push_back(base * std::pow(1.0 - done / t, power_));
    return lrs;
}

void PolynomialLR::write_state(detail::StateWriter& out) const {
    out.scalar("total_iters", static_cast<double>(total_iters_));
    out.scalar("power", power_);
    LRScheduler::write_state(out);
}

void PolynomialLR::read_state(detail::StateReader& in) {
    total_iters_ = in.integer("total_iters");
    power_ = in.scalar("power");
    LRScheduler::read_state(in);
}

// ---- CosineAnnealingLR ----------------------------------------------------------------------

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min,
                                     int64_t last_epoch)
    : LRScheduler("CosineAnnealingLR", optimizer,
                  checked(last_epoch,
                          [&] {
                              EMBER_CHECK(T_max > 0,
                                          "CosineAnnealingLR: T_max should be a positive "
                                          "integer, got ",
                                          T_max);
                          })),
      T_max_(T_max),
      eta_min_(eta_min) {
    initial_step();
}

std::vector<double> CosineAnnealingLR::get_lr() {
    std::vector<double> lrs = group_lrs();
    const double e = static_cast<double>(last_epoch_), t = static_cast<double>(T_max_);
    if (last_epoch_ == 0) return lrs;
    if (step_count_ == 1 && last_epoch_ > 0) {  // the constructor's step when resuming
        for (size_t i = 0; i < lrs.size(); ++i)
            lrs[i] = eta_min_ + (base_lrs_[i] - eta_min_) * (1 + std::cos(e * kPi / t)) / 2;
    } else if ((last_epoch_ - 1 - T_max_) % (2 * T_max_) == 0) {
        for (size_t i = 0; i < lrs.size(); ++i)
            lrs[i] = lrs[i] + (base_lrs_[i] - eta_min_) * (1 - std::cos(kPi / t)) / 2;
    } else {
        for (double& lr : lrs)
            lr = (1 + std::cos(kPi * e / t)) / (1 + std::cos(kPi * (e - 1) / t)) * (lr - eta_min_) +
                 eta_min_;
    }
    return lrs;
}

std::optional<std::vector<double>> CosineAnnealingLR::closed_form_lr() const {
    std::vector<double> lrs;
    const double e = static_cast<double>(last_epoch_), t = static_cast<double>(T_max_);
    for (double base : base_lrs_)
        lrs.push_back(eta_min_ + (base - eta_min_) * (1 + std::cos(kPi * e / t)) / 2);
    return lrs;
}

void CosineAnnealingLR::write_state(detail::StateWriter& out) const {
    out.scalar("T_max", static_cast<double>(T_max_));
    out.scalar("eta_min", eta_min_);
    LRScheduler::write_state(out);
}

void CosineAnnealingLR::read_state(detail::StateReader& in) {
    T_max_ = in.integer("T_max");
    eta_min_ = in.scalar("eta_min");
    LRScheduler::read_state(in);
}

// ---- CosineAnnealingWarmRestarts ------------------------------------------------------------

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(
    Optimizer& optimizer, const CosineAnnealingWarmRestartsOptions& o)
    : LRScheduler("CosineAnnealingWarmRestarts", optimizer,
                  checked(o.last_epoch,
                          [&] {
                              EMBER_CHECK(o.T_0 > 0,
                                          "CosineAnnealingWarmRestarts: Expected positive "
                                          "integer T_0, but got ",
                                          o.T_0);
                              EMBER_CHECK(o.T_mult >= 1,
                                          "CosineAnnealingWarmRestarts: Expected integer "
                                          "T_mult >= 1, but got ",
                                          o.T_mult);
                          })),
      T_0_(o.T_0),
      T_i_(o.T_0),
      T_mult_(o.T_mult),
      eta_min_(o.eta_min),
      T_cur_(static_cast<double>(o.last_epoch)) {
    initial_step();
}

std::vector<double> CosineAnnealingWarmRestarts::get_lr() {
    std::vector<double> lrs;
    const double t_i = static_cast<double>(T_i_);
    for (double base : base_lrs_)
        lrs.push_back(eta_min_ + (base - eta_min_) * (1 + std::cos(kPi * T_cur_ / t_i)) / 2);
    return lrs;
}

// PyTorch's own step(): no step-order warning, no step count, and step(epoch) is not deprecated.
void CosineAnnealingWarmRestarts::advance(std::optional<double> epoch) {
    if (!epoch && last_epoch_ < 0) epoch = 0.0;
    double e;
    if (!epoch) {
        e = static_cast<double>(last_epoch_ + 1);
        T_cur_ = T_cur_ + 1;
        if (T_cur_ >= static_cast<double>(T_i_)) {
            T_cur_ = T_cur_ - static_cast<double>(T_i_);
            T_i_ = T_i_ * T_mult_;
        }
    } else {
        e = *epoch;
        EMBER_CHECK(e >= 0, name(), ": Expected non-negative epoch, but got ", e);
        const double t0 = static_cast<double>(T_0_);
        if (e >= t0) {
            if (T_mult_ == 1) {
                T_cur_ = std::fmod(e, t0);
            } else {
                const double m = static_cast<double>(T_mult_);
                const auto n = static_cast<int64_t>(std::log(e / t0 * (m - 1) + 1) / std::log(m));
                const double grown = std::pow(m, static_cast<double>(n));
                T_cur_ = e - t0 * (grown - 1) / (m - 1);
                T_i_ = T_0_ * static_cast<int64_t>(grown);
            }
        } else {
            T_i_ = T_0_;
            T_cur_ = e;
        }
    }
    last_epoch_ = static_cast<int64_t>(std::floor(e));
    apply_lrs(get_lr());
}

void CosineAnnealingWarmRestarts::write_state(detail::StateWriter& out) const {
    out.scalar("T_0", static_cast<double>(T_0_));
    out.scalar("T_i", static_cast<double>(T_i_));
    out.scalar("T_mult", static_cast<double>(T_mult_));
    out.scalar("eta_min", eta_min_);
    out.scalar("T_cur", T_cur_);
    LRScheduler::write_state(out);
}

void CosineAnnealingWarmRestarts::read_state(detail::StateReader& in) {
    T_0_ = in.integer("T_0");
    T_i_ = in.integer("T_i");
    T_mult_ = in.integer("T_mult");
    eta_min_ = in.scalar("eta_min");
    T_cur_ = in.scalar("T_cur");
    LRScheduler::read_state(in);
}

}  // namespace ember::optim::lr_scheduler

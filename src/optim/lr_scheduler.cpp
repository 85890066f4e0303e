// The LRScheduler base (PyTorch's _LRScheduler): initial_lr, the initial step, step() and its
// warnings, the state dict as float64 tensors; and the composites SequentialLR and
// ChainedScheduler.
#include "ember/optim/lr_scheduler.h"

#include <algorithm>
#include <cmath>

#include "ember/core/warning.h"
#include "ember/ops/factory.h"
#include "optim/lr_scheduler_util.h"

namespace ember::optim::lr_scheduler {

namespace {

const char* const kEpochDeprecationWarning =
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where "
    "possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if "
    "epoch is different from None, the closed form is used instead of the new chainable form, "
    "where available. Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose.";

const char* const kStepOrderWarning =
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and "
    "later, you should call them in the opposite order: `optimizer.step()` before "
    "`lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value "
    "of the learning rate schedule. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

}  // namespace

// ---- PerGroup -------------------------------------------------------------------------------

std::vector<double> PerGroup::expand(size_t groups, const std::string& scheduler,
                                     const char* name) const {
    EMBER_CHECK(has_value(), scheduler, ": missing required argument ", name);
    if (!is_list_) return std::vector<double>(groups, values_[0]);
    EMBER_CHECK(values_.size() == groups, scheduler, ": expected ", groups, " values for ", name,
                ", got ", values_.size());
    return values_;
}

// ---- state dict entries ---------------------------------------------------------------------

namespace detail {

void StateWriter::scalar(const std::string& key, double value) {
    out_.insert(prefix_ + key, full({}, value, {.dtype = DType::Float64}));
}

void StateWriter::list(const std::string& key, const std::vector<double>& values) {
    out_.insert(prefix_ + key, tensor(values, {.dtype = DType::Float64}));
}

StateReader::StateReader(const OrderedDict<Tensor>& in, std::string scheduler, std::string prefix)
    : in_(in),
      scheduler_(std::move(scheduler)),
      prefix_(std::move(prefix)),
      read_(std::make_shared<std::vector<std::string>>()) {}

StateReader StateReader::nested(const std::string& key) const {
    StateReader r(in_, scheduler_, prefix_ + key + ".");
    r.read_ = read_;
    return r;
}

const Tensor& StateReader::entry(const std::string& key) {
    const std::string full_key = prefix_ + key;
    EMBER_CHECK(in_.contains(full_key), scheduler_, ".load_state_dict: missing entry \"", full_key,
                "\"");
    read_->push_back(full_key);
    const Tensor& t = in_.at(full_key);
    EMBER_CHECK(t.defined() && is_floating_point(t.dtype()), scheduler_,
                ".load_state_dict: entry \"", full_key, "\" should be a floating-point tensor");
    return t;
}

double StateReader::scalar(const std::string& key) {
    const Tensor& t = entry(key);
    EMBER_CHECK(t.dim() == 0, scheduler_, ".load_state_dict: entry \"", prefix_ + key,
                "\" should be a single number (0-dim), got shape ", shape_str(t.sizes()));
    return t.item<double>();
}

int64_t StateReader::integer(const std::string& key) {
    const double v = scalar(key);
    EMBER_CHECK(std::isfinite(v) && v == std::floor(v), scheduler_, ".load_state_dict: entry \"",
                prefix_ + key, "\" should be an integer, got ", v);
    return static_cast<int64_t>(v);
}

std::vector<double> StateReader::list(const std::string& key, int64_t size) {
    const Tensor& t = entry(key);
    EMBER_CHECK(t.dim() == 1 && (size < 0 || t.numel() == size), scheduler_,
                ".load_state_dict: entry \"", prefix_ + key, "\" should hold ",
                size < 0 ? std::string("a list") : ember::detail::str_cat(size, " values"),
                " (1-dim), got shape ", shape_str(t.sizes()));
    const Tensor values = t.cpu().to(DType::Float64).contiguous();
    const double* p = values.data_ptr<double>();
    return std::vector<double>(p, p + values.numel());
}

void StateReader::check_all_read() const {
    for (const auto& [key, value] : in_)
        EMBER_CHECK(std::find(read_->begin(), read_->end(), key) != read_->end(), scheduler_,
                    ".load_state_dict: unexpected entry \"", key, "\"");
}

}  // namespace detail

// ---- LRScheduler ----------------------------------------------------------------------------

LRScheduler::LRScheduler(std::string name, Optimizer& optimizer, int64_t last_epoch)
    : name_(std::move(name)), optimizer_(&optimizer) {
    std::vector<ParamGroup>& groups = optimizer.param_groups();
    for (size_t i = 0; i < groups.size(); ++i) {
        Options& options = groups[i].options;
        if (last_epoch == -1) {
            if (!options.contains("initial_lr")) options.set("initial_lr", groups[i].lr());
        } else {
            EMBER_CHECK(options.contains("initial_lr"), name_,
                        ": param 'initial_lr' is not specified in param_groups[", i,
                        "] when resuming an optimizer");
        }
    }
    for (const ParamGroup& g : groups) base_lrs_.push_back(g.options.number("initial_lr"));
    last_epoch_ = last_epoch;
}

LRScheduler::LRScheduler(std::string name, Optimizer& optimizer, Composite)
    : name_(std::move(name)), optimizer_(&optimizer) {}

LRScheduler::~LRScheduler() = default;

void LRScheduler::fail(const std::string& message) const { EMBER_ERROR(name_, ": ", message); }

std::vector<double> LRScheduler::group_lrs() const {
    std::vector<double> lrs;
    for (const ParamGroup& g : optimizer_->param_groups()) lrs.push_back(g.lr());
    return lrs;
}

void LRScheduler::initial_step() {
    optimizer_steps_at_init_ = optimizer_->step_calls();
    step_count_ = 0;
    advance(std::nullopt);
}

void LRScheduler::step() { advance(std::nullopt); }

void LRScheduler::step(int64_t epoch) {
    warn(kEpochDeprecationWarning);
    advance(static_cast<double>(epoch));
}

void LRScheduler::advance(std::optional<double> epoch) {
    // The constructor's step was the first; warn on the user's first one if the optimizer has
    // not stepped since (PyTorch resets the optimizer's count when a scheduler is built).
    if (step_count_ == 1 && optimizer_->step_calls() - optimizer_steps_at_init_ < 1)
        warn(kStepOrderWarning);
    ++step_count_;
    std::vector<double> lrs;
    if (!epoch) {
        ++last_epoch_;
        lrs = get_lr();
    } else {
        last_epoch_ = static_cast<int64_t>(std::floor(*epoch));
        std::optional<std::vector<double>> closed = closed_form_lr();
        lrs = closed ? std::move(*closed) : get_lr();
    }
    apply_lrs(lrs);
}

void LRScheduler::apply_lrs(const std::vector<double>& lrs) {
    std::vector<ParamGroup>& groups = optimizer_->param_groups();
    EMBER_ASSERT(lrs.size() == groups.size(), "scheduler ", name_, " computed ", lrs.size(),
                 " lrs for ", groups.size(), " groups");
    for (size_t i = 0; i < groups.size(); ++i) groups[i].set_lr(lrs[i]);
    last_lr_ = group_lrs();
}

void LRScheduler::write_state(detail::StateWriter& out) const {
    out.list("base_lrs", base_lrs_);
    out.scalar("last_epoch", static_cast<double>(last_epoch_));
    out.scalar("_step_count", static_cast<double>(step_count_));
    out.list("_last_lr", last_lr_);
}

void LRScheduler::read_state(detail::StateReader& in) {
    const auto groups = static_cast<int64_t>(num_groups());
    base_lrs_ = in.list("base_lrs", groups);
    last_epoch_ = in.integer("last_epoch");
    step_count_ = in.integer("_step_count");
    last_lr_ = in.list("_last_lr", groups);
}

OrderedDict<Tensor> LRScheduler::state_dict() const {
    OrderedDict<Tensor> out;
    detail::StateWriter writer(out);
    write_state(writer);
    return out;
}

void LRScheduler::load_state_dict(const OrderedDict<Tensor>& state_dict) {
    const OrderedDict<Tensor> backup = this->state_dict();
    try {
        detail::StateReader reader(state_dict, name_);
        read_state(reader);
        reader.check_all_read();
    } catch (...) {
        detail::StateReader restore(backup, name_);
        read_state(restore);
        throw;
    }
}

// ---- SequentialLR ---------------------------------------------------------------------------

SequentialLR::SequentialLR(Optimizer& optimizer,
                           std::vector<std::reference_wrapper<LRScheduler>> schedulers,
                           std::vector<int64_t> milestones, int64_t last_epoch)
    : LRScheduler("SequentialLR", optimizer, Composite{}),
      schedulers_(std::move(schedulers)),
      milestones_(std::move(milestones)) {
    for (size_t i = 0; i < schedulers_.size(); ++i)
        EMBER_CHECK(&schedulers_[i].get().optimizer() == &optimizer,
                    "SequentialLR: Sequential Schedulers expects all schedulers to belong to the "
                    "same optimizer, but got schedulers at index ",
                    i, " to be different than the optimizer passed in.");
    EMBER_CHECK(milestones_.size() + 1 == schedulers_.size(),
                "SequentialLR: Sequential Schedulers expects number of schedulers provided to be "
                "one more than the number of milestone points, but got number of schedulers ",
                schedulers_.size(), " and the number of milestones to be equal to ",
                milestones_.size());
    last_epoch_ = last_epoch + 1;
    // Back to the initial lrs, and undo the initial step every scheduler made when it was built:
    // the first one starts over now, the others when their milestone comes.
    for (ParamGroup& g : optimizer.param_groups()) g.set_lr(g.options.number("initial_lr"));
    for (LRScheduler& s : schedulers_) --s.last_epoch_;
    schedulers_[0].get().initial_step();
    last_lr_ = schedulers_[0].get().get_last_lr();
}

void SequentialLR::advance(std::optional<double> epoch) {
    if (epoch) fail("step(epoch) is not supported; call step()");
    ++last_epoch_;
    const auto idx =
        static_cast<size_t>(std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) -
                            milestones_.begin());
    LRScheduler& scheduler = schedulers_[idx];
    // A scheduler taking over restarts at epoch 0 (PyTorch calls step(0); its deprecation
    // warning there is a known defect, fixed upstream in pytorch/pytorch#149392, so none here).
    if (idx > 0 && milestones_[idx - 1] == last_epoch_)
        scheduler.advance(0.0);
    else
        scheduler.advance(std::nullopt);
    last_lr_ = scheduler.get_last_lr();
}

void SequentialLR::write_state(detail::StateWriter& out) const {
    std::vector<double> milestones(milestones_.begin(), milestones_.end());
    out.list("_milestones", milestones);
    out.scalar("last_epoch", static_cast<double>(last_epoch_));
    out.list("_last_lr", last_lr_);
    for (size_t i = 0; i < schedulers_.size(); ++i) {
        detail::StateWriter nested = out.nested("_schedulers." + std::to_string(i));
        schedulers_[i].get().write_state(nested);
    }
}

void SequentialLR::read_state(detail::StateReader& in) {
    const std::vector<double> milestones =
        in.list("_milestones", static_cast<int64_t>(milestones_.size()));
    for (size_t i = 0; i < milestones.size(); ++i)
        milestones_[i] = static_cast<int64_t>(std::llround(milestones[i]));
    last_epoch_ = in.integer("last_epoch");
    last_lr_ = in.list("_last_lr", static_cast<int64_t>(num_groups()));
    for (size_t i = 0; i < schedulers_.size(); ++i) {
        detail::StateReader nested = in.nested("_schedulers." + std::to_string(i));
        schedulers_[i].get().read_state(nested);
    }
}

// ---- ChainedScheduler -----------------------------------------------------------------------

namespace {

Optimizer& first_optimizer(const std::vector<std::reference_wrapper<LRScheduler>>& schedulers) {
    EMBER_CHECK(!schedulers.empty(), "ChainedScheduler: expected at least one scheduler");
    return schedulers[0].get().optimizer();
}

}  // namespace

ChainedScheduler::ChainedScheduler(std::vector<std::reference_wrapper<LRScheduler>> schedulers)
    : LRScheduler("ChainedScheduler", first_optimizer(schedulers), Composite{}),
      schedulers_(std::move(schedulers)) {
    for (size_t i = 1; i < schedulers_.size(); ++i)
        EMBER_CHECK(&schedulers_[i].get().optimizer() == &optimizer(),
                    "ChainedScheduler: ChainedScheduler expects all schedulers to belong to the "
                    "same optimizer, but got schedulers at index 0 and ",
                    i, " to be different");
    last_epoch_ = schedulers_.back().get().last_epoch();
    last_lr_ = group_lrs();
}

void ChainedScheduler::advance(std::optional<double> epoch) {
    if (epoch) fail("step(epoch) is not supported; call step()");
    for (LRScheduler& s : schedulers_) s.advance(std::nullopt);
    last_epoch_ = schedulers_.back().get().last_epoch();
    last_lr_ = group_lrs();
}

void ChainedScheduler::write_state(detail::StateWriter& out) const {
    out.list("_last_lr", last_lr_);
    for (size_t i = 0; i < schedulers_.size(); ++i) {
        detail::StateWriter nested = out.nested("_schedulers." + std::to_string(i));
        schedulers_[i].get().write_state(nested);
    }
}

void ChainedScheduler::read_state(detail::StateReader& in) {
    last_lr_ = in.list("_last_lr", static_cast<int64_t>(num_groups()));
    for (size_t i = 0; i < schedulers_.size(); ++i) {
        detail::StateReader nested = in.nested("_schedulers." + std::to_string(i));
        schedulers_[i].get().read_state(nested);
    }
    last_epoch_ = schedulers_.back().get().last_epoch();
}

}  // namespace ember::optim::lr_scheduler

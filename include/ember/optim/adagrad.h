// optim::Adagrad: per-coordinate learning rates from the sum of squared gradients, with lr
// decay, weight decay, an initial accumulator value and maximize, as torch.optim.Adagrad.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdagradOptions {
    double lr = 1e-2;
    double lr_decay = 0;
    double weight_decay = 0;
    double initial_accumulator_value = 0;
    double eps = 1e-10;
    bool maximize = false;
};

// A parameter group; unset options take the optimizer's defaults.
struct AdagradGroup {
    std::vector<Tensor> params;
    std::optional<double> lr, lr_decay, weight_decay, initial_accumulator_value, eps;
    std::optional<bool> maximize;
};

// Unlike the other optimizers, Adagrad's state ("step" 0 and "sum" filled with the defaults'
// initial_accumulator_value) exists from construction for every parameter, as in PyTorch, so
// state_dict() lists parameters that never had a gradient. As in PyTorch, "sum" starts from the
// optimizer's initial_accumulator_value even in a group that sets its own.
class Adagrad : public Optimizer {
public:
    explicit Adagrad(std::vector<Tensor> params, const AdagradOptions& options = {});
    Adagrad(std::vector<AdagradGroup> groups, const AdagradOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const AdagradGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
    // Creates the new parameters' state.
    void on_group_added(ParamGroup& group) override;

private:
    // Creates a parameter's state if it has none.
    ParamState& init_state(const Tensor& param);
};

}  // namespace ember::optim

// optim::RMSprop: gradients scaled by a running average of their squares, with momentum,
// centering, weight decay and maximize, as torch.optim.RMSprop.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct RMSpropOptions {
    double lr = 1e-2;
    double alpha = 0.99;
    double eps = 1e-8;
    double weight_decay = 0;
    double momentum = 0;
    bool centered = false;
    bool maximize = false;
};

// A parameter group; unset options take the optimizer's defaults.
struct RMSpropGroup {
    std::vector<Tensor> params;
    std::optional<double> lr, alpha, eps, weight_decay, momentum;
    std::optional<bool> centered, maximize;
};

class RMSprop : public Optimizer {
public:
    explicit RMSprop(std::vector<Tensor> params, const RMSpropOptions& options = {});
    RMSprop(std::vector<RMSpropGroup> groups, const RMSpropOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const RMSpropGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

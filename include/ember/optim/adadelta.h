// optim::Adadelta: steps scaled by the ratio of running averages of squared updates and
// squared gradients, with weight decay and maximize, as torch.optim.Adadelta.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdadeltaOptions {
    double lr = 1.0;
    double rho = 0.9;
    double eps = 1e-6;
    double weight_decay = 0;
    bool maximize = false;
};

// A parameter group; unset options take the optimizer's defaults.
struct AdadeltaGroup {
    std::vector<Tensor> params;
    std::optional<double> lr, rho, eps, weight_decay;
    std::optional<bool> maximize;
};

class Adadelta : public Optimizer {
public:
    explicit Adadelta(std::vector<Tensor> params, const AdadeltaOptions& options = {});
    Adadelta(std::vector<AdadeltaGroup> groups, const AdadeltaOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const AdadeltaGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

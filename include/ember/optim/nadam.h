// optim::NAdam: Adam with Nesterov momentum and a momentum schedule (momentum_decay), with
// weight decay, as torch.optim.NAdam (PyTorch 1.13 has no maximize flag for it).
//
//   optim::NAdam optimizer(model.parameters(), {.lr = 2e-3, .momentum_decay = 4e-3});
#pragma once

#include <utility>

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct NAdamOptions {
    double lr = 2e-3;
    std::pair<double, double> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 0;
    double momentum_decay = 4e-3;
};

// A parameter group; unset options take the optimizer's defaults.
struct NAdamGroup {
    std::vector<Tensor> params;
    std::optional<double> lr;
    std::optional<std::pair<double, double>> betas;
    std::optional<double> eps, weight_decay, momentum_decay;
};

// Per-parameter state: step, "mu_product" (the product of the momentum schedule so far: a 0-dim
// float32 tensor as PyTorch keeps it, whatever the parameter's dtype, until a state dict is
// loaded, which gives it the parameter's dtype as in PyTorch), "exp_avg", "exp_avg_sq".
class NAdam : public Optimizer {
public:
    explicit NAdam(std::vector<Tensor> params, const NAdamOptions& options = {});
    NAdam(std::vector<NAdamGroup> groups, const NAdamOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const NAdamGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

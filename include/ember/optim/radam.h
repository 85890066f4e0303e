// optim::RAdam: Adam with a rectified adaptive learning rate (plain momentum SGD while the
// variance estimate is unreliable), with weight decay, as torch.optim.RAdam (PyTorch 1.13 has no
// maximize flag for it).
//
//   optim::RAdam optimizer(model.parameters(), {.lr = 1e-3});
#pragma once

#include <utility>

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct RAdamOptions {
    double lr = 1e-3;
    std::pair<double, double> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 0;
};

// A parameter group; unset options take the optimizer's defaults.
struct RAdamGroup {
    std::vector<Tensor> params;
    std::optional<double> lr;
    std::optional<std::pair<double, double>> betas;
    std::optional<double> eps, weight_decay;
};

class RAdam : public Optimizer {
public:
    explicit RAdam(std::vector<Tensor> params, const RAdamOptions& options = {});
    RAdam(std::vector<RAdamGroup> groups, const RAdamOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const RAdamGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

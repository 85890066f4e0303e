// optim::Rprop: resilient backpropagation (per-coordinate step sizes that grow while the
// gradient keeps its sign and shrink when it flips), with maximize, as torch.optim.Rprop.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct RpropOptions {
    double lr = 1e-2;
    std::pair<double, double> etas = {0.5, 1.2};         // (etaminus, etaplus)
    std::pair<double, double> step_sizes = {1e-6, 50};   // (min, max)
    bool maximize = false;
};

// A parameter group; unset options take the optimizer's defaults.
struct RpropGroup {
    std::vector<Tensor> params;
    std::optional<double> lr;
    std::optional<std::pair<double, double>> etas, step_sizes;
    std::optional<bool> maximize;
};

class Rprop : public Optimizer {
public:
    explicit Rprop(std::vector<Tensor> params, const RpropOptions& options = {});
    Rprop(std::vector<RpropGroup> groups, const RpropOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const RpropGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

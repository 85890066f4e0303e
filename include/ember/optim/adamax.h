// optim::Adamax: Adam with the infinity norm in place of the second moment, with weight decay
// and maximize, as torch.optim.Adamax.
//
//   optim::Adamax optimizer(model.parameters(), {.lr = 2e-3});
#pragma once

#include <utility>

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdamaxOptions {
    double lr = 2e-3;
    std::pair<double, double> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 0;
    bool maximize = false;
};

// A parameter group; unset options take the optimizer's defaults.
struct AdamaxGroup {
    std::vector<Tensor> params;
    std::optional<double> lr;
    std::optional<std::pair<double, double>> betas;
    std::optional<double> eps, weight_decay;
    std::optional<bool> maximize;
};

class Adamax : public Optimizer {
public:
    explicit Adamax(std::vector<Tensor> params, const AdamaxOptions& options = {});
    Adamax(std::vector<AdamaxGroup> groups, const AdamaxOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const AdamaxGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

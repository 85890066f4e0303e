// optim::Adam and optim::AdamW: Adam with L2 weight decay (coupled to the gradient) or with
// decoupled weight decay, AMSGrad and maximize, as torch.optim.Adam and torch.optim.AdamW.
//
//   optim::Adam optimizer(model.parameters(), {.lr = 1e-3, .betas = {0.9, 0.99}});
//   optim::AdamW decayed(model.parameters(), {.weight_decay = 0.05, .amsgrad = true});
#pragma once

#include <utility>

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdamOptions {
    double lr = 1e-3;
    std::pair<double, double> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 0;
    bool amsgrad = false;
    bool maximize = false;
};

// AdamW's defaults differ from Adam's in weight_decay only.
struct AdamWOptions {
    double lr = 1e-3;
    std::pair<double, double> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 1e-2;
    bool amsgrad = false;
    bool maximize = false;
};

// A parameter group of Adam or AdamW; unset options take the optimizer's defaults.
struct AdamGroup {
    std::vector<Tensor> params;
    std::optional<double> lr;
    std::optional<std::pair<double, double>> betas;
    std::optional<double> eps, weight_decay;
    std::optional<bool> amsgrad, maximize;
};
using AdamWGroup = AdamGroup;

class Adam : public Optimizer {
public:
    explicit Adam(std::vector<Tensor> params, const AdamOptions& options = {});
    Adam(std::vector<AdamGroup> groups, const AdamOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const AdamGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

class AdamW : public Optimizer {
public:
    explicit AdamW(std::vector<Tensor> params, const AdamWOptions& options = {});
    AdamW(std::vector<AdamWGroup> groups, const AdamWOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const AdamWGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

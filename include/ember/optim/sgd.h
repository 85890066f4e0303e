// optim::SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum, weight
// decay and maximize, as torch.optim.SGD.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct SGDOptions {
    double lr = 1e-3;
    double momentum = 0;
    double dampening = 0;
    double weight_decay = 0;
    bool nesterov = false;
    bool maximize = false;
};

// A parameter group; unset options take the optimizer's defaults.
struct SGDGroup {
    std::vector<Tensor> params;
    std::optional<double> lr, momentum, dampening, weight_decay;
    std::optional<bool> nesterov, maximize;
};

class SGD : public Optimizer {
public:
    explicit SGD(std::vector<Tensor> params, const SGDOptions& options = {});
    SGD(std::vector<SGDGroup> groups, const SGDOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const SGDGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

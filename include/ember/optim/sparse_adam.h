// optim::SparseAdam: the lazy Adam for sparse gradients (nn::Embedding(sparse=true)), as
// torch.optim.SparseAdam: only the rows present in a step's gradient move, and their moments.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct SparseAdamOptions {
    double lr = 1e-3;
    std::pair<double, double> betas{0.9, 0.999};
    double eps = 1e-8;
    bool maximize = false;
};

struct SparseAdamGroup {
    std::vector<Tensor> params;
    std::optional<double> lr;
    std::optional<std::pair<double, double>> betas;
    std::optional<double> eps;
    std::optional<bool> maximize;
};

class SparseAdam : public Optimizer {
public:
    explicit SparseAdam(std::vector<Tensor> params, const SparseAdamOptions& options = {});
    SparseAdam(std::vector<SparseAdamGroup> groups, const SparseAdamOptions& defaults = {});

    using Optimizer::add_param_group;
    void add_param_group(const SparseAdamGroup& group);

protected:
    void validate(const Options& options) const override;
    void update(ParamGroup& group) override;
};

}  // namespace ember::optim

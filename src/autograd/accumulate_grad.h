// AccumulateGrad: the node at the end of every path to a leaf that requires grad; adds the
// gradient that reaches it into the leaf's grad() (PyTorch's accumulation rules).
#pragma once

#include "ember/autograd/node.h"
#include "ember/core/tensor.h"

namespace ember::autograd {

class AccumulateGrad final : public Node {
public:
    explicit AccumulateGrad(Tensor leaf);
    std::string name() const override { return "AccumulateGrad"; }
    TensorList apply(TensorList&& grads) override;
    void call_tensor_hooks(TensorList& grads) override;
    const Tensor& variable() const { return leaf_; }

private:
    Tensor leaf_;
};

}  // namespace ember::autograd

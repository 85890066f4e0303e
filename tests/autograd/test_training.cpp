// The seed's training loop on raw tensors (seed rows 14-16): forward, MSE, zero_grad,
// backward, SGD with momentum and a LambdaLR schedule, 100 epochs. Converges to PyTorch's
// weights from the same start (tools/golden/autograd_training.py runs torch.optim).
#include <gtest/gtest.h>

#include <cmath>

#include "ember/ember.h"
#include "support/golden.h"

namespace ember {
namespace {

using test::load_golden;
using test::tensor_from_json;

TEST(AutogradTraining, SeedLoopMatchesPyTorch) {
    auto fx = load_golden("autograd_training");
    Tensor x = tensor_from_json(fx["x"]), y = tensor_from_json(fx["y"]);
    Tensor w = tensor_from_json(fx["w0"]).requires_grad_();
    Tensor b = tensor_from_json(fx["b0"]).requires_grad_();
    TensorList params{w, b}, momentum_buffers(2);
    const double base_lr = 0.01, momentum = 0.9;
    std::vector<float> epoch_losses;
    for (int epoch = 0; epoch < 100; ++epoch) {
        const double lr = base_lr * std::pow(0.95, epoch);  // LambdaLR(0.95 ** epoch)
        Tensor loss;
        for (int64_t i = 0; i < 50; i += 10) {
            Tensor xb = x.narrow(0, i, 10), yb = y.narrow(0, i, 10);
            Tensor yhat = xb * w + b;
            loss = (yhat - yb).pow(2).mean();
            for (Tensor& p : params)  // optimizer.zero_grad() (PyTorch 1.13 zeroes in place)
                if (p.grad().defined()) p.mutable_grad().zero_();
            loss.backward();
            NoGradGuard no_grad;  // optimizer.step(): SGD with momentum, PyTorch's update
            for (size_t k = 0; k < params.size(); ++k) {
                const Tensor& g = params[k].grad();
                if (!momentum_buffers[k].defined()) momentum_buffers[k] = g.clone();
                else momentum_buffers[k].mul_(momentum).add_(g);
                params[k].add_(momentum_buffers[k], -lr);
            }
        }
        epoch_losses.push_back(loss.item<float>());
    }
    EXPECT_TENSOR_CLOSE(tensor(epoch_losses), tensor_from_json(fx["epoch_losses"]), 1e-5, 1e-6);
    EXPECT_TENSOR_CLOSE(w.detach(), tensor_from_json(fx["w"]), 1e-6, 1e-7);
    EXPECT_TENSOR_CLOSE(b.detach(), tensor_from_json(fx["b"]), 1e-6, 1e-7);
    EXPECT_NEAR(w.item<double>(), 3.0, 0.05);  // it did converge
}

}  // namespace
}  // namespace ember

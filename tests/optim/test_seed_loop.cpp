// The seed's full training loop (seed rows 11, 14-16) against PyTorch's run from the same seed
// (tools/golden/optim_seed_loop.py): nn::Linear(1, 1) initialised by ember::manual_seed, data
// drawn from the same generator, nn::MSELoss, optim::SGD with momentum, LambdaLR stepped once per
// epoch, 100 epochs of shuffled minibatches. Reaches PyTorch's final weights.
#include <cmath>

#include "support/golden.h"

namespace ember::test {
namespace {

TEST(SeedLoop, LinearMseSgdLambdaLRMatchesPyTorch) {
    const json fx = load_golden("optim_seed_loop");
    manual_seed(fx.at("seed").get<uint64_t>());
    nn::Linear model(1, 1);
    // Same draws in the same order as PyTorch: weight, bias, x, noise, then a permutation per
    // epoch.
    EXPECT_TENSOR_EQ(model.weight.detach(), tensor_from_json(fx.at("w0")));
    EXPECT_TENSOR_EQ(model.bias.detach(), tensor_from_json(fx.at("b0")));
    const Tensor x = randn({100, 1});
    const Tensor y = 3 * x - 0.5 + 0.1 * randn({100, 1});
    EXPECT_TENSOR_EQ(x, tensor_from_json(fx.at("x")));
    EXPECT_TENSOR_CLOSE(y, tensor_from_json(fx.at("y")), 1e-6, 1e-7);

    nn::MSELoss criterion;
    optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});
    optim::lr_scheduler::LambdaLR scheduler(optimizer,
                                            [](int64_t epoch) { return std::pow(0.95, epoch); });

    std::vector<double> epoch_losses;
    for (int epoch = 0; epoch < 100; ++epoch) {
        const Tensor perm = randperm(100);
        if (epoch == 0) {
            EXPECT_TENSOR_EQ(perm, tensor_from_json(fx.at("first_perm")));
        }
        double total = 0;
        for (int64_t i = 0; i < 100; i += 10) {
            const Tensor idx = perm.narrow(0, i, 10);
            const Tensor xb = index_select(x, 0, idx), yb = index_select(y, 0, idx);
            Tensor loss = criterion(model(xb), yb);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            total += loss.item<double>();
        }
        epoch_losses.push_back(total / 10);
        scheduler.step();
    }
    EXPECT_TENSOR_CLOSE(tensor(epoch_losses, {.dtype = DType::Float64}),
                        tensor_from_json(fx.at("epoch_losses")), 1e-4, 1e-7);
    EXPECT_NEAR(optimizer.param_groups()[0].lr(), fx.at("final_lr").get<double>(),
                1e-12 * fx.at("final_lr").get<double>());
    EXPECT_TENSOR_CLOSE(model.weight.detach(), tensor_from_json(fx.at("w")), 1e-5, 1e-6);
    EXPECT_TENSOR_CLOSE(model.bias.detach(), tensor_from_json(fx.at("b")), 1e-5, 1e-6);
    EXPECT_NEAR(model.weight.item<double>(), 3.0, 0.05);  // it converged to the data's slope
    EXPECT_NEAR(model.bias.item<double>(), -0.5, 0.05);
}

}  // namespace
}  // namespace ember::test

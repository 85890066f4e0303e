// Losses, optimizers and learning-rate schedulers (seed rows 14-15): the usual losses on small
// fixed tensors; the seed's seven optimizers (SGD, Adam, Adamax, Adagrad, RMSprop, Rprop,
// SparseAdam), three steps each on the same problem from the same seed, with their
// hyperparameters; StepLR, MultiStepLR and LambdaLR over eight epochs.
//
//   cmake --build build/release --target seed_14_losses_optimizers && build/release/examples/seed_14_losses_optimizers
#include <ember/ember.h>

#include <cmath>
#include <exception>
#include <iostream>
#include <string>

using namespace ember;
namespace F = ember::nn::functional;
namespace sched = ember::optim::lr_scheduler;

// A group's hyperparameters, "lr=0.1 momentum=0.9 ...", in PyTorch's order.
std::string hyperparameters(const optim::ParamGroup& group) {
    std::string out;
    for (const auto& [key, value] : group.options) out += " " + key + "=" + optim::to_string(value);
    return out;
}

// for step in range(3): optimizer.zero_grad(); loss = criterion(model(x), y); loss.backward();
// optimizer.step()   -- from the same initial weights (torch.manual_seed(1); nn.Linear(2, 1)).
template <class Optimizer, class Options>
void three_steps(const Options& options, const Tensor& x, const Tensor& y) {
    manual_seed(1);
    nn::Linear model(2, 1);
    Optimizer optimizer(model.parameters(), options);
    std::cout << optimizer.name() << hyperparameters(optimizer.param_groups()[0]) << "\n";
    nn::MSELoss criterion;
    for (int step = 0; step < 3; ++step) {
        optimizer.zero_grad();
        Tensor loss = criterion(model(x), y);
        loss.backward();
        optimizer.step();
    }
    std::cout << "  weight " << model.weight.detach() << " bias " << model.bias.detach() << "\n";
}

// for epoch in range(8): optimizer.step(); lrs.append(scheduler.get_last_lr()[0]); scheduler.step()
void eight_epochs(optim::Optimizer& optimizer, sched::LRScheduler& scheduler) {
    std::cout << scheduler.name();
    for (int epoch = 0; epoch < 8; ++epoch) {
        optimizer.step();
        std::cout << " " << scheduler.get_last_lr()[0];
        scheduler.step();
    }
    std::cout << "\n";
}

int main() {
    try {
        // pred = torch.tensor([2.5, 0.0, 2.0, 8.0]); truth = torch.tensor([3.0, -0.5, 2.0, 7.0])
        Tensor pred = tensor({2.5, 0.0, 2.0, 8.0}), truth = tensor({3.0, -0.5, 2.0, 7.0});
        std::cout << "MSELoss: " << nn::MSELoss()(pred, truth) << "\n"
                  << "L1Loss: " << nn::L1Loss()(pred, truth) << "\n"
                  << "SmoothL1Loss: " << nn::SmoothL1Loss()(pred, truth) << "\n";
        Tensor logits = tensor({{2.0, 1.0, 0.1}, {0.5, 2.5, 0.3}, {1.2, 0.2, 3.1}});
        Tensor labels = tensor({0, 1, 1});
        std::cout << "CrossEntropyLoss: " << nn::CrossEntropyLoss()(logits, labels) << "\n"
                  // nn.NLLLoss()(F.log_softmax(logits, dim=1), labels)
                  << "NLLLoss: " << nn::NLLLoss()(F::log_softmax(logits, 1), labels) << "\n";
        Tensor probs = tensor({0.9, 0.2, 0.7}), targets = tensor({1.0, 0.0, 0.0});
        std::cout << "BCELoss: " << nn::BCELoss()(probs, targets) << "\n"
                  << "BCEWithLogitsLoss: "
                  << nn::BCEWithLogitsLoss()(tensor({2.0, -1.0, 0.5}), targets) << "\n";

        // torch.manual_seed(0); x = torch.randn(8, 2); y = x @ torch.tensor([[1.0], [-2.0]]) + 0.5
        manual_seed(0);
        Tensor x = randn({8, 2});
        Tensor y = x.matmul(tensor({{1.0}, {-2.0}})) + 0.5;
        // torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), ...
        three_steps<optim::SGD>(optim::SGDOptions{.lr = 0.1, .momentum = 0.9}, x, y);
        three_steps<optim::Adam>(optim::AdamOptions{.lr = 0.1}, x, y);
        three_steps<optim::Adamax>(optim::AdamaxOptions{.lr = 0.1}, x, y);
        three_steps<optim::Adagrad>(optim::AdagradOptions{.lr = 0.1}, x, y);
        three_steps<optim::RMSprop>(optim::RMSpropOptions{.lr = 0.01}, x, y);
        three_steps<optim::Rprop>(optim::RpropOptions{.lr = 0.01}, x, y);

        // SparseAdam: for sparse gradients; rows not looked up stay put.
        // embedding = nn.Embedding(5, 3, sparse=True)
        manual_seed(1);
        nn::Embedding embedding(5, 3, {.sparse = true});
        optim::SparseAdam optimizer(embedding.parameters(), {.lr = 0.1});
        std::cout << optimizer.name() << hyperparameters(optimizer.param_groups()[0]) << "\n";
        Tensor index = tensor({0, 2, 2, 4});
        for (int step = 0; step < 3; ++step) {
            optimizer.zero_grad();
            Tensor loss = embedding(index).pow(2).mean();
            loss.backward();
            optimizer.step();
        }
        std::cout << embedding.weight.detach() << "\n";

        // Each scheduler drives its own SGD(lr=0.1).
        Tensor w = zeros({1}).requires_grad_();
        optim::SGD sgd1({w}, {.lr = 0.1}), sgd2({w}, {.lr = 0.1}), sgd3({w}, {.lr = 0.1});
        // StepLR(optimizer, step_size=3, gamma=0.5)
        sched::StepLR step_lr(sgd1, /*step_size=*/3, /*gamma=*/0.5);
        eight_epochs(sgd1, step_lr);
        // MultiStepLR(optimizer, milestones=[2, 5], gamma=0.1)
        sched::MultiStepLR multi_step_lr(sgd2, /*milestones=*/{2, 5}, /*gamma=*/0.1);
        eight_epochs(sgd2, multi_step_lr);
        // LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
        sched::LambdaLR lambda_lr(sgd3, [](int64_t epoch) { return std::pow(0.95, epoch); });
        eight_epochs(sgd3, lambda_lr);
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

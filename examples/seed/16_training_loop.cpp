// The seed's training loop (seed row 16): MSELoss, SGD(lr=0.01, momentum=0.9) and
// LambdaLR(0.95 ** epoch), 100 epochs over a shuffled DataLoader, on a linear regression
// (y = 2x + 1 with noise); then the seed's point that gradients accumulate until zeroed.
//
//   cmake --build build/release --target seed_16_training_loop && build/release/examples/seed_16_training_loop
#include <ember/ember.h>

#include <cmath>
#include <exception>
#include <iomanip>
#include <iostream>

using namespace ember;

int main() {
    try {
        // torch.manual_seed(0)
        manual_seed(0);
        // x_all = torch.rand(1000, 1); y_all = 2 * x_all + 1 + 0.1 * torch.randn(1000, 1)
        Tensor x_all = rand({1000, 1});
        Tensor y_all = 2 * x_all + 1 + 0.1 * randn({1000, 1});
        // dataloader = DataLoader(TensorDataset(x_all, y_all), batch_size=32, shuffle=True)
        data::TensorDataset dataset(x_all, y_all);
        data::DataLoader dataloader(dataset, {.batch_size = 32, .shuffle = true});
        // model = nn.Linear(1, 1)
        nn::Linear model(1, 1);

        // criterion = torch.nn.MSELoss()
        nn::MSELoss criterion;
        nn::MSELoss& loss_fn = criterion;
        // optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});
        // scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer=optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
        optim::lr_scheduler::LambdaLR scheduler(optimizer,
                                                [](int64_t epoch) { return std::pow(0.95, epoch); });
        // for epoch in range(1, 100+1):
        for (int epoch = 1; epoch <= 100; ++epoch) {
            double epoch_loss = 0;
            // for x, y in dataloader:
            for (auto& [x, y] : dataloader) {
                optimizer.zero_grad();
                Tensor loss = loss_fn(model(x), y);  // loss_fn(model(x), y).backward(), loss kept
                loss.backward();
                optimizer.step();
                epoch_loss += loss.item<double>();
            }
            if (epoch % 10 == 0)
                std::cout << "epoch " << epoch << ": loss " << std::fixed << std::setprecision(6)
                          << epoch_loss / dataloader.size() << ", lr " << std::defaultfloat
                          << scheduler.get_last_lr()[0] << "\n";
            scheduler.step();
        }
        std::cout << "weight " << model.weight.detach() << " bias " << model.bias.detach() << "\n";

        // Gradients accumulate: a second backward adds to the first. A fresh model, whose
        // gradients are far from zero (the trained one's are nearly zero).
        manual_seed(1);
        nn::Linear fresh(1, 1);
        optim::SGD fresh_optimizer(fresh.parameters(), {.lr = 0.01});
        loss_fn(fresh(x_all), y_all).backward();
        std::cout << "after one backward: " << fresh.weight.grad() << " " << fresh.bias.grad() << "\n";
        loss_fn(fresh(x_all), y_all).backward();
        std::cout << "after two backwards: " << fresh.weight.grad() << " " << fresh.bias.grad() << "\n";
        // optimizer.zero_grad(set_to_none=False): zeros (PyTorch 1.13's default) ...
        fresh_optimizer.zero_grad(/*set_to_none=*/false);
        std::cout << "zero_grad(set_to_none=False): " << fresh.weight.grad() << " "
                  << fresh.bias.grad() << "\n";
        // ... optimizer.zero_grad(set_to_none=True): no gradient (PyTorch 2's default and ember's)
        fresh_optimizer.zero_grad(/*set_to_none=*/true);
        std::cout << "zero_grad(set_to_none=True): "
                  << (fresh.weight.grad().defined() ? "False" : "True") << " "
                  << (fresh.bias.grad().defined() ? "False" : "True") << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

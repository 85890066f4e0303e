// W1 linreg, ember's side (bench/README.md, "Workloads"): Linear(1,1) fitted to 1000 noisy points
// of y = 2x + 1 with MSE, SGD(lr 0.01, momentum 0.9) and LambdaLR(0.95^epoch), 100 epochs of
// shuffled batches of 32 (3200 steps), through the DataLoader and through randperm +
// index_select. A step is framework overhead only; w1_linreg_torch.cpp does the same in LibTorch.
#include <ember/ember.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "report.h"

namespace {

using ember::Tensor;
namespace F = ember::nn::functional;

constexpr const char* kWorkload = "W1 linreg";
constexpr int64_t kPoints = 1000;
constexpr int64_t kBatch = 32;

struct Outcome {
    double ms = 0;
    double last_epoch_loss = 0;  // mean batch loss of the last epoch
    double mse = 0;              // over the 1000 points, after training
    double weight = 0;
    double bias = 0;
};

// One run from a fresh seed: data, model and optimizer (untimed), then the timed epochs.
Outcome train(bool dataloader, int epochs) {
    ember::manual_seed(42);
    const Tensor x = ember::rand({kPoints, 1});
    const Tensor y = 2 * x + 1 + 0.1 * ember::randn({kPoints, 1});
    ember::nn::Linear model(1, 1);
    ember::optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});
    ember::optim::lr_scheduler::LambdaLR scheduler(
        optimizer, [](int64_t epoch) { return std::pow(0.95, static_cast<double>(epoch)); });

    Outcome out;
    auto step = [&](const Tensor& xb, const Tensor& yb) {
        optimizer.zero_grad();
        Tensor loss = F::mse_loss(model(xb), yb);
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    };
    out.ms = bench::time_it([&] {
        if (dataloader) {
            ember::data::TensorDataset dataset(x, y);
            ember::data::DataLoader loader(dataset, {.batch_size = kBatch, .shuffle = true});
            for (int epoch = 0; epoch < epochs; ++epoch) {
                double epoch_loss = 0;
                int64_t steps = 0;
                for (auto& [xb, yb] : loader) {
                    epoch_loss += step(xb, yb);
                    ++steps;
                }
                out.last_epoch_loss = epoch_loss / static_cast<double>(steps);
                scheduler.step();
            }
        } else {
            for (int epoch = 0; epoch < epochs; ++epoch) {
                const Tensor perm = ember::randperm(kPoints);
                double epoch_loss = 0;
                int64_t steps = 0;
                for (int64_t start = 0; start < kPoints; start += kBatch) {
                    const Tensor index = perm.narrow(0, start, std::min(kBatch, kPoints - start));
                    epoch_loss += step(x.index_select(0, index), y.index_select(0, index));
                    ++steps;
                }
                out.last_epoch_loss = epoch_loss / static_cast<double>(steps);
                scheduler.step();
            }
        }
    });

    ember::NoGradGuard no_grad;
    out.mse = F::mse_loss(model(x), y).item<double>();
    out.weight = model.weight.item<double>();
    out.bias = model.bias.item<double>();
    return out;
}

void measure(bool dataloader, const bench::Args& args) {
    const int epochs = args.quick ? 5 : 100;
    const std::string metric = std::to_string(epochs) + " epochs, " +
                               (dataloader ? "DataLoader" : "randperm + index_select");
    train(dataloader, epochs);  // warm-up, not recorded
    std::vector<double> samples;
    Outcome last;
    for (int rep = 0; rep < args.reps; ++rep) {
        last = train(dataloader, epochs);
        samples.push_back(last.ms);
    }
    bench::emit(kWorkload, metric, "ms", samples);
    const std::string variant = dataloader ? "DataLoader: " : "index_select: ";
    bench::emit_check(kWorkload, variant + "last epoch mean batch loss", last.last_epoch_loss);
    bench::emit_check(kWorkload, variant + "full-data MSE", last.mse);
    bench::emit_check(kWorkload, variant + "weight", last.weight);
    bench::emit_check(kWorkload, variant + "bias", last.bias);
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Args args = bench::parse_args(argc, argv);
    ember::set_num_threads(args.threads);
    measure(/*dataloader=*/true, args);
    measure(/*dataloader=*/false, args);
    bench::emit_peak_rss();
    return 0;
}

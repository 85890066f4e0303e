// W1 linreg, LibTorch's side of w1_linreg.cpp (bench/README.md, "Workloads"): Linear(1,1) fitted to
// 1000 noisy points of y = 2x + 1 with MSE, SGD(lr 0.01, momentum 0.9) and LambdaLR(0.95^epoch),
// 100 epochs of shuffled batches of 32 (3200 steps), through torch::data (a custom Dataset,
// Stack, RandomSampler) and through randperm + index_select.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "report.h"

extern "C" void openblas_set_num_threads(int);

namespace {

constexpr const char* kWorkload = "W1 linreg";
constexpr int64_t kPoints = 1000;
constexpr int64_t kBatch = 32;

// torch.optim.lr_scheduler.LambdaLR, which LibTorch 1.13 lacks: lr = base_lr * lr_lambda(epoch).
// LRScheduler::step() asks get_lrs() before it counts the step, so the epoch being entered is
// step_count_ + 1.
class LambdaLR : public torch::optim::LRScheduler {
public:
    LambdaLR(torch::optim::Optimizer& optimizer, std::function<double(int64_t)> lr_lambda)
        : LRScheduler(optimizer), lr_lambda_(std::move(lr_lambda)), base_lrs_(get_current_lrs()) {}

private:
    std::vector<double> get_lrs() override {
        std::vector<double> lrs = base_lrs_;
        for (double& lr : lrs) lr *= lr_lambda_(static_cast<int64_t>(step_count_) + 1);
        return lrs;
    }
    std::function<double(int64_t)> lr_lambda_;
    std::vector<double> base_lrs_;
};

// A TensorDataset: sample i is {x[i], y[i]}.
class PointDataset : public torch::data::datasets::Dataset<PointDataset> {
public:
    PointDataset(torch::Tensor x, torch::Tensor y) : x_(std::move(x)), y_(std::move(y)) {}
    torch::data::Example<> get(size_t index) override {
        const auto i = static_cast<int64_t>(index);
        return {x_[i], y_[i]};
    }
    torch::optional<size_t> size() const override { return static_cast<size_t>(x_.size(0)); }

private:
    torch::Tensor x_, y_;
};

struct Outcome {
    double ms = 0;
    double last_epoch_loss = 0;  // mean batch loss of the last epoch
    double mse = 0;              // over the 1000 points, after training
    double weight = 0;
    double bias = 0;
};

// One run from a fresh seed: data, model and optimizer (untimed), then the timed epochs.
Outcome train(bool dataloader, int epochs) {
    torch::manual_seed(42);
    const torch::Tensor x = torch::rand({kPoints, 1});
    const torch::Tensor y = 2 * x + 1 + 0.1 * torch::randn({kPoints, 1});
    torch::nn::Linear model(1, 1);
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    LambdaLR scheduler(optimizer,
                       [](int64_t epoch) { return std::pow(0.95, static_cast<double>(epoch)); });

    Outcome out;
    auto step = [&](const torch::Tensor& xb, const torch::Tensor& yb) {
        optimizer.zero_grad();
        torch::Tensor loss = torch::mse_loss(model(xb), yb);
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    };
    out.ms = bench::time_it([&] {
        if (dataloader) {
            auto loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
                PointDataset(x, y).map(torch::data::transforms::Stack<>()),
                torch::data::DataLoaderOptions().batch_size(kBatch).workers(0));
            for (int epoch = 0; epoch < epochs; ++epoch) {
                double epoch_loss = 0;
                int64_t steps = 0;
                for (auto& batch : *loader) {
                    epoch_loss += step(batch.data, batch.target);
                    ++steps;
                }
                out.last_epoch_loss = epoch_loss / static_cast<double>(steps);
                scheduler.step();
            }
        } else {
            for (int epoch = 0; epoch < epochs; ++epoch) {
                const torch::Tensor perm = torch::randperm(kPoints);
                double epoch_loss = 0;
                int64_t steps = 0;
                for (int64_t start = 0; start < kPoints; start += kBatch) {
                    const torch::Tensor index =
                        perm.narrow(0, start, std::min(kBatch, kPoints - start));
                    epoch_loss += step(x.index_select(0, index), y.index_select(0, index));
                    ++steps;
                }
                out.last_epoch_loss = epoch_loss / static_cast<double>(steps);
                scheduler.step();
            }
        }
    });

    torch::NoGradGuard no_grad;
    out.mse = torch::mse_loss(model(x), y).item<double>();
    out.weight = model->weight.item<double>();
    out.bias = model->bias.item<double>();
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
    torch::set_num_threads(args.threads);
    openblas_set_num_threads(args.threads);
    measure(/*dataloader=*/true, args);
    measure(/*dataloader=*/false, args);
    bench::emit_peak_rss();
    return 0;
}

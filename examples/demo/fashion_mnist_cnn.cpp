// `make demo`: the seed's CNN trained on Fashion-MNIST the way the seed trains its models:
// transforms.Compose([ToTensor(), Normalize((0.5,), (1.0,))]), a shuffled DataLoader with two
// workers, SGD with momentum and LambdaLR(0.95 ** epoch), model.train() for each epoch and a
// no-grad validation pass in model.eval(), with a progress bar, per-epoch losses and accuracy
// (ember::metrics), TensorBoard logs under runs/ and a safetensors checkpoint every epoch.
//
//   fashion_mnist_cnn [--epochs 5] [--batch-size 64] [--lr 0.01] [--workers 2] [--threads 0]
//                     [--device cpu] [--data data] [--logdir runs/fashion_mnist_cnn]
//                     [--checkpoints checkpoints/fashion_mnist_cnn] [--resume] [--seed 0]
//                     [--seed-exact] [--train-size N] [--test-size N]
//
// Validation uses the 10,000 test images, as the seed's valid_dataset (MNIST(train=False)) does.
#include <ember/ember.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "common/fashion_mnist_files.h"
#include "demo/checkpoint.h"
#include "demo/seed_cnn.h"

namespace fs = std::filesystem;
namespace F = ember::nn::functional;
namespace T = ember::vision::transforms;
using ember::Tensor;

namespace {

struct Flags {
    int64_t epochs = 5;
    int64_t batch_size = 64;
    double lr = 0.01;
    int workers = 2;
    int threads = 0;  // 0: every core
    std::string device = "cpu";
    std::string data = "data";
    std::string logdir = "runs/fashion_mnist_cnn";
    std::string checkpoints = "checkpoints/fashion_mnist_cnn";
    bool resume = false;
    uint64_t seed = 0;
    bool seed_exact = false;
    int64_t train_size = 0;  // 0: all 60,000
    int64_t test_size = 0;   // 0: all 10,000
};

// The first n samples of a dataset (all of them when n is 0 or more than it has).
template <class Dataset>
ember::data::Subset<typename Dataset::sample_type> first(const Dataset& dataset, int64_t n) {
    std::vector<int64_t> indices(
        static_cast<size_t>(n > 0 ? std::min(n, dataset.size()) : dataset.size()));
    std::iota(indices.begin(), indices.end(), int64_t{0});
    return {dataset, std::move(indices)};
}

struct Validation {
    double loss;
    double accuracy;
};

// The seed's validation block: model.eval(); with torch.no_grad(): cross-entropy over the
// loader, here with the mean over images and ember::metrics::Accuracy.
template <class Loader>
Validation validate(ember::nn::Module& model, Loader& loader, const ember::Device& device) {
    model.eval();
    ember::NoGradGuard no_grad;
    ember::metrics::MeanMetric loss;
    ember::metrics::Accuracy accuracy({.task = "multiclass", .num_classes = 10});
    for (auto& [x, y] : loader) {
        const Tensor images = x.to(device), labels = y.to(device);
        const Tensor outputs = model(images);
        loss.update(F::cross_entropy(outputs, labels), static_cast<double>(images.size(0)));
        accuracy.update(outputs, labels);
    }
    return {loss.compute().item<double>(), accuracy.compute().item<double>()};
}

int run(const Flags& flags) {
    const auto start = std::chrono::steady_clock::now();
    if (flags.threads > 0) ember::set_num_threads(flags.threads);
    ember::manual_seed(flags.seed);
    const ember::Device device(flags.device);

    examples::prepare_fashion_mnist(flags.data);
    // transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])
    T::Compose transform({T::ToTensor(), T::Normalize({0.5}, {1.0})});
    namespace datasets = ember::vision::datasets;
    const datasets::FashionMNIST train_images(flags.data, {.train = true, .transform = transform});
    const datasets::FashionMNIST test_images(flags.data, {.train = false, .transform = transform});
    const auto train_set = first(train_images, flags.train_size);
    const auto valid_set = first(test_images, flags.test_size);
    ember::data::DataLoader train_loader(
        train_set, {.batch_size = flags.batch_size, .shuffle = true, .num_workers = flags.workers});
    ember::data::DataLoader valid_loader(valid_set,
                                         {.batch_size = 1000, .num_workers = flags.workers});

    examples::SeedCNN model(flags.seed_exact);
    model.to(device);
    ember::optim::SGD optimizer(model.parameters(), {.lr = flags.lr, .momentum = 0.9});
    ember::optim::lr_scheduler::LambdaLR scheduler(
        optimizer, [](int64_t epoch) { return std::pow(0.95, epoch); });
    const examples::TrainingState state{model, flags.seed_exact, optimizer, scheduler};

    int64_t done = 0;
    if (flags.resume) {
        if (const auto latest = examples::latest_epoch(flags.checkpoints)) {
            examples::load_checkpoint(flags.checkpoints, *latest, state);
            done = *latest;
            std::cout << "resumed from " << examples::epoch_folder(flags.checkpoints, done).string()
                      << " (epoch " << done << ")\n";
        } else {
            std::cout << "no checkpoint in " << flags.checkpoints << ": starting from epoch 1\n";
        }
    }
    std::cout << model << "\n"
              << "Fashion-MNIST: " << train_set.size() << " training images, " << valid_set.size()
              << " validation images; batch " << flags.batch_size << ", "
              << ember::get_num_threads() << " threads, " << flags.workers << " loader workers\n";
    if (done >= flags.epochs) {
        std::cout << "the checkpoint has " << done << " epochs already: raise --epochs to train on\n";
        return 0;
    }
    if (done == 0) {
        const Validation untrained = validate(model, valid_loader, device);
        std::printf("epoch 0: valid loss %.4f, valid accuracy %.2f%% (untrained)\n",
                    untrained.loss, 100 * untrained.accuracy);
    }

    ember::tensorboard::SummaryWriter writer(flags.logdir);
    int64_t step = done * static_cast<int64_t>(train_loader.size());
    for (int64_t epoch = done + 1; epoch <= flags.epochs; ++epoch) {
        const auto epoch_start = std::chrono::steady_clock::now();
        const double lr = optimizer.param_groups()[0].lr();
        model.train();
        ember::metrics::MeanMetric train_loss;
        const std::string desc =
            "epoch " + std::to_string(epoch) + "/" + std::to_string(flags.epochs);
        for (auto& [x, y] : ember::data::progress(train_loader, {.desc = desc})) {
            const Tensor images = x.to(device), labels = y.to(device);
            optimizer.zero_grad();
            Tensor loss = F::cross_entropy(model(images), labels);
            loss.backward();
            optimizer.step();
            train_loss.update(loss.detach());
            writer.add_scalar("Loss/train_step", loss.item<double>(), ++step);
        }
        scheduler.step();
        const Validation valid = validate(model, valid_loader, device);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
        const double mean_train_loss = train_loss.compute().item<double>();
        std::printf("epoch %lld: train loss %.4f, valid loss %.4f, valid accuracy %.2f%%, "
                    "lr %.6f, %.1f s\n",
                    static_cast<long long>(epoch), mean_train_loss, valid.loss,
                    100 * valid.accuracy, lr, seconds);
        std::fflush(stdout);
        writer.add_scalar("Loss/train", mean_train_loss, epoch);
        writer.add_scalar("Loss/valid", valid.loss, epoch);
        writer.add_scalar("Accuracy/valid", valid.accuracy, epoch);
        writer.add_scalar("LearningRate", lr, epoch);
        writer.flush();
        examples::save_checkpoint(flags.checkpoints, epoch, state);
    }
    writer.close();
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("done in %.1f s; checkpoint %s, TensorBoard logs %s "
                "(tensorboard --logdir %s)\n",
                total, examples::epoch_folder(flags.checkpoints, flags.epochs).c_str(),
                flags.logdir.c_str(), fs::path(flags.logdir).parent_path().c_str());
    return 0;
}

}  // namespace

namespace {
// CLI11's PositiveNumber and NonNegativeNumber print the whole double range in their messages;
// these say it plainly.
CLI::Validator above(double bound, bool inclusive, const char* name) {
    return CLI::Validator(
        [=](std::string& value) -> std::string {
            try {
                const double v = std::stod(value);
                if (inclusive ? v >= bound : v > bound) return {};
                char limit[32];
                std::snprintf(limit, sizeof limit, "%g", bound);
                return std::string("must be ") + (inclusive ? "at least " : "above ") + limit +
                       ", not " + value;
            } catch (const std::exception&) {
                return "must be a number, not " + value;
            }
        },
        name);
}
const CLI::Validator positive = above(0, false, "POSITIVE");
const CLI::Validator non_negative = above(0, true, "NONNEGATIVE");
}  // namespace

int main(int argc, char** argv) {
    Flags flags;
    CLI::App app{"Trains the seed's CNN on Fashion-MNIST (ember's `make demo`)."};
    app.add_option("--epochs", flags.epochs, "epochs to train (in all, counting resumed ones)")
        ->check(positive)->capture_default_str();
    app.add_option("--batch-size", flags.batch_size, "training batch size")
        ->check(positive)->capture_default_str();
    app.add_option("--lr", flags.lr, "SGD learning rate (momentum 0.9, LambdaLR 0.95**epoch)")
        ->check(positive)->capture_default_str();
    app.add_option("--workers", flags.workers, "DataLoader worker threads")
        ->check(non_negative)->capture_default_str();
    app.add_option("--threads", flags.threads, "compute threads (0: every core)")
        ->check(non_negative)->capture_default_str();
    app.add_option("--device", flags.device, "cpu or cuda:N")->capture_default_str();
    app.add_option("--data", flags.data, "root holding FashionMNIST/raw/")->capture_default_str();
    app.add_option("--logdir", flags.logdir, "TensorBoard log folder")->capture_default_str();
    app.add_option("--checkpoints", flags.checkpoints, "checkpoint folder (epoch_N/ inside)")
        ->capture_default_str();
    app.add_flag("--resume", flags.resume, "continue from the newest checkpoint");
    app.add_option("--seed", flags.seed, "random seed")->capture_default_str();
    app.add_flag("--seed-exact", flags.seed_exact,
                 "the seed's exact layers, ReLU on the logits included");
    app.add_option("--train-size", flags.train_size, "train on the first N images (0: all)")
        ->check(non_negative);
    app.add_option("--test-size", flags.test_size, "validate on the first N images (0: all)")
        ->check(non_negative);
    CLI11_PARSE(app, argc, argv);
    try {
        return run(flags);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}

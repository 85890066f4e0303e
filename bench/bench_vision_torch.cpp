// The LibTorch half of the vision workloads (bench_vision.cpp): torch::data::datasets::MNIST
// over the decompressed Fashion-MNIST training files (it reads only uncompressed IDX files),
// decoding alone and one epoch through Normalize and Stack at batch 64.
#include <torch/torch.h>

#include "bench_core.h"

namespace bench::libtorch {

void mnist_decode(benchmark::State& state) {
    const std::string root = decompressed_fashion_mnist();
    torch::set_num_threads(1);
    for (auto _ : state) {
        torch::data::datasets::MNIST train(root, torch::data::datasets::MNIST::Mode::kTrain);
        benchmark::DoNotOptimize(train.images().data_ptr());
    }
    report_rate(state, "images/s", 60000.0);
}

void mnist_epoch(benchmark::State& state, int workers) {
    const std::string root = decompressed_fashion_mnist();
    torch::set_num_threads(1);
    torch::manual_seed(0);
    // Its images are already float [N, 1, 28, 28] in [0, 1] (the /255 happens when decoding);
    // the per-sample transform is the seed's Normalize((0.5,), (1.0,)).
    auto dataset = torch::data::datasets::MNIST(root, torch::data::datasets::MNIST::Mode::kTrain)
                       .map(torch::data::transforms::Normalize<>(0.5, 1.0))
                       .map(torch::data::transforms::Stack<>());
    auto loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
        std::move(dataset), torch::data::DataLoaderOptions().batch_size(64).workers(workers));
    for (auto _ : state) {
        int64_t seen = 0;
        for (auto& batch : *loader) seen += batch.data.size(0);
        benchmark::DoNotOptimize(seen);
    }
    report_rate(state, "samples/s", 60000.0);
}

}  // namespace bench::libtorch

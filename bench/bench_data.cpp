// The DataLoader workload of ember_bench_core: one epoch over 60,000 28x28 float32 samples (an
// MNIST-sized TensorDataset) whose get() normalises the image, batch 64, shuffled, with 0, 1 and
// 2 worker threads, in samples per second.
#include <ember/ember.h>

#include "bench_core.h"

namespace bench {

namespace {

constexpr int64_t kSamples = 60000;

// MNIST's per-sample transform: (x - mean) / std.
struct NormalizedImages : ember::data::Dataset<> {
    ember::Tensor images, labels;
    int64_t size() const override { return images.size(0); }
    std::pair<ember::Tensor, ember::Tensor> get(int64_t i) const override {
        return {(images[i] - 0.1307) / 0.3081, labels[i]};
    }
};

}  // namespace

void dataloader_epoch(benchmark::State& state, int workers) {
    set_threads(1);
    ember::manual_seed(0);
    NormalizedImages ds;
    ds.images = ember::rand({kSamples, 28, 28});
    ds.labels = ember::randint(0, 10, {kSamples});
    ember::data::DataLoader loader(ds, {.batch_size = 64, .shuffle = true, .num_workers = workers,
                                        .persistent_workers = workers > 0});
    for (auto _ : state) {
        int64_t seen = 0;
        for (auto& [x, y] : loader) seen += x.size(0);
        benchmark::DoNotOptimize(seen);
    }
    report_rate(state, "samples/s", static_cast<double>(kSamples));
}

}  // namespace bench

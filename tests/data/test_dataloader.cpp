// DataLoader: batch counts, orders against PyTorch, worker-count independence, errors in
// workers, early destruction, timeout, option checks.
#include "support/golden.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "ember/data/data.h"

namespace ember::data {
namespace {

using test::load_golden;
using Batches = std::vector<std::vector<int64_t>>;

std::vector<int64_t> values(const Tensor& t) {
    Tensor c = t.contiguous();
    return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

template <class Loader>
Batches epoch(Loader& loader) {
    Batches out;
    for (auto& [x, y] : loader) out.push_back(values(x));
    return out;
}

// A user dataset over tensors, as the seed writes one.
struct Squares : Dataset<> {
    Tensor x = arange(20);
    int64_t size() const override { return x.size(0); }
    std::pair<Tensor, Tensor> get(int64_t i) const override { return {x[i], x[i] * x[i]}; }
};

TEST(DataLoader, BatchCountsAndDropLast) {
    TensorDataset ds(arange(10), arange(10));
    DataLoader keep(ds, {.batch_size = 4});
    EXPECT_EQ(keep.size(), 3);
    EXPECT_EQ(epoch(keep), (Batches{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
    DataLoader drop(ds, {.batch_size = 4, .drop_last = true});
    EXPECT_EQ(drop.size(), 2);
    EXPECT_EQ(epoch(drop), (Batches{{0, 1, 2, 3}, {4, 5, 6, 7}}));
    DataLoader one(ds);
    EXPECT_EQ(one.size(), 10);
    TensorDataset empty(zeros({0}), zeros({0}));
    DataLoader none(empty, {.batch_size = 3});
    EXPECT_EQ(none.size(), 0);
    EXPECT_TRUE(none.begin() == none.end());
}

TEST(DataLoader, UserDatasetStacksPairs) {
    Squares squares;
    DataLoader loader(squares, {.batch_size = 8});
    int batches = 0;
    for (auto& [x, y] : loader) {
        EXPECT_TENSOR_EQ(y, x * x);
        ++batches;
    }
    EXPECT_EQ(batches, 3);
}

TEST(DataLoader, ShuffleMatchesPyTorchOverTwoEpochs) {
    const auto golden = load_golden("data_samplers");
    for (const auto& c : golden["loaders"]) {
        const uint64_t seed = c["seed"];
        const int64_t n = c["n"];
        manual_seed(seed);
        std::optional<Generator> gen;
        if (c["generator"].get<bool>()) gen = Generator(seed);
        const bool persistent = c["persistent"];
        TensorDataset ds(arange(n), arange(n));
        DataLoader loader(ds, {.batch_size = c["batch_size"].get<int64_t>(), .shuffle = true,
                               .num_workers = persistent ? 1 : 0, .drop_last = c["drop_last"],
                               .generator = gen, .persistent_workers = persistent});
        const auto expected = c["epochs"].get<std::vector<Batches>>();
        EXPECT_EQ(epoch(loader), expected[0]) << "seed " << seed;
        EXPECT_EQ(epoch(loader), expected[1]) << "seed " << seed;
        EXPECT_EQ(rand({1}, {.dtype = float64}).item<double>(), c["global_after"][0].get<double>())
            << "seed " << seed << " generator " << gen.has_value();
        if (gen) {
            EXPECT_EQ(rand({1}, {.dtype = float64}, gen).item<double>(),
                      c["generator_after"][0].get<double>());
        }
    }
}

TEST(DataLoader, SameBatchesWhateverTheWorkerCount) {
    TensorDataset ds(arange(37), arange(37) * 3);
    std::vector<Batches> results;
    for (int workers : {0, 1, 2, 4}) {
        manual_seed(42);
        DataLoader loader(ds, {.batch_size = 5, .shuffle = true, .num_workers = workers});
        Batches both = epoch(loader);
        for (auto& b : epoch(loader)) both.push_back(b);
        results.push_back(both);
    }
    for (size_t i = 1; i < results.size(); ++i) EXPECT_EQ(results[i], results[0]) << i;
    EXPECT_EQ(results[0].size(), 16u);
}

TEST(DataLoader, WorkersSeeTheirInfoAndRunSingleThreaded) {
    struct Probe : Dataset<std::pair<Tensor, int64_t>> {
        int64_t size() const override { return 8; }
        std::pair<Tensor, int64_t> get(int64_t i) const override {
            const WorkerInfo* info = get_worker_info();
            return {full({1}, static_cast<int64_t>(info ? info->id : -1)),
                    get_num_threads() * 100 + (info ? info->num_workers : 0) + 0 * i};
        }
    };
    std::atomic<int> inits{0};
    Probe probe;
    DataLoader loader(probe, {.batch_size = 2, .num_workers = 2,
                              .worker_init_fn = [&](int) { ++inits; }});
    for (int epoch = 0; epoch < 2; ++epoch) {
        for (auto& [id, threads] : loader) {
            EXPECT_GE(id[0].item<int64_t>(), 0);
            EXPECT_EQ(threads[0].item<int64_t>(), 102);  // one intra-op thread, two workers
        }
    }
    EXPECT_EQ(inits.load(), 4);  // the workers end with each epoch and start with the next
    EXPECT_EQ(get_worker_info(), nullptr);
}

TEST(DataLoader, WorkerSeedsComeFromTheLoaderGenerator) {
    // Worker i's seed is base_seed + i, base_seed being one int64 draw of the loader's generator.
    struct Seeds : Dataset<std::pair<Tensor, Tensor>> {
        int64_t size() const override { return 6; }
        std::pair<Tensor, Tensor> get(int64_t) const override {
            const WorkerInfo* info = get_worker_info();
            Generator gen = info->generator;
            return {full({1}, static_cast<int64_t>(info->seed - static_cast<uint64_t>(info->id))),
                    rand({1}, {.dtype = float64}, gen)};
        }
    };
    const uint64_t base_seed = detail::draw_seed(Generator(7));
    Seeds seeds;
    DataLoader loader(seeds, {.num_workers = 2, .generator = Generator(7)});
    for (auto& [base, draw] : loader) EXPECT_EQ(base[0].item<int64_t>(), static_cast<int64_t>(base_seed));
    EXPECT_EQ(get_worker_info(), nullptr);
}

TEST(DataLoader, CustomSamplerBatchSamplerAndCollate) {
    TensorDataset ds(arange(10), arange(10));
    struct Evens : Sampler {
        int64_t i = 0;
        void reset() override { i = 0; }
        std::optional<int64_t> next() override {
            if (i >= 10) return std::nullopt;
            const int64_t out = i;
            i += 2;
            return out;
        }
        int64_t size() const override { return 5; }
    };
    DataLoader evens(ds, {.batch_size = 2, .sampler = std::make_shared<Evens>()});
    EXPECT_EQ(epoch(evens), (Batches{{0, 2}, {4, 6}, {8}}));

    auto batches = std::make_shared<BatchSampler>(std::make_shared<SequentialSampler>(10), 6);
    DataLoader by_batch(ds, {.batch_sampler = batches, .num_workers = 2});
    EXPECT_EQ(by_batch.size(), 2);
    EXPECT_EQ(epoch(by_batch), (Batches{{0, 1, 2, 3, 4, 5}, {6, 7, 8, 9}}));

    using Sample = std::pair<Tensor, Tensor>;
    DataLoader<Sample, int64_t> counts(
        ds, {.batch_size = 3, .collate_fn = [](std::vector<Sample> s) {
                 return static_cast<int64_t>(s.size());
             }});
    std::vector<int64_t> sizes;
    for (int64_t n : counts) sizes.push_back(n);
    EXPECT_EQ(sizes, (std::vector<int64_t>{3, 3, 3, 1}));
}

// Fails on one index; optionally slow.
struct Faulty : Dataset<std::pair<Tensor, Tensor>> {
    int64_t bad = 5;
    int64_t size() const override { return 12; }
    std::pair<Tensor, Tensor> get(int64_t i) const override {
        EMBER_CHECK(i != bad, "Faulty: cannot read record ", i);
        return {full({1}, i), full({1}, i)};
    }
};

TEST(DataLoader, WorkerErrorNamesTheSampleAndLoaderStaysUsable) {
    for (int workers : {0, 2}) {
        Faulty faulty;
        DataLoader loader(faulty, {.batch_size = 2, .num_workers = workers});
        EXPECT_EMBER_ERROR(for (auto& batch : loader) (void)batch, "sample index 5",
                           "Faulty: cannot read record 5");
        // Stepping past the failed batch continues the epoch.
        auto it = loader.begin();
        ++it;
        EXPECT_THROW(++it, Error);
        ++it;
        EXPECT_EQ(values(it->first), (std::vector<int64_t>{6, 7}));
        faulty.bad = -1;
        EXPECT_EQ(epoch(loader).size(), 6u) << workers << " workers";
    }
}

TEST(DataLoader, WorkerInitErrorIsReported) {
    TensorDataset ds(arange(4), arange(4));
    DataLoader loader(ds, {.num_workers = 1,
                           .worker_init_fn = [](int) { throw std::runtime_error("no init"); }});
    EXPECT_EMBER_ERROR(loader.begin(), "worker_init_fn", "no init");
}

struct Slow : Dataset<std::pair<Tensor, Tensor>> {
    std::chrono::milliseconds delay{20};
    int64_t size() const override { return 40; }
    std::pair<Tensor, Tensor> get(int64_t i) const override {
        std::this_thread::sleep_for(delay);
        return {full({1}, i), full({1}, i)};
    }
};

TEST(DataLoader, DestroyedMidEpochJoinsWorkers) {
    Slow slow;
    for (bool persistent : {false, true}) {
        auto loader = std::make_unique<DataLoader<std::pair<Tensor, Tensor>>>(
            slow, DataLoaderOptions<std::pair<Tensor, Tensor>>{
                      .batch_size = 2, .num_workers = 3, .persistent_workers = persistent});
        auto it = loader->begin();
        ++it;
        loader.reset();  // workers are mid-batch; must join without hanging
    }
    // A new epoch started mid-epoch restarts cleanly.
    DataLoader loader(slow, {.batch_size = 10, .num_workers = 2});
    auto it = loader.begin();
    EXPECT_EQ(values(it->first)[0], 0);
    EXPECT_EQ(epoch(loader).size(), 4u);
}

TEST(DataLoader, Timeout) {
    Slow slow;
    slow.delay = std::chrono::milliseconds(200);
    DataLoader loader(slow, {.batch_size = 1, .num_workers = 1, .timeout = 0.02});
    EXPECT_EMBER_ERROR(loader.begin(), "DataLoader timed out after 0.02 seconds");
}

TEST(DataLoader, OptionErrors) {
    TensorDataset ds(arange(4), arange(4));
    using Loader = DataLoader<std::pair<Tensor, Tensor>>;
    auto seq = std::make_shared<SequentialSampler>(4);
    EXPECT_EMBER_ERROR(Loader(ds, {.shuffle = true, .sampler = seq}), "DataLoader",
                       "mutually exclusive with shuffle");
    EXPECT_EMBER_ERROR(Loader(ds, {.batch_size = 2, .batch_sampler = std::make_shared<BatchSampler>(seq, 2)}),
                       "batch_sampler option is mutually exclusive");
    EXPECT_EMBER_ERROR(Loader(ds, {.num_workers = -1}), "num_workers option should be non-negative");
    EXPECT_EMBER_ERROR(Loader(ds, {.timeout = -1}), "timeout option should be non-negative");
    EXPECT_EMBER_ERROR(Loader(ds, {.prefetch_factor = 4}), "prefetch_factor");
    EXPECT_EMBER_ERROR(Loader(ds, {.num_workers = 1, .prefetch_factor = 0}), "prefetch_factor");
    EXPECT_EMBER_ERROR(Loader(ds, {.persistent_workers = true}), "persistent_workers option needs");
    EXPECT_EMBER_ERROR(Loader(ds, {.batch_size = 0}), "batch_size", "0");
}

TEST(DataLoader, OwnsATemporaryDatasetAndMoves) {
    DataLoader loader(TensorDataset(arange(6), arange(6)), {.batch_size = 4, .num_workers = 2,
                                                            .pin_memory = true});
    DataLoader moved = std::move(loader);
    EXPECT_EQ(epoch(moved), (Batches{{0, 1, 2, 3}, {4, 5}}));
}

TEST(Progress, FormatsAndStaysSilentOffTerminal) {
    EXPECT_EQ(ProgressBar::format("train", 5, 10, 2.0, 10),
              "train  5/10 [=====>    ]  50% 2.5 it/s 00:02<00:02");
    EXPECT_EQ(ProgressBar::format("", 3, 0, 1.0, 10), "3 3.0 it/s 00:01");
    EXPECT_EQ(ProgressBar::format("", 0, 4, 0.0, 4), "0/4 [>   ]   0% 0.0 it/s 00:00<?");
    std::FILE* sink = std::tmpfile();
    ASSERT_NE(sink, nullptr);
    TensorDataset ds(arange(6), arange(6));
    DataLoader loader(ds, {.batch_size = 2});
    int batches = 0;
    for (auto& [x, y] : progress(loader, {.desc = "epoch", .stream = sink})) batches += x.numel() > 0;
    EXPECT_EQ(batches, 3);
    EXPECT_EQ(std::ftell(sink), 0);  // a file is not a terminal: nothing written
    for (auto& batch : progress(loader, {.stream = sink, .enabled = true})) (void)batch;
    EXPECT_GT(std::ftell(sink), 0);
    std::fclose(sink);
}

}  // namespace
}  // namespace ember::data

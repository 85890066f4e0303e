// Samplers: orders against PyTorch for seeds 0 and 42 over two passes, and BatchSampler.
#include "support/golden.h"

#include "ember/data/data.h"

namespace ember::data {
namespace {

using test::load_golden;

std::vector<int64_t> drain(Sampler& sampler) {
    sampler.reset();
    std::vector<int64_t> out;
    while (auto i = sampler.next()) out.push_back(*i);
    return out;
}

// The sampler a fixture key names, built as the fixture script builds it.
std::unique_ptr<Sampler> make_sampler(const std::string& key, std::optional<Generator> gen) {
    const std::vector<double> weights{0.1, 2.0, 0.0, 1.0, 0.5, 3.0};
    if (key.starts_with("random_replacement_40"))
        return std::make_unique<RandomSampler>(
            10, RandomSamplerOptions{.replacement = true, .num_samples = 40, .generator = gen});
    if (key.starts_with("random_num_samples_7_of_3"))
        return std::make_unique<RandomSampler>(
            3, RandomSamplerOptions{.num_samples = 7, .generator = gen});
    if (key.starts_with("subset_random"))
        return std::make_unique<SubsetRandomSampler>(std::vector<int64_t>{10, 20, 30, 40, 50}, gen);
    if (key.starts_with("weighted_replacement"))
        return std::make_unique<WeightedRandomSampler>(weights, 9, true, gen);
    if (key.starts_with("weighted_no_replacement"))
        return std::make_unique<WeightedRandomSampler>(weights, 4, false, gen);
    if (key.starts_with("weighted_one"))
        return std::make_unique<WeightedRandomSampler>(weights, 1, true, gen);
    ADD_FAILURE() << "unknown fixture key " << key;
    return nullptr;
}

TEST(Samplers, MatchPyTorchOverTwoPasses) {
    const auto golden = load_golden("data_samplers");
    for (const auto& [key, c] : golden["samplers"].items()) {
        const uint64_t seed = c["seed"];
        manual_seed(seed);
        std::optional<Generator> gen;
        if (c["generator"].get<bool>()) gen = Generator(seed);
        auto sampler = make_sampler(key, gen);
        ASSERT_TRUE(sampler);
        const auto passes = c["passes"].get<std::vector<std::vector<int64_t>>>();
        EXPECT_EQ(drain(*sampler), passes[0]) << key;
        EXPECT_EQ(drain(*sampler), passes[1]) << key;
        // The default generator moved exactly as far as PyTorch's.
        EXPECT_EQ(rand({1}, {.dtype = float64}).item<double>(), c["global_after"][0].get<double>())
            << key;
    }
}

TEST(Samplers, SequentialAndSizes) {
    SequentialSampler seq(4);
    EXPECT_EQ(drain(seq), (std::vector<int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(drain(seq), (std::vector<int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(RandomSampler(5).size(), 5);
    EXPECT_EQ(RandomSampler(5, {.num_samples = 12}).size(), 12);
    SequentialSampler none(0);
    EXPECT_TRUE(drain(none).empty());
}

TEST(Samplers, ReferenceExamples) {
    RandomSampler r(5, {.generator = Generator(0)});
    EXPECT_EQ(drain(r), (std::vector<int64_t>{4, 0, 1, 3, 2}));
    manual_seed(0);
    RandomSampler global(10);
    EXPECT_EQ(drain(global), (std::vector<int64_t>{6, 9, 0, 7, 3, 5, 4, 2, 1, 8}));
    RandomSampler repl(10, {.replacement = true, .num_samples = 5, .generator = Generator(0)});
    EXPECT_EQ(drain(repl), (std::vector<int64_t>{4, 9, 3, 0, 3}));
}

TEST(Samplers, Errors) {
    EXPECT_EMBER_ERROR(RandomSampler(3, {.num_samples = 0}), "RandomSampler", "num_samples=0");
    EXPECT_EMBER_ERROR(WeightedRandomSampler({1.0}, -1), "WeightedRandomSampler", "num_samples=-1");
    WeightedRandomSampler negative({1.0, -1.0}, 2);
    EXPECT_EMBER_ERROR(drain(negative), "multinomial", "element < 0");
    WeightedRandomSampler too_many({1.0, 0.0, 1.0}, 3, false);
    EXPECT_EMBER_ERROR(drain(too_many), "multinomial", "replacement=False");
    EXPECT_EMBER_ERROR(BatchSampler(std::make_shared<SequentialSampler>(3), 0), "BatchSampler",
                       "batch_size=0");
    RandomSampler empty(0, {.num_samples = 2});
    EXPECT_EMBER_ERROR(drain(empty), "RandomSampler", "empty");
}

TEST(BatchSampler, GroupsWithAndWithoutDropLast) {
    auto seq = std::make_shared<SequentialSampler>(10);
    BatchSampler keep(seq, 4);
    BatchSampler drop(seq, 4, true);
    auto all = [](BatchSampler& b) {
        b.reset();
        std::vector<std::vector<int64_t>> out;
        while (auto batch = b.next()) out.push_back(*batch);
        return out;
    };
    EXPECT_EQ(all(keep), (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
    EXPECT_EQ(all(drop), (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
    EXPECT_EQ(keep.size(), 3);
    EXPECT_EQ(drop.size(), 2);
    BatchSampler exact(std::make_shared<SequentialSampler>(8), 4, false);
    EXPECT_EQ(all(exact).size(), 2u);
    EXPECT_EQ(exact.size(), 2);
}

}  // namespace
}  // namespace ember::data

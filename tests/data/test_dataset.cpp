// Datasets: TensorDataset, Subset, ConcatDataset, random_split (against PyTorch), streams.
#include "support/golden.h"

#include "ember/data/data.h"

namespace ember::data {
namespace {

using test::load_golden;

TEST(TensorDataset, ItemsAndSize) {
    TensorDataset ds(arange(10.0), arange(10));
    EXPECT_EQ(ds.size(), 10);
    auto [x, y] = ds.get(3);
    EXPECT_EQ(x.item<double>(), 3.0);
    EXPECT_EQ(y.item<int64_t>(), 3);
    EXPECT_EQ(x.dtype(), float32);
    EXPECT_EQ(y.dtype(), int64);
}

TEST(TensorDataset, Errors) {
    EXPECT_EMBER_ERROR(TensorDataset(zeros({3, 2}), zeros({4})), "TensorDataset", "size mismatch",
                       "3", "4");
    EXPECT_EMBER_ERROR(TensorDataset(zeros({}), zeros({})), "TensorDataset", "dim");
    TensorDataset ds(zeros({3, 2}), zeros({3}));
    EXPECT_EMBER_ERROR(ds.get(3), "TensorDataset", "index 3", "size 3");
    EXPECT_EMBER_ERROR(ds.get(-1), "TensorDataset", "index -1");
}

TEST(TensorDataset, NonContiguousAndEmpty) {
    Tensor data = arange(12.0).view({3, 4}).t();  // 4 samples of 3, strided
    TensorDataset ds(data, arange(4));
    EXPECT_EQ(ds.size(), 4);
    EXPECT_TENSOR_EQ(ds.get(1).first, tensor({1.0f, 5.0f, 9.0f}));
    TensorDataset empty_ds(zeros({0, 2}), zeros({0}));
    EXPECT_EQ(empty_ds.size(), 0);
}

TEST(TensorDataset, OneOrThreeTensorsGiveArraysAndCollate) {
    TensorDataset one(arange(5.0));
    static_assert(std::is_same_v<decltype(one.get(0)), std::array<Tensor, 1>>);
    EXPECT_EQ(one.get(4)[0].item<double>(), 4.0);
    TensorDataset three(arange(6.0).view({3, 2}), arange(3), full({3}, 0.5));
    auto [x, y, w] = three.get(2);
    EXPECT_TENSOR_EQ(x, tensor({4.0f, 5.0f}));
    EXPECT_EQ(y.item<int64_t>(), 2);
    EXPECT_EQ(w.item<float>(), 0.5f);
    // Batches keep the three fields, each stacked.
    DataLoader loader(three, {.batch_size = 2});
    int64_t batches = 0;
    for (auto& batch : loader) {
        EXPECT_EQ(batch[0].size(0), batches == 0 ? 2 : 1);
        EXPECT_EQ(batch[1].dtype(), int64);
        ++batches;
    }
    EXPECT_EQ(batches, 2);
    EXPECT_EMBER_ERROR(TensorDataset(zeros({3}), zeros({3}), zeros({2})), "TensorDataset",
                       "tensor 2 has 2");
    EXPECT_EMBER_ERROR(TensorDataset(Tensor{}), "TensorDataset");
}

TEST(Subset, MapsIndices) {
    TensorDataset ds(arange(10), arange(10) * 2);
    Subset sub(ds, {7, 2, 5});
    EXPECT_EQ(sub.size(), 3);
    EXPECT_EQ(sub.get(0).first.item<int64_t>(), 7);
    EXPECT_EQ(sub.get(2).second.item<int64_t>(), 10);
    EXPECT_EMBER_ERROR(sub.get(3), "Subset", "index 3");
}

TEST(Subset, OwnsATemporary) {
    Subset sub(TensorDataset(arange(4), arange(4)), {3});
    EXPECT_EQ(sub.get(0).first.item<int64_t>(), 3);
}

TEST(ConcatDataset, CumulativeSizesAndNegativeIndices) {
    TensorDataset a(arange(3), arange(3));
    TensorDataset b(arange(10, 14), arange(4));
    ConcatDataset cat(a, b);
    EXPECT_EQ(cat.cumulative_sizes(), (std::vector<int64_t>{3, 7}));
    EXPECT_EQ(cat.size(), 7);
    EXPECT_EQ(cat.get(3).first.item<int64_t>(), 10);
    EXPECT_EQ(cat.get(2).first.item<int64_t>(), 2);
    EXPECT_EQ(cat.get(-1).first.item<int64_t>(), 13);
    EXPECT_EQ(cat.get(-7).first.item<int64_t>(), 0);
    EXPECT_EMBER_ERROR(cat.get(-8), "ConcatDataset", "absolute value of index");
    EXPECT_EMBER_ERROR(cat.get(7), "ConcatDataset", "index 7");
    using Concat = ConcatDataset<std::pair<Tensor, Tensor>>;
    EXPECT_EMBER_ERROR(Concat({}), "ConcatDataset", "empty");
}

TEST(RandomSplit, MatchesPyTorch) {
    const auto golden = load_golden("data_samplers");
    for (const auto& c : golden["splits"]) {
        const uint64_t seed = c["seed"];
        manual_seed(seed);
        std::optional<Generator> gen;
        if (c["generator"].get<bool>()) gen = Generator(seed);
        TensorDataset ds(arange(10), arange(10));
        auto splits = random_split(ds, c["lengths"].get<std::vector<double>>(), gen);
        const auto expected = c["splits"].get<std::vector<std::vector<int64_t>>>();
        ASSERT_EQ(splits.size(), expected.size());
        for (size_t i = 0; i < splits.size(); ++i) {
            EXPECT_EQ(splits[i].indices(), expected[i]) << "seed " << seed << " split " << i;
            for (int64_t j = 0; j < splits[i].size(); ++j)
                EXPECT_EQ(splits[i].get(j).first.item<int64_t>(), expected[i][static_cast<size_t>(j)]);
        }
    }
}

TEST(RandomSplit, FractionsAndErrors) {
    TensorDataset ds(arange(10), arange(10));
    auto sizes = [](const auto& splits) {
        std::vector<int64_t> out;
        for (const auto& s : splits) out.push_back(s.size());
        return out;
    };
    EXPECT_EQ(sizes(random_split(ds, {0.33, 0.33, 0.34})), (std::vector<int64_t>{4, 3, 3}));
    TensorDataset seven(arange(7), arange(7));
    EXPECT_EQ(sizes(random_split(seven, {0.25, 0.25, 0.25, 0.25})),
              (std::vector<int64_t>{2, 2, 2, 1}));
    TensorDataset five(arange(5), arange(5));
    WarningCapture warnings;
    EXPECT_EQ(sizes(random_split(five, {0.1, 0.1, 0.8})), (std::vector<int64_t>{1, 0, 4}));
    ASSERT_EQ(warnings.messages().size(), 1u);
    EXPECT_NE(warnings.messages()[0].find("Length of split at index 1 is 0"), std::string::npos);
    EXPECT_EMBER_ERROR(random_split(ds, {5, 4}), "random_split", "Sum of input lengths");
    EXPECT_EMBER_ERROR(random_split(ds, {0.5, 0.6}), "random_split", "Sum of input lengths");
}

// Counts 0..limit-1 in a stream; reset() starts over.
class Counter : public IterableDataset<std::pair<Tensor, int64_t>> {
public:
    explicit Counter(int64_t limit) : limit_(limit) {}
    void reset() override { next_ = 0; }
    std::optional<std::pair<Tensor, int64_t>> next() override {
        if (next_ >= limit_) return std::nullopt;
        const int64_t i = next_++;
        return std::pair{full({2}, static_cast<double>(i)), i};
    }

private:
    int64_t limit_;
    int64_t next_ = 0;
};

TEST(IterableDataset, BatchesConsecutiveItems) {
    for (int workers : {0, 1, 3}) {
        Counter stream(7);
        DataLoader loader(stream, {.batch_size = 3, .num_workers = workers});
        for (int epoch = 0; epoch < 2; ++epoch) {
            std::vector<std::vector<int64_t>> seen;
            for (auto& [x, y] : loader) {
                EXPECT_EQ(x.size(1), 2);
                seen.push_back(std::vector<int64_t>(y.data_ptr<int64_t>(),
                                                    y.data_ptr<int64_t>() + y.numel()));
            }
            EXPECT_EQ(seen, (std::vector<std::vector<int64_t>>{{0, 1, 2}, {3, 4, 5}, {6}}))
                << workers << " workers";
        }
        DataLoader dropping(stream, {.batch_size = 3, .num_workers = workers, .drop_last = true});
        int batches = 0;
        for (auto& batch : dropping) batches += batch.second.numel() == 3;
        EXPECT_EQ(batches, 2);
    }
}

TEST(IterableDataset, RejectsSamplingOptions) {
    Counter stream(3);
    using Loader = DataLoader<std::pair<Tensor, int64_t>>;
    EXPECT_EMBER_ERROR(Loader(stream, {.shuffle = true}), "IterableDataset", "shuffle");
    EXPECT_EMBER_ERROR(Loader(stream, {.sampler = std::make_shared<SequentialSampler>(3)}),
                       "IterableDataset", "sampler");
    EXPECT_EMBER_ERROR(Loader(stream, {}).size(), "DataLoader", "IterableDataset");
}

}  // namespace
}  // namespace ember::data

// The DataLoader's batched path for TensorDataset (one index_select per tensor) against the
// per-sample path (get + default_collate, forced through a Subset of the same dataset): the
// same batches, element for element, in the same order, for pairs and for other tensor counts;
// non-contiguous inputs; and the same error for an index out of range.
#include "support/golden.h"

namespace ember::test {
namespace {

// A sampler that yields the given indices (to reach an out-of-range one).
class FixedSampler : public data::Sampler {
public:
    explicit FixedSampler(std::vector<int64_t> indices) : indices_(std::move(indices)) {}
    void reset() override { position_ = 0; }
    std::optional<int64_t> next() override {
        if (position_ >= indices_.size()) return std::nullopt;
        return indices_[position_++];
    }
    int64_t size() const override { return static_cast<int64_t>(indices_.size()); }

private:
    std::vector<int64_t> indices_;
    size_t position_ = 0;
};

std::vector<int64_t> all_indices(int64_t n) {
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
    return v;
}

TEST(TensorDatasetBatches, EqualThePerSamplePathForPairs) {
    manual_seed(0);
    // x is a transposed (non-contiguous) [11, 3] view; y an int64 column.
    const Tensor x = randn({3, 11}).t();
    const Tensor y = randint(10, {11});
    data::TensorDataset dataset(x, y);
    data::Subset per_sample(dataset, all_indices(11));
    for (int workers : {0, 2}) {
        SCOPED_TRACE(workers);
        manual_seed(5);
        data::DataLoader batched(dataset, {.batch_size = 4, .shuffle = true, .num_workers = workers});
        std::vector<std::pair<Tensor, Tensor>> fast;
        for (auto& batch : batched) fast.push_back(batch);
        manual_seed(5);
        data::DataLoader slow(per_sample, {.batch_size = 4, .shuffle = true, .num_workers = workers});
        size_t i = 0;
        for (auto& [xb, yb] : slow) {
            ASSERT_LT(i, fast.size());
            EXPECT_TENSOR_EQ(fast[i].first, xb);
            EXPECT_TENSOR_EQ(fast[i].second, yb);
            EXPECT_TRUE(fast[i].first.is_contiguous());
            ++i;
        }
        EXPECT_EQ(i, fast.size());
        EXPECT_EQ(fast.back().first.sizes(), IntArrayRef({3, 3}));  // 11 = 4 + 4 + 3
    }
}

TEST(TensorDatasetBatches, EqualThePerSamplePathForThreeTensors) {
    manual_seed(1);
    const Tensor a = randn({7, 2}), b = arange(7), c = randn({7, 2, 2}, {.dtype = float64});
    data::TensorDataset dataset(a, b, c);
    data::Subset per_sample(dataset, all_indices(7));
    data::DataLoader batched(dataset, {.batch_size = 3});
    data::DataLoader slow(per_sample, {.batch_size = 3});
    auto fast_it = batched.begin();
    for (auto& batch : slow) {
        for (size_t k = 0; k < 3; ++k) EXPECT_TENSOR_EQ((*fast_it)[k], batch[k]);
        ++fast_it;
    }
    EXPECT_TRUE(fast_it == batched.end());
}

// A subclass that overrides get() is read through its get(), not around it.
TEST(TensorDatasetBatches, ASubclassKeepsItsOwnGet) {
    struct Doubled : data::TensorDataset<2> {
        using data::TensorDataset<2>::TensorDataset;
        std::pair<Tensor, Tensor> get(int64_t i) const override {
            auto [x, y] = data::TensorDataset<2>::get(i);
            return {x * 2, y};
        }
    };
    Doubled dataset(arange(4, {.dtype = float32}), arange(4));
    data::DataLoader loader(dataset, {.batch_size = 4});
    for (auto& [x, y] : loader) EXPECT_TENSOR_EQ(x, tensor({0.f, 2.f, 4.f, 6.f}));
}

TEST(TensorDatasetBatches, AnIndexOutOfRangeIsTheSameError) {
    data::TensorDataset dataset(arange(5), arange(5));
    data::DataLoader loader(dataset, {.batch_size = 2,
                                      .sampler = std::make_shared<FixedSampler>(
                                          std::vector<int64_t>{1, 7})});
    EXPECT_EMBER_ERROR(for (auto& batch : loader) (void)batch,
                       "DataLoader: loading sample index 7 failed: TensorDataset: index 7 is out "
                       "of range for a dataset of size 5");
}

}  // namespace
}  // namespace ember::test

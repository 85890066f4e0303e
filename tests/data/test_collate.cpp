// default_collate: tensors stacked, numbers converted, nested structures collated recursively.
#include "support/golden.h"

#include "ember/data/data.h"

namespace ember::data {
namespace {

TEST(Collate, StacksTensorsAndConvertsNumbers) {
    std::vector<std::pair<Tensor, int>> batch{{tensor({1.0f, 2.0f}), 3}, {tensor({3.0f, 4.0f}), 5}};
    auto [x, y] = default_collate(batch);
    EXPECT_TENSOR_EQ(x, tensor({{1.0f, 2.0f}, {3.0f, 4.0f}}));
    EXPECT_TENSOR_EQ(y, tensor({3, 5}));  // int64 like a Python int
    std::vector<double> d{0.5, 1.5};
    EXPECT_EQ(default_collate(d).dtype(), float64);
    std::vector<float> f{0.5f, 1.5f};
    EXPECT_EQ(default_collate(f).dtype(), float32);
    std::vector<bool> b{true, false};
    EXPECT_TENSOR_EQ(default_collate(b), tensor({true, false}));
    std::vector<uint8_t> u{1, 2};
    EXPECT_EQ(default_collate(u).dtype(), int64);
}

TEST(Collate, NestedSamples) {
    using Sample = std::tuple<Tensor, std::vector<int64_t>, std::map<std::string, double>,
                              std::string, std::array<Tensor, 2>>;
    const char* names[] = {"s0", "s1", "s2"};
    std::vector<Sample> batch;
    for (int i = 0; i < 3; ++i)
        batch.push_back({full({2, 2}, double(i)), {i, 10 * i}, {{"a", i * 0.5}, {"b", 1.0}},
                         names[i], {full({1}, double(i)), full({3}, double(-i))}});
    auto [t, v, m, s, a] = default_collate(batch);
    EXPECT_EQ(t.sizes(), (std::vector<int64_t>{3, 2, 2}));
    ASSERT_EQ(v.size(), 2u);
    EXPECT_TENSOR_EQ(v[0], tensor({0, 1, 2}));
    EXPECT_TENSOR_EQ(v[1], tensor({0, 10, 20}));
    EXPECT_TENSOR_EQ(m.at("a"), tensor(std::vector<double>{0.0, 0.5, 1.0}));
    EXPECT_EQ(m.at("b").dtype(), float64);
    EXPECT_EQ(s, (std::vector<std::string>{"s0", "s1", "s2"}));
    EXPECT_EQ(a[0].sizes(), (std::vector<int64_t>{3, 1}));
    EXPECT_EQ(a[1].sizes(), (std::vector<int64_t>{3, 3}));
}

TEST(Collate, NonContiguousTensors) {
    Tensor base = arange(12.0).view({3, 4});
    std::vector<Tensor> batch{base.t()[0], base.t()[2]};  // strided rows of the transpose
    EXPECT_TENSOR_EQ(default_collate(batch), tensor({{0.0f, 4.0f, 8.0f}, {2.0f, 6.0f, 10.0f}}));
    std::vector<Tensor> empties{zeros({0, 3}), zeros({0, 3})};
    EXPECT_EQ(default_collate(empties).sizes(), (std::vector<int64_t>{2, 0, 3}));
}

TEST(Collate, Errors) {
    std::vector<Tensor> shapes{zeros({2}), zeros({3})};
    EXPECT_EMBER_ERROR(default_collate(shapes), "default_collate", "stack");
    std::vector<std::vector<int>> ragged{{1, 2}, {3}};
    EXPECT_EMBER_ERROR(default_collate(ragged), "default_collate", "equal size");
    std::vector<std::map<std::string, int>> keys{{{"a", 1}}, {{"b", 2}}};
    EXPECT_EMBER_ERROR(default_collate(keys), "default_collate", "sample 1", "key");
}

}  // namespace
}  // namespace ember::data

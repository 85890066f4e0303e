// Views share storage and follow PyTorch's size/stride/offset rules (reference: tensor.md §1-2).
#include "support/golden.h"

using namespace ember;
using ember::test::tensors_equal;

TEST(Views, StridesOfContiguousAndEmpty) {
    EXPECT_EQ(arange(12.).reshape({3, 4}).strides().vec(), (std::vector<int64_t>{4, 1}));
    EXPECT_EQ(empty({0, 3}).strides().vec(), (std::vector<int64_t>{3, 1}));
    EXPECT_EQ(empty({2, 0}).strides().vec(), (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(empty({3, 0, 2}).strides().vec(), (std::vector<int64_t>{2, 2, 1}));
    EXPECT_EQ(empty({2, 1, 3}).strides().vec(), (std::vector<int64_t>{3, 3, 1}));
}

TEST(Views, TransposeSharesStorage) {
    Tensor a = arange(12.).reshape({3, 4});
    Tensor t = a.t();
    EXPECT_EQ(t.strides().vec(), (std::vector<int64_t>{1, 4}));
    EXPECT_FALSE(t.is_contiguous());
    EXPECT_EQ(t.storage().get(), a.storage().get());
    t.select(0, 1).fill_(-1.);  // column 1 of a
    EXPECT_EQ(a.to_vector<float>()[1], -1.f);
    EXPECT_EQ(a.to_vector<float>()[5], -1.f);
    EXPECT_TRUE(zeros({3, 1}).t().is_contiguous());
}

TEST(Views, ViewCompatibility) {
    Tensor a = arange(12.).reshape({3, 4});
    EXPECT_EMBER_ERROR(a.t().view({12}), "view size is not compatible", "[4, 3]", "[12]");
    Tensor r = a.t().reshape({12});
    EXPECT_NE(r.storage().get(), a.storage().get());
    Tensor z = zeros({4, 6}).narrow(1, 0, 3);
    EXPECT_EQ(z.view({2, 2, 3}).strides().vec(), (std::vector<int64_t>{12, 6, 1}));
    EXPECT_EMBER_ERROR(z.view({12}), "view size is not compatible");
    EXPECT_EMBER_ERROR(a.view({5}), "shape '[5]' is invalid for input of size 12");
    EXPECT_EMBER_ERROR(a.view({-1, -1}), "only one dimension can be inferred");
    EXPECT_EQ(a.view({-1, 6}).sizes().vec(), (std::vector<int64_t>{2, 6}));
}

TEST(Views, NarrowSelectUnsqueeze) {
    Tensor a = arange(12.).reshape({3, 4});
    Tensor n = a.narrow(1, 1, 2);
    EXPECT_EQ(n.storage_offset(), 1);
    EXPECT_FALSE(n.is_contiguous());
    Tensor s = a.select(0, 1);
    EXPECT_EQ(s.storage_offset(), 4);
    EXPECT_EQ(s.sizes().vec(), (std::vector<int64_t>{4}));
    EXPECT_EQ(a.unsqueeze(0).strides().vec(), (std::vector<int64_t>{12, 4, 1}));
    EXPECT_EQ(a.unsqueeze(1).strides().vec(), (std::vector<int64_t>{4, 4, 1}));
    EXPECT_EQ(a.unsqueeze(2).strides().vec(), (std::vector<int64_t>{4, 1, 1}));
    EXPECT_EQ(zeros({2, 3, 4}).permute({2, 0, 1}).strides().vec(), (std::vector<int64_t>{1, 12, 4}));
    EXPECT_EMBER_ERROR(zeros({2, 3, 4}).t(), "t() expects a tensor with <= 2 dimensions, but self is 3D");
    EXPECT_EMBER_ERROR(a.select(2, 0), "dimension out of range", "[-2, 1]", "got 2");
}

TEST(Views, ExpandAndDiagonal) {
    Tensor e = tensor({1, 2, 3}).expand({2, 3});
    EXPECT_EQ(e.strides().vec(), (std::vector<int64_t>{0, 1}));
    EXPECT_EMBER_ERROR(tensor({1, 2, 3}).expand({2, 4}),
                       "The expanded size of the tensor (4) must match the existing size (3) at "
                       "non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]");
    Tensor a = arange(12.).reshape({3, 4});
    EXPECT_EQ(a.diagonal().strides().vec(), (std::vector<int64_t>{5}));
    EXPECT_EQ(a.diagonal(1).to_vector<float>(), (std::vector<float>{1, 6, 11}));
}

TEST(Views, ViewsAreViewsOfTheRoot) {
    Tensor a = arange(6.);
    Tensor v = a.narrow(0, 0, 4);
    Tensor w = v.narrow(0, 1, 2);
    EXPECT_TRUE(w.base().is_same(a));
    Tensor d = a.detach();
    EXPECT_FALSE(d.is_view());
    EXPECT_EQ(d.storage().get(), a.storage().get());
    uint32_t before = a.version();
    w.add_(1.);
    EXPECT_EQ(a.version(), before + 1);
    EXPECT_EQ(d.version(), a.version());
}

// Elementwise arithmetic: promotion, broadcasting and in-place rules (reference: tensor.md §4-6).
#include "support/golden.h"

using namespace ember;

TEST(Promotion, ReferenceTable) {
    EXPECT_EQ((ones({2}, {.dtype = int64}) + ones({2})).dtype(), float32);
    EXPECT_EQ((ones({2}) + ones({2}, {.dtype = float64})).dtype(), float64);
    EXPECT_EQ((ones({2}, {.dtype = int64}) + 2.5).dtype(), float32);
    EXPECT_EQ((ones({2}) + 1).dtype(), float32);
    EXPECT_EQ((ones({2}, {.dtype = bool_}) + ones({2}, {.dtype = bool_})).dtype(), bool_);
    EXPECT_EQ((ones({2}, {.dtype = bool_}) + 1).dtype(), int64);
    EXPECT_EQ((ones({2}, {.dtype = bool_}) + 1.5).dtype(), float32);
    EXPECT_EQ((ones({2}, {.dtype = int32}) + ones({2}, {.dtype = int64})).dtype(), int64);
    EXPECT_EQ((ones({2}, {.dtype = uint8}) + ones({2}, {.dtype = int8})).dtype(), int16);
    EXPECT_EQ((ones({2}) + ones({}, {.dtype = float64})).dtype(), float32);
    EXPECT_EQ((ones({2}, {.dtype = int64}) + ones({}, {.dtype = float64})).dtype(), float64);
    EXPECT_EQ((ones({2}, {.dtype = int32}) + ones({}, {.dtype = int64})).dtype(), int32);
    EXPECT_EQ((ones({2}, {.dtype = float16}) + ones({}, {.dtype = float32})).dtype(), float16);
    EXPECT_EQ((ones({2}, {.dtype = int64}) / ones({2}, {.dtype = int64})).dtype(), float32);
    EXPECT_EQ((ones({2}) < ones({2})).dtype(), bool_);
    EXPECT_EQ(result_type(ones({2}, {.dtype = uint8}), -1), uint8);
    EXPECT_EQ((ones({2}, {.dtype = uint8}) + ones({}, {.dtype = int8})).dtype(), uint8);
    EXPECT_EQ((ones({2}, {.dtype = bool_}) + ones({}, {.dtype = int32})).dtype(), int32);
    EXPECT_EQ((ones({2}, {.dtype = float16}) + 2.5).dtype(), float16);
    EXPECT_EQ((ones({}, {.dtype = int64}) + 2.5).dtype(), float32);
    Tensor u = tensor({1, 2}).to(uint8) + 1000;
    EXPECT_EQ(u.to_vector<int64_t>(), (std::vector<int64_t>{233, 234}));
}

TEST(Promotion, InPlaceCannotChangeCategory) {
    Tensor x = tensor({1, 2});
    EXPECT_EMBER_ERROR(x += 1.5, "result type Float can't be cast to the desired output type Long");
    Tensor b = tensor({true, false});
    EXPECT_EMBER_ERROR(b += 1, "result type Long can't be cast to the desired output type Bool");
    EXPECT_EMBER_ERROR(x.div_(2), "result type Float can't be cast to the desired output type Long");
    Tensor f = ones({2});
    f += ones({2}, {.dtype = float64});
    EXPECT_EQ(f.dtype(), float32);
    Tensor i = ones({2}, {.dtype = int32});
    i += ones({2}, {.dtype = int64});
    EXPECT_EQ(i.dtype(), int32);
}

TEST(Broadcast, ShapesAndErrors) {
    EXPECT_EQ((zeros({2, 1, 3}) + zeros({4, 1})).sizes().vec(), (std::vector<int64_t>{2, 4, 3}));
    EXPECT_EMBER_ERROR(zeros({2, 3}) + zeros({3, 2}),
                       "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    Tensor x = zeros({3});
    EXPECT_EMBER_ERROR(x += zeros({2, 3}), "output with shape [3] doesn't match the broadcast shape [2, 3]");
}

TEST(IntegerDivision, FloorTruncRemainder) {
    Tensor a = tensor({-7, 7});
    EXPECT_EQ(floor_divide(a, 2).to_vector<int64_t>(), (std::vector<int64_t>{-4, 3}));
    EXPECT_EQ(div(a, 2, "trunc").to_vector<int64_t>(), (std::vector<int64_t>{-3, 3}));
    EXPECT_EQ(div(a, 2, "floor").to_vector<int64_t>(), (std::vector<int64_t>{-4, 3}));
    EXPECT_EQ(div(a, 2).to_vector<float>(), (std::vector<float>{-3.5f, 3.5f}));
    EXPECT_EQ((a % 3).to_vector<int64_t>(), (std::vector<int64_t>{2, 1}));
    EXPECT_EQ(remainder(a, -3).to_vector<int64_t>(), (std::vector<int64_t>{-1, -2}));
    EXPECT_EQ(fmod(a, 3).to_vector<int64_t>(), (std::vector<int64_t>{-1, 1}));
    EXPECT_EQ(fmod(a, -3).to_vector<int64_t>(), (std::vector<int64_t>{-1, 1}));
    Tensor f = tensor({-7.5, 7.5});
    EXPECT_EQ((f % 2).to_vector<float>(), (std::vector<float>{0.5f, 1.5f}));
    EXPECT_EQ(fmod(f, 2).to_vector<float>(), (std::vector<float>{-1.5f, 1.5f}));
    EXPECT_EMBER_ERROR(floor_divide(a, 0), "ZeroDivisionError");
    EXPECT_EMBER_ERROR(a % 0, "ZeroDivisionError");
    EXPECT_EMBER_ERROR(pow(a, -1), "Integers to negative integer powers are not allowed.");
    Tensor fd = floor_divide(tensor({-1., 0., 1.}), 0);
    std::vector<float> v = fd.to_vector<float>();
    EXPECT_TRUE(std::isinf(v[0]) && v[0] < 0);
    EXPECT_TRUE(std::isnan(v[1]));
    EXPECT_TRUE(std::isinf(v[2]) && v[2] > 0);
}

TEST(Elementwise, NonContiguousOperands) {
    Tensor a = arange(12.).reshape({3, 4});
    Tensor b = a.t() * 2;  // result follows the transposed layout, as in PyTorch
    EXPECT_EQ(b.strides().vec(), (std::vector<int64_t>{1, 4}));
    EXPECT_EQ(b.contiguous().to_vector<float>(),
              (std::vector<float>{0, 8, 16, 2, 10, 18, 4, 12, 20, 6, 14, 22}));
    Tensor c = a.narrow(1, 1, 2) + a.narrow(1, 0, 2);
    EXPECT_EQ(c.to_vector<float>(), (std::vector<float>{1, 3, 9, 11, 17, 19}));
}

TEST(Reduce, SumMeanBasics) {
    Tensor a = arange(12.).reshape({3, 4});
    EXPECT_EQ(a.sum().item<double>(), 66.0);
    EXPECT_EQ(a.sum({0}).to_vector<float>(), (std::vector<float>{12, 15, 18, 21}));
    EXPECT_EQ(a.sum({1}, true).sizes().vec(), (std::vector<int64_t>{3, 1}));
    EXPECT_EQ(a.t().sum({1}).to_vector<float>(), (std::vector<float>{12, 15, 18, 21}));
    EXPECT_EQ(arange(5).sum().dtype(), int64);
    EXPECT_EQ(a.mean().item<double>(), 5.5);
    EXPECT_EMBER_ERROR(arange(5).mean(), "mean(): could not infer output dtype", "Got: Long");
    EXPECT_EQ(zeros({0}).sum().item<double>(), 0.0);
    EXPECT_EMBER_ERROR(zeros({0}).max(), "Expected reduction dim to be specified");
}

TEST(Elementwise, OverlappingInPlaceWritesAreRefused) {
    // PyTorch refuses these (the result would depend on the order of writes).
    const char* partial = "some elements of the input tensor and the written-to tensor refer to a "
                          "single memory location. Please clone() the tensor";
    Tensor a = ones({3, 3});
    EXPECT_EMBER_ERROR(a.add_(a.t()), "add", partial);
    EXPECT_EMBER_ERROR(a.t().add_(a), partial);
    EXPECT_EMBER_ERROR(a.copy_(a.t()), "copy_", partial);
    EXPECT_EMBER_ERROR(a.narrow(0, 1, 2).add_(a.narrow(0, 0, 2)), partial);
    const char* internal = "more than one element of the written-to tensor refers to a single "
                           "memory location";
    EXPECT_EMBER_ERROR(ones({3}).expand({2, 3}).add_(1), internal);
    EXPECT_EMBER_ERROR(ones({3}).expand({2, 3}).copy_(ones({2, 3})), internal);
    EXPECT_EMBER_ERROR(ones({3, 1}).expand({3, 3}).clamp_(0, 1), internal);
    // Allowed, as in PyTorch: the same tensor, disjoint strided views, filling an expansion.
    a.add_(a);
    EXPECT_EQ(a.sum().item<double>(), 18.0);
    a.select(1, 0).add_(a.select(1, 1));
    EXPECT_EQ(a.sum().item<double>(), 24.0);
    Tensor e = ones({3}).expand({2, 3});
    e.fill_(5);
    e.zero_();
    a.exp_();
}

TEST(Promotion, ScalarsKeepFullPrecisionUntilTheOpDtype) {
    // A Python float is a double: float64 tensors see all of it, float32 tensors its rounding.
    EXPECT_EQ((ones({2}, {.dtype = float64}) * 0.001).to_vector<double>()[0], 0.001);
    EXPECT_EQ((ones({2}) * 0.1).to_vector<float>()[0], 0.1f);
    EXPECT_EQ((ones({2}, {.dtype = int64}) + 2.5).dtype(), float32);
    EXPECT_EQ(where(tensor({true, false}), 2.5, 3.5).dtype(), float32);
    EXPECT_EQ(where(tensor({true, false}), 2, 3).dtype(), int64);
    Tensor big = full({1}, int64_t(1) << 60);
    EXPECT_EQ((big + 1).item<int64_t>(), (int64_t(1) << 60) + 1);
    EXPECT_EQ(clamp(ones({2}, {.dtype = float64}), 0.001).to_vector<double>()[0], 1.0);
    EXPECT_EQ(clamp(zeros({2}, {.dtype = float64}), 0.001).to_vector<double>()[0], 0.001);
}

// Small same-shape contiguous operands skip the iterator (src/ops/elementwise.cpp,
// small_same_shape): the same values as the iterator's path, which non-contiguous operands
// take, with NaN, infinities, signed zeros, 0-d and empty tensors; the fast path's result is
// a new contiguous tensor of the operands' shape and dtype.
TEST(Elementwise, SmallSameShapeEqualsTheIteratorPath) {
    for (const DType dtype : {float32, float64}) {
        const Tensor x = tensor({1.5, -0.0, INFINITY, NAN, 3.0, -2.0}, {.dtype = dtype});
        const Tensor y = tensor({0.25, 0.0, INFINITY, 1.0, -0.0, 7.0}, {.dtype = dtype});
        const Tensor xv = x.view({3, 2}), yv = y.view({3, 2});
        // The same values through non-contiguous views.
        const Tensor xt = xv.t().contiguous().t(), yt = yv.t().contiguous().t();
        ASSERT_FALSE(xt.is_contiguous());
        // Bit for bit: NaN where NaN, and the sign of zeros (1 / -0 is -inf).
        auto same = [](const Tensor& a, const Tensor& b) {
            return a.dtype() == b.dtype() && a.sizes() == b.sizes() && a.is_contiguous() &&
                   a.allclose(b, 0.0, 0.0, true) && (1 / a).allclose(1 / b, 0.0, 0.0, true);
        };
        EXPECT_TRUE(same(xv + yv, (xt + yt).contiguous()));
        EXPECT_TRUE(same(xv - yv, (xt - yt).contiguous()));
        EXPECT_TRUE(same(xv * yv, (xt * yt).contiguous()));
        EXPECT_TRUE(same(xv / yv, (xt / yt).contiguous()));
        EXPECT_TRUE(same(add(xv, yv, 2), (xt + 2 * yt).contiguous()));
        const Tensor s = full({}, 2.5, {.dtype = dtype}), t = full({}, -4.0, {.dtype = dtype});
        EXPECT_EQ((s + t).dim(), 0);
        EXPECT_EQ((s * t).item<double>(), -10.0);
        EXPECT_EQ((empty({0, 3}, {.dtype = dtype}) + empty({0, 3}, {.dtype = dtype})).sizes(),
                  IntArrayRef({0, 3}));
    }
}

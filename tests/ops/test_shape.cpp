// Shape ops against PyTorch: cat, stack, flip, repeat, tril/triu (fixtures:
// tools/golden/shape.py; each case repeats the Python expression of the same name).
#include "support/shape_cases.h"

using namespace ember;
using namespace ember::test::shape_cases;

namespace {

bool same_storage(const Tensor& a, const Tensor& b) {
    return a.storage().get() == b.storage().get();
}

}  // namespace

TEST(Cat, MatchesPyTorch) {
    Tensor a = in("cat_dim0");
    expect_outputs("cat_dim0", {cat({a, in("cat_dim0", 1)}, 0)});
    expect_outputs("cat_dim1_neg", {cat({a, in("cat_dim1_neg", 1)}, -1)});
    expect_outputs("cat_transposed", {cat({a.t(), in("cat_transposed", 1)}, 1)});
    expect_outputs("cat_promote_int_double",
                   {cat({in("cat_promote_int_double"), in("cat_promote_int_double", 1)})});
    expect_outputs("cat_promote_uint8_int8",
                   {cat({in("cat_promote_uint8_int8"), in("cat_promote_uint8_int8", 1)})});
    expect_outputs("cat_promote_bool_int8",
                   {cat({in("cat_promote_bool_int8"), in("cat_promote_bool_int8", 1)})});
    // 1-D empty tensors are skipped for the shapes, but their dtype counts (float64 here).
    expect_outputs("cat_legacy_empty", {cat({zeros({0}, {.dtype = float64}), a, zeros({0})}, 1)});
    expect_outputs("cat_empty_rows", {cat({a, zeros({0, 3})}, 0)});
    expect_outputs(
        "cat_stepped_expanded",
        {cat({a.index({Slice(None, None, 2)}), in("cat_stepped_expanded", 1).expand({2, 3})})});
    EXPECT_EQ(cat({zeros({0}), zeros({0})}, 3).sizes().vec(), (std::vector<int64_t>{0}));
    Tensor c = cat({a, a});
    EXPECT_FALSE(same_storage(c, a));
    EXPECT_TRUE(c.is_contiguous());
}

TEST(Cat, Errors) {
    Tensor x = zeros({3, 4});
    EXPECT_EMBER_ERROR(cat({}), "torch.cat(): expected a non-empty list of Tensors");
    EXPECT_EMBER_ERROR(cat({x, zeros({2, 3})}),
                       "Sizes of tensors must match except in dimension 0. "
                       "Expected size 4 but got size 3 for tensor number 1 in the list.");
    EXPECT_EMBER_ERROR(cat({x, zeros({3})}),
                       "Tensors must have same number of dimensions: got 2 and 1");
    EXPECT_EMBER_ERROR(cat({x, zeros({3, 4})}, 2),
                       "(expected to be in range of [-2, 1], but got 2)");
    EXPECT_EMBER_ERROR(cat({x, x}, -3), "(expected to be in range of [-2, 1], but got -3)");
    EXPECT_EMBER_ERROR(cat({tensor(1.), tensor(2.)}),
                       "zero-dimensional tensor (at position 0) cannot be concatenated");
    EXPECT_EMBER_ERROR(cat({zeros({2}), tensor(2.)}),
                       "zero-dimensional tensor (at position 1) cannot be concatenated");
    EXPECT_EMBER_ERROR(
        cat({zeros({3, 0}), zeros({2, 1})}),
        "Sizes of tensors must match except in "
        "dimension 0. Expected size 0 but got size 1 for tensor number 1 in the list.");
    EXPECT_EMBER_ERROR(cat({zeros({2, 3, 0}), zeros({2, 3})}),
                       "Tensors must have same number of dimensions: got 3 and 2");
}

TEST(Stack, MatchesPyTorch) {
    Tensor a = in("stack_dim0"), a2 = in("stack_dim0", 1);
    expect_outputs("stack_dim0", {stack({a, a2})});
    expect_outputs("stack_dim_last", {stack({a, a2}, -1)});
    expect_outputs("stack_transposed_dim1",
                   {stack({a.t(), in("stack_transposed_dim1", 1).t()}, 1)});
    expect_outputs("stack_promote", {stack({in("stack_promote"), in("stack_promote", 1)}, 1)});
    EXPECT_EQ(stack({zeros({0}), zeros({0})}).sizes().vec(), (std::vector<int64_t>{2, 0}));
}

TEST(Stack, Errors) {
    Tensor x = zeros({3, 4});
    EXPECT_EMBER_ERROR(stack({}), "stack expects a non-empty TensorList");
    EXPECT_EMBER_ERROR(stack({x, zeros({3, 5})}),
                       "stack expects each tensor to be equal size, but "
                       "got [3, 4] at entry 0 and [3, 5] at entry 1");
    EXPECT_EMBER_ERROR(stack({x, zeros({3})}),
                       "stack expects each tensor to be equal size, but got "
                       "[3, 4] at entry 0 and [3] at entry 1");
    EXPECT_EMBER_ERROR(stack({x, x}, 3), "(expected to be in range of [-3, 2], but got 3)");
    EXPECT_EMBER_ERROR(stack({x, x}, -4), "(expected to be in range of [-3, 2], but got -4)");
}

TEST(Flip, MatchesPyTorch) {
    Tensor f = in("flip_0_2");
    expect_outputs("flip_0_2", {f.flip({0, 2})});
    expect_outputs("flip_last", {flip(f, {-1})});
    expect_outputs("flip_transposed", {f.transpose(0, 2).flip({1, 0})});
    expect_outputs("flip_expanded", {arange(3).expand({2, 3}).flip({0, 1})});
    expect_outputs("flip_int_bool",
                   {in("flip_int_bool").flip({1}), in("flip_int_bool", 1).flip({0})});
    expect_outputs("flip_scalar_empty", {tensor(3.).flip({0}), zeros({0, 2}).flip({0})});
    Tensor copy = f.flip({});
    EXPECT_TENSOR_EQ(copy, f);
    EXPECT_FALSE(same_storage(copy, f));
}

TEST(Flip, Errors) {
    Tensor x = zeros({3, 4});
    EXPECT_EMBER_ERROR(x.flip({0, 0}), "dim 0 appears multiple times in the list of dims");
    EXPECT_EMBER_ERROR(x.flip({2}), "(expected to be in range of [-2, 1], but got 2)");
}

TEST(Repeat, MatchesPyTorch) {
    Tensor r = in("repeat_more_dims");
    expect_outputs("repeat_more_dims", {r.repeat({2, 1, 2})});
    expect_outputs("repeat_transposed", {repeat(r.t(), {1, 3})});
    expect_outputs("repeat_scalar", {tensor(7.).repeat({2, 2})});
    expect_outputs("repeat_zero", {r.repeat({0, 2})});
    expect_outputs("repeat_int_expanded", {arange(3).expand({2, 3}).repeat({2, 2})});
    EXPECT_TENSOR_EQ(tensor(7.).repeat({}), tensor(7.));
}

TEST(Repeat, Errors) {
    Tensor x = zeros({3, 4});
    EXPECT_EMBER_ERROR(x.repeat({2}),
                       "Number of dimensions of repeat dims can not be smaller than "
                       "number of dimensions of tensor");
    EXPECT_EMBER_ERROR(x.repeat({}),
                       "Number of dimensions of repeat dims can not be smaller than "
                       "number of dimensions of tensor");
    EXPECT_EMBER_ERROR(x.repeat({-1, 2}),
                       "Trying to create tensor with negative dimension -3: [-3, 8]");
}

TEST(Triangle, MatchesPyTorch) {
    Tensor t = in("tril_diagonals");
    expect_outputs("tril_diagonals", {t.tril(), t.tril(-1), tril(t, 1), t.tril(10), t.tril(-10)});
    expect_outputs("triu_diagonals", {t.triu(), t.triu(-1), triu(t, 2), t.triu(10), t.triu(-10)});
    Tensor t3 = in("tril_batch_transposed");
    expect_outputs("tril_batch_transposed", {t3.transpose(1, 2).tril(), t3.triu(1)});
    expect_outputs("tril_bool_int",
                   {ones({3, 3}, {.dtype = bool_}).tril(), arange(12).reshape({3, 4}).triu(-1)});
    expect_outputs("tril_empty", {ones({0, 4}).tril(), ones({2, 0, 3}).triu()});
}

TEST(Triangle, InPlaceForms) {
    Tensor t = in("tril_diagonals");
    const test::json& outs = golden("tril_diagonals").at("out");
    Tensor a = t.clone();
    Tensor& r = a.tril_(1);
    EXPECT_TRUE(r.is_same(a));
    EXPECT_TENSOR_EQ(a, test::tensor_from_json(outs[2]));
    Tensor b = t.clone().t();  // in place on a transposed view
    b.triu_(-1);
    EXPECT_TENSOR_EQ(b, t.t().triu(-1));
}

TEST(Triangle, Errors) {
    EXPECT_EMBER_ERROR(zeros({3}).tril(), "(expected to be in range of [-1, 0], but got -2)");
    EXPECT_EMBER_ERROR(zeros({3}).triu(), "(expected to be in range of [-1, 0], but got -2)");
    EXPECT_EMBER_ERROR(tensor(3.).tril(), "Dimension specified as -2 but tensor has no dimensions");
    EXPECT_EMBER_ERROR(zeros({3}).tril_(), "(expected to be in range of [-1, 0], but got -2)");
}

// Indexing against PyTorch: Tensor::index / index_put_, index_select, gather, scatter(_add),
// masked_select, nonzero, one_hot, sort and topk. Fixtures: tools/golden/shape.py (each case
// here repeats the Python expression written there under the same name).
#include <cmath>
#include <limits>

#include "support/shape_cases.h"

using namespace ember;
using namespace ember::test::shape_cases;

namespace {

std::vector<Tensor> both(const std::pair<Tensor, Tensor>& p) { return {p.first, p.second}; }

std::vector<Tensor> concat(std::initializer_list<std::vector<Tensor>> parts) {
    std::vector<Tensor> all;
    for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
}

Tensor longs(std::initializer_list<int64_t> v) { return tensor(std::vector<int64_t>(v)); }

bool same_storage(const Tensor& a, const Tensor& b) {
    return a.storage().get() == b.storage().get();
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

// ---- Tensor::index --------------------------------------------------------------------------

TEST(Index, BasicIndicesMatchPyTorch) {
    Tensor x = in("index_int_neg");
    expect_outputs("index_int_neg", {x.index({-1})});
    expect_outputs("index_slices", {x.index({Slice(), Slice(1, None), Slice(None, None, 2)})});
    expect_outputs("index_slice_clamp",
                   {x.index({Slice(-100, 100), Slice(-2, None), Slice(1, -1, 2)})});
    expect_outputs("index_slice_empty", {x.index({Slice(5, 1)})});
    expect_outputs("index_none_ellipsis", {x.index({None, Ellipsis, None, 1})});
    expect_outputs("index_ellipsis_int", {x.index({Ellipsis, 2})});
    expect_outputs("index_zero_dim_long", {x.index({tensor(1)})});
    expect_outputs("index_bool_true", {x.index({true})});
    expect_outputs("index_bool_false", {x.index({false})});
    expect_outputs("index_zero_dim_bool", {x.index({1, tensor(true)})});
    Tensor s = in("index_scalar_forms");
    expect_outputs("index_scalar_forms",
                   {s.index({None}), s.index({Ellipsis}), s.index({true}), s.index({false})});
    EXPECT_TENSOR_EQ(x[1], x.index({1}));
    EXPECT_TENSOR_EQ(x[TensorIndex(Slice(1, None))], x.index({Slice(1, None)}));
}

TEST(Index, AdvancedIndicesMatchPyTorch) {
    Tensor x = in("index_int_neg");
    expect_outputs("index_mask_values", {x.index({x > 0.5})});
    expect_outputs("index_mask_2d", {x.index({in("index_mask_2d", 1)})});
    expect_outputs("index_mask_dim1", {x.index({Slice(), in("index_mask_dim1", 1)})});
    expect_outputs("index_mask_ellipsis", {x.index({Ellipsis, in("index_mask_ellipsis", 1)})});
    expect_outputs("index_long", {x.index({in("index_long", 1)})});
    expect_outputs("index_long_neg_dim1", {x.index({Slice(), in("index_long_neg_dim1", 1)})});
    // Adjacent index tensors replace their dims in place; separated ones go to the front.
    expect_outputs("index_two_adjacent", {x.index({Slice(), longs({0, 2}), longs({1, 3})})});
    expect_outputs("index_two_separated", {x.index({longs({0, 1}), Slice(), longs({1, 3})})});
    expect_outputs("index_broadcast", {x.index({tensor({{0}, {1}}), tensor({{0, 1, 2}})})});
    expect_outputs("index_int_between", {x.index({longs({0, 1}), 1, longs({1, 3})})});
    expect_outputs("index_none_between", {x.index({longs({1}), None, longs({-1})})});
    expect_outputs("index_empty_long", {x.index({empty({0}, {.dtype = int64})})});
    expect_outputs("index_empty_mask", {x.index({zeros({2, 3, 4}, {.dtype = bool_})})});
}

TEST(Index, NonContiguousAndDtypes) {
    Tensor x = in("index_int_neg");
    expect_outputs("index_transposed",
                   {x.transpose(1, 2).index({Slice(), longs({0, 3}), Slice(1, None)})});
    Tensor stepped = x.index({Slice(), Slice(None, None, 2)});
    EXPECT_FALSE(stepped.is_contiguous());
    expect_outputs("index_stepped_mask", {stepped.index({stepped < 0})});
    Tensor e = in("index_expanded").expand({4, 3});
    expect_outputs("index_expanded", {e.index({longs({0, 3}), longs({2, 1})})});
    Tensor xi = in("index_int32_data");
    expect_outputs("index_int32_data", {xi.index({longs({2, 0}), Slice(1, 3)})});
    Tensor xh = in("index_float16_mask");
    expect_outputs("index_float16_mask", {xh.index({xh > 0})});
    Tensor xb = in("index_bool_data");
    expect_outputs("index_bool_data", {xb.index({Slice(), longs({3, 3, 0})})});
    Tensor xd = in("index_float64_uint8_mask");
    expect_outputs("index_float64_uint8_mask", {xd.index({(xd > 0).to(uint8)})});
}

TEST(Index, BasicIndexingReturnsViewsAdvancedCopies) {
    Tensor x = arange(24.).reshape({2, 3, 4}).clone();  // owns its storage (not a view)
    for (Tensor v : {x.index({1}), x.index({Slice(), Slice(1, None), Slice(None, None, 2)}),
                     x.index({None, Ellipsis, 0}), x.index({Ellipsis}), x.index({tensor(1)})}) {
        EXPECT_TRUE(same_storage(v, x));
        EXPECT_TRUE(v.is_view());
        EXPECT_TRUE(v.base().is_same(x));
    }
    Tensor v = x.index({Slice(), Slice(1, None), Slice(None, None, 2)});
    EXPECT_EQ(v.storage_offset(), 4);
    EXPECT_EQ(v.strides().vec(), (std::vector<int64_t>{12, 4, 2}));
    v.fill_(-1.);  // writes through the view
    EXPECT_EQ(x.index({0, 1, 2}).item<float>(), -1.f);
    EXPECT_EQ(x.index({0, 0, 2}).item<float>(), 2.f);
    Tensor ell = x.index({Ellipsis});
    EXPECT_FALSE(ell.is_same(x));  // an alias, not the same handle (as PyTorch's x[...])
    for (Tensor c : {x.index({longs({0})}), x.index({x > 3}), x.index({true}),
                     x.index({Slice(), longs({0, 1})})}) {
        EXPECT_FALSE(same_storage(c, x));
        EXPECT_FALSE(c.is_view());
    }
}

TEST(Index, Errors) {
    Tensor x = arange(12.).reshape({3, 4});
    EXPECT_EMBER_ERROR(x.index({5}), "index 5 is out of bounds for dimension 0 with size 3");
    EXPECT_EMBER_ERROR(x.index({Slice(), 7}),
                       "index 7 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(x.index({-4}), "index -4 is out of bounds for dimension 0 with size 3");
    EXPECT_EMBER_ERROR(x.index({None, 5}), "index 5 is out of bounds for dimension 1 with size 3");
    EXPECT_EMBER_ERROR(x.index({Ellipsis, 7}),
                       "index 7 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(x.index({0, 0, 0}), "too many indices for tensor of dimension 2");
    EXPECT_EMBER_ERROR(x.index({Slice(None, None, 0)}), "step must be greater than zero");
    EXPECT_EMBER_ERROR(x.index({Slice(), Slice(None, None, -1)}), "step must be greater than zero");
    EXPECT_EMBER_ERROR(x.index({Ellipsis, Ellipsis}), "an index can only have a single ellipsis");
    EXPECT_EMBER_ERROR(x.index({longs({5})}),
                       "index 5 is out of bounds for dimension 0 with size 3");
    EXPECT_EMBER_ERROR(x.index({longs({-4})}),
                       "index -4 is out of bounds for dimension 0 with size 3");
    EXPECT_EMBER_ERROR(x.index({tensor(5)}),
                       "index 5 is out of bounds for dimension 0 with size 3");
    EXPECT_EMBER_ERROR(x.index({Slice(), longs({5})}),
                       "index 5 is out of bounds for dimension 0 with size 4");
    Tensor y = zeros({2, 3, 4});
    EXPECT_EMBER_ERROR(y.index({longs({0}), Slice(), longs({9})}),
                       "index 9 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(y.index({longs({1}), longs({9}), longs({9})}),
                       "index 9 is out of bounds for dimension 1 with size 3");
    EXPECT_EMBER_ERROR(x.index({tensor({1.0})}),
                       "tensors used as indices must be long, byte or bool tensors");
    EXPECT_EMBER_ERROR(x.index({longs({0, 1}).to(int32)}),
                       "tensors used as indices must be long, byte or bool tensors");
    EXPECT_EMBER_ERROR(x.index({tensor({true, false})}),
                       "The shape of the mask [2] at index 0 does "
                       "not match the shape of the indexed tensor [3, 4] at index 0");
    EXPECT_EMBER_ERROR(
        x.index({tensor({{true, false, true, false}})}),
        "The shape of the mask [1, 4] "
        "at index 0 does not match the shape of the indexed tensor [3, 4] at index 0");
    // As in PyTorch, a 2-D mask moves the position on by one dim only.
    EXPECT_EMBER_ERROR(
        y.index({ones({2, 3}, {.dtype = bool_}), 0}),
        "The shape of the mask [2, 3] "
        "at index 1 does not match the shape of the indexed tensor [2, 4] at index 1");
    EXPECT_EMBER_ERROR(
        x.index({longs({0, 1}), longs({0, 1, 2})}),
        "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]");
    EXPECT_EMBER_ERROR(zeros({0, 4}).index({longs({0})}),
                       "index is out of bounds for dimension with size 0");
    Tensor s = tensor(3.);
    EXPECT_EMBER_ERROR(s.index({0}),
                       "invalid index of a 0-dim tensor. Use `tensor.item()` in "
                       "Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
    EXPECT_EMBER_ERROR(s.index({5}), "index 5 is out of bounds for dimension 0 with size 0");
    EXPECT_EMBER_ERROR(s.index({Slice()}), "slice() cannot be applied to a 0-dim tensor.");
    EXPECT_EMBER_ERROR(s.index({None, 0}), "too many indices for tensor of dimension 0");
    EXPECT_EMBER_ERROR(s.index({longs({0})}), "too many indices for tensor of dimension 0");
}

// ---- Tensor::index_put_ ---------------------------------------------------------------------

TEST(IndexPut, MatchesPyTorch) {
    Tensor z = in("put_mask_scalar");
    Tensor mask = in("put_mask_scalar", 1);
    expect_outputs("put_mask_scalar", {z.clone().index_put_({mask}, 5.0)});
    expect_outputs("put_mask_values", {z.clone().index_put_({mask}, arange(1., 6.))});
    expect_outputs("put_rows", {z.clone().index_put_({longs({0, 2})}, tensor({1., 2., 3., 4.}))});
    expect_outputs("put_cols_broadcast",
                   {z.clone().index_put_({Slice(), longs({1, 3})}, tensor({{1.}, {2.}, {3.}}))});
    expect_outputs("put_duplicates", {z.clone().index_put_({longs({0, 0, 2}), longs({1, 1, 3})},
                                                           tensor({1., 2., 3.}))});
    expect_outputs("put_basic_slice", {z.clone().index_put_({Slice(1, None), Slice(None, None, 2)},
                                                            tensor({7., 8.}))});
    expect_outputs("put_ellipsis_scalar", {z.clone().index_put_({Ellipsis, 0}, 9.0)});
    expect_outputs("put_leading_ones", {z.clone().index_put_({longs({-1})}, ones({1, 1, 4}) * 2)});
    Tensor zt = in("put_transposed").t().clone();
    EXPECT_FALSE(zt.is_contiguous());
    expect_outputs("put_transposed", {zt.index_put_({longs({0, 2})}, tensor({1., 2., 3., 4.}))});
    Tensor zi = in("put_int_scalar");
    expect_outputs("put_int_scalar", {zi.clone().index_put_({longs({1, 2}), longs({0, -1})}, 7)});
    expect_outputs("put_int_basic_convert",
                   {zi.clone().index_put_({1}, tensor({1.7, 2.2, -3.9, 4.0}))});
    expect_outputs("put_separated", {in("put_separated")
                                         .index_put_({longs({0, 1}), Slice(), longs({3, 0})},
                                                     arange(6.).reshape({2, 3}))});
}

TEST(IndexPut, WritesInPlaceAndBumpsVersion) {
    Tensor z = zeros({3, 4});
    Tensor view = z.index({Slice(1, None)});
    const uint32_t before = z.version();
    Tensor& r = z.index_put_({longs({2})}, 1.0);
    EXPECT_TRUE(r.is_same(z));
    EXPECT_GT(z.version(), before);
    EXPECT_EQ(view.index({1, 0}).item<float>(), 1.f);  // the view sees the write
    // A value that aliases the destination is read before anything is written.
    Tensor a = arange(4.);
    a.index_put_({longs({1, 2, 3})}, a.index({Slice(0, 3)}));
    EXPECT_EQ(a.to_vector<float>(), (std::vector<float>{0, 0, 1, 2}));
    // An empty selection writes nothing (a 1-element value still broadcasts to it).
    Tensor none_selected = zeros({3, 4});
    none_selected.index_put_({zeros({3, 4}, {.dtype = bool_})}, ones({1}));
    EXPECT_EQ(none_selected.sum().item<float>(), 0.f);
    // false selects nothing, so nothing is written.
    Tensor untouched = zeros({2});
    untouched.index_put_({false}, 3.0);
    EXPECT_EQ(untouched.to_vector<float>(), (std::vector<float>{0, 0}));
}

TEST(IndexPut, Errors) {
    Tensor z = zeros({3, 4});
    EXPECT_EMBER_ERROR(z.index_put_({longs({0, 5})}, 1.),
                       "index 5 is out of bounds for dimension 0 with size 3");
    EXPECT_EMBER_ERROR(z.index_put_({longs({0, 1})}, ones({3})),
                       "shape mismatch: value tensor of "
                       "shape [3] cannot be broadcast to indexing result of shape [2, 4]");
    EXPECT_EMBER_ERROR(z.index_put_({longs({0, 1})}, ones({2, 4, 1})),
                       "shape mismatch: value tensor "
                       "of shape [2, 4, 1] cannot be broadcast to indexing result of shape [2, 4]");
    EXPECT_EMBER_ERROR(z.index_put_({longs({0, 1})}, ones({4}, {.dtype = float64})),
                       "Index put requires the source and destination dtypes match, got Float for "
                       "the destination and Double for the source.");
    EXPECT_EMBER_ERROR(z.index_put_({ones({3, 4}, {.dtype = bool_})}, tensor(5)),
                       "Index put requires the source and destination dtypes match, got Float for "
                       "the destination and Long for the source.");
    EXPECT_EMBER_ERROR(z.index_put_({longs({0, 1}).to(int32)}, 1.),
                       "tensors used as indices must be long, byte or bool tensors");
    EXPECT_EMBER_ERROR(
        z.index_put_({longs({0, 1}), longs({0, 1, 2})}, ones({5})),
        "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]");
    EXPECT_EMBER_ERROR(z.index_put_({tensor({true, false})}, 1.),
                       "The shape of the mask [2] at "
                       "index 0 does not match the shape of the indexed tensor [3, 4] at index 0");
    EXPECT_EMBER_ERROR(z.index_put_({zeros({3, 4}, {.dtype = bool_})}, ones({2})),
                       "cannot be broadcast to indexing result of shape [0]");
    EXPECT_EMBER_ERROR(zeros({0, 4}).index_put_({longs({0})}, 1.),
                       "index is out of bounds for dimension with size 0");
    EXPECT_EMBER_ERROR(z.index_put_({Slice(), 1}, ones({4})),
                       "The expanded size of the tensor (3) "
                       "must match the existing size (4) at non-singleton dimension 0.  Target "
                       "sizes: [3].  Tensor sizes: [4]");
    EXPECT_EMBER_ERROR(z.index_put_({Ellipsis}, ones({2, 1, 4})),
                       "the number of sizes provided (2) "
                       "must be greater or equal to the number of dimensions in the tensor (3)");
    EXPECT_EMBER_ERROR(z.index_put_({Slice(None, None, 0)}, 7.), "step must be greater than zero");
    EXPECT_EMBER_ERROR(z.index_put_({0, 0, 0}, 7.), "too many indices for tensor of dimension 2");
}

// ---- index_select, gather, scatter, one_hot -------------------------------------------------

TEST(IndexSelect, MatchesPyTorch) {
    Tensor y = in("index_select_dim0");
    expect_outputs("index_select_dim0", {y.index_select(0, longs({2, 0, 2}))});
    expect_outputs("index_select_dim1_int32", {index_select(y, 1, longs({3, 1}).to(int32))});
    expect_outputs("index_select_transposed", {y.t().index_select(-1, longs({1}))});
    expect_outputs("index_select_zero_dim_index", {y.index_select(1, tensor(2))});
    expect_outputs("index_select_empty", {y.index_select(1, empty({0}, {.dtype = int64}))});
    Tensor yi = in("index_select_int64_stepped");
    expect_outputs("index_select_int64_stepped",
                   {yi.index({Slice(None, None, 2)}).index_select(0, longs({1, 1, 0}))});
    expect_outputs("index_select_scalar", {in("index_select_scalar").index_select(0, longs({0}))});
    Tensor out = y.index_select(0, longs({1}));
    EXPECT_FALSE(same_storage(out, y));
}

// Whole contiguous rows under one index are copied at once; every dtype width, both index
// dtypes, an outer and a middle dim, and a source whose rows are not contiguous (element by
// element) must give the slices select() sees.
TEST(IndexSelect, ContiguousRowsMatchTheirSlices) {
    const Tensor base = arange(2 * 5 * 7 * 3.).reshape({2, 5, 7, 3});
    const Tensor idx = longs({4, 0, 4, 2});
    for (DType dt : {float32, float64, int64, uint8, float16}) {
        const Tensor x = base.to(dt);
        for (int64_t d : {0, 1}) {
            const Tensor i = d == 0 ? longs({1, 0, 1}) : idx;
            for (const Tensor& index : {i, i.to(int32)}) {
                std::vector<Tensor> slices;
                for (int64_t k = 0; k < i.numel(); ++k)
                    slices.push_back(x.select(d, i[k].item<int64_t>()));
                const Tensor expected = stack(slices, d);
                EXPECT_TENSOR_EQ(x.index_select(d, index), expected) << dtype_name(dt) << " dim " << d;
                const Tensor strided = x.transpose(2, 3).contiguous().transpose(2, 3);
                EXPECT_TENSOR_EQ(strided.index_select(d, index), expected);
            }
        }
    }
}

TEST(IndexSelect, Errors) {
    Tensor x = arange(12.).reshape({3, 4});
    EXPECT_EMBER_ERROR(x.index_select(0, longs({3})), "index out of range in self");
    EXPECT_EMBER_ERROR(x.index_select(0, longs({-1})), "index out of range in self");
    EXPECT_EMBER_ERROR(x.index_select(0, tensor({1.})),
                       "index_select(): Expected dtype int32 or int64 for index");
    EXPECT_EMBER_ERROR(x.index_select(0, tensor({{1}})),
                       "index_select(): Index is supposed to be a vector");
    EXPECT_EMBER_ERROR(x.index_select(2, longs({1})),
                       "(expected to be in range of [-2, 1], but got 2)");
    EXPECT_EMBER_ERROR(tensor(5.).index_select(0, longs({1})), "index out of range in self");
    EXPECT_EMBER_ERROR(zeros({0, 3}).index_select(0, longs({0})),
                       "index_select(): self indexing axis dim should be positive");
}

TEST(Gather, MatchesPyTorch) {
    Tensor y = in("gather_dim0");
    expect_outputs("gather_dim0", {y.gather(0, in("gather_dim0", 1))});
    Tensor g1 = in("gather_dim1_smaller", 1);
    expect_outputs("gather_dim1_smaller", {gather(y, 1, g1)});
    expect_outputs("gather_transposed", {y.t().gather(0, g1.t())});
    expect_outputs("gather_expanded_index", {y.gather(1, tensor({{3}, {0}, {1}}).expand({3, 5}))});
    expect_outputs("gather_bfloat16", {in("gather_bfloat16").gather(0, in("gather_bfloat16", 1))});
    expect_outputs("gather_scalar", {in("gather_scalar").gather(0, longs({0, 0}))});
    expect_outputs("gather_empty", {y.gather(0, zeros({0, 2}, {.dtype = int64}))});
}

TEST(Gather, Errors) {
    Tensor x = arange(12.).reshape({3, 4});
    EXPECT_EMBER_ERROR(x.gather(1, tensor({{0, 4}})),
                       "index 4 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(x.gather(1, tensor({{0, -1}})),
                       "index -1 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(x.gather(1, tensor({{0, 1}}).to(int32)),
                       "gather(): Expected dtype int64 for index");
    EXPECT_EMBER_ERROR(x.gather(1, longs({0, 1})),
                       "Index tensor must have the same number of dimensions as input tensor");
    EXPECT_EMBER_ERROR(
        x.gather(1, zeros({4, 2}, {.dtype = int64})),
        "Size does not match at "
        "dimension 0 expected index [4, 2] to be smaller than self [3, 4] apart from dimension 1");
    EXPECT_EMBER_ERROR(
        x.gather(0, zeros({2, 5}, {.dtype = int64})),
        "Size does not match at "
        "dimension 1 expected index [2, 5] to be smaller than self [3, 4] apart from dimension 0");
    EXPECT_EMBER_ERROR(x.gather(2, zeros({2, 2}, {.dtype = int64})),
                       "(expected to be in range of [-2, 1], but got 2)");
    EXPECT_EMBER_ERROR(tensor(5.).gather(0, tensor(1)),
                       "index 1 is out of bounds for dimension 0 with size 1");
}

TEST(Scatter, MatchesPyTorch) {
    Tensor src = in("scatter_dim0"), s0 = in("scatter_dim0", 1);
    expect_outputs("scatter_dim0", {zeros({3, 5}).scatter(0, s0, src)});
    expect_outputs("scatter_value", {scatter(zeros({3, 5}), 0, s0, 2.5)});
    expect_outputs("scatter_int_value_truncates",
                   {zeros({3, 5}, {.dtype = int64}).scatter(0, s0, 2.7)});
    expect_outputs("scatter_dim1_duplicates",
                   {zeros({2, 4}).scatter(1, tensor({{1, 1, 3}, {0, 0, 0}}),
                                          tensor({{1., 2., 3.}, {4., 5., 6.}}))});
    Tensor vals = in("scatter_add_duplicates"), dup = in("scatter_add_duplicates", 1);
    expect_outputs("scatter_add_duplicates", {ones({1, 3}).scatter_add(1, dup, vals)});
    expect_outputs("scatter_add_float16", {scatter_add(full({1, 3}, 0.1, {.dtype = float16}), 1,
                                                       dup, in("scatter_add_float16"))});
    expect_outputs("scatter_add_int",
                   {zeros({3, 5}, {.dtype = int32})
                        .scatter_add(0, s0, arange(10, {.dtype = int32}).reshape({2, 5}))});
    Tensor big = in("scatter_transposed_self");
    expect_outputs("scatter_transposed_self",
                   {zeros({5, 3}).t().scatter(1, tensor({{4, 0}, {1, 1}, {2, 4}}), big.t())});
    expect_outputs("scatter_add_stepped_src",
                   {zeros({2, 6}).scatter_add(0, tensor({{1, 0, 1, 1, 0, 0}}),
                                              big.index({Slice(None, None, 2)}))});
    expect_outputs("scatter_empty_index",
                   {ones({2, 2}).scatter(0, zeros({0, 2}, {.dtype = int64}), zeros({0, 2}))});
}

TEST(Scatter, InPlaceFormsWriteSelf) {
    Tensor s0 = in("scatter_dim0", 1);
    Tensor z = zeros({3, 5});
    const uint32_t before = z.version();
    Tensor& r = z.scatter_(0, s0, in("scatter_dim0"));
    EXPECT_TRUE(r.is_same(z));
    EXPECT_GT(z.version(), before);
    expect_outputs("scatter_dim0", {z});
    Tensor v = zeros({3, 5});
    v.scatter_(0, s0, 2.5);
    expect_outputs("scatter_value", {v});
    Tensor acc = ones({1, 3});
    acc.scatter_add_(1, in("scatter_add_duplicates", 1), in("scatter_add_duplicates"));
    expect_outputs("scatter_add_duplicates", {acc});
    // 0-dim operands act as 1-element 1-D ones (PyTorch gives tensor(5.) for both).
    EXPECT_TENSOR_EQ(tensor(0.).scatter(0, tensor(0), tensor(5.)), tensor(5.));
    EXPECT_TENSOR_EQ(tensor(0.).scatter(0, longs({0}), tensor({5.})), tensor(5.));
    // Out-of-place forms leave self alone.
    Tensor self = zeros({3, 5});
    (void)self.scatter(0, s0, 1.0);
    EXPECT_EQ(self.sum().item<float>(), 0.f);
}

TEST(Scatter, Errors) {
    Tensor z = zeros({3, 4});
    EXPECT_EMBER_ERROR(z.scatter(1, tensor({{0, 4}}), ones({1, 2})),
                       "index 4 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(z.scatter(1, tensor({{0, -1}}), ones({1, 2})),
                       "index -1 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(
        z.scatter(1, tensor({{0, 1}}), ones({1, 1})),
        "Expected index [1, 2] to be "
        "smaller than self [3, 4] apart from dimension 1 and to be smaller size than src [1, 1]");
    EXPECT_EMBER_ERROR(z.scatter(1, tensor({{0, 1}}), ones({1, 2}, {.dtype = float64})),
                       "scatter(): Expected self.dtype to be equal to src.dtype");
    EXPECT_EMBER_ERROR(z.scatter(1, tensor({{0, 1}}).to(int32), ones({1, 2})),
                       "scatter(): Expected dtype int64 for index");
    EXPECT_EMBER_ERROR(z.scatter(1, longs({0, 1}), ones({2})),
                       "Index tensor must have the same number of dimensions as self tensor");
    EXPECT_EMBER_ERROR(
        z.scatter(0, zeros({1, 5}, {.dtype = int64}), 1.0),
        "Expected index [1, 5] to be smaller than self [3, 4] apart from dimension 0");
    EXPECT_EMBER_ERROR(z.scatter(1, tensor({{0, 0}}), tensor(5.)),
                       "Index tensor must have the same number of dimensions as src tensor");
    EXPECT_EMBER_ERROR(z.scatter_add(1, tensor({{0, 9}}), ones({1, 2})),
                       "index 9 is out of bounds for dimension 1 with size 4");
    EXPECT_EMBER_ERROR(z.scatter_add(1, tensor({{0, 0}}).to(int32), ones({1, 2})),
                       "scatter(): Expected dtype int64 for index");
    EXPECT_EMBER_ERROR(z.scatter_add_(1, tensor({{0, 0}}), ones({1, 2}, {.dtype = float64})),
                       "scatter(): Expected self.dtype to be equal to src.dtype");
    EXPECT_EMBER_ERROR(z.scatter_add(3, tensor({{0, 0, 0}}), ones({1, 2})),
                       "(expected to be in range of [-2, 1], but got 3)");
    EXPECT_EMBER_ERROR(
        z.scatter_(1, tensor({{0, 0, 0}}), ones({1, 2})),
        "Expected index [1, 3] to be "
        "smaller than self [3, 4] apart from dimension 1 and to be smaller size than src [1, 2]");
}

TEST(OneHot, MatchesPyTorch) {
    expect_outputs("one_hot_infer", {one_hot(in("one_hot_infer"))});
    expect_outputs("one_hot_classes", {one_hot(longs({0, 2, 1}), 5)});
    expect_outputs("one_hot_scalar", {one_hot(tensor(2))});
    expect_outputs("one_hot_empty", {one_hot(zeros({0}, {.dtype = int64}), 3)});
    // A non-contiguous input works like its contiguous copy.
    Tensor t = tensor({{0, 1}, {2, 0}});
    EXPECT_TENSOR_EQ(one_hot(t.t()), one_hot(t.t().contiguous()));
}

TEST(OneHot, Errors) {
    EXPECT_EMBER_ERROR(one_hot(longs({0, 2, 1}), 2),
                       "Class values must be smaller than num_classes.");
    EXPECT_EMBER_ERROR(one_hot(longs({0, -1, 1}), 3), "Class values must be non-negative.");
    EXPECT_EMBER_ERROR(one_hot(longs({0, -1, 1})), "Class values must be non-negative.");
    EXPECT_EMBER_ERROR(one_hot(longs({0, 1}), -2),
                       "Class values must be smaller than num_classes.");
    EXPECT_EMBER_ERROR(one_hot(tensor({0., 1.})), "one_hot is only applicable to index tensor.");
    EXPECT_EMBER_ERROR(one_hot(longs({0, 1}).to(int32)),
                       "one_hot is only applicable to index tensor.");
    EXPECT_EMBER_ERROR(one_hot(zeros({0}, {.dtype = int64})),
                       "Can not infer total number of classes from empty tensor.");
    EXPECT_EMBER_ERROR(one_hot(zeros({0}, {.dtype = int64}), 0),
                       "Can not infer total number of classes from empty tensor.");
    EXPECT_EMBER_ERROR(one_hot(longs({0, 0}), 0), "Class values must be smaller than num_classes.");
}

// ---- masked_select, nonzero -----------------------------------------------------------------

TEST(MaskedSelect, MatchesPyTorch) {
    Tensor y = in("masked_select_broadcast_mask");
    expect_outputs("masked_select_broadcast_mask",
                   {y.masked_select(tensor({true, false, true, true}))});
    expect_outputs("masked_select_broadcast_self", {y[0].masked_select(y > 0)});
    expect_outputs("masked_select_transposed", {masked_select(y.t(), y.t() < 0)});
    expect_outputs("masked_select_uint8",
                   {in("masked_select_uint8").masked_select(longs({1, 0}).to(uint8))});
    expect_outputs("masked_select_scalar", {tensor(2.).masked_select(tensor(true))});
}

TEST(MaskedSelect, Errors) {
    Tensor x = arange(12.).reshape({3, 4});
    EXPECT_EMBER_ERROR(x.masked_select(tensor({true, false, true})),
                       "The size of tensor a (3) must "
                       "match the size of tensor b (4) at non-singleton dimension 1");
    EXPECT_EMBER_ERROR(x.masked_select(longs({1, 0, 1, 0})),
                       "masked_select: expected BoolTensor or ByteTensor for mask");
}

TEST(Nonzero, MatchesPyTorch) {
    Tensor nz = in("nonzero_float");
    expect_outputs("nonzero_float", {nz.nonzero()});
    expect_outputs("nonzero_transposed", {nonzero(nz.t())});
    expect_outputs("nonzero_bool_3d", {in("nonzero_bool_3d").nonzero()});
    expect_outputs("nonzero_scalar", {tensor(5.).nonzero(), tensor(0).nonzero()});
    expect_outputs("nonzero_empty", {zeros({0, 3}).nonzero()});
    expect_outputs("nonzero_int16", {longs({0, 3, 0, -2}).to(int16).nonzero()});
}

// ---- sort, topk -----------------------------------------------------------------------------

TEST(Sort, MatchesPyTorch) {
    Tensor tn = in("sort_nan_ties");
    expect_outputs("sort_nan_ties", concat({both(tn.sort()), both(tn.sort(-1, true))}));
    // 200 values with many ties: the default order is std::sort's (PyTorch's), not stable.
    Tensor ties = in("sort_ties_long");
    expect_outputs("sort_ties_long",
                   concat({both(ties.sort()), both(ties.sort(-1, true)),
                           both(sort(ties, -1, false, true)), both(ties.sort(-1, true, true))}));
    Tensor m = in("sort_dim0_transposed");
    expect_outputs("sort_dim0_transposed", concat({both(m.t().sort(0)), both(m.sort(0, true))}));
    Tensor ti = in("sort_int32_ties");
    expect_outputs(
        "sort_int32_ties",
        concat({both(ti.sort()), both(ti.index({Slice(), Slice(None, None, 3)}).sort(-1, true))}));
    Tensor tb = in("sort_bool");
    expect_outputs("sort_bool", concat({both(tb.sort()), both(tb.sort(-1, true))}));
    expect_outputs("sort_float16", both(in("sort_float16").sort()));
    expect_outputs("sort_scalar_empty",
                   concat({both(tensor(2.).sort()), both(zeros({0, 3}).sort(0))}));
}

TEST(Sort, Errors) {
    EXPECT_EMBER_ERROR(zeros({3, 4}).sort(2), "(expected to be in range of [-2, 1], but got 2)");
    EXPECT_EMBER_ERROR(tensor(3.).sort(1), "(expected to be in range of [-1, 0], but got 1)");
}

TEST(Topk, MatchesPyTorch) {
    Tensor tk = in("topk_nth_element");
    expect_outputs("topk_nth_element", concat({both(tk.topk(3)), both(tk.topk(3, -1, false)),
                                               both(tk.topk(5, -1, true, false)),
                                               both(topk(tk, 40, -1, false, false))}));
    Tensor tl = in("topk_partial_sort");
    expect_outputs("topk_partial_sort", concat({both(tl.topk(3)), both(tl.topk(4, -1, false))}));
    expect_outputs("topk_dim0_transposed",
                   concat({both(tk.t().topk(2, 0)),
                           both(tk.index({Slice(), Slice(None, None, 7)}).topk(2, 0))}));
    expect_outputs("topk_int64", both(in("topk_int64").topk(4)));
    expect_outputs("topk_bfloat16", both(in("topk_bfloat16").topk(2, -1, false)));
    Tensor small = tensor({1., 3., 2., 3., 1.});
    expect_outputs("topk_small", concat({both(small.topk(3)), both(small.topk(3, -1, false)),
                                         both(tensor({1., kNaN, 3.}).topk(2))}));
    expect_outputs("topk_k0_scalar", concat({both(ones({3, 4}).topk(0)), both(tensor(3.).topk(1)),
                                             both(tensor(3.).topk(0))}));
}

TEST(Topk, Errors) {
    Tensor x = zeros({3, 4});
    EXPECT_EMBER_ERROR(x.topk(5), "selected index k out of range");
    EXPECT_EMBER_ERROR(x.topk(-1), "selected index k out of range");
    EXPECT_EMBER_ERROR(tensor(3.).topk(2), "selected index k out of range");
    EXPECT_EMBER_ERROR(x.topk(2, 2), "(expected to be in range of [-2, 1], but got 2)");
    EXPECT_EMBER_ERROR(tensor({true, false}).topk(1), "\"topk_cpu\" not implemented for 'Bool'");
}

// ---- thread-count independence --------------------------------------------------------------

TEST(IndexingThreads, SameResultsWithOneAndTwoThreads) {
    const int saved = get_num_threads();
    auto run = [](int threads) {
        set_num_threads(threads);
        Tensor x = (arange(200000) % 97).to(float32).reshape({400, 500});
        Tensor idx = (arange(200000) * 7 % 500).reshape({400, 500});
        std::vector<Tensor> r;
        r.push_back(x.gather(1, idx));
        r.push_back(zeros({400, 500}).scatter_add(1, idx, x));
        r.push_back(x.index({x > 50}));
        r.push_back(x.nonzero());
        r.push_back(x.t().sort(0).first);
        r.push_back(x.topk(5).second);
        return r;
    };
    std::vector<Tensor> one = run(1), two = run(2);
    set_num_threads(saved);
    for (size_t i = 0; i < one.size(); ++i) EXPECT_TENSOR_EQ(two[i], one[i]) << "result " << i;
}

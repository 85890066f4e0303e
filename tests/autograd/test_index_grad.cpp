// Gradients of indexing (basic and advanced), index_select, masked_select, gather, scatter,
// scatter_add and index_put_: gradcheck with double backward, golden gradients from PyTorch for
// duplicate indices and overwritten positions (tools/golden/autograd_shape.py), in-place forms,
// and ops that must not record.
#include <gtest/gtest.h>

#include "ember/ember.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

using autograd::gradcheck;
using test::grad_leaf;
using test::json;
using test::load_golden;
using test::strided_grad_leaf;
using test::tensor_from_json;
using Fn = std::function<TensorList(const TensorList&)>;

const autograd::GradcheckOptions kGradGrad{.check_grad_grad = true};


Tensor idx(std::vector<int64_t> v) { return tensor(v, {.dtype = int64}); }
Tensor idx2(std::vector<std::vector<int64_t>> v) {
    TensorList rows;
    for (auto& r : v) rows.push_back(idx(r));
    return stack(rows);
}

Tensor mask() {
    return tensor({{1, 0, 1, 0}, {0, 0, 1, 1}, {1, 1, 0, 0}}, {.dtype = int64}).to(ember::bool_);
}

// gradcheck with double backward on a contiguous and a non-contiguous input.
void check_unary(IntArrayRef sizes, const std::function<Tensor(const Tensor&)>& op) {
    Fn fn = [op](const TensorList& in) { return TensorList{op(in[0])}; };
    EXPECT_TRUE(gradcheck(fn, {grad_leaf(sizes)}, kGradGrad));
    EXPECT_TRUE(gradcheck(fn, {strided_grad_leaf(sizes, 1)}, kGradGrad));
}

std::string grad_fn_name(const Tensor& t) { return t.grad_fn() ? t.grad_fn()->name() : "None"; }

TEST(IndexGrad, BasicIndexing) {
    check_unary({3, 4}, [](const Tensor& x) { return x.index({Slice(1, None)}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({Slice(), Slice(None, None, 2)}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({Slice(-2, None, 3), -1}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({None, Ellipsis, 1}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({Ellipsis}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({Slice(5, None)}); });  // empty
    Tensor x = grad_leaf({3, 4});
    EXPECT_EQ(grad_fn_name(x.index({Slice(1, None)})), "SliceBackward0");
    EXPECT_EQ(grad_fn_name(x.index({0, 1})), "SelectBackward0");
    EXPECT_EQ(grad_fn_name(x.index({None})), "UnsqueezeBackward0");
    EXPECT_EQ(grad_fn_name(x.index({Ellipsis})), "AliasBackward0");
    // Basic indexing gives views of the same storage, recorded or not.
    Tensor y = x * 2;
    Tensor v = y.index({Slice(1, None), Slice(None, None, 2)});
    EXPECT_TRUE(v.requires_grad());
    EXPECT_EQ(v.storage().get(), y.storage().get());
}

TEST(IndexGrad, AdvancedIndexing) {
    check_unary({3, 4}, [](const Tensor& x) { return x.index({idx({0, 2, 0})}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({Slice(), idx({-1, 0, 0})}); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({mask()}); });
    check_unary({2, 3, 4}, [](const Tensor& x) {
        return x.index({idx({0, 1, 1}), Slice(), idx({2, 2, 0})});
    });
    check_unary({3, 4}, [](const Tensor& x) { return x.index({idx({})}); });  // empty result
    check_unary({3, 4}, [](const Tensor& x) { return x.index({true}); });
    EXPECT_EQ(grad_fn_name(grad_leaf({3}).index({idx({0, 0})})), "IndexBackward0");
}

TEST(IndexGrad, IndexSelectMaskedSelect) {
    check_unary({3, 4}, [](const Tensor& x) { return x.index_select(1, idx({3, 0, 3})); });
    check_unary({3, 4}, [](const Tensor& x) { return x.index_select(-2, idx({})); });
    check_unary({3, 4}, [](const Tensor& x) {
        return x.index_select(0, idx({2, 2}).to(int32));
    });
    check_unary({}, [](const Tensor& x) { return x.index_select(0, idx({0})); });
    check_unary({3, 4}, [](const Tensor& x) { return x.masked_select(mask()); });
    check_unary({3, 1}, [](const Tensor& x) { return x.masked_select(mask()); });  // broadcast
    Tensor x = grad_leaf({3, 4});
    EXPECT_EQ(grad_fn_name(x.index_select(0, idx({1}))), "IndexSelectBackward0");
    EXPECT_EQ(grad_fn_name(x.masked_select(mask())), "MaskedSelectBackward0");
}

TEST(IndexGrad, GatherScatter) {
    const Tensor g = idx2({{0, 0, 3}, {1, 1, 1}, {2, 0, 2}});
    const Tensor s = idx2({{0, 1, 0, 2}, {2, 2, 1, 0}});  // distinct targets per column
    check_unary({3, 4}, [g](const Tensor& x) { return x.gather(1, g); });
    check_unary({3, 4}, [g](const Tensor& x) { return x.gather(-1, g.narrow(0, 0, 0)); });
    check_unary({3, 4}, [s](const Tensor& x) { return x.scatter(0, s, 1.5); });
    Fn scatter_src = [s](const TensorList& in) { return TensorList{in[0].scatter(0, s, in[1])}; };
    EXPECT_TRUE(gradcheck(scatter_src, {grad_leaf({3, 4}), strided_grad_leaf({2, 4}, 1)}, kGradGrad));
    // A src larger than index: its extra elements get zero gradient.
    EXPECT_TRUE(gradcheck(scatter_src, {strided_grad_leaf({3, 4}), grad_leaf({3, 5}, 1)}, kGradGrad));
    Fn scatter_add = [](const TensorList& in) {
        return TensorList{in[0].scatter_add(0, idx2({{0, 1, 0, 0}, {0, 2, 1, 0}}), in[1])};
    };
    EXPECT_TRUE(gradcheck(scatter_add, {grad_leaf({3, 4}), strided_grad_leaf({2, 4}, 1)}, kGradGrad));
    // In-place forms on non-leaves record through autograd::inplace_op.
    Fn inplace = [s](const TensorList& in) {
        Tensor a = in[0] * 1, b = in[0] * 1, c = in[0] * 1;
        a.scatter_(0, s, in[1]);
        b.scatter_(0, s, 2.);
        c.scatter_add_(0, s, in[1]);
        return TensorList{a, b, c};
    };
    EXPECT_TRUE(gradcheck(inplace, {grad_leaf({3, 4}), grad_leaf({2, 4}, 1)}, kGradGrad));
    Tensor x = grad_leaf({3, 4}), src = grad_leaf({2, 4}, 1);
    EXPECT_EQ(grad_fn_name(x.gather(1, g)), "GatherBackward0");
    EXPECT_EQ(grad_fn_name(x.scatter(0, s, src)), "ScatterBackward0");
    EXPECT_EQ(grad_fn_name(x.scatter(0, s, 1.)), "ScatterBackward1");
    EXPECT_EQ(grad_fn_name(x.scatter_add(0, s, src)), "ScatterAddBackward0");
    Tensor y = x * 1;
    y.scatter_add_(0, s, src);
    EXPECT_EQ(grad_fn_name(y), "ScatterAddBackward0");
    EXPECT_EMBER_ERROR(x.scatter_(0, s, 1.), "a leaf Variable that requires grad");
}

TEST(IndexGrad, IndexPutInPlace) {
    Fn put = [](const TensorList& in) {
        Tensor a = in[0] * 1, b = in[0] * 1, c = in[0] * 1, d = in[0] * 1;
        a.index_put_({idx({2, 0})}, in[1]);                   // a row per index
        b.index_put_({mask()}, in[1].select(0, 0).narrow(0, 0, 1));  // broadcast scalar-like
        c.index_put_({Slice(1, None), idx({0, 3})}, in[1].select(0, 1).narrow(0, 0, 2));
        d.index_put_({1}, in[1].select(0, 0));                // basic index only
        return TensorList{a, b, c, d};
    };
    EXPECT_TRUE(gradcheck(put, {grad_leaf({3, 4}), strided_grad_leaf({2, 4}, 1)}, kGradGrad));
    Tensor x = grad_leaf({3, 4});
    Tensor y = x * 1;
    y.index_put_({idx({0})}, 5.);
    EXPECT_EQ(grad_fn_name(y), "IndexPutBackward0");
    y.sum().backward();
    EXPECT_TENSOR_EQ(x.grad().select(0, 0), zeros({4}, {.dtype = float64}));
    EXPECT_TENSOR_EQ(x.grad().select(0, 1), ones({4}, {.dtype = float64}));
    EXPECT_EMBER_ERROR(x.index_put_({idx({0})}, 1.), "a leaf Variable that requires grad");
    // Without grad mode, a leaf may be written (an optimizer step).
    {
        NoGradGuard no_grad;
        x.index_put_({idx({0})}, 1.);
    }
    EXPECT_FALSE(x.grad_fn());
}

TEST(IndexGrad, NonDifferentiableResultsDoNotRecord) {
    Tensor x = grad_leaf({3, 4});
    EXPECT_FALSE(nonzero(x).requires_grad());
    EXPECT_FALSE(one_hot(idx({0, 2})).requires_grad());
    EXPECT_FALSE(x.detach().index({idx({0})}).requires_grad());
    EXPECT_FALSE(x.gt(0).index({idx({0})}).requires_grad());
    NoGradGuard no_grad;
    EXPECT_FALSE(x.index({idx({0})}).requires_grad());
    EXPECT_FALSE(x.gather(1, idx2({{0}, {0}, {0}})).requires_grad());
}

TEST(IndexGrad, InPlaceOnViewsOfGraphTensors) {
    // CopySlices: the base takes the in-place change of its view, the view stays a view.
    Fn fn = [](const TensorList& in) {
        Tensor y = in[0] * 2;
        Tensor row = y[1];
        row.mul_(in[1]);
        y.index({Slice(), 0}).index_put_({idx({2})}, in[1].select(0, 0));
        Tensor z = zeros({3, 4}, {.dtype = float64});
        z.narrow(1, 1, 2).copy_(in[0].narrow(1, 0, 2));
        return TensorList{y, row, z};
    };
    EXPECT_TRUE(gradcheck(fn, {grad_leaf({3, 4}), strided_grad_leaf({4}, 1)}, kGradGrad));
    Tensor x = grad_leaf({3, 4});
    Tensor y = x * 2;
    Tensor row = y[1];
    row.mul_(3);
    EXPECT_EQ(grad_fn_name(y), "CopySlices");
    EXPECT_EQ(grad_fn_name(row), "AsStridedBackward0");
    EXPECT_TRUE(row.is_view());
    EXPECT_EQ(row.storage().get(), y.storage().get());
    // A view of a leaf that requires grad is still refused.
    EXPECT_EMBER_ERROR(x[0].mul_(2), "a view of a leaf Variable that requires grad");
    // So is a recorded write into a view of a non-contiguous base (not a view itself).
    Tensor strided = zeros({4, 3}, {.dtype = float64}).t().detach();
    ASSERT_FALSE(strided.is_view());
    EXPECT_EMBER_ERROR(strided[0].copy_(x[0]), "in-place operations on a view of a non-contiguous");
    strided[0].copy_(x[0].detach());  // nothing to record: allowed
}

// ---- golden gradients (duplicate indices, overwritten positions) -----------------------------

const json& cases() {
    static const json j = load_golden("autograd_shape")["cases"];
    return j;
}

// The op of each case of tools/golden/autograd_shape.py.
Tensor apply_case(const std::string& name, const TensorList& in) {
    const Tensor IDX = idx2({{0, 1, 0, 0}, {0, 2, 1, 0}});
    if (name == "index_dup") return in[0].index({idx({0, 2, 0})});
    if (name == "index_2d_dup")
        return in[0].index({idx2({{0, 1}, {0, 1}}), idx2({{1, 1}, {3, 1}})});
    if (name == "index_mask") return in[0].index({mask()});
    if (name == "index_slice_then_tensor") return in[0].index({Slice(1, None), idx({0, 0, 3})});
    if (name == "index_nonadjacent") return in[0].index({idx({0, 1, 1}), Slice(), idx({2, 2, 0})});
    if (name == "gather_dup") return in[0].gather(1, idx2({{0, 0, 3}, {1, 1, 1}, {2, 0, 2}}));
    if (name == "scatter_dup") return in[0].scatter(0, IDX, in[1]);
    if (name == "scatter_value") return in[0].scatter(0, IDX, 2.0);
    if (name == "scatter_add_dup") return in[0].scatter_add(0, IDX, in[1]);
    if (name == "index_select_dup") return in[0].index_select(1, idx({3, 0, 3}));
    if (name == "masked_select_broadcast") return in[0].masked_select(mask());
    if (name == "index_put_dup") return (in[0] * 1).index_put_({idx({0, 0})}, in[1]);
    if (name == "index_put_broadcast") return (in[0] * 1).index_put_({idx({2, 0})}, in[1]);
    if (name == "index_put_mask") return (in[0] * 1).index_put_({mask()}, in[1]);
    if (name == "as_strided_overlap") return in[0].as_strided({3, 3}, {1, 1});
    if (name == "copy_slices_mul") {
        Tensor y = in[0] * 2;
        y[0].mul_(3);
        return y;
    }
    if (name == "copy_slices_into_plain") {
        Tensor z = zeros({2, 4}, {.dtype = float64});
        z[1].copy_(in[0]);
        return z;
    }
    if (name == "copy_slices_index_put") {
        Tensor y = in[0] * 1;
        y.index({Slice(1, None)}).index_put_({idx({0, 0}), idx({1, 3})}, in[1]);
        return y;
    }
    if (name == "copy_slices_transposed") {
        Tensor y = in[0] * 1;
        y.t()[1].mul_(in[0].select(1, 2));
        return y;
    }
    if (name == "as_strided_expanded") return in[0].expand({2, 3}).as_strided({2, 2}, {1, 1});
    ADD_FAILURE() << "no op for case " << name;
    return {};
}

TEST(IndexGrad, GoldenGradientsFromPyTorch) {
    ASSERT_EQ(cases().size(), 20u);
    for (const auto& [name, c] : cases().items()) {
        SCOPED_TRACE(name);
        TensorList leaves;
        for (const json& t : c["inputs"]) leaves.push_back(tensor_from_json(t).requires_grad_());
        Tensor out = apply_case(name, leaves);
        ASSERT_TRUE(out.defined());
        // index_put_ runs on x * 1, whose name is its own: the case's grad_fn is the op's.
        EXPECT_EQ(grad_fn_name(out), c["grad_fn"].get<std::string>());
        out.backward(tensor_from_json(c["grad_output"]));
        for (size_t i = 0; i < leaves.size(); ++i)
            EXPECT_TENSOR_CLOSE(leaves[i].grad(), tensor_from_json(c["grads"][i]));
    }
}

}  // namespace
}  // namespace ember

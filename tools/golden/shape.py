"""Golden values for indexing and shape ops (tests/ops/test_indexing.cpp, tests/ops/test_shape.cpp).

Run with Debian's interpreter: /usr/bin/python3 tools/golden/shape.py

Each case stores its input tensors ("in": a list, contiguous) and PyTorch's results ("out": a
list). The C++ test applies the same views (transpose, stepped slice, expand) and the same op
as the expression written next to each case here, so the two must be kept in step by name.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import tensor_json, write_fixture  # noqa: E402

torch.manual_seed(0)
F = torch.nn.functional
CASES = {}


def compact(t):
    """tensor_json with float32/16 values cut to 9 significant digits (exact once parsed)."""
    tj = tensor_json(t)
    if tj["dtype"] in ("float32", "float16", "bfloat16"):
        tj["data"] = [float("%.9g" % v) if isinstance(v, float) else v for v in tj["data"]]
    return tj


def case(name, inputs, outputs):
    assert name not in CASES, name
    CASES[name] = {"in": [compact(t) for t in inputs], "out": [compact(t) for t in outputs]}


def rnd(*shape, dtype=torch.float32):
    """Random values with 4 decimals (short in JSON, exact once rounded to the dtype)."""
    t = (torch.randn(shape, dtype=torch.float64) * 10000).round() / 10000
    return t.to(dtype)


def ints(*shape, lo=-5, hi=6, dtype=torch.int64):
    return torch.randint(lo, hi, shape, dtype=dtype)


# ---- index: basic (views) and advanced (copies) ----------------------------------------------
x = rnd(2, 3, 4)
m23 = torch.tensor([[True, False, True], [False, False, True]])
m34 = torch.tensor([[True, False, False, True], [False, True, False, False],
                    [True, True, False, False]])
i3 = torch.tensor([1, 0, 1])
i2 = torch.tensor([-1, 0])
case("index_int_neg", [x], [x[-1]])
case("index_slices", [x], [x[:, 1:, ::2]])
case("index_slice_clamp", [x], [x[-100:100, -2:, 1:-1:2]])
case("index_slice_empty", [x], [x[5:1]])
case("index_none_ellipsis", [x], [x[None, ..., None, 1]])
case("index_ellipsis_int", [x], [x[..., 2]])
case("index_mask_values", [x], [x[x > 0.5]])
case("index_mask_2d", [x, m23], [x[m23]])
case("index_mask_dim1", [x, m34], [x[:, m34]])
case("index_mask_ellipsis", [x, m34], [x[..., m34]])
case("index_long", [x, i3], [x[i3]])
case("index_long_neg_dim1", [x, i2], [x[:, i2]])
case("index_two_adjacent", [x], [x[:, torch.tensor([0, 2]), torch.tensor([1, 3])]])
case("index_two_separated", [x], [x[torch.tensor([0, 1]), :, torch.tensor([1, 3])]])
case("index_broadcast", [x], [x[torch.tensor([[0], [1]]), torch.tensor([[0, 1, 2]])]])
case("index_int_between", [x], [x[torch.tensor([0, 1]), 1, torch.tensor([1, 3])]])
case("index_none_between", [x], [x[torch.tensor([1]), None, torch.tensor([-1])]])
case("index_bool_true", [x], [x[True]])
case("index_bool_false", [x], [x[False]])
case("index_zero_dim_long", [x], [x[torch.tensor(1)]])
case("index_zero_dim_bool", [x], [x[1, torch.tensor(True)]])
case("index_transposed", [x], [x.transpose(1, 2)[:, torch.tensor([0, 3]), 1:]])
case("index_stepped_mask", [x], [x[:, ::2][x[:, ::2] < 0]])
e = torch.arange(3.)
case("index_expanded", [e], [e.expand(4, 3)[torch.tensor([0, 3]), torch.tensor([2, 1])]])
case("index_empty_long", [x], [x[torch.tensor([], dtype=torch.int64)]])
case("index_empty_mask", [x], [x[torch.zeros(2, 3, 4, dtype=torch.bool)]])
xi = ints(3, 4, dtype=torch.int32)
case("index_int32_data", [xi], [xi[torch.tensor([2, 0]), 1:3]])
xh = rnd(3, 4, dtype=torch.float16)
case("index_float16_mask", [xh], [xh[xh > 0]])
xb = torch.rand(3, 4) > 0.5
case("index_bool_data", [xb], [xb[:, torch.tensor([3, 3, 0])]])
xd = rnd(4, 5, dtype=torch.float64)
case("index_float64_uint8_mask", [xd], [xd[(xd > 0).to(torch.uint8)]])
s = torch.tensor(3.5)
case("index_scalar_forms", [s], [s[None], s[...], s[True], s[False]])

# ---- index_put_ ---------------------------------------------------------------------------------
def put(t, idx, v):
    t = t.clone()
    t[idx] = v
    return t


z = torch.zeros(3, 4)
mz = torch.tensor([[True, False, True, False], [False, False, False, True],
                   [True, True, False, False]])
case("put_mask_scalar", [z, mz], [put(z, mz, 5.0)])
case("put_mask_values", [z, mz], [put(z, mz, torch.arange(1., 6.))])
case("put_rows", [z], [put(z, torch.tensor([0, 2]), torch.tensor([1., 2., 3., 4.]))])
case("put_cols_broadcast", [z], [put(z, (slice(None), torch.tensor([1, 3])),
                                     torch.tensor([[1.], [2.], [3.]]))])
case("put_duplicates", [z], [put(z, (torch.tensor([0, 0, 2]), torch.tensor([1, 1, 3])),
                                 torch.tensor([1., 2., 3.]))])
case("put_basic_slice", [z], [put(z, (slice(1, None), slice(None, None, 2)),
                                  torch.tensor([7., 8.]))])
case("put_ellipsis_scalar", [z], [put(z, (Ellipsis, 0), 9.0)])
case("put_leading_ones", [z], [put(z, torch.tensor([-1]), torch.ones(1, 1, 4) * 2)])
zt = torch.zeros(4, 3)
case("put_transposed", [zt], [put(zt.t(), torch.tensor([0, 2]), torch.tensor([1., 2., 3., 4.]))])
zi = torch.zeros(3, 4, dtype=torch.int64)
case("put_int_scalar", [zi], [put(zi, (torch.tensor([1, 2]), torch.tensor([0, -1])), 7)])
case("put_int_basic_convert", [zi], [put(zi, 1, torch.tensor([1.7, 2.2, -3.9, 4.0]))])
case("put_separated", [torch.zeros(2, 3, 4)],
     [put(torch.zeros(2, 3, 4), (torch.tensor([0, 1]), slice(None), torch.tensor([3, 0])),
          torch.arange(6.).reshape(2, 3))])

# ---- cat / stack --------------------------------------------------------------------------------
a, b, c = rnd(2, 3), rnd(1, 3), rnd(2, 2)
case("cat_dim0", [a, b], [torch.cat([a, b], 0)])
case("cat_dim1_neg", [a, c], [torch.cat([a, c], -1)])
w = rnd(3, 4)
case("cat_transposed", [a, w], [torch.cat([a.t(), w], 1)])
ai, ad = ints(2, 3, dtype=torch.int32), rnd(2, 3, dtype=torch.float64)
case("cat_promote_int_double", [ai, ad], [torch.cat([ai, ad])])
u8, i8 = torch.tensor([1, 200], dtype=torch.uint8), torch.tensor([-1, 5], dtype=torch.int8)
case("cat_promote_uint8_int8", [u8, i8], [torch.cat([u8, i8])])
bo, i8b = torch.tensor([True, False]), torch.tensor([3, -4], dtype=torch.int8)
case("cat_promote_bool_int8", [bo, i8b], [torch.cat([bo, i8b])])
case("cat_legacy_empty", [a], [torch.cat([torch.zeros(0, dtype=torch.float64), a,
                                          torch.zeros(0)], 1)])
case("cat_empty_rows", [a], [torch.cat([a, torch.zeros(0, 3)], 0)])
case("cat_stepped_expanded", [a, torch.arange(3.)], [torch.cat([a[::2], torch.arange(3.).expand(2, 3)])])
case("stack_dim0", [a, a * 2], [torch.stack([a, a * 2])])
case("stack_dim_last", [a, a * 2], [torch.stack([a, a * 2], -1)])
case("stack_transposed_dim1", [a, b.expand(2, 3)], [torch.stack([a.t(), b.expand(2, 3).t()], 1)])
case("stack_promote", [ai, ad], [torch.stack([ai, ad], 1)])

# ---- index_select, gather, scatter ----------------------------------------------------------------
y = rnd(3, 4)
case("index_select_dim0", [y], [y.index_select(0, torch.tensor([2, 0, 2]))])
case("index_select_dim1_int32", [y], [y.index_select(1, torch.tensor([3, 1], dtype=torch.int32))])
case("index_select_transposed", [y], [y.t().index_select(-1, torch.tensor([1]))])
case("index_select_zero_dim_index", [y], [y.index_select(1, torch.tensor(2))])
case("index_select_empty", [y], [y.index_select(1, torch.tensor([], dtype=torch.int64))])
yi = ints(5, 2)
case("index_select_int64_stepped", [yi], [yi[::2].index_select(0, torch.tensor([1, 1, 0]))])
case("index_select_scalar", [torch.tensor(2.5)], [torch.tensor(2.5).index_select(0, torch.tensor([0]))])

g0 = torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0]])
g1 = torch.tensor([[3, 0], [1, 1], [0, 2]])
case("gather_dim0", [y, g0], [y.gather(0, g0)])
case("gather_dim1_smaller", [y, g1], [y.gather(1, g1)])
case("gather_transposed", [y, g1], [y.t().gather(0, g1.t())])
case("gather_expanded_index", [y], [y.gather(1, torch.tensor([[3], [0], [1]]).expand(3, 5))])
yh = rnd(3, 4, dtype=torch.bfloat16)
case("gather_bfloat16", [yh, g0], [yh.gather(0, g0)])
case("gather_scalar", [torch.tensor(1.5)], [torch.tensor(1.5).gather(0, torch.tensor([0, 0]))])
case("gather_empty", [y], [y.gather(0, torch.zeros(0, 2, dtype=torch.int64))])

s0 = torch.tensor([[0, 1, 2, 0, 1], [2, 0, 0, 1, 2]])
src = rnd(2, 5)
case("scatter_dim0", [src, s0], [torch.zeros(3, 5).scatter(0, s0, src)])
case("scatter_value", [s0], [torch.zeros(3, 5).scatter(0, s0, 2.5)])
case("scatter_int_value_truncates", [s0],
     [torch.zeros(3, 5, dtype=torch.int64).scatter(0, s0, 2.7)])
case("scatter_dim1_duplicates", [], [torch.zeros(2, 4).scatter(
    1, torch.tensor([[1, 1, 3], [0, 0, 0]]), torch.tensor([[1., 2., 3.], [4., 5., 6.]]))])
dup = torch.tensor([[0, 0, 0, 1, 0, 0, 1, 0]])
vals = rnd(1, 8)
case("scatter_add_duplicates", [vals, dup], [torch.ones(1, 3).scatter_add(1, dup, vals)])
valh = rnd(1, 8, dtype=torch.float16)
case("scatter_add_float16", [valh, dup],
     [torch.full((1, 3), 0.1, dtype=torch.float16).scatter_add(1, dup, valh)])
case("scatter_add_int", [s0], [torch.zeros(3, 5, dtype=torch.int32).scatter_add(
    0, s0, torch.arange(10, dtype=torch.int32).reshape(2, 5))])
big = rnd(4, 6)
case("scatter_transposed_self", [big], [torch.zeros(5, 3).t().scatter(
    1, torch.tensor([[4, 0], [1, 1], [2, 4]]), big.t())])
case("scatter_add_stepped_src", [big], [torch.zeros(2, 6).scatter_add(
    0, torch.tensor([[1, 0, 1, 1, 0, 0]]), big[::2])])
case("scatter_empty_index", [], [torch.ones(2, 2).scatter(0, torch.zeros(0, 2, dtype=torch.int64),
                                                          torch.zeros(0, 2))])
one_hot_in = torch.tensor([[0, 2], [1, 2]])
case("one_hot_infer", [one_hot_in], [F.one_hot(one_hot_in)])
case("one_hot_classes", [torch.tensor([0, 2, 1])], [F.one_hot(torch.tensor([0, 2, 1]), 5)])
case("one_hot_scalar", [torch.tensor(2)], [F.one_hot(torch.tensor(2))])
case("one_hot_empty", [], [F.one_hot(torch.zeros(0, dtype=torch.int64), 3)])

# ---- masked_select, nonzero -------------------------------------------------------------------
case("masked_select_broadcast_mask", [y], [y.masked_select(torch.tensor([True, False, True, True]))])
case("masked_select_broadcast_self", [y], [y[0].masked_select(y > 0)])
case("masked_select_transposed", [y], [y.t().masked_select(y.t() < 0)])
case("masked_select_uint8", [yi], [yi.masked_select(torch.tensor([1, 0], dtype=torch.uint8))])
case("masked_select_scalar", [], [torch.tensor(2.).masked_select(torch.tensor(True))])
nz = torch.tensor([[0., float("nan"), -0.0, 1.], [2., 0., 0., -3.]])
case("nonzero_float", [nz], [nz.nonzero()])
case("nonzero_transposed", [nz], [nz.t().nonzero()])
nb = torch.rand(2, 3, 4) > 0.6
case("nonzero_bool_3d", [nb], [nb.nonzero()])
case("nonzero_scalar", [], [torch.tensor(5.).nonzero(), torch.tensor(0).nonzero()])
case("nonzero_empty", [], [torch.zeros(0, 3).nonzero()])
case("nonzero_int16", [], [torch.tensor([0, 3, 0, -2], dtype=torch.int16).nonzero()])

# ---- sort / topk ------------------------------------------------------------------------------------
nan = float("nan")
tn = torch.tensor([3., nan, 1., nan, -float("inf"), 1., 0., -0.0, 3.])
case("sort_nan_ties", [tn], [*tn.sort(), *tn.sort(descending=True)])
ties = torch.randint(0, 5, (200,)).float()
ties[7] = nan
ties[150] = nan
case("sort_ties_long", [ties], [*ties.sort(), *ties.sort(descending=True),
                                *ties.sort(stable=True), *ties.sort(descending=True, stable=True)])
m = torch.randint(0, 4, (3, 40)).to(torch.float64)
case("sort_dim0_transposed", [m], [*m.t().sort(0), *m.sort(0, descending=True)])
ti = torch.randint(-3, 3, (5, 30), dtype=torch.int32)
case("sort_int32_ties", [ti], [*ti.sort(), *ti[:, ::3].sort(descending=True)])
tb = torch.rand(25) > 0.5
case("sort_bool", [tb], [*tb.sort(), *tb.sort(descending=True)])
th = rnd(20, dtype=torch.float16)
th[3] = th[4]
case("sort_float16", [th], [*th.sort()])
case("sort_scalar_empty", [], [*torch.tensor(2.).sort(), *torch.zeros(0, 3).sort(0)])

tk = torch.randint(0, 6, (4, 100)).float()
tk[1, 5] = nan
case("topk_nth_element", [tk], [*tk.topk(3), *tk.topk(3, largest=False), *tk.topk(5, sorted=False),
                                *tk.topk(40, largest=False, sorted=False)])
tl = torch.randint(0, 6, (2, 300)).float()
case("topk_partial_sort", [tl], [*tl.topk(3), *tl.topk(4, largest=False)])
case("topk_dim0_transposed", [tk], [*tk.t().topk(2, dim=0), *tk[:, ::7].topk(2, 0)])
tki = torch.randint(-50, 50, (3, 20), dtype=torch.int64)
case("topk_int64", [tki], [*tki.topk(4)])
tkb = rnd(3, 10, dtype=torch.bfloat16)
case("topk_bfloat16", [tkb], [*tkb.topk(2, largest=False)])
case("topk_small", [], [*torch.tensor([1., 3., 2., 3., 1.]).topk(3),
                        *torch.tensor([1., 3., 2., 3., 1.]).topk(3, largest=False),
                        *torch.tensor([1., nan, 3.]).topk(2)])
case("topk_k0_scalar", [], [*torch.ones(3, 4).topk(0), *torch.tensor(3.).topk(1),
                            *torch.tensor(3.).topk(0)])

# ---- flip, repeat, tril, triu -------------------------------------------------------------------
f = rnd(2, 3, 4)
case("flip_0_2", [f], [f.flip([0, 2])])
case("flip_last", [f], [f.flip([-1])])
case("flip_transposed", [f], [f.transpose(0, 2).flip([1, 0])])
case("flip_expanded", [], [torch.arange(3).expand(2, 3).flip([0, 1])])
case("flip_int_bool", [ti, tb], [ti.flip([1]), tb.flip([0])])
case("flip_scalar_empty", [], [torch.tensor(3.).flip([0]), torch.zeros(0, 2).flip([0])])
r = rnd(2, 3)
case("repeat_more_dims", [r], [r.repeat(2, 1, 2)])
case("repeat_transposed", [r], [r.t().repeat(1, 3)])
case("repeat_scalar", [], [torch.tensor(7.).repeat(2, 2)])
case("repeat_zero", [r], [r.repeat(0, 2)])
case("repeat_int_expanded", [], [torch.arange(3).expand(2, 3).repeat(2, 2)])
tr = rnd(3, 4)
case("tril_diagonals", [tr], [tr.tril(), tr.tril(-1), tr.tril(1), tr.tril(10), tr.tril(-10)])
case("triu_diagonals", [tr], [tr.triu(), tr.triu(-1), tr.triu(2), tr.triu(10), tr.triu(-10)])
tr3 = rnd(2, 4, 3)
case("tril_batch_transposed", [tr3], [tr3.transpose(1, 2).tril(), tr3.triu(1)])
case("tril_bool_int", [], [torch.ones(3, 3, dtype=torch.bool).tril(),
                           torch.arange(12).reshape(3, 4).triu(-1)])
case("tril_empty", [], [torch.ones(0, 4).tril(), torch.ones(2, 0, 3).triu()])

write_fixture("shape", __file__, {"cases": CASES})

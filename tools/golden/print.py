"""Golden values for tensor printing: repr(t) under print options, for every example of the
printing reference plus a seeded random batch (all real dtypes, 0-4 dims, empty, summarized,
nan/inf/-0, tiny/huge values, non-contiguous views, random options). Writes tests/golden/print.json.

Each case stores the tensor (exact values; a view case stores the contiguous base and the view
ops to apply), the successive set_printoptions calls, requires_grad, and the expected repr or
the error PyTorch raised.
"""
import math
import random

import torch

from common import tensor_json, write_fixture

NAN, INF = float("nan"), float("inf")
FLOAT_DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
INT_DTYPES = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + [torch.bool]


def apply_view(t, ops):
    """The ops a case lists, applied as the C++ test applies them with ember."""
    for op in ops:
        kind = op[0]
        if kind == "transpose":
            t = t.transpose(op[1], op[2])
        elif kind == "slice":
            _, dim, start, stop, step = op
            t = t[(slice(None),) * dim + (slice(start, stop, step),)]
        elif kind == "expand":
            t = t.expand(*op[1])
        elif kind == "permute":
            t = t.permute(*op[1])
        else:
            raise ValueError(kind)
    return t


def make_case(name, base, options=(), requires_grad=False, view=()):
    """Prints `base` (viewed through `view`) after the set_printoptions calls in `options`."""
    options = [dict(o) for o in options]
    try:
        for o in options:
            torch.set_printoptions(**o)
        t = apply_view(base, view)
        if requires_grad:
            t.requires_grad_(True)
        expected = {"repr": repr(t)}
    except RuntimeError as e:
        expected = {"error": str(e)}
    finally:
        torch.set_printoptions(profile="default")
    case = {"name": name, "tensor": tensor_json(base), "expected": expected}
    if options:
        case["options"] = options
    if requires_grad:
        case["requires_grad"] = True
    if view:
        case["view"] = [list(op) for op in view]
    return case


def reference_cases():
    """Every example of the printing reference (section 7), except grad_fn ones (no autograd)."""
    f, d = torch.float32, torch.float64
    T = torch.tensor
    cases = []

    def add(name, t, **kw):
        cases.append(make_case(name, t, **kw))

    add("seed", T([[1., -1.], [1., -1.]]))
    add("fixed", T([1.5, 2.25, -3.0]))
    add("fixed_round", T([0.1, 0.12345]))
    add("sci_small_ratio", T([1e-5, 1.]))
    add("sci_1e-4_float32", T([1e-4, 1.]))
    add("float64_1e-4", T([0.0001], dtype=d))
    add("float32_1e-4", T([0.0001]))
    add("fixed_1e-3", T([1e-3, 1.]))
    add("int_ratio_1000", T([1., 1000.]))
    add("int_ratio_1001", T([1., 1001.]))
    add("int_ratio_1e4", T([1., 1e4]))
    add("int_1e8", T([1e8]))
    add("int_above_1e8", T([123456789.]))
    add("int_float32_rounded", T([12345678.9]))
    add("zeros", T([0., 0.]))
    add("nonfinite_int", T([NAN, 1., INF, -INF]))
    add("nan_fixed", T([NAN, 1.5]))
    add("nan_int", T([NAN, 1000.]))
    add("nan_sci", T([NAN, 1e-5]))
    add("neg_zero_fixed", T([-0., 0.5]))
    add("neg_zero_int", T([-0., 1.]))
    add("fixed_small", T([0.00123, 0.5]))
    add("sci_ratio", T([123456.7, 0.5]))
    add("fixed_wide", T([1234.5, 2.]))
    add("sci_three", T([1e-8, 1., -2.5e9]))
    add("ragged_nonfinite", T([1.5, NAN, -INF, -0.]))
    add("ragged_inf_int", T([-INF, 1.]))
    add("ties_to_even", T([1.03125, 1.09375]))
    add("int64", T([1, 2, 3]))
    add("int32", T([1, -20, 300], dtype=torch.int32))
    add("int8_scalar", T(-5, dtype=torch.int8))
    add("bool", T([True, False]))
    add("bool_2d", T([[True, False], [False, True]]))
    add("float64", T([1., 2.], dtype=d))
    add("float64_scalar", T(2.5, dtype=d))
    add("float64_1e300", T([1e300, 1.], dtype=d))
    add("float16", T([1., 2.], dtype=torch.float16))
    add("bfloat16", T([1., 2.], dtype=torch.bfloat16))
    add("uint8", T([1, 2], dtype=torch.uint8))
    add("empty", T([]))
    add("empty_int64", T([], dtype=torch.int64))
    add("empty_bool", T([], dtype=torch.bool))
    add("empty_0x3", torch.zeros(0, 3))
    add("empty_2x0", torch.zeros(2, 0))
    add("empty_0x3_int64", torch.zeros(0, 3, dtype=torch.int64))
    add("empty_3d_int32", torch.zeros(3, 0, 2, dtype=torch.int32))
    add("empty_float64_requires_grad", T([], dtype=d), requires_grad=True)
    add("arange_2000", torch.arange(2000))
    add("arange_1001", torch.arange(1001))
    add("arange_1000", torch.arange(1000))
    add("ones_1001", torch.ones(1001))
    add("ones_requires_grad", torch.ones(2), requires_grad=True)
    add("scalar_requires_grad", T(1.), requires_grad=True)
    add("zeros_float64_requires_grad", torch.zeros(2, 3, dtype=d), requires_grad=True)
    for i, v in enumerate([3., 3.5, NAN, -0., INF, 1e10, 123456., 0.1]):
        add("scalar_float_%d" % i, T(v))
    add("scalar_int", T(3))
    add("scalar_bool", T(True))
    add("sci_mode_false_small", T([1e-5, 1.]), options=[{"sci_mode": False}])
    add("sci_mode_false_int", T([1., 1e4]), options=[{"sci_mode": False}])
    add("sci_mode_reset_quirk", T([1e-5, 1.]), options=[{"sci_mode": False}, {"precision": 4}])
    add("precision_0", T([1.5, 2.5, 3.25]), options=[{"precision": 0}])
    add("precision_2", T([1.23, 2.]), options=[{"precision": 2}])
    add("precision_2_sci", T([1e-5, 1.]), options=[{"precision": 2}])
    add("arange_3d", torch.arange(24).reshape(2, 3, 4))
    add("linspace_wrap", torch.linspace(0, 1, 30))
    add("randn_rows_wrap", torch.randn(2, 12, generator=torch.Generator().manual_seed(0)))
    add("suffix_moves", torch.ones(13), requires_grad=True)
    add("suffix_fits", torch.arange(10, 23, dtype=torch.int32))
    add("suffix_two", torch.linspace(0, 1, 5, dtype=d), requires_grad=True)
    add("suffix_two_newline", torch.linspace(0, 2, 9, dtype=d), requires_grad=True)
    add("summarized_2d", torch.arange(2000).reshape(40, 50))
    add("summarized_3d", torch.arange(1050).reshape(7, 1, 150))
    add("randn_1001", torch.randn(1001, generator=torch.Generator().manual_seed(1)))
    # Option edge cases.
    add("profile_short", torch.arange(30.) / 7, options=[{"profile": "short", "threshold": 10}])
    add("profile_full", torch.arange(1001), options=[{"profile": "full"}])
    add("profile_default_after", T([1.23456]), options=[{"precision": 7}, {"profile": "default"}])
    add("edgeitems_0_1d", torch.arange(10), options=[{"edgeitems": 0, "threshold": 3}])
    add("edgeitems_0_2d_error", torch.arange(10).reshape(2, 5),
        options=[{"edgeitems": 0, "threshold": 3}])
    add("threshold_0_scalar", T(2.5), options=[{"threshold": 0}])
    add("linewidth_tiny", torch.arange(5), options=[{"linewidth": 3}])
    add("linewidth_negative", torch.arange(5.) / 3, options=[{"linewidth": -5}])
    add("precision_12", T([1 / 3, 2.], dtype=d), options=[{"precision": 12}])
    add("precision_30_sci", T([1e-30, 1.], dtype=d), options=[{"precision": 30}])
    add("sci_true_zeros_only", T([0., NAN, -0.]), options=[{"sci_mode": True}])
    add("sci_true_ints", T([1., 2.]), options=[{"sci_mode": True}])
    add("sci_mode_int_dtype", T([1, 2]), options=[{"sci_mode": True}])
    add("int64_extremes", T([-2**63, 2**63 - 1]))
    add("float64_huge_fixed", T([1e20, 1.5], dtype=d), options=[{"sci_mode": False}])
    add("neg_nan", T([-NAN, 1.]))
    add("float16_overflow", T([70000., 1.], dtype=torch.float16))
    add("bfloat16_round", T([1.01, 300.7, -2.2], dtype=torch.bfloat16))
    # Non-contiguous inputs print their logical values.
    base = torch.arange(12.).reshape(3, 4) / 4
    add("transposed", base, view=[("transpose", 0, 1)])
    add("stepped", torch.arange(20), view=[("slice", 0, 1, None, 3)])
    add("stepped_2d", base, view=[("slice", 1, 0, None, 2)])
    add("expanded", T([[1.5], [-2.]]), view=[("expand", [2, 3])])
    add("permuted_3d", torch.arange(24, dtype=torch.int16).reshape(2, 3, 4),
        view=[("permute", [2, 0, 1])])
    add("transposed_summarized", torch.arange(1100.).reshape(22, 50), view=[("transpose", 0, 1)])
    return cases


def random_float_values(rng, n):
    style = rng.choice(["normal", "ints", "dyadic", "mixed", "special_only", "narrow", "huge",
                        "tiny"])
    if style == "normal":
        scale = 10 ** rng.uniform(-6, 10)
        vals = [rng.gauss(0, 1) * scale for _ in range(n)]
    elif style == "ints":
        top = rng.choice([10, 1000, 10 ** 5, 10 ** 9])
        vals = [float(rng.randint(-top, top)) for _ in range(n)]
    elif style == "dyadic":
        vals = [rng.randint(-400, 400) / rng.choice([2, 8, 32]) for _ in range(n)]
    elif style == "mixed":
        vals = [rng.choice([-1, 1]) * 10 ** rng.uniform(-9, 12) for _ in range(n)]
    elif style == "special_only":
        vals = [rng.choice([0., -0., NAN, INF, -INF]) for _ in range(n)]
    elif style == "narrow":
        vals = [rng.uniform(1, 999) for _ in range(n)]
    elif style == "huge":
        vals = [rng.choice([-1, 1]) * 10 ** rng.uniform(30, 300) for _ in range(n)]
    else:
        vals = [rng.choice([-1, 1]) * 10 ** rng.uniform(-300, -5) for _ in range(n)]
    if style != "special_only" and rng.random() < 0.35:
        for _ in range(rng.randint(1, 3)):
            if n:
                vals[rng.randrange(n)] = rng.choice([0., -0., NAN, INF, -INF])
    return vals


def random_tensor(rng, dtype, shape):
    n = math.prod(shape)
    if dtype.is_floating_point:
        vals = random_float_values(rng, n)
        return torch.tensor(vals, dtype=torch.float64).reshape(shape).to(dtype)
    if dtype == torch.bool:
        return torch.tensor([rng.random() < 0.5 for _ in range(n)], dtype=torch.bool).reshape(shape)
    info = torch.iinfo(dtype)
    lo, hi = (info.min, info.max) if rng.random() < 0.3 else (max(info.min, -300), min(info.max, 300))
    vals = [rng.randint(lo, hi) for _ in range(n)]
    return torch.tensor(vals, dtype=dtype).reshape(shape)


SHAPES = [(), (1,), (5,), (7,), (0,), (3, 4), (1, 9), (6, 1), (2, 3, 4), (3, 1, 5), (2, 2, 2, 3),
          (1, 2, 1, 4), (0, 3), (2, 0), (3, 0, 2), (13,), (4, 10), (2, 5, 7), (17,), (8, 8)]


def random_options(rng):
    calls = []
    if rng.random() < 0.1:
        calls.append({"profile": rng.choice(["default", "short", "full"])})
    o = {}
    if rng.random() < 0.4:
        o["precision"] = rng.randint(0, 9)
    if rng.random() < 0.4:
        o["threshold"] = rng.randint(0, 40)
    if rng.random() < 0.3:
        o["edgeitems"] = rng.randint(0, 4)
    if rng.random() < 0.35:
        o["linewidth"] = rng.randint(8, 160)
    if rng.random() < 0.25:
        o["sci_mode"] = rng.random() < 0.5
    if o:
        calls.append(o)
    return calls


def random_view(rng, t):
    views = []
    if t.dim() >= 2:
        d0, d1 = rng.sample(range(t.dim()), 2)
        views.append([("transpose", d0, d1)])
    long_dims = [i for i in range(t.dim()) if t.shape[i] >= 2]
    if long_dims:
        dim = rng.choice(long_dims)
        views.append([("slice", dim, rng.randint(0, 1), None, rng.randint(2, 3))])
    ones = [i for i in range(t.dim()) if t.shape[i] == 1]
    if ones:
        sizes = list(t.shape)
        sizes[rng.choice(ones)] = 3
        views.append([("expand", sizes)])
    if t.dim() >= 3:
        perm = list(range(t.dim()))
        rng.shuffle(perm)
        views.append([("permute", perm)])
    return rng.choice(views) if views else []


def random_cases(count):
    rng = random.Random(1234)
    cases = []
    for i in range(count):
        dtype = ALL_DTYPES[i % len(ALL_DTYPES)]
        shape = rng.choice(SHAPES)
        base = random_tensor(rng, dtype, shape)
        options = random_options(rng) if rng.random() < 0.5 else []
        view = random_view(rng, base) if rng.random() < 0.3 else []
        requires_grad = dtype.is_floating_point and not view and rng.random() < 0.2
        cases.append(make_case("random_%d" % i, base, options=options,
                               requires_grad=requires_grad, view=view))
    # A few large tensors summarized under the default threshold.
    for i, (dtype, shape) in enumerate([(torch.float32, (1001,)), (torch.float64, (33, 31)),
                                        (torch.int32, (3, 20, 20)), (torch.float16, (2, 3, 200)),
                                        (torch.bfloat16, (1010,)), (torch.bool, (1001,))]):
        base = random_tensor(rng, dtype, shape)
        cases.append(make_case("large_%d" % i, base))
    return cases


if __name__ == "__main__":
    cases = reference_cases() + random_cases(300)
    write_fixture("print", __file__, {"cases": cases})

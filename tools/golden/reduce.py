"""Golden values for the reductions, scans and softmax (tests/ops/test_reduce.cpp).

Run with Debian's interpreter: /usr/bin/python3 tools/golden/reduce.py

Every case names an op, an input (explicit values, or a formula for large inputs that the C++
test rebuilds exactly), a view applied to it (transpose, permute, stepped slice, expand), the
arguments, and PyTorch's result or, for an error case, a fragment of PyTorch's message that
ember's message must contain too.
"""
import math
import os
import sys

# Import torch with this folder off the path: a script here named like a standard module
# (random.py) would otherwise shadow it inside torch's own imports.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
import torch  # noqa: E402

sys.path.append(HERE)
from common import tensor_json, write_fixture  # noqa: E402

torch.manual_seed(0)

DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
          "bfloat16": torch.bfloat16, "int64": torch.int64, "int32": torch.int32,
          "uint8": torch.uint8, "int8": torch.int8, "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def compact(tj):
    """Shortens float32/16 values to 9 significant digits (still exact once parsed as float32)."""
    if tj["dtype"] in ("float32", "float16", "bfloat16"):
        tj["data"] = [float("%.9g" % v) if isinstance(v, float) else v for v in tj["data"]]
    return tj


# ---- inputs ----------------------------------------------------------------------------------

def explicit(t):
    return {"tensor": compact(tensor_json(t))}, t


def random(shape, dtype):
    """Small random input stored explicitly."""
    if dtype == torch.bool:
        t = torch.rand(shape) > 0.5
    elif dtype == torch.uint8:
        t = torch.randint(0, 11, shape, dtype=torch.uint8)
    elif dtype in (torch.int64, torch.int32, torch.int8):
        t = torch.randint(-5, 6, shape, dtype=dtype)
    else:
        t = torch.randn(shape, dtype=torch.float64).to(dtype)
    return explicit(t)


def formula(shape, dtype, mul=37, mod=101, off=50, scale=0.125):
    """A large input rebuilt by the test: ((i * mul) % mod - off) * scale, i = 0..n-1.

    The values are multiples of 1/8 below 7 in magnitude: exact in every float dtype, and
    their float32 sums are exact too, so PyTorch's and ember's summation orders agree."""
    n = math.prod(shape)
    base = (torch.arange(n, dtype=torch.int64) * mul) % mod - off
    t = (base.to(torch.float64) * scale).to(dtype).reshape(shape)
    gen = {"shape": list(shape), "dtype": NAMES[dtype], "mul": mul, "mod": mod, "off": off,
           "scale": scale}
    return {"formula": gen}, t


def apply_view(t, view):
    for step in view:
        kind = step[0]
        if kind == "transpose":
            t = t.transpose(step[1], step[2])
        elif kind == "permute":
            t = t.permute(step[1])
        elif kind == "step":  # every step[2]-th element along dim step[1]
            index = [slice(None)] * t.dim()
            index[step[1]] = slice(None, None, step[2])
            t = t[tuple(index)]
        elif kind == "expand":
            t = t.expand(step[1])
        else:
            raise ValueError(kind)
    return t


VIEWS = {
    "contig": [],
    "transposed": [["transpose", 0, 1]],
    "permuted": [["permute", [2, 0, 1]]],
    "stepped": [["step", 1, 2]],
    "stepped_last": [["step", -1, 3]],
}

# ---- ops ---------------------------------------------------------------------------------------


def dims_arg(args):
    d = args.get("dims")
    return tuple(d) if d is not None else None


def run(op, x, a):
    dt = DTYPES[a["dtype"]] if a.get("dtype") else None
    kd = a.get("keepdim", False)
    dims = dims_arg(a)
    if op in ("sum", "mean"):  # no dims: all of them (PyTorch 1.13 reads dim=() so too)
        return getattr(torch, op)(x, dims if dims else (), keepdim=kd, dtype=dt)
    if op == "prod":
        if "dim" in a:
            return torch.prod(x, a["dim"], keepdim=kd, dtype=dt)
        return torch.prod(x, dtype=dt)
    if op in ("amax", "amin"):
        return getattr(torch, op)(x, dims if dims else (), keepdim=kd)
    if op in ("max", "min"):
        if "dim" in a:
            r = getattr(torch, op)(x, a["dim"], keepdim=kd)
            return [r.values, r.indices]
        return getattr(torch, op)(x)
    if op in ("argmax", "argmin"):
        return getattr(torch, op)(x, a.get("dim"), keepdim=kd)
    if op in ("all", "any"):
        if "dim" in a:
            return getattr(torch, op)(x, a["dim"], keepdim=kd)
        return getattr(torch, op)(x)
    if op in ("var", "std"):
        return getattr(torch, op)(x, dim=dims, correction=a.get("correction", 1), keepdim=kd)
    if op == "norm":
        p = a.get("p", 2)
        p = float(p) if isinstance(p, str) else p
        return torch.norm(x, p=p, dim=dims, keepdim=kd)
    if op == "logsumexp":
        return torch.logsumexp(x, dims, keepdim=kd)
    if op in ("cumsum", "cumprod"):
        return getattr(torch, op)(x, a["dim"], dtype=dt)
    if op in ("softmax", "log_softmax"):
        return getattr(torch, op)(x, a["dim"], dtype=dt)
    raise ValueError(op)


cases = []
inputs = []  # stored once, referenced by index from the cases
input_ids = {}


def case(name, op, inp, view="contig", error=None, **args):
    spec, t = inp
    v = VIEWS[view] if isinstance(view, str) else view
    x = apply_view(t, v)
    key = id(t)
    if key not in input_ids:
        input_ids[key] = (len(inputs), t)  # holding t keeps its id unique
        inputs.append(spec)
    entry = {"name": name, "op": op, "input": input_ids[key][0], "view": v, "args": args}
    try:
        r = run(op, x, args)
    except Exception as e:  # noqa: BLE001
        if error is None:
            raise
        assert error in str(e), (name, str(e))
        entry["error"] = error
        cases.append(entry)
        return
    assert error is None, (name, "expected an error")
    if op == "norm" and x.dtype == torch.float32 and x.numel() > 1000:
        # PyTorch sums |x|^p in float32 (ember in double): its own rounding error, about
        # sqrt(n) float32 ulps, sets the tolerance.
        entry["rtol"] = 2e-5
    if isinstance(r, list):
        entry["out"] = [compact(tensor_json(o)) for o in r]
    else:
        entry["out"] = compact(tensor_json(r))
    cases.append(entry)


def special(dtype=torch.float32):
    inf, nan = math.inf, math.nan
    return explicit(torch.tensor([[1.0, nan, 3.0, nan, -inf],
                                  [inf, 2.0, -inf, 0.5, 1.0],
                                  [-inf, -inf, -inf, -inf, -inf],
                                  [inf, inf, 1.0, 2.0, 3.0]], dtype=dtype))


# ---- the cases -------------------------------------------------------------------------------

# sum / mean / prod / amax / amin / all / any: the already implemented reductions.
f3 = random((3, 5, 7), torch.float32)
for view in ("contig", "permuted", "stepped", "stepped_last", "transposed"):
    all_dims = (None, [0], [1], [-1], [0, 2], [2, 1])
    for dims in all_dims if view == "contig" else (None, [1], [2, 0]):
        for kd in (False, True) if dims in ([1], [0, 2], [2, 0]) else (False,):
            tag = "%s_%s_%s" % (view, "all" if dims is None else "_".join(map(str, dims)), kd)
            case("sum_f32_" + tag, "sum", f3, view, dims=dims, keepdim=kd)
            case("mean_f32_" + tag, "mean", f3, view, dims=dims, keepdim=kd)
            case("amax_f32_" + tag, "amax", f3, view, dims=dims, keepdim=kd)
            case("amin_f32_" + tag, "amin", f3, view, dims=dims, keepdim=kd)
            case("var_f32_" + tag, "var", f3, view, dims=dims, keepdim=kd)
            case("std_f32_" + tag, "std", f3, view, dims=dims, keepdim=kd, correction=0)
            case("norm_f32_" + tag, "norm", f3, view, dims=dims, keepdim=kd)
            case("logsumexp_f32_" + tag, "logsumexp", f3, view, dims=dims if dims else [0, 1, 2],
                 keepdim=kd)
    for dim in (0, 1, -1):
        for kd in (False, True) if dim == 1 else (False,):
            tag = "%s_%d_%s" % (view, dim, kd)
            case("prod_f32_" + tag, "prod", f3, view, dim=dim, keepdim=kd)
            case("max_dim_f32_" + tag, "max", f3, view, dim=dim, keepdim=kd)
            case("min_dim_f32_" + tag, "min", f3, view, dim=dim, keepdim=kd)
            case("argmax_f32_" + tag, "argmax", f3, view, dim=dim, keepdim=kd)
            case("argmin_f32_" + tag, "argmin", f3, view, dim=dim, keepdim=kd)
        # Full-size outputs: every dim on the contiguous input, one per view otherwise.
        line_dim = {"permuted": 1, "stepped": 0, "stepped_last": -1, "transposed": 0}
        if view == "contig" or line_dim[view] == dim:
            case("cumsum_f32_%s_%d" % (view, dim), "cumsum", f3, view, dim=dim)
            case("cumprod_f32_%s_%d" % (view, dim), "cumprod", f3, view, dim=dim)
            case("softmax_f32_%s_%d" % (view, dim), "softmax", f3, view, dim=dim)
            case("log_softmax_f32_%s_%d" % (view, dim), "log_softmax", f3, view, dim=dim)
    case("prod_f32_%s_all" % view, "prod", f3, view)
    case("max_f32_%s_all" % view, "max", f3, view)
    case("min_f32_%s_all" % view, "min", f3, view)
    case("argmax_f32_%s_flat" % view, "argmax", f3, view)
    case("argmin_f32_%s_flat_keepdim" % view, "argmin", f3, view, keepdim=True)

# Expanded (broadcast, stride 0) inputs.
e3 = random((5, 1, 3), torch.float32)
expand = [["expand", [5, 4, 3]]]
for op in ("sum", "mean", "amax", "var", "norm", "logsumexp"):
    for dims in ([1], [0, 1], None):
        case("%s_expanded_%s" % (op, dims), op, e3, expand,
             dims=dims if dims or op != "logsumexp" else [0, 1, 2])
for op in ("max", "argmin", "cumsum", "cumprod", "softmax", "log_softmax"):
    for dim in (0, 1, 2):
        case("%s_expanded_%d" % (op, dim), op, e3, expand, dim=dim)
case("softmax_expanded_row", "softmax", explicit(torch.tensor([[0.5, -1.0, 2.0]])),
     [["expand", [4, 3]]], dim=1)

# Other dtypes.
for dtname in ("float64", "float16", "int64", "int32", "uint8", "int8", "bool"):
    dt = DTYPES[dtname]
    x = random((4, 6), dt)
    isfloat = dt.is_floating_point
    for view in ("contig", "transposed"):
        for dims in (None, [0], [1]):
            tag = "%s_%s_%s" % (dtname, view, dims)
            case("sum_" + tag, "sum", x, view, dims=dims)
            if dt != torch.bool:
                case("amax_" + tag, "amax", x, view, dims=dims, keepdim=True)
                case("amin_" + tag, "amin", x, view, dims=dims)
            if isfloat:
                case("mean_" + tag, "mean", x, view, dims=dims)
                case("var_" + tag, "var", x, view, dims=dims)
                case("std_" + tag, "std", x, view, dims=dims)
                for p in (2, 1, "inf", "-inf", 0, 3, 0.5) if dims == [1] else (2,):
                    case("norm_p%s_%s" % (p, tag), "norm", x, view, dims=dims, p=p)
            if dt != torch.float16:
                case("logsumexp_" + tag, "logsumexp", x, view, dims=dims if dims else [0, 1])
        for dim in (0, 1):
            tag = "%s_%s_%d" % (dtname, view, dim)
            if dt != torch.float16:  # no Half prod on PyTorch's CPU
                case("prod_" + tag, "prod", x, view, dim=dim)
            case("max_dim_" + tag, "max", x, view, dim=dim)
            case("min_dim_" + tag, "min", x, view, dim=dim, keepdim=True)
            case("all_" + tag, "all", x, view, dim=dim)
            case("any_" + tag, "any", x, view, dim=dim, keepdim=True)
            if dt != torch.bool:
                case("argmax_" + tag, "argmax", x, view, dim=dim)
                case("argmin_" + tag, "argmin", x, view, dim=dim, keepdim=True)
            if dt != torch.float16:
                case("cumsum_" + tag, "cumsum", x, view, dim=dim)
                case("cumprod_" + tag, "cumprod", x, view, dim=dim)
            if isfloat and dt != torch.float16:
                case("softmax_" + tag, "softmax", x, view, dim=dim)
                case("log_softmax_" + tag, "log_softmax", x, view, dim=dim)
        if dt != torch.float16:
            case("prod_%s_all" % dtname, "prod", x)
        case("all_%s_all" % dtname, "all", x)
        case("any_%s_all" % dtname, "any", x)
        case("max_%s_all" % dtname, "max", x)
        case("min_%s_all" % dtname, "min", x)

# dtype arguments.
i2 = random((3, 4), torch.int64)
f2 = random((3, 4), torch.float32)
b2 = random((3, 4), torch.bool)
u2 = explicit(torch.tensor([[200, 100, 7], [90, 250, 3]], dtype=torch.uint8))
case("sum_int_to_f32", "sum", i2, dims=[1], dtype="float32")
case("sum_f32_to_f64", "sum", f2, dtype="float64")
case("sum_f32_to_int32", "sum", f2, dims=[0], dtype="int32")
case("sum_bool", "sum", b2, dims=[1])
case("sum_uint8_wraps", "sum", u2, dims=[1], dtype="uint8")
case("sum_uint8_to_int64", "sum", u2, dims=[0])
case("mean_int_dtype", "mean", i2, dims=[0], dtype="float64")
case("mean_f32_to_f64", "mean", f2, dtype="float64")
case("prod_f32_to_int64", "prod", f2, dim=1, dtype="int64")
case("prod_uint8_dtype", "prod", u2, dim=0, dtype="uint8")
case("cumsum_int_to_f32", "cumsum", i2, dim=1, dtype="float32")
case("cumsum_f32_to_int32", "cumsum", f2, dim=0, dtype="int32")
case("cumsum_uint8_wraps", "cumsum", u2, dim=1, dtype="uint8")
case("cumsum_bool", "cumsum", b2, dim=1)
case("cumprod_bool", "cumprod", b2, dim=0)
case("cumprod_int8_wraps", "cumprod", explicit(torch.tensor([100, 100, 100, -3], dtype=torch.int8)),
     dim=0, dtype="int8")
# int64 sums and products that overflow wrap around.
i64_big = explicit(torch.tensor([[2**62, 2**62, 5], [-2**63, -1, 3]], dtype=torch.int64))
case("sum_int64_wraps", "sum", i64_big, dims=[1])
case("sum_int64_wraps_all", "sum", i64_big)
case("prod_int64_wraps", "prod", i64_big, dim=1)
case("sum_int32_to_int64", "sum", explicit(torch.tensor([2**31 - 1, 2**31 - 1], dtype=torch.int32)))
case("cumsum_bf16", "cumsum", random((3, 9), torch.bfloat16), dim=1)
case("softmax_int_f64", "softmax", i2, dim=0, dtype="float64")
case("softmax_int_f32", "softmax", i2, dim=1, dtype="float32")
case("log_softmax_int_f32", "log_softmax", i2, dim=1, dtype="float32")
case("softmax_f64_to_f32", "softmax", random((3, 4), torch.float64), dim=1, dtype="float32")
case("softmax_int_bf16", "softmax", i2, dim=1, dtype="bfloat16")
case("log_softmax_bf16", "log_softmax", random((2, 33), torch.bfloat16), dim=1)
case("logsumexp_bool", "logsumexp", b2, dims=[1])
case("logsumexp_uint8", "logsumexp", u2, dims=[0], keepdim=True)

# Odd sizes across the 8-lane, 64-line-block and 64Ki-chunk boundaries.
for n in (1, 7, 8, 9, 33, 1031):
    x = formula((n,), torch.float32)
    case("sum_n%d" % n, "sum", x)
    case("prod_n%d" % n, "prod", formula((n,), torch.float32, mul=3, mod=7, off=-5, scale=0.25),
         dim=0)
    case("amax_n%d" % n, "amax", x)
    case("var_n%d" % n, "var", x)
    case("std_n%d" % n, "std", x, dims=[0], correction=0)
    case("norm_n%d" % n, "norm", x)
    case("norm1_n%d" % n, "norm", x, p=1)
    case("norm3_n%d" % n, "norm", x, p=3)
    case("logsumexp_n%d" % n, "logsumexp", x, dims=[0])
    case("max_dim_n%d" % n, "max", x, dim=0)
    case("argmin_n%d" % n, "argmin", x)
    if n < 1000:  # full-size outputs: the 1031 case is kept for softmax only (fixture size)
        case("cumsum_n%d" % n, "cumsum", x, dim=0)
        case("log_softmax_n%d" % n, "log_softmax", x, dim=0)
    case("softmax_n%d" % n, "softmax", x, dim=0)
big = formula((70001,), torch.float32)
case("sum_70001", "sum", big)
case("mean_70001", "mean", big)
case("amin_70001", "amin", big)
case("var_70001", "var", big)
case("norm_70001", "norm", big)
case("argmax_70001", "argmax", big)
big64 = formula((70001,), torch.float64, mul=7919, mod=10007, off=5003, scale=2.0 ** -10)
case("sum_70001_f64", "sum", big64)
case("var_70001_f64", "var", big64)
case("std_70001_f64", "std", big64, correction=0)
case("logsumexp_70001_f64", "logsumexp", big64, dims=[0])
bigint = formula((70001,), torch.int64, scale=1)
case("sum_70001_int", "sum", bigint)
case("amax_70001_int", "amax", bigint)
case("max_70001_int", "max", bigint, dim=0)
m = formula((67, 131), torch.float32)
for dims in ([0], [1], None):
    for view in ("contig", "transposed", "stepped") if dims is None else ("contig", "stepped"):
        tag = "%s_%s" % (dims, view)
        case("sum_67x131_" + tag, "sum", m, view, dims=dims)
        case("var_67x131_" + tag, "var", m, view, dims=dims)
        case("norm_67x131_" + tag, "norm", m, view, dims=dims, p=1.5)
        case("amax_67x131_" + tag, "amax", m, view, dims=dims)
for dim in (0, 1):
    for view in ("contig", "transposed"):
        tag = "%d_%s" % (dim, view)
        case("max_dim_67x131_" + tag, "max", m, view, dim=dim)
        case("argmin_67x131_" + tag, "argmin", m, view, dim=dim)
# Line kernels (full-size outputs, kept small): 67 lines cross the 64-line block, 67 elements
# per line cross the 8-element vectors.
for shape in ((67, 3), (3, 67)):
    x = formula(shape, torch.float32)
    for dim in (0, 1):
        for view in ("contig", "transposed"):
            tag = "%dx%d_%d_%s" % (shape + (dim, view))
            case("cumsum_" + tag, "cumsum", x, view, dim=dim)
            case("softmax_" + tag, "softmax", x, view, dim=dim)
            case("log_softmax_" + tag, "log_softmax", x, view, dim=dim)
    case("cumprod_%dx%d" % shape, "cumprod", formula(shape, torch.float64, mul=3, mod=7, off=-5,
                                                      scale=0.25), dim=0)

# Empty and 0-dim tensors.
e = explicit(torch.empty(0, 3))
s = explicit(torch.tensor(2.5))
si = explicit(torch.tensor(-4))
for op in ("sum", "mean", "var", "std", "norm"):
    case(op + "_empty_all", op, e)
    case(op + "_empty_0", op, e, dims=[0])
    case(op + "_empty_1_keepdim", op, e, dims=[1], keepdim=True)
    case(op + "_scalar", op, s)
    case(op + "_scalar_dim", op, s, dims=[0])
for p in ("inf", "-inf", 0, 1, -1, 0.5):
    case("norm_p%s_empty_0" % p, "norm", e, dims=[0], p=p)
case("prod_empty", "prod", e)
case("prod_empty_0", "prod", e, dim=0)
case("prod_scalar", "prod", s)
case("prod_int_scalar", "prod", si, dim=0)
case("amax_empty_1", "amax", e, dims=[1])
case("amax_scalar", "amax", s)
case("amin_scalar_dim", "amin", si, dims=[0], keepdim=True)
case("max_dim_empty_1", "max", e, dim=1)
case("min_dim_empty_1_keepdim", "min", e, dim=1, keepdim=True)
case("argmax_empty_1", "argmax", e, dim=1)
case("max_scalar", "max", s)
case("max_dim_scalar", "max", s, dim=0)
case("min_dim_scalar", "min", si, dim=-1, keepdim=True)
case("argmax_scalar", "argmax", s)
case("argmin_scalar_dim", "argmin", si, dim=0)
case("all_empty", "all", e)
case("any_empty", "any", e)
case("all_empty_0", "all", e, dim=0)
case("any_empty_1", "any", e, dim=1)
case("all_scalar", "all", s)
case("any_scalar_dim", "any", si, dim=0)
case("logsumexp_empty_0", "logsumexp", e, dims=[0])
case("logsumexp_empty_1", "logsumexp", e, dims=[1], keepdim=True)
case("logsumexp_scalar", "logsumexp", s, dims=[0])
for op in ("cumsum", "cumprod", "softmax", "log_softmax"):
    case(op + "_empty", op, e, dim=0)
    case(op + "_scalar", op, s, dim=0)
case("cumsum_int_scalar", "cumsum", si, dim=-1)

# NaN and inf.
sp = special()
for dim in (0, 1):
    for op in ("max", "min", "argmax", "argmin", "cumsum", "cumprod", "softmax", "log_softmax"):
        case("%s_special_%d" % (op, dim), op, sp, dim=dim)
    for op in ("sum", "mean", "prod", "amax", "amin", "var", "std", "norm", "logsumexp"):
        case("%s_special_%d" % (op, dim), op, sp, dims=[dim]) if op != "prod" else \
            case("%s_special_%d" % (op, dim), op, sp, dim=dim)
    for p in ("inf", "-inf", 0, 1, 3, -1):
        case("norm_p%s_special_%d" % (p, dim), "norm", sp, dims=[dim], p=p)
    case("all_special_%d" % dim, "all", sp, dim=dim)
    case("any_special_%d" % dim, "any", sp, dim=dim)
case("max_special_all", "max", sp)
case("argmin_special_flat", "argmin", sp)
case("max_special_transposed", "max", sp, "transposed", dim=1)
case("softmax_special_transposed", "softmax", sp, "transposed", dim=0)
case("norm_overflow", "norm", explicit(torch.tensor([1e30, 1e30])))
case("norm_underflow", "norm", explicit(torch.tensor([1e-30, 1e-30])))
case("logsumexp_large", "logsumexp", explicit(torch.tensor([1e4, 1e4, -1e4])), dims=[0])
case("softmax_large", "softmax", explicit(torch.tensor([[1e4, 1e4 - 1, -1e4]])), dim=1)
case("max_ties", "max", explicit(torch.tensor([[1, 3, 3, 2, 3]])), dim=1)
case("min_ties", "min", explicit(torch.tensor([[2.0, 1.0, 1.0, 1.0]])), dim=1)
case("max_bool", "max", explicit(torch.tensor([[False, True, True], [False, False, False]])),
     dim=1)
case("var_big_correction", "var", f2, dims=[1], correction=4)
case("var_over_correction", "var", f2, dims=[1], correction=6)
case("std_correction_2", "std", f2, dims=[0], correction=2)
case("var_negative_correction", "var", f2, correction=-1)
case("var_one_element", "var", explicit(torch.tensor([[3.0]])), dims=[1])
case("var_empty_dims_list", "var", f2, dims=[])
case("norm_empty_dims_list", "norm", f2, dims=[])

# Errors: each fragment is checked against PyTorch's message here.
NONZERO = "(): Expected reduction dim %d to have non-zero size."
SPECIFY = "(): Expected reduction dim to be specified for input.numel() == 0."
FLOAT_ONLY = "std and var only support floating point and complex dtypes"
NORM_FLOAT = "input dtype should be either floating point or complex. Got "
MEAN_FLOAT = " dtype must be either a floating point or complex dtype. Got: Long"
case("max_dim_empty_error", "max", e, dim=0, error="max" + NONZERO % 0)
case("min_dim_empty_error", "min", e, dim=0, error="min" + NONZERO % 0)
case("argmax_empty_dim_error", "argmax", e, dim=0, error="argmax" + NONZERO % 0)
case("argmin_empty_flat_error", "argmin", e, error="argmin" + SPECIFY)
case("amax_empty_error", "amax", e, dims=[0], error="amax" + NONZERO % 0)
case("amin_empty_all_error", "amin", e, error="amin" + SPECIFY)
case("amax_empty_multi_error", "amax", explicit(torch.empty(2, 0, 3)), dims=[2, 1],
     error="amax" + NONZERO % 1)
case("max_empty_error", "max", e, error="max" + SPECIFY)
case("min_empty_error", "min", e, error="min" + SPECIFY)
case("argmax_bool_error", "argmax", b2, error="not implemented for 'Bool'")
case("argmin_bool_dim_error", "argmin", b2, dim=0, error="not implemented for 'Bool'")
case("var_int_error", "var", i2, error=FLOAT_ONLY)
case("std_bool_error", "std", b2, dims=[0], error=FLOAT_ONLY)
case("norm_int_error", "norm", i2, error=NORM_FLOAT + "Long")
case("norm_bool_error", "norm", b2, error=NORM_FLOAT + "Bool")
case("mean_int_error", "mean", i2,
     error="mean(): could not infer output dtype. Input" + MEAN_FLOAT)
case("mean_int_dtype_error", "mean", f2, dtype="int64", error="Optional" + MEAN_FLOAT)
case("softmax_int_error", "softmax", i2, dim=0, error="not implemented for 'Long'")
case("log_softmax_int_error", "log_softmax", i2, dim=1, error="not implemented for 'Long'")
case("softmax_bool_error", "softmax", b2, dim=0, error="not implemented for 'Bool'")
case("softmax_int_dtype_error", "softmax", f2, dim=0, dtype="int64",
     error="not implemented for 'Long'")
case("cumsum_bool_dtype_error", "cumsum", f2, dim=0, dtype="bool",
     error="not implemented for 'Bool'")
for op, extra in (("sum", {"dims": [2]}), ("mean", {"dims": [-3]}), ("prod", {"dim": 2}),
                  ("amax", {"dims": [2]}), ("max", {"dim": 2}), ("argmax", {"dim": -3}),
                  ("all", {"dim": 2}), ("var", {"dims": [2]}), ("norm", {"dims": [5]}),
                  ("logsumexp", {"dims": [2]}), ("cumsum", {"dim": 2}), ("cumprod", {"dim": -3}),
                  ("softmax", {"dim": 2}), ("log_softmax", {"dim": -3})):
    bad = extra.get("dims", [extra.get("dim")])[0]
    case("%s_dim_range_error" % op, op, f2, error="but got %d)" % bad, **extra)
for op in ("sum", "var", "norm", "logsumexp", "amax"):
    case("%s_repeated_dim_error" % op, op, f2, dims=[0, -2],
         error="dim 0 appears multiple times in the list of dims")

write_fixture("reduce", __file__, {"inputs": inputs, "cases": cases})
print(len(cases), "cases")

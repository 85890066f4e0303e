"""Golden values for elementwise ops: unary, binary (tensor-tensor, tensor-scalar, broadcast,
non-contiguous), where/clamp/masked_fill, across dtypes. Writes tests/golden/elementwise.json."""
import torch

import json

from common import tensor_json as _tensor_json
from common import write_fixture

# Input and result tensors repeat across cases: each distinct one is stored once in TENSORS and
# cases refer to it by index.
TENSORS = []
_INDEX = {}


def tensor_json(t):
    j = _tensor_json(t)
    key = json.dumps(j, sort_keys=True)
    if key not in _INDEX:
        _INDEX[key] = len(TENSORS)
        TENSORS.append(j)
    return _INDEX[key]

FLOAT_VALUES = [-2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.5, 7.25, 100.0, float("nan"), float("inf"),
                float("-inf")]
INT_VALUES = [-7, -3, -1, 0, 1, 2, 5, 7, 3, -2, 11, -8]
UINT_VALUES = [0, 1, 2, 3, 5, 7, 200, 255, 4, 6, 9, 13]
BOOL_VALUES = [bool(i % 3 == 0) for i in range(12)]


def values_for(dtype):
    if dtype == torch.bool:
        return torch.tensor(BOOL_VALUES)
    if dtype == torch.uint8:
        return torch.tensor(UINT_VALUES, dtype=dtype)
    if dtype.is_floating_point:
        return torch.tensor(FLOAT_VALUES, dtype=torch.float64).to(dtype)
    return torch.tensor(INT_VALUES, dtype=dtype)


def divisor_for(dtype):
    """Values without zero, so integer division cases do not all raise."""
    v = values_for(dtype).flip(0)
    if dtype == torch.bool:
        return torch.ones(12, dtype=torch.bool)
    if not dtype.is_floating_point:
        v = torch.where(v == 0, torch.ones_like(v) * 3, v)
    return v


UNARY = ["neg", "abs", "sign", "reciprocal", "exp", "exp2", "log", "log2", "log10", "log1p",
         "expm1", "sqrt", "rsqrt", "square", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "erf",
         "floor", "ceil", "round", "trunc", "logical_not", "bitwise_not", "isnan", "isinf",
         "isfinite"]
DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
          torch.int16, torch.int8, torch.uint8, torch.bool]


def run(fn):
    try:
        return {"result": tensor_json(fn())}
    except (RuntimeError, ValueError, TypeError) as e:
        return {"error": str(e).split("\n")[0]}


def unary_fn(name):
    if name == "relu":
        return torch.relu
    return getattr(torch, name)


def unary_cases():
    cases = []
    for name in UNARY:
        for dtype in DTYPES:
            x = values_for(dtype).reshape(3, 4)
            # Non-contiguous view: the transpose of a [6, 4] tensor holding the same values.
            xt_base = x.t().contiguous()
            cases.append({"op": name, "input": tensor_json(x), "layout": "contiguous",
                          **run(lambda: unary_fn(name)(x))})
            cases.append({"op": name, "input": tensor_json(xt_base), "layout": "transposed",
                          **run(lambda: unary_fn(name)(xt_base.t()))})
    # Integer negation, abs and square wrap around at the ends of the range.
    for dtype in [torch.int64, torch.int32]:
        info = torch.iinfo(dtype)
        x = torch.tensor([info.min, info.max, info.min + 1, -1, 0, 2**(info.bits // 2) + 1],
                         dtype=dtype)
        for name in ["neg", "abs", "square"]:
            cases.append({"op": name, "input": tensor_json(x), "layout": "contiguous",
                          **run(lambda: unary_fn(name)(x))})
    return cases


BINARY = {
    "add": lambda a, b: torch.add(a, b),
    "add_alpha2": lambda a, b: torch.add(a, b, alpha=2),
    "sub": lambda a, b: torch.sub(a, b),
    "mul": lambda a, b: torch.mul(a, b),
    "div": lambda a, b: torch.div(a, b),
    "div_trunc": lambda a, b: torch.div(a, b, rounding_mode="trunc"),
    "div_floor": lambda a, b: torch.div(a, b, rounding_mode="floor"),
    "floor_divide": lambda a, b: torch.floor_divide(a, b),
    "remainder": lambda a, b: torch.remainder(a, b),
    "fmod": lambda a, b: torch.fmod(a, b),
    "pow": lambda a, b: torch.pow(a, b),
    "maximum": lambda a, b: torch.maximum(a, b),
    "minimum": lambda a, b: torch.minimum(a, b),
    "atan2": lambda a, b: torch.atan2(a, b),
    "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge,
    "logical_and": torch.logical_and, "logical_or": torch.logical_or,
    "logical_xor": torch.logical_xor,
    "bitwise_and": torch.bitwise_and, "bitwise_or": torch.bitwise_or,
    "bitwise_xor": torch.bitwise_xor,
}

PAIRS = [(torch.float32, torch.float32), (torch.float64, torch.float64),
         (torch.float32, torch.float64), (torch.int64, torch.int64), (torch.int64, torch.float32),
         (torch.int32, torch.int64), (torch.uint8, torch.int8), (torch.bool, torch.bool),
         (torch.bool, torch.int64), (torch.float16, torch.float16),
         (torch.bfloat16, torch.float32), (torch.int16, torch.uint8)]

SCALARS = [2, -3, 2.5, True]
LAYOUT_PAIRS = [(torch.float32, torch.float32), (torch.int64, torch.int64),
                (torch.float32, torch.float64), (torch.bool, torch.bool)]
# Ops that take a Python number as second operand in PyTorch (and in ember).
SCALAR_OPS = ["add", "add_alpha2", "sub", "mul", "div", "div_trunc", "div_floor", "floor_divide",
              "remainder", "fmod", "pow", "eq", "ne", "lt", "le", "gt", "ge"]


def small_exponent(b):
    # Keep integer powers small so values stay in range, and non-negative for integer bases.
    if b.dtype.is_floating_point:
        return b.float().clamp(-3, 3).to(b.dtype)
    if b.dtype == torch.bool:
        return b
    return b.abs().remainder(4)


def binary_cases():
    cases = []
    for name, fn in BINARY.items():
        for da, db in PAIRS:
            a = values_for(da).reshape(3, 4)
            b = divisor_for(db).reshape(3, 4)
            if name == "pow":
                b = small_exponent(b)
            # contiguous, same shape
            cases.append({"op": name, "a": tensor_json(a), "b": tensor_json(b), "layout": "same",
                          **run(lambda: fn(a, b))})
            if (da, db) not in LAYOUT_PAIRS:
                continue
            # broadcast [3, 1] x [4] and a transposed left operand
            bb = b[0]
            acol = a[:, :1].contiguous()
            cases.append({"op": name, "a": tensor_json(acol), "b": tensor_json(bb),
                          "layout": "broadcast", **run(lambda: fn(acol, bb))})
            at = a.reshape(4, 3).contiguous()
            cases.append({"op": name, "a": tensor_json(at), "b": tensor_json(b),
                          "layout": "transposed_a", **run(lambda: fn(at.t(), b))})
        if name in SCALAR_OPS:
            for da in [torch.float32, torch.int64, torch.bool, torch.float16]:
                a = values_for(da).reshape(3, 4)
                for s in SCALARS:
                    cases.append({"op": name, "a": tensor_json(a), "scalar": s,
                                  "layout": "scalar", **run(lambda: fn(a, s))})
    # Integer +, - and * wrap around in the operands' width when they overflow.
    for dtype in [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]:
        info = torch.iinfo(dtype)
        a = torch.tensor([info.max, info.min, info.max, info.min, info.max // 2 + 3, -1 if info.min
                          else 1], dtype=dtype)
        b = torch.tensor([1, 1 if info.min == 0 else -1, info.max, info.max, 4, info.min if info.min
                          else info.max], dtype=dtype)
        for name in ["add", "add_alpha2", "sub", "mul"]:
            cases.append({"op": name, "a": tensor_json(a), "b": tensor_json(b), "layout": "same",
                          **run(lambda: BINARY[name](a, b))})
    # Integer powers that overflow wrap around too.
    base = torch.tensor([3, -3, 2**32 + 1, 7], dtype=torch.int64)
    exponent = torch.tensor([41, 43, 2, 30], dtype=torch.int64)
    cases.append({"op": "pow", "a": tensor_json(base), "b": tensor_json(exponent), "layout": "same",
                  **run(lambda: torch.pow(base, exponent))})
    # Integer division by zero raises on CPU.
    z = torch.tensor([1, -2, 3])
    zero = torch.tensor([0, 1, 0])
    for name in ["div_trunc", "div_floor", "floor_divide", "remainder", "fmod", "div"]:
        cases.append({"op": name, "a": tensor_json(z), "b": tensor_json(zero), "layout": "same",
                      **run(lambda: BINARY[name](z, zero))})
    return cases


def other_cases():
    cases = []
    x = torch.tensor([[-2.0, 0.5, float("nan")], [3.0, -0.0, 1.5]])
    cond = torch.tensor([[True, False, True], [False, True, False]])
    y = torch.tensor([10.0, 20.0, 30.0], dtype=torch.float64)
    cases.append({"op": "where", "cond": tensor_json(cond), "a": tensor_json(x), "b": tensor_json(y),
                  **run(lambda: torch.where(cond, x, y))})
    xi = torch.tensor([[1, 2, 3], [4, 5, 6]])
    cases.append({"op": "where_scalar", "cond": tensor_json(cond), "a": tensor_json(xi),
                  "scalar": 2.5, **run(lambda: torch.where(cond, xi, 2.5))})
    for lo, hi in [(-1.0, 1.0), (0.0, None), (None, 0.5), (2.0, 1.0)]:
        cases.append({"op": "clamp", "a": tensor_json(x), "min": lo, "max": hi,
                      **run(lambda: torch.clamp(x, lo, hi))})
    cases.append({"op": "clamp", "a": tensor_json(xi), "min": 2, "max": 4,
                  **run(lambda: torch.clamp(xi, 2, 4))})
    cases.append({"op": "clamp", "a": tensor_json(xi), "min": 2.5, "max": None,
                  **run(lambda: torch.clamp(xi, 2.5))})
    mask = torch.tensor([True, False, True])
    cases.append({"op": "masked_fill", "a": tensor_json(x), "mask": tensor_json(mask),
                  "scalar": -1.5, **run(lambda: x.masked_fill(mask, -1.5))})
    cases.append({"op": "masked_fill", "a": tensor_json(xi), "mask": tensor_json(cond),
                  "scalar": 7, **run(lambda: xi.masked_fill(cond, 7))})
    return cases


if __name__ == "__main__":
    payload = {"unary": unary_cases(), "binary": binary_cases(), "other": other_cases()}
    payload["tensors"] = TENSORS
    write_fixture("elementwise", __file__, payload)

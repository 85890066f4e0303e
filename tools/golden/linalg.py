"""Golden values for the matmul family (mm, bmm, matmul, addmm, dot, mv, outer): every matmul
dispatch case, transposed/strided/expanded operands, empty dims, dtypes, and the exact error
messages of PyTorch. Writes tests/golden/linalg.json.

An operand is {"base": tensor, "view": [steps]}: the test rebuilds the same non-contiguous view
from the contiguous base with the same steps ("t", "transpose", "permute", "expand", "step").
"""
import torch

from common import tensor_json, write_fixture

torch.manual_seed(0)


def apply_view(base, steps):
    x = base
    for step in steps:
        kind = step[0]
        if kind == "t":
            x = x.t()
        elif kind == "transpose":
            x = x.transpose(step[1], step[2])
        elif kind == "permute":
            x = x.permute(*step[1])
        elif kind == "expand":
            x = x.expand(*step[1])
        elif kind == "step":  # x[..., ::k] along dim
            index = [slice(None)] * x.dim()
            index[step[1]] = slice(None, None, step[2])
            x = x[tuple(index)]
        else:
            raise ValueError(kind)
    return x


def values(shape, dtype, randn=False):
    """Random values that suit the dtype: small integers for integer dtypes; for floats, multiples
    of 1/8 (short in JSON, and exact through products and sums, so a wrong index shows at once)
    or, in the cases that check rounding, normal samples."""
    if dtype.is_floating_point and randn and dtype not in (torch.float16, torch.bfloat16):
        return torch.randn(shape, dtype=torch.float64).to(dtype)
    if dtype.is_floating_point:
        return (torch.randint(-16, 17, shape, dtype=torch.int64) / 8).to(dtype)
    if dtype == torch.uint8:
        return torch.randint(0, 10, shape, dtype=dtype)
    return torch.randint(-6, 7, shape, dtype=torch.int64).to(dtype)


def operand(shape, dtype, steps=(), randn=False):
    """A base of `shape` (the shape before the view steps) and its view."""
    base = values(shape, dtype, randn)
    return base, list(steps)


CASES = []
ERRORS = []


def case(name, op, args, kwargs=None, expected_fn=None):
    """args: list of (base, steps). Runs torch's op on the views and records the result."""
    kwargs = kwargs or {}
    views = [apply_view(b, s) for b, s in args]
    fn = getattr(torch, op)
    result = expected_fn(*views) if expected_fn else fn(*views, **kwargs)
    CASES.append({
        "name": name, "op": op,
        "args": [{"base": tensor_json(b), "view": s} for b, s in args],
        "kwargs": kwargs,
        "expected": tensor_json(result),
    })


def error(name, op, args, kwargs=None):
    """args: list of (shape, dtype) of contiguous operands filled with ones."""
    kwargs = kwargs or {}
    tensors = [torch.ones(shape, dtype=dtype) for shape, dtype in args]
    try:
        getattr(torch, op)(*tensors, **kwargs)
    except RuntimeError as e:
        ERRORS.append({"name": name, "op": op, "kwargs": kwargs,
                       "args": [{"shape": list(s), "dtype": str(d).replace("torch.", "")}
                                for s, d in args],
                       "message": str(e)})
        return
    raise AssertionError(name + " did not raise")


F32, F64, I64, I32, I16, I8, U8 = (torch.float32, torch.float64, torch.int64, torch.int32,
                                  torch.int16, torch.int8, torch.uint8)
BF16, F16, BOOL = torch.bfloat16, torch.float16, torch.bool


def bf16_reference(op):
    """ember accumulates bfloat16 products in float32 at every size, as PyTorch does above 16^3
    (through oneDNN) and from 2.0 on; 1.13's small-size path rounds to bfloat16 at every step.
    The reference is therefore PyTorch's float32 result rounded once to bfloat16."""
    return lambda *xs: getattr(torch, op)(*[x.float() for x in xs]).to(BF16)


# ---- mm -------------------------------------------------------------------------------------
for dt, tag in ((F32, "f32"), (F64, "f64")):
    case(f"mm_{tag}_contiguous", "mm", [operand((3, 4), dt), operand((4, 5), dt)])
    case(f"mm_{tag}_a_transposed", "mm", [operand((4, 3), dt, [["t"]]), operand((4, 5), dt)])
    case(f"mm_{tag}_b_transposed", "mm", [operand((3, 4), dt), operand((5, 4), dt, [["t"]])])
    case(f"mm_{tag}_both_transposed", "mm",
         [operand((4, 3), dt, [["t"]]), operand((5, 4), dt, [["t"]])])
    case(f"mm_{tag}_a_column_step", "mm", [operand((3, 8), dt, [["step", 1, 2]]),
                                           operand((4, 5), dt)])
    case(f"mm_{tag}_b_row_step", "mm", [operand((3, 4), dt), operand((8, 5), dt, [["step", 0, 2]])])
    case(f"mm_{tag}_transposed_row_step", "mm",
         [operand((8, 3), dt, [["step", 0, 2], ["t"]]), operand((4, 5), dt)])
    case(f"mm_{tag}_a_expanded", "mm", [operand((1, 4), dt, [["expand", [3, 4]]]),
                                        operand((4, 5), dt)])
    case(f"mm_{tag}_b_expanded_columns", "mm", [operand((3, 4), dt),
                                                operand((4, 1), dt, [["expand", [4, 5]]])])
    case(f"mm_{tag}_odd_7x13x9", "mm", [operand((7, 13), dt), operand((13, 9), dt)])
    case(f"mm_{tag}_row_times_column", "mm", [operand((1, 7), dt), operand((7, 1), dt)])
    case(f"mm_{tag}_column_times_row", "mm", [operand((5, 1), dt), operand((1, 6), dt)])
    case(f"mm_{tag}_matrix_times_column", "mm", [operand((6, 5), dt), operand((5, 1), dt)])
    case(f"mm_{tag}_row_times_transposed", "mm",
         [operand((1, 5), dt), operand((6, 5), dt, [["t"]])])
    case(f"mm_{tag}_k0", "mm", [operand((3, 0), dt), operand((0, 4), dt)])
    case(f"mm_{tag}_m0", "mm", [operand((0, 3), dt), operand((3, 4), dt)])
    case(f"mm_{tag}_n0", "mm", [operand((2, 3), dt), operand((3, 0), dt)])
for dt, tag in ((I64, "i64"), (I32, "i32"), (I16, "i16"), (I8, "i8"), (U8, "u8")):
    case(f"mm_{tag}", "mm", [operand((3, 4), dt), operand((4, 5), dt)])
    case(f"mm_{tag}_transposed", "mm", [operand((4, 3), dt, [["t"]]), operand((5, 4), dt, [["t"]])])
# Integer products wrap around in the operands' own type, as in PyTorch.
CASES.append({
    "name": "mm_i8_wraps", "op": "mm",
    "args": [{"base": tensor_json(torch.full((2, 3), 100, dtype=I8)), "view": []},
             {"base": tensor_json(torch.full((3, 2), 100, dtype=I8)), "view": []}],
    "kwargs": {},
    "expected": tensor_json(torch.mm(torch.full((2, 3), 100, dtype=I8),
                                     torch.full((3, 2), 100, dtype=I8)))})
case("mm_i64_k0", "mm", [operand((2, 0), I64), operand((0, 3), I64)])
case("mm_bf16", "mm", [operand((5, 6), BF16), operand((6, 4), BF16)],
     expected_fn=bf16_reference("mm"))
case("mm_bf16_transposed", "mm", [operand((6, 5), BF16, [["t"]]), operand((4, 6), BF16, [["t"]])],
     expected_fn=bf16_reference("mm"))
# Above 16^3 PyTorch itself accumulates bfloat16 in float32 (oneDNN): compare with it directly.
case("mm_bf16_large", "mm", [operand((16, 17), BF16), operand((17, 16), BF16)])
# Wider than one column block of the C++ loop (64 columns).
case("mm_i64_wider_than_a_block", "mm", [operand((3, 5), I64), operand((5, 70), I64)])

# ---- bmm ------------------------------------------------------------------------------------
for dt, tag in ((F32, "f32"), (F64, "f64"), (I64, "i64")):
    case(f"bmm_{tag}_contiguous", "bmm", [operand((3, 2, 4), dt), operand((3, 4, 5), dt)])
    case(f"bmm_{tag}_transposed", "bmm", [operand((3, 4, 2), dt, [["transpose", 1, 2]]),
                                         operand((3, 5, 4), dt, [["transpose", 1, 2]])])
    case(f"bmm_{tag}_batch_not_outermost", "bmm", [operand((2, 3, 4), dt, [["permute", [1, 0, 2]]]),
                                                  operand((4, 3, 5), dt, [["permute", [1, 0, 2]]])])
    case(f"bmm_{tag}_expanded_batch", "bmm", [operand((1, 2, 4), dt, [["expand", [3, 2, 4]]]),
                                             operand((3, 4, 5), dt)])
    case(f"bmm_{tag}_step", "bmm", [operand((6, 2, 8), dt, [["step", 0, 2], ["step", 2, 2]]),
                                   operand((3, 4, 5), dt)])
    case(f"bmm_{tag}_empty_batch", "bmm", [operand((0, 2, 4), dt), operand((0, 4, 5), dt)])
    case(f"bmm_{tag}_k0", "bmm", [operand((2, 3, 0), dt), operand((2, 0, 4), dt)])
case("bmm_f32_vector_rhs", "bmm", [operand((4, 3, 5), F32), operand((4, 5, 1), F32)])
case("bmm_f32_vector_lhs", "bmm", [operand((4, 1, 5), F32), operand((4, 5, 3), F32)])
case("bmm_f32_many_small", "bmm", [operand((12, 3, 3), F32), operand((12, 3, 3), F32)])
case("bmm_i8", "bmm", [operand((2, 3, 4), I8), operand((2, 4, 2), I8)])
case("bmm_bf16", "bmm", [operand((2, 3, 4), BF16), operand((2, 4, 2), BF16)],
     expected_fn=bf16_reference("bmm"))

# ---- matmul: every dispatch case of PyTorch 1.13 ---------------------------------------------
for dt, tag in ((F32, "f32"), (F64, "f64"), (I64, "i64")):
    case(f"matmul_{tag}_1d_1d", "matmul", [operand((5,), dt), operand((5,), dt)])
    case(f"matmul_{tag}_2d_1d", "matmul", [operand((3, 5), dt), operand((5,), dt)])
    case(f"matmul_{tag}_1d_2d", "matmul", [operand((5,), dt), operand((5, 4), dt)])
    case(f"matmul_{tag}_2d_2d", "matmul", [operand((3, 5), dt), operand((5, 4), dt)])
    case(f"matmul_{tag}_3d_1d_folded", "matmul", [operand((2, 3, 5), dt), operand((5,), dt)])
    case(f"matmul_{tag}_3d_2d_folded", "matmul", [operand((2, 3, 5), dt), operand((5, 4), dt)])
    case(f"matmul_{tag}_1d_3d_folded", "matmul", [operand((5,), dt), operand((2, 5, 4), dt)])
    case(f"matmul_{tag}_2d_3d_folded", "matmul", [operand((3, 5), dt), operand((2, 5, 4), dt)])
    case(f"matmul_{tag}_3d_3d", "matmul", [operand((2, 3, 5), dt), operand((2, 5, 4), dt)])
    case(f"matmul_{tag}_broadcast_batch", "matmul", [operand((2, 1, 3, 4), dt),
                                                    operand((5, 4, 2), dt)])
for dt, tag in ((F32, "f32"), (F64, "f64")):
    case(f"matmul_{tag}_4d_2d_folded", "matmul", [operand((2, 2, 3, 5), dt), operand((5, 4), dt)])
    case(f"matmul_{tag}_4d_1d_folded", "matmul", [operand((2, 2, 3, 5), dt), operand((5,), dt)])
    case(f"matmul_{tag}_1d_4d", "matmul", [operand((4,), dt), operand((2, 3, 4, 2), dt)])
    case(f"matmul_{tag}_2d_4d", "matmul", [operand((3, 4), dt), operand((2, 3, 4, 2), dt)])
    case(f"matmul_{tag}_4d_3d_vector_rhs_batch", "matmul", [operand((2, 3, 1, 4), dt),
                                                           operand((3, 4, 1), dt)])
    case(f"matmul_{tag}_3d_permuted_2d_unfolded", "matmul",
         [operand((2, 5, 3), dt, [["permute", [0, 2, 1]]]), operand((5, 4), dt)])
    case(f"matmul_{tag}_2d_3d_permuted", "matmul",
         [operand((3, 5), dt), operand((2, 4, 5), dt, [["permute", [0, 2, 1]]])])
    case(f"matmul_{tag}_3d_transposed_1d", "matmul",
         [operand((2, 5, 3), dt, [["transpose", 1, 2]]), operand((10,), dt, [["step", 0, 2]])])
    case(f"matmul_{tag}_batch_1_vs_3", "matmul", [operand((1, 2, 4), dt), operand((3, 4, 2), dt)])
    case(f"matmul_{tag}_expanded_batch_operand", "matmul",
         [operand((1, 2, 4), dt, [["expand", [3, 2, 4]]]), operand((3, 4, 2), dt)])
    case(f"matmul_{tag}_1d_1d_strided", "matmul", [operand((10,), dt, [["step", 0, 2]]),
                                                  operand((1,), dt, [["expand", [5]]])])
    case(f"matmul_{tag}_empty_batch", "matmul", [operand((0, 2, 3), dt), operand((3, 4), dt)])
    case(f"matmul_{tag}_empty_batch_3d", "matmul", [operand((0, 2, 3), dt), operand((1, 3, 4), dt)])
    case(f"matmul_{tag}_k0_folded", "matmul", [operand((3, 5, 0), dt), operand((0, 0), dt)])
    case(f"matmul_{tag}_k0_batched", "matmul", [operand((2, 3, 0), dt), operand((2, 0, 4), dt)])
    case(f"matmul_{tag}_1d_1d_empty", "matmul", [operand((0,), dt), operand((0,), dt)])
case("matmul_bf16_3d_2d", "matmul", [operand((2, 3, 4), BF16), operand((4, 5), BF16)],
     expected_fn=bf16_reference("matmul"))
case("matmul_i32_1d_3d", "matmul", [operand((4,), I32), operand((2, 4, 3), I32)])

# ---- addmm ----------------------------------------------------------------------------------
for dt, tag in ((F32, "f32"), (F64, "f64")):
    case(f"addmm_{tag}", "addmm", [operand((3, 5), dt), operand((3, 4), dt), operand((4, 5), dt)])
    case(f"addmm_{tag}_beta_alpha", "addmm",
         [operand((3, 5), dt), operand((3, 4), dt), operand((4, 5), dt)],
         {"beta": 0.5, "alpha": 2.0})
    case(f"addmm_{tag}_bias_row", "addmm", [operand((5,), dt), operand((3, 4), dt),
                                           operand((5, 4), dt, [["t"]])])
    case(f"addmm_{tag}_bias_column", "addmm", [operand((3, 1), dt), operand((4, 3), dt, [["t"]]),
                                              operand((4, 5), dt)], {"alpha": -1.5})
    case(f"addmm_{tag}_bias_0d", "addmm", [operand((), dt), operand((3, 4), dt),
                                          operand((4, 5), dt)])
    case(f"addmm_{tag}_input_transposed", "addmm", [operand((5, 3), dt, [["t"]]),
                                                   operand((3, 4), dt), operand((4, 5), dt)],
         {"beta": 2.0})
    case(f"addmm_{tag}_k0", "addmm",
         [operand((3, 5), dt), operand((3, 0), dt), operand((0, 5), dt)], {"beta": 0.5})
    case(f"addmm_{tag}_k0_beta0", "addmm", [operand((3, 5), dt), operand((3, 0), dt),
                                           operand((0, 5), dt)], {"beta": 0.0})
# beta = 0 ignores the input, NaN included.
CASES.append({
    "name": "addmm_f32_beta0_ignores_nan", "op": "addmm",
    "args": [{"base": tensor_json(torch.full((2, 2), float("nan"))), "view": []},
             {"base": tensor_json(torch.ones(2, 3)), "view": []},
             {"base": tensor_json(torch.ones(3, 2)), "view": []}],
    "kwargs": {"beta": 0.0},
    "expected": tensor_json(torch.addmm(torch.full((2, 2), float("nan")), torch.ones(2, 3),
                                        torch.ones(3, 2), beta=0.0))})
# Integer addmm truncates beta and alpha to integers (2.7 -> 2, 1.5 -> 1).
case("addmm_i64_truncated_scalars", "addmm",
     [operand((2, 4), I64), operand((2, 3), I64), operand((3, 4), I64)],
     {"beta": 2.7, "alpha": 1.5})
case("addmm_i64", "addmm", [operand((4,), I64), operand((2, 3), I64), operand((3, 4), I64)],
     {"beta": 3, "alpha": -2})
case("addmm_bf16", "addmm", [operand((2, 4), BF16), operand((2, 3), BF16), operand((3, 4), BF16)],
     expected_fn=lambda i, a, b: torch.addmm(i.float(), a.float(), b.float()).to(BF16))

# ---- dot, mv, outer -------------------------------------------------------------------------
for dt, tag in ((F32, "f32"), (F64, "f64"), (I64, "i64"), (I32, "i32"), (U8, "u8")):
    case(f"dot_{tag}", "dot", [operand((7,), dt), operand((7,), dt)])
    case(f"dot_{tag}_strided", "dot", [operand((14,), dt, [["step", 0, 2]]),
                                      operand((1,), dt, [["expand", [7]]])])
    case(f"dot_{tag}_empty", "dot", [operand((0,), dt), operand((0,), dt)])
CASES.append({
    "name": "dot_i8_wraps", "op": "dot",
    "args": [{"base": tensor_json(torch.tensor([100, 100], dtype=I8)), "view": []},
             {"base": tensor_json(torch.tensor([100, 100], dtype=I8)), "view": []}],
    "kwargs": {},
    "expected": tensor_json(torch.dot(torch.tensor([100, 100], dtype=I8),
                                      torch.tensor([100, 100], dtype=I8)))})
case("dot_bf16", "dot", [operand((9,), BF16), operand((9,), BF16)],
     expected_fn=bf16_reference("dot"))

for dt, tag in ((F32, "f32"), (F64, "f64"), (I64, "i64")):
    case(f"mv_{tag}", "mv", [operand((3, 5), dt), operand((5,), dt)])
    case(f"mv_{tag}_transposed", "mv", [operand((5, 3), dt, [["t"]]), operand((5,), dt)])
    case(f"mv_{tag}_strided_vector", "mv",
         [operand((3, 5), dt), operand((10,), dt, [["step", 0, 2]])])
    case(f"mv_{tag}_expanded_vector", "mv",
         [operand((3, 5), dt), operand((1,), dt, [["expand", [5]]])])
    case(f"mv_{tag}_expanded_matrix", "mv", [operand((1, 5), dt, [["expand", [3, 5]]]),
                                            operand((5,), dt)])
    case(f"mv_{tag}_m0", "mv", [operand((0, 5), dt), operand((5,), dt)])
    case(f"mv_{tag}_k0", "mv", [operand((3, 0), dt), operand((0,), dt)])
# Taller than one row block of the BLAS matrix-vector path (128 rows).
case("mv_f32_tall", "mv", [operand((130, 3), F32), operand((3,), F32)])
case("mv_f32_wide_transposed", "mv", [operand((130, 3), F32, [["t"]]), operand((130,), F32)])
case("mv_bf16", "mv", [operand((3, 5), BF16), operand((5,), BF16)],
     expected_fn=bf16_reference("mv"))

for dt, tag in ((F32, "f32"), (F64, "f64"), (I64, "i64"), (BOOL, "bool")):
    case(f"outer_{tag}", "outer", [operand((3,), dt), operand((4,), dt)])
case("outer_i64_f32_promotes", "outer", [operand((3,), I64), operand((2,), F32)])
case("outer_u8_i8_promotes", "outer", [operand((3,), U8), operand((2,), I8)])
case("outer_f32_strided", "outer", [operand((6,), F32, [["step", 0, 2]]),
                                    operand((1,), F32, [["expand", [4]]])])
case("outer_f32_empty", "outer", [operand((0,), F32), operand((4,), F32)])

# ---- normal samples: results that round (float32 within about 1e-6 relative) ---------------
for dt, tag in ((F32, "f32"), (F64, "f64")):
    case(f"rounding_mm_{tag}", "mm", [operand((5, 9), dt, randn=True),
                                      operand((6, 9), dt, [["t"]], randn=True)])
    case(f"rounding_bmm_{tag}", "bmm", [operand((2, 3, 5), dt, randn=True),
                                        operand((2, 5, 4), dt, randn=True)])
    case(f"rounding_matmul_{tag}_broadcast", "matmul", [operand((2, 1, 3, 6), dt, randn=True),
                                                        operand((4, 6, 2), dt, randn=True)])
    case(f"rounding_addmm_{tag}", "addmm", [operand((5,), dt, randn=True),
                                            operand((3, 6), dt, randn=True),
                                            operand((6, 5), dt, randn=True)],
         {"beta": 0.75, "alpha": -1.25})
    case(f"rounding_mv_{tag}", "mv", [operand((6, 4), dt, [["t"]], randn=True),
                                      operand((6,), dt, randn=True)])
    case(f"rounding_dot_{tag}", "dot", [operand((11,), dt, randn=True),
                                        operand((11,), dt, randn=True)])

# ---- errors (the message of PyTorch 1.13 must appear in ember's) -----------------------------
error("mm_shapes", "mm", [((2, 3), F32), ((4, 5), F32)])
error("mm_self_not_matrix", "mm", [((3,), F32), ((3, 4), F32)])
error("mm_self_3d", "mm", [((2, 3, 4), F32), ((4, 4), F32)])
error("mm_mat2_not_matrix", "mm", [((2, 3), F32), ((3,), F32)])
error("mm_dtype", "mm", [((2, 3), F32), ((3, 4), F64)])
error("mm_dtype_reversed", "mm", [((2, 3), F64), ((3, 4), F32)])
error("mm_bool", "mm", [((2, 3), BOOL), ((3, 4), BOOL)])
error("mm_half", "mm", [((2, 3), F16), ((3, 4), F16)])
error("bmm_batch_mismatch", "bmm", [((2, 2, 3), F32), ((3, 3, 4), F32)])
error("bmm_contraction_mismatch", "bmm", [((2, 2, 3), F32), ((2, 4, 4), F32)])
error("bmm_batch1_2d", "bmm", [((2, 3), F32), ((2, 3, 4), F32)])
error("bmm_batch2_2d", "bmm", [((2, 2, 3), F32), ((3, 4), F32)])
error("bmm_dtype", "bmm", [((2, 2, 3), F32), ((2, 3, 4), F64)])
error("bmm_bool", "bmm", [((2, 2, 3), BOOL), ((2, 3, 4), BOOL)])
error("bmm_half", "bmm", [((2, 2, 3), F16), ((2, 3, 4), F16)])
error("matmul_0d_2d", "matmul", [((), F32), ((2, 2), F32)])
error("matmul_2d_0d", "matmul", [((2, 2), F32), ((), F32)])
error("matmul_1d_1d_sizes", "matmul", [((3,), F32), ((4,), F32)])
error("matmul_2d_1d_sizes", "matmul", [((2, 3), F32), ((4,), F32)])
error("matmul_1d_2d_sizes", "matmul", [((3,), F32), ((4, 5), F32)])
error("matmul_2d_2d_sizes", "matmul", [((2, 3), F32), ((4, 5), F32)])
error("matmul_3d_2d_sizes", "matmul", [((2, 2, 3), F32), ((4, 5), F32)])
error("matmul_3d_1d_sizes", "matmul", [((2, 2, 3), F32), ((4,), F32)])
error("matmul_1d_3d_sizes", "matmul", [((3,), F32), ((2, 4, 5), F32)])
error("matmul_2d_3d_sizes", "matmul", [((2, 3), F32), ((2, 4, 5), F32)])
error("matmul_3d_3d_sizes", "matmul", [((2, 2, 3), F32), ((2, 4, 5), F32)])
error("matmul_4d_4d_sizes", "matmul", [((2, 3, 2, 3), F32), ((2, 3, 4, 5), F32)])
error("matmul_batch_broadcast", "matmul", [((2, 2, 3), F32), ((3, 3, 5), F32)])
error("matmul_dtype_2d", "matmul", [((2, 3), F32), ((3, 5), F64)])
error("matmul_dtype_1d_1d", "matmul", [((3,), F32), ((3,), F64)])
error("matmul_dtype_1d_3d", "matmul", [((3,), F32), ((2, 3, 4), F64)])
error("matmul_dtype_3d_1d", "matmul", [((2, 3, 4), F32), ((4,), F64)])
error("matmul_dtype_3d_3d", "matmul", [((2, 2, 3), F32), ((2, 3, 5), F64)])
error("matmul_bool_2d", "matmul", [((2, 3), BOOL), ((3, 5), BOOL)])
error("matmul_bool_1d", "matmul", [((3,), BOOL), ((3,), BOOL)])
error("matmul_half_3d", "matmul", [((2, 2, 3), F16), ((2, 3, 5), F16)])
error("dot_sizes", "dot", [((3,), F32), ((4,), F32)])
error("dot_2d", "dot", [((3, 1), F32), ((3,), F32)])
error("dot_2d_b", "dot", [((3,), F32), ((3, 1), F32)])
error("dot_0d", "dot", [((), F32), ((), F32)])
error("dot_dtype", "dot", [((3,), F32), ((3,), F64)])
error("dot_bool", "dot", [((3,), BOOL), ((3,), BOOL)])
error("dot_half", "dot", [((3,), F16), ((3,), F16)])
error("mv_sizes", "mv", [((2, 3), F32), ((4,), F32)])
error("mv_matrix_1d", "mv", [((3,), F32), ((3,), F32)])
error("mv_vector_2d", "mv", [((2, 3), F32), ((3, 1), F32)])
error("mv_matrix_3d", "mv", [((2, 2, 3), F32), ((3,), F32)])
error("mv_vector_0d", "mv", [((2, 3), F32), ((), F32)])
error("mv_dtype", "mv", [((2, 3), F32), ((3,), F64)])
error("mv_bool", "mv", [((2, 3), BOOL), ((3,), BOOL)])
error("mv_half", "mv", [((2, 3), F16), ((3,), F16)])
error("outer_self_2d", "outer", [((2, 1), F32), ((3,), F32)])
error("outer_vec2_0d", "outer", [((2,), F32), ((), F32)])
error("addmm_shapes", "addmm", [((2, 4), F32), ((2, 3), F32), ((4, 4), F32)])
error("addmm_mat1_1d", "addmm", [((4,), F32), ((3,), F32), ((3, 4), F32)])
error("addmm_mat2_1d", "addmm", [((2, 4), F32), ((2, 3), F32), ((3,), F32)])
error("addmm_mat1_3d", "addmm", [((2, 4), F32), ((1, 2, 3), F32), ((3, 4), F32)])
error("addmm_input_dtype", "addmm", [((2, 4), F64), ((2, 3), F32), ((3, 4), F32)])
error("addmm_mat2_dtype", "addmm", [((2, 4), F32), ((2, 3), F32), ((3, 4), F64)])
error("addmm_mat1_dtype", "addmm", [((2, 4), F64), ((2, 3), F32), ((3, 4), F64)])
error("addmm_input_broadcast", "addmm", [((3,), F32), ((2, 3), F32), ((3, 4), F32)])
error("addmm_input_rows", "addmm", [((3, 4), F32), ((2, 3), F32), ((3, 4), F32)])
error("addmm_bool", "addmm", [((2, 4), BOOL), ((2, 3), BOOL), ((3, 4), BOOL)])

write_fixture("linalg", __file__, {"cases": CASES, "errors": ERRORS})

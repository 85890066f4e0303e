"""Golden values for the factories: tensor() dtype inference, arange, linspace, eye, full and
the *_like family, and float16/bfloat16 conversions. Writes tests/golden/factory.json."""
import torch

from common import tensor_json, write_fixture


def run(fn):
    try:
        return {"result": tensor_json(fn())}
    except (RuntimeError, ValueError, TypeError) as e:
        return {"error": str(e).split("\n")[0]}


def arange_cases():
    cases = []
    for args in [(10,), (10.0,), (0, 10, 3), (1, -5, -2), (0.0, 1.0, 0.1), (-1.5, 2.25, 0.5),
                 (0, 1, 0.3), (5, 5), (0.5, 10), (1, 2.5, 0.25), (-3, 3, 1.5)]:
        cases.append({"args": list(args), **run(lambda: torch.arange(*args))})
    for args, dtype in [((10,), torch.float64), ((0, 1, 0.1), torch.float64), ((5,), torch.int32),
                        ((0.0, 1.0, 0.125), torch.float16), ((2, 20, 3), torch.uint8)]:
        cases.append({"args": list(args), "dtype": str(dtype).replace("torch.", ""),
                      **run(lambda: torch.arange(*args, dtype=dtype))})
    for args in [(0, 10, 0), (10, 0, 1), (0, 10, -1)]:
        cases.append({"args": list(args), **run(lambda: torch.arange(*args))})
    return cases


def linspace_cases():
    cases = []
    for start, end, steps, dtype in [(0, 1, 30, torch.float32), (-3.5, 7.25, 11, torch.float32),
                                     (0, 1, 5, torch.float64), (1, 0, 7, torch.float32),
                                     (0, 10, 4, torch.int64), (-5, 5, 7, torch.int64),
                                     (2, 2, 1, torch.float32), (0, 1, 0, torch.float32),
                                     (0.1, 0.9, 1000, torch.float32), (0, 1, 9, torch.float16)]:
        cases.append({"start": start, "end": end, "steps": steps,
                      "dtype": str(dtype).replace("torch.", ""),
                      **run(lambda: torch.linspace(start, end, steps, dtype=dtype))})
    return cases


def inference_cases():
    return {
        "float_nested": tensor_json(torch.tensor([[1., -1.], [1., -1.]])),
        "int_list": tensor_json(torch.tensor([1, 2, 3])),
        "bool_list": tensor_json(torch.tensor([True, False])),
        "mixed_int_float": tensor_json(torch.tensor([1, 2.])),
        "scalar_int": tensor_json(torch.tensor(3)),
        "scalar_float": tensor_json(torch.tensor(3.5)),
        "bool_int": tensor_json(torch.tensor([True, 2])),
        "empty": tensor_json(torch.tensor([])),
        "full_int": tensor_json(torch.full((2, 2), 7)),
        "full_float": tensor_json(torch.full((2,), 1.5)),
        "full_bool": tensor_json(torch.full((2,), True)),
        "eye3": tensor_json(torch.eye(3)),
        "eye2x4": tensor_json(torch.eye(2, 4)),
        "eye4x2_int": tensor_json(torch.eye(4, 2, dtype=torch.int64)),
        "ones_like_int": tensor_json(torch.ones_like(torch.tensor([1, 2]))),
        "zeros_like_f64": tensor_json(torch.zeros_like(torch.tensor([1., 2.], dtype=torch.float64))),
    }


def fnv_blocks(bits, block):
    out = []
    values = [v & 0xFFFFFFFF for v in bits.tolist()]
    for b in range(0, len(values), block):
        h = 0x811C9DC5
        for v in values[b:b + block]:
            for shift in (0, 8, 16, 24):
                h ^= (v >> shift) & 0xFF
                h = (h * 0x01000193) & 0xFFFFFFFF
        out.append(h)
    return out


def half_conversion():
    # Every float16 bit pattern to float32, and tricky float32 values rounded to float16/bfloat16.
    bits = torch.arange(0, 65536, dtype=torch.int32).to(torch.int16)
    halves = bits.view(torch.float16)
    singles = torch.tensor([0.0, -0.0, 1.0, 65504.0, 65519.996, 65520.0, 1e-8, 5.96e-8, 2.98e-8,
                            2.99e-8, 6.1e-5, 6.097e-5, 1.0009765625, 1.00048828125, 1.000732421875,
                            3.14159265, -2.71828, 1e10, -1e10, float("inf"), float("nan"),
                            1.00390625, 1.005859375, 3.0e38, 1.17549435e-38, 9.2e-41],
                           dtype=torch.float32)
    return {
        # All 65536 conversions, as FNV-1a hashes of the float32 bit patterns per block of 1024
        # (the full table would be a megabyte).
        "half_to_float_block_hashes": fnv_blocks(halves.float().view(torch.int32), 1024),
        "singles": tensor_json(singles),
        "singles_to_half": tensor_json(singles.half()),
        "singles_to_bfloat16": tensor_json(singles.bfloat16()),
    }


if __name__ == "__main__":
    write_fixture("factory", __file__, {"arange": arange_cases(), "linspace": linspace_cases(),
                                        "inference": inference_cases(),
                                        "half": half_conversion()})

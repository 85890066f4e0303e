"""Shared helpers for the golden-fixture scripts: run with Debian's /usr/bin/python3 (python3-torch).

Each script writes tests/golden/<name>.json with write_fixture(); tensors are stored by
tensor_json() as {"dtype", "shape", "data"} with flat row-major data and "nan"/"inf"/"-inf"
as strings, which tests/support/golden.cpp reads back.
"""
import json
import math
import os
import struct

import torch

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN_DIR = os.path.join(ROOT, "tests", "golden")

DTYPE_NAMES = {
    torch.bool: "bool", torch.uint8: "uint8", torch.int8: "int8", torch.int16: "int16",
    torch.int32: "int32", torch.int64: "int64", torch.float16: "float16",
    torch.bfloat16: "bfloat16", torch.float32: "float32", torch.float64: "float64",
}


def number_json(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def float32_json(v):
    """The float32 value v with the fewest digits that read back (through a double, as
    tests/support/golden.cpp reads them) as the same float32: half the size of repr(v)."""
    if not math.isfinite(v):
        return v
    for digits in range(1, 10):
        short = float("%.*g" % (digits, v))
        if struct.unpack("f", struct.pack("f", short))[0] == v:
            return short
    return v


def tensor_json(t):
    t = t.detach().cpu().contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        values = t.float().reshape(-1).tolist()
    else:
        values = t.reshape(-1).tolist()
    if t.dtype == torch.float32:
        values = [float32_json(v) for v in values]
    return {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape),
            "data": [number_json(v) for v in values]}


def rounded(t, decimals=2):
    """t rounded to a few decimals, for a fixture's random inputs: they stay generic but take a
    few characters each (what PyTorch computes from them keeps every digit)."""
    scale = 10.0 ** decimals
    return torch.round(t * scale) / scale


def write_fixture(name, script, payload):
    payload = dict(payload)
    payload["generated_by"] = "tools/golden/" + os.path.basename(script)
    payload["torch_version"] = torch.__version__
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    path = os.path.join(GOLDEN_DIR, name + ".json")
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))

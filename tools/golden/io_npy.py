"""Golden files for tests/io/test_npy.cpp: small .npy files written by numpy.save (and by
numpy.lib.format for the 2.0 and 3.0 headers and a big-endian file) under tests/data/npy/, with
their contents in tests/golden/io_npy.json.
"""
import os

import numpy as np
import torch

from common import ROOT, tensor_json, write_fixture

NPY = os.path.join(ROOT, "tests", "data", "npy")
os.makedirs(NPY, exist_ok=True)

arrays = {
    "bool": np.array([True, False, True]),
    "uint8": np.array([0, 7, 255], dtype=np.uint8),
    "int8": np.array([-128, 0, 127], dtype=np.int8),
    "int16": np.array([[-300, 2], [3, 32767]], dtype=np.int16),
    "int32": np.arange(-3, 3, dtype=np.int32).reshape(2, 3),
    "int64": np.array([-(2**62), 1, 2**40], dtype=np.int64),
    "float16": np.array([0.5, -1.75, 65504.0], dtype=np.float16),
    "float32": np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2),
    "float64": np.array([[1.0 / 3, -2.5], [np.inf, np.nan]], dtype=np.float64),
    "scalar": np.array(2.5, dtype=np.float64),
    "empty": np.zeros((0, 3), dtype=np.float32),
    "fortran": np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)),
    "fortran2d": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) / 4),
}
expected = {}
for name, a in arrays.items():
    np.save(os.path.join(NPY, name + ".npy"), a)
    expected[name] = {"tensor": tensor_json(torch.from_numpy(np.array(a, order="C"))),
                      "fortran_order": bool(a.flags.f_contiguous and not a.flags.c_contiguous)}


def write_version(name, a, version):
    with open(os.path.join(NPY, name + ".npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=version)
    expected[name] = {"tensor": tensor_json(torch.from_numpy(np.array(a, order="C"))),
                      "fortran_order": False}


# numpy.save picks 2.0 only for headers past 64 KiB, which no array of ember's dtypes reaches
# (NumPy allows 32 dimensions): write_array writes 2.0 and 3.0 headers on request.
write_version("v2", np.array([1.5, -2.0], dtype=np.float32), (2, 0))
write_version("v3", np.array([[1, 2], [3, 4]], dtype=np.int64), (3, 0))
big = np.array([1, -2, 300], dtype=">i4")
np.save(os.path.join(NPY, "big_endian.npy"), big)
expected["big_endian"] = {"tensor": tensor_json(torch.from_numpy(big.astype("<i4"))),
                          "fortran_order": False}

write_fixture("io_npy", __file__, {"numpy_version": np.__version__, "arrays": expected})

"""Golden values for equal, isclose and allclose. Writes tests/golden/compare.json."""
import torch

from common import tensor_json, write_fixture

nan, inf = float("nan"), float("inf")
CASES = [
    ([1.0, inf, nan, 1e-9, -inf, 2.0], [1.0000001, inf, nan, 0.0, inf, 2.1], torch.float32),
    ([1.0, 1e10, 1e-300, 0.0], [1.00001, 1.00001e10, 0.0, -0.0], torch.float64),
    ([1, 2, 100000], [1, 3, 100001], torch.int64),
    ([True, False], [True, True], torch.bool),
]
TOLERANCES = [(1e-5, 1e-8, False), (1e-5, 1e-8, True), (0.0, 0.0, False), (0.1, 0.0, False),
              (0.0, 1.0, True)]


def main():
    out = []
    for a, b, dtype in CASES:
        ta, tb = torch.tensor(a, dtype=dtype), torch.tensor(b, dtype=dtype)
        for rtol, atol, equal_nan in TOLERANCES:
            out.append({"a": tensor_json(ta), "b": tensor_json(tb), "rtol": rtol, "atol": atol,
                        "equal_nan": equal_nan,
                        "isclose": tensor_json(torch.isclose(ta, tb, rtol, atol, equal_nan)),
                        "allclose": torch.allclose(ta, tb, rtol, atol, equal_nan)})
        out[-1]["equal"] = torch.equal(ta, tb)
        out[-1]["equal_self"] = torch.equal(ta, ta)
    write_fixture("compare", __file__, {"cases": out,
                                        "equal_int_float": torch.equal(torch.tensor([1]),
                                                                       torch.tensor([1.0]))})


if __name__ == "__main__":
    main()

"""Golden values for tests/nn/test_init.cpp: what torch.nn.init's initialisers write after
torch.manual_seed(seed) (xavier, kaiming, normal_, uniform_, trunc_normal_, orthogonal_) on a few
small shapes, calculate_gain's values and the initialisers' error messages.
Writes tests/golden/nn_init.json.
"""
import math

import torch
import torch.nn.init as init

from common import tensor_json, write_fixture

DTYPES = {"float32": torch.float32, "float64": torch.float64}

# (name, function, kwargs, shape, dtype); each case runs after torch.manual_seed(seed)
CASES = [
    ("xavier_uniform_", {}, [3, 5], "float32"),
    ("xavier_uniform_", {"gain": 2.0}, [4, 3, 2, 2], "float32"),
    ("xavier_normal_", {}, [5, 3], "float32"),
    ("xavier_normal_", {"gain": 0.5}, [2, 3, 3, 3], "float32"),
    ("kaiming_uniform_", {}, [4, 6], "float32"),
    ("kaiming_uniform_", {"a": math.sqrt(5)}, [3, 4, 2, 2], "float32"),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}, [5, 4], "float32"),
    ("kaiming_uniform_", {"a": 0.2, "mode": "fan_out", "nonlinearity": "leaky_relu"}, [2, 3, 3],
     "float64"),
    ("kaiming_normal_", {"nonlinearity": "relu"}, [6, 4], "float32"),
    ("kaiming_normal_", {"a": 0.1, "mode": "fan_out"}, [3, 2, 3, 3], "float32"),
    ("normal_", {"mean": 1.0, "std": 2.0}, [20], "float32"),
    ("uniform_", {"a": -2.0, "b": 3.0}, [3, 7], "float32"),
    ("trunc_normal_", {}, [50], "float32"),
    ("trunc_normal_", {}, [3, 4], "float64"),
    ("trunc_normal_", {"mean": 0.5, "std": 2.0, "a": -1.0, "b": 3.0}, [4, 5], "float32"),
    ("trunc_normal_", {"mean": 0.0, "std": 1.0, "a": 0.0, "b": 0.5}, [17], "float32"),
    ("orthogonal_", {}, [6, 3], "float32"),
    ("orthogonal_", {}, [3, 6], "float32"),
    ("orthogonal_", {}, [4, 2, 3, 3], "float32"),
    ("orthogonal_", {"gain": 2.0}, [5, 5], "float32"),
    ("orthogonal_", {"gain": 0.5}, [8, 1, 2, 1], "float64"),
    ("orthogonal_", {}, [1, 4], "float32"),
]

cases = []
for i, (name, kwargs, shape, dtype) in enumerate(CASES):
    seed = 100 + i
    torch.manual_seed(seed)
    t = torch.empty(shape, dtype=DTYPES[dtype])
    getattr(init, name)(t, **kwargs)
    # what the default generator holds next: the initialiser consumed exactly PyTorch's draws
    after = torch.rand(2, dtype=torch.float64)
    cases.append({"fn": name, "kwargs": kwargs, "seed": seed, "values": tensor_json(t),
                  "next_draws": tensor_json(after)})

gains = []
for nonlinearity, param in [("linear", None), ("conv2d", None), ("conv_transpose3d", None),
                            ("sigmoid", None), ("tanh", None), ("relu", None),
                            ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 0),
                            ("selu", None)]:
    gains.append({"nonlinearity": nonlinearity, "param": param,
                  "gain": init.calculate_gain(nonlinearity, param)})


def error_of(fn):
    try:
        fn()
    except (ValueError, RuntimeError) as e:
        return str(e)
    raise AssertionError("no error")


errors = {
    "calculate_gain_unknown": error_of(lambda: init.calculate_gain("swish")),
    "xavier_uniform_1d": error_of(lambda: init.xavier_uniform_(torch.empty(3))),
    "kaiming_mode": error_of(lambda: init.kaiming_uniform_(torch.empty(2, 3), mode="fan_avg")),
    "orthogonal_1d": error_of(lambda: init.orthogonal_(torch.empty(4))),
    "trunc_normal_int": error_of(lambda: init.trunc_normal_(torch.zeros(3, dtype=torch.int64))),
}

write_fixture("nn_init", __file__, {"cases": cases, "gains": gains, "errors": errors})

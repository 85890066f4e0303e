"""Golden files for tests/nn/test_io.cpp: a safetensors file written by the reference
implementation (the `safetensors` package from PyPI, see requirements.txt) with every dtype
ember reads, its expected contents, and torch.nn.utils' gradient clipping results.
"""
import os

import torch
from safetensors.torch import save_file

from common import GOLDEN_DIR, tensor_json, write_fixture

torch.manual_seed(0)
tensors = {
    "f32": torch.randn(2, 3),
    "f64": torch.randn(3, dtype=torch.float64),
    "f16": torch.randn(2, 2).half(),
    "bf16": torch.randn(4).bfloat16(),
    "i64": torch.arange(-3, 3),
    "i32": torch.tensor([[1, -2], [3, -4]], dtype=torch.int32),
    "i16": torch.tensor([7, -8], dtype=torch.int16),
    "i8": torch.tensor([-128, 127], dtype=torch.int8),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "scalar": torch.tensor(2.5),
    "empty": torch.zeros(0, 3),
}
save_file(tensors, os.path.join(GOLDEN_DIR, "reference.safetensors"), metadata={"format": "pt"})

# clip_grad_norm_ / clip_grad_value_ on fixed gradients.
clip = []
for norm_type, max_norm in [(2.0, 1.0), (1.0, 0.5), (float("inf"), 0.3), (2.0, 100.0)]:
    ps = [torch.zeros(2, 3, requires_grad=True), torch.zeros(4, requires_grad=True)]
    ps[0].grad = torch.linspace(-1, 1, 6).reshape(2, 3)
    ps[1].grad = torch.tensor([0.5, -2.0, 0.25, 1.0])
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
    clip.append({"norm_type": "inf" if norm_type == float("inf") else norm_type,
                 "max_norm": max_norm, "total": tensor_json(total),
                 "grads": [tensor_json(p.grad) for p in ps]})

write_fixture("nn_io", __file__, {
    "tensors": {k: tensor_json(v) for k, v in tensors.items()},
    "clip_grad_norm": clip,
})

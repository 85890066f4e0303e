"""torchvision 0.14 Grayscale, ColorJitter (and its adjust_* functions) and RandomErasing on tiny
images, for tests/vision/test_color.cpp.

Grayscale runs on a PIL RGB image (5x7), a PIL 'L' image (6x8), a uint8 tensor [3, 5, 7] (the
RGB image's pixels) and a float32 tensor [2, 3, 4, 5]; RandomErasing (tensors only) on the two
tensors, reseeded before the first of several calls.
"""
import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image

from common import rounded, tensor_json, write_fixture

rgb = ((np.arange(5)[:, None, None] * 53 + np.arange(7)[None, :, None] * 29 +
        np.arange(3)[None, None, :] * 101) * 7 % 256).astype(np.uint8)
grey = ((np.arange(6)[:, None] * 41 + np.arange(8)[None, :] * 67) * 13 % 256).astype(np.uint8)
torch.manual_seed(321)
t_f32 = rounded(torch.rand(2, 3, 4, 5))
inputs = {"rgb": Image.fromarray(rgb, "RGB"), "grey": Image.fromarray(grey, "L"),
          "t_u8": torch.from_numpy(rgb).permute(2, 0, 1).contiguous(), "t_f32": t_f32}


def as_tensor(out):
    if isinstance(out, Image.Image):
        a = np.array(out)
        return torch.from_numpy((a[:, :, None] if a.ndim == 2 else a).copy())
    return out


ALL = ["rgb", "grey", "t_u8", "t_f32"]
TENSORS = ["t_u8", "t_f32"]
cases = [
    ("grayscale_1", T.Grayscale(), ALL, None, 1),
    ("grayscale_3", T.Grayscale(num_output_channels=3), ALL, None, 1),
    ("brightness_0.5", lambda x: F.adjust_brightness(x, 0.5), ALL, None, 1),
    ("brightness_1.7", lambda x: F.adjust_brightness(x, 1.7), ALL, None, 1),
    ("contrast_0.3", lambda x: F.adjust_contrast(x, 0.3), ALL, None, 1),
    ("contrast_1.6", lambda x: F.adjust_contrast(x, 1.6), ALL, None, 1),
    ("saturation_0.2", lambda x: F.adjust_saturation(x, 0.2), ALL, None, 1),
    ("saturation_2", lambda x: F.adjust_saturation(x, 2.0), ALL, None, 1),
    ("hue_0.2", lambda x: F.adjust_hue(x, 0.2), ALL, None, 1),
    ("hue_-0.3", lambda x: F.adjust_hue(x, -0.3), ALL, None, 1),
    ("jitter_all", T.ColorJitter(0.4, 0.4, 0.4, 0.1), ALL, 0, 3),
    ("jitter_ranges", T.ColorJitter(brightness=(0.5, 1.5), saturation=(0.0, 2.0), hue=(-0.5, 0.2)),
     ["rgb", "t_f32"], 1, 3),
    ("jitter_contrast_only", T.ColorJitter(contrast=0.9), ["rgb", "t_u8"], 2, 2),
    ("erasing_default", T.RandomErasing(), TENSORS, 0, 4),
    ("erasing_always_value", T.RandomErasing(p=1.0, scale=(0.1, 0.5), value=7), TENSORS, 1, 3),
    ("erasing_per_channel", T.RandomErasing(p=1.0, value=(0.1, 0.2, 0.3)), ["t_f32"], 2, 3),
    ("erasing_random", T.RandomErasing(p=1.0, scale=(0.1, 0.3), ratio=(0.5, 2.0), value="random"),
     ["t_f32"], 3, 2),
    ("erasing_no_fit", T.RandomErasing(p=1.0, scale=(0.95, 1.0), ratio=(1.0, 1.0)), TENSORS, 4, 1),
]

fixture = {"inputs": {"rgb": tensor_json(torch.from_numpy(rgb)),
                      "grey": tensor_json(torch.from_numpy(grey[:, :, None].copy())),
                      "t_f32": tensor_json(t_f32)}, "cases": {}}
for name, transform, keys, seed, calls in cases:
    entry = {"repr": None if callable(transform) and transform.__class__.__name__ == "function"
             else repr(transform), "seed": seed, "calls": calls, "outputs": {}}
    for key in keys:
        if seed is not None:
            torch.manual_seed(seed)
        entry["outputs"][key] = [tensor_json(as_tensor(transform(inputs[key]))) for _ in range(calls)]
    # What the generator gives next: erasing must draw exactly what torchvision draws.
    entry["next_rand"] = torch.rand(1).item()
    fixture["cases"][name] = entry

# Pillow's "L" conversion over many colours (the fixed-point rounding), as one 16x16 image.
torch.manual_seed(5)
many = torch.randint(0, 256, (16, 16, 3), dtype=torch.uint8)
fixture["many_rgb"] = tensor_json(many)
fixture["many_l"] = tensor_json(torch.from_numpy(np.array(Image.fromarray(many.numpy(), "RGB").convert("L"))))
write_fixture("vision_color", __file__, fixture)

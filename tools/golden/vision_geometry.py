"""torchvision 0.14 geometric transforms (Pad, CenterCrop, RandomCrop, the random flips, Resize,
RandomResizedCrop, RandomRotation) on tiny images, for tests/vision/test_geometry.cpp and test_resize.cpp.

Each case names a transform that the C++ tests build the same way; it is applied to a PIL RGB
image (5x7), a PIL 'L' image (6x8), a uint8 tensor [3, 5, 7] and a float32 tensor [2, 1, 5, 7],
where torchvision accepts that input. Random cases reseed torch before the first call and
record several calls in a row, so the draws (and draws that must not happen) are pinned down.
"""
import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image
from torchvision.transforms import InterpolationMode as IM

from common import rounded, tensor_json, write_fixture

rgb = ((np.arange(5)[:, None, None] * 53 + np.arange(7)[None, :, None] * 29 +
        np.arange(3)[None, None, :] * 101) * 7 % 256).astype(np.uint8)
grey = ((np.arange(6)[:, None] * 41 + np.arange(8)[None, :] * 67) * 13 % 256).astype(np.uint8)
big = ((np.arange(20)[:, None, None] * 31 + np.arange(23)[None, :, None] * 17 +
        np.arange(3)[None, None, :] * 89) * 11 % 256).astype(np.uint8)
torch.manual_seed(123)
t_f32 = rounded(torch.rand(2, 1, 5, 7))

inputs = {
    "rgb": Image.fromarray(rgb, "RGB"),
    "grey": Image.fromarray(grey, "L"),
    "big": Image.fromarray(big, "RGB"),
    "t_u8": torch.from_numpy(rgb).permute(2, 0, 1).contiguous(),
    "t_f32": t_f32,
    "t_big": torch.from_numpy(big).permute(2, 0, 1).contiguous(),
}
# The uint8 tensors are the RGB images' pixels as [C, H, W]: the tests derive them.
STORED_INPUTS = ["rgb", "grey", "big", "t_f32"]

ALL = ["rgb", "grey", "t_u8", "t_f32"]
U8 = ["rgb", "grey", "t_u8"]

cases = [
    # (name, transform, inputs, seed or None, calls)
    ("pad_int", T.Pad(2), U8, None, 1),
    ("pad_pair_fill", T.Pad((1, 2), fill=7), ALL, None, 1),
    ("pad_four_fill_rgb", T.Pad((1, 0, 2, 3), fill=(10, 20, 30)), ["rgb"], None, 1),
    ("pad_edge", T.Pad((2, 1), padding_mode="edge"), U8, None, 1),
    ("pad_reflect", T.Pad((3, 1, 2, 4), padding_mode="reflect"), U8, None, 1),
    ("pad_symmetric", T.Pad((3, 1, 2, 4), padding_mode="symmetric"), U8, None, 1),
    ("pad_reflect_wide", T.Pad((9, 0, 0, 0), padding_mode="reflect"), ["grey"], None, 1),
    ("pad_symmetric_wide", T.Pad((0, 13, 0, 0), padding_mode="symmetric"), ["grey"], None, 1),
    ("pad_negative", T.Pad((-1, 2, 1, -2), padding_mode="reflect"), U8, None, 1),
    ("pad_negative_constant", T.Pad((-2, 1, 0, -1)), ALL, None, 1),
    ("center_crop_4", T.CenterCrop(4), ALL, None, 1),
    ("center_crop_3", T.CenterCrop(3), ALL, None, 1),
    ("center_crop_3x5", T.CenterCrop((3, 5)), ALL, None, 1),
    ("center_crop_larger", T.CenterCrop((8, 9)), U8, None, 1),
    ("center_crop_mixed", T.CenterCrop((2, 10)), ALL, None, 1),
    ("random_crop_3", T.RandomCrop(3), ALL, 0, 3),
    ("random_crop_padding", T.RandomCrop((4, 5), padding=2), ALL, 1, 3),
    ("random_crop_pad_if_needed", T.RandomCrop(8, pad_if_needed=True, padding_mode="edge"), ALL, 2, 1),
    ("random_crop_whole_then_3", T.Compose([T.RandomCrop((5, 7)), T.RandomCrop(3)]), ["rgb", "t_u8"], 4, 2),
    ("hflip", T.RandomHorizontalFlip(p=1.0), ALL, None, 1),
    ("vflip", T.RandomVerticalFlip(p=1.0), ALL, None, 1),
    # Resize
    ("resize_3", T.Resize(3), ALL, None, 1),
    ("resize_4", T.Resize(4), ALL, None, 1),
    ("resize_4x9", T.Resize((4, 9)), ALL, None, 1),
    ("resize_6x9", T.Resize((6, 9)), ["rgb", "t_u8"], None, 1),
    ("resize_max_size", T.Resize(3, max_size=4), ALL, None, 1),
    ("resize_nearest_2", T.Resize(2, interpolation=IM.NEAREST), ALL, None, 1),
    ("resize_nearest_7x9", T.Resize((7, 9), interpolation=IM.NEAREST), ["rgb", "t_u8", "t_f32"], None, 1),
    ("resize_nearest_3x5", T.Resize((3, 5), interpolation=IM.NEAREST), ALL, None, 1),
    ("resize_nearest_double", T.Resize((10, 14), interpolation=IM.NEAREST), ["t_f32"], None, 1),
    ("resize_antialias", T.Resize((4, 3), antialias=True), ["t_f32"], None, 1),
    ("resize_big_6x5", T.Resize((6, 5)), ["big", "t_big"], None, 1),
    ("resize_big_7_nearest", T.Resize(7, interpolation=IM.NEAREST), ["big", "t_big"], None, 1),
    ("resize_big_antialias", T.Resize((6, 5), antialias=True), ["t_big"], None, 1),
    ("random_resized_crop_4", T.RandomResizedCrop(4), ALL, 0, 2),
    ("random_resized_crop_options",
     T.RandomResizedCrop((3, 5), scale=(0.5, 0.9), ratio=(0.5, 2.0), interpolation=IM.NEAREST),
     ALL, 5, 3),
    ("rotate_nearest", T.RandomRotation(30), ALL, 0, 1),
    ("rotate_bilinear_fill", T.RandomRotation((-45, 45), interpolation=IM.BILINEAR, fill=9), ALL, 1, 1),
    ("rotate_expand", T.RandomRotation(60, expand=True), ALL, 2, 1),
    ("rotate_center_fill_rgb", T.RandomRotation((10, 80), center=(1, 2), fill=(5, 6, 7)), ["rgb", "t_u8"], 3, 1),
    ("rotate_expand_bilinear", T.RandomRotation(100, interpolation=IM.BILINEAR, expand=True), ["rgb", "t_u8"], 4, 1),
    ("rotate_90", lambda x: F.rotate(x, 90), ["rgb", "t_u8"], None, 1),
    ("rotate_270_expand", lambda x: F.rotate(x, -90, expand=True), ["rgb", "t_u8"], None, 1),
    ("rotate_180", lambda x: F.rotate(x, 180), ["rgb", "t_u8"], None, 1),
    ("random_resized_crop_fallback", T.RandomResizedCrop(3, scale=(2.0, 3.0), ratio=(2.0, 3.0)),
     ALL, 6, 2),
]


def as_tensor(out):
    if isinstance(out, Image.Image):
        a = np.array(out)
        if a.ndim == 2:
            a = a[:, :, None]
        return torch.from_numpy(a.copy())
    return out


fixture = {"inputs": {k: tensor_json(as_tensor(inputs[k])) for k in STORED_INPUTS}, "cases": {}}
for name, transform, keys, seed, calls in cases:
    entry = {"repr": None if transform.__class__.__name__ == "function" else repr(transform), "seed": seed, "calls": calls, "outputs": {}}
    results = {}
    for key in keys:
        if seed is not None:
            torch.manual_seed(seed)
        results[key] = [as_tensor(transform(inputs[key])) for _ in range(calls)]
    for key, outs in results.items():
        # A uint8 tensor result equal to the PIL result (as [C, H, W]) is not stored: the
        # tests compare with the PIL one ("same_as_pil" lists those inputs).
        pil_key = {"t_u8": "rgb", "t_big": "big"}.get(key)
        if pil_key in results and all(torch.equal(o, p.permute(2, 0, 1))
                                      for o, p in zip(outs, results[pil_key])):
            entry.setdefault("same_as_pil", []).append(key)
            continue
        entry["outputs"][key] = [tensor_json(o) for o in outs]
    fixture["cases"][name] = entry

# The random flips' decisions over 8 calls: torch.rand(1) < p.
for name, transform, seed in [("hflip", T.RandomHorizontalFlip(), 0),
                              ("vflip", T.RandomVerticalFlip(0.3), 3)]:
    torch.manual_seed(seed)
    x = inputs["t_f32"]
    fixture["cases"][name]["random_repr"] = repr(transform)
    fixture["cases"][name]["decisions"] = [not torch.equal(transform(x), x) for _ in range(8)]

# get_params draws, for a direct check of RandomResizedCrop.get_params.
torch.manual_seed(7)
fixture["rrc_params"] = [list(T.RandomResizedCrop.get_params(inputs["t_u8"], [0.08, 1.0], [0.75, 4 / 3]))
                         for _ in range(5)]
# Resize's output size rule: (height, width, size, max_size) -> [new_h, new_w].
from torchvision.transforms.functional import _compute_resized_output_size  # noqa: E402
size_cases = [(6, 8, [5], None), (6, 8, [7], None), (7, 3, [2], None), (3, 7, [2], None),
              (5, 5, [3], None), (224, 333, [256], None), (333, 224, [100], 120),
              (10, 30, [5], 12), (30, 10, [5], 16), (6, 8, [4, 3], None)]
fixture["resize_sizes"] = [[h, w, size, max_size, _compute_resized_output_size((h, w), size, max_size)]
                           for h, w, size, max_size in size_cases]
write_fixture("vision_geometry", __file__, fixture)

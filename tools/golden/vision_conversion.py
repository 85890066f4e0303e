"""torchvision's conversion transforms (ToTensor, PILToTensor, ConvertImageDtype, Normalize,
Compose reprs) on small images: tests/golden/vision_conversion.json.

Run with /usr/bin/python3 (Debian's python3-torch and python3-torchvision 0.14).
"""
import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

from common import tensor_json, write_fixture


def pixels(h, w, c, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (h, w, c), generator=g, dtype=torch.uint8)


def pil(p):
    a = p.numpy()
    return Image.fromarray(a[:, :, 0], mode="L") if a.shape[2] == 1 else Image.fromarray(a, "RGB")


def main():
    images = {"rgb_3x5": pixels(3, 5, 3, 0), "grey_4x2": pixels(4, 2, 1, 1)}
    out = {"images": {k: tensor_json(v) for k, v in images.items()}}
    out["to_tensor"] = {k: tensor_json(T.ToTensor()(pil(v))) for k, v in images.items()}
    out["pil_to_tensor"] = {k: tensor_json(T.PILToTensor()(pil(v))) for k, v in images.items()}

    x = T.ToTensor()(pil(images["rgb_3x5"]))
    cases = []
    for mean, std, src in [([0.5], [1.0], x), ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225], x),
                           ([0.1307], [0.3081], x.double()),
                           ([0.5, 0.25, 0.0], [0.5, 2.0, 0.3], torch.stack([x, 1 - x]))]:
        cases.append({"mean": mean, "std": std, "input": tensor_json(src),
                      "output": tensor_json(T.Normalize(mean, std)(src)),
                      "repr": repr(T.Normalize(mean, std))})
    out["normalize"] = cases

    names = {torch.uint8: "uint8", torch.int8: "int8", torch.int16: "int16", torch.int32: "int32",
             torch.int64: "int64", torch.float32: "float32", torch.float64: "float64"}
    sources = {torch.uint8: images["rgb_3x5"].permute(2, 0, 1).contiguous(),
               torch.int16: torch.tensor([[[0, 1, 255, 256, 32767, 12345]]], dtype=torch.int16),
               torch.float32: torch.tensor([[[0.0, 0.001, 0.5, 0.999, 1.0, 0.3]]]),
               torch.float64: torch.tensor([[[0.0, 0.001, 0.5, 0.999, 1.0, 0.3]]],
                                           dtype=torch.float64)}
    converts = []
    for src_dtype, src in sources.items():
        for dst in names:
            try:
                y = T.ConvertImageDtype(dst)(src)
            except RuntimeError:
                converts.append({"from": names[src_dtype], "to": names[dst], "input": tensor_json(src),
                                 "error": True})
                continue
            converts.append({"from": names[src_dtype], "to": names[dst], "input": tensor_json(src),
                             "output": tensor_json(y)})
    out["convert"] = converts
    out["reprs"] = {
        "compose": repr(T.Compose([T.ToTensor(), T.Normalize([0.5], [1.0])])),
        "nested": repr(T.Compose([T.Compose([T.PILToTensor()]), T.ConvertImageDtype(torch.float32)])),
        "convert": repr(T.ConvertImageDtype(torch.float32)),
    }
    out["torchvision_version"] = torchvision.__version__
    write_fixture("vision_conversion", __file__, out)


if __name__ == "__main__":
    main()

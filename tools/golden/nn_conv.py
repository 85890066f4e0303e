"""Golden values for the convolutions of ember/nn/conv.h: conv1d, conv2d and conv_transpose2d
with their options (stride, padding incl. 'same' with an even kernel, dilation, groups, no bias,
non-square kernels, output_padding), unbatched inputs, the gradients of sum(out * grad_out) with
respect to input, weight and bias, the padding modes of the layers, the default initialisation
after manual_seed and the reprs. Run with /usr/bin/python3; writes tests/golden/nn_conv.json."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import rounded, tensor_json, write_fixture

torch.manual_seed(0)


def case(fn, x_shape, w_shape, bias=True, **options):
    """Runs F.<fn> on random tensors and records the output and the gradients of
    sum(out * grad_out)."""
    x = rounded(torch.randn(*x_shape)).requires_grad_()
    w = rounded(torch.randn(*w_shape)).requires_grad_()
    out_channels = w_shape[0] if fn != "conv_transpose2d" else w_shape[1] * options.get("groups", 1)
    b = rounded(torch.randn(out_channels)).requires_grad_() if bias else None
    out = getattr(F, fn)(x, w, b, **options)
    g = rounded(torch.randn_like(out))
    (out * g).sum().backward()
    result = {"fn": fn, "options": options, "input": tensor_json(x), "weight": tensor_json(w),
              "out": tensor_json(out), "grad_out": tensor_json(g),
              "grad_input": tensor_json(x.grad), "grad_weight": tensor_json(w.grad)}
    if bias:
        result["bias"] = tensor_json(b)
        result["grad_bias"] = tensor_json(b.grad)
    return result


cases = [
    case("conv2d", (2, 2, 4, 5), (3, 2, 3, 3)),
    case("conv2d", (1, 2, 4, 4), (2, 2, 3, 3), bias=False),
    case("conv2d", (1, 2, 5, 6), (2, 2, 3, 2), stride=2, padding=1),
    case("conv2d", (1, 2, 7, 8), (2, 2, 3, 3), stride=(2, 3), padding=(0, 2)),
    case("conv2d", (1, 2, 6, 7), (2, 2, 3, 3), dilation=2),
    case("conv2d", (1, 2, 5, 6), (2, 2, 2, 3), dilation=(2, 1), padding=(1, 2)),
    case("conv2d", (1, 4, 4, 5), (4, 2, 3, 3), groups=2),
    case("conv2d", (1, 3, 4, 4), (3, 1, 3, 3), groups=3, padding=1),
    case("conv2d", (1, 2, 5, 6), (2, 2, 3, 5), padding="same"),
    case("conv2d", (1, 2, 4, 5), (2, 2, 2, 4), padding="same"),
    case("conv2d", (1, 2, 5, 6), (2, 2, 2, 2), padding="same", dilation=(1, 3)),
    case("conv2d", (1, 2, 5, 5), (2, 2, 3, 3), padding="valid"),
    case("conv2d", (4, 5, 5), (4, 2, 3, 3), groups=2, stride=2),  # unbatched
    case("conv2d", (2, 2, 3, 3), (2, 2, 3, 3)),  # kernel = input
    case("conv1d", (2, 3, 7), (4, 3, 3)),
    case("conv1d", (1, 4, 9), (4, 2, 4), stride=2, padding=2, dilation=2, groups=2),
    case("conv1d", (1, 3, 7), (2, 3, 4), padding="same", bias=False),
    case("conv1d", (3, 8), (5, 3, 2), stride=3),  # unbatched
    case("conv_transpose2d", (2, 2, 3, 3), (2, 3, 3, 3)),
    case("conv_transpose2d", (1, 2, 4, 3), (2, 3, 3, 2), stride=2, padding=1, output_padding=1),
    case("conv_transpose2d", (1, 4, 2, 2), (4, 1, 3, 3), stride=(2, 3), output_padding=(1, 2),
         groups=2, dilation=(1, 2), bias=False),
    case("conv_transpose2d", (1, 2, 3, 3), (2, 2, 3, 3), stride=2, padding=2, dilation=2,
         output_padding=1),
    case("conv_transpose2d", (4, 3, 4), (4, 2, 2, 2), stride=2),  # unbatched
]


def module_case(name, module, x_shape):
    """A layer with a padding mode: its output and input gradient (weights stored)."""
    x = rounded(torch.randn(*x_shape)).requires_grad_()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(rounded(p))
    out = module(x)
    g = rounded(torch.randn_like(out))
    (out * g).sum().backward()
    r = {"name": name, "input": tensor_json(x), "out": tensor_json(out),
         "grad_out": tensor_json(g), "grad_input": tensor_json(x.grad),
         "weight": tensor_json(module.weight)}
    if module.bias is not None:
        r["bias"] = tensor_json(module.bias)
    return r


modules = [
    module_case("reflect", nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), (1, 2, 3, 4)),
    module_case("replicate", nn.Conv2d(2, 3, (3, 2), padding=(2, 1), padding_mode="replicate"),
                (1, 2, 3, 4)),
    module_case("circular", nn.Conv2d(2, 3, 3, padding=2, padding_mode="circular", bias=False),
                (1, 2, 3, 4)),
    module_case("reflect same", nn.Conv2d(2, 3, 4, padding="same", padding_mode="reflect"),
                (1, 2, 4, 4)),
    module_case("conv1d circular", nn.Conv1d(2, 3, 3, padding=1, padding_mode="circular"),
                (2, 2, 7)),
]

# The default initialisation: each layer right after manual_seed.
init = []
for seed, ctor, make in [
    (0, "Conv2d(3, 4, 3)", lambda: nn.Conv2d(3, 4, 3)),
    (1, "Conv2d(4, 6, (3, 2), groups=2)", lambda: nn.Conv2d(4, 6, (3, 2), groups=2)),
    (2, "Conv2d(3, 6, 5)", lambda: nn.Conv2d(3, 6, 5)),
    (3, "Conv1d(3, 5, 4)", lambda: nn.Conv1d(3, 5, 4)),
    (4, "ConvTranspose2d(4, 6, 3, groups=2)", lambda: nn.ConvTranspose2d(4, 6, 3, groups=2)),
    (5, "Conv2d(2, 3, 3, bias=False)", lambda: nn.Conv2d(2, 3, 3, bias=False)),
]:
    torch.manual_seed(seed)
    m = make()
    entry = {"seed": seed, "ctor": ctor, "weight": tensor_json(m.weight)}
    if m.bias is not None:
        entry["bias"] = tensor_json(m.bias)
    init.append(entry)

reprs = [repr(m) for m in [
    nn.Conv2d(3, 64, 5),
    nn.Conv2d(3, 8, 3, stride=2, padding=1),
    nn.Conv2d(3, 8, 3, padding=1, dilation=2, bias=False, padding_mode="reflect"),
    nn.Conv2d(4, 8, (3, 5), padding="same", groups=2),
    nn.Conv1d(3, 8, 3),
    nn.Conv1d(3, 8, 3, padding="valid", stride=2),
    nn.ConvTranspose2d(3, 8, 3, stride=2, output_padding=1),
    nn.ConvTranspose2d(4, 8, 3, groups=2, bias=False, dilation=2),
]]

write_fixture("nn_conv", __file__, {"cases": cases, "modules": modules, "init": init,
                                    "reprs": reprs})

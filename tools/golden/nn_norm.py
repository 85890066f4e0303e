"""Golden values for ember/nn/normalization.h, ember/nn/embedding.h and Dropout2d: batch_norm,
layer_norm and group_norm (train and eval, with and without affine parameters) with their
gradients, BatchNorm1d/2d running statistics over several steps (momentum 0.1, 0.3 and None),
Embedding's default weights after manual_seed, its lookups and weight gradients (padding_idx,
scale_grad_by_freq, max_norm), and Dropout2d's masks. Run with /usr/bin/python3; writes
tests/golden/nn_norm.json."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import rounded, tensor_json, write_fixture

torch.manual_seed(0)


def grads(out, leaves):
    """Backpropagates a random upstream gradient (a plain sum would give batch_norm's input a
    zero gradient) and returns it with the leaves' gradients (None where a leaf is absent)."""
    upstream = rounded(torch.randn(out.shape))
    out.backward(upstream)
    return upstream, [None if t is None else t.grad for t in leaves]


def leaf(t):
    return None if t is None else t.detach().clone().requires_grad_(True)


def opt_json(t):
    return None if t is None else tensor_json(t)


# ---- functional batch_norm, layer_norm, group_norm ------------------------------------------

functional = []


def record(name, op, args, x, w, b, out, upstream, g, extra=None):
    gx, gw, gb = g
    case = {"name": name, "op": op, "args": args, "input": tensor_json(x),
            "weight": opt_json(w), "bias": opt_json(b), "out": tensor_json(out),
            "upstream": tensor_json(upstream), "grad_input": tensor_json(gx),
            "grad_weight": opt_json(gw), "grad_bias": opt_json(gb)}
    case.update(extra or {})
    functional.append(case)


for shape in [(4, 3), (3, 2, 4), (2, 2, 3, 2)]:
    c = shape[1]
    for affine in [True, False]:
        for training in [True, False]:
            x = rounded(torch.randn(shape) * 2 + 0.5)
            w = rounded(torch.rand(c) + 0.5) if affine else None
            b = rounded(torch.randn(c)) if affine else None
            rm, rv = rounded(torch.randn(c)), rounded(torch.rand(c) + 0.5)
            rm0, rv0 = rm.clone(), rv.clone()
            xl, wl, bl = leaf(x), leaf(w), leaf(b)
            out = F.batch_norm(xl, rm, rv, wl, bl, training=training, momentum=0.2, eps=1e-3)
            upstream, g = grads(out, [xl, wl, bl])
            record(f"batch_norm {shape} affine={affine} training={training}", "batch_norm",
                   {"training": training, "momentum": 0.2, "eps": 1e-3}, x, w, b, out,
                   upstream, g,
                   {"running_mean": tensor_json(rm0), "running_var": tensor_json(rv0),
                    "running_mean_after": tensor_json(rm), "running_var_after": tensor_json(rv)})

for shape, normalized in [((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)), ((3, 5), (5,))]:
    for affine in [True, False]:
        x = rounded(torch.randn(shape) * 3 - 1)
        w = rounded(torch.rand(normalized) + 0.5) if affine else None
        b = rounded(torch.randn(normalized)) if affine else None
        xl, wl, bl = leaf(x), leaf(w), leaf(b)
        out = F.layer_norm(xl, normalized, wl, bl, eps=1e-5)
        upstream, g = grads(out, [xl, wl, bl])
        record(f"layer_norm {shape} {normalized} affine={affine}", "layer_norm",
               {"normalized_shape": list(normalized), "eps": 1e-5}, x, w, b, out, upstream, g)

for shape, groups in [((2, 6, 4), 3), ((2, 4, 2, 3), 2), ((2, 8), 2), ((2, 6, 3), 1)]:
    for affine in [True, False]:
        x = rounded(torch.randn(shape) * 2 + 1)
        w = rounded(torch.rand(shape[1]) + 0.5) if affine else None
        b = rounded(torch.randn(shape[1])) if affine else None
        xl, wl, bl = leaf(x), leaf(w), leaf(b)
        out = F.group_norm(xl, groups, wl, bl, eps=1e-5)
        upstream, g = grads(out, [xl, wl, bl])
        record(f"group_norm {shape} groups={groups} affine={affine}", "group_norm",
               {"num_groups": groups, "eps": 1e-5}, x, w, b, out, upstream, g)

# ---- BatchNorm modules over several steps ---------------------------------------------------

modules = []
for cls, shape, kwargs in [
        (nn.BatchNorm1d, (5, 3), {}),
        (nn.BatchNorm1d, (3, 2, 4), {"momentum": None}),
        (nn.BatchNorm2d, (2, 2, 2, 3), {}),
        (nn.BatchNorm2d, (2, 2, 2, 3), {"momentum": None, "eps": 1e-3}),
        (nn.BatchNorm2d, (2, 2, 2, 3), {"momentum": 0.3, "affine": False}),
        (nn.BatchNorm1d, (5, 2), {"track_running_stats": False})]:
    m = cls(shape[1], **kwargs)
    if m.affine:
        with torch.no_grad():
            m.weight.copy_(rounded(torch.rand(shape[1]) + 0.5))
            m.bias.copy_(rounded(torch.randn(shape[1])))
    init = {"weight": opt_json(m.weight), "bias": opt_json(m.bias)}
    steps = []
    for step in range(4):
        training = step < 3
        m.train(training)
        x = rounded(torch.randn(shape) * (step + 1) + step)
        xl = leaf(x)
        if m.affine:
            m.weight.grad = None
            m.bias.grad = None
        out = m(xl)
        upstream, g = grads(out, [xl, m.weight, m.bias])
        steps.append({"training": training, "input": tensor_json(x), "out": tensor_json(out),
                      "upstream": tensor_json(upstream), "grad_input": tensor_json(g[0]),
                      "grad_weight": opt_json(g[1]), "grad_bias": opt_json(g[2]),
                      "running_mean": opt_json(m.running_mean),
                      "running_var": opt_json(m.running_var),
                      "num_batches_tracked": (None if m.num_batches_tracked is None
                                              else int(m.num_batches_tracked))})
    modules.append({"name": f"{cls.__name__} {shape} {kwargs}", "class": cls.__name__,
                    "num_features": shape[1], "options": kwargs, "repr": repr(m),
                    "init": init, "steps": steps})

# ---- Embedding --------------------------------------------------------------------------------

embedding = {}
torch.manual_seed(0)
embedding["default_10x3"] = tensor_json(nn.Embedding(10, 3).weight)
torch.manual_seed(1)
embedding["default_5x4_padding_1"] = tensor_json(nn.Embedding(5, 4, padding_idx=1).weight)

table = rounded(torch.randn(6, 3))
index = torch.tensor([[1, 2, 1], [5, 0, 1]])
lookups = []
for name, kwargs in [("plain", {}), ("padding 1", {"padding_idx": 1}),
                     ("padding -1", {"padding_idx": -1}),
                     ("scale_grad_by_freq", {"scale_grad_by_freq": True}),
                     ("padding and freq", {"padding_idx": 1, "scale_grad_by_freq": True}),
                     ("max_norm", {"max_norm": 1.0}),
                     ("max_norm l1", {"max_norm": 1.5, "norm_type": 1.0})]:
    w = table.clone().requires_grad_(True)
    out = F.embedding(index, w, **kwargs)
    upstream, (gw,) = grads(out, [w])
    lookups.append({"name": name, "options": kwargs, "out": tensor_json(out),
                    "upstream": tensor_json(upstream), "grad_weight": tensor_json(gw),
                    "weight_after": tensor_json(w)})
embedding["table"] = tensor_json(table)
embedding["index"] = tensor_json(index)
embedding["lookups"] = lookups

# ---- Dropout2d ----------------------------------------------------------------------------------

dropout2d = []
for seed, shape, p in [(0, (2, 3, 2, 2), 0.5), (1, (4, 8, 1, 2), 0.3), (2, (3, 5, 4), 0.5),
                       (3, (2, 16, 1, 2), 0.9)]:
    torch.manual_seed(seed)
    x = rounded(torch.randn(shape))
    torch.manual_seed(seed)
    out = F.dropout2d(x, p)
    dropout2d.append({"seed": seed, "p": p, "input": tensor_json(x), "out": tensor_json(out)})
torch.manual_seed(5)
module_out = nn.Dropout2d(0.4)(torch.ones(3, 6, 2, 2))

# ---- state_dict keys ------------------------------------------------------------------------------

state_dict_keys = list(nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4)).state_dict().keys())

write_fixture("nn_norm", __file__, {
    "functional": functional, "batchnorm_modules": modules, "embedding": embedding,
    "dropout2d": dropout2d,
    "dropout2d_module": {"seed": 5, "p": 0.4, "out": tensor_json(module_out)},
    "state_dict_keys": state_dict_keys})

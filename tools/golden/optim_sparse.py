"""Golden trajectories of optimizers fed sparse gradients (tests/optim/test_sparse_grad.cpp):
an Embedding(6, 3, sparse=True) with fixed weights; step k looks up batches[k] (duplicates
included), multiplies by coefs[k] and sums: the loss whose sparse gradient each optimizer takes.
Also clip_grad_norm_ over a sparse gradient."""
import torch

from common import tensor_json, write_fixture

g = torch.Generator().manual_seed(7)
WEIGHT = torch.randn(6, 3, generator=g)
BATCHES = [[0, 2, 2, 5], [1, 2], [5, 5, 5, 0, 3], [2], [4, 0, 1, 2], [3, 3]]
COEFS = [torch.randn(len(b), 3, generator=g) for b in BATCHES]


def trajectory(make_optimizer, dtype=torch.float32):
    emb = torch.nn.Embedding.from_pretrained(WEIGHT.clone().to(dtype), freeze=False, sparse=True)
    opt = make_optimizer(emb.parameters())
    out = []
    for batch, coef in zip(BATCHES, COEFS):
        opt.zero_grad()
        (emb(torch.tensor(batch)) * coef.to(dtype)).sum().backward()
        opt.step()
        out.append(tensor_json(emb.weight))
    return out


CASES = [
    ("SparseAdam", "default", dict(lr=0.1)),
    ("SparseAdam", "betas_eps", dict(lr=0.05, betas=(0.5, 0.9), eps=1e-3)),
    ("SparseAdam", "maximize", dict(lr=0.1, maximize=True)),
    ("SGD", "plain", dict(lr=0.1)),
    ("SGD", "maximize", dict(lr=0.1, maximize=True)),
    ("SGD", "momentum", dict(lr=0.1, momentum=0.9)),
    ("Adagrad", "default", dict(lr=0.1)),
    ("Adagrad", "options", dict(lr=0.1, lr_decay=0.3, initial_accumulator_value=0.2, eps=1e-3)),
    ("Adagrad", "maximize", dict(lr=0.1, maximize=True)),
]
cases = [{"optimizer": o, "name": n, "kwargs": kw,
          "steps": trajectory(lambda p, o=o, kw=kw: getattr(torch.optim, o)(p, **kw))}
         for o, n, kw in CASES]
float64 = trajectory(lambda p: torch.optim.SparseAdam(p, lr=0.1), dtype=torch.float64)

# clip_grad_norm_ over a sparse gradient (with duplicate rows) and a dense one.
emb = torch.nn.Embedding.from_pretrained(WEIGHT.clone(), freeze=False, sparse=True)
lin = torch.nn.Parameter(torch.ones(3))
((emb(torch.tensor(BATCHES[2])) * COEFS[2]).sum() + (lin * 2).sum()).backward()
raw_emb_grad = emb.weight.grad.to_dense()
total = torch.nn.utils.clip_grad_norm_([emb.weight, lin], 1.5)
# 1.13 scales each grad through g.detach().mul_(coef), which for a sparse grad scales a copy
# of its values (the parameter's grad stays unclipped; 2.x scales the grad itself). The
# expected sparse grad is the 2.x result: the same coefficient applied to the raw grad.
coef = torch.clamp(1.5 / (total + 1e-6), max=1.0)

write_fixture("optim_sparse", __file__, {
    "weight": tensor_json(WEIGHT), "batches": BATCHES, "coefs": [tensor_json(c) for c in COEFS],
    "cases": cases, "float64": {"name": "SparseAdam float64", "steps": float64},
    "clip": {"total": tensor_json(total), "emb_grad": tensor_json(raw_emb_grad * coef),
             "lin_grad": tensor_json(lin.grad)},
})

"""Golden values for tests/nn/test_module.cpp: default initialisation after manual_seed,
named_parameters / state_dict order, reprs, a seed-style MLP's output and gradients, and the
activations and dropout masks.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import tensor_json, write_fixture


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
        self.fc = nn.Linear(3, 2, bias=False)
        self.scale = nn.Parameter(torch.ones(2))
        self.register_buffer("buf", torch.zeros(2))
        self.register_buffer("nb", torch.zeros(1), persistent=False)

    def forward(self, x):
        return self.fc(self.layer1(x)) * self.scale


class MLP(nn.Module):
    def __init__(self, inputs):
        super().__init__()
        self.linear = nn.Linear(inputs, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.linear(x))


out = {}
inits = []
for seed, (i, o) in [(0, (3, 2)), (1, (20, 5)), (7, (1, 1))]:
    torch.manual_seed(seed)
    layer = nn.Linear(i, o)
    inits.append({"seed": seed, "in": i, "out": o, "weight": tensor_json(layer.weight),
                  "bias": tensor_json(layer.bias)})
out["linear_init"] = inits

torch.manual_seed(0)
net = Net()
out["net_named_parameters"] = [n for n, _ in net.named_parameters()]
out["net_named_buffers"] = [n for n, _ in net.named_buffers()]
out["net_state_dict_keys"] = list(net.state_dict().keys())
out["net_named_modules"] = [n for n, _ in net.named_modules()]
out["net_repr"] = repr(net)

torch.manual_seed(0)
mlp = MLP(3)
x = torch.randn(5, 3)
y = mlp(x)
y.sum().backward()
out["mlp"] = {"x": tensor_json(x), "y": tensor_json(y), "weight_grad": tensor_json(mlp.linear.weight.grad),
              "bias_grad": tensor_json(mlp.linear.bias.grad), "repr": repr(mlp)}

a = torch.linspace(-3, 3, 13, dtype=torch.float64, requires_grad=True)
acts = {}
for name, fn in [("relu", F.relu), ("leaky_relu", lambda t: F.leaky_relu(t, 0.1)),
                 ("elu", lambda t: F.elu(t, 1.5)), ("gelu", F.gelu),
                 ("gelu_tanh", lambda t: F.gelu(t, approximate="tanh")), ("silu", F.silu),
                 ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
    r = fn(a)
    g, = torch.autograd.grad(r.sum(), a)
    acts[name] = {"y": tensor_json(r), "grad": tensor_json(g)}
out["activation_input"] = tensor_json(a)
out["activations"] = acts

torch.manual_seed(3)
d = F.dropout(torch.ones(4, 5), 0.3, training=True)
out["dropout"] = tensor_json(d)

# Several layers with random initial weights in one Sequential: drawn in the written order.
torch.manual_seed(4)
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2))
out["sequential_init"] = {name: tensor_json(p.detach()) for name, p in seq.named_parameters()}

out["reprs"] = {
    "seq": repr(nn.Sequential(nn.Linear(8, 3), nn.ReLU(inplace=True), nn.Flatten(), nn.Dropout(0.25),
                              nn.LeakyReLU(0.2), nn.ELU(), nn.GELU(), nn.Softmax(dim=1),
                              nn.Unflatten(1, (2, 3)), nn.Identity(), nn.Tanh(), nn.SiLU())),
}
write_fixture("nn_module", __file__, out)

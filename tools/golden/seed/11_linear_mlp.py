"""Twin of examples/seed/11_linear_mlp.cpp (seed rows 11-12): nn.Linear and a user-defined
nn.Module (the seed's MLP), printed as PyTorch prints them."""
import torch
from torch import nn

torch.manual_seed(0)

# Row 11: a single linear layer.
model = nn.Linear(in_features=1, out_features=1, bias=True)
print(model)
# A Parameter's repr adds "Parameter containing:" above the tensor's; ember has no Parameter
# type (a parameter is a tensor that requires grad), so both print the tensor's repr.
print(torch.Tensor.__repr__(model.weight))
print(torch.Tensor.__repr__(model.bias))
x = torch.tensor([[1.0], [2.0], [3.0]])
print(model(x))


# Row 12: the seed's MLP (its MLP() slip fixed: the constructor takes the number of inputs).
class MLP(nn.Module):
    def __init__(self, inputs):
        super(MLP, self).__init__()
        self.layer = nn.Linear(inputs, 1)
        self.activation = nn.Sigmoid()

    def forward(self, X):
        X = self.layer(X)
        X = self.activation(X)
        return X


mlp = MLP(3)
print(mlp)
for name, param in mlp.named_parameters():
    print(name, list(param.shape), param.requires_grad)
X = torch.randn(4, 3)
print(X)
print(mlp(X))

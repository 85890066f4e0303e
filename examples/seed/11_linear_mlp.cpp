// The seed's first networks: nn.Linear on its own (seed row 11) and the MLP, a user-defined
// module of a Linear layer and a Sigmoid (seed row 12), printed as PyTorch prints them.
//
//   cmake --build build/release --target seed_11_linear_mlp && build/release/examples/seed_11_linear_mlp
#include <ember/ember.h>

#include <exception>
#include <iostream>

using namespace ember;

// class MLP(nn.Module):
//     def __init__(self, inputs):
//         super(MLP, self).__init__()
//         self.layer = Linear(inputs, 1)
//         self.activation = Sigmoid()
//     def forward(self, X):
//         X = self.layer(X)
//         X = self.activation(X)
//         return X
struct MLP : nn::Module {
    explicit MLP(int64_t inputs) : layer(register_module("layer", nn::Linear(inputs, 1))) {}
    nn::Linear& layer;
    nn::Sigmoid& activation = register_module("activation", nn::Sigmoid());

    Tensor forward(const Tensor& input) override {
        Tensor X = layer(input);
        X = activation(X);
        return X;
    }
};

int main() {
    try {
        // torch.manual_seed(0)
        manual_seed(0);

        // model = nn.Linear(in_features=1, out_features=1, bias=True)
        nn::Linear model(/*in_features=*/1, /*out_features=*/1, /*bias=*/true);
        std::cout << model << "\n" << model.weight << "\n" << model.bias << "\n";
        // x = torch.tensor([[1.0], [2.0], [3.0]]); print(model(x))
        Tensor x = tensor({{1.0}, {2.0}, {3.0}});
        std::cout << model(x) << "\n";

        // mlp = MLP(3)
        MLP mlp(3);
        std::cout << mlp << "\n";
        // for name, param in mlp.named_parameters(): print(name, list(param.shape), param.requires_grad)
        for (const auto& [name, param] : mlp.named_parameters())
            std::cout << name << " " << param.sizes() << " "
                      << (param.requires_grad() ? "True" : "False") << "\n";
        // X = torch.randn(4, 3); print(X); print(mlp(X))
        Tensor X = randn({4, 3});
        std::cout << X << "\n" << mlp(X) << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

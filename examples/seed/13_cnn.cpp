// The seed's CNN (seed row 13): two Conv2d + ReLU + MaxPool2d blocks and a Linear classifier,
// its shapes layer by layer on 32x32 images, and the error a 28x28 batch raises (30*5*5 = 750
// features hold only for 32x32 inputs).
//
//   cmake --build build/release --target seed_13_cnn && build/release/examples/seed_13_cnn
#include <ember/ember.h>

#include <exception>
#include <iostream>

using namespace ember;

// class CNN(nn.Module):
//     def __init__(self):
//         self.layer1 = nn.Sequential(nn.Conv2d(in_channels=3, out_channels=64, kernel_size=5),
//                                     nn.ReLU(inplace=True), nn.MaxPool2d(2))
//         self.layer2 = nn.Sequential(nn.Conv2d(in_channels=64, out_channels=30, kernel_size=5),
//                                     nn.ReLU(inplace=True), nn.MaxPool2d(2))
//         self.layer3 = nn.Sequential(nn.Linear(in_features=30*5*5, out_features=10, bias=True),
//                                     nn.ReLU(inplace=True))
struct CNN : nn::Module {
    nn::Sequential& layer1 = register_module(
        "layer1", nn::Sequential(nn::Conv2d(3, 64, 5), nn::ReLU(true), nn::MaxPool2d(2)));
    nn::Sequential& layer2 = register_module(
        "layer2", nn::Sequential(nn::Conv2d(64, 30, 5), nn::ReLU(true), nn::MaxPool2d(2)));
    nn::Sequential& layer3 = register_module(
        "layer3", nn::Sequential(nn::Linear(30 * 5 * 5, 10, true), nn::ReLU(true)));

    // def forward(self, x):
    Tensor forward(const Tensor& input) override {
        Tensor x = layer1(input);      // x = self.layer1(x)
        x = layer2(x);                 // x = self.layer2(x)
        x = x.view({x.size(0), -1});   // x = x.view(x.shape[0], -1)  # Flatten
        x = layer3(x);                 // x = self.layer3(x)
        return x;
    }
};

int main() {
    try {
        // torch.manual_seed(0); model = CNN(); print(model)
        manual_seed(0);
        CNN model;
        std::cout << model << "\n";
        // sum(p.numel() for p in model.parameters())
        int64_t count = 0;
        for (const Tensor& p : model.parameters()) count += p.numel();
        std::cout << "parameters: " << count << "\n";

        // x = torch.randn(2, 3, 32, 32)
        Tensor x = randn({2, 3, 32, 32});
        Tensor h1 = model.layer1(x);
        std::cout << "after layer1: " << h1.sizes() << "\n";
        Tensor h2 = model.layer2(h1);
        std::cout << "after layer2: " << h2.sizes() << "\n";
        Tensor flat = h2.view({h2.size(0), -1});
        std::cout << "flattened: " << flat.sizes() << " = 30*5*5 = " << 30 * 5 * 5 << "\n";
        std::cout << model(x) << "\n";

        // 28x28 images leave 30x4x4 = 480 features, not the 750 layer3 expects.
        try {
            model(randn({2, 3, 28, 28}));
        } catch (const Error& e) {
            std::cout << "error: " << e.what() << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

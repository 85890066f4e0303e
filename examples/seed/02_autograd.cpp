// Seed row 2: the computation graph. Ops on tensors that require grad record a graph as they
// run; backward() computes the loss's gradient with respect to the weight and bias; gradient
// descent updates them outside the graph (no_grad), and the loss falls step by step.
//
//   build/release/examples/seed_02_autograd
//
// The output equals tools/golden/seed/02_autograd.py's under PyTorch (CTest: Seed.02_autograd).
#include <ember/ember.h>

#include <iostream>
#include <memory>
#include <string>

using ember::Tensor;

// Prints a node of the graph and, indented, the nodes it sends gradients to (a leaf's gradient
// ends in its AccumulateGrad node).
void show_graph(const std::shared_ptr<ember::autograd::Node>& fn, int depth = 0) {
    std::cout << std::string(2 * depth, ' ') << fn->name() << "\n";
    for (const auto& edge : fn->next_edges())
        if (edge.is_valid()) show_graph(edge.function, depth + 1);
}

int main() {
    // torch.manual_seed(0)
    ember::manual_seed(0);
    std::cout << std::boolalpha;

    // x = torch.tensor([1., 2., 3., 4.]); y = torch.tensor([3., 5., 7., 9.])  (y = 2x + 1)
    Tensor x = ember::tensor({1., 2., 3., 4.});
    Tensor y = ember::tensor({3., 5., 7., 9.});
    // w = torch.randn(1, requires_grad=True); b = torch.zeros(1, requires_grad=True)
    Tensor w = ember::randn({1}, {.requires_grad = true});
    Tensor b = ember::zeros({1}, {.requires_grad = true});

    // pred = w * x + b; loss = ((pred - y) ** 2).mean()
    Tensor pred = w * x + b;
    Tensor loss = (pred - y).pow(2).mean();
    std::cout << pred << "\n" << loss << "\n";
    show_graph(loss.grad_fn());
    std::cout << "leaves: " << w.is_leaf() << " " << b.is_leaf() << " " << pred.is_leaf() << "\n";

    // loss.backward()
    loss.backward();
    std::cout << "w.grad " << w.grad() << " b.grad " << b.grad() << "\n";

    // with torch.no_grad(): w -= lr * w.grad; b -= lr * b.grad
    const double lr = 0.05;
    {
        ember::NoGradGuard no_grad;
        w -= lr * w.grad();
        b -= lr * b.grad();
    }
    std::cout << "after one step: w " << w << " b " << b << "\n";

    for (int step = 1; step <= 5; ++step) {
        // w.grad.zero_(); b.grad.zero_(): gradients accumulate otherwise
        w.mutable_grad().zero_();
        b.mutable_grad().zero_();
        loss = (w * x + b - y).pow(2).mean();
        loss.backward();
        {
            ember::NoGradGuard no_grad;
            w -= lr * w.grad();
            b -= lr * b.grad();
        }
        std::cout << "step " << step << " loss " << loss << "\n";
    }
    std::cout << "w " << w.detach() << " b " << b.detach() << "\n";
    return 0;
}

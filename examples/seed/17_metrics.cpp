// Metrics as torchmetrics computes them (seed row 17): the functional accuracy of softmax
// outputs, and the stateful Accuracy that returns each batch's value while accumulating, then
// compute() over all batches. Written the seed's way, without a task: ember then does what the
// old torchmetrics API did (multiclass, classes from the scores' width, micro average); current
// torchmetrics needs task="multiclass", num_classes=5, which ember accepts too.
//
//   cmake --build build/release --target seed_17_metrics && build/release/examples/seed_17_metrics
#include <ember/ember.h>

#include <exception>
#include <iomanip>
#include <iostream>

using namespace ember;

int main() {
    try {
        manual_seed(0);
        // preds = torch.randn(10, 5).softmax(dim=-1)
        Tensor preds = randn({10, 5}).softmax(-1);
        // target = torch.randint(5, (10,))
        Tensor target = randint(5, {10});
        std::cout << target << "\n";
        // acc = torchmetrics.functional.accuracy(preds, target)
        Tensor acc = metrics::functional::accuracy(preds, target);
        std::cout << acc << "\n";

        // metric = torchmetrics.Accuracy()
        metrics::Accuracy metric;
        std::cout << std::setprecision(17);
        int n_batches = 10;
        for (int i = 0; i < n_batches; ++i) {
            Tensor preds = randn({10, 5}).softmax(-1);
            Tensor target = randint(5, {10});
            // acc = metric(preds, target)   (this batch's accuracy; the metric accumulates)
            Tensor acc = metric(preds, target);
            // print(f"Accuracy on batch {i}: {acc}"): an f-string shows a 0-dim tensor as its
            // item(), a Python float (a double, printed with up to 17 digits)
            std::cout << "Accuracy on batch " << i << ": " << acc.item<double>() << "\n";
        }
        // acc = metric.compute()
        acc = metric.compute();
        std::cout << "Accuracy on all data: " << acc.item<double>() << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

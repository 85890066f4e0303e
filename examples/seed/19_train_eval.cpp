// Training and evaluation modes (seed row 19): model.train() / model.eval() with BatchNorm1d and
// Dropout, a few training epochs on a small classification set, then the seed's validation
// block under torch.no_grad(), and one input through the model in both modes.
//
//   cmake --build build/release --target seed_19_train_eval && build/release/examples/seed_19_train_eval
#include <ember/ember.h>

#include <exception>
#include <iomanip>
#include <iostream>
#include <vector>

using namespace ember;
namespace F = ember::nn::functional;

int main() {
    try {
        manual_seed(0);
        // Three classes; labels as a float column of shape [N, 1] (as read from a CSV file),
        // hence the seed's y.long().squeeze().
        Tensor x_train = randn({64, 4}), y_train = randint(3, {64, 1}).to_float();
        Tensor x_valid = randn({32, 4}), y_valid = randint(3, {32, 1}).to_float();
        data::TensorDataset train_set(x_train, y_train), valid_set(x_valid, y_valid);
        data::DataLoader train_dataloader(train_set, {.batch_size = 16, .shuffle = true});
        data::DataLoader valid_dataloader(valid_set, {.batch_size = 16});

        // Braces, not parentheses: C++ evaluates a braced list left to right (as Python does
        // its arguments), so the two Linear layers draw their initial weights in PyTorch's order.
        nn::Sequential model{nn::Linear(4, 8), nn::BatchNorm1d(8), nn::ReLU(), nn::Dropout(0.2),
                             nn::Linear(8, 3)};
        std::cout << model << "\n" << std::fixed << std::setprecision(6);
        optim::SGD optimizer(model.parameters(), {.lr = 0.1});
        for (int epoch = 0; epoch < 3; ++epoch) {
            // model.train(): BatchNorm uses the batch's statistics and updates its running
            // ones; Dropout zeroes each value with probability 0.2 (and scales the others)
            model.train();
            double train_loss = 0;
            for (auto& [x, y] : train_dataloader) {
                Tensor outputs = model(x);
                Tensor loss = F::cross_entropy(outputs, y.to_long().squeeze());
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                train_loss += loss.item<double>();
            }
            std::cout << "epoch " << epoch << ": train loss " << train_loss / train_dataloader.size() << "\n";
        }
        // model[1].running_mean: at<T>(i) gives the layer as its own type
        std::cout << "running_mean " << model.at<nn::BatchNorm1d>(1).running_mean << "\n";

        // model.eval(): BatchNorm uses its running statistics; Dropout keeps every node
        model.eval();
        Tensor outputs;
        std::vector<Tensor> y_hat;
        double valid_loss = 0;
        {
            // with torch.no_grad():
            NoGradGuard no_grad;
            for (auto& [x, y] : valid_dataloader) {
                outputs = model(x);
                // loss = F.cross_entropy(outputs, y.long().squeeze()); valid_loss += float(loss)
                Tensor loss = F::cross_entropy(outputs, y.to_long().squeeze());
                valid_loss += loss.item<double>();
                y_hat.push_back(outputs);  // y_hat += [outputs]
            }
        }
        std::cout << "valid loss " << valid_loss / valid_dataloader.size() << "\n"
                  << "outputs.requires_grad: " << (outputs.requires_grad() ? "True" : "False")
                  << " batches: " << y_hat.size() << "\n"
                  << "predicted classes " << cat(y_hat).argmax(1) << "\n";

        // The same input in the two modes.
        Tensor x = x_valid.index({Slice(None, 4)}), in_eval, in_train;  // x_valid[:4]
        {
            NoGradGuard no_grad;
            model.eval();
            in_eval = model(x);
            model.train();
            in_train = model(x);
        }
        std::cout << "eval: " << in_eval << "\ntrain: " << in_train << "\n"
                  << "equal: " << (equal(in_eval, in_train) ? "True" : "False") << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

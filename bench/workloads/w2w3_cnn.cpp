// W2 seed-CNN training and W3 seed-CNN inference, ember's side (bench/README.md, "Workloads";
// w2w3_cnn_torch.cpp is LibTorch's, step for step).
//
// W2: per batch size B (64, 256), a fresh seed-0 model, input randn([B,3,32,32]) and labels
// randint(0,10,[B]) made once; SGD(lr 0.01, momentum 0.9); one step = zero_grad, forward,
// cross_entropy, backward, step, each step timed alone: 5 warm-up + 6*reps timed steps (30 by
// default, 3 with --quick). W3: a fresh seed-0 model in eval mode under NoGradGuard, input
// randn([256,3,32,32]), 5 warm-up + 6*reps timed forwards.
#include <ember/ember.h>

#include <string>
#include <vector>

#include "report.h"

using namespace ember;

namespace {

// Conv2d(3,64,5)-ReLU-MaxPool2d(2)-Conv2d(64,30,5)-ReLU-MaxPool2d(2)-Flatten-Linear(750,10)-ReLU
// with PyTorch's default init. Braces draw the layers' weights in the written order.
nn::Sequential seed_cnn() {
    return nn::Sequential{nn::Conv2d(3, 64, 5),  nn::ReLU(), nn::MaxPool2d(2),
                          nn::Conv2d(64, 30, 5), nn::ReLU(), nn::MaxPool2d(2),
                          nn::Flatten(),         nn::Linear(750, 10), nn::ReLU()};
}

struct Counts {
    int warmup;
    int timed;
};

void train(int batch, const Counts& counts) {
    manual_seed(0);
    nn::Sequential model = seed_cnn();
    const Tensor x = randn({batch, 3, 32, 32});
    const Tensor labels = randint(0, 10, {batch});
    optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.9});

    double first_loss = 0;
    Tensor loss;
    auto step = [&] {
        optimizer.zero_grad();
        loss = nn::functional::cross_entropy(model(x), labels);
        loss.backward();
        optimizer.step();
    };
    for (int i = 0; i < counts.warmup; ++i) {
        step();
        if (i == 0) first_loss = loss.item<double>();  // read outside the timed steps
    }
    std::vector<double> ms, images_per_s;
    for (int i = 0; i < counts.timed; ++i) {
        const double t = bench::time_it(step, "ms");
        ms.push_back(t);
        images_per_s.push_back(batch / (t / 1e3));
    }
    const std::string b = std::to_string(batch);
    bench::emit("W2 seed-cnn train", "train step, batch " + b, "ms", ms);
    bench::emit("W2 seed-cnn train", "train images/s, batch " + b, "images/s", images_per_s,
                "higher");
    bench::emit_check("W2 seed-cnn train", "first loss, batch " + b, first_loss);
    bench::emit_check("W2 seed-cnn train", "loss after the timed steps, batch " + b,
                      loss.item<double>());
}

void infer(const Counts& counts) {
    constexpr int batch = 256;
    manual_seed(0);
    nn::Sequential model = seed_cnn();
    model.eval();
    const Tensor x = randn({batch, 3, 32, 32});

    NoGradGuard no_grad;
    Tensor y;
    auto forward = [&] { y = model(x); };
    for (int i = 0; i < counts.warmup; ++i) forward();
    std::vector<double> images_per_s;
    for (int i = 0; i < counts.timed; ++i) {
        images_per_s.push_back(batch / bench::time_it(forward, "s"));
    }
    bench::emit("W3 seed-cnn infer", "inference, batch 256", "images/s", images_per_s, "higher");
    bench::emit_check("W3 seed-cnn infer", "output sum, batch 256", y.sum().item<double>());
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Args args = bench::parse_args(argc, argv);
    set_num_threads(args.threads);
    const Counts counts{.warmup = args.quick ? 1 : 5, .timed = args.quick ? 3 : 6 * args.reps};
    train(64, counts);
    train(256, counts);
    infer(counts);
    bench::emit_peak_rss();
    return 0;
}

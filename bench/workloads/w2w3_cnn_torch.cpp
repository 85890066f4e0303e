// W2 seed-CNN training and W3 seed-CNN inference, LibTorch's side (bench/README.md,
// "Workloads"; w2w3_cnn.cpp is ember's, step for step).
//
// W2: per batch size B (64, 256), a fresh seed-0 model, input randn([B,3,32,32]) and labels
// randint(0,10,[B]) made once; SGD(lr 0.01, momentum 0.9); one step = zero_grad, forward,
// cross_entropy, backward, step, each step timed alone: 5 warm-up + 6*reps timed steps (30 by
// default, 3 with --quick). W3: a fresh seed-0 model in eval mode under NoGradGuard, input
// randn([256,3,32,32]), 5 warm-up + 6*reps timed forwards.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "report.h"

extern "C" void openblas_set_num_threads(int);

namespace {

// Conv2d(3,64,5)-ReLU-MaxPool2d(2)-Conv2d(64,30,5)-ReLU-MaxPool2d(2)-Flatten-Linear(750,10)-ReLU
// with PyTorch's default init; one push_back per statement draws the weights in this order.
torch::nn::Sequential seed_cnn() {
    namespace nn = torch::nn;
    nn::Sequential model;
    model->push_back(nn::Conv2d(nn::Conv2dOptions(3, 64, 5)));
    model->push_back(nn::ReLU());
    model->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    model->push_back(nn::Conv2d(nn::Conv2dOptions(64, 30, 5)));
    model->push_back(nn::ReLU());
    model->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    model->push_back(nn::Flatten());
    model->push_back(nn::Linear(750, 10));
    model->push_back(nn::ReLU());
    return model;
}

struct Counts {
    int warmup;
    int timed;
};

void train(int batch, const Counts& counts) {
    torch::manual_seed(0);
    torch::nn::Sequential model = seed_cnn();
    const torch::Tensor x = torch::randn({batch, 3, 32, 32});
    const torch::Tensor labels = torch::randint(0, 10, {batch});
    torch::optim::SGD optimizer(model->parameters(),
                                torch::optim::SGDOptions(0.01).momentum(0.9));

    double first_loss = 0;
    torch::Tensor loss;
    auto step = [&] {
        optimizer.zero_grad();
        loss = torch::nn::functional::cross_entropy(model->forward(x), labels);
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
    const int batch = 256;
    torch::manual_seed(0);
    torch::nn::Sequential model = seed_cnn();
    model->eval();
    const torch::Tensor x = torch::randn({batch, 3, 32, 32});

    torch::NoGradGuard no_grad;
    torch::Tensor y;
    auto forward = [&] { y = model->forward(x); };
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
    torch::set_num_threads(args.threads);
    openblas_set_num_threads(args.threads);
    const Counts counts{args.quick ? 1 : 5, args.quick ? 3 : 6 * args.reps};
    train(64, counts);
    train(256, counts);
    infer(counts);
    bench::emit_peak_rss();
    return 0;
}

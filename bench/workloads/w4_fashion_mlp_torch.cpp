// W4 fashion-mlp, LibTorch's side of w4_fashion_mlp.cpp (bench/README.md, "Workloads"): decoding
// Debian's gzipped Fashion-MNIST IDX files with zlib, then one training epoch of
// Flatten-Linear(784,256)-ReLU-Linear(256,10) with Adam(1e-3) over shuffled batches of 64,
// (a) through torch::data (a custom Dataset applying ToTensor per sample, Normalize per example,
// Stack, RandomSampler) and (b) over a training set normalized once beforehand, batched with
// randperm + index_select; test accuracy after each.
#include <torch/torch.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "report.h"

extern "C" void openblas_set_num_threads(int);

namespace {

constexpr const char* kWorkload = "W4 fashion-mlp";
constexpr const char* kFolder = "/usr/share/datasets/fashion-mnist/";
constexpr int64_t kBatch = 64;

// A gzipped IDX file of uint8 elements, decompressed straight into a uint8 tensor of the
// header's shape.
torch::Tensor read_idx_gz(const std::string& name) {
    const std::string path = kFolder + name;
    gzFile in = gzopen(path.c_str(), "rb");
    if (!in) throw std::runtime_error("cannot open " + path + " (dataset-fashion-mnist)");
    auto read = [&](void* to, size_t bytes) {
        if (gzread(in, to, static_cast<unsigned>(bytes)) != static_cast<int>(bytes)) {
            gzclose(in);
            throw std::runtime_error(path + ": truncated IDX file");
        }
    };
    unsigned char magic[4];
    read(magic, 4);
    if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 || magic[3] > 3) {
        gzclose(in);
        throw std::runtime_error(path + ": not an IDX file of uint8");
    }
    std::vector<int64_t> shape;
    for (int d = 0; d < magic[3]; ++d) {
        unsigned char b[4];
        read(b, 4);
        shape.push_back((int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | b[3]);
    }
    torch::Tensor out = torch::empty(shape, torch::kUInt8);
    read(out.data_ptr<uint8_t>(), static_cast<size_t>(out.numel()));
    gzclose(in);
    return out;
}

struct Split {
    torch::Tensor images;  // uint8 [N, 28, 28]
    torch::Tensor labels;  // int64 [N]
};

Split load_split(const std::string& images_file, const std::string& labels_file) {
    return {read_idx_gz(images_file), read_idx_gz(labels_file).to(torch::kInt64)};
}
Split load_train() { return load_split("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"); }
Split load_test() { return load_split("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"); }

// uint8 [N, 28, 28] -> fp32 [N, 1, 28, 28]: ToTensor (x / 255) then Normalize(0.5, 1.0), at once.
torch::Tensor normalize_all(const torch::Tensor& images) {
    return (images.unsqueeze(1).to(torch::kFloat32) / 255 - 0.5) / 1.0;
}

// The per-sample pipeline's dataset: get(i) is ToTensor of image i ([1, 28, 28], x / 255) and
// its label; Normalize is mapped over it per example.
class FashionDataset : public torch::data::datasets::Dataset<FashionDataset> {
public:
    explicit FashionDataset(Split split) : split_(std::move(split)) {}
    torch::data::Example<> get(size_t index) override {
        const auto i = static_cast<int64_t>(index);
        return {split_.images[i].unsqueeze(0).to(torch::kFloat32).div(255), split_.labels[i]};
    }
    torch::optional<size_t> size() const override {
        return static_cast<size_t>(split_.images.size(0));
    }

private:
    Split split_;
};

// The layers built one statement after another, so that they draw their initial weights in
// order (the arguments of one call may be built in any order).
torch::nn::Sequential make_net() {
    torch::nn::Flatten flatten;
    torch::nn::Linear fc1(784, 256);
    torch::nn::ReLU relu;
    torch::nn::Linear fc2(256, 10);
    return torch::nn::Sequential(flatten, fc1, relu, fc2);
}

struct Model {
    torch::nn::Sequential net;
    torch::optim::Adam optimizer;
    // manual_seed(0) first.
    Model() : net(make_net()), optimizer(net->parameters(), torch::optim::AdamOptions(1e-3)) {}
    double step(const torch::Tensor& x, const torch::Tensor& y) {
        optimizer.zero_grad();
        torch::Tensor loss = torch::cross_entropy_loss(net->forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    }
    double accuracy(const torch::Tensor& x, const torch::Tensor& y) {
        net->eval();
        torch::NoGradGuard no_grad;
        const torch::Tensor hits = net->forward(x).argmax(1).eq(y).sum();
        return static_cast<double>(hits.item<int64_t>()) / static_cast<double>(y.size(0));
    }
};

struct Epoch {
    double seconds = 0;
    int64_t samples = 0;
    double mean_loss = 0;  // mean batch loss of the epoch
    double accuracy = 0;   // on the test set, after the epoch
};

// --quick stops an epoch after this many steps.
constexpr int64_t kQuickSteps = 40;

Epoch dataloader_epoch(const Split& train, const torch::Tensor& test_x,
                       const torch::Tensor& test_y, bool quick) {
    torch::manual_seed(0);
    Model model;
    Epoch e;
    double loss_sum = 0;
    int64_t steps = 0;
    e.seconds = bench::time_it(
        [&] {
            auto loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
                FashionDataset(train)
                    .map(torch::data::transforms::Normalize<>(0.5, 1.0))
                    .map(torch::data::transforms::Stack<>()),
                torch::data::DataLoaderOptions().batch_size(kBatch).workers(0));
            for (auto& batch : *loader) {
                loss_sum += model.step(batch.data, batch.target);
                e.samples += batch.data.size(0);
                if (++steps == kQuickSteps && quick) break;
            }
        },
        "s");
    e.mean_loss = loss_sum / static_cast<double>(steps);
    e.accuracy = model.accuracy(test_x, test_y);
    return e;
}

Epoch slicing_epoch(const torch::Tensor& train_x, const torch::Tensor& train_y,
                    const torch::Tensor& test_x, const torch::Tensor& test_y, bool quick) {
    torch::manual_seed(0);
    Model model;
    Epoch e;
    double loss_sum = 0;
    int64_t steps = 0;
    const int64_t n = train_x.size(0);
    e.seconds = bench::time_it(
        [&] {
            const torch::Tensor perm = torch::randperm(n);
            for (int64_t start = 0; start < n; start += kBatch) {
                const torch::Tensor index = perm.narrow(0, start, std::min(kBatch, n - start));
                loss_sum += model.step(train_x.index_select(0, index), train_y.index_select(0, index));
                e.samples += index.size(0);
                if (++steps == kQuickSteps && quick) break;
            }
        },
        "s");
    e.mean_loss = loss_sum / static_cast<double>(steps);
    e.accuracy = model.accuracy(test_x, test_y);
    return e;
}

// The epoch figures of one variant: seconds, samples/s (its own metric name: run.py pairs the
// two sides by name), and its checks from the last epoch.
void emit_epochs(const std::string& metric, const std::string& check_prefix,
                 const std::vector<Epoch>& epochs) {
    std::vector<double> seconds, rates;
    for (const Epoch& e : epochs) {
        seconds.push_back(e.seconds);
        rates.push_back(static_cast<double>(e.samples) / e.seconds);
    }
    bench::emit(kWorkload, metric, "s", seconds);
    bench::emit(kWorkload, metric + ", throughput", "samples/s", rates, "higher");
    bench::emit_check(kWorkload, check_prefix + "mean batch loss", epochs.back().mean_loss);
    bench::emit_check(kWorkload, check_prefix + "test accuracy", epochs.back().accuracy);
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Args args = bench::parse_args(argc, argv);
    torch::set_num_threads(args.threads);
    openblas_set_num_threads(args.threads);

    // IDX decoding: one untimed pass (warms the page cache), then the timed ones.
    Split train = load_train();
    Split test = load_test();
    std::vector<double> all_files, train_files;
    for (int rep = 0; rep < args.reps; ++rep) {
        all_files.push_back(bench::time_it([&] {
            train = load_train();
            test = load_test();
        }));
        train_files.push_back(bench::time_it([&] { train = load_train(); }));
    }
    bench::emit(kWorkload, "load + decode 4 IDX .gz files (train+test)", "ms", all_files);
    bench::emit(kWorkload, "load + decode train IDX .gz files", "ms", train_files);

    const torch::Tensor test_x = normalize_all(test.images);  // not timed: evaluation
    const torch::Tensor test_y = test.labels;

    std::vector<Epoch> epochs;
    for (int rep = 0; rep < args.reps; ++rep)
        epochs.push_back(dataloader_epoch(train, test_x, test_y, args.quick));
    emit_epochs("1 epoch, DataLoader with per-sample transforms", "DataLoader: ", epochs);

    torch::Tensor train_x;
    std::vector<double> pretransform;
    for (int rep = 0; rep < args.reps; ++rep)
        pretransform.push_back(bench::time_it([&] { train_x = normalize_all(train.images); }));
    bench::emit(kWorkload, "pre-normalize train set to fp32 [60000,1,28,28]", "ms", pretransform);

    epochs.clear();
    for (int rep = 0; rep < args.reps; ++rep)
        epochs.push_back(slicing_epoch(train_x, train.labels, test_x, test_y, args.quick));
    emit_epochs("1 epoch, pre-normalized tensor + index_select", "index_select: ", epochs);

    bench::emit_peak_rss();
    return 0;
}

// W4 fashion-mlp, ember's side (bench/README.md, "Workloads"): decoding Debian's gzipped
// Fashion-MNIST IDX files, then one training epoch of Flatten-Linear(784,256)-ReLU-
// Linear(256,10) with Adam(1e-3) over shuffled batches of 64, (a) through a DataLoader whose
// dataset applies ToTensor + Normalize(0.5, 1.0) to each sample and (b) over a training set
// normalized once beforehand, batched with randperm + index_select; test accuracy after each.
// w4_fashion_mlp_torch.cpp does the same in LibTorch.
#include <ember/ember.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "report.h"

namespace {

using ember::Tensor;
namespace F = ember::nn::functional;
namespace T = ember::vision::transforms;
namespace datasets = ember::vision::datasets;

constexpr const char* kWorkload = "W4 fashion-mlp";
constexpr const char* kFolder = "/usr/share/datasets/fashion-mnist/";
constexpr int64_t kBatch = 64;

struct Split {
    Tensor images;  // uint8 [N, 28, 28]
    Tensor labels;  // int64 [N]
};

// One split as the guide's loader produces it: gunzip + IDX header parse, images uint8
// [N, 28, 28], labels uint8 then int64 [N]. read_idx does the decompression and the parsing.
Split load_split(const std::string& images_file, const std::string& labels_file) {
    return {datasets::read_idx(kFolder + images_file),
            datasets::read_idx(kFolder + labels_file).to(ember::DType::Int64)};
}
Split load_train() { return load_split("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"); }
Split load_test() { return load_split("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"); }

// uint8 [N, 28, 28] -> fp32 [N, 1, 28, 28]: ToTensor (x / 255) then Normalize(0.5, 1.0), at once.
Tensor normalize_all(const Tensor& images) {
    return (images.unsqueeze(1).to(ember::DType::Float32) / 255 - 0.5) / 1.0;
}

// The per-sample pipeline: get(i) wraps image i (a view, as MNIST::item does) and applies
// ToTensor + Normalize to it.
class FashionDataset : public ember::data::Dataset<> {
public:
    explicit FashionDataset(Split split)
        : split_(std::move(split)), transform_({T::ToTensor(), T::Normalize({0.5}, {1.0})}) {}
    int64_t size() const override { return split_.images.size(0); }
    std::pair<Tensor, Tensor> get(int64_t index) const override {
        return {T::as_tensor(transform_(ember::vision::Image(split_.images[index]))),
                split_.labels[index]};
    }

private:
    Split split_;
    T::Compose transform_;
};

struct Model {
    ember::nn::Sequential net;
    ember::optim::Adam optimizer;
    // manual_seed(0) first; the braces build the layers (and draw their weights) in order.
    Model()
        : net{ember::nn::Flatten(), ember::nn::Linear(784, 256), ember::nn::ReLU(),
              ember::nn::Linear(256, 10)},
          optimizer(net.parameters(), {.lr = 1e-3}) {}
    double step(const Tensor& x, const Tensor& y) {
        optimizer.zero_grad();
        Tensor loss = F::cross_entropy(net(x), y);
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    }
    double accuracy(const Tensor& x, const Tensor& y) {
        net.eval();
        ember::NoGradGuard no_grad;
        const Tensor hits = net(x).argmax(1).eq(y).sum();
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

Epoch dataloader_epoch(const FashionDataset& dataset, const Tensor& test_x, const Tensor& test_y,
                       bool quick) {
    ember::manual_seed(0);
    Model model;
    Epoch e;
    double loss_sum = 0;
    int64_t steps = 0;
    e.seconds = bench::time_it(
        [&] {
            ember::data::DataLoader loader(dataset, {.batch_size = kBatch, .shuffle = true});
            for (auto& [x, y] : loader) {
                loss_sum += model.step(x, y);
                e.samples += x.size(0);
                if (++steps == kQuickSteps && quick) break;
            }
        },
        "s");
    e.mean_loss = loss_sum / static_cast<double>(steps);
    e.accuracy = model.accuracy(test_x, test_y);
    return e;
}

Epoch slicing_epoch(const Tensor& train_x, const Tensor& train_y, const Tensor& test_x,
                    const Tensor& test_y, bool quick) {
    ember::manual_seed(0);
    Model model;
    Epoch e;
    double loss_sum = 0;
    int64_t steps = 0;
    const int64_t n = train_x.size(0);
    e.seconds = bench::time_it(
        [&] {
            const Tensor perm = ember::randperm(n);
            for (int64_t start = 0; start < n; start += kBatch) {
                const Tensor index = perm.narrow(0, start, std::min(kBatch, n - start));
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
    ember::set_num_threads(args.threads);

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

    const Tensor test_x = normalize_all(test.images);  // not timed: evaluation
    const Tensor test_y = test.labels;

    const FashionDataset dataset(train);
    std::vector<Epoch> epochs;
    for (int rep = 0; rep < args.reps; ++rep)
        epochs.push_back(dataloader_epoch(dataset, test_x, test_y, args.quick));
    emit_epochs("1 epoch, DataLoader with per-sample transforms", "DataLoader: ", epochs);

    Tensor train_x;
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

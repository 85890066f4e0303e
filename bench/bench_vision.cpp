// The vision workloads of ember_bench_core, ember's side: decoding the Fashion-MNIST training
// set (Debian's dataset-fashion-mnist) into a uint8 tensor, from the decompressed IDX files and
// from the .gz archives, and one epoch of the seed's transform (ToTensor, Normalize((0.5,),
// (1.0,))) through a DataLoader at batch 64, shuffled, with 0 and 2 worker threads.
// LibTorch's MNIST reads only decompressed files: both sides get the same decompressed copy.
#include <ember/ember.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "bench_core.h"

namespace bench {

namespace fs = std::filesystem;
namespace T = ember::vision::transforms;
namespace datasets = ember::vision::datasets;

namespace {

constexpr const char* kDebianFolder = "/usr/share/datasets/fashion-mnist";
constexpr const char* kFiles[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                  "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

void gunzip(const fs::path& from, const fs::path& to) {
    gzFile in = gzopen(from.c_str(), "rb");
    if (!in)
        throw std::runtime_error("cannot open " + from.string() +
                                 ": install dataset-fashion-mnist (scripts/install-deps)");
    std::FILE* out = std::fopen(to.c_str(), "wb");
    char buffer[1 << 16];
    for (int n; (n = gzread(in, buffer, sizeof(buffer))) > 0;)
        std::fwrite(buffer, 1, static_cast<size_t>(n), out);
    std::fclose(out);
    gzclose(in);
}

// <tmp>/ember-bench-fashion-mnist/{raw,gz}/FashionMNIST/raw/: the decompressed files, and links
// to the Debian archives, made once per run.
fs::path bench_root() { return fs::temp_directory_path() / "ember-bench-fashion-mnist"; }

void prepare() {
    static const bool done = [] {
        const fs::path raw = bench_root() / "raw" / "FashionMNIST" / "raw";
        const fs::path gz = bench_root() / "gz" / "FashionMNIST" / "raw";
        fs::create_directories(raw);
        fs::create_directories(gz);
        for (const char* name : kFiles) {
            const fs::path archive = fs::path(kDebianFolder) / (std::string(name) + ".gz");
            if (!fs::exists(raw / name)) gunzip(archive, raw / name);
            if (!fs::exists(gz / (std::string(name) + ".gz")))
                fs::create_symlink(archive, gz / (std::string(name) + ".gz"));
        }
        return true;
    }();
    (void)done;
}

}  // namespace

std::string decompressed_fashion_mnist() {
    prepare();
    return (bench_root() / "raw" / "FashionMNIST" / "raw").string();
}

void fashion_mnist_decode(benchmark::State& state, bool gzipped) {
    prepare();
    set_threads(1);
    const std::string root = (bench_root() / (gzipped ? "gz" : "raw")).string();
    for (auto _ : state) {
        datasets::FashionMNIST train(root, {.train = true});
        benchmark::DoNotOptimize(train.data().data_ptr());
    }
    report_rate(state, "images/s", 60000.0);
}

void fashion_mnist_epoch(benchmark::State& state, int workers) {
    prepare();
    set_threads(1);
    ember::manual_seed(0);
    datasets::FashionMNIST train((bench_root() / "raw").string(),
                                 {.train = true,
                                  .transform = T::Compose({T::ToTensor(), T::Normalize({0.5}, {1.0})})});
    ember::data::DataLoader loader(train, {.batch_size = 64, .shuffle = true, .num_workers = workers,
                                           .persistent_workers = workers > 0});
    for (auto _ : state) {
        int64_t seen = 0;
        for (auto& [x, y] : loader) seen += x.size(0);
        benchmark::DoNotOptimize(seen);
    }
    report_rate(state, "samples/s", 60000.0);
}

}  // namespace bench

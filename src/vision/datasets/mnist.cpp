// The MNIST family: torchvision's folders, file names, mirrors, MD5s and classes.
#include "ember/vision/datasets/mnist.h"

#include <algorithm>
#include <filesystem>

#include "ember/core/error.h"
#include "ops/util.h"
#include "vision/datasets/archive.h"
#include "vision/datasets/download.h"
#include "ember/vision/datasets/idx.h"

namespace ember::vision::datasets {

namespace fs = std::filesystem;

namespace {

std::string join(const std::string& folder, const std::string& name) {
    return (fs::path(folder) / name).string();
}

std::string strip_gz(const std::string& name) {
    return name.ends_with(".gz") ? name.substr(0, name.size() - 3) : name;
}

// The file to read for `name` in `folder`: the decompressed file, else its .gz; "" if neither.
std::string find_idx(const std::string& folder, const std::string& name) {
    if (detail::file_exists(join(folder, name))) return join(folder, name);
    if (detail::file_exists(join(folder, name + ".gz"))) return join(folder, name + ".gz");
    return {};
}

const std::vector<std::string> kDigitClasses = {"0 - zero", "1 - one",   "2 - two", "3 - three",
                                                "4 - four", "5 - five",  "6 - six", "7 - seven",
                                                "8 - eight", "9 - nine"};

MNIST::Spec mnist_spec() {
    return {"MNIST",
            {"http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"},
            {{"train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"},
             {"train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"},
             {"t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"},
             {"t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"}},
            kDigitClasses};
}

MNIST::Spec fashion_spec() {
    return {"FashionMNIST",
            {"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"},
            {{"train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"},
             {"train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"},
             {"t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"},
             {"t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"}},
            {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
             "Bag", "Ankle boot"}};
}

MNIST::Spec kmnist_spec() {
    return {"KMNIST",
            {"http://codh.rois.ac.jp/kmnist/dataset/kmnist/"},
            {{"train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"},
             {"train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"},
             {"t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"},
             {"t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"}},
            {"o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"}};
}

const std::vector<std::string> kEmnistSplits = {"byclass", "bymerge", "balanced",
                                                "letters", "digits",  "mnist"};

void check_emnist_split(const std::string& split) {
    std::string valid;
    for (const auto& s : kEmnistSplits) valid += (valid.empty() ? "" : ", ") + s;
    EMBER_CHECK(std::find(kEmnistSplits.begin(), kEmnistSplits.end(), split) != kEmnistSplits.end(),
                "EMNIST: unknown split \"", split, "\"; valid splits: ", valid);
}

std::vector<std::string> emnist_classes(const std::string& split) {
    check_emnist_split(split);
    const std::string digits = "0123456789", lower = "abcdefghijklmnopqrstuvwxyz";
    std::string upper = lower;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    // bymerge and balanced merge the lowercase letters written like their capitals.
    const std::string merged = "cijklmopsuvwxyz";
    std::vector<std::string> classes;
    auto add = [&](const std::string& chars, bool skip_merged) {
        for (char c : chars)
            if (!skip_merged || merged.find(c) == std::string::npos) classes.emplace_back(1, c);
    };
    if (split == "byclass" || split == "bymerge" || split == "balanced") {
        const bool skip = split != "byclass";
        add(digits, false);  // sorted as Python sorts: digits, capitals, lowercase
        add(upper, false);
        add(lower, skip);
    } else if (split == "letters") {
        classes.emplace_back("N/A");
        add(lower, false);
    } else {
        add(digits, false);
    }
    return classes;
}

MNIST::Spec emnist_spec(const std::string& split) {
    return {"EMNIST",
            {"https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/"},
            {{"gzip.zip", "58c8d27c78d21e728a6bc7b3cc06412e"}},
            emnist_classes(split)};
}

const std::vector<std::string> kQmnistWhat = {"train", "test", "test10k", "test50k", "nist"};

std::string qmnist_what(const QMNIST::Options& options) {
    const std::string what = options.what.empty() ? (options.train ? "train" : "test") : options.what;
    std::string valid;
    for (const auto& s : kQmnistWhat) valid += (valid.empty() ? "" : ", ") + s;
    EMBER_CHECK(std::find(kQmnistWhat.begin(), kQmnistWhat.end(), what) != kQmnistWhat.end(),
                "QMNIST: unknown what \"", what, "\"; valid: ", valid);
    return what;
}

// The files of a QMNIST subset: "test10k" and "test50k" are parts of "test".
std::string qmnist_prefix(const std::string& what) {
    if (what == "nist") return "xnist";
    return what == "train" ? "qmnist-train" : "qmnist-test";
}

MNIST::Spec qmnist_spec(const std::string& what) {
    MNIST::Spec spec{"QMNIST", {"https://raw.githubusercontent.com/facebookresearch/qmnist/master/"},
                     {}, kDigitClasses};
    if (what == "nist")  // .xz archives: ember has no xz decoder, the message asks for the files
        spec.resources = {{"xnist-images-idx3-ubyte", ""}, {"xnist-labels-idx2-int", ""}};
    else if (what == "train")
        spec.resources = {{"qmnist-train-images-idx3-ubyte.gz", "ed72d4157d28c017586c42bc6afe6370"},
                          {"qmnist-train-labels-idx2-int.gz", "0058f8dd561b90ffdd0f734c6a30e5e4"}};
    else
        spec.resources = {{"qmnist-test-images-idx3-ubyte.gz", "1394631089c404de565df7b7aeaf9412"},
                          {"qmnist-test-labels-idx2-int.gz", "5b5b05890a5e13444e108efe57b788aa"}};
    return spec;
}

std::string emnist_file(const std::string& split, bool train, const char* kind) {
    return "emnist-" + split + "-" + (train ? "train" : "test") + "-" + kind + "-ubyte";
}

std::string md5_for(const MNIST::Options& options, const MNIST::Resource& r) {
    auto it = options.md5.find(r.filename);
    return it == options.md5.end() ? r.md5 : it->second;
}

// What to place where, for the messages of a failed download or a missing dataset.
std::string placement_hint(const MNIST::Spec& spec, const MNIST::Options& options,
                           const std::string& raw) {
    std::string s = "place these files in " + raw + ":\n";
    for (const auto& r : spec.resources)
        s += "  " + r.filename +
             (r.md5.empty() ? " (decompressed from " + r.filename + ".xz)"
                            : " (MD5 " + md5_for(options, r) + ")") +
             (r.filename.ends_with(".gz") ? " or " + strip_gz(r.filename) + " decompressed" : "") +
             "\n";
    s += "from one of:";
    const auto& mirrors = options.mirrors.empty() ? spec.mirrors : options.mirrors;
    for (const auto& m : mirrors) s += " " + m;
    return s;
}

// download=true: fetches the archives whose files are missing and decompresses them in raw.
void download(const MNIST::Spec& spec, const MNIST::Options& options, const std::string& raw,
              const std::vector<std::string>& needed) {
    const bool all_present = std::all_of(needed.begin(), needed.end(), [&](const std::string& n) {
        return !find_idx(raw, n).empty();
    });
    if (all_present) return;
    fs::create_directories(raw);
    const auto& mirrors = options.mirrors.empty() ? spec.mirrors : options.mirrors;
    std::string failures;
    for (const auto& r : spec.resources) {
        const bool is_zip = r.filename.ends_with(".zip");
        if (!is_zip && !find_idx(raw, strip_gz(r.filename)).empty()) continue;
        if (!is_zip && !r.filename.ends_with(".gz")) {  // no archive ember can fetch and open
            failures += r.filename + ": ember cannot decompress this subset's .xz archives\n";
            continue;
        }
        const std::string failed = detail::fetch_archive(mirrors, r.filename, md5_for(options, r), raw);
        if (!failed.empty()) {
            failures += r.filename + ":\n" + failed;
            continue;
        }
        const std::string archive = join(raw, r.filename);
        const std::string bytes = detail::read_file(archive, spec.name);
        if (is_zip) {
            // EMNIST's gzip.zip holds gzip/emnist-*.gz: each decompressed into raw.
            for (const auto& m : detail::read_zip(bytes, archive))
                if (m.name.ends_with(".gz"))
                    detail::write_file(join(raw, strip_gz(fs::path(m.name).filename().string())),
                                       detail::gunzip(m.data, archive + ": " + m.name));
        } else {
            detail::write_file(join(raw, strip_gz(r.filename)), detail::gunzip(bytes, archive));
        }
    }
    EMBER_CHECK(failures.empty(), spec.name, ": download failed\n",
                failures, "To use the dataset without a download, ",
                placement_hint(spec, options, raw));
}

}  // namespace

MNIST::MNIST(std::string root, Options options)
    : MNIST(std::move(root), options, mnist_spec(),
            options.train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte",
            options.train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte") {}

MNIST::MNIST(std::string root, const Options& options, Spec spec, const std::string& images_file,
             const std::string& labels_file, bool qmnist_labels)
    : VisionDataset(std::move(root), options.transform, options.target_transform),
      name_(spec.name),
      train_(options.train) {
    classes_ = spec.classes;
    const std::string raw = raw_folder();
    if (options.download) download(spec, options, raw, {images_file, labels_file});
    const std::string images_path = find_idx(raw, images_file);
    const std::string labels_path = find_idx(raw, labels_file);
    if (images_path.empty() || labels_path.empty()) {
        std::string missing;
        for (const auto& f : {images_file, labels_file})
            if (find_idx(raw, f).empty()) missing += " " + f + " (or " + f + ".gz)";
        EMBER_ERROR(name_, ": dataset not found: ", raw, " lacks", missing,
                    ". You can use download = true to download it, or ",
                    placement_hint(spec, options, raw));
    }
    data_ = read_idx(images_path);
    EMBER_CHECK(data_.dtype() == DType::UInt8 && data_.dim() == 3, name_, ": ", images_path,
                " must hold uint8 images [N, H, W], got ", ember::detail::describe(data_));
    const Tensor labels = read_idx(labels_path);
    if (qmnist_labels)
        // (the class is the first column: a row must have one)
        EMBER_CHECK(labels.dtype() == DType::Int32 && labels.dim() == 2 && labels.size(1) >= 1,
                    name_, ": ", labels_path, " must hold int32 labels [N, 8], got ",
                    ember::detail::describe(labels));
    else
        EMBER_CHECK(labels.dtype() == DType::UInt8 && labels.dim() == 1, name_, ": ", labels_path,
                    " must hold uint8 labels [N], got ", ember::detail::describe(labels));
    EMBER_CHECK(labels.size(0) == data_.size(0), name_, ": ", images_path, " holds ",
                data_.size(0), " images but ", labels_path, " holds ", labels.size(0), " labels");
    targets_ = labels.to(DType::Int64);
}

std::string MNIST::raw_folder() const { return (fs::path(root_) / name_ / "raw").string(); }

std::pair<Image, int64_t> MNIST::item(int64_t index) const {
    data::detail::check_index(name_.c_str(), index, size());
    const int64_t row = targets_.dim() == 2 ? targets_.size(1) : 1;  // QMNIST: class first
    return {Image(data_[index]), targets_.data_ptr<int64_t>()[index * row]};
}

FashionMNIST::FashionMNIST(std::string root, Options options)
    : MNIST(std::move(root), options, fashion_spec(),
            options.train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte",
            options.train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte") {}

KMNIST::KMNIST(std::string root, Options options)
    : MNIST(std::move(root), options, kmnist_spec(),
            options.train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte",
            options.train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte") {}

EMNIST::EMNIST(std::string root, const std::string& split, Options options)
    : MNIST(std::move(root), options, emnist_spec(split),
            emnist_file(split, options.train, "images-idx3"),
            emnist_file(split, options.train, "labels-idx1")),
      split_(split) {}

QMNIST::QMNIST(std::string root, Options options)
    : QMNIST(std::move(root), options, qmnist_what(options)) {}

QMNIST::QMNIST(std::string root, const Options& options, const std::string& what)
    : MNIST(std::move(root),
            MNIST::Options{.train = options.train, .transform = options.transform,
                           .target_transform = options.target_transform,
                           .download = options.download, .mirrors = options.mirrors,
                           .md5 = options.md5},
            qmnist_spec(what), qmnist_prefix(what) + "-images-idx3-ubyte",
            qmnist_prefix(what) + "-labels-idx2-int", /*qmnist_labels=*/true),
      what_(what),
      compat_(options.compat) {
    if (what == "test10k" || what == "test50k") {
        const int64_t n = data_.size(0);
        const int64_t start = what == "test10k" ? 0 : std::min<int64_t>(10000, n);
        const int64_t length = what == "test10k" ? std::min<int64_t>(10000, n) : n - start;
        data_ = data_.narrow(0, start, length).contiguous();
        targets_ = targets_.narrow(0, start, length).contiguous();
    }
}

std::pair<Tensor, Tensor> QMNIST::get(int64_t index) const {
    if (compat_) return MNIST::get(index);
    auto [image, target] = item(index);
    Tensor x = transform_ ? transforms::as_tensor((*transform_)(std::move(image)))
                          : transforms::as_tensor(std::move(image));
    Tensor row = targets_[index].clone();
    if (target_transform_) row = target_transform_(std::move(row));
    return {std::move(x), std::move(row)};
}

std::vector<std::string> EMNIST::split_classes(const std::string& split) {
    return emnist_classes(split);
}

}  // namespace ember::vision::datasets

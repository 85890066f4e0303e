// CIFAR-10/100: the pickled batches (or CIFAR-10's binary batches) to one HWC uint8 tensor.
#include "ember/vision/datasets/cifar.h"

#include <cstring>
#include <filesystem>
#include <sstream>

#include "ember/core/error.h"
#include "ember/ops/factory.h"
#include "vision/datasets/archive.h"
#include "vision/datasets/download.h"
#include "vision/datasets/md5.h"
#include "vision/datasets/pickle.h"

namespace ember::vision::datasets {

namespace fs = std::filesystem;
using detail::PickleRef;
using detail::PickleValue;

namespace {

constexpr int64_t kPixels = 3 * 32 * 32;

CIFAR10::Spec cifar10_spec() {
    return {"CIFAR10",
            "cifar-10-batches-py",
            "cifar-10-python.tar.gz",
            "c58f30108f718f92721af3b95e74349a",
            {"https://www.cs.toronto.edu/~kriz/"},
            {{"data_batch_1", "c99cafc152244af753f735de768cd75f"},
             {"data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"},
             {"data_batch_3", "54ebc095f3ab1f0389bbae665268c751"},
             {"data_batch_4", "634d18415352ddfa80567beed471001a"},
             {"data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"}},
            {{"test_batch", "40351d587109b95175f43aff81a1287e"}},
            {"batches.meta", "5ff9c542aee3614f3951f8cda6e48888"},
            "label_names"};
}

CIFAR10::Spec cifar100_spec() {
    return {"CIFAR100",
            "cifar-100-python",
            "cifar-100-python.tar.gz",
            "eb9058c3a382ffc7106e4002c42a8d85",
            {"https://www.cs.toronto.edu/~kriz/"},
            {{"train", "16019d7e3df5f24257cddd939b257f8d"}},
            {{"test", "f0ef6b0ae62326f3e7ffdfab6717acfc"}},
            {"meta", "7973b15100ade9c7d40fb424638fde48"},
            "fine_label_names"};
}

std::string md5_for(const CIFAROptions& options, const std::string& name, const std::string& md5) {
    auto it = options.md5.find(name);
    return it == options.md5.end() ? md5 : it->second;
}

// "" when every batch file and the meta file are present with their MD5s, else the first fault.
std::string integrity_fault(const CIFAR10::Spec& spec, const CIFAROptions& options,
                            const std::string& folder) {
    std::vector<CIFAR10::File> files = spec.train_files;
    files.insert(files.end(), spec.test_files.begin(), spec.test_files.end());
    files.push_back(spec.meta);
    for (const auto& f : files) {
        const std::string path = (fs::path(folder) / f.name).string();
        if (!detail::file_exists(path)) return path + " is missing";
        const std::string expected = md5_for(options, f.name, f.md5);
        const std::string actual = detail::md5_hex(detail::read_file(path, spec.name));
        if (actual != expected)
            return path + " has MD5 " + actual + ", not the release's " + expected;
    }
    return {};
}

// Writes `n` CHW records of 3072 bytes as HWC images into `out`.
void chw_to_hwc(const unsigned char* records, int64_t n, size_t record_stride, uint8_t* out) {
    for (int64_t r = 0; r < n; ++r) {
        const unsigned char* src = records + size_t(r) * record_stride;
        uint8_t* dst = out + r * kPixels;
        for (int64_t p = 0; p < 1024; ++p)
            for (int64_t c = 0; c < 3; ++c) dst[p * 3 + c] = src[c * 1024 + p];
    }
}

}  // namespace

CIFAR10::CIFAR10(std::string root, Options options)
    : CIFAR10(std::move(root), options, cifar10_spec()) {}

CIFAR100::CIFAR100(std::string root, Options options)
    : CIFAR10(std::move(root), options, cifar100_spec()) {}

CIFAR10::CIFAR10(std::string root, const Options& options, Spec spec)
    : VisionDataset(std::move(root), options.transform, options.target_transform),
      name_(spec.name),
      train_(options.train) {
    const std::string folder = (fs::path(root_) / spec.base_folder).string();
    if (options.download && !integrity_fault(spec, options, folder).empty()) {
        const auto& mirrors = options.mirrors.empty() ? spec.mirrors : options.mirrors;
        const std::string failed = detail::fetch_archive(
            mirrors, spec.archive, md5_for(options, spec.archive, spec.archive_md5), root_);
        if (!failed.empty()) {
            std::string names;
            for (const auto* list : {&spec.train_files, &spec.test_files})
                for (const auto& f : *list) names += " " + f.name;
            EMBER_ERROR(name_, ": download failed\n", spec.archive,
                        ":\n", failed, "To use the dataset without a download, place ",
                        spec.archive, " in ", root_, " (download = true then checks and extracts it), or extract it ",
                        "yourself so that ", folder, " holds", names, " ", spec.meta.name);
        }
        const std::string archive = (fs::path(root_) / spec.archive).string();
        const std::string tar = detail::gunzip(detail::read_file(archive, name_), archive);
        detail::extract_members(detail::read_tar(tar, archive), root_, archive);
    }
    const std::string binary = (fs::path(root_) / "cifar-10-batches-bin").string();
    if (spec.name == "CIFAR10" && !fs::exists(folder) && fs::is_directory(binary)) {
        load_binary(binary);
        return;
    }
    if (options.check_integrity) {
        const std::string fault = integrity_fault(spec, options, folder);
        EMBER_CHECK(fault.empty(), name_, ": dataset not found or corrupted: ", fault,
                    ". You can use download = true to download it");
    }
    load_python(spec);
}

void CIFAR10::load_python(const Spec& spec) {
    const std::string folder = (fs::path(root_) / spec.base_folder).string();
    std::vector<std::string> raw_batches;
    std::vector<int64_t> labels;
    for (const auto& f : train_ ? spec.train_files : spec.test_files) {
        const std::string path = (fs::path(folder) / f.name).string();
        EMBER_CHECK(detail::file_exists(path), name_, ": dataset not found: ", path,
                    " is missing. You can use download = true to download it");
        const PickleRef batch = detail::read_pickle(detail::read_file(path, name_), path);
        EMBER_CHECK(batch->kind == PickleValue::Kind::Dict, name_, ": ", path,
                    " holds a ", batch->kind_name(), ", not a dict of data and labels");
        const PickleRef data = batch->get("data");
        PickleRef batch_labels = batch->get("labels");
        if (!batch_labels) batch_labels = batch->get("fine_labels");
        EMBER_CHECK(data && batch_labels, name_, ": ", path, " lacks the key ",
                    data ? "\"labels\" (or \"fine_labels\")" : "\"data\"");
        // (an array never given its state has no dtype; the row count is compared by division,
        // since a corrupt one times 3072 may overflow)
        EMBER_CHECK(data->kind == PickleValue::Kind::Array && data->dtype &&
                        data->dtype->string == "u1" && data->shape.size() == 2 &&
                        data->shape[1] == kPixels && data->string.size() % kPixels == 0 &&
                        int64_t(data->string.size() / kPixels) == data->shape[0],
                    name_, ": ", path, "'s \"data\" must be a uint8 numpy array [N, 3072]");
        EMBER_CHECK(batch_labels->kind == PickleValue::Kind::List, name_, ": ", path,
                    "'s labels must be a list");
        EMBER_CHECK(int64_t(batch_labels->items.size()) == data->shape[0], name_, ": ", path,
                    " holds ", data->shape[0], " images but ", batch_labels->items.size(),
                    " labels");
        for (const auto& v : batch_labels->items) {
            EMBER_CHECK(v->kind == PickleValue::Kind::Int, name_, ": ", path,
                        "'s labels must be integers, found a ", v->kind_name());
            labels.push_back(v->integer);
        }
        raw_batches.push_back(std::move(data->string));
    }
    const int64_t n = static_cast<int64_t>(labels.size());
    data_ = empty({n, 32, 32, 3}, {.dtype = DType::UInt8});
    auto* out = static_cast<uint8_t*>(data_.data_ptr());
    for (const auto& b : raw_batches) {
        const int64_t records = int64_t(b.size()) / kPixels;
        chw_to_hwc(reinterpret_cast<const unsigned char*>(b.data()), records, kPixels, out);
        out += records * kPixels;
    }
    targets_ = tensor(labels, {.dtype = DType::Int64});

    const std::string meta_path = (fs::path(folder) / spec.meta.name).string();
    EMBER_CHECK(detail::file_exists(meta_path), name_, ": dataset metadata file not found: ",
                meta_path, ". You can use download = true to download it");
    const PickleRef meta = detail::read_pickle(detail::read_file(meta_path, name_), meta_path);
    const PickleRef names =
        meta->kind == PickleValue::Kind::Dict ? meta->get(spec.meta_key) : nullptr;
    EMBER_CHECK(names && names->kind == PickleValue::Kind::List, name_, ": ", meta_path,
                " lacks the list \"", spec.meta_key, "\"");
    for (const auto& v : names->items) {
        EMBER_CHECK(v->kind == PickleValue::Kind::String, name_, ": ", meta_path, "'s \"",
                    spec.meta_key, "\" must hold strings");
        classes_.push_back(v->string);
    }
}

void CIFAR10::load_binary(const std::string& folder) {
    // Records of 3073 bytes: the label, then the R, G and B planes.
    constexpr size_t kRecord = 1 + kPixels;
    std::vector<std::string> files;
    if (train_)
        for (int i = 1; i <= 5; ++i) files.push_back("data_batch_" + std::to_string(i) + ".bin");
    else
        files.push_back("test_batch.bin");
    std::vector<std::string> contents;
    int64_t n = 0;
    for (const auto& f : files) {
        const std::string path = (fs::path(folder) / f).string();
        EMBER_CHECK(detail::file_exists(path), name_, ": dataset not found: ", path, " is missing");
        contents.push_back(detail::read_file(path, name_));
        EMBER_CHECK(contents.back().size() % kRecord == 0, name_, ": ", path, " holds ",
                    contents.back().size(), " bytes, not a whole number of 3073-byte records ",
                    "(truncated or not a CIFAR-10 binary batch)");
        n += int64_t(contents.back().size() / kRecord);
    }
    data_ = empty({n, 32, 32, 3}, {.dtype = DType::UInt8});
    targets_ = empty({n}, {.dtype = DType::Int64});
    auto* out = static_cast<uint8_t*>(data_.data_ptr());
    auto* labels = targets_.data_ptr<int64_t>();
    for (const auto& c : contents) {
        const auto* p = reinterpret_cast<const unsigned char*>(c.data());
        const int64_t records = int64_t(c.size() / kRecord);
        for (int64_t r = 0; r < records; ++r) *labels++ = p[size_t(r) * kRecord];
        chw_to_hwc(p + 1, records, kRecord, out);
        out += records * kPixels;
    }
    const std::string meta_path = (fs::path(folder) / "batches.meta.txt").string();
    std::istringstream lines(detail::read_file(meta_path, name_));
    for (std::string line; std::getline(lines, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) classes_.push_back(line);
    }
}

std::pair<Image, int64_t> CIFAR10::item(int64_t index) const {
    data::detail::check_index(name_.c_str(), index, size());
    return {Image(data_[index]), targets_.data_ptr<int64_t>()[index]};
}

}  // namespace ember::vision::datasets

// ImageFolder: find_classes and make_dataset as torchvision writes them.
#include "ember/vision/datasets/folder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "ember/core/error.h"
#include "ember/vision/image_io.h"

namespace ember::vision::datasets {

namespace fs = std::filesystem;

const std::vector<std::string>& image_extensions() {
    static const std::vector<std::string> extensions = {".jpg", ".jpeg", ".png", ".ppm", ".bmp",
                                                        ".pgm", ".tif",  ".tiff", ".webp"};
    return extensions;
}

namespace {

bool has_extension(const std::string& name, const std::vector<std::string>& extensions) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(extensions.begin(), extensions.end(),
                       [&](const std::string& e) { return lower.ends_with(e); });
}

// os.walk(top, followlinks=True) sorted by folder path: every folder under top (top first),
// each with its sorted file names. Paths are joined with '/' as os.path.join does.
void walk(const std::string& top, std::vector<std::pair<std::string, std::vector<std::string>>>& out) {
    std::vector<std::string> files;
    std::vector<std::string> folders;
    std::error_code ec;
    for (fs::directory_iterator it(top, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code type_ec;
        if (it->is_directory(type_ec))  // follows symbolic links
            folders.push_back(top + "/" + name);
        else
            files.push_back(name);
    }
    std::sort(files.begin(), files.end());
    out.emplace_back(top, std::move(files));
    for (const auto& f : folders) walk(f, out);
}

}  // namespace

ImageFolder::ImageFolder(std::string root, Options options)
    : VisionDataset(std::move(root), std::move(options.transform),
                    std::move(options.target_transform)),
      extensions_(options.extensions.empty() ? image_extensions() : options.extensions),
      loader_(options.loader ? std::move(options.loader) : [](const std::string& path) {
          return load_image(path, ImageReadMode::RGB);
      }) {
    std::error_code ec;
    EMBER_CHECK(fs::is_directory(root_, ec), "ImageFolder: ", root_, " is not a folder");
    for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_directory(type_ec)) classes_.push_back(it->path().filename().string());
    }
    std::sort(classes_.begin(), classes_.end());
    EMBER_CHECK(!classes_.empty(), "ImageFolder: couldn't find any class folder in ", root_);
    std::string empty_classes;
    for (size_t c = 0; c < classes_.size(); ++c) {
        std::vector<std::pair<std::string, std::vector<std::string>>> folders;
        walk((fs::path(root_) / classes_[c]).string(), folders);
        std::sort(folders.begin(), folders.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        const size_t before = samples_.size();
        for (const auto& [folder, files] : folders)
            for (const auto& name : files)
                if (has_extension(name, extensions_))
                    samples_.emplace_back(folder + "/" + name, static_cast<int64_t>(c));
        if (samples_.size() == before) empty_classes += (empty_classes.empty() ? "" : ", ") + classes_[c];
    }
    if (!empty_classes.empty()) {
        std::string supported;
        for (const auto& e : extensions_) supported += (supported.empty() ? "" : ", ") + e;
        EMBER_ERROR("ImageFolder: found no valid file for the classes ", empty_classes, " in ",
                    root_, ". Supported extensions are: ", supported);
    }
}

std::pair<Image, int64_t> ImageFolder::item(int64_t index) const {
    data::detail::check_index("ImageFolder", index, size());
    const auto& [path, target] = samples_[static_cast<size_t>(index)];
    return {loader_(path), target};
}

std::vector<int64_t> ImageFolder::targets() const {
    std::vector<int64_t> out;
    for (const auto& s : samples_) out.push_back(s.second);
    return out;
}

}  // namespace ember::vision::datasets

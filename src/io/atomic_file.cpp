// Temporary file, fsync, rename, fsync of the folder: the usual crash-safe replacement.
#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "ember/core/error.h"

namespace ember::io::detail {

namespace {

// Removes the temporary file unless the rename took it: every early exit, exceptions included.
class TempFile {
public:
    TempFile(const std::string& target, const char* op) {
        std::random_device rd;
        // O_EXCL: two writers of the same path never share a temporary file.
        for (int attempt = 0; attempt < 8 && fd_ < 0; ++attempt) {
            path_ = target + ".tmp-" + std::to_string(rd());
            fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ < 0 && errno != EEXIST) break;
        }
        EMBER_CHECK(fd_ >= 0, op, ": cannot create ", path_, ": ", std::strerror(errno));
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }
    int fd() const { return fd_; }
    // close() reports the errors of delayed writes (NFS, quotas): it must be checked.
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    void committed() { committed_ = true; }

private:
    std::string path_;
    int fd_ = -1;
    bool committed_ = false;
};

// write(2) until every byte is out: it may write less than asked, or be interrupted.
bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// Makes the rename itself durable. Best effort: some file systems refuse fsync on a folder
// (EINVAL), and the file is already in place, whole, by then.
void sync_folder_of(const std::string& path) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    const std::filesystem::path folder = parent.empty() ? std::filesystem::path(".") : parent;
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces,
                           const char* op) {
    TempFile tmp(path, op);
    for (std::string_view piece : pieces)
        EMBER_CHECK(write_all(tmp.fd(), piece), op, ": writing ", tmp.path(),
                    " failed: ", std::strerror(errno));
    // The data must reach the disk before the rename does, or a power cut can leave an empty
    // or partial file under the final name.
    EMBER_CHECK(::fsync(tmp.fd()) == 0, op, ": writing ", tmp.path(), " failed: ",
                std::strerror(errno));
    EMBER_CHECK(tmp.close() == 0, op, ": writing ", tmp.path(), " failed: ",
                std::strerror(errno));
    EMBER_CHECK(std::rename(tmp.path().c_str(), path.c_str()) == 0, op, ": cannot move ",
                tmp.path(), " to ", path, ": ", std::strerror(errno));
    tmp.committed();
    sync_folder_of(path);
}

}  // namespace ember::io::detail

// What the harnesses share: the input written to a file of this process's own scratch folder
// (the readers take paths), and the rule that an ember::Error is the one right answer to bad
// input. Anything else (an internal error, another exception, a crash, a sanitizer report, an
// allocation beyond libFuzzer's -malloc_limit_mb) is a finding.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "ember/core/error.h"

namespace ember_fuzz {

namespace fs = std::filesystem;

// A folder for this process's files, in memory (/dev/shm) where there is one; removed at exit.
class Scratch {
public:
    Scratch() {
        const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm")
                                                           : fs::temp_directory_path();
        dir_ = base / ("ember_fuzz_" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
};

inline const fs::path& scratch() {
    static const Scratch scratch;
    return scratch.dir();
}

// Writes the bytes to scratch()/relative (creating its folders); returns the file's path.
inline std::string write_input(const std::string& relative, const uint8_t* data, size_t size) {
    const fs::path path = scratch() / relative;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
        std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
        std::abort();
    }
    return path.string();
}

// Runs `read`; an ember::Error is the expected outcome for bad bytes, but it must be a user
// error (not one of ember's internal assertions) and it must name the file it is about
// (`names`: the path, or the dataset folder, the message has to contain).
template <class F>
void expect_only_ember_errors(const std::string& names, F&& read) {
    try {
        read();
    } catch (const ember::Error& e) {
        const char* what = e.what();
        // (a prefix: libFuzzer learns the strings compared here and puts them in inputs that
        // messages quote)
        if (std::strncmp(what, "internal error in ember", 23) == 0) {
            std::fprintf(stderr, "fuzz harness: internal error: %s\n", what);
            std::abort();
        }
        if (!names.empty() && !std::strstr(what, names.c_str())) {
            std::fprintf(stderr, "fuzz harness: the error does not name %s: %s\n", names.c_str(),
                         what);
            std::abort();
        }
    }
}

}  // namespace ember_fuzz

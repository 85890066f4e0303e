// Test helpers: a unique temp log dir per test, and the records of an event file read back
// with their framing and CRCs checked.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tensorboard/event_file.h"

namespace ember::tensorboard::test_util {

// A fresh directory, unique per test and process (ctest runs tests in parallel), removed at
// the end of the scope.
class TempLogDir {
public:
    TempLogDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = std::filesystem::temp_directory_path() /
                ("ember_tb_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
                 std::to_string(getpid()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempLogDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string str() const { return path_.string(); }
    std::filesystem::path path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline uint32_t read_u32(const std::string& bytes, size_t at) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes[at + size_t(i)]);
    return v;
}

// The payloads of a file's complete records; a bad CRC or a torn record fails the test.
inline std::vector<std::string> read_records(const std::filesystem::path& path) {
    const std::string bytes = read_bytes(path);
    std::vector<std::string> records;
    size_t at = 0;
    while (at < bytes.size()) {
        EXPECT_LE(at + 12, bytes.size()) << "torn record header in " << path;
        if (at + 12 > bytes.size()) break;
        uint64_t length = 0;
        for (int i = 7; i >= 0; --i)
            length = length << 8 | static_cast<unsigned char>(bytes[at + size_t(i)]);
        EXPECT_EQ(read_u32(bytes, at + 8), masked_crc32c(std::string_view(bytes).substr(at, 8)));
        EXPECT_LE(at + 12 + length + 4, bytes.size()) << "torn record in " << path;
        if (at + 12 + length + 4 > bytes.size()) break;
        std::string data = bytes.substr(at + 12, length);
        EXPECT_EQ(read_u32(bytes, at + 12 + length), masked_crc32c(data));
        records.push_back(std::move(data));
        at += 12 + length + 4;
    }
    return records;
}

// The event files directly in dir, sorted by name.
inline std::vector<std::filesystem::path> event_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_regular_file() &&
            entry.path().filename().string().starts_with("events.out.tfevents."))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace ember::tensorboard::test_util

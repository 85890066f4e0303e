// Crash safety. A training process (crash_trainer) killed with SIGKILL at random times, dozens of
// times in the same run folder, leaves event files that read up to their last complete record
// (every length and data CRC right, a cut record only at the very end) and checkpoints that
// load and continue; a save that fails midway leaves the previous file as it was.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ember/ember.h"
#include "reliability/crash_run.h"
#include "support/golden.h"
#include "tensorboard/event_file.h"

extern char** environ;

namespace ember {
namespace {

namespace fs = std::filesystem;
using namespace ember::crash_test;

// ---- reading event files as a reader that survives a crash must ----

struct EventFileScan {
    std::vector<std::string> records;  // the complete records' payloads
    size_t torn_tail_bytes = 0;        // bytes of a cut last record (the file ends inside it)
    std::string error;                 // a bad CRC: corruption, not a crash
};

uint64_t read_le(const std::string& bytes, size_t at, int width) {
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = v << 8 | static_cast<unsigned char>(bytes[at + static_cast<size_t>(i)]);
    return v;
}

// TFRecord framing: uint64 length, masked CRC32C of those 8 bytes, data, masked CRC32C of data.
// A record the file ends inside is the cut tail (only the last one can be); a wrong CRC of a
// complete header or record is an error.
EventFileScan scan_event_file(const std::string& bytes) {
    using tensorboard::masked_crc32c;
    EventFileScan scan;
    size_t at = 0;
    while (at < bytes.size()) {
        const size_t left = bytes.size() - at;
        if (left < 12) {
            scan.torn_tail_bytes = left;
            break;
        }
        const uint64_t length = read_le(bytes, at, 8);
        if (read_le(bytes, at + 8, 4) != masked_crc32c(std::string_view(bytes).substr(at, 8))) {
            scan.error = "bad length CRC at byte " + std::to_string(at);
            break;
        }
        if (length > left - 12 || left - 12 - length < 4) {
            scan.torn_tail_bytes = left;
            break;
        }
        std::string data = bytes.substr(at + 12, length);
        if (read_le(bytes, at + 12 + length, 4) != masked_crc32c(data)) {
            scan.error = "bad data CRC in the record at byte " + std::to_string(at);
            break;
        }
        scan.records.push_back(std::move(data));
        at += 12 + length + 4;
    }
    return scan;
}

// The top-level fields of an Event that the test checks: step (2) and file_version (3).
struct EventFields {
    int64_t step = 0;
    bool file_version = false;
    bool parsed = false;
};

EventFields parse_event(const std::string& bytes) {
    EventFields fields;
    size_t at = 0;
    auto varint = [&](uint64_t& value) {
        value = 0;
        for (int shift = 0; shift < 64 && at < bytes.size(); shift += 7) {
            const auto byte = static_cast<unsigned char>(bytes[at++]);
            value |= static_cast<uint64_t>(byte & 0x7F) << shift;
            if (!(byte & 0x80)) return true;
        }
        return false;
    };
    while (at < bytes.size()) {
        uint64_t key = 0, value = 0;
        if (!varint(key)) return fields;
        const uint64_t field = key >> 3;
        switch (key & 7) {
            case 0:
                if (!varint(value)) return fields;
                if (field == 2) fields.step = static_cast<int64_t>(value);
                break;
            case 1: at += 8; break;
            case 5: at += 4; break;
            case 2:
                if (!varint(value) || value > bytes.size() - at) return fields;
                if (field == 3) fields.file_version = true;
                at += value;
                break;
            default: return fields;
        }
    }
    fields.parsed = at == bytes.size();
    return fields;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::set<fs::path> event_files(const fs::path& dir) {
    std::set<fs::path> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().starts_with("events.out.tfevents."))
            files.insert(entry.path());
    return files;
}

// ---- the checkpoint a killed run left ----

struct CheckpointState {
    std::optional<int64_t> model_step, optimizer_step;
    int64_t temp_files = 0;  // "<name>.tmp-<n>" of saves a kill interrupted
};

// Loads whatever checkpoint files there are into a fresh model and optimizer, failing the test
// on anything a crash must not leave behind.
CheckpointState check_checkpoint(const fs::path& dir) {
    CheckpointState state;
    if (!fs::is_directory(checkpoint_dir(dir))) return state;
    for (const auto& entry : fs::directory_iterator(checkpoint_dir(dir))) {
        const std::string name = entry.path().filename().string();
        if (name == "model.safetensors" || name == "optimizer.safetensors") continue;
        const bool temp = (name.starts_with("model.safetensors.tmp-") ||
                           name.starts_with("optimizer.safetensors.tmp-")) &&
                          name.find_first_not_of("0123456789", name.find(".tmp-") + 5) ==
                              std::string::npos;
        EXPECT_TRUE(temp) << "unexpected file " << entry.path();
        state.temp_files += temp;
    }
    TrainingRun fresh;
    if (fs::exists(model_path(dir))) {
        try {
            const OrderedDict<Tensor> loaded = load(model_path(dir).string());
            fresh.model.load_state_dict(loaded);
            const auto metadata = load_metadata(model_path(dir).string());
            EXPECT_EQ(checksum(loaded), metadata.at("checksum"))
                << "the model file does not hold the values that were saved";
            state.model_step = std::stoll(metadata.at("step"));
        } catch (const std::exception& e) {
            ADD_FAILURE() << "the model checkpoint does not load: " << e.what();
        }
    }
    if (fs::exists(optimizer_path(dir))) {
        try {
            const optim::StateDict loaded = optim::StateDict::load(optimizer_path(dir).string());
            fresh.optimizer.load_state_dict(loaded);
            state.optimizer_step = optimizer_steps(loaded);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "the optimizer checkpoint does not load: " << e.what();
        }
    }
    // The model is saved first, so it is never behind the optimizer, and at most one save ahead.
    if (state.optimizer_step) {
        EXPECT_TRUE(state.model_step) << "an optimizer checkpoint without a model checkpoint";
        if (state.model_step) {
            EXPECT_TRUE(*state.model_step == *state.optimizer_step ||
                        *state.model_step == *state.optimizer_step + kSaveEvery)
                << "model at step " << *state.model_step << ", optimizer at step "
                << *state.optimizer_step;
        }
    }
    return state;
}

// ---- running the trainer ----

// Starts crash_trainer on dir, its output appended to dir/trainer.log.
pid_t start_trainer(const fs::path& dir, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{EMBER_CRASH_TRAINER, dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = (dir / "trainer.log").string();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << argv[0] << ": " << std::strerror(rc);
    return rc == 0 ? pid : -1;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

int64_t env_or(const char* name, int64_t fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::stoll(value) : fallback;
}

// What a killed run left in its own event file: the steps follow on from the checkpoint it
// resumed from, one by one, with nothing lost or repeated before the last complete record.
struct EventStats {
    int64_t records = 0, torn_tails = 0;
};

void check_new_event_file(const fs::path& path, int64_t resumed_from, EventStats& stats) {
    const EventFileScan scan = scan_event_file(read_bytes(path));
    EXPECT_EQ(scan.error, "") << path;
    stats.records += static_cast<int64_t>(scan.records.size());
    stats.torn_tails += scan.torn_tail_bytes > 0;
    int64_t previous = resumed_from;
    for (size_t i = 0; i < scan.records.size(); ++i) {
        const EventFields event = parse_event(scan.records[i]);
        ASSERT_TRUE(event.parsed) << "record " << i << " of " << path << " is not an Event";
        if (i == 0) {
            EXPECT_TRUE(event.file_version) << path << " does not start with file_version";
            continue;
        }
        // The first loss is the step after the checkpoint's; then each step's loss and (every
        // few steps) its text: the same step or the next one.
        EXPECT_TRUE(event.step == previous + 1 || (i > 1 && event.step == previous))
            << "record " << i << " of " << path << " has step " << event.step << " after "
            << previous;
        previous = event.step;
    }
}

TEST(CrashSafety, KilledTrainingLeavesReadableEventsAndLoadableCheckpoints) {
    const int64_t kills = env_or("EMBER_CRASH_KILLS", 40);
    const auto seed = static_cast<uint32_t>(env_or("EMBER_CRASH_SEED", 20261127));
    std::cout << "kills: " << kills << ", delay seed: " << seed
              << " (EMBER_CRASH_KILLS, EMBER_CRASH_SEED)\n";
    const fs::path dir = fs::temp_directory_path() / ("ember_crash_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> delay_ms(5, 300);
    const auto started = std::chrono::steady_clock::now();

    EventStats stats;
    int64_t runs_with_new_temp_files = 0, temp_files = 0;
    CheckpointState last;
    for (int64_t kill_no = 0; kill_no < kills; ++kill_no) {
        const std::set<fs::path> before = event_files(event_dir(dir));
        // Where the trainer will resume: it needs both files, and takes the optimizer's step.
        const int64_t resumes_at = last.model_step && last.optimizer_step ? *last.optimizer_step : 0;
        const int delay = delay_ms(rng);
        const pid_t pid = start_trainer(dir);
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        kill(pid, SIGKILL);
        const int status = wait_for(pid);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            << "the trainer ended before it was killed (kill " << kill_no << "):\n"
            << read_bytes(dir / "trainer.log");

        for (const fs::path& file : event_files(event_dir(dir)))
            if (!before.count(file)) check_new_event_file(file, resumes_at, stats);
        const CheckpointState now = check_checkpoint(dir);
        // Progress is never lost: the files only move forward.
        if (last.model_step) {
            EXPECT_GE(now.model_step.value_or(-1), *last.model_step);
        }
        if (last.optimizer_step) {
            EXPECT_GE(now.optimizer_step.value_or(-1), *last.optimizer_step);
        }
        runs_with_new_temp_files += now.temp_files > last.temp_files;
        temp_files = now.temp_files;
        last = now;
        if (HasFailure()) {
            std::cout << "failed after kill " << kill_no << " (" << delay << " ms); the run folder "
                      << dir << " is kept\n";
            return;
        }
    }

    // Every old event file still reads (a later run never appends to an earlier one's file).
    for (const fs::path& file : event_files(event_dir(dir)))
        EXPECT_EQ(scan_event_file(read_bytes(file)).error, "") << file;

    // A run after all those kills resumes and trains to its end.
    const int64_t resumes_at = last.model_step && last.optimizer_step ? *last.optimizer_step : 0;
    const int64_t target = resumes_at + 2 * kSaveEvery;
    const int status = wait_for(start_trainer(dir, {std::to_string(target)}));
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_bytes(dir / "trainer.log");
    const CheckpointState final_state = check_checkpoint(dir);
    EXPECT_EQ(final_state.model_step, target);
    EXPECT_EQ(final_state.optimizer_step, target);

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << kills << " kills in " << seconds << " s: " << event_files(event_dir(dir)).size()
              << " event files, " << stats.records << " complete records, " << stats.torn_tails
              << " cut last records; " << runs_with_new_temp_files
              << " kills during a save (leaving " << temp_files
              << " temporary files); checkpoint reached step " << target << "\n";
    if (!HasFailure()) fs::remove_all(dir);
}

// ---- the reader itself, on an event file cut at every byte ----

TEST(CrashSafety, EventReaderStopsAtACutLastRecord) {
    std::string whole;
    std::vector<size_t> ends;  // where each record ends
    for (const std::string& payload : {std::string("first"), std::string(300, 'x'), std::string()}) {
        whole += tensorboard::frame_record(payload);
        ends.push_back(whole.size());
    }
    for (size_t cut = 0; cut <= whole.size(); ++cut) {
        const EventFileScan scan = scan_event_file(whole.substr(0, cut));
        size_t complete = 0;
        while (complete < ends.size() && ends[complete] <= cut) ++complete;
        EXPECT_EQ(scan.error, "") << "cut at " << cut;
        EXPECT_EQ(scan.records.size(), complete) << "cut at " << cut;
        EXPECT_EQ(scan.torn_tail_bytes, cut - (complete ? ends[complete - 1] : 0)) << "cut at " << cut;
    }
    // A flipped byte is corruption, which a crash never causes: an error, not a cut tail.
    std::string flipped = whole;
    flipped[ends[0] + 14] ^= 1;  // inside the second record's data
    EXPECT_NE(scan_event_file(flipped).error, "");
    flipped = whole;
    flipped[ends[0] + 2] ^= 1;  // inside the second record's length
    EXPECT_NE(scan_event_file(flipped).error, "");
}

// ---- a save that fails midway ----

std::vector<std::string> temp_files_in(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().find(".tmp-") != std::string::npos)
            found.push_back(entry.path().filename().string());
    return found;
}

// RLIMIT_FSIZE makes every write past `bytes` fail with EFBIG, as a full disk fails with ENOSPC
// (SIGXFSZ, which would kill the process, is ignored meanwhile).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &saved_);
        previous_handler_ = signal(SIGXFSZ, SIG_IGN);
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &saved_);
        signal(SIGXFSZ, previous_handler_);
    }

private:
    rlimit saved_{};
    sighandler_t previous_handler_ = SIG_DFL;
};

class FailedSave : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ember_failed_save_" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(FailedSave, ADiskFullMidwayLeavesTheOldCheckpoint) {
    manual_seed(0);
    TrainingRun run;
    const std::string path = (dir_ / "model.safetensors").string();
    save(run.model.state_dict(), path);
    const std::string old_bytes = read_bytes(path);

    OrderedDict<Tensor> big;  // 4 MB, far past the limit: the write stops midway
    big.insert("weight", ones({1024, 1024}));
    {
        FileSizeLimit limit(64 * 1024);
        EXPECT_EMBER_ERROR(save(big, path), "save: writing ");
    }
    EXPECT_EQ(read_bytes(path), old_bytes);
    EXPECT_EQ(temp_files_in(dir_), std::vector<std::string>{});
    TrainingRun restored;
    restored.model.load_state_dict(load(path));
    EXPECT_TENSOR_EQ(restored.model.state_dict().at("0.weight"), run.model.state_dict().at("0.weight"));

    // save_npy goes through the same writer.
    const std::string npy = (dir_ / "x.npy").string();
    io::save_npy(arange(10), npy);
    const std::string old_npy = read_bytes(npy);
    {
        FileSizeLimit limit(64 * 1024);
        EXPECT_EMBER_ERROR(io::save_npy(ones({1024, 1024}), npy), "save_npy: writing ");
    }
    EXPECT_EQ(read_bytes(npy), old_npy);
    EXPECT_EQ(temp_files_in(dir_), std::vector<std::string>{});
}

TEST_F(FailedSave, ARenameThatFailsLeavesNoTemporaryFile) {
    // The target is a folder with a file in it: rename(2) refuses to replace it.
    fs::create_directories(dir_ / "model.safetensors");
    std::ofstream(dir_ / "model.safetensors" / "keep") << "x";
    OrderedDict<Tensor> one;
    one.insert("x", ones({2}));
    EXPECT_EMBER_ERROR(save(one, (dir_ / "model.safetensors").string()), "save: cannot move ");
    EXPECT_TRUE(fs::is_directory(dir_ / "model.safetensors"));
    EXPECT_EQ(temp_files_in(dir_), std::vector<std::string>{});
}

}  // namespace
}  // namespace ember

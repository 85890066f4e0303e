// Event file framing (TFRecord with masked CRC32C), naming, and the background writer.
#include "tensorboard/event_file.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "ember/core/error.h"
#include "tensorboard/proto.h"

namespace ember::tensorboard {

namespace {

// Byte-at-a-time table for the reflected Castagnoli polynomial.
constexpr std::array<uint32_t, 256> make_crc32c_table() {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (crc & 1 ? 0x82F63B78u : 0u);
        table[i] = crc;
    }
    return table;
}
constexpr std::array<uint32_t, 256> kCrc32cTable = make_crc32c_table();

void append_u32(std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

// The uid in event file names: PyTorch counts writers per process from 0.
std::atomic<int64_t> next_writer_uid{0};

}  // namespace

uint32_t crc32c(std::string_view bytes) {
    uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : bytes) crc = kCrc32cTable[(crc ^ c) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

uint32_t masked_crc32c(std::string_view bytes) {
    const uint32_t crc = crc32c(bytes);
    return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

std::string frame_record(std::string_view data) {
    std::string record;
    record.reserve(data.size() + 16);
    const uint64_t length = data.size();
    for (int i = 0; i < 8; ++i) record.push_back(static_cast<char>(length >> (8 * i)));
    append_u32(record, masked_crc32c(std::string_view(record.data(), 8)));
    record.append(data);
    append_u32(record, masked_crc32c(data));
    return record;
}

std::string event_file_name(double wall_time, const std::string& host, int64_t pid,
                            int64_t uid, const std::string& suffix) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%010lld", static_cast<long long>(wall_time));
    return "events.out.tfevents." + std::string(seconds) + "." + host + "." +
           std::to_string(pid) + "." + std::to_string(uid) + suffix;
}

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

EventFileWriter::EventFileWriter(const std::string& log_dir, int64_t max_queue,
                                 double flush_secs, const std::string& filename_suffix,
                                 const char* op)
    : log_dir_(log_dir),
      max_queue_(static_cast<size_t>(max_queue > 0 ? max_queue : 1)),
      flush_secs_(flush_secs) {
    EMBER_CHECK(!log_dir.empty(), op, ": the log dir is empty");
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    EMBER_CHECK(!ec && std::filesystem::is_directory(log_dir), op, ": cannot create log dir '",
                log_dir, "': ", ec ? ec.message() : "a file of that name exists");
    const double wall_time = now_seconds();
    path_ = (std::filesystem::path(log_dir) /
             event_file_name(wall_time, host_name(), getpid(), next_writer_uid++, filename_suffix))
                .string();
    file_ = std::fopen(path_.c_str(), "ab");
    EMBER_CHECK(file_ != nullptr, op, ": cannot open event file '", path_,
                "': ", std::strerror(errno));
    const std::string first = frame_record(proto::file_version_event(wall_time));
    if (std::fwrite(first.data(), 1, first.size(), file_) != first.size() ||
        std::fflush(file_) != 0) {
        std::fclose(file_);
        EMBER_ERROR(op, ": cannot write event file '", path_, "': ", std::strerror(errno));
    }
    thread_ = std::thread([this] { run(); });
}

EventFileWriter::~EventFileWriter() {
    try {
        close();
    } catch (...) {
        // A destructor must not throw; close() already stopped the thread and closed the file.
    }
}

void EventFileWriter::add_event(std::string event) {
    std::unique_lock lock(mutex_);
    EMBER_CHECK(!stopping_, "SummaryWriter: the event file '", path_, "' is closed");
    wake_callers_.wait(lock, [&] { return queue_.size() < max_queue_ || !error_.empty(); });
    queue_.push_back(std::move(event));
    lock.unlock();
    wake_writer_.notify_one();
}

void EventFileWriter::check_error() {
    if (!error_.empty()) EMBER_ERROR("SummaryWriter: cannot write event file '", path_, "': ", error_);
}

void EventFileWriter::flush() {
    std::unique_lock lock(mutex_);
    if (closed_) return;
    const uint64_t generation = ++flush_requested_;
    wake_writer_.notify_one();
    wake_callers_.wait(lock, [&] { return flushed_ >= generation || !error_.empty(); });
    check_error();
}

void EventFileWriter::close() {
    {
        std::unique_lock lock(mutex_);
        if (closed_) return;
        closed_ = true;
        stopping_ = true;
    }
    wake_writer_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (std::fclose(file_) != 0 && error_.empty()) error_ = std::strerror(errno);
    file_ = nullptr;
    check_error();
}

void EventFileWriter::run() {
    using clock = std::chrono::steady_clock;
    const auto flush_interval = std::chrono::duration_cast<clock::duration>(
        std::chrono::duration<double>(flush_secs_ > 0 ? flush_secs_ : 0));
    auto next_flush = clock::now() + flush_interval;
    bool pending = false;  // written but not yet flushed
    bool failed = false;   // after a write error the queue is drained but nothing is written
    std::unique_lock lock(mutex_);
    for (;;) {
        auto ready = [&] { return !queue_.empty() || flush_requested_ > flushed_ || stopping_; };
        if (pending)
            wake_writer_.wait_until(lock, next_flush, ready);
        else
            wake_writer_.wait(lock, ready);
        // Take the whole queue: a caller waits on the lock only for this swap.
        std::deque<std::string> batch;
        batch.swap(queue_);
        const uint64_t requested = flush_requested_;
        const bool stopping = stopping_;
        lock.unlock();
        wake_callers_.notify_all();

        std::string failure;
        for (const std::string& event : batch) {
            if (failed) break;
            const std::string record = frame_record(event);
            if (std::fwrite(record.data(), 1, record.size(), file_) != record.size()) {
                failure = std::strerror(errno);
                failed = true;
            }
            pending = true;
        }
        // flushed_ is written only by this thread, so reading it unlocked is safe.
        const bool flush_due = stopping || requested > flushed_ || clock::now() >= next_flush;
        if (flush_due && pending && !failed) {
            if (std::fflush(file_) != 0) {
                failure = std::strerror(errno);
                failed = true;
            }
        }
        if (flush_due) {
            pending = false;
            next_flush = clock::now() + flush_interval;
        }
        lock.lock();
        if (!failure.empty() && error_.empty()) error_ = failure;
        if (flush_due) flushed_ = requested;
        wake_callers_.notify_all();
        if (stopping) return;
    }
}

}  // namespace ember::tensorboard

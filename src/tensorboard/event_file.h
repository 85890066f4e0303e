// TensorBoard event files: TFRecord framing (length, masked CRC32C), file naming, and the
// writer that appends records on a background thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace ember::tensorboard {

// CRC32C (Castagnoli) of the bytes, and TFRecord's mask of it.
uint32_t crc32c(std::string_view bytes);
uint32_t masked_crc32c(std::string_view bytes);

// One TFRecord: uint64 length, masked CRC of the length bytes, data, masked CRC of data.
std::string frame_record(std::string_view data);

// "events.out.tfevents.<%010d seconds>.<host>.<pid>.<uid><suffix>".
std::string event_file_name(double wall_time, const std::string& host, int64_t pid,
                            int64_t uid, const std::string& suffix);

// The machine's host name, and seconds since the epoch.
std::string host_name();
double now_seconds();

// Appends events to a new file in log_dir (created if missing) from a background thread.
// The first record (file_version) is written and flushed by the constructor; add_event queues
// (blocking while max_queue events are pending); the file is flushed every flush_secs while
// data is pending, and on flush() and close(). Records are only appended and flushed whole,
// so a crash leaves every record before the last flush readable.
class EventFileWriter {
public:
    EventFileWriter(const std::string& log_dir, int64_t max_queue, double flush_secs,
                    const std::string& filename_suffix, const char* op = "SummaryWriter");
    ~EventFileWriter();  // close(), errors ignored
    EventFileWriter(const EventFileWriter&) = delete;
    EventFileWriter& operator=(const EventFileWriter&) = delete;

    const std::string& log_dir() const { return log_dir_; }
    const std::string& path() const { return path_; }

    // Queues one serialized Event.
    void add_event(std::string event);
    // Waits until every queued event is written and flushed; a write error is an ember::Error.
    void flush();
    // flush(), then stops the thread and closes the file; later calls do nothing.
    void close();
    bool closed() const { return closed_; }

private:
    void run();  // the background thread
    void check_error();

    std::string log_dir_;
    std::string path_;
    size_t max_queue_;
    double flush_secs_;
    std::FILE* file_ = nullptr;
    bool closed_ = false;

    std::mutex mutex_;
    std::condition_variable wake_writer_;  // events queued, flush requested or stopping
    std::condition_variable wake_callers_;  // queue drained or flush done
    std::deque<std::string> queue_;
    uint64_t flush_requested_ = 0;  // generations: flush() waits for flushed_ to catch up
    uint64_t flushed_ = 0;
    bool stopping_ = false;
    std::string error_;  // the first write error, reported by flush()/close()
    std::thread thread_;
};

}  // namespace ember::tensorboard

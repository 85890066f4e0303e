// A progress bar for loops over a DataLoader (or any sized range): batches done, rate, elapsed
// and remaining time, redrawn in place on a terminal and silent when the stream is not one
// (logs, pipes), unless forced.
//
//     for (auto& [x, y] : ember::data::progress(loader, {.desc = "epoch 1"})) ...
//
// shows `epoch 1  37/100 [=======>            ]  37% 412.3 it/s 00:00<00:00`.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

namespace ember::data {

struct ProgressOptions {
    std::string desc;
    std::FILE* stream = stderr;
    std::optional<bool> enabled;  // default: whether `stream` is a terminal
    int width = 30;               // characters of the bar itself
};

class ProgressBar {
public:
    explicit ProgressBar(int64_t total, ProgressOptions options = {});
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(int64_t steps = 1);
    // Draws the final state and ends the line (once).
    void close();
    int64_t done() const { return done_; }
    bool enabled() const { return enabled_; }

    // One line of the bar; total <= 0 means unknown (no bar, no remaining time).
    static std::string format(const std::string& desc, int64_t done, int64_t total,
                              double elapsed_s, int width = 30);

private:
    void draw(bool force);

    int64_t total_;
    ProgressOptions options_;
    bool enabled_;
    bool closed_ = false;
    int64_t done_ = 0;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

// A range over `loader` that advances a ProgressBar of loader.size() steps as it goes.
template <class Loader>
class Progress {
public:
    Progress(Loader& loader, ProgressOptions options)
        : loader_(loader), options_(std::move(options)) {}

    class iterator {
    public:
        using Inner = decltype(std::declval<Loader&>().begin());
        iterator(Inner inner, ProgressBar* bar) : inner_(std::move(inner)), bar_(bar) {}
        decltype(auto) operator*() const { return *inner_; }
        iterator& operator++() {
            ++inner_;
            bar_->update();
            return *this;
        }
        bool operator==(const iterator& other) const {
            const bool end = inner_ == other.inner_;
            if (end && bar_) bar_->close();
            return end;
        }

    private:
        Inner inner_;
        ProgressBar* bar_;
    };

    iterator begin() {
        bar_.emplace(static_cast<int64_t>(loader_.size()), options_);
        return iterator(loader_.begin(), &*bar_);
    }
    iterator end() { return iterator(loader_.end(), nullptr); }

private:
    Loader& loader_;
    ProgressOptions options_;
    std::optional<ProgressBar> bar_;
};

template <class Loader>
Progress<Loader> progress(Loader& loader, ProgressOptions options = {}) {
    return Progress<Loader>(loader, std::move(options));
}

}  // namespace ember::data

// The progress bar's drawing: throttled redraws in place with '\r', only on a terminal.
#include "ember/data/progress.h"

#include <unistd.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace ember::data {
namespace {

std::string clock_text(double seconds) {
    const int64_t s = static_cast<int64_t>(std::llround(std::max(seconds, 0.0)));
    std::ostringstream out;
    out << std::setfill('0');
    if (s >= 3600) out << s / 3600 << ':' << std::setw(2);
    out << std::setw(2) << (s / 60) % 60 << ':' << std::setw(2) << s % 60;
    return out.str();
}

}  // namespace

ProgressBar::ProgressBar(int64_t total, ProgressOptions options)
    : total_(total), options_(std::move(options)),
      enabled_(options_.enabled.value_or(options_.stream && isatty(fileno(options_.stream)))),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {
    draw(true);
}

ProgressBar::~ProgressBar() { close(); }

void ProgressBar::update(int64_t steps) {
    done_ += steps;
    draw(false);
}

void ProgressBar::close() {
    if (closed_) return;
    closed_ = true;
    draw(true);
    if (enabled_) {
        std::fputc('\n', options_.stream);
        std::fflush(options_.stream);
    }
}

void ProgressBar::draw(bool force) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    // A tenth of a second between redraws keeps a fast loop from spending its time printing.
    if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::fprintf(options_.stream, "\r%s\x1b[K",
                 format(options_.desc, done_, total_, elapsed, options_.width).c_str());
    std::fflush(options_.stream);
}

std::string ProgressBar::format(const std::string& desc, int64_t done, int64_t total,
                                double elapsed_s, int width) {
    std::ostringstream out;
    if (!desc.empty()) out << desc << "  ";
    const double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0.0;
    if (total > 0) {
        const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
        const int filled = static_cast<int>(fraction * width);
        std::string bar(static_cast<size_t>(width), ' ');
        for (int i = 0; i < filled; ++i) bar[static_cast<size_t>(i)] = '=';
        if (filled < width) bar[static_cast<size_t>(filled)] = '>';
        out << done << '/' << total << " [" << bar << "] " << std::setw(3)
            << static_cast<int>(fraction * 100) << "% ";
    } else {
        out << done << ' ';
    }
    out << std::fixed << std::setprecision(1) << rate << " it/s " << clock_text(elapsed_s);
    if (total > 0) {
        const double remaining = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
        out << '<' << (rate > 0 || done >= total ? clock_text(remaining) : "?");
    }
    return out.str();
}

}  // namespace ember::data

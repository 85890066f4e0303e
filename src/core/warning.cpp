// The warning handler: by default stderr, each distinct message once.
#include "ember/core/warning.h"

#include <cstdio>
#include <mutex>
#include <unordered_set>

namespace ember {

namespace {

std::mutex& handler_mutex() {
    static std::mutex m;
    return m;
}

WarningHandler& current_handler() {
    static WarningHandler handler;
    return handler;
}

void print_once(const std::string& message) {
    static std::unordered_set<std::string> shown;  // guarded by handler_mutex()
    if (shown.insert(message).second) std::fprintf(stderr, "ember warning: %s\n", message.c_str());
}

}  // namespace

void warn(const std::string& message) {
    std::lock_guard<std::mutex> lock(handler_mutex());
    if (current_handler()) current_handler()(message);
    else print_once(message);
}

WarningHandler set_warning_handler(WarningHandler handler) {
    std::lock_guard<std::mutex> lock(handler_mutex());
    WarningHandler previous = std::move(current_handler());
    current_handler() = std::move(handler);
    return previous;
}

WarningCapture::WarningCapture()
    : previous_(set_warning_handler([this](const std::string& m) { messages_.push_back(m); })) {}

WarningCapture::~WarningCapture() { set_warning_handler(std::move(previous_)); }

bool WarningCapture::contains(const std::string& fragment) const {
    for (const std::string& m : messages_)
        if (m.find(fragment) != std::string::npos) return true;
    return false;
}

}  // namespace ember

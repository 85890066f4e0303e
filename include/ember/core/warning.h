// ember::warn: non-fatal notices (PyTorch's UserWarning), e.g. a scheduler stepped before its
// optimizer. By default each distinct message is printed to stderr once per process, as Python
// shows a warning once per place; a handler set with set_warning_handler() receives every one
// (WarningCapture collects them, as warnings.catch_warnings(record=True) does).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace ember {

using WarningHandler = std::function<void(const std::string& message)>;

// Reports a warning to the current handler.
void warn(const std::string& message);

// Installs `handler` (an empty one restores the default) and returns the previous one.
WarningHandler set_warning_handler(WarningHandler handler);

// Collects the warnings raised while it lives, instead of printing them.
class WarningCapture {
public:
    WarningCapture();
    ~WarningCapture();
    WarningCapture(const WarningCapture&) = delete;
    WarningCapture& operator=(const WarningCapture&) = delete;

    const std::vector<std::string>& messages() const { return messages_; }
    // Whether some warning contains `fragment`.
    bool contains(const std::string& fragment) const;

private:
    std::vector<std::string> messages_;
    WarningHandler previous_;
};

}  // namespace ember

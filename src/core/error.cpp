// Out-of-line throw helpers, so that the checks in hot paths stay small.
#include "ember/core/error.h"

namespace ember::detail {

void throw_error(const std::string& message) { throw Error(message); }

void internal_error(const char* file, int line, const char* cond, const std::string& message) {
    throw Error(str_cat("internal error in ember (please report it): ", file, ":", line,
                        ": assertion `", cond, "` failed", message.empty() ? "" : ": ", message));
}

}  // namespace ember::detail

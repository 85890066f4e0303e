// ember::Error and the checks that throw it.
//
// Every user error (bad shape, dtype, device, index...) is an ember::Error whose message names
// the op and the operands involved. EMBER_CHECK is for user errors; EMBER_ASSERT is for ember's
// own invariants (a failure there is a bug in ember, and says so).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace ember {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {

template <class... Args>
std::string str_cat(const Args&... args) {
    std::ostringstream ss;
    ((ss << args), ...);
    return ss.str();
}

[[noreturn]] void throw_error(const std::string& message);
[[noreturn]] void internal_error(const char* file, int line, const char* cond,
                                 const std::string& message);

}  // namespace detail
}  // namespace ember

// Throws ember::Error with the streamed arguments as message when cond is false.
#define EMBER_CHECK(cond, ...)                                                   \
    do {                                                                         \
        if (!(cond)) [[unlikely]]                                                \
            ::ember::detail::throw_error(::ember::detail::str_cat(__VA_ARGS__)); \
    } while (0)

// Unconditional user error.
#define EMBER_ERROR(...) ::ember::detail::throw_error(::ember::detail::str_cat(__VA_ARGS__))

// Internal invariant: a failure is a bug in ember, reported as such (still an exception).
#define EMBER_ASSERT(cond, ...)                                                          \
    do {                                                                                 \
        if (!(cond)) [[unlikely]]                                                        \
            ::ember::detail::internal_error(__FILE__, __LINE__, #cond,                   \
                                            ::ember::detail::str_cat("" __VA_ARGS__));   \
    } while (0)

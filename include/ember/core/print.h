// Print options for `std::cout << t` / `t.str()`, as torch.set_printoptions: the printer
// reproduces PyTorch's repr(t) byte for byte under the same options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ember {

// Arguments of set_printoptions; an unset field leaves that option as it is, except sci_mode
// (see set_printoptions). Filled with designated initializers, as Python's keyword arguments:
// `ember::set_printoptions({.precision = 2, .linewidth = 120})`.
struct PrintOptions {
    std::optional<int> precision;      // digits after the point (default 4)
    std::optional<int64_t> threshold;  // summarize (with "...") when numel > threshold (1000)
    std::optional<int> edgeitems;      // items kept at each end of a summarized dim (3)
    std::optional<int> linewidth;      // characters per line before wrapping (80)
    std::optional<bool> sci_mode;      // force scientific (true) or fixed (false) notation
    std::optional<std::string> profile;  // "default", "short" or "full", applied first
};

// torch.set_printoptions. The profile (if any) is applied first, then the given fields.
// As in PyTorch, every call sets sci_mode: to the given value, or back to automatic when it is
// unset, so `set_printoptions({.precision = 2})` also undoes an earlier `.sci_mode = false`.
// Profiles: "default" (precision 4, threshold 1000, edgeitems 3, linewidth 80), "short"
// (2, 1000, 2, 80), "full" (4, no summarization, 3, 80). Unlike PyTorch, an unknown profile,
// a negative precision or a negative edgeitems is an ember::Error (PyTorch ignores the first
// and fails or prints garbage later for the others); nothing changes when a call throws.
void set_printoptions(const PrintOptions& options);

// The current options: every field set except profile, and sci_mode unset while automatic.
// "Never summarize" (profile "full", Python's threshold=inf) reads as INT64_MAX.
PrintOptions print_options();

}  // namespace ember

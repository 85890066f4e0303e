// What the binary readers (.npy, safetensors) check in a file's bytes: the byte count a header's
// sizes imply, computed without overflow, so that it is compared with the bytes the file really
// has before anything is allocated; and bools stored as bytes other than 0 and 1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace ember::io::detail {

// The bytes of a tensor of these sizes, or nullopt when the sizes are negative or their
// product (zero sizes aside, as NumPy checks it) times `element_size` exceeds int64: such a
// shape has no tensor, even an empty one (its strides would overflow).
inline std::optional<uint64_t> shape_bytes(const std::vector<int64_t>& sizes, size_t element_size) {
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    uint64_t nonzero = element_size;
    bool empty = false;
    for (int64_t s : sizes) {
        if (s < 0) return std::nullopt;
        if (s == 0) {
            empty = true;
            continue;
        }
        if (nonzero > kMax / static_cast<uint64_t>(s)) return std::nullopt;
        nonzero *= static_cast<uint64_t>(s);
    }
    return empty ? 0 : nonzero;
}

// Bytes read into a bool tensor become 0 or 1: NumPy takes any nonzero byte as True, and a
// bool holding another value is undefined behaviour in C++.
inline void normalize_bools(void* data, size_t count) {
    auto* bytes = static_cast<unsigned char*>(data);
    for (size_t i = 0; i < count; ++i) bytes[i] = bytes[i] != 0;
}

}  // namespace ember::io::detail

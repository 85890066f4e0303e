// IDX reading: header checks, big-endian elements to host order.
#include "ember/vision/datasets/idx.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "ember/core/error.h"
#include "ember/ops/factory.h"
#include "vision/datasets/archive.h"

static_assert(std::endian::native == std::endian::little,
              "read_idx swaps big-endian elements to little-endian");

namespace ember::vision::datasets {

namespace {

struct IdxType {
    DType dtype;
    size_t bytes;
};

IdxType idx_type(unsigned code, const std::string& path) {
    switch (code) {
        case 0x08: return {DType::UInt8, 1};
        case 0x09: return {DType::Int8, 1};
        case 0x0B: return {DType::Int16, 2};
        case 0x0C: return {DType::Int32, 4};
        case 0x0D: return {DType::Float32, 4};
        case 0x0E: return {DType::Float64, 8};
        default: break;
    }
    EMBER_ERROR("read_idx: ", path, " has the unknown element type code 0x", std::hex, code,
                " (IDX codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, "
                "0x0E float64)");
}

uint32_t big_endian_u32(const unsigned char* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

}  // namespace

Tensor read_idx(const std::string& path) {
    std::string bytes = detail::read_file(path, "read_idx");
    if (detail::is_gzip(bytes)) bytes = detail::gunzip(bytes, path);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    EMBER_CHECK(bytes.size() >= 4, "read_idx: ", path, " is truncated: ", bytes.size(),
                " bytes, shorter than the 4-byte magic number");
    const uint32_t magic = big_endian_u32(p);
    EMBER_CHECK(p[0] == 0 && p[1] == 0, "read_idx: ", path, " has a wrong magic number 0x",
                std::hex, magic, std::dec,
                " (an IDX file begins with two zero bytes, a type code and a dimension count, "
                "e.g. 0x00000803 for uint8 images)");
    const IdxType type = idx_type(p[2], path);
    const unsigned dims = p[3];
    EMBER_CHECK(dims >= 1 && dims <= 3, "read_idx: ", path, " declares ", dims,
                " dimensions (magic 0x", std::hex, magic, std::dec, "); 1 to 3 are read");
    const size_t header = 4 + 4 * size_t(dims);
    EMBER_CHECK(bytes.size() >= header, "read_idx: ", path, " is truncated: ", bytes.size(),
                " bytes, shorter than its ", header, "-byte header");
    std::vector<int64_t> shape;
    for (unsigned d = 0; d < dims; ++d) shape.push_back(big_endian_u32(p + 4 + 4 * d));
    const size_t actual = bytes.size() - header;
    // The element count; a corrupt header's sizes may overflow the byte count (then SIZE_MAX).
    // The product of the nonzero sizes must fit even when one size is 0: it gives the strides.
    size_t count = 1;
    bool overflow = false, has_zero = false;
    for (int64_t size : shape) {
        if (size == 0) {
            has_zero = true;
            continue;
        }
        if (count > SIZE_MAX / 8 / size_t(size)) overflow = true;
        count *= size_t(size);
    }
    auto shape_text = [&] {
        std::string s = "[";
        for (size_t d = 0; d < shape.size(); ++d) s += (d ? ", " : "") + std::to_string(shape[d]);
        return s + "]";
    };
    EMBER_CHECK(!(has_zero && overflow), "read_idx: ", path, " declares the shape ", shape_text(),
                ", too large for any tensor");
    if (has_zero) count = 0;
    const size_t expected = overflow ? SIZE_MAX : count * type.bytes;
    EMBER_CHECK(actual >= expected, "read_idx: ", path, " is truncated: its header declares ",
                shape_text(), " (",
                expected == SIZE_MAX ? std::string("more") : std::to_string(expected),
                " bytes of data) but only ", actual, " bytes follow");
    EMBER_CHECK(actual == expected, "read_idx: ", path, " has ", actual - expected,
                " bytes after the ", expected, " bytes of data its header ", shape_text(),
                " declares");
    if (type.bytes == 1 && expected > 0) {
        // Bytes need no swapping: the tensor keeps the file's buffer (no copy of 47 MB for
        // MNIST's training images).
        auto* owner = new std::string(std::move(bytes));
        return from_blob(owner->data() + header, shape, [owner](void*) { delete owner; },
                         {.dtype = type.dtype});
    }
    Tensor out = empty(shape, {.dtype = type.dtype});
    auto* dst = static_cast<unsigned char*>(out.data_ptr());
    const unsigned char* src = p + header;
    if (expected == 0) {
        // Nothing to copy (an empty tensor may have no buffer at all).
    } else {
        for (size_t i = 0; i < count; ++i)
            for (size_t b = 0; b < type.bytes; ++b)
                dst[i * type.bytes + b] = src[i * type.bytes + type.bytes - 1 - b];
    }
    return out;
}

}  // namespace ember::vision::datasets

// The .npy and safetensors readers bound every size a header declares by the bytes the file
// has (or by what any tensor can have) before allocating: a header claiming 10^12 elements, or
// sizes whose byte count overflows 64 bits, is an ember::Error naming the file and the sizes.
// The files are crafted here (fuzzer findings and the bounds added for them), not written by
// NumPy or the safetensors library.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "ember/io/npy.h"
#include "ember/io/serialize.h"
#include "support/golden.h"

namespace ember::test {
namespace {

std::string scratch_file(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("ember_test_header_bounds_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

std::string write_bytes(const std::string& name, const std::string& bytes) {
    const std::string path = scratch_file(name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

// A version 1.0 .npy file: this header dict, padded as NumPy pads it, then `data`.
std::string npy_bytes(std::string dict, const std::string& data) {
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>(dict.size() >> 8);
    return out + dict + data;
}

// A safetensors file: the 8-byte little-endian header length, the JSON header, then `data`.
std::string safetensors_bytes(const std::string& header, const std::string& data) {
    std::string out;
    for (int b = 0; b < 8; ++b) out += static_cast<char>((header.size() >> (8 * b)) & 0xff);
    return out + header + data;
}

TEST(NpyHeaderBounds, ATrillionElementHeaderOverEightBytesIsAnError) {
    const std::string path = write_bytes(
        "trillion.npy",
        npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }",
                  std::string(8, '\0')));
    EXPECT_EMBER_ERROR(io::load_npy(path), "load_npy", path.c_str(), "truncated", "(1000000, 1000000)",
                       "8000000000000 bytes", "the file has 8");
    std::filesystem::remove(path);
}

TEST(NpyHeaderBounds, SizesWhoseByteCountOverflowsAreAnError) {
    // 2^32 x 2^32 elements: the element count wraps to 0 in 64 bits, which once read as an
    // empty array with no data.
    for (const char* shape : {"(4294967296, 4294967296)", "(0, 4294967296, 4294967296)",
                              "(2305843009213693952,)"}) {
        SCOPED_TRACE(shape);
        const std::string path = write_bytes(
            "overflow.npy", npy_bytes(std::string("{'descr': '<f8', 'fortran_order': False, "
                                                  "'shape': ") + shape + ", }", ""));
        EXPECT_EMBER_ERROR(io::load_npy(path), "load_npy", path.c_str(), shape, "too large for any tensor");
        std::filesystem::remove(path);
    }
}

TEST(NpyHeaderBounds, ASizeBeyondInt64IsAMalformedHeader) {
    // Once a std::out_of_range from std::stoll, not an ember::Error.
    const std::string path = write_bytes(
        "digits.npy",
        npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999999999999,), }", ""));
    EXPECT_EMBER_ERROR(io::load_npy(path), "load_npy", path.c_str(), "malformed header",
                       "a size beyond int64");
    std::filesystem::remove(path);
}

TEST(SafetensorsHeaderBounds, AShapeWhoseByteCountWrapsToZeroIsAnError) {
    // 2^62 x 4 float32 values are 2^66 bytes, 0 modulo 2^64: the empty data range once matched.
    const std::string path = write_bytes(
        "wrap.safetensors",
        safetensors_bytes(
            R"({"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}})", ""));
    EXPECT_EMBER_ERROR(load(path), "load", path.c_str(), "\"w\"", "[4611686018427387904, 4]",
                       "too large for any tensor");
    std::filesystem::remove(path);
}

TEST(SafetensorsHeaderBounds, ATrillionElementTensorOverEightBytesIsAnError) {
    const std::string path = write_bytes(
        "trillion.safetensors",
        safetensors_bytes(
            R"({"w":{"dtype":"F64","shape":[1000000,1000000],"data_offsets":[0,8]}})",
            std::string(8, '\0')));
    EXPECT_EMBER_ERROR(load(path), "load", path.c_str(), "\"w\"", "[1000000, 1000000]", "8 bytes of data");
    std::filesystem::remove(path);
}

TEST(SafetensorsHeaderBounds, SizesMustBeIntegersWithinInt64) {
    for (const char* size : {"1.5", "\"2\"", "18446744073709551615", "-1"}) {
        SCOPED_TRACE(size);
        const std::string path = write_bytes(
            "sizes.safetensors",
            safetensors_bytes(std::string(R"({"w":{"dtype":"U8","shape":[)") + size +
                                  R"(],"data_offsets":[0,0]}})",
                              ""));
        EXPECT_EMBER_ERROR(load(path), "load", path.c_str(), "\"w\"");
        std::filesystem::remove(path);
    }
}

TEST(BoolBytes, NonzeroBytesReadAsTrue) {
    // NumPy and safetensors writers store 0 and 1, but a file may hold any byte: a bool tensor
    // holding 2 or 255 is undefined behaviour, so they read as true (NumPy's reading).
    const std::string data("\x00\x02\xff\x01", 4);
    const std::string npy = write_bytes(
        "bools.npy", npy_bytes("{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }", data));
    const std::string st = write_bytes(
        "bools.safetensors",
        safetensors_bytes(R"({"b":{"dtype":"BOOL","shape":[4],"data_offsets":[0,4]}})", data));
    for (const Tensor& t : {io::load_npy(npy), load(st)["b"]}) {
        ASSERT_EQ(t.dtype(), DType::Bool);
        const auto* bytes = static_cast<const unsigned char*>(t.data_ptr());
        EXPECT_EQ(std::vector<int>(bytes, bytes + 4), (std::vector<int>{0, 1, 1, 1}));
    }
    std::filesystem::remove(npy);
    std::filesystem::remove(st);
}

}  // namespace
}  // namespace ember::test

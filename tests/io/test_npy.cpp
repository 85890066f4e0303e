// .npy files: files written by NumPy (tools/golden/io_npy.py), byte-identical writing, round
// trips for every dtype and order, and the error paths.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/golden.h"

namespace ember::test {
namespace {

using io::load_npy;
using io::save_npy;

std::string npy_file(const std::string& name) {
    return std::string(EMBER_GOLDEN_DIR) + "/../data/npy/" + name + ".npy";
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("ember_test_npy_" + name + ".npy")).string();
}

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(Npy, ReadsFilesWrittenByNumPy) {
    const json golden = load_golden("io_npy");
    for (const auto& [name, entry] : golden["arrays"].items()) {
        SCOPED_TRACE(name);
        const Tensor expected = tensor_from_json(entry["tensor"]);
        const Tensor actual = load_npy(npy_file(name));
        EXPECT_TRUE(actual.is_contiguous());
        if (expected.is_floating_point())
            EXPECT_TENSOR_CLOSE(actual, expected, 0.0, 0.0);
        else
            EXPECT_TENSOR_EQ(actual, expected);
    }
}

TEST(Npy, WritesTheSameBytesAsNumPySave) {
    const json golden = load_golden("io_npy");
    for (const auto& [name, entry] : golden["arrays"].items()) {
        // These were written by numpy.lib.format with a forced version or byte order.
        if (name == "v2" || name == "v3" || name == "big_endian") continue;
        SCOPED_TRACE(name);
        const std::string path = temp_path("same_bytes");
        save_npy(load_npy(npy_file(name)), path, {.fortran_order = entry["fortran_order"].get<bool>()});
        EXPECT_EQ(bytes_of(path), bytes_of(npy_file(name)));
        std::filesystem::remove(path);
    }
}

TEST(Npy, RoundTripsEveryDtypeInBothOrders) {
    const DType dtypes[] = {DType::Bool,  DType::UInt8,   DType::Int8,    DType::Int16,
                            DType::Int32, DType::Int64,   DType::Float16, DType::Float32,
                            DType::Float64};
    const std::string path = temp_path("round_trip");
    for (DType dtype : dtypes) {
        for (bool fortran : {false, true}) {
            SCOPED_TRACE(std::string(dtype_name(dtype)) + (fortran ? " fortran" : " C"));
            // Values that fit every dtype; bool takes them as nonzero/zero.
            const Tensor t = (arange(24, {.dtype = DType::Int64}).remainder(5) - 1)
                                 .to(dtype).reshape({2, 3, 4});
            save_npy(t, path, {.fortran_order = fortran});
            EXPECT_TENSOR_EQ(load_npy(path), t);
            // A non-contiguous view is written as its values.
            const Tensor view = t.transpose(0, 2).narrow(0, 1, 2);
            save_npy(view, path, {.fortran_order = fortran});
            EXPECT_TENSOR_EQ(load_npy(path), view.contiguous());
        }
    }
    for (const Tensor& t : {tensor(std::vector<double>{3.5}).reshape({}), zeros({0, 3}),
                            zeros({2, 0, 1}, {.dtype = DType::Int16})}) {
        save_npy(t, path, {.fortran_order = true});
        EXPECT_TENSOR_EQ(load_npy(path), t);
        save_npy(t, path);
        EXPECT_TENSOR_EQ(load_npy(path), t);
    }
    std::filesystem::remove(path);
}

TEST(Npy, SaveLeavesNoTemporaryFileBehind) {
    const auto dir = std::filesystem::temp_directory_path() / "ember_test_npy_atomic";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    save_npy(ones({3}), (dir / "a.npy").string());
    save_npy(ones({4}), (dir / "a.npy").string());  // replaces the file
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
    EXPECT_EQ(load_npy((dir / "a.npy").string()).numel(), 4);
    std::filesystem::remove_all(dir);
}

TEST(Npy, Errors) {
    EXPECT_EMBER_ERROR(save_npy(ones({2}, {.dtype = DType::BFloat16}), temp_path("bf16")),
                       "save_npy", "bfloat16", "NumPy");
    EXPECT_FALSE(std::filesystem::exists(temp_path("bf16")));
    EXPECT_EMBER_ERROR(save_npy(Tensor(), temp_path("undefined")), "save_npy");
    EXPECT_EMBER_ERROR(save_npy(ones({2}), "/nonexistent-dir/x.npy"), "save_npy", "cannot create");
    EXPECT_EMBER_ERROR(load_npy("/nonexistent-dir/x.npy"), "load_npy", "cannot open", "x.npy");

    const std::string path = temp_path("bad");
    write_bytes(path, "not a numpy file at all");
    EXPECT_EMBER_ERROR(load_npy(path), "load_npy", "is not a .npy file");

    // A valid header whose data is cut short.
    std::string good = bytes_of(npy_file("int64"));
    write_bytes(path, good.substr(0, good.size() - 3));
    EXPECT_EMBER_ERROR(load_npy(path), "load_npy", "truncated", "(3,)", "<i8");

    // A header cut short, an unsupported version, and dtypes ember lacks.
    write_bytes(path, good.substr(0, 40));
    EXPECT_EMBER_ERROR(load_npy(path), "load_npy", "truncated");
    std::string v9 = good;
    v9[6] = 9;
    write_bytes(path, v9);
    EXPECT_EMBER_ERROR(load_npy(path), "load_npy", "version 9");
    for (const char* descr : {"<c8", "<u4", "<U3"}) {
        std::string bad = good;
        const size_t at = bad.find("<i8");
        bad.replace(at, 3, descr);
        write_bytes(path, bad);
        EXPECT_EMBER_ERROR(load_npy(path), "load_npy", "dtype");
    }
    std::string malformed = good;
    malformed.replace(malformed.find("'shape'"), 7, "'shapf'");
    write_bytes(path, malformed);
    EXPECT_EMBER_ERROR(load_npy(path), "load_npy", "malformed header", "shapf");
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace ember::test

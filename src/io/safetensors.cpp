// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each
// name to {dtype, shape, data_offsets}, then the tensors' bytes back to back (row-major,
// little-endian), every byte of the buffer belonging to exactly one tensor.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "ember/io/serialize.h"
#include "ember/ops/factory.h"
#include "io/atomic_file.h"
#include "io/reader_checks.h"
#include "ops/util.h"

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian data; big-endian hosts need byte swapping");

namespace ember {

namespace {

using json = nlohmann::json;

// Headers beyond this are refused (the reference implementation's limit).
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

const char* safetensors_dtype(DType dtype) {
    switch (dtype) {
        case DType::Bool: return "BOOL";
        case DType::UInt8: return "U8";
        case DType::Int8: return "I8";
        case DType::Int16: return "I16";
        case DType::Int32: return "I32";
        case DType::Int64: return "I64";
        case DType::Float16: return "F16";
        case DType::BFloat16: return "BF16";
        case DType::Float32: return "F32";
        case DType::Float64: return "F64";
    }
    EMBER_ERROR("save: dtype ", dtype, " has no safetensors name");
}

DType dtype_from_safetensors(const std::string& name, const std::string& path,
                             const std::string& key) {
    static const std::pair<const char*, DType> table[] = {
        {"BOOL", DType::Bool},    {"U8", DType::UInt8},      {"I8", DType::Int8},
        {"I16", DType::Int16},    {"I32", DType::Int32},     {"I64", DType::Int64},
        {"F16", DType::Float16},  {"BF16", DType::BFloat16}, {"F32", DType::Float32},
        {"F64", DType::Float64},
    };
    for (const auto& [n, d] : table)
        if (name == n) return d;
    EMBER_ERROR("load: ", path, ": tensor \"", key, "\" has dtype ", name,
                ", which ember does not support (BOOL, U8, I8, I16, I32, I64, F16, BF16, F32, F64)");
}

std::vector<char> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    EMBER_CHECK(in, "load: cannot open ", path, ": ", std::strerror(errno));
    const std::streamsize size = in.tellg();
    std::vector<char> bytes(static_cast<size_t>(std::max<std::streamsize>(size, 0)));
    in.seekg(0);
    EMBER_CHECK(in.read(bytes.data(), size), "load: cannot read ", path);
    return bytes;
}

struct Parsed {
    json header;
    size_t buffer_begin = 0;
};

Parsed parse(const std::vector<char>& bytes, const std::string& path) {
    EMBER_CHECK(bytes.size() >= 8, "load: ", path, " is not a safetensors file (", bytes.size(),
                " bytes, shorter than the 8-byte header length)");
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    EMBER_CHECK(n <= kMaxHeaderBytes && n <= bytes.size() - 8, "load: ", path,
                " is not a safetensors file or is truncated (header length ", n, " for a file of ",
                bytes.size(), " bytes)");
    Parsed p;
    try {
        p.header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<ptrdiff_t>(n));
    } catch (const json::exception& e) {
        EMBER_ERROR("load: ", path, ": the header is not valid JSON (", e.what(), ")");
    }
    EMBER_CHECK(p.header.is_object(), "load: ", path, ": the header is not a JSON object");
    p.buffer_begin = 8 + static_cast<size_t>(n);
    return p;
}

}  // namespace

void save(const OrderedDict<Tensor>& tensors, const std::string& path,
          const std::map<std::string, std::string>& metadata) {
    json header = json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::vector<Tensor> contiguous;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        EMBER_CHECK(name != "__metadata__", "save: \"__metadata__\" is reserved and can't name a tensor");
        t.check_defined("save");
        Tensor c = t.detach().to(kCPU).contiguous();
        const uint64_t nbytes = static_cast<uint64_t>(c.numel()) * element_size(c.dtype());
        header[name] = {{"dtype", safetensors_dtype(c.dtype())},
                        {"shape", std::vector<int64_t>(c.sizes().begin(), c.sizes().end())},
                        {"data_offsets", {offset, offset + nbytes}}};
        offset += nbytes;
        contiguous.push_back(std::move(c));
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
    const uint64_t n = text.size();

    std::vector<std::string_view> pieces{std::string_view(reinterpret_cast<const char*>(&n), 8),
                                         text};
    for (const Tensor& c : contiguous)
        if (c.numel() > 0)
            pieces.emplace_back(static_cast<const char*>(c.data_ptr()),
                                static_cast<size_t>(c.numel()) * element_size(c.dtype()));
    io::detail::write_file_atomically(path, pieces, "save");
}

OrderedDict<Tensor> load(const std::string& path) {
    const std::vector<char> bytes = read_file(path);
    const Parsed p = parse(bytes, path);
    const uint64_t buffer_size = bytes.size() - p.buffer_begin;
    struct Entry {
        std::string name;
        DType dtype;
        DimVector shape;
        uint64_t begin, end;
    };
    std::vector<Entry> entries;
    for (const auto& [name, info] : p.header.items()) {
        if (name == "__metadata__") continue;
        try {
            Entry e{name, dtype_from_safetensors(info.at("dtype").get<std::string>(), path, name),
                    {}, 0, 0};
            std::vector<int64_t> sizes;
            for (const auto& d : info.at("shape")) {
                EMBER_CHECK(d.is_number_integer(), "load: ", path, ": tensor \"", name,
                            "\" has the size ", d.dump(), ", not an integer");
                const int64_t s = d.get<int64_t>();
                EMBER_CHECK(s >= 0 && !(d.is_number_unsigned() && d.get<uint64_t>() > uint64_t(s)),
                            "load: ", path, ": tensor \"", name, "\" has the size ", d.dump(),
                            ", which is negative or beyond int64");
                sizes.push_back(s);
            }
            // (compared with the bytes the entry has before any allocation)
            const std::optional<uint64_t> nbytes = io::detail::shape_bytes(
                sizes, static_cast<size_t>(element_size(e.dtype)));
            EMBER_CHECK(nbytes.has_value(), "load: ", path, ": tensor \"", name, "\" has shape ",
                        shape_str(sizes), ", too large for any tensor");
            e.shape = DimVector(sizes.begin(), sizes.end());
            const auto& offsets = info.at("data_offsets");
            EMBER_CHECK(offsets.size() == 2, "load: ", path, ": tensor \"", name,
                        "\": data_offsets must be [begin, end]");
            e.begin = offsets[0].get<uint64_t>();
            e.end = offsets[1].get<uint64_t>();
            EMBER_CHECK(e.begin <= e.end && e.end <= buffer_size, "load: ", path, ": tensor \"",
                        name, "\" lies outside the file (bytes ", e.begin, " to ", e.end, " of ",
                        buffer_size, "); the file is truncated or corrupt");
            EMBER_CHECK(e.end - e.begin == *nbytes,
                        "load: ", path, ": tensor \"", name, "\" has shape ", shape_str(e.shape),
                        " and dtype ", e.dtype, " but ", e.end - e.begin, " bytes of data");
            entries.push_back(std::move(e));
        } catch (const nlohmann::json::exception& ex) {
            EMBER_ERROR("load: ", path, ": malformed entry for tensor \"", name, "\" (",
                        ex.what(), ")");
        }
    }
    // The tensors must tile the data buffer exactly, as the format requires.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.begin < b.begin || (a.begin == b.begin && a.end < b.end); });
    uint64_t expected = 0;
    for (const Entry& e : entries) {
        EMBER_CHECK(e.begin == expected, "load: ", path, ": tensor \"", e.name, "\" starts at byte ",
                    e.begin, " where ", expected, " was expected (overlapping or missing data)");
        expected = e.end;
    }
    EMBER_CHECK(expected == buffer_size, "load: ", path, ": ", buffer_size - expected,
                " bytes of data belong to no tensor");
    OrderedDict<Tensor> out;
    for (const Entry& e : entries) {
        Tensor t = empty(e.shape, {.dtype = e.dtype});
        if (e.end > e.begin)
            std::memcpy(t.data_ptr(), bytes.data() + p.buffer_begin + e.begin, e.end - e.begin);
        if (e.dtype == DType::Bool) io::detail::normalize_bools(t.data_ptr(), e.end - e.begin);
        out.insert(e.name, std::move(t));
    }
    return out;
}

std::map<std::string, std::string> load_metadata(const std::string& path) {
    const Parsed p = parse(read_file(path), path);
    if (!p.header.contains("__metadata__")) return {};
    try {
        return p.header.at("__metadata__").get<std::map<std::string, std::string>>();
    } catch (const nlohmann::json::exception& e) {
        EMBER_ERROR("load: ", path, ": __metadata__ must map strings to strings (", e.what(), ")");
    }
}

}  // namespace ember

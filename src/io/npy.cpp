// NumPy's .npy format: the magic "\x93NUMPY", a version, a little-endian header length (2 bytes
// in 1.0, 4 in 2.0 and 3.0), a Python dict literal {'descr', 'fortran_order', 'shape'} padded
// with spaces and a newline to a multiple of 64 bytes, then the raw array data.
#include "ember/io/npy.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "ember/ops/factory.h"
#include "io/atomic_file.h"
#include "io/reader_checks.h"

static_assert(std::endian::native == std::endian::little,
              "the .npy writer stores little-endian data; big-endian hosts need byte swapping");

namespace ember::io {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kAlign = 64;
// NumPy leaves room for the leading (C order) or trailing (Fortran order) axis to grow in place.
constexpr size_t kGrowthAxisMaxDigits = 21;

// NumPy's type string for each ember dtype ('|' where byte order does not apply).
const char* npy_descr(DType dtype) {
    switch (dtype) {
        case DType::Bool: return "|b1";
        case DType::UInt8: return "|u1";
        case DType::Int8: return "|i1";
        case DType::Int16: return "<i2";
        case DType::Int32: return "<i4";
        case DType::Int64: return "<i8";
        case DType::Float16: return "<f2";
        case DType::Float32: return "<f4";
        case DType::Float64: return "<f8";
        case DType::BFloat16: break;
    }
    EMBER_ERROR("save_npy: bfloat16 has no NumPy dtype; convert first (t.to(ember::float32))");
}

// Python's repr of a shape tuple: "()", "(3,)", "(2, 3)".
std::string shape_repr(IntArrayRef shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

// The header exactly as numpy.save writes it (same key order, growth padding and alignment).
std::string npy_header(DType dtype, IntArrayRef shape, bool fortran_order) {
    std::string dict = std::string("{'descr': '") + npy_descr(dtype) + "', 'fortran_order': " +
                       (fortran_order ? "True" : "False") + ", 'shape': " + shape_repr(shape) +
                       ", }";
    if (!shape.empty()) {
        const size_t digits = std::to_string(shape[fortran_order ? shape.size() - 1 : 0]).size();
        dict.append(kGrowthAxisMaxDigits - std::min(digits, kGrowthAxisMaxDigits), ' ');
    }
    for (int major = 1; major <= 2; ++major) {
        const size_t len_bytes = major == 1 ? 2 : 4;
        const size_t hlen = dict.size() + 1;
        const size_t pad = kAlign - (kMagicLen + 2 + len_bytes + hlen) % kAlign;
        const uint64_t total = hlen + pad;
        if (major == 1 && total >= 65536) continue;
        std::string out(kMagic, kMagicLen);
        out += static_cast<char>(major);
        out += '\0';
        for (size_t b = 0; b < len_bytes; ++b) out += static_cast<char>((total >> (8 * b)) & 0xff);
        out += dict;
        out.append(pad, ' ');
        out += '\n';
        return out;
    }
    EMBER_ERROR("save_npy: header of ", dict.size(), " bytes is too large");
}

std::vector<char> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    EMBER_CHECK(in, "load_npy: cannot open ", path, ": ", std::strerror(errno));
    const std::streamsize size = in.tellg();
    std::vector<char> bytes(static_cast<size_t>(std::max<std::streamsize>(size, 0)));
    in.seekg(0);
    EMBER_CHECK(in.read(bytes.data(), size), "load_npy: cannot read ", path);
    return bytes;
}

// A reader for the small Python literal subset the header uses: strings, True/False, tuples
// of integers, inside one dict.
class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& path) : s_(text), path_(path) {}

    void skip_space() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    bool accept(char c) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!accept(c)) fail(std::string("expected '") + c + "'");
    }
    std::string string() {
        skip_space();
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) fail("expected a string");
        const char q = s_[i_++];
        const size_t end = s_.find(q, i_);
        if (end == std::string_view::npos) fail("unterminated string");
        std::string out(s_.substr(i_, end - i_));
        i_ = end + 1;
        return out;
    }
    bool boolean() {
        skip_space();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const size_t n = std::strlen(word);
            if (s_.substr(i_, n) == word) {
                i_ += n;
                return value;
            }
        }
        fail("expected True or False");
    }
    std::vector<int64_t> tuple() {
        expect('(');
        std::vector<int64_t> out;
        while (!accept(')')) {
            skip_space();
            size_t start = i_;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
            if (start == i_) fail("expected a non-negative integer in the shape");
            int64_t size = 0;
            for (size_t k = start; k < i_; ++k) {
                const int digit = s_[k] - '0';
                if (size > (std::numeric_limits<int64_t>::max() - digit) / 10)
                    fail("a size beyond int64 in the shape");
                size = size * 10 + digit;
            }
            out.push_back(size);
            accept('L');  // Python 2 long suffix
            if (!accept(',')) {
                expect(')');
                break;
            }
        }
        return out;
    }
    [[noreturn]] void fail(const std::string& what) const {
        EMBER_ERROR("load_npy: ", path_, ": malformed header (", what, " at character ", i_,
                    " of \"", s_, "\")");
    }

private:
    std::string_view s_;
    const std::string& path_;
    size_t i_ = 0;
};

struct Header {
    std::string descr;
    bool fortran_order = false;
    std::vector<int64_t> shape;
};

Header parse_header(std::string_view text, const std::string& path) {
    HeaderParser p(text, path);
    Header h;
    bool seen[3] = {false, false, false};
    p.expect('{');
    while (!p.accept('}')) {
        const std::string key = p.string();
        p.expect(':');
        if (key == "descr") {
            h.descr = p.string();
            seen[0] = true;
        } else if (key == "fortran_order") {
            h.fortran_order = p.boolean();
            seen[1] = true;
        } else if (key == "shape") {
            h.shape = p.tuple();
            seen[2] = true;
        } else {
            p.fail("unknown key '" + key + "'");
        }
        if (!p.accept(',')) {
            p.expect('}');
            break;
        }
    }
    if (!(seen[0] && seen[1] && seen[2])) p.fail("'descr', 'fortran_order' and 'shape' are required");
    return h;
}

// dtype and whether the data is big-endian, from a type string such as '<f4' or '|b1'.
std::pair<DType, bool> dtype_from_descr(const std::string& descr, const std::string& path) {
    static const std::pair<const char*, DType> table[] = {
        {"b1", DType::Bool},  {"u1", DType::UInt8},   {"i1", DType::Int8},
        {"i2", DType::Int16}, {"i4", DType::Int32},   {"i8", DType::Int64},
        {"f2", DType::Float16}, {"f4", DType::Float32}, {"f8", DType::Float64},
    };
    std::string body = descr;
    bool big_endian = false;
    if (!body.empty() && (body[0] == '<' || body[0] == '>' || body[0] == '|' || body[0] == '=')) {
        big_endian = body[0] == '>';
        body = body.substr(1);
    }
    for (const auto& [name, dtype] : table)
        if (body == name) return {dtype, big_endian && element_size(dtype) > 1};
    EMBER_ERROR("load_npy: ", path, ": NumPy dtype '", descr,
                "' has no ember equivalent (supported: b1, u1, i1, i2, i4, i8, f2, f4, f8)");
}

}  // namespace

void save_npy(const Tensor& t, const std::string& path, const NpySaveOptions& options) {
    t.check_defined("save_npy");
    const std::string header = npy_header(t.dtype(), t.sizes(), options.fortran_order);
    Tensor data = t.detach().to(kCPU);
    if (options.fortran_order && data.dim() > 1) {
        std::vector<int64_t> reversed(static_cast<size_t>(data.dim()));
        for (int64_t d = 0; d < data.dim(); ++d) reversed[static_cast<size_t>(d)] = data.dim() - 1 - d;
        data = data.permute(reversed);
    }
    data = data.contiguous();

    std::vector<std::string_view> pieces{header};
    if (data.numel() > 0)
        pieces.emplace_back(static_cast<const char*>(data.data_ptr()),
                            static_cast<size_t>(data.nbytes()));
    io::detail::write_file_atomically(path, pieces, "save_npy");
}

Tensor load_npy(const std::string& path) {
    const std::vector<char> bytes = read_file(path);
    EMBER_CHECK(bytes.size() >= kMagicLen + 4 && std::memcmp(bytes.data(), kMagic, kMagicLen) == 0,
                "load_npy: ", path, " is not a .npy file (no \\x93NUMPY magic)");
    const int major = static_cast<unsigned char>(bytes[6]);
    EMBER_CHECK(major >= 1 && major <= 3, "load_npy: ", path, ": unsupported format version ",
                major, ".", static_cast<int>(static_cast<unsigned char>(bytes[7])),
                " (1.0, 2.0 and 3.0 are read)");
    const size_t len_bytes = major == 1 ? 2 : 4;
    EMBER_CHECK(bytes.size() >= kMagicLen + 2 + len_bytes, "load_npy: ", path, " is truncated");
    uint64_t hlen = 0;
    for (size_t b = 0; b < len_bytes; ++b)
        hlen |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[kMagicLen + 2 + b])) << (8 * b);
    const size_t data_begin = kMagicLen + 2 + len_bytes + hlen;
    EMBER_CHECK(data_begin <= bytes.size(), "load_npy: ", path, " is truncated (header of ", hlen,
                " bytes in a file of ", bytes.size(), ")");
    const Header h = parse_header(
        std::string_view(bytes.data() + kMagicLen + 2 + len_bytes, hlen), path);
    const auto [dtype, big_endian] = dtype_from_descr(h.descr, path);

    // Fortran order: the bytes are the row-major data of the transposed array.
    std::vector<int64_t> stored = h.shape;
    if (h.fortran_order) std::reverse(stored.begin(), stored.end());
    const std::optional<uint64_t> shape_bytes =
        detail::shape_bytes(stored, static_cast<size_t>(element_size(dtype)));
    EMBER_CHECK(shape_bytes.has_value(), "load_npy: ", path, ": shape ", shape_repr(h.shape),
                " of ", h.descr, " is too large for any tensor (the file has ",
                bytes.size() - data_begin, " bytes of data)");
    const uint64_t nbytes = *shape_bytes;
    const uint64_t numel = nbytes / static_cast<uint64_t>(element_size(dtype));
    EMBER_CHECK(bytes.size() - data_begin >= nbytes, "load_npy: ", path, " is truncated: shape ",
                shape_repr(h.shape), " of ", h.descr, " needs ", nbytes, " bytes of data, the file has ",
                bytes.size() - data_begin);
    Tensor t = empty(stored, {.dtype = dtype});
    if (nbytes > 0) std::memcpy(t.data_ptr(), bytes.data() + data_begin, nbytes);
    if (dtype == DType::Bool) detail::normalize_bools(t.data_ptr(), nbytes);
    if (big_endian) {
        auto* p = static_cast<unsigned char*>(t.data_ptr());
        const size_t size = static_cast<size_t>(element_size(dtype));
        for (uint64_t i = 0; i < numel; ++i) std::reverse(p + i * size, p + (i + 1) * size);
    }
    if (h.fortran_order && t.dim() > 1) {
        std::vector<int64_t> reversed(static_cast<size_t>(t.dim()));
        for (int64_t d = 0; d < t.dim(); ++d) reversed[static_cast<size_t>(d)] = t.dim() - 1 - d;
        t = t.permute(reversed).contiguous();
    }
    return t;
}

}  // namespace ember::io

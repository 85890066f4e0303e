// Files and archives: whole-file I/O, gzip through zlib, and minimal tar and zip readers.
#include "vision/datasets/archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <utility>

#include "ember/core/error.h"

namespace ember::vision::datasets::detail {

namespace fs = std::filesystem;

std::string read_file(const std::string& path, const std::string& who) {
    std::error_code ec;
    EMBER_CHECK(!fs::is_directory(path, ec), who, ": ", path, " is a folder, not a file");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    EMBER_CHECK(in.good(), who, ": cannot open ", path, " (", std::strerror(errno), ")");
    // One read of the whole file (a byte-at-a-time stream copy took 40% of decoding MNIST).
    const std::streamsize size = in.tellg();
    EMBER_CHECK(size >= 0, who, ": cannot tell the size of ", path);
    std::string bytes(static_cast<size_t>(size), '\0');
    in.seekg(0);
    in.read(bytes.data(), size);
    EMBER_CHECK(in.gcount() == size, who, ": error while reading ", path, " (read ", in.gcount(),
                " of ", size, " bytes)");
    return bytes;
}

void write_file(const std::string& path, std::string_view bytes) {
    const fs::path target(path);
    std::error_code ec;
    // A folder that cannot be made (a file of that name is in the way): an error naming it.
    if (target.has_parent_path() && !fs::create_directories(target.parent_path(), ec) && ec)
        EMBER_ERROR("cannot create the folder ", target.parent_path().string(), " for ", path,
                    " (", ec.message(), ")");
    std::random_device rd;
    const std::string temp = path + ".part" + std::to_string(rd());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        EMBER_CHECK(out.good(), "cannot write ", temp, " (", std::strerror(errno), ")");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        EMBER_CHECK(out.good(), "error while writing ", temp);
    }
    fs::rename(temp, target, ec);
    if (ec) {
        fs::remove(temp, ec);
        EMBER_ERROR("cannot move ", temp, " to ", path);
    }
}

bool file_exists(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool is_gzip(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(std::string_view bytes, const std::string& path) {
    std::string out;
    // The trailer's ISIZE (the size modulo 2^32) is a good first guess for the output; capped,
    // since a truncated file's last bytes are no trailer.
    if (bytes.size() >= 18) {
        const auto* t = reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size() - 4);
        const size_t isize = uint32_t(t[0]) | uint32_t(t[1]) << 8 | uint32_t(t[2]) << 16 |
                             uint32_t(t[3]) << 24;
        out.reserve(std::min(isize, 16 * bytes.size()));
    }
    z_stream zs{};
    // 16 + MAX_WBITS: a gzip header and trailer around the deflate stream.
    EMBER_CHECK(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, "gunzip: zlib initialisation failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    char buffer[1 << 16];
    int rc = Z_OK;
    while (true) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof(buffer);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof(buffer) - zs.avail_out);
        if (rc == Z_STREAM_END) {
            // Another gzip member may follow (concatenated .gz files decompress to the join).
            if (zs.avail_in == 0) break;
            if (!is_gzip(std::string_view(reinterpret_cast<const char*>(zs.next_in), zs.avail_in)))
                break;
            inflateReset(&zs);
            continue;
        }
        if (rc != Z_OK) break;
        if (zs.avail_in == 0 && zs.avail_out != 0) {
            rc = Z_BUF_ERROR;
            break;
        }
    }
    const std::string message = zs.msg ? zs.msg : "";
    inflateEnd(&zs);
    EMBER_CHECK(rc == Z_STREAM_END, "gunzip: ", path,
                rc == Z_BUF_ERROR ? " is truncated (the gzip stream ends early)"
                                  : " is not a valid gzip file",
                message.empty() ? "" : " (zlib: " + message + ")");
    return out;
}

namespace {

// A tar header number: octal digits (NUL or space terminated), or GNU's base-256 form.
uint64_t tar_number(const char* field, size_t length) {
    if (static_cast<unsigned char>(field[0]) & 0x80) {
        uint64_t v = 0;
        for (size_t i = 1; i < length; ++i) v = (v << 8) | static_cast<unsigned char>(field[i]);
        return v;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < length && field[i] != '\0' && field[i] != ' '; ++i) {
        if (field[i] < '0' || field[i] > '7') return UINT64_MAX;
        v = v * 8 + uint64_t(field[i] - '0');
    }
    return v;
}

std::string field_string(const char* field, size_t length) {
    return std::string(field, strnlen(field, length));
}

// "path" from a pax extended header's "<length> path=<value>\n" records.
std::string pax_path(std::string_view records) {
    std::string result;
    size_t pos = 0;
    while (pos < records.size()) {
        const size_t space = records.find(' ', pos);
        if (space == std::string_view::npos) break;
        const size_t length = std::strtoull(std::string(records.substr(pos, space - pos)).c_str(),
                                            nullptr, 10);
        // A record is "<length> <key>=<value>\n": its length covers the space and the newline.
        if (length < space - pos + 2 || length > records.size() - pos) break;
        const std::string_view record = records.substr(space + 1, pos + length - space - 2);
        if (record.starts_with("path=")) result = std::string(record.substr(5));
        pos += length;
    }
    return result;
}

}  // namespace

std::vector<ArchiveMember> read_tar(std::string_view bytes, const std::string& path) {
    std::vector<ArchiveMember> members;
    size_t pos = 0;
    std::string long_name;
    while (true) {
        EMBER_CHECK(pos + 512 <= bytes.size(), "tar: ", path,
                    " is truncated (no end-of-archive block after ", members.size(), " files)");
        const char* header = bytes.data() + pos;
        if (std::all_of(header, header + 512, [](char c) { return c == 0; })) break;
        unsigned checksum = 0;
        for (size_t i = 0; i < 512; ++i)
            checksum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
        EMBER_CHECK(tar_number(header + 148, 8) == checksum, "tar: ", path,
                    " has a corrupt header at byte ", pos, " (checksum mismatch)");
        const uint64_t size = tar_number(header + 124, 12);
        // (size compared with what is left: a corrupt size near 2^64 must not wrap around)
        EMBER_CHECK(size <= bytes.size() - pos - 512, "tar: ", path,
                    " is truncated inside the member at byte ", pos, " (its header declares ",
                    size == UINT64_MAX ? std::string("an unreadable size") : std::to_string(size) + " bytes",
                    ", ", bytes.size() - pos - 512, " follow)");
        const char type = header[156];
        std::string name = field_string(header, 100);
        if (std::memcmp(header + 257, "ustar", 5) == 0) {
            const std::string prefix = field_string(header + 345, 155);
            if (!prefix.empty()) name = prefix + "/" + name;
        }
        const std::string_view body = bytes.substr(pos + 512, size);
        pos += 512 + (size + 511) / 512 * 512;
        if (type == 'L') {  // GNU long name: the next member's name
            long_name = field_string(body.data(), body.size());
            continue;
        }
        if (type == 'x') {  // pax extended header for the next member
            long_name = pax_path(body);
            continue;
        }
        if (type == 'g') continue;
        if (!long_name.empty()) name = std::exchange(long_name, std::string());
        if (type == '0' || type == '\0' || type == '7') members.push_back({name, std::string(body)});
    }
    return members;
}

namespace {

uint32_t le(std::string_view b, size_t pos, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[pos + size_t(i)]);
    return v;
}

// Deflate codes at most 258 bytes in 2 bits: no member inflates more than 1032-fold.
constexpr size_t kMaxDeflateRatio = 1032;

std::string inflate_raw(std::string_view compressed, size_t expected, const std::string& what) {
    // The size comes from the archive's directory: bounded by what the data can give before it
    // is allocated.
    EMBER_CHECK(expected <= kMaxDeflateRatio * compressed.size() + kMaxDeflateRatio, "unzip: ",
                what, " is corrupt: it declares ", expected, " bytes from ", compressed.size(),
                " compressed bytes, more than deflate can produce");
    std::string out(expected, '\0');
    z_stream zs{};
    EMBER_CHECK(inflateInit2(&zs, -MAX_WBITS) == Z_OK, "unzip: zlib initialisation failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&zs, Z_FINISH);
    const size_t produced = out.size() - zs.avail_out;
    inflateEnd(&zs);
    EMBER_CHECK(rc == Z_STREAM_END && produced == expected, "unzip: ", what, " is corrupt");
    return out;
}

}  // namespace

std::vector<ArchiveMember> read_zip(std::string_view bytes, const std::string& path) {
    // The end-of-central-directory record: the last "PK\5\6" within the final 64 KiB + 22 bytes.
    size_t eocd = std::string_view::npos;
    for (size_t i = bytes.size() >= 22 ? bytes.size() - 22 + 1 : 0; i-- > 0;) {
        if (bytes.compare(i, 4, "PK\x05\x06") == 0) {
            eocd = i;
            break;
        }
        if (bytes.size() - i > 65536 + 22) break;
    }
    EMBER_CHECK(eocd != std::string_view::npos, "unzip: ", path,
                " is not a zip archive or is truncated (no end of central directory)");
    const uint32_t count = le(bytes, eocd + 10, 2);
    size_t pos = le(bytes, eocd + 16, 4);
    std::vector<ArchiveMember> members;
    for (uint32_t k = 0; k < count; ++k) {
        EMBER_CHECK(pos + 46 <= bytes.size() && bytes.compare(pos, 4, "PK\x01\x02") == 0, "unzip: ",
                    path, " has a corrupt central directory");
        const uint32_t method = le(bytes, pos + 10, 2);
        const uint32_t compressed = le(bytes, pos + 20, 4);
        const uint32_t uncompressed = le(bytes, pos + 24, 4);
        const uint32_t name_len = le(bytes, pos + 28, 2);
        const uint32_t extra_len = le(bytes, pos + 30, 2);
        const uint32_t comment_len = le(bytes, pos + 32, 2);
        const uint32_t local = le(bytes, pos + 42, 4);
        EMBER_CHECK(pos + 46 + name_len <= bytes.size(), "unzip: ", path, " is truncated");
        std::string name(bytes.substr(pos + 46, name_len));
        pos += 46 + name_len + extra_len + comment_len;
        if (name.empty() || name.back() == '/') continue;
        EMBER_CHECK(size_t(local) + 30 <= bytes.size() && bytes.compare(local, 4, "PK\x03\x04") == 0,
                    "unzip: ", path, " has a corrupt entry for ", name);
        const size_t start =
            size_t(local) + 30 + le(bytes, local + 26, 2) + le(bytes, local + 28, 2);
        EMBER_CHECK(start + compressed <= bytes.size(), "unzip: ", path, " is truncated inside ",
                    name);
        const std::string_view body = bytes.substr(start, compressed);
        if (method == 0)
            members.push_back({name, std::string(body)});
        else if (method == 8)
            members.push_back({name, inflate_raw(body, uncompressed, path + ": " + name)});
        else
            EMBER_ERROR("unzip: ", path, ": ", name, " uses compression method ", method,
                        " (only stored and deflated members are read)");
    }
    return members;
}

void extract_members(const std::vector<ArchiveMember>& members, const std::string& folder,
                     const std::string& path) {
    for (const ArchiveMember& m : members) {
        const fs::path relative = fs::path(m.name).lexically_normal();
        // (a NUL would cut the name short where the file is opened, after this check, and
        // the message short where it is printed: it is shown as \0)
        const bool has_nul = m.name.find('\0') != std::string::npos;
        std::string shown;
        for (char c : m.name) shown += c == '\0' ? std::string("\\0") : std::string(1, c);
        EMBER_CHECK(!has_nul && !relative.is_absolute() && !relative.empty() &&
                        *relative.begin() != "..",
                    "extract: ", path, " holds ", shown,
                    ", a name that leaves the target folder (absolute, \"..\" or a NUL byte)");
        try {
            write_file((fs::path(folder) / relative).string(), m.data);
        } catch (const Error& e) {
            EMBER_ERROR("extract: ", path, ": ", m.name, ": ", e.what());
        }
    }
}

}  // namespace ember::vision::datasets::detail

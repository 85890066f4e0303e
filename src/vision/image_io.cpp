// Image files through stb_image and stb_image_write. The implementations are compiled here with
// static linkage (STB_*_STATIC), so they never clash with another copy of stb in a program.
#include "ember/vision/image_io.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "ember/core/error.h"
#include "vision/datasets/archive.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
// stb can read memory it never wrote on a corrupt file (an undefined JPEG table did, checked
// below): zeroed allocations make what it decodes then the same on every run, so that such a
// file fails, or not, reproducibly.
#define STBI_MALLOC(size) std::calloc(1, size)
#define STBI_REALLOC(pointer, size) std::realloc(pointer, size)
#define STBI_FREE(pointer) std::free(pointer)
#define STBI_FAILURE_USERMSG
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace ember::vision {

namespace {

// Pillow's decompression-bomb error: twice Image.MAX_IMAGE_PIXELS.
std::atomic<int64_t> g_max_image_pixels{2 * (int64_t{1024} * 1024 * 1024 / 4 / 3)};

// The unsigned integer of n bytes at i, big- or little-endian, read as stb reads a file: zeros
// past its end.
uint32_t read_be(const std::string& bytes, size_t i, int n) {
    uint32_t v = 0;
    for (size_t k = i; k < i + size_t(n); ++k)
        v = v << 8 | (k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u);
    return v;
}
uint32_t read_le(const std::string& bytes, size_t i, int n) {
    uint32_t v = 0;
    for (size_t k = i + size_t(n); k-- > i;)
        v = v << 8 | (k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u);
    return v;
}

// A format stb cannot decode, named from the file's magic bytes; nullptr when not recognised.
const char* unsupported_format(const std::string& bytes) {
    if (bytes.starts_with("II*\0") || bytes.starts_with("MM\0*")) return "TIFF";
    if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.compare(8, 4, "WEBP") == 0)
        return "WebP";
    return nullptr;
}

// Calls visit(marker, pos, length) for each marker segment of a JPEG (pos at its 0xFF, length as
// its header says), found as stb finds them: markers from the start, skipping the entropy-coded
// data between them, up to EOI. Nothing is visited when the bytes are not a JPEG.
template <class Visit>
void for_each_jpeg_segment(const std::string& bytes, Visit visit) {
    auto at = [&](size_t i) { return read_be(bytes, i, 1); };
    // A JPEG to stb: 0xFF, any number of 0xFF fill bytes, then SOI (0xD8).
    size_t pos = 0;
    while (pos < bytes.size() && at(pos) == 0xFF) ++pos;
    if (pos == 0 || pos == bytes.size() || at(pos) != 0xD8) return;  // not a JPEG
    ++pos;
    while (pos + 4 <= bytes.size()) {
        if (at(pos) != 0xFF) {  // entropy-coded data
            ++pos;
            continue;
        }
        const unsigned marker = at(pos + 1);
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (marker == 0x00 || (marker >= 0xD0 && marker <= 0xD8)) {  // stuffed 0xFF, RSTn, SOI
            pos += 2;
            continue;
        }
        if (marker == 0xD9) break;  // EOI
        const size_t length = read_be(bytes, pos + 2, 2);
        visit(marker, pos, length);
        pos += 2 + std::max<size_t>(length, 2);
    }
}

// What is wrong with a JPEG's Huffman tables for stb, or nullptr. Debian 12's stb writes past its
// 257-entry size table on a table of more than 256 codes (fixed upstream in stb_image 2.28), and
// decodes a scan whose table was never defined from memory it never wrote (an assertion
// failure, or garbage, depending on what the allocation held before: a fuzzer finding). libjpeg
// substitutes the standard tables there; stb cannot, so such a file is refused.
const char* jpeg_tables_problem(const std::string& bytes) {
    auto at = [&](size_t i) { return read_be(bytes, i, 1); };
    const char* problem = nullptr;
    bool defined[2][4] = {};  // [DC, AC][table id]
    bool progressive = false;
    for_each_jpeg_segment(bytes, [&](unsigned marker, size_t pos, size_t length) {
        if (problem) return;
        if (marker == 0xC2) progressive = true;
        if (marker == 0xC4) {
            // Tables as stb reads them: class/id byte, 16 code counts, the symbols; past the
            // end of the file stb reads zeros.
            int64_t left = int64_t(length) - 2;
            size_t p = pos + 4;
            while (left > 0 && p < bytes.size()) {
                const unsigned table_class = at(p) >> 4, id = at(p) & 15;
                size_t codes = 0;
                for (size_t i = 1; i <= 16; ++i) codes += at(p + i);
                if (codes > 256) {
                    problem = "a Huffman table of more than 256 codes";
                    return;
                }
                if (table_class > 1 || id > 3) return;  // stb refuses the file itself
                defined[table_class][id] = true;
                p += 17 + codes;
                left -= int64_t(17 + codes);
            }
        }
        if (marker == 0xDA) {
            // A scan: its components' DC/AC table ids, then the spectral selection start and
            // the successive-approximation bits. A sequential scan decodes with both tables; a
            // progressive one with the DC table in a first DC scan, the AC table in AC scans.
            const size_t components = at(pos + 4);
            const size_t after = pos + 5 + 2 * components;
            const bool dc_scan = at(after) == 0, dc_refinement = (at(after + 2) >> 4) != 0;
            const bool uses_dc = !progressive || (dc_scan && !dc_refinement);
            const bool uses_ac = !progressive || !dc_scan;
            for (size_t c = 0; c < components; ++c) {
                const unsigned dc = at(pos + 6 + 2 * c) >> 4, ac = at(pos + 6 + 2 * c) & 15;
                if ((uses_dc && dc < 4 && !defined[0][dc]) || (uses_ac && ac < 4 && !defined[1][ac]))
                    problem = "a scan uses a Huffman table that the file does not define";
            }
        }
    });
    return problem;
}

// The first PNG chunk (up to IEND) whose declared length runs past the end of the file, as
// "TYPE of N bytes at offset O"; empty when all fit or the bytes are not a PNG. stb grows its
// buffer for an IDAT chunk to the declared length before reading it, so 99 bytes made it
// allocate 2 GiB (a fuzzer finding); libpng, and so Pillow, refuses a truncated chunk.
std::string png_chunk_past_the_end(const std::string& bytes) {
    if (!bytes.starts_with("\x89PNG\r\n\x1a\n")) return {};
    size_t pos = 8;
    while (pos + 8 <= bytes.size()) {
        const uint64_t length = read_be(bytes, pos, 4);
        const std::string type = bytes.substr(pos + 4, 4);
        if (length > bytes.size() - pos - 8)
            return ::ember::detail::str_cat(type, " of ", length, " bytes at offset ", pos);
        if (type == "IEND") break;
        pos += 8 + length + 4;  // header, data, CRC
    }
    return {};
}

// The fewest bytes a JPEG needs to code its pixels, from its first frame header (SOF0-2, the
// frames stb decodes); 0 when there is none or stb would refuse it. Every 8x8 block of every
// component is coded in at least one bit in a progressive JPEG (its first DC scan) and two in a
// sequential one (a DC code and an AC code or end-of-block). libjpeg, and so Pillow, refuses a
// truncated JPEG; stb reads zeros in place of the missing data, so 332 bytes declaring
// 13000x13000 pixels decoded 169 megapixels of nothing (a fuzzer's timeout).
int64_t jpeg_minimum_bytes(const std::string& bytes) {
    auto at = [&](size_t i) { return read_be(bytes, i, 1); };
    int64_t minimum = 0;
    bool seen_frame = false;
    for_each_jpeg_segment(bytes, [&](unsigned marker, size_t pos, size_t) {
        if (seen_frame || (marker != 0xC0 && marker != 0xC1 && marker != 0xC2)) return;
        seen_frame = true;
        const int64_t height = read_be(bytes, pos + 5, 2), width = read_be(bytes, pos + 7, 2);
        const int components = int(at(pos + 9));
        if (components != 1 && components != 3 && components != 4) return;
        int h[4], v[4], h_max = 1, v_max = 1;
        for (int c = 0; c < components; ++c) {
            h[c] = int(at(pos + 11 + 3 * size_t(c)) >> 4);
            v[c] = int(at(pos + 11 + 3 * size_t(c)) & 15);
            if (h[c] < 1 || h[c] > 4 || v[c] < 1 || v[c] > 4) return;
            h_max = std::max(h_max, h[c]);
            v_max = std::max(v_max, v[c]);
        }
        int64_t blocks = 0;
        for (int c = 0; c < components; ++c) {
            const int64_t columns = (width * h[c] + h_max - 1) / h_max;
            const int64_t rows = (height * v[c] + v_max - 1) / v_max;
            blocks += (columns + 7) / 8 * ((rows + 7) / 8);
        }
        const int64_t bits_per_block = marker == 0xC2 ? 1 : 2;
        minimum = (blocks * bits_per_block + 7) / 8;
    });
    return minimum;
}

// Whether the three numbers of a binary PGM/PPM header (width, height, maximum value) have at
// most 9 digits, read as stb reads them (whitespace and # comments skipped; at the end of the
// file it reads zeros): stb accumulates each in an int, and a tenth digit can overflow it
// (undefined behaviour, a fuzzer finding). No real image needs 10 digits.
bool pnm_header_numbers_fit(const std::string& bytes) {
    size_t pos = 2;  // past "P5" / "P6"
    auto at_eof = [&] { return pos >= bytes.size(); };
    auto get8 = [&] { return at_eof() ? '\0' : bytes[pos++]; };
    auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
    };
    char c = get8();
    for (int number = 0; number < 3; ++number) {
        for (;;) {
            while (!at_eof() && is_space(c)) c = get8();
            if (at_eof() || c != '#') break;
            while (!at_eof() && c != '\n' && c != '\r') c = get8();
        }
        int digits = 0;
        while (!at_eof() && c >= '0' && c <= '9') {
            if (++digits > 9) return false;
            c = get8();
        }
    }
    return true;
}

}  // namespace

Image load_image(const std::string& path, ImageReadMode mode) {
    const std::string bytes = datasets::detail::read_file(path, "load_image");
    if (const char* format = unsupported_format(bytes))
        EMBER_ERROR("load_image: ", path, " is a ", format,
                    " image, which ember cannot decode (it reads PNG, JPEG, BMP, PGM/PPM, GIF, "
                    "TGA); convert it to PNG");
    if (const char* problem = jpeg_tables_problem(bytes))
        EMBER_ERROR("load_image: ", path, " is a corrupt JPEG (", problem, ")");
    EMBER_CHECK(!(bytes.starts_with("P5") || bytes.starts_with("P6")) ||
                    pnm_header_numbers_fit(bytes),
                "load_image: ", path, " is a corrupt PGM/PPM (a header number of more than 9 "
                "digits)");
    int width = 0, height = 0, channels = 0;
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int length = static_cast<int>(bytes.size());
    EMBER_CHECK(bytes.size() < size_t(1) << 31, "load_image: ", path, " is too large (",
                bytes.size(), " bytes)");
    EMBER_CHECK(stbi_info_from_memory(data, length, &width, &height, &channels), "load_image: ",
                path, " is not a readable image (", stbi_failure_reason(),
                "); ember reads PNG, JPEG, BMP, PGM/PPM, GIF, TGA");
    // The header's size is checked before stb allocates for it: a few bytes can claim
    // gigapixels. Formats that hold their pixels uncompressed (or nearly) must also hold them in
    // the file.
    const int64_t limit = max_image_pixels();
    const int64_t declared = int64_t(width) * int64_t(height);
    EMBER_CHECK(width > 0 && height > 0, "load_image: ", path, " declares ", width, "x", height,
                " pixels: an image without pixels is corrupt");
    EMBER_CHECK(declared <= limit, "load_image: ", path, " declares ", width, "x", height,
                " pixels, more than the ", limit,
                " that ember decodes (set_max_image_pixels): a corrupt header or a decompression "
                "bomb");
    if (const std::string chunk = png_chunk_past_the_end(bytes); !chunk.empty())
        EMBER_ERROR("load_image: ", path, " is a truncated PNG: its chunk ", chunk,
                    " runs past the end of the file (", bytes.size(), " bytes)");
    const int64_t jpeg_needed = jpeg_minimum_bytes(bytes);
    EMBER_CHECK(jpeg_needed <= int64_t(bytes.size()), "load_image: ", path,
                " is a truncated JPEG: its ", width, "x", height, " pixels need at least ",
                jpeg_needed, " bytes, the file has ", bytes.size());
    // So must an uncompressed BMP's rows (BI_RGB or BI_BITFIELDS, padded to 4 bytes), which
    // stb would otherwise read byte by byte past the end of the file.
    if (bytes.starts_with("BM") && bytes.size() >= 34) {
        const uint32_t bits = read_le(bytes, 28, 2), compression = read_le(bytes, 30, 4);
        if (compression == 0 || compression == 3) {
            const int64_t needed = (int64_t(width) * bits + 31) / 32 * 4 * int64_t(height);
            EMBER_CHECK(needed <= int64_t(bytes.size()), "load_image: ", path,
                        " is truncated: its ", width, "x", height, " pixels of ", bits,
                        " bits need ", needed, " bytes, the file has ", bytes.size());
        }
    }
    if (bytes.starts_with("P5") || bytes.starts_with("P6")) {
        const int64_t needed = declared * channels * (stbi_is_16_bit_from_memory(data, length) ? 2 : 1);
        EMBER_CHECK(needed <= int64_t(bytes.size()), "load_image: ", path, " is truncated: its ",
                    width, "x", height, " pixels need ", needed, " bytes, the file has ",
                    bytes.size());
    }
    // So must an uncompressed TGA (image types 1-3), and a run-length one needs at least one
    // packet (a byte and a pixel) per 128 pixels: stb reads zeros past the end of the file, so
    // 126 bytes made it decode 270 MB (a fuzzer finding). TGA has no signature; the formats
    // stb tries before it whose third byte can look like a TGA type are ruled out by theirs.
    const uint32_t tga_type = bytes.size() >= 18 ? read_le(bytes, 2, 1) : 0;
    const bool tga_like = tga_type == 1 || tga_type == 2 || tga_type == 3 || tga_type == 9 ||
                          tga_type == 10 || tga_type == 11;
    if (tga_like && !bytes.starts_with("BM") && !bytes.starts_with("P5") &&
        !bytes.starts_with("P6")) {
        const int64_t pixel_bytes = (read_le(bytes, 16, 1) + 7) / 8;
        const int64_t needed = tga_type <= 3 ? declared * pixel_bytes
                                             : (declared + 127) / 128 * (1 + pixel_bytes);
        EMBER_CHECK(needed <= int64_t(bytes.size()), "load_image: ", path, " is truncated: its ",
                    width, "x", height, " TGA pixels need at least ", needed,
                    " bytes, the file has ", bytes.size());
    }
    int wanted = 3;
    if (mode == ImageReadMode::Gray || (mode == ImageReadMode::Unchanged && channels <= 2))
        wanted = 1;
    // Debian 12's stb converts the channels of a 16-bit PGM/PPM as if its samples were bytes
    // (a heap overflow, found by the image fuzzer): such a file is decoded in its own channels
    // and converted here with stb's formulas.
    const bool pnm_16_bit = (bytes.starts_with("P5") || bytes.starts_with("P6")) &&
                            stbi_is_16_bit_from_memory(data, length);
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, length, &width, &height, &channels,
                              pnm_16_bit ? 0 : wanted),
        stbi_image_free);
    EMBER_CHECK(pixels != nullptr, "load_image: ", path, " is corrupt (",
                stbi_failure_reason(), ")");
    Image image(height, width, wanted);
    const size_t count = size_t(height) * size_t(width);
    const stbi_uc* in = pixels.get();
    uint8_t* out = image.data();
    if (!pnm_16_bit || channels == wanted) {
        std::memcpy(out, in, count * size_t(wanted));
    } else if (channels == 1) {  // gray to RGB: the value three times
        for (size_t i = 0; i < count; ++i) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = in[i];
    } else {  // RGB to gray: stb's (77 r + 150 g + 29 b) >> 8
        for (size_t i = 0; i < count; ++i)
            out[i] = static_cast<uint8_t>((in[3 * i] * 77 + in[3 * i + 1] * 150 +
                                           in[3 * i + 2] * 29) >> 8);
    }
    return image;
}

int64_t max_image_pixels() { return g_max_image_pixels.load(std::memory_order_relaxed); }

void set_max_image_pixels(int64_t limit) {
    EMBER_CHECK(limit > 0, "set_max_image_pixels: the limit must be positive, got ", limit);
    g_max_image_pixels.store(limit, std::memory_order_relaxed);
}

void save_png(const Image& image, const std::string& path) {
    EMBER_CHECK(!image.empty(), "save_png: cannot write an empty image to ", path);
    const int channels = static_cast<int>(image.channels());
    const int width = static_cast<int>(image.width());
    EMBER_CHECK(stbi_write_png(path.c_str(), width, static_cast<int>(image.height()), channels,
                               image.data(), width * channels),
                "save_png: cannot write ", path);
}

}  // namespace ember::vision

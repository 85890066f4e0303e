// load_image checks the size an image file's header declares before stb allocates for it: a
// few bytes claiming gigapixels are refused (Pillow's decompression-bomb limit, or the one set
// with set_max_image_pixels), and files must hold their pixels (binary PGM/PPM, uncompressed
// BMP and TGA, the blocks of a JPEG). The files are crafted here (fuzzer findings and the bounds
// added for them), except Pillow's JPEGs of tools/golden/vision_jpeg.py.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ember/vision/image_io.h"
#include "support/golden.h"
#include "vision/datasets/archive.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

using namespace std::string_literals;

std::string write_bytes(const std::string& name, const std::string& bytes) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("ember_test_image_bounds_" + std::to_string(::getpid()) + "_" + name))
                                 .string();
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    return path;
}

std::string read_fixture(const std::string& path) {
    return vision::datasets::detail::read_file(path, "test_image_io_bounds");
}

TEST(ImageIoBounds, AGigapixelPpmHeaderIsRefusedBeforeDecoding) {
    const std::string path = write_bytes("huge.ppm", "P6\n100000 100000\n255\n"s + std::string(30, 'x'));
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "100000x100000",
                       "decompression bomb");
    std::filesystem::remove(path);
}

// A fuzzer finding: stb reads a PGM/PPM header number into an int, and a tenth digit
// overflowed it (undefined behaviour) before any size check could run.
TEST(ImageIoBounds, APpmHeaderNumberOfTenDigitsIsRefused) {
    const std::string path =
        write_bytes("ten_digits.ppm", "P6\n3000000000 1000<%\xa4y\0\0\x03\0\0\0\0"s);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "PGM/PPM",
                       "more than 9 digits");
    std::filesystem::remove(path);
    // In a comment-separated height, and in the maximum value.
    for (const std::string& header : {"P5 12 # c\n1234567890 255\n"s, "P5\n2 2\n9999999999\n"s}) {
        const std::string p = write_bytes("ten_digits.pgm", header + "abcd");
        EXPECT_EMBER_ERROR(vision::load_image(p), "more than 9 digits");
        std::filesystem::remove(p);
    }
    // Nine digits are read (and refused later as a decompression bomb).
    const std::string nine = write_bytes("nine.pgm", "P5\n999999999 2\n255\nab"s);
    EXPECT_EMBER_ERROR(vision::load_image(nine), "decompression bomb");
    std::filesystem::remove(nine);
}

// A fuzzer finding: Debian 12's stb converted the channels of a 16-bit PGM/PPM as if its
// samples were bytes (a heap overflow). Such a file is decoded in its own channels and
// converted as stb converts 8-bit ones: gray to RGB repeats the value, RGB to gray is
// (77 r + 150 g + 29 b) >> 8 of the decoded values.
TEST(ImageIoBounds, SixteenBitPnmConvertsItsChannels) {
    std::string gray16 = "P5\n3 2\n65535\n", rgb16 = "P6\n3 2\n65535\n";
    for (int k = 0; k < 18; ++k) {
        const int v = (0x1234 * k + 0x3517 * (k % 3)) & 0xffff;
        if (k < 6) gray16 += {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
        rgb16 += {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
    }
    const std::string g16 = write_bytes("g16.pgm", gray16), c16 = write_bytes("c16.ppm", rgb16);
    using vision::ImageReadMode;
    const vision::Image gray = vision::load_image(g16), rgb = vision::load_image(c16);
    ASSERT_EQ(gray.channels(), 1);
    ASSERT_EQ(rgb.channels(), 3);
    const vision::Image gray_as_rgb = vision::load_image(g16, ImageReadMode::RGB);
    const vision::Image rgb_as_gray = vision::load_image(c16, ImageReadMode::Gray);
    ASSERT_EQ(gray_as_rgb.channels(), 3);
    ASSERT_EQ(rgb_as_gray.channels(), 1);
    for (int64_t y = 0; y < 2; ++y)
        for (int64_t x = 0; x < 3; ++x) {
            for (int64_t c = 0; c < 3; ++c) EXPECT_EQ(gray_as_rgb.at(y, x, c), gray.at(y, x));
            EXPECT_EQ(rgb_as_gray.at(y, x),
                      (rgb.at(y, x, 0) * 77 + rgb.at(y, x, 1) * 150 + rgb.at(y, x, 2) * 29) >> 8);
        }
    std::filesystem::remove(g16);
    std::filesystem::remove(c16);
}

std::string from_hex(const std::string& hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return bytes;
}

// A fuzzer finding: an uncompressed 32-bit TGA of 126 bytes declaring 8224 x 8224 pixels made
// stb decode 270 MB of zeros past the end of the file. A whole small TGA still loads.
TEST(ImageIoBounds, ATruncatedTgaIsRefused) {
    const std::string finding = from_hex(
        "000002000020202020202020202020202020202020202020202020202020202020202020202020202020"
        "202020202020202000000000000000050006001800c63eafc6f339a6847f1ea5ac0b80d713c53f0656ce"
        "2dfb186128717fadf3c3991a38b133f51a627d5c75feff4926525545564953494f4e2d5846494c452e00");
    ASSERT_EQ(finding.size(), 126u);
    const std::string path = write_bytes("finding.tga", finding);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "8224x8224",
                       "truncated");
    std::filesystem::remove(path);
    // 2 x 1 pixels, 24-bit BGR, stored bottom-up: blue then red.
    const std::string tga = "\0\0\x02\0\0\0\0\0\0\0\0\0\x02\0\x01\0\x18\0"s +
                            "\xff\0\0\0\0\xff"s;
    const std::string whole = write_bytes("whole.tga", tga);
    const vision::Image image = vision::load_image(whole);
    EXPECT_EQ(image.width(), 2);
    EXPECT_EQ(image.at(0, 0, 2), 255);  // blue
    EXPECT_EQ(image.at(0, 1, 0), 255);  // red
    std::filesystem::remove(whole);
}

TEST(ImageIoBounds, APngHeaderBeyondPillowsLimitIsRefused) {
    // Signature and an IHDR of 14000 x 14000 grey pixels (stb reads no CRC, and refuses only
    // images over 1 GiB itself): no pixel data.
    const std::string png = "\x89PNG\r\n\x1a\n"s + "\0\0\0\x0dIHDR"s + "\0\0\x36\xb0\0\0\x36\xb0"s +
                            "\x08\x00\0\0\0"s + "\0\0\0\0"s;
    const std::string path = write_bytes("huge.png", png);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "14000x14000", "178956970");
    std::filesystem::remove(path);
}

TEST(ImageIoBounds, ABinaryPpmShorterThanItsPixelsIsTruncated) {
    const std::string path = write_bytes("short.ppm", "P6\n1000 1000\n255\n"s + std::string(30, 'x'));
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "truncated",
                       "1000x1000 pixels need 3000000 bytes");
    std::filesystem::remove(path);
}

TEST(ImageIoBounds, AnUncompressedBmpShorterThanItsRowsIsTruncated) {
    // The fuzzer's file: 16318212 x 6 pixels of 24 bits in 125 bytes, once read byte by byte
    // (past the end) for over 10 seconds.
    const std::string bmp =
        "BM\x96\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x04\xff\xf8\0\x06\0\0\0\x01\0\x18\0"s +
        std::string(91, '\0');
    const std::string path = write_bytes("short.bmp", bmp);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "truncated",
                       "16318212x6 pixels of 24 bits");
    std::filesystem::remove(path);
}

TEST(ImageIoBounds, AHeaderWithoutPixelsIsCorrupt) {
    // stb reads the width and stops at the '`': a 100000 x 0 image, once copied from nullptr.
    const std::string path = write_bytes("no_pixels.ppm", "P6\n100000`100000\n255\n"s + std::string(30, '\0'));
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "without pixels");
    std::filesystem::remove(path);
}

TEST(ImageIoBounds, AJpegHuffmanTableOfMoreThan256CodesIsRefused) {
    // A DHT segment whose 16 code counts add up to 510: stb writes past its 257-entry table.
    std::string counts(16, '\0');
    counts[14] = counts[15] = '\xff';
    const std::string dht = "\x00"s + counts + std::string(510, '\x01');
    const size_t length = dht.size() + 2;
    const std::string jpeg = "\xff\xd8\xff\xc4"s + char(length >> 8) + char(length & 0xff) + dht +
                             "\xff\xd9"s;
    const std::string path = write_bytes("dht.jpg", jpeg);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "corrupt JPEG",
                       "more than 256 codes");
    // The fuzzer's case: a segment longer than the file, its second table cut short (stb reads
    // zeros past the end, after 5 counts of 255).
    const std::string cut = "\xff\xd8\xff\xc4\xf5\x00"s + std::string(17, '\0') + "\x00"s +
                            std::string(5, '\xff');
    const std::string cut_path = write_bytes("dht_cut.jpg", cut);
    EXPECT_EMBER_ERROR(vision::load_image(cut_path), "load_image", cut_path.c_str(), "corrupt JPEG");
    // And one after fill bytes before its SOI, which stb skips.
    const std::string filled = write_bytes("dht_fill.jpg", "\xff\xff\xff"s + cut.substr(1));
    EXPECT_EMBER_ERROR(vision::load_image(filled), "load_image", filled.c_str(), "corrupt JPEG");
    std::filesystem::remove(path);
    std::filesystem::remove(cut_path);
    std::filesystem::remove(filled);
}

// Valid JPEGs from Pillow that code their blocks in few bits (uniform images at quality 10)
// still load, near the bound that refuses truncated ones, with Pillow's size and (within stb's
// rounding) its pixels.
TEST(ImageIoBounds, JpegsOfFewBitsPerBlockLoad) {
    const json golden = load_golden("vision_jpeg");
    for (const auto& [name, expected] : golden["files"].items()) {
        SCOPED_TRACE(name);
        const vision::Image image = vision::load_image(vision_data("jpeg/" + name));
        ASSERT_EQ(image.width(), expected["width"].get<int64_t>());
        ASSERT_EQ(image.height(), expected["height"].get<int64_t>());
        ASSERT_EQ(image.channels(), expected["channels"].get<int64_t>());
        for (int64_t c = 0; c < image.channels(); ++c) {
            int lowest = 255, highest = 0;
            for (int64_t y = 0; y < image.height(); ++y)
                for (int64_t x = 0; x < image.width(); ++x) {
                    lowest = std::min<int>(lowest, image.at(y, x, c));
                    highest = std::max<int>(highest, image.at(y, x, c));
                }
            EXPECT_GE(lowest, expected["min"][size_t(c)].get<int>() - 2);
            EXPECT_LE(highest, expected["max"][size_t(c)].get<int>() + 2);
        }
    }
}

// A fuzzer's timeout: a JPEG's frame header declaring 13000 x 13000 pixels followed by 4
// bytes of coded data, which stb decoded (reading zeros past the data) for over 100 seconds
// under ASan. The file is Pillow's grey fixture with its frame header's size changed and its
// coded data cut: a baseline JPEG codes each 8x8 block in at least 2 bits, so its 2,640,625
// blocks need 660,157 bytes.
TEST(ImageIoBounds, ATruncatedJpegIsRefused) {
    const std::string whole = read_fixture(vision_data("jpeg/gray_baseline.jpg"));
    const size_t sof = whole.find("\xff\xc0"s), sos = whole.find("\xff\xda"s);
    ASSERT_NE(sof, std::string::npos);
    ASSERT_NE(sos, std::string::npos);
    auto header_end = [&](size_t marker) {
        return marker + 2 + (size_t(uint8_t(whole[marker + 2])) << 8 | uint8_t(whole[marker + 3]));
    };
    std::string bomb = whole.substr(0, header_end(sos)) + "\0\0\xff\xd9"s;
    bomb[sof + 5] = bomb[sof + 7] = '\x32';  // 0x32c8 = 13000
    bomb[sof + 6] = bomb[sof + 8] = '\xc8';
    const std::string path = write_bytes("bomb.jpg", bomb);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "truncated JPEG",
                       "13000x13000", "660157 bytes");
    std::filesystem::remove(path);
    // The fixture itself cut 100 bytes into its coded data (12,288 blocks: 3,072 bytes).
    const std::string cut = write_bytes("cut.jpg", whole.substr(0, header_end(sos) + 100) + "\xff\xd9"s);
    EXPECT_EMBER_ERROR(vision::load_image(cut), "load_image", cut.c_str(), "truncated JPEG",
                       "1024x768", "3072 bytes");
    std::filesystem::remove(cut);
}

// A fuzzer finding: a JPEG whose AC table was defined as table 2 while its scan decodes with AC
// table 0, which stb then read from memory it never wrote (an assertion failure in stb, or
// garbage, depending on what the allocation held before). The fixture with its AC table's id
// changed the same way is refused, and so is one without its DHT segments.
TEST(ImageIoBounds, AJpegScanWithAnUndefinedHuffmanTableIsRefused) {
    const std::string whole = read_fixture(vision_data("jpeg/gray_baseline.jpg"));
    std::string renamed = whole, stripped;
    for (size_t dht = whole.find("\xff\xc4"s); dht != std::string::npos;
         dht = whole.find("\xff\xc4"s, dht + 2))
        if (renamed[dht + 4] == '\x10') renamed[dht + 4] = '\x12';
    ASSERT_NE(renamed, whole);
    const std::string path = write_bytes("ac2.jpg", renamed);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "corrupt JPEG",
                       "Huffman table that the file does not define");
    std::filesystem::remove(path);
    // Every DHT segment removed.
    size_t from = 0;
    for (size_t dht = whole.find("\xff\xc4"s); dht != std::string::npos;
         dht = whole.find("\xff\xc4"s, from)) {
        stripped += whole.substr(from, dht - from);
        from = dht + 2 + (size_t(uint8_t(whole[dht + 2])) << 8 | uint8_t(whole[dht + 3]));
    }
    stripped += whole.substr(from);
    ASSERT_LT(stripped.size(), whole.size());
    const std::string none = write_bytes("no_dht.jpg", stripped);
    EXPECT_EMBER_ERROR(vision::load_image(none), "load_image", none.c_str(), "corrupt JPEG",
                       "does not define");
    std::filesystem::remove(none);
}

// A fuzzer finding: a 99-byte PNG whose second IDAT chunk declares 2,113,929,257 bytes, for which
// stb grew its buffer to 2 GiB before finding the data missing. A chunk must fit in the file.
TEST(ImageIoBounds, APngChunkLongerThanTheFileIsRefused) {
    const std::string finding = from_hex(
        "89504e470d0a1a0a0000000d494844520000000700000004080000000067ad7aa10000002949444154789c"
        "635cbfeb4235c73c33a62d814c61d6b01ba68c323eff4844520000000700000004080000000067ad7aa100"
        "7e00002949444154789c635cbf");
    ASSERT_EQ(finding.size(), 99u);
    const std::string path = write_bytes("finding.png", finding);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "truncated PNG",
                       "IDAT of 2113929257 bytes at offset 86", "99 bytes");
    std::filesystem::remove(path);
    // A whole PNG of the image folder loads, and fails once cut inside its last chunk's data.
    const std::string whole = read_fixture(vision_data("folder/dog/e.png"));
    const std::string whole_path = write_bytes("whole.png", whole);
    EXPECT_GT(vision::load_image(whole_path).width(), 0);
    std::filesystem::remove(whole_path);
    const size_t iend = whole.rfind("IEND");
    ASSERT_NE(iend, std::string::npos);
    const std::string cut = write_bytes("cut.png", whole.substr(0, iend - 4 - 6));
    EXPECT_EMBER_ERROR(vision::load_image(cut), "load_image", cut.c_str(), "truncated PNG");
    std::filesystem::remove(cut);
}

// A fuzzer finding (tests/data/vision/jpeg/fuzz_progressive_cut_in_block.jpg, 400 bytes): a
// progressive JPEG whose scan data ends inside a block, where stb's bit reader shifts by 32
// (undefined behaviour of stb's that the sanitizer builds leave unchecked in image_io.cpp, see
// CMakeLists.txt). The decode fails cleanly, as Pillow's does ("broken data stream").
TEST(ImageIoBounds, AProgressiveJpegCutInsideABlockIsCorrupt) {
    const std::string path = vision_data("jpeg/fuzz_progressive_cut_in_block.jpg");
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "Corrupt JPEG");
}

// The pixel limit is a setting, as PIL's Image.MAX_IMAGE_PIXELS: Pillow's error threshold by
// default, lowered (or raised) for the whole program.
TEST(ImageIoBounds, TheMaxImagePixelsSettingIsTheLimit) {
    EXPECT_EQ(vision::max_image_pixels(), 178956970);
    const std::string path = write_bytes("six.pgm", "P5\n3 2\n255\nabcdef"s);
    EXPECT_EQ(vision::load_image(path).width(), 3);
    vision::set_max_image_pixels(5);
    EXPECT_EMBER_ERROR(vision::load_image(path), "load_image", path.c_str(), "3x2",
                       "more than the 5", "set_max_image_pixels");
    vision::set_max_image_pixels(6);
    EXPECT_EQ(vision::load_image(path).height(), 2);
    EXPECT_EMBER_ERROR(vision::set_max_image_pixels(0), "set_max_image_pixels", "positive", "0");
    EXPECT_EMBER_ERROR(vision::set_max_image_pixels(-3), "set_max_image_pixels", "-3");
    EXPECT_EQ(vision::max_image_pixels(), 6);
    vision::set_max_image_pixels(178956970);
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace ember::test

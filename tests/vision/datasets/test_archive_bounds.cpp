// The archive readers of the dataset downloader (gzip, tar, zip) on corrupt archives: every
// size and offset from a header is checked against the archive's real size before use, and
// every failure is an ember::Error naming the archive. The archives are crafted here (fuzzer
// findings and the bounds added for them).
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "support/golden.h"
#include "vision/datasets/archive.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

namespace detail = vision::datasets::detail;

// A ustar header block for a regular file; `size_field` is written as is into the 12-byte size.
std::string tar_header(const std::string& name, const std::string& size_field, char type = '0') {
    std::string h(512, '\0');
    h.replace(0, name.size(), name);
    std::memcpy(&h[100], "0000644", 7);
    std::memcpy(&h[124], size_field.data(), std::min<size_t>(12, size_field.size()));
    h[156] = type;
    std::memcpy(&h[257], "ustar\0" "00", 8);
    std::memset(&h[148], ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(&h[148], 8, "%06o", sum);
    h[155] = ' ';
    return h;
}

std::string octal_size(size_t size) {
    char field[12];
    std::snprintf(field, sizeof(field), "%011zo", size);
    return std::string(field, 12);
}

std::string padded(std::string data) {
    data.append((512 - data.size() % 512) % 512, '\0');
    return data;
}

const std::string kEnd(1024, '\0');

TEST(TarBounds, ASizeNear2To64IsTruncationNotAWrapAround) {
    // GNU base-256 size 2^64 - 512: pos + 512 + size once wrapped to 0, passed the bound, and
    // the next header was read at byte 0 again, forever.
    std::string size("\x80\0\0\0\xff\xff\xff\xff\xff\xff\xfe\0", 12);
    const std::string tar = tar_header("a", size) + padded("data") + kEnd;
    EXPECT_EMBER_ERROR(detail::read_tar(tar, "bomb.tar"), "tar: bomb.tar",
                       "truncated inside the member at byte 0");
}

TEST(TarBounds, AMemberLongerThanTheArchiveIsTruncation) {
    const std::string tar = tar_header("a", octal_size(1000000)) + padded("data");
    EXPECT_EMBER_ERROR(detail::read_tar(tar, "short.tar"), "tar: short.tar",
                       "declares 1000000 bytes", "512 follow");
}

TEST(TarBounds, AMalformedPaxRecordIsIgnored) {
    // A record length shorter than its own "<length> " prefix names nothing.
    const std::string pax = "1 path=evil\n";
    const std::string tar = tar_header("PaxHeader", octal_size(pax.size()), 'x') + padded(pax) +
                            tar_header("kept.txt", octal_size(2)) + padded("ok") + kEnd;
    const auto members = detail::read_tar(tar, "pax.tar");
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0].name, "kept.txt");
}

TEST(ExtractBounds, AMemberBelowAFileIsAnErrorNamingTheFolder) {
    // "a" is a file, so "a/b" cannot be made: once a std::filesystem::filesystem_error.
    ScratchDir dir("extract_bounds");
    const std::vector<detail::ArchiveMember> members = {{"a", "file"}, {"a/b", "below a file"}};
    const std::string blocked = dir / "a";
    EXPECT_EMBER_ERROR(detail::extract_members(members, dir.path(), "x.tar"), "cannot create",
                       blocked.c_str());
}

TEST(ExtractBounds, ANameWithANulByteIsRefused) {
    // The name would be cut at the NUL where the file is opened, after the check of its path.
    ScratchDir dir("extract_nul");
    const std::vector<detail::ArchiveMember> members = {{std::string("a\0/../../b", 10), "x"}};
    EXPECT_EMBER_ERROR(detail::extract_members(members, dir.path(), "nul.tar"), "extract: nul.tar",
                       "leaves the target folder");
}

// A zip archive of one member whose local header lies at `local_offset`; the central directory
// claims `uncompressed` bytes for the 2-byte deflated body (an empty fixed-Huffman block).
std::string zip_bytes(uint32_t local_offset, uint32_t uncompressed) {
    auto le = [](std::string& s, uint32_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
    };
    const std::string name = "a.gz", body("\x03\x00", 2);
    std::string zip = "PK\x03\x04";
    le(zip, 20, 2), le(zip, 0, 2), le(zip, 8, 2), le(zip, 0, 4), le(zip, 0, 4);
    le(zip, uint32_t(body.size()), 4), le(zip, uncompressed, 4);
    le(zip, uint32_t(name.size()), 2), le(zip, 0, 2);
    zip += name + body;
    const uint32_t directory = uint32_t(zip.size());
    zip += "PK\x01\x02";
    le(zip, 20, 2), le(zip, 20, 2), le(zip, 0, 2), le(zip, 8, 2), le(zip, 0, 4), le(zip, 0, 4);
    le(zip, uint32_t(body.size()), 4), le(zip, uncompressed, 4);
    le(zip, uint32_t(name.size()), 2), le(zip, 0, 2), le(zip, 0, 2), le(zip, 0, 2), le(zip, 0, 2);
    le(zip, 0, 4), le(zip, local_offset, 4);
    zip += name;
    const uint32_t directory_size = uint32_t(zip.size()) - directory;
    zip += "PK\x05\x06";
    le(zip, 0, 2), le(zip, 0, 2), le(zip, 1, 2), le(zip, 1, 2);
    le(zip, directory_size, 4), le(zip, directory, 4), le(zip, 0, 2);
    return zip;
}

TEST(ZipBounds, TheCraftedArchiveReads) {
    const auto members = detail::read_zip(zip_bytes(0, 0), "ok.zip");
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0].name, "a.gz");
    EXPECT_EQ(members[0].data, "");
}

TEST(ZipBounds, ALocalHeaderOffsetNear2To32IsAnError) {
    // offset + 30 once wrapped around in 32 bits and std::string_view::compare threw
    // std::out_of_range.
    EXPECT_EMBER_ERROR(detail::read_zip(zip_bytes(0xFFFFFFF0u, 0), "far.zip"), "unzip: far.zip",
                       "corrupt entry for a.gz");
}

TEST(ZipBounds, AnUncompressedSizeDeflateCannotReachIsAnErrorBeforeAllocating) {
    // 4 GiB claimed for 2 bytes of deflate data: once allocated before inflating.
    EXPECT_EMBER_ERROR(detail::read_zip(zip_bytes(0, 0xFFFFFFFFu), "claim.zip"), "unzip: claim.zip",
                       "a.gz", "declares 4294967295 bytes from 2 compressed bytes");
}

}  // namespace
}  // namespace ember::test

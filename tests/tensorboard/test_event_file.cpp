// Byte-level checks of the event file format against the hex dumps in the TensorBoard
// reference (produced there with Python protobuf and crc32c).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "tensorboard/event_file.h"
#include "tensorboard/proto.h"

namespace ember::tensorboard {
namespace {

// "09 00 ff" -> the bytes.
std::string from_hex(const std::string& hex) {
    std::istringstream in(hex);
    std::string out, byte;
    while (in >> byte) out.push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
    return out;
}

std::string to_hex(const std::string& bytes) {
    std::string out;
    char buf[4];
    for (unsigned char c : bytes) {
        std::snprintf(buf, sizeof buf, "%02x ", c);
        out += buf;
    }
    return out;
}

#define EXPECT_BYTES_EQ(actual, expected_hex) \
    EXPECT_EQ(to_hex(actual), to_hex(from_hex(expected_hex)))

TEST(TensorboardCrc, Crc32cCheckValues) {
    EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
    EXPECT_EQ(crc32c(""), 0u);
    EXPECT_EQ(masked_crc32c(""), 0xA282EAD8u);
}

TEST(TensorboardRecord, FirstEventMatchesReference) {
    const std::string payload = proto::file_version_event(1700000000.0);
    EXPECT_BYTES_EQ(payload,
                    "09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32");
    EXPECT_BYTES_EQ(frame_record(payload),
                    "18 00 00 00 00 00 00 00 a3 7f 4b 22 09 00 00 00 40 fc 54 d9 41 1a 0d 62 "
                    "72 61 69 6e 2e 45 76 65 6e 74 3a 32 ec ed 8f 9d");
}

TEST(TensorboardRecord, ScalarEventMatchesReference) {
    const std::string payload = proto::event(
        1700000000.5, 42, proto::summary({proto::scalar_value("loss", 0.25f)}));
    EXPECT_BYTES_EQ(payload,
                    "09 00 00 20 40 fc 54 d9 41 10 2a 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e");
    EXPECT_BYTES_EQ(frame_record(payload),
                    "1a 00 00 00 00 00 00 00 12 9b d8 2d 09 00 00 20 40 fc 54 d9 41 10 2a 2a "
                    "0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e 86 93 da f7");
}

TEST(TensorboardRecord, StepZeroIsOmitted) {
    EXPECT_BYTES_EQ(
        proto::event(1700000000.5, 0, proto::summary({proto::scalar_value("loss", 0.25f)})),
        "09 00 00 20 40 fc 54 d9 41 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e");
}

TEST(TensorboardRecord, NewStyleScalarMatchesReference) {
    EXPECT_BYTES_EQ(
        proto::event(1700000000.5, 1,
                     proto::summary({proto::tensor_scalar_value("acc", 0.5, false)})),
        "09 00 00 20 40 fc 54 d9 41 10 01 2a 1e 0a 1c 0a 03 61 63 63 42 08 08 01 2a "
        "04 00 00 00 3f 4a 0b 0a 09 0a 07 73 63 61 6c 61 72 73");
}

TEST(TensorboardRecord, TextMatchesReference) {
    EXPECT_BYTES_EQ(
        proto::event(1700000000.5, 3, proto::summary({proto::text_value("note", "hi")})),
        "09 00 00 20 40 fc 54 d9 41 10 03 2a 2d 0a 2b 0a 11 6e 6f 74 65 2f 74 65 78 74 "
        "5f 73 75 6d 6d 61 72 79 42 0c 08 07 12 04 12 02 08 01 42 02 68 69 4a 08 0a 06 "
        "0a 04 74 65 78 74");
}

TEST(TensorboardRecord, NegativeStepIsTenByteVarint) {
    // int64 -1 is written as its two's complement: 10 varint bytes, as protobuf does.
    const std::string payload = proto::event(0, -1, "");
    EXPECT_BYTES_EQ(payload, "10 ff ff ff ff ff ff ff ff ff 01 2a 00");
}

TEST(TensorboardRecord, FileNameFollowsPyTorch) {
    EXPECT_EQ(event_file_name(1700000000.75, "myhost", 12345, 0, ""),
              "events.out.tfevents.1700000000.myhost.12345.0");
    EXPECT_EQ(event_file_name(12.0, "h", 1, 3, ".v2"), "events.out.tfevents.0000000012.h.1.3.v2");
}

}  // namespace
}  // namespace ember::tensorboard

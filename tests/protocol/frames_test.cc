// Frame codec of an MMIO channel (include/qemu-sst/channel_protocol.h with the MMIO family of
// mmio_protocol.h): round trips and every decode error.  layering_test.cc covers the families.
// The layout facts (sizes, offsets) are static_asserts in the header and are not repeated here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "qemu-sst/mmio_protocol.h"

namespace {

constexpr size_t kHeaderSize = sizeof(sst_mmio_header);

// A payload for `type` whose every byte is distinct enough that a misplaced copy shows, with the
// fields the decoder validates set to legal values.
std::vector<uint8_t> sample_payload(uint32_t type) {
    std::vector<uint8_t> p(sst_frame_payload_size(sst_mmio_family(), type));
    for (size_t i = 0; i < p.size(); i++) {
        p[i] = static_cast<uint8_t>(0x11 + 7 * i + type);
    }
    if (type == SST_MMIO_READ || type == SST_MMIO_WRITE) {
        p[offsetof(sst_mmio_access, size)] = 4;
    }
    if (type == SST_MMIO_HELLO) {
        p[offsetof(sst_mmio_hello, name) + SST_MMIO_NAME_LEN - 1] = '\0';
    }
    if (type == SST_MMIO_ERROR) {
        p[offsetof(sst_mmio_error, text) + SST_MMIO_ERROR_TEXT_LEN - 1] = '\0';
    }
    return p;
}

std::vector<uint8_t> encode(uint32_t type, uint32_t seq, const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> buf(SST_MMIO_MAX_FRAME);
    buf.resize(sst_mmio_encode(buf.data(), type, seq, payload.empty() ? nullptr : payload.data()));
    return buf;
}

int decode(const std::vector<uint8_t>& bytes, sst_mmio_frame* frame, size_t* consumed) {
    return sst_mmio_decode(bytes.data(), bytes.size(), frame, consumed);
}

int decode(const std::vector<uint8_t>& bytes) {
    sst_mmio_frame frame;
    size_t consumed = 0;
    return decode(bytes, &frame, &consumed);
}

// Overwrites the header field at `offset` of an encoded frame.
template <typename T>
void patch(std::vector<uint8_t>& bytes, size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof(value));
}

const uint32_t kAllTypes[] = {
    SST_MMIO_HELLO,   SST_MMIO_HELLO_ACK, SST_MMIO_SHM_OFFER, SST_MMIO_SHM_READY, SST_MMIO_READ,
    SST_MMIO_WRITE,   SST_MMIO_RESPONSE,  SST_MMIO_IRQ,       SST_MMIO_SYNC,      SST_MMIO_GRANT,
    SST_MMIO_GOODBYE, SST_MMIO_ERROR,     SST_MMIO_GUEST_RAM,
};

class EveryFrameType : public ::testing::TestWithParam<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Frames, EveryFrameType, ::testing::ValuesIn(kAllTypes),
                         [](const auto& info) { return std::string(sst_mmio_type_str(info.param)); });

TEST_P(EveryFrameType, EncodeWritesHeaderAndPayload) {
    const uint32_t type = GetParam();
    const auto payload = sample_payload(type);
    const auto bytes = encode(type, 0x01020304, payload);

    ASSERT_EQ(bytes.size(), kHeaderSize + payload.size());
    sst_mmio_header hdr;
    std::memcpy(&hdr, bytes.data(), sizeof(hdr));
    EXPECT_EQ(hdr.magic, 0x4d545353u);
    EXPECT_EQ(std::memcmp(bytes.data(), "SSTM", 4), 0) << "magic must read SSTM on the wire";
    EXPECT_EQ(hdr.version, 3u);
    EXPECT_EQ(hdr.type, type);
    EXPECT_EQ(hdr.length, payload.size());
    EXPECT_EQ(hdr.seq, 0x01020304u);
    EXPECT_TRUE(std::equal(payload.begin(), payload.end(), bytes.begin() + kHeaderSize));
}

TEST_P(EveryFrameType, DecodeReturnsWhatWasEncoded) {
    const uint32_t type = GetParam();
    const auto payload = sample_payload(type);
    const auto bytes = encode(type, 77, payload);
    sst_mmio_frame frame;
    std::memset(&frame, 0xEE, sizeof(frame));
    size_t consumed = 0;

    ASSERT_EQ(decode(bytes, &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(consumed, bytes.size());
    EXPECT_EQ(frame.hdr.type, type);
    EXPECT_EQ(frame.hdr.seq, 77u);
    EXPECT_EQ(frame.hdr.length, payload.size());
    const auto* bytes_out = reinterpret_cast<const uint8_t*>(&frame.u);
    EXPECT_TRUE(std::equal(payload.begin(), payload.end(), bytes_out));
    // Only the frame's own bytes are written: decoding costs its size, not the largest frame's.
    for (size_t i = payload.size(); i < sizeof(frame.u); i++) {
        ASSERT_EQ(bytes_out[i], 0xEE) << "byte " << i;
    }
}

TEST_P(EveryFrameType, DecodeConsumesOneFrameOfAStream) {
    const uint32_t type = GetParam();
    auto stream = encode(type, 1, sample_payload(type));
    const size_t first = stream.size();
    const auto second = encode(SST_MMIO_GRANT, 2, sample_payload(SST_MMIO_GRANT));
    stream.insert(stream.end(), second.begin(), second.end());
    sst_mmio_frame frame;
    size_t consumed = 0;

    ASSERT_EQ(decode(stream, &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(consumed, first);
    EXPECT_EQ(frame.hdr.seq, 1u);
    ASSERT_EQ(sst_mmio_decode(stream.data() + consumed, stream.size() - consumed, &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(frame.hdr.type, uint32_t{SST_MMIO_GRANT});
    EXPECT_EQ(frame.hdr.seq, 2u);
}

TEST_P(EveryFrameType, EveryProperPrefixNeedsMore) {
    const auto bytes = encode(GetParam(), 5, sample_payload(GetParam()));

    for (size_t len = 0; len < bytes.size(); len++) {
        sst_mmio_frame frame;
        size_t consumed = 12345;
        ASSERT_EQ(sst_mmio_decode(bytes.data(), len, &frame, &consumed), SST_MMIO_NEED_MORE)
            << "prefix of " << len << " bytes";
        EXPECT_EQ(consumed, 12345u) << "consumed must be untouched unless decoded";
    }
}

TEST_P(EveryFrameType, LengthOneShortIsBadLength) {
    const uint32_t type = GetParam();
    auto bytes = encode(type, 0, sample_payload(type));
    // SHM_READY has no payload, so "one short" wraps to 0xFFFFFFFF: still the wrong length.
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, length), sst_frame_payload_size(sst_mmio_family(), type) - 1);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_LENGTH);
}

TEST_P(EveryFrameType, LengthOneLongIsBadLength) {
    const uint32_t type = GetParam();
    auto bytes = encode(type, 0, sample_payload(type));
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, length), sst_frame_payload_size(sst_mmio_family(), type) + 1);
    bytes.push_back(0);  // the extra byte is even there: the length still contradicts the type
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_LENGTH);
}

TEST(FrameDecode, HugeLengthIsBadLengthNotNeedMore) {
    // Waiting for 4 GiB of payload would stall a stream reader forever.
    auto bytes = encode(SST_MMIO_READ, 0, sample_payload(SST_MMIO_READ));
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, length), 0xFFFFFFFFu);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_LENGTH);
    bytes.resize(kHeaderSize);  // header alone: the verdict must not depend on the bytes after it
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_LENGTH);
}

TEST(FrameDecode, BadMagic) {
    auto bytes = encode(SST_MMIO_SYNC, 0, sample_payload(SST_MMIO_SYNC));
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, magic), 0x4d545354u);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_MAGIC);
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, magic), 0);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_MAGIC);
}

TEST(FrameDecode, BadMagicIsReportedFromTheHeaderAlone) {
    auto bytes = encode(SST_MMIO_SYNC, 0, sample_payload(SST_MMIO_SYNC));
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, magic), 0xdeadbeefu);
    bytes.resize(kHeaderSize);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_MAGIC);
}

TEST(FrameDecode, BadVersion) {
    auto bytes = encode(SST_MMIO_SYNC, 0, sample_payload(SST_MMIO_SYNC));
    // 1: before frame types were numbered by family; 2: before GUEST_RAM and RESPONSE.horizon_ps
    for (uint16_t version : {0, 1, 2, 4, 0xFFFF}) {
        patch<uint16_t>(bytes, offsetof(sst_mmio_header, version), version);
        EXPECT_EQ(decode(bytes), SST_MMIO_BAD_VERSION) << "version " << version;
    }
}

TEST(FrameDecode, MagicIsCheckedBeforeVersion) {
    auto bytes = encode(SST_MMIO_SYNC, 0, sample_payload(SST_MMIO_SYNC));
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, magic), 0);
    patch<uint16_t>(bytes, offsetof(sst_mmio_header, version), 9);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_MAGIC);
}

TEST(FrameDecode, UnknownType) {
    auto bytes = encode(SST_MMIO_SYNC, 0, sample_payload(SST_MMIO_SYNC));
    for (uint32_t type :
         {0u, SST_FRAME_TYPE(SST_FAMILY_BASE, SST_BASE_TYPE_COUNT + 1), SST_FRAME_TYPE(SST_FAMILY_MMIO, 0),
          SST_FRAME_TYPE(SST_FAMILY_MMIO, SST_MMIO_FAMILY_TYPE_COUNT + 1), 0xFFFFu}) {
        patch<uint16_t>(bytes, offsetof(sst_mmio_header, type), static_cast<uint16_t>(type));
        EXPECT_EQ(decode(bytes), SST_MMIO_BAD_TYPE) << "type " << type;
    }
}

TEST(FrameDecode, ShmReadyWithAPayloadIsBadLength) {
    auto bytes = encode(SST_MMIO_SHM_READY, 0, {});
    ASSERT_EQ(bytes.size(), kHeaderSize);
    patch<uint32_t>(bytes, offsetof(sst_mmio_header, length), 8);
    bytes.resize(kHeaderSize + 8, 0);
    EXPECT_EQ(decode(bytes), SST_MMIO_BAD_LENGTH);
}

class AccessSize : public ::testing::TestWithParam<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Frames, AccessSize, ::testing::Values(SST_MMIO_READ, SST_MMIO_WRITE),
                         [](const auto& info) { return std::string(sst_mmio_type_str(info.param)); });

TEST_P(AccessSize, OnlyOneTwoFourOrEightBytesDecode) {
    auto payload = sample_payload(GetParam());
    for (unsigned size = 0; size < 256; size++) {
        payload[offsetof(sst_mmio_access, size)] = static_cast<uint8_t>(size);
        sst_mmio_frame frame;
        size_t consumed = 0;
        const int rc = decode(encode(GetParam(), 0, payload), &frame, &consumed);
        if (size == 1 || size == 2 || size == 4 || size == 8) {
            ASSERT_EQ(rc, SST_MMIO_DECODED) << "size " << size;
            EXPECT_EQ(frame.u.access.size, size);
        } else {
            ASSERT_EQ(rc, SST_MMIO_BAD_FIELD) << "size " << size;
        }
    }
}

TEST_P(AccessSize, ThreeAndSixteenAreBadField) {
    auto payload = sample_payload(GetParam());
    payload[offsetof(sst_mmio_access, size)] = 3;
    EXPECT_EQ(decode(encode(GetParam(), 0, payload)), SST_MMIO_BAD_FIELD);
    payload[offsetof(sst_mmio_access, size)] = 16;
    EXPECT_EQ(decode(encode(GetParam(), 0, payload)), SST_MMIO_BAD_FIELD);
}

TEST(FrameDecode, HelloNameIsForcedNulTerminated) {
    sst_mmio_hello hello;
    std::memset(&hello, 0, sizeof(hello));
    hello.capabilities = SST_MMIO_CAP_ALL;
    hello.base_address = 0x10000000;
    hello.size = 0x1000;
    std::memset(hello.name, 'A', sizeof(hello.name));  // no terminator from the peer
    uint8_t buf[SST_MMIO_MAX_FRAME];
    const size_t len = sst_mmio_encode(buf, SST_MMIO_HELLO, 0, &hello);
    sst_mmio_frame frame;
    size_t consumed = 0;

    ASSERT_EQ(sst_mmio_decode(buf, len, &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(std::string(frame.u.hello.name), std::string(SST_MMIO_NAME_LEN - 1, 'A'));
    EXPECT_EQ(frame.u.hello.base_address, 0x10000000u);
    EXPECT_EQ(frame.u.hello.size, 0x1000u);
    EXPECT_EQ(frame.u.hello.capabilities, SST_MMIO_CAP_ALL);
}

TEST(FrameDecode, ErrorTextIsForcedNulTerminated) {
    sst_mmio_error err;
    std::memset(&err, 'B', sizeof(err));
    err.code = SST_MMIO_BAD_FIELD;
    err.reserved = 0;
    uint8_t buf[SST_MMIO_MAX_FRAME];
    const size_t len = sst_mmio_encode(buf, SST_MMIO_ERROR, 3, &err);
    sst_mmio_frame frame;
    size_t consumed = 0;

    ASSERT_EQ(sst_mmio_decode(buf, len, &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(std::string(frame.u.error.text), std::string(SST_MMIO_ERROR_TEXT_LEN - 1, 'B'));
    EXPECT_EQ(frame.u.error.code, uint32_t{SST_MMIO_BAD_FIELD});
}

TEST(FrameEncode, EncodesTypedPayloadFields) {
    sst_mmio_access access;
    std::memset(&access, 0, sizeof(access));
    access.id = 0x1122334455667788ull;
    access.offset = 0x40;
    access.data = 0xCAFEF00Dull;
    access.vtime_ps = 123456789;
    access.size = 8;
    uint8_t buf[SST_MMIO_MAX_FRAME];
    const size_t len = sst_mmio_encode(buf, SST_MMIO_WRITE, 9, &access);
    sst_mmio_frame frame;
    size_t consumed = 0;

    ASSERT_EQ(len, 56u);
    ASSERT_EQ(sst_mmio_decode(buf, len, &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(frame.u.access.id, 0x1122334455667788ull);
    EXPECT_EQ(frame.u.access.offset, 0x40u);
    EXPECT_EQ(frame.u.access.data, 0xCAFEF00Dull);
    EXPECT_EQ(frame.u.access.vtime_ps, 123456789u);
    EXPECT_EQ(frame.u.access.size, 8u);
}

TEST(FrameEncode, FrameWithoutPayloadIgnoresPayloadPointer) {
    uint8_t buf[SST_MMIO_MAX_FRAME];
    EXPECT_EQ(sst_mmio_encode(buf, SST_MMIO_SHM_READY, 4, nullptr), kHeaderSize);
}

TEST(FrameNames, TypeAndResultStrings) {
    EXPECT_STREQ(sst_mmio_type_str(SST_MMIO_HELLO), "HELLO");
    EXPECT_STREQ(sst_mmio_type_str(SST_MMIO_ERROR), "ERROR");
    EXPECT_STREQ(sst_mmio_type_str(0), "UNKNOWN");
    EXPECT_STREQ(sst_mmio_type_str(SST_MMIO_IRQ), "IRQ");
    EXPECT_STREQ(sst_mmio_type_str(SST_FRAME_TYPE(SST_FAMILY_MMIO, SST_MMIO_FAMILY_TYPE_COUNT + 1)), "UNKNOWN");
    EXPECT_STREQ(sst_mmio_decode_result_str(SST_MMIO_BAD_FIELD), "invalid field value");
    EXPECT_STREQ(sst_mmio_decode_result_str(99), "unknown decode result");
    EXPECT_STREQ(sst_mmio_status_str(SST_MMIO_TIMEOUT), "timeout");
    EXPECT_STREQ(sst_mmio_status_str(99), "unknown status");
}

}  // namespace

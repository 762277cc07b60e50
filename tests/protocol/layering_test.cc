// The channel protocol's layering (include/qemu-sst/channel_protocol.h): the base layer, the
// payload families of mmio_protocol.h and virtio_protocol.h, frames sized by their kind, a
// channel refusing every family but its own, and a new family defined without touching the base.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/shm_ring.h"
#include "qemu-sst/virtio_protocol.h"

namespace {

constexpr size_t kHeaderSize = sizeof(sst_mmio_header);

const sst_frame_family* mmio() { return sst_mmio_family(); }
const sst_frame_family* virtio() { return sst_virtio_family(); }

// A frame of `type` encoded for `family`, its payload filled with a pattern.
std::vector<uint8_t> encode(const sst_frame_family* family, uint32_t type, uint32_t seq = 0) {
    std::vector<uint8_t> payload(sst_frame_payload_size(family, type));
    for (size_t i = 0; i < payload.size(); i++) {
        payload[i] = static_cast<uint8_t>(i * 13 + 1);
    }
    if (type == SST_MMIO_READ || type == SST_MMIO_WRITE) {
        payload[offsetof(sst_mmio_access, size)] = 8;
    }
    std::vector<uint8_t> bytes(SST_FRAME_LIMIT);
    bytes.resize(sst_frame_encode(bytes.data(), family, type, seq, payload.data()));
    return bytes;
}

int decode(const sst_frame_family* family, const std::vector<uint8_t>& bytes, void* out, size_t out_size) {
    size_t consumed = 0;
    return sst_frame_decode(bytes.data(), bytes.size(), family, out, out_size, &consumed);
}

int decode(const sst_frame_family* family, const std::vector<uint8_t>& bytes) {
    std::vector<uint8_t> out(sst_frame_size(family));
    return decode(family, bytes, out.data(), out.size());
}

std::vector<uint32_t> base_types() {
    std::vector<uint32_t> types;
    for (uint32_t number = 1; number <= SST_BASE_TYPE_COUNT; number++) {
        types.push_back(SST_FRAME_TYPE(SST_FAMILY_BASE, number));
    }
    return types;
}

TEST(FrameFamilies, EachFamilyOwnsTheTypesOfItsRange) {
    for (uint32_t type : {SST_MMIO_READ, SST_MMIO_WRITE, SST_MMIO_RESPONSE, SST_MMIO_IRQ}) {
        EXPECT_EQ(SST_FRAME_FAMILY(type), uint32_t{SST_FAMILY_MMIO}) << type;
    }
    for (uint32_t type : {SST_MMIO_VIRTIO_REQUEST, SST_MMIO_VIRTIO_RESPONSE, SST_MMIO_VIRTIO_EVENT}) {
        EXPECT_EQ(SST_FRAME_FAMILY(type), uint32_t{SST_FAMILY_VIRTIO}) << type;
    }
    for (uint32_t type : base_types()) {
        EXPECT_EQ(SST_FRAME_FAMILY(type), uint32_t{SST_FAMILY_BASE}) << type;
    }
    EXPECT_EQ(mmio()->id, uint32_t{SST_FAMILY_MMIO});
    EXPECT_EQ(virtio()->id, uint32_t{SST_FAMILY_VIRTIO});
}

TEST(FrameFamilies, MmioPayloadSizes) {
    EXPECT_EQ(sst_frame_payload_size(mmio(), SST_MMIO_READ), 40u);
    EXPECT_EQ(sst_frame_payload_size(mmio(), SST_MMIO_WRITE), 40u);
    EXPECT_EQ(sst_frame_payload_size(mmio(), SST_MMIO_RESPONSE), 40u);
    EXPECT_EQ(sst_frame_payload_size(mmio(), SST_MMIO_IRQ), 16u);
    EXPECT_EQ(sst_frame_payload_size(mmio(), SST_MMIO_VIRTIO_REQUEST), 0u) << "not an MMIO channel's type";
}

TEST(FrameFamilies, VirtioPayloadSizes) {
    EXPECT_EQ(sst_frame_payload_size(virtio(), SST_MMIO_VIRTIO_REQUEST), 24u + SST_PAGE_SIZE);
    EXPECT_EQ(sst_frame_payload_size(virtio(), SST_MMIO_VIRTIO_RESPONSE), 16u + SST_PAGE_SIZE);
    EXPECT_EQ(sst_frame_payload_size(virtio(), SST_MMIO_VIRTIO_EVENT), 40u);
    EXPECT_EQ(sst_frame_payload_size(virtio(), SST_MMIO_READ), 0u) << "not a virtio channel's type";
}

TEST(FrameFamilies, BaseFramesAreTheSameOnEveryChannel) {
    for (uint32_t type : base_types()) {
        EXPECT_EQ(sst_frame_payload_size(mmio(), type), sst_frame_payload_size(virtio(), type)) << type;
        EXPECT_EQ(sst_frame_payload_size(nullptr, type), sst_frame_payload_size(mmio(), type)) << type;
        EXPECT_STREQ(sst_frame_type_str(mmio(), type), sst_frame_type_str(virtio(), type));
        EXPECT_EQ(decode(mmio(), encode(mmio(), type)), SST_MMIO_DECODED) << sst_frame_type_str(mmio(), type);
        EXPECT_EQ(decode(virtio(), encode(virtio(), type)), SST_MMIO_DECODED) << sst_frame_type_str(mmio(), type);
        EXPECT_EQ(decode(nullptr, encode(nullptr, type)), SST_MMIO_DECODED) << sst_frame_type_str(mmio(), type);
    }
}

TEST(FrameSizes, FramesAreSizedByTheirKindNotByTheLargest) {
    EXPECT_EQ(sst_frame_size(mmio()), sizeof(sst_mmio_frame));
    EXPECT_EQ(sst_frame_size(virtio()), sizeof(sst_virtio_frame));
    EXPECT_EQ(sst_frame_size(nullptr), sizeof(sst_base_frame));
    // The largest base payload (ERROR) sizes an MMIO frame; the virtio page does not.
    EXPECT_EQ(sizeof(sst_mmio_frame), kHeaderSize + sizeof(sst_mmio_error));
    EXPECT_EQ(sizeof(sst_virtio_frame), kHeaderSize + sizeof(sst_mmio_virtio_request));
    EXPECT_LT(sizeof(sst_mmio_frame), 200u);
}

TEST(FrameSizes, AFrameDecodesIntoABufferOfItsKindsSize) {
    for (uint32_t type :
         {uint32_t{SST_MMIO_READ}, uint32_t{SST_MMIO_RESPONSE}, uint32_t{SST_MMIO_IRQ}, uint32_t{SST_MMIO_ERROR}}) {
        sst_mmio_frame frame;
        EXPECT_EQ(decode(mmio(), encode(mmio(), type), &frame, sizeof(frame)), SST_MMIO_DECODED)
            << sst_mmio_type_str(type);
    }
    for (uint32_t type : {SST_MMIO_VIRTIO_REQUEST, SST_MMIO_VIRTIO_RESPONSE, SST_MMIO_VIRTIO_EVENT}) {
        sst_virtio_frame frame;
        EXPECT_EQ(decode(virtio(), encode(virtio(), type), &frame, sizeof(frame)), SST_MMIO_DECODED)
            << sst_virtio_type_str(type);
    }
}

TEST(FrameSizes, DecodingWritesOnlyTheFramesOwnBytes) {
    const auto bytes = encode(virtio(), SST_MMIO_VIRTIO_EVENT, 3);
    std::vector<uint8_t> out(sst_frame_size(virtio()), 0xEE);
    ASSERT_EQ(decode(virtio(), bytes, out.data(), out.size()), SST_MMIO_DECODED);
    EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), out.begin()));
    for (size_t i = bytes.size(); i < out.size(); i++) {
        ASSERT_EQ(out[i], 0xEE) << "byte " << i << " of a page-sized buffer written for a 56-byte frame";
    }
}

TEST(FrameSizes, ABufferTooSmallForTheFrameIsRefusedNotOverrun) {
    const auto bytes = encode(virtio(), SST_MMIO_VIRTIO_REQUEST);
    std::vector<uint8_t> out(bytes.size() - 1 + 8, 0xEE);
    EXPECT_EQ(decode(virtio(), bytes, out.data(), bytes.size() - 1), SST_MMIO_BAD_LENGTH);
    for (size_t i = bytes.size() - 1; i < out.size(); i++) {
        ASSERT_EQ(out[i], 0xEE) << "byte " << i;
    }
}

TEST(FrameRefusal, AChannelRefusesTheOtherFamilysFrames) {
    EXPECT_EQ(decode(mmio(), encode(virtio(), SST_MMIO_VIRTIO_REQUEST)), SST_MMIO_BAD_TYPE);
    EXPECT_EQ(decode(mmio(), encode(virtio(), SST_MMIO_VIRTIO_EVENT)), SST_MMIO_BAD_TYPE);
    EXPECT_EQ(decode(virtio(), encode(mmio(), SST_MMIO_READ)), SST_MMIO_BAD_TYPE);
    EXPECT_EQ(decode(virtio(), encode(mmio(), SST_MMIO_IRQ)), SST_MMIO_BAD_TYPE);
    EXPECT_EQ(decode(nullptr, encode(mmio(), SST_MMIO_RESPONSE)), SST_MMIO_BAD_TYPE) << "base frames only";
}

TEST(FrameRefusal, UnknownFamiliesAreRefusedOnEveryChannel) {
    auto bytes = encode(mmio(), SST_MMIO_SYNC);
    for (uint32_t family : {uint32_t{SST_FAMILY_DMA}, 0x7fu, 0xffu}) {
        for (uint32_t number : {1u, 2u, 0xffu}) {
            const uint16_t type = static_cast<uint16_t>(SST_FRAME_TYPE(family, number));
            std::memcpy(bytes.data() + offsetof(sst_mmio_header, type), &type, sizeof(type));
            EXPECT_EQ(decode(mmio(), bytes), SST_MMIO_BAD_TYPE) << "type " << type;
            EXPECT_EQ(decode(virtio(), bytes), SST_MMIO_BAD_TYPE) << "type " << type;
            EXPECT_STREQ(sst_frame_type_str(mmio(), type), "UNKNOWN");
        }
    }
}

TEST(FrameRefusal, NumbersOutsideAFamilysRangeAreRefused) {
    for (uint32_t type :
         {SST_FRAME_TYPE(SST_FAMILY_MMIO, 0), SST_FRAME_TYPE(SST_FAMILY_MMIO, SST_MMIO_FAMILY_TYPE_COUNT + 1),
          SST_FRAME_TYPE(SST_FAMILY_VIRTIO, 0), SST_FRAME_TYPE(SST_FAMILY_VIRTIO, SST_VIRTIO_FAMILY_TYPE_COUNT + 1)}) {
        EXPECT_FALSE(sst_frame_type_known(mmio(), type)) << type;
        EXPECT_FALSE(sst_frame_type_known(virtio(), type)) << type;
    }
}

TEST(FrameNames, EachFamilyNamesItsOwnTypes) {
    EXPECT_STREQ(sst_frame_type_str(mmio(), SST_MMIO_READ), "READ");
    EXPECT_STREQ(sst_frame_type_str(mmio(), SST_MMIO_GRANT), "GRANT");
    EXPECT_STREQ(sst_frame_type_str(mmio(), SST_MMIO_VIRTIO_REQUEST), "UNKNOWN");
    EXPECT_STREQ(sst_frame_type_str(virtio(), SST_MMIO_VIRTIO_RESPONSE), "VIRTIO_RESPONSE");
    EXPECT_STREQ(sst_frame_type_str(virtio(), SST_MMIO_SYNC), "SYNC");
    EXPECT_STREQ(sst_frame_type_str(virtio(), SST_MMIO_IRQ), "UNKNOWN");
}

TEST(FrameRing, AVirtioFrameGoesThroughARingIntoAVirtioFrameOnly) {
    std::vector<uint8_t> data(1u << 14);
    sst_ring_ctrl ctrl{};
    sst_ring ring{&ctrl, data.data(), static_cast<uint32_t>(data.size())};
    const auto bytes = encode(virtio(), SST_MMIO_VIRTIO_RESPONSE, 9);
    ASSERT_EQ(sst_ring_push(&ring, bytes.data(), static_cast<uint32_t>(bytes.size())), 0);

    sst_mmio_frame mmio_frame;
    EXPECT_EQ(sst_ring_pop(&ring, mmio(), &mmio_frame, sizeof(mmio_frame)), SST_MMIO_BAD_TYPE);
    EXPECT_EQ(ctrl.tail, 0u) << "a refused frame is not consumed";
    sst_virtio_frame frame;
    ASSERT_EQ(sst_ring_pop(&ring, virtio(), &frame, sizeof(frame)), SST_MMIO_DECODED);
    EXPECT_EQ(frame.hdr.seq, 9u);
    EXPECT_EQ(ctrl.tail, bytes.size());
}

// A family of the test's own, defined as a new one would be (here in the DMA range), with a field
// its validate refuses: nothing in the base layer knows of it.
struct test_dma_read {
    uint64_t address;
    uint32_t length;  // at most 64
    uint32_t reserved;
};

uint32_t test_family_payload_size(uint32_t type) {
    return type == SST_FRAME_TYPE(SST_FAMILY_DMA, 1) ? sizeof(test_dma_read) : 0;
}

int test_family_validate(uint32_t, void* payload) {
    test_dma_read read;
    std::memcpy(&read, payload, sizeof(read));
    return read.length <= 64 ? SST_MMIO_DECODED : SST_MMIO_BAD_FIELD;
}

struct test_dma_frame {
    sst_mmio_header hdr;
    union {
        SST_BASE_PAYLOADS;
        test_dma_read dma_read;
    } u;
};

const char* const kTestFamilyNames[] = {"DMA_READ"};
const sst_frame_family kTestFamily = {
    "test-dma",           SST_FAMILY_DMA,   1, sizeof(test_dma_frame), test_family_payload_size,
    test_family_validate, kTestFamilyNames,
};

TEST(NewFamily, IsDefinedWithoutTouchingTheBaseLayer) {
    const uint32_t type = SST_FRAME_TYPE(SST_FAMILY_DMA, 1);
    test_dma_read read{0x80001000, 64, 0};
    uint8_t bytes[sizeof(test_dma_frame)];
    const size_t len = sst_frame_encode(bytes, &kTestFamily, type, 4, &read);
    ASSERT_EQ(len, kHeaderSize + sizeof(read));
    EXPECT_STREQ(sst_frame_type_str(&kTestFamily, type), "DMA_READ");

    test_dma_frame frame;
    size_t consumed = 0;
    ASSERT_EQ(sst_frame_decode(bytes, len, &kTestFamily, &frame, sizeof(frame), &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(frame.u.dma_read.address, 0x80001000u);
    EXPECT_EQ(decode(mmio(), std::vector<uint8_t>(bytes, bytes + len)), SST_MMIO_BAD_TYPE);

    read.length = 65;
    sst_frame_encode(bytes, &kTestFamily, type, 4, &read);
    EXPECT_EQ(sst_frame_decode(bytes, len, &kTestFamily, &frame, sizeof(frame), &consumed), SST_MMIO_BAD_FIELD);
}

}  // namespace

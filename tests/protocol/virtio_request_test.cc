// sst_request_check of include/qemu-sst/virtio_sst.h: what a device accepts from the guest.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "qemu-sst/virtio_sst.h"

namespace {

SSTRequest request(uint32_t type) {
    SSTRequest req;
    std::memset(&req, 0, sizeof(req));
    req.type = type;
    req.request_id = 42;
    return req;
}

// The reason a request is refused, or "" when it is accepted.
std::string verdict(const SSTRequest& req, size_t len = sizeof(SSTRequest)) {
    const char* why = "untouched";
    const uint32_t status = sst_request_check(&req, len, &why);
    if (status == SST_STATUS_OK) {
        return why == nullptr ? "" : std::string("OK but why = ") + why;
    }
    if (status != SST_STATUS_INVALID) {
        return "unexpected status " + std::to_string(status);
    }
    return why ? why : "INVALID without a reason";
}

constexpr const char* kBadLength = "a request is exactly one 4096-byte SSTRequest";
constexpr const char* kBadType = "unknown request type";
constexpr const char* kBadEcho = "echo data_len exceeds SST_MAX_DATA_SIZE";
constexpr const char* kBadSize = "memory access size must be 1..SST_MEMORY_DATA_MAX";
constexpr const char* kWraps = "memory access wraps around";
constexpr const char* kBadModel = "unknown latency model";
constexpr const char* kBadKey = "unknown configuration key";

TEST(VirtioRequestCheck, AcceptsSimpleRequests) {
    for (uint32_t type : {SST_REQ_NOOP, SST_REQ_RESET, SST_REQ_GET_INFO}) {
        EXPECT_EQ(verdict(request(type)), "") << sst_request_type_str(type);
    }
}

TEST(VirtioRequestCheck, AcceptsEchoUpToAFullPayload) {
    auto req = request(SST_REQ_ECHO);
    for (uint32_t len : {0u, 1u, 100u, static_cast<uint32_t>(SST_MAX_DATA_SIZE)}) {
        req.data_len = len;
        EXPECT_EQ(verdict(req), "") << "data_len " << len;
    }
}

TEST(VirtioRequestCheck, AcceptsComputeWithEveryLatencyModel) {
    auto req = request(SST_REQ_COMPUTE);
    req.payload.compute.compute_units = 1000;
    for (uint32_t model : {SST_LATENCY_FIXED, SST_LATENCY_LINEAR, SST_LATENCY_PIPELINED}) {
        req.payload.compute.latency_model = model;
        EXPECT_EQ(verdict(req), "") << "model " << model;
    }
}

TEST(VirtioRequestCheck, AcceptsMemoryAccessesOfLegalSize) {
    for (uint32_t type : {SST_REQ_READ, SST_REQ_WRITE}) {
        auto req = request(type);
        req.payload.memory.addr = 0x1000;
        for (uint32_t size : {1u, 8u, static_cast<uint32_t>(SST_MEMORY_DATA_MAX)}) {
            req.payload.memory.size = size;
            EXPECT_EQ(verdict(req), "") << sst_request_type_str(type) << " size " << size;
        }
        req.payload.memory.size = 16;
        req.payload.memory.addr = UINT64_MAX - 16;  // ends one byte short of 2^64
        EXPECT_EQ(verdict(req), "") << sst_request_type_str(type) << " at the top of the space";
    }
}

TEST(VirtioRequestCheck, AcceptsEveryConfigurationKey) {
    auto req = request(SST_REQ_CONFIGURE);
    for (uint32_t key :
         {SST_CONFIG_LATENCY_MODEL, SST_CONFIG_BASE_LATENCY, SST_CONFIG_CYCLES_PER_UNIT, SST_CONFIG_LANES}) {
        req.payload.config.key = key;
        req.payload.config.value = 4;
        EXPECT_EQ(verdict(req), "") << "key " << key;
    }
}

TEST(VirtioRequestCheck, RefusesAnythingButOnePage) {
    const auto req = request(SST_REQ_NOOP);
    for (size_t len : {size_t{0}, size_t{32}, size_t{4095}, size_t{4097}, size_t{8192}}) {
        EXPECT_EQ(verdict(req, len), kBadLength) << "len " << len;
    }
}

TEST(VirtioRequestCheck, RefusesUnknownTypes) {
    for (uint32_t type : {static_cast<uint32_t>(SST_REQ_TYPE_COUNT), 100u, UINT32_MAX}) {
        EXPECT_EQ(verdict(request(type)), kBadType) << "type " << type;
    }
}

TEST(VirtioRequestCheck, RefusesEchoLongerThanThePayload) {
    auto req = request(SST_REQ_ECHO);
    req.data_len = SST_MAX_DATA_SIZE + 1;
    EXPECT_EQ(verdict(req), kBadEcho);
    req.data_len = UINT32_MAX;
    EXPECT_EQ(verdict(req), kBadEcho);
}

TEST(VirtioRequestCheck, RefusesMemoryAccessesOfIllegalSize) {
    for (uint32_t type : {SST_REQ_READ, SST_REQ_WRITE}) {
        auto req = request(type);
        for (uint32_t size : {0u, static_cast<uint32_t>(SST_MEMORY_DATA_MAX) + 1, UINT32_MAX}) {
            req.payload.memory.size = size;
            EXPECT_EQ(verdict(req), kBadSize) << sst_request_type_str(type) << " size " << size;
        }
    }
}

TEST(VirtioRequestCheck, RefusesMemoryAccessesThatWrap) {
    for (uint32_t type : {SST_REQ_READ, SST_REQ_WRITE}) {
        auto req = request(type);
        req.payload.memory.size = 2;
        req.payload.memory.addr = UINT64_MAX;
        EXPECT_EQ(verdict(req), kWraps) << sst_request_type_str(type);
        req.payload.memory.size = SST_MEMORY_DATA_MAX;
        req.payload.memory.addr = UINT64_MAX - 100;
        EXPECT_EQ(verdict(req), kWraps) << sst_request_type_str(type);
    }
}

TEST(VirtioRequestCheck, RefusesUnknownLatencyModel) {
    auto req = request(SST_REQ_COMPUTE);
    req.payload.compute.latency_model = SST_LATENCY_MODEL_COUNT;
    EXPECT_EQ(verdict(req), kBadModel);
    req.payload.compute.latency_model = UINT32_MAX;
    EXPECT_EQ(verdict(req), kBadModel);
}

TEST(VirtioRequestCheck, RefusesUnknownConfigurationKey) {
    auto req = request(SST_REQ_CONFIGURE);
    for (uint32_t key : {0u, static_cast<uint32_t>(SST_CONFIG_LANES) + 1, UINT32_MAX}) {
        req.payload.config.key = key;
        EXPECT_EQ(verdict(req), kBadKey) << "key " << key;
    }
}

TEST(VirtioRequestCheck, FieldsOfOtherTypesAreNotChecked) {
    // The union is read through the member the type selects; bytes that would be invalid under
    // another member must not cause a refusal.
    auto req = request(SST_REQ_COMPUTE);
    req.payload.compute.latency_model = SST_LATENCY_FIXED;  // read as memory.size: 0, refused for READ
    req.data_len = UINT32_MAX;                              // only ECHO reads data_len
    EXPECT_EQ(verdict(req), "");
    auto echo = request(SST_REQ_ECHO);
    echo.payload.config.key = 0;  // would be an unknown configuration key
    EXPECT_EQ(verdict(echo), "");
}

TEST(VirtioRequestCheck, ReasonPointerIsOptional) {
    const auto bad = request(UINT32_MAX);
    const auto good = request(SST_REQ_NOOP);
    EXPECT_EQ(sst_request_check(&bad, sizeof(bad), nullptr), uint32_t{SST_STATUS_INVALID});
    EXPECT_EQ(sst_request_check(&good, sizeof(good), nullptr), uint32_t{SST_STATUS_OK});
}

TEST(VirtioRequestCheck, LengthIsCheckedBeforeContents) {
    // A short buffer must be refused without looking at fields it may not even contain.
    const auto req = request(UINT32_MAX);
    EXPECT_EQ(verdict(req, 4), kBadLength);
}

TEST(VirtioNames, TypeAndStatusStrings) {
    EXPECT_STREQ(sst_request_type_str(SST_REQ_CONFIGURE), "CONFIGURE");
    EXPECT_STREQ(sst_request_type_str(SST_REQ_TYPE_COUNT), "UNKNOWN");
    EXPECT_STREQ(sst_status_str(SST_STATUS_NO_DEVICE), "NO_DEVICE");
    EXPECT_STREQ(sst_status_str(6), "UNKNOWN");
}

}  // namespace

namespace {

TEST(VirtioRequestCheck, FlagsAreChecked) {
    SSTRequest req = request(SST_REQ_COMPUTE);
    req.flags = SST_REQ_FLAG_NOTIFY;
    EXPECT_EQ(verdict(req), "");
    req.flags = 1u << 7;
    EXPECT_EQ(verdict(req), "unknown request flags");
}

TEST(VirtioRequestCheck, DefaultModelFlagIgnoresTheModelField) {
    SSTRequest req = request(SST_REQ_COMPUTE);
    req.payload.compute.latency_model = SST_LATENCY_MODEL_COUNT;
    EXPECT_EQ(verdict(req), "unknown latency model");
    req.flags = SST_REQ_FLAG_DEFAULT_MODEL;
    EXPECT_EQ(verdict(req), "");
}

// sst_request_used_size: how much of a request the driver's write() copies.

size_t usedSize(uint32_t type) {
    const SSTRequest req = request(type);
    return sst_request_used_size(&req);
}

TEST(VirtioRequestUsedSize, CountsTheBytesEachTypeGivesAMeaning) {
    EXPECT_EQ(usedSize(SST_REQ_NOOP), 32u);
    EXPECT_EQ(usedSize(SST_REQ_RESET), 32u);
    EXPECT_EQ(usedSize(SST_REQ_GET_INFO), 32u);
    EXPECT_EQ(usedSize(SST_REQ_COMPUTE), 48u);
    EXPECT_EQ(usedSize(SST_REQ_CONFIGURE), 48u);
    EXPECT_EQ(usedSize(SST_REQ_READ), 48u);
    SSTRequest echo = request(SST_REQ_ECHO);
    echo.data_len = 64;
    EXPECT_EQ(sst_request_used_size(&echo), 96u);
    echo.data_len = 100000;  // refused by sst_request_check; never more than the page
    EXPECT_EQ(sst_request_used_size(&echo), 4096u);
    SSTRequest write = request(SST_REQ_WRITE);
    write.payload.memory.size = 4048;
    EXPECT_EQ(sst_request_used_size(&write), 4096u);
    write.payload.memory.size = 8;
    EXPECT_EQ(sst_request_used_size(&write), 56u);
    EXPECT_EQ(usedSize(99), 4096u);
}

// The driver copies SST_REQUEST_PREFIX_SIZE bytes first and sizes the rest from them alone.
TEST(VirtioRequestUsedSize, DependsOnThePrefixOnly) {
    for (uint32_t type = 0; type <= SST_REQ_TYPE_COUNT; type++) {
        SSTRequest req = request(type);
        req.data_len = 200;
        req.payload.memory.size = 300;
        SSTRequest garbled = req;
        std::memset(reinterpret_cast<uint8_t*>(&garbled) + SST_REQUEST_PREFIX_SIZE, 0xa5,
                    sizeof(garbled) - SST_REQUEST_PREFIX_SIZE);
        EXPECT_EQ(sst_request_used_size(&req), sst_request_used_size(&garbled)) << "type " << type;
        EXPECT_GE(sst_request_used_size(&req), size_t(SST_HEADER_SIZE)) << "type " << type;
    }
}

}  // namespace

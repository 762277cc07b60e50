// sst_mmio_decode on arbitrary bytes.  Whatever decodes must re-encode to the same bytes (apart
// from the text terminators the decoder forces) and decode again to the same frame.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "qemu-sst/mmio_protocol.h"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_mmio_decode: %s\n", what);
    std::abort();
}

void check_rejection(const uint8_t* data, size_t size, int rc) {
    if (rc < SST_MMIO_NEED_MORE || rc > SST_MMIO_BAD_FIELD) {
        fail("decode returned a value outside enum sst_mmio_decode_result");
    }
    if (rc == SST_MMIO_NEED_MORE && size >= sizeof(sst_mmio_header)) {
        // Only a well-formed header with too few payload bytes after it may ask for more.
        sst_mmio_header hdr;
        std::memcpy(&hdr, data, sizeof(hdr));
        if (size >= sizeof(hdr) + sst_mmio_payload_size(hdr.type)) {
            fail("NEED_MORE although the whole frame is there");
        }
    }
    (void)sst_mmio_decode_result_str(rc);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    sst_mmio_frame frame;
    size_t consumed = 0;
    const int rc = sst_mmio_decode(data, size, &frame, &consumed);
    if (rc != SST_MMIO_DECODED) {
        check_rejection(data, size, rc);
        return 0;
    }
    const uint32_t type = frame.hdr.type;
    if (!sst_mmio_type_known(type) || consumed != sizeof(sst_mmio_header) + sst_mmio_payload_size(type) ||
        consumed > size) {
        fail("decoded frame has an impossible type or size");
    }
    (void)sst_mmio_type_str(type);

    uint8_t encoded[SST_MMIO_MAX_FRAME];
    const size_t n = sst_mmio_encode(encoded, type, frame.hdr.seq, &frame.u);
    if (n != consumed) {
        fail("re-encoded size differs from the decoded size");
    }
    uint8_t expected[SST_MMIO_MAX_FRAME];
    std::memcpy(expected, data, n);
    if (type == SST_MMIO_HELLO) {
        expected[sizeof(sst_mmio_header) + offsetof(sst_mmio_hello, name) + SST_MMIO_NAME_LEN - 1] = 0;
    }
    if (type == SST_MMIO_ERROR) {
        expected[sizeof(sst_mmio_header) + offsetof(sst_mmio_error, text) + SST_MMIO_ERROR_TEXT_LEN - 1] = 0;
    }
    if (std::memcmp(encoded, expected, n) != 0) {
        fail("re-encoded bytes differ from the input");
    }

    sst_mmio_frame again;
    size_t consumed_again = 0;
    if (sst_mmio_decode(encoded, n, &again, &consumed_again) != SST_MMIO_DECODED ||
        consumed_again != n || std::memcmp(&again, &frame, sizeof(frame)) != 0) {
        fail("decoding the re-encoded frame gives a different frame");
    }
    return 0;
}

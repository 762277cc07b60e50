// sst_frame_decode on arbitrary bytes, for a channel of each payload family.  Whatever decodes
// must re-encode to the same bytes (apart from the text terminators the decoder forces), decode
// again to the same frame, and have written nothing past its own bytes.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/virtio_protocol.h"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_mmio_decode: %s\n", what);
    std::abort();
}

void check_rejection(const sst_frame_family* family, const uint8_t* data, size_t size, int rc) {
    if (rc < SST_MMIO_NEED_MORE || rc > SST_MMIO_BAD_FIELD) {
        fail("decode returned a value outside enum sst_mmio_decode_result");
    }
    if (rc == SST_MMIO_NEED_MORE && size >= sizeof(sst_mmio_header)) {
        // Only a well-formed header with too few payload bytes after it may ask for more.
        sst_mmio_header hdr;
        std::memcpy(&hdr, data, sizeof(hdr));
        if (size >= sizeof(hdr) + sst_frame_payload_size(family, hdr.type)) {
            fail("NEED_MORE although the whole frame is there");
        }
    }
    (void)sst_mmio_decode_result_str(rc);
}

// A buffer with room past the frame of a kind, to see that decoding writes nothing there.
constexpr uint8_t kUntouched = 0xA5;
struct alignas(8) FrameBuffer {
    uint8_t bytes[SST_FRAME_LIMIT + 64];
};

void check_family(const sst_frame_family* family, const uint8_t* data, size_t size) {
    const size_t frame_size = sst_frame_size(family);
    static FrameBuffer frame;
    std::memset(frame.bytes, kUntouched, sizeof(frame.bytes));
    size_t consumed = 0;
    const int rc = sst_frame_decode(data, size, family, frame.bytes, frame_size, &consumed);
    if (rc != SST_MMIO_DECODED) {
        check_rejection(family, data, size, rc);
        return;
    }
    sst_mmio_header hdr;
    std::memcpy(&hdr, frame.bytes, sizeof(hdr));
    const uint32_t type = hdr.type;
    if (!sst_frame_type_known(family, type) ||
        consumed != sizeof(sst_mmio_header) + sst_frame_payload_size(family, type) || consumed > size ||
        consumed > frame_size) {
        fail("decoded frame has an impossible type or size");
    }
    for (size_t i = consumed; i < sizeof(frame.bytes); i++) {
        if (frame.bytes[i] != kUntouched) {
            fail("decode wrote past the frame's own bytes");
        }
    }
    (void)sst_frame_type_str(family, type);

    static uint8_t encoded[SST_FRAME_LIMIT];
    const size_t n = sst_frame_encode(encoded, family, type, hdr.seq, frame.bytes + sizeof(hdr));
    if (n != consumed) {
        fail("re-encoded size differs from the decoded size");
    }
    static uint8_t expected[SST_FRAME_LIMIT];
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

    static FrameBuffer again;
    size_t consumed_again = 0;
    if (sst_frame_decode(encoded, n, family, again.bytes, frame_size, &consumed_again) != SST_MMIO_DECODED ||
        consumed_again != n || std::memcmp(again.bytes, frame.bytes, n) != 0) {
        fail("decoding the re-encoded frame gives a different frame");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    check_family(sst_mmio_family(), data, size);
    check_family(sst_virtio_family(), data, size);
    return 0;
}

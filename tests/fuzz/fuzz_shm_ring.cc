// sst_ring_pop on a ring whose counters and contents come from the input, as a corrupt or hostile
// peer could leave them in shared memory.  The data area and the control block are separate heap
// blocks of exactly their size, so AddressSanitizer reports a read past either end of the data.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "fuzz_input_layout.h"
#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/shm_ring.h"

namespace {

using namespace fuzz_layout;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_shm_ring: %s\n", what);
    std::abort();
}

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};

// Pops until the ring is empty or reports corruption, checking what every result promises.
int drain(sst_ring* ring) {
    const uint64_t head = ring->ctrl->head;
    int rc = SST_MMIO_DECODED;
    // Each frame takes at least a header, so more pops than this means the tail is not moving.
    for (uint64_t pops = 0; pops <= ring->capacity / sizeof(sst_mmio_header) + 1; pops++) {
        const uint64_t tail = ring->ctrl->tail;
        sst_mmio_frame frame;
        rc = sst_ring_pop(ring, sst_mmio_family(), &frame, sizeof(frame));
        if (rc != SST_MMIO_DECODED) {
            if (ring->ctrl->tail != tail) {
                fail("a failed pop moved the tail");
            }
            if (rc == SST_MMIO_NEED_MORE && head != tail) {
                fail("NEED_MORE from a ring that is not empty");
            }
            return rc;
        }
        const uint64_t frame_size = sizeof(sst_mmio_header) + sst_frame_payload_size(sst_mmio_family(), frame.hdr.type);
        if (ring->ctrl->tail != tail + frame_size || frame_size > head - tail) {
            fail("a pop consumed something other than one whole published frame");
        }
    }
    fail("the ring never ran empty");
}

// On a ring left empty and consistent, one more frame must go through wherever the counters are.
void round_trip(sst_ring* ring) {
    sst_mmio_access access{};
    access.id = ring->ctrl->head;
    access.size = 8;
    uint8_t bytes[SST_MMIO_MAX_FRAME];
    const uint32_t len = static_cast<uint32_t>(sst_mmio_encode(bytes, SST_MMIO_READ, 7, &access));
    if (sst_ring_push(ring, bytes, len) < 0) {
        if (len <= ring->capacity) {
            fail("an empty ring refused a frame that fits");
        }
        return;
    }
    sst_mmio_frame frame;
    if (sst_ring_pop(ring, sst_mmio_family(), &frame, sizeof(frame)) != SST_MMIO_DECODED || frame.hdr.seq != 7 ||
        frame.u.access.id != access.id || !sst_ring_empty(ring)) {
        fail("a frame pushed into an empty ring did not come back intact");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < kRingDataAt) {
        return 0;
    }
    uint64_t head, tail;
    std::memcpy(&head, data + kRingHeadAt, sizeof(head));
    std::memcpy(&tail, data + kRingTailAt, sizeof(tail));
    const uint8_t shape = data[kRingShapeAt];
    const uint32_t capacity = 1u << ((shape & kRingShapeLog2Mask) % (kRingMaxLog2 + 1));
    if (!(shape & kRingShapeRawHead)) {
        head = tail + head % (2ull * capacity + 1);
    }

    std::unique_ptr<sst_ring_ctrl> ctrl(new sst_ring_ctrl());
    ctrl->head = head;
    ctrl->tail = tail;
    std::unique_ptr<uint8_t, FreeDeleter> ring_data(static_cast<uint8_t*>(std::malloc(capacity)));
    const size_t given = size - kRingDataAt < capacity ? size - kRingDataAt : capacity;
    std::memcpy(ring_data.get(), data + kRingDataAt, given);
    std::memset(ring_data.get() + given, 0, capacity - given);

    sst_ring ring{ctrl.get(), ring_data.get(), capacity};
    if (drain(&ring) == SST_MMIO_NEED_MORE) {
        round_trip(&ring);
    }
    return 0;
}

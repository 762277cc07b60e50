/*
 * The virtio payload family of the channel protocol (channel_protocol.h): the channel of a QEMU
 * `virtio-sst-device`, carrying the page-sized SSTRequest / SSTResponse / SSTEvent structs of the
 * guest's protocol (virtio_sst.h).  Its frames are VIRTIO_REQUEST, VIRTIO_RESPONSE and
 * VIRTIO_EVENT, on top of the base layer's.
 *
 * virtio-sst requests are asynchronous: QEMU sends each one as the guest queues it and completes it
 * when the RESPONSE says, without blocking the vCPU.  In deterministic mode the request is
 * delivered at vtime_ps and QEMU makes the completion visible to the guest at vtime_ps +
 * latency_ps of guest time (or at once, if its clock is already past that).
 *
 * Plain C11 so the QEMU devices and C++ code can all include it.
 */
#ifndef QEMU_SST_VIRTIO_PROTOCOL_H
#define QEMU_SST_VIRTIO_PROTOCOL_H

#include "channel_protocol.h"
#include "virtio_sst.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sst_virtio_family_type {
    SST_MMIO_VIRTIO_REQUEST = SST_FRAME_TYPE(SST_FAMILY_VIRTIO, 1),  /* QEMU -> sim: an SSTRequest the guest queued */
    SST_MMIO_VIRTIO_RESPONSE = SST_FRAME_TYPE(SST_FAMILY_VIRTIO, 2), /* sim -> QEMU: the SSTResponse to one */
    SST_MMIO_VIRTIO_EVENT = SST_FRAME_TYPE(SST_FAMILY_VIRTIO, 3),    /* sim -> QEMU: an SSTEvent for the event queue */
};
#define SST_VIRTIO_FAMILY_TYPE_COUNT 3u

struct sst_mmio_virtio_request {
    uint64_t id;       /* chosen by QEMU (e.g. the descriptor head), echoed in the response */
    uint64_t vtime_ps; /* guest virtual time the guest queued the request */
    uint32_t length;   /* bytes the guest supplied; anything but sizeof(SSTRequest) is INVALID */
    uint32_t reserved;
    struct SSTRequest request;
};

struct sst_mmio_virtio_response {
    uint64_t id;
    uint64_t latency_ps; /* modelled time from the request to its completion */
    struct SSTResponse response;
};

struct sst_mmio_virtio_event {
    uint64_t vtime_ps; /* simulated time the event happened */
    struct SSTEvent event;
};

SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_virtio_request) == 24 + SST_PAGE_SIZE, "virtio request size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_virtio_request, request) == 24, "virtio request offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_virtio_response) == 16 + SST_PAGE_SIZE, "virtio response size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_virtio_event) == 40, "virtio event size");

/* A decoded frame of a virtio channel. */
struct sst_virtio_frame {
    struct sst_mmio_header hdr;
    union {
        SST_BASE_PAYLOADS;
        struct sst_mmio_virtio_request virtio_request;
        struct sst_mmio_virtio_response virtio_response;
        struct sst_mmio_virtio_event virtio_event;
    } u;
};

#define SST_VIRTIO_MAX_FRAME sizeof(struct sst_virtio_frame)
SST_MMIO_STATIC_ASSERT(SST_VIRTIO_MAX_FRAME <= SST_FRAME_LIMIT, "virtio frames within the protocol's limit");

static inline uint32_t sst_virtio_family_payload_size(uint32_t type) {
    switch (type) {
    case SST_MMIO_VIRTIO_REQUEST: return sizeof(struct sst_mmio_virtio_request);
    case SST_MMIO_VIRTIO_RESPONSE: return sizeof(struct sst_mmio_virtio_response);
    case SST_MMIO_VIRTIO_EVENT: return sizeof(struct sst_mmio_virtio_event);
    default: return 0;
    }
}

/* Every field value is acceptable on the wire: whoever serves a request checks it against the
 * guest protocol (sst_request_check) and answers SST_STATUS_INVALID rather than closing. */
static inline int sst_virtio_family_validate(uint32_t type, void *payload) {
    (void)type;
    (void)payload;
    return SST_MMIO_DECODED;
}

static inline const struct sst_frame_family *sst_virtio_family(void) {
    static const char *const names[SST_VIRTIO_FAMILY_TYPE_COUNT] = {"VIRTIO_REQUEST", "VIRTIO_RESPONSE",
                                                                    "VIRTIO_EVENT"};
    static const struct sst_frame_family family = {
        "virtio",
        SST_FAMILY_VIRTIO,
        SST_VIRTIO_FAMILY_TYPE_COUNT,
        sizeof(struct sst_virtio_frame),
        sst_virtio_family_payload_size,
        sst_virtio_family_validate,
        names,
    };
    return &family;
}

/* A virtio channel's frame types by name, for logs. */
static inline const char *sst_virtio_type_str(uint32_t type) { return sst_frame_type_str(sst_virtio_family(), type); }

#ifdef __cplusplus
}
#endif

#endif /* QEMU_SST_VIRTIO_PROTOCOL_H */

/*
 * The MMIO payload family of the channel protocol (channel_protocol.h): the channel of a QEMU
 * `sst-device`, a window of guest-physical addresses whose loads and stores the simulator's bridge
 * serves.  Its frames are READ, WRITE, RESPONSE and IRQ, on top of the base layer's.
 *
 * Accesses are synchronous: QEMU's vCPU waits for the RESPONSE.  In deterministic mode each
 * READ/WRITE carries the guest time of the access, the simulator delivers it to the device at that
 * time and the RESPONSE's latency_ps is added to the guest clock; an IRQ carries the simulated
 * time the device changed its line (see the time protocol in channel_protocol.h).
 *
 * Plain C11 so the QEMU devices, guest-side tools and C++ code can all include it.
 */
#ifndef QEMU_SST_MMIO_PROTOCOL_H
#define QEMU_SST_MMIO_PROTOCOL_H

#include "channel_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sst_mmio_family_type {
    SST_MMIO_READ = SST_FRAME_TYPE(SST_FAMILY_MMIO, 1),     /* QEMU -> sim: guest load */
    SST_MMIO_WRITE = SST_FRAME_TYPE(SST_FAMILY_MMIO, 2),    /* QEMU -> sim: guest store */
    SST_MMIO_RESPONSE = SST_FRAME_TYPE(SST_FAMILY_MMIO, 3), /* sim -> QEMU: completes one READ or WRITE */
    SST_MMIO_IRQ = SST_FRAME_TYPE(SST_FAMILY_MMIO, 4),      /* sim -> QEMU: set or clear the interrupt line */
};
#define SST_MMIO_FAMILY_TYPE_COUNT 4u

enum sst_mmio_status {
    SST_MMIO_OK = 0,
    SST_MMIO_BUS_ERROR = 1,    /* the device refused the access (bad size, read-only, ...) */
    SST_MMIO_DECODE_ERROR = 2, /* no device answers at that address */
    SST_MMIO_TIMEOUT = 3,      /* the simulator did not answer in time */
    SST_MMIO_NO_DEVICE = 4,    /* the simulator is gone */
};

struct sst_mmio_access { /* READ and WRITE */
    uint64_t id;         /* chosen by QEMU, echoed in the RESPONSE */
    uint64_t offset;     /* from the window base */
    uint64_t data;       /* WRITE: value stored (low `size` bytes); READ: 0 */
    uint64_t vtime_ps;   /* guest virtual time of the access */
    uint8_t size;        /* 1, 2, 4 or 8 */
    uint8_t reserved[7];
};

struct sst_mmio_response {
    uint64_t id;         /* id of the access it completes */
    uint64_t data;       /* READ: loaded value, zero-extended */
    uint64_t latency_ps; /* modelled time from the access to its completion */
    uint32_t status;     /* enum sst_mmio_status */
    uint32_t reserved;
    uint64_t horizon_ps; /* deterministic mode: not 0 lowers the horizon to it (channel_protocol.h) */
};

struct sst_mmio_irq {
    uint32_t line;     /* interrupt line of this device (0 for single-line devices) */
    uint32_t level;    /* 1 raise, 0 lower */
    uint64_t vtime_ps; /* simulated time the device changed the line */
};

SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_access) == 40, "access size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_access, vtime_ps) == 24, "access.vtime offset");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_access, size) == 32, "access.size offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_response) == 40, "response size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_response, status) == 24, "response.status offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_irq) == 16, "irq size");

/* A decoded frame of an MMIO channel: the header plus its payload, viewed through the member its
 * type selects. */
struct sst_mmio_frame {
    struct sst_mmio_header hdr;
    union {
        SST_BASE_PAYLOADS;
        struct sst_mmio_access access;
        struct sst_mmio_response response;
        struct sst_mmio_irq irq;
    } u;
};

#define SST_MMIO_MAX_FRAME sizeof(struct sst_mmio_frame)
SST_MMIO_STATIC_ASSERT(SST_MMIO_MAX_FRAME <= SST_FRAME_LIMIT, "MMIO frames within the protocol's limit");

static inline int sst_mmio_access_size_valid(uint32_t size) { return size == 1 || size == 2 || size == 4 || size == 8; }

static inline uint32_t sst_mmio_family_payload_size(uint32_t type) {
    switch (type) {
    case SST_MMIO_READ:
    case SST_MMIO_WRITE: return sizeof(struct sst_mmio_access);
    case SST_MMIO_RESPONSE: return sizeof(struct sst_mmio_response);
    case SST_MMIO_IRQ: return sizeof(struct sst_mmio_irq);
    default: return 0;
    }
}

static inline int sst_mmio_family_validate(uint32_t type, void *payload) {
    if (type == SST_MMIO_READ || type == SST_MMIO_WRITE) {
        const uint8_t size = ((const uint8_t *)payload)[offsetof(struct sst_mmio_access, size)];
        return sst_mmio_access_size_valid(size) ? SST_MMIO_DECODED : SST_MMIO_BAD_FIELD;
    }
    return SST_MMIO_DECODED;
}

static inline const struct sst_frame_family *sst_mmio_family(void) {
    static const char *const names[SST_MMIO_FAMILY_TYPE_COUNT] = {"READ", "WRITE", "RESPONSE", "IRQ"};
    static const struct sst_frame_family family = {
        "mmio",
        SST_FAMILY_MMIO,
        SST_MMIO_FAMILY_TYPE_COUNT,
        sizeof(struct sst_mmio_frame),
        sst_mmio_family_payload_size,
        sst_mmio_family_validate,
        names,
    };
    return &family;
}

/* An MMIO channel's frame types by name, for logs. */
static inline const char *sst_mmio_type_str(uint32_t type) { return sst_frame_type_str(sst_mmio_family(), type); }

static inline const char *sst_mmio_status_str(uint32_t status) {
    switch (status) {
    case SST_MMIO_OK: return "ok";
    case SST_MMIO_BUS_ERROR: return "bus error";
    case SST_MMIO_DECODE_ERROR: return "decode error";
    case SST_MMIO_TIMEOUT: return "timeout";
    case SST_MMIO_NO_DEVICE: return "no device";
    default: return "unknown status";
    }
}

/* sst_frame_decode / sst_frame_encode for an MMIO channel. */
static inline int sst_mmio_decode(const void *buf, size_t len, struct sst_mmio_frame *out, size_t *consumed) {
    return sst_frame_decode(buf, len, sst_mmio_family(), out, sizeof(*out), consumed);
}

static inline size_t sst_mmio_encode(void *buf, uint32_t type, uint32_t seq, const void *payload) {
    return sst_frame_encode(buf, sst_mmio_family(), type, seq, payload);
}

#ifdef __cplusplus
}
#endif

#endif /* QEMU_SST_MMIO_PROTOCOL_H */

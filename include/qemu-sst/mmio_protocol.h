/*
 * MMIO channel between a QEMU `sst-device` and the simulator's bridge component
 * (qemubinary.QEMUBinary).  One channel per device window.
 *
 * Every message is a frame: a 16-byte header followed by a payload whose size is fixed by the
 * frame type.  Frames travel first over the device's Unix socket (HELLO, HELLO_ACK, SHM_OFFER,
 * SHM_READY) and then, once both sides have mapped the shared-memory region described in
 * shm_ring.h, through its two rings; from then on the socket only carries 1-byte doorbells (a
 * consumer may also ask for a futex wake-up instead, see shm_ring.h) and ERROR frames.
 *
 * All fields are little-endian on the wire.  Both ends of this channel run on the same host, and
 * every supported host (x86_64, aarch64, riscv64) is little-endian, so structs are used as they are;
 * the check below refuses to build elsewhere rather than silently mis-encoding.
 *
 * Time is in picoseconds of simulated (guest virtual) time.
 *
 * Time protocol.  One channel per QEMU (the first whose HELLO offers SST_MMIO_CAP_TIME_SYNC and
 * whose HELLO_ACK keeps it) carries SYNC and GRANT.  Accesses are synchronous: QEMU's vCPU waits
 * for the RESPONSE.  In SST_MMIO_TIME_DETERMINISTIC mode:
 *   - QEMU runs until the horizon of the latest GRANT, then sends SYNC(horizon) and waits for a
 *     GRANT with a later horizon.  A guest whose time is at or past the horizon (for instance after
 *     a slow access) sends SYNC(its time) and waits before issuing anything else.
 *   - Each READ/WRITE carries the guest time of the access; the simulator delivers it to the device
 *     at that time and the RESPONSE's latency_ps is added to the guest clock.
 *   - An IRQ carries the simulated time the device changed its line; QEMU applies it when its own
 *     clock reaches that time (at once if it is already past it).  So an interrupt is never seen
 *     before it is raised, and at most one quantum (or one access latency) after.
 * In SST_MMIO_TIME_FAST mode QEMU does not wait for GRANTs; it still sends SYNC about once per
 * quantum of its virtual clock (at least 1 ms apart: each costs the guest a main-loop wake-up),
 * so the simulator can tell it is alive and how far it has got.
 *
 * virtio-sst devices use the same channel: their requests, responses and events are frames too
 * (VIRTIO_*), carrying the page-sized structs of virtio_sst.h.
 *
 * Plain C11 so the QEMU devices, guest-side tools and C++ code can all include it.
 */
#ifndef QEMU_SST_MMIO_PROTOCOL_H
#define QEMU_SST_MMIO_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "virtio_sst.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "qemu-sst's MMIO protocol is little-endian and maps structs directly: big-endian hosts are not supported"
#endif

#ifdef __cplusplus
#define SST_MMIO_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
extern "C" {
#else
#define SST_MMIO_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define SST_MMIO_MAGIC 0x4d545353u /* bytes "SSTM" */
#define SST_MMIO_VERSION 1u

enum sst_mmio_type {
    SST_MMIO_HELLO = 1,     /* QEMU -> sim: window and capabilities */
    SST_MMIO_HELLO_ACK = 2, /* sim -> QEMU: accepted capabilities and time mode */
    SST_MMIO_SHM_OFFER = 3, /* sim -> QEMU: shared-memory region, fd passed with SCM_RIGHTS */
    SST_MMIO_SHM_READY = 4, /* QEMU -> sim: region mapped; data now flows through the rings */
    SST_MMIO_READ = 5,      /* QEMU -> sim: guest load */
    SST_MMIO_WRITE = 6,     /* QEMU -> sim: guest store */
    SST_MMIO_RESPONSE = 7,  /* sim -> QEMU: completes one READ or WRITE */
    SST_MMIO_IRQ = 8,       /* sim -> QEMU: set or clear the device's interrupt line */
    SST_MMIO_SYNC = 9,      /* QEMU -> sim: guest virtual time has reached vtime_ps */
    SST_MMIO_GRANT = 10,    /* sim -> QEMU: guest may run until horizon_ps */
    SST_MMIO_GOODBYE = 11,  /* either: orderly end of the channel */
    SST_MMIO_ERROR = 12,    /* either: protocol violation; the sender closes after it */
    SST_MMIO_VIRTIO_REQUEST = 13,  /* QEMU -> sim: an SSTRequest the guest queued on virtio-sst */
    SST_MMIO_VIRTIO_RESPONSE = 14, /* sim -> QEMU: the SSTResponse completing one request */
    SST_MMIO_VIRTIO_EVENT = 15,    /* sim -> QEMU: an asynchronous SSTEvent for the event queue */
    SST_MMIO_TYPE_COUNT
};

/* Capability bits exchanged in HELLO / HELLO_ACK. */
#define SST_MMIO_CAP_SHM_RING (1u << 0)  /* can move frames through shared-memory rings */
#define SST_MMIO_CAP_IRQ (1u << 1)       /* can drive an interrupt line */
#define SST_MMIO_CAP_TIME_SYNC (1u << 2) /* this channel carries the guest's SYNC/GRANT traffic */
#define SST_MMIO_CAP_VIRTIO (1u << 3)    /* this channel is a virtio-sst device (VIRTIO_* frames) */
#define SST_MMIO_CAP_ALL \
    (SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_IRQ | SST_MMIO_CAP_TIME_SYNC | SST_MMIO_CAP_VIRTIO)

enum sst_mmio_time_mode {
    SST_MMIO_TIME_FAST = 0,          /* QEMU runs free; accesses are served as they arrive */
    SST_MMIO_TIME_DETERMINISTIC = 1, /* QEMU stops at each GRANT horizon; latency adds to guest time */
};

enum sst_mmio_status {
    SST_MMIO_OK = 0,
    SST_MMIO_BUS_ERROR = 1,    /* the device refused the access (bad size, read-only, ...) */
    SST_MMIO_DECODE_ERROR = 2, /* no device answers at that address */
    SST_MMIO_TIMEOUT = 3,      /* the simulator did not answer in time */
    SST_MMIO_NO_DEVICE = 4,    /* the simulator is gone */
};

enum sst_mmio_goodbye_reason {
    SST_MMIO_BYE_GUEST_EXIT = 0, /* QEMU is exiting; exit_status is the guest's verdict */
    SST_MMIO_BYE_SIM_END = 1,    /* the simulation ended first */
    SST_MMIO_BYE_ERROR = 2,
};

struct sst_mmio_header {
    uint32_t magic;   /* SST_MMIO_MAGIC */
    uint16_t version; /* SST_MMIO_VERSION */
    uint16_t type;    /* enum sst_mmio_type */
    uint32_t length;  /* payload bytes after the header; fixed per type */
    uint32_t seq;     /* sender's frame counter: a gap or repeat means frames were lost */
};

#define SST_MMIO_NAME_LEN 32

struct sst_mmio_hello {
    uint32_t capabilities; /* SST_MMIO_CAP_* the sender supports */
    uint32_t reserved;
    uint64_t base_address; /* guest-physical base of the window QEMU mapped */
    uint64_t size;         /* window size in bytes */
    char name[SST_MMIO_NAME_LEN]; /* QEMU's id for the device, NUL-padded */
};

struct sst_mmio_hello_ack {
    uint32_t capabilities; /* the subset both sides will use */
    uint32_t time_mode;    /* enum sst_mmio_time_mode */
    uint64_t quantum_ps;   /* deterministic mode: distance between GRANT horizons */
};

struct sst_mmio_shm_offer {
    uint64_t region_size;   /* bytes to mmap from the passed memfd */
    uint32_t ring_capacity; /* data bytes per direction, a power of two */
    uint32_t reserved;
};

struct sst_mmio_access {   /* READ and WRITE */
    uint64_t id;           /* chosen by QEMU, echoed in the RESPONSE */
    uint64_t offset;       /* from the window base */
    uint64_t data;         /* WRITE: value stored (low `size` bytes); READ: 0 */
    uint64_t vtime_ps;     /* guest virtual time of the access */
    uint8_t size;          /* 1, 2, 4 or 8 */
    uint8_t reserved[7];
};

struct sst_mmio_response {
    uint64_t id;         /* id of the access it completes */
    uint64_t data;       /* READ: loaded value, zero-extended */
    uint64_t latency_ps; /* modelled time from the access to its completion */
    uint32_t status;     /* enum sst_mmio_status */
    uint32_t reserved;
};

struct sst_mmio_irq {
    uint32_t line;     /* interrupt line of this device (0 for single-line devices) */
    uint32_t level;    /* 1 raise, 0 lower */
    uint64_t vtime_ps; /* simulated time the device changed the line */
};

#define SST_MMIO_SYNC_IDLE (1u << 0) /* guest is waiting for an interrupt */

struct sst_mmio_sync {
    uint64_t vtime_ps; /* guest virtual time reached; QEMU sends nothing older afterwards */
    uint32_t flags;    /* SST_MMIO_SYNC_* */
    uint32_t reserved;
};

struct sst_mmio_grant {
    uint64_t horizon_ps; /* guest may run until this virtual time, then SYNC and wait */
};

struct sst_mmio_goodbye {
    uint32_t reason;     /* enum sst_mmio_goodbye_reason */
    int32_t exit_status; /* guest verdict for SST_MMIO_BYE_GUEST_EXIT */
};

/*
 * virtio-sst requests are asynchronous: QEMU sends each one as the guest queues it and completes it
 * when the RESPONSE says, without blocking the vCPU.  In deterministic mode the request is
 * delivered at vtime_ps and QEMU makes the completion visible to the guest at vtime_ps +
 * latency_ps of guest time (or at once, if its clock is already past that).
 */
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

#define SST_MMIO_ERROR_TEXT_LEN 120

struct sst_mmio_error {
    uint32_t code; /* enum sst_mmio_decode_result of what was wrong, or 0 */
    uint32_t reserved;
    char text[SST_MMIO_ERROR_TEXT_LEN]; /* NUL-terminated reason for logs */
};

SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_header) == 16, "header size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_header, type) == 6, "header.type offset");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_header, length) == 8, "header.length offset");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_header, seq) == 12, "header.seq offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_hello) == 56, "hello size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_hello, base_address) == 8, "hello.base offset");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_hello, name) == 24, "hello.name offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_hello_ack) == 16, "hello_ack size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_shm_offer) == 16, "shm_offer size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_access) == 40, "access size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_access, vtime_ps) == 24, "access.vtime offset");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_access, size) == 32, "access.size offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_response) == 32, "response size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_response, status) == 24, "response.status offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_irq) == 16, "irq size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_sync) == 16, "sync size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_grant) == 8, "grant size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_goodbye) == 8, "goodbye size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_error) == 128, "error size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_virtio_request) == 24 + SST_PAGE_SIZE, "virtio request size");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_mmio_virtio_request, request) == 24, "virtio request offset");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_virtio_response) == 16 + SST_PAGE_SIZE, "virtio response size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_virtio_event) == 40, "virtio event size");

/* A decoded frame: the header plus its payload, viewed through the member its type selects. */
struct sst_mmio_frame {
    struct sst_mmio_header hdr;
    union {
        struct sst_mmio_hello hello;
        struct sst_mmio_hello_ack hello_ack;
        struct sst_mmio_shm_offer shm_offer;
        struct sst_mmio_access access;
        struct sst_mmio_response response;
        struct sst_mmio_irq irq;
        struct sst_mmio_sync sync;
        struct sst_mmio_grant grant;
        struct sst_mmio_goodbye goodbye;
        struct sst_mmio_error error;
        struct sst_mmio_virtio_request virtio_request;
        struct sst_mmio_virtio_response virtio_response;
        struct sst_mmio_virtio_event virtio_event;
        uint8_t bytes[sizeof(struct sst_mmio_virtio_request)];
    } u;
};

#define SST_MMIO_MAX_PAYLOAD ((uint32_t)sizeof(struct sst_mmio_virtio_request))
#define SST_MMIO_MAX_FRAME (sizeof(struct sst_mmio_header) + SST_MMIO_MAX_PAYLOAD)

/* Payload size a frame type must carry, or 0 for an unknown type.  SHM_READY has none. */
static inline uint32_t sst_mmio_payload_size(uint32_t type)
{
    switch (type) {
    case SST_MMIO_HELLO: return sizeof(struct sst_mmio_hello);
    case SST_MMIO_HELLO_ACK: return sizeof(struct sst_mmio_hello_ack);
    case SST_MMIO_SHM_OFFER: return sizeof(struct sst_mmio_shm_offer);
    case SST_MMIO_SHM_READY: return 0;
    case SST_MMIO_READ:
    case SST_MMIO_WRITE: return sizeof(struct sst_mmio_access);
    case SST_MMIO_RESPONSE: return sizeof(struct sst_mmio_response);
    case SST_MMIO_IRQ: return sizeof(struct sst_mmio_irq);
    case SST_MMIO_SYNC: return sizeof(struct sst_mmio_sync);
    case SST_MMIO_GRANT: return sizeof(struct sst_mmio_grant);
    case SST_MMIO_GOODBYE: return sizeof(struct sst_mmio_goodbye);
    case SST_MMIO_ERROR: return sizeof(struct sst_mmio_error);
    case SST_MMIO_VIRTIO_REQUEST: return sizeof(struct sst_mmio_virtio_request);
    case SST_MMIO_VIRTIO_RESPONSE: return sizeof(struct sst_mmio_virtio_response);
    case SST_MMIO_VIRTIO_EVENT: return sizeof(struct sst_mmio_virtio_event);
    default: return 0;
    }
}

static inline int sst_mmio_type_known(uint32_t type)
{
    return type >= SST_MMIO_HELLO && type < SST_MMIO_TYPE_COUNT;
}

enum sst_mmio_decode_result {
    SST_MMIO_DECODED = 0,
    SST_MMIO_NEED_MORE = 1,   /* not a whole frame yet: read more bytes and try again */
    SST_MMIO_BAD_MAGIC = 2,   /* not our protocol, or the stream lost its framing */
    SST_MMIO_BAD_VERSION = 3, /* a peer speaking another protocol version */
    SST_MMIO_BAD_TYPE = 4,    /* unknown frame type */
    SST_MMIO_BAD_LENGTH = 5,  /* payload length does not match the type (truncated or oversized) */
    SST_MMIO_BAD_FIELD = 6,   /* a field holds a value the protocol forbids (e.g. access size 3) */
};

static inline const char *sst_mmio_decode_result_str(int result)
{
    switch (result) {
    case SST_MMIO_DECODED: return "ok";
    case SST_MMIO_NEED_MORE: return "incomplete frame";
    case SST_MMIO_BAD_MAGIC: return "bad magic (not an sst-device frame)";
    case SST_MMIO_BAD_VERSION: return "unsupported protocol version";
    case SST_MMIO_BAD_TYPE: return "unknown frame type";
    case SST_MMIO_BAD_LENGTH: return "payload length does not match the frame type";
    case SST_MMIO_BAD_FIELD: return "invalid field value";
    default: return "unknown decode result";
    }
}

static inline const char *sst_mmio_type_str(uint32_t type)
{
    static const char *const names[SST_MMIO_TYPE_COUNT] = {
        "?", "HELLO", "HELLO_ACK", "SHM_OFFER", "SHM_READY", "READ", "WRITE",
        "RESPONSE", "IRQ", "SYNC", "GRANT", "GOODBYE", "ERROR",
        "VIRTIO_REQUEST", "VIRTIO_RESPONSE", "VIRTIO_EVENT",
    };
    return sst_mmio_type_known(type) ? names[type] : "UNKNOWN";
}

static inline const char *sst_mmio_status_str(uint32_t status)
{
    switch (status) {
    case SST_MMIO_OK: return "ok";
    case SST_MMIO_BUS_ERROR: return "bus error";
    case SST_MMIO_DECODE_ERROR: return "decode error";
    case SST_MMIO_TIMEOUT: return "timeout";
    case SST_MMIO_NO_DEVICE: return "no device";
    default: return "unknown status";
    }
}

static inline int sst_mmio_access_size_valid(uint32_t size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/*
 * Validates and copies one frame from the start of `buf`.  On SST_MMIO_DECODED, `*consumed` is the
 * frame's byte count and `out` holds it.  Any other result leaves `out` unspecified; only
 * SST_MMIO_NEED_MORE is recoverable (a stream peer must close the channel on the rest, since
 * framing can no longer be trusted).  Never reads past buf + len.
 */
static inline int sst_mmio_decode(const void *buf, size_t len, struct sst_mmio_frame *out,
                                  size_t *consumed)
{
    struct sst_mmio_header hdr;
    uint32_t expected;

    if (len < sizeof(hdr)) {
        return SST_MMIO_NEED_MORE;
    }
    memcpy(&hdr, buf, sizeof(hdr));
    if (hdr.magic != SST_MMIO_MAGIC) {
        return SST_MMIO_BAD_MAGIC;
    }
    if (hdr.version != SST_MMIO_VERSION) {
        return SST_MMIO_BAD_VERSION;
    }
    if (!sst_mmio_type_known(hdr.type)) {
        return SST_MMIO_BAD_TYPE;
    }
    expected = sst_mmio_payload_size(hdr.type);
    if (hdr.length != expected) {
        return SST_MMIO_BAD_LENGTH;
    }
    if (len < sizeof(hdr) + expected) {
        return SST_MMIO_NEED_MORE;
    }
    out->hdr = hdr;
    memset(&out->u, 0, sizeof(out->u));
    memcpy(&out->u, (const uint8_t *)buf + sizeof(hdr), expected);
    if ((hdr.type == SST_MMIO_READ || hdr.type == SST_MMIO_WRITE) &&
        !sst_mmio_access_size_valid(out->u.access.size)) {
        return SST_MMIO_BAD_FIELD;
    }
    if (hdr.type == SST_MMIO_ERROR) {
        out->u.error.text[SST_MMIO_ERROR_TEXT_LEN - 1] = '\0'; /* never trust a peer's terminator */
    }
    if (hdr.type == SST_MMIO_HELLO) {
        out->u.hello.name[SST_MMIO_NAME_LEN - 1] = '\0';
    }
    *consumed = sizeof(hdr) + expected;
    return SST_MMIO_DECODED;
}

/*
 * Writes a frame of `type` with `payload` (its size is implied by the type) into `buf`, which must
 * hold SST_MMIO_MAX_FRAME bytes.  Returns the frame's byte count.
 */
static inline size_t sst_mmio_encode(void *buf, uint32_t type, uint32_t seq, const void *payload)
{
    struct sst_mmio_header hdr;
    uint32_t length = sst_mmio_payload_size(type);

    hdr.magic = SST_MMIO_MAGIC;
    hdr.version = SST_MMIO_VERSION;
    hdr.type = (uint16_t)type;
    hdr.length = length;
    hdr.seq = seq;
    memcpy(buf, &hdr, sizeof(hdr));
    if (length) {
        memcpy((uint8_t *)buf + sizeof(hdr), payload, length);
    }
    return sizeof(hdr) + length;
}

#ifdef __cplusplus
}
#endif

#endif /* QEMU_SST_MMIO_PROTOCOL_H */

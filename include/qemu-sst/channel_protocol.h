/*
 * The channel protocol's base layer: what every channel between a QEMU device of ours and the
 * simulator's bridge (qemubinary.QEMUBinary) carries whatever its device is.  One channel per
 * device.  The payload families ride on it, one header each: mmio_protocol.h (an sst-device's
 * window: loads, stores, interrupts) and virtio_protocol.h (a virtio-sst device's requests).
 * The SST_MMIO_ prefix of the base names is the protocol's, from when it carried MMIO only.
 *
 * Every message is a frame: a 16-byte header followed by a payload whose size is fixed by the
 * frame type.  Frames travel first over the device's Unix socket (HELLO, HELLO_ACK, SHM_OFFER,
 * SHM_READY) and then, once both sides have mapped the shared-memory region described in
 * shm_ring.h, through its two rings; from then on the socket only carries 1-byte doorbells (a
 * consumer may also ask for a futex wake-up instead, see shm_ring.h) and ERROR frames.
 *
 * Guest RAM.  When the HELLO_ACK keeps SST_MMIO_CAP_GUEST_RAM (the simulator keeps it on one
 * channel per QEMU), QEMU sends GUEST_RAM on the socket right after the handshake, with the
 * descriptor of the guest's RAM (a shared memfd) by SCM_RIGHTS.  The simulator maps it and serves
 * its devices' DMA from it directly: no frame carries DMA data.
 *
 * Frame types.  The high byte of a type is its family (enum sst_frame_family_id), the low byte its
 * number within the family, from 1.  Family 0 is this base layer; a channel carries the base
 * frames and those of the one payload family it was opened for (struct sst_frame_family), and
 * refuses the rest as unknown types.  A channel's frames are decoded into the frame struct of its
 * kind (struct sst_mmio_frame, struct sst_virtio_frame), which holds the base payloads and its
 * family's, and nothing larger.  A new family takes the next free id below, defines its types,
 * payloads, frame struct and struct sst_frame_family in a header of its own, and touches nothing
 * here.
 *
 * Version 3 (SST_MMIO_VERSION) added GUEST_RAM and the RESPONSE's horizon_ps (mmio_protocol.h);
 * version 2 numbered frame types by family as above; version 1 numbered them 1-15 in one list.  A
 * peer speaking another version is refused at its first frame.
 *
 * All fields are little-endian on the wire.  Both ends of a channel run on the same host, and every
 * supported host (x86_64, aarch64, riscv64) is little-endian, so structs are used as they are; the
 * check below refuses to build elsewhere rather than silently mis-encoding.
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
 *     at that time and the RESPONSE's latency_ps is added to the guest clock.  A RESPONSE whose
 *     horizon_ps is not 0 lowers the horizon (and any GRANT not yet in effect) to it, from the
 *     moment the access completes: the access gave the simulator something to do before the old
 *     horizon, and the guest must stop there.
 *   - An IRQ carries the simulated time the device changed its line; QEMU applies it when its own
 *     clock reaches that time (at once if it is already past it).  So an interrupt is never seen
 *     before it is raised, and at most one quantum (or one access latency) after.
 * In SST_MMIO_TIME_FAST mode QEMU does not wait for GRANTs; it still sends SYNC about once per
 * quantum of its virtual clock (at least 1 ms apart: each costs the guest a main-loop wake-up),
 * so the simulator can tell it is alive and how far it has got.
 *
 * Plain C11 so the QEMU devices, guest-side tools and C++ code can all include it.
 */
#ifndef QEMU_SST_CHANNEL_PROTOCOL_H
#define QEMU_SST_CHANNEL_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "qemu-sst's channel protocol is little-endian and maps structs directly: big-endian hosts are not supported"
#endif

#ifdef __cplusplus
#define SST_MMIO_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
extern "C" {
#else
#define SST_MMIO_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define SST_MMIO_MAGIC 0x4d545353u /* bytes "SSTM" */
#define SST_MMIO_VERSION 3u        /* 3: GUEST_RAM, RESPONSE.horizon_ps (see above) */

/* Families of frame types; each owns the types family << 8 | 1..255. */
enum sst_frame_family_id {
    SST_FAMILY_BASE = 0,   /* this header */
    SST_FAMILY_MMIO = 1,   /* mmio_protocol.h */
    SST_FAMILY_VIRTIO = 2, /* virtio_protocol.h */
    SST_FAMILY_DMA = 3,    /* reserved: DMA needs no frames (see Guest RAM above) */
};

#define SST_FRAME_TYPE(family, number) ((uint32_t)(family) << 8 | (uint32_t)(number))
#define SST_FRAME_FAMILY(type) ((uint32_t)(type) >> 8)
#define SST_FRAME_NUMBER(type) (((uint32_t)(type)) & 0xffu)

enum sst_mmio_type {
    SST_MMIO_HELLO = SST_FRAME_TYPE(SST_FAMILY_BASE, 1),     /* QEMU -> sim: device and capabilities */
    SST_MMIO_HELLO_ACK = SST_FRAME_TYPE(SST_FAMILY_BASE, 2), /* sim -> QEMU: accepted capabilities, time mode */
    SST_MMIO_SHM_OFFER = SST_FRAME_TYPE(SST_FAMILY_BASE, 3), /* sim -> QEMU: shared memory, fd by SCM_RIGHTS */
    SST_MMIO_SHM_READY = SST_FRAME_TYPE(SST_FAMILY_BASE, 4), /* QEMU -> sim: mapped; frames now use the rings */
    SST_MMIO_SYNC = SST_FRAME_TYPE(SST_FAMILY_BASE, 5),      /* QEMU -> sim: guest virtual time reached vtime_ps */
    SST_MMIO_GRANT = SST_FRAME_TYPE(SST_FAMILY_BASE, 6),     /* sim -> QEMU: guest may run until horizon_ps */
    SST_MMIO_GOODBYE = SST_FRAME_TYPE(SST_FAMILY_BASE, 7),   /* either: orderly end of the channel */
    SST_MMIO_ERROR = SST_FRAME_TYPE(SST_FAMILY_BASE, 8),     /* either: protocol violation; sender closes */
    SST_MMIO_GUEST_RAM = SST_FRAME_TYPE(SST_FAMILY_BASE, 9), /* QEMU -> sim: guest RAM, fd by SCM_RIGHTS */
};
#define SST_BASE_TYPE_COUNT 9u

/* Capability bits exchanged in HELLO / HELLO_ACK. */
#define SST_MMIO_CAP_SHM_RING (1u << 0)  /* can move frames through shared-memory rings */
#define SST_MMIO_CAP_IRQ (1u << 1)       /* can drive an interrupt line */
#define SST_MMIO_CAP_TIME_SYNC (1u << 2) /* this channel carries the guest's SYNC/GRANT traffic */
#define SST_MMIO_CAP_VIRTIO (1u << 3)    /* this channel is a virtio-sst device (VIRTIO_* frames) */
#define SST_MMIO_CAP_GUEST_RAM (1u << 4) /* QEMU can share its guest RAM (GUEST_RAM after the handshake) */
#define SST_MMIO_CAP_ALL \
    (SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_IRQ | SST_MMIO_CAP_TIME_SYNC | SST_MMIO_CAP_VIRTIO | SST_MMIO_CAP_GUEST_RAM)

enum sst_mmio_time_mode {
    SST_MMIO_TIME_FAST = 0,          /* QEMU runs free; accesses are served as they arrive */
    SST_MMIO_TIME_DETERMINISTIC = 1, /* QEMU stops at each GRANT horizon; latency adds to guest time */
};

enum sst_mmio_goodbye_reason {
    SST_MMIO_BYE_GUEST_EXIT = 0, /* QEMU is exiting; exit_status is the guest's verdict */
    SST_MMIO_BYE_SIM_END = 1,    /* the simulation ended first */
    SST_MMIO_BYE_ERROR = 2,
};

struct sst_mmio_header {
    uint32_t magic;   /* SST_MMIO_MAGIC */
    uint16_t version; /* SST_MMIO_VERSION */
    uint16_t type;    /* enum sst_mmio_type, or a payload family's type */
    uint32_t length;  /* payload bytes after the header; fixed per type */
    uint32_t seq;     /* sender's frame counter: a gap or repeat means frames were lost */
};

#define SST_MMIO_NAME_LEN 32

struct sst_mmio_hello {
    uint32_t capabilities; /* SST_MMIO_CAP_* the sender supports */
    uint32_t reserved;
    uint64_t base_address;        /* guest-physical base of the window QEMU mapped (0 without a window) */
    uint64_t size;                /* window size in bytes */
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

/* The guest's RAM: `size` bytes from offset 0 of the passed descriptor, at guest-physical `base`. */
struct sst_mmio_guest_ram {
    uint64_t base;
    uint64_t size;
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
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_sync) == 16, "sync size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_grant) == 8, "grant size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_goodbye) == 8, "goodbye size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_error) == 128, "error size");
SST_MMIO_STATIC_ASSERT(sizeof(struct sst_mmio_guest_ram) == 16, "guest_ram size");

/* The base payloads, as members of every kind's frame union. */
#define SST_BASE_PAYLOADS                \
    struct sst_mmio_hello hello;         \
    struct sst_mmio_hello_ack hello_ack; \
    struct sst_mmio_shm_offer shm_offer; \
    struct sst_mmio_sync sync;           \
    struct sst_mmio_grant grant;         \
    struct sst_mmio_goodbye goodbye;     \
    struct sst_mmio_error error;         \
    struct sst_mmio_guest_ram guest_ram

/* A base frame alone: what a channel carries before it is of any kind (the handshake). */
struct sst_base_frame {
    struct sst_mmio_header hdr;
    union {
        SST_BASE_PAYLOADS;
    } u;
};

#define SST_BASE_MAX_PAYLOAD ((uint32_t)sizeof(struct sst_mmio_error))
/* No family's payload may be larger: buffers for a frame of any kind (a socket packet) use it. */
#define SST_FRAME_PAYLOAD_LIMIT 8192u
#define SST_FRAME_LIMIT (sizeof(struct sst_mmio_header) + SST_FRAME_PAYLOAD_LIMIT)

enum sst_mmio_decode_result {
    SST_MMIO_DECODED = 0,
    SST_MMIO_NEED_MORE = 1,   /* not a whole frame yet: read more bytes and try again */
    SST_MMIO_BAD_MAGIC = 2,   /* not our protocol, or the stream lost its framing */
    SST_MMIO_BAD_VERSION = 3, /* a peer speaking another protocol version */
    SST_MMIO_BAD_TYPE = 4,    /* a type neither of the base layer nor of the channel's family */
    SST_MMIO_BAD_LENGTH = 5,  /* payload length does not match the type (truncated or oversized) */
    SST_MMIO_BAD_FIELD = 6,   /* a field holds a value the protocol forbids (e.g. access size 3) */
};

/*
 * A payload family: the frame types it owns and how to check them.  Each family header defines
 * one (see mmio_protocol.h) and a channel is opened for one.
 */
struct sst_frame_family {
    const char *name;
    uint32_t id; /* enum sst_frame_family_id: its types are id << 8 | 1..type_count */
    uint32_t type_count;
    uint32_t frame_size; /* sizeof the kind's frame struct: header, base and family payloads */
    /* Payload bytes of one of its types (number 1..type_count). */
    uint32_t (*payload_size)(uint32_t type);
    /* SST_MMIO_DECODED or SST_MMIO_BAD_FIELD for a payload of one of its types, which it may
     * also make safe to use (e.g. terminate strings). */
    int (*validate)(uint32_t type, void *payload);
    const char *const *type_names; /* [number - 1] */
};

static inline int sst_frame_type_known(const struct sst_frame_family *family, uint32_t type) {
    uint32_t number = SST_FRAME_NUMBER(type);

    if (SST_FRAME_FAMILY(type) == SST_FAMILY_BASE) {
        return number >= 1 && number <= SST_BASE_TYPE_COUNT;
    }
    return family && SST_FRAME_FAMILY(type) == family->id && number >= 1 && number <= family->type_count;
}

/* Payload size of a frame type; 0 for SHM_READY and for types the channel does not know. */
static inline uint32_t sst_frame_payload_size(const struct sst_frame_family *family, uint32_t type) {
    switch (type) {
    case SST_MMIO_HELLO: return sizeof(struct sst_mmio_hello);
    case SST_MMIO_HELLO_ACK: return sizeof(struct sst_mmio_hello_ack);
    case SST_MMIO_SHM_OFFER: return sizeof(struct sst_mmio_shm_offer);
    case SST_MMIO_SHM_READY: return 0;
    case SST_MMIO_SYNC: return sizeof(struct sst_mmio_sync);
    case SST_MMIO_GRANT: return sizeof(struct sst_mmio_grant);
    case SST_MMIO_GOODBYE: return sizeof(struct sst_mmio_goodbye);
    case SST_MMIO_ERROR: return sizeof(struct sst_mmio_error);
    case SST_MMIO_GUEST_RAM: return sizeof(struct sst_mmio_guest_ram);
    default: return sst_frame_type_known(family, type) ? family->payload_size(type) : 0;
    }
}

/* Bytes a frame of the channel's kind takes in memory once decoded. */
static inline size_t sst_frame_size(const struct sst_frame_family *family) {
    return family ? family->frame_size : sizeof(struct sst_base_frame);
}

static inline const char *sst_frame_type_str(const struct sst_frame_family *family, uint32_t type) {
    static const char *const base_names[SST_BASE_TYPE_COUNT] = {
        "HELLO", "HELLO_ACK", "SHM_OFFER", "SHM_READY", "SYNC", "GRANT", "GOODBYE", "ERROR", "GUEST_RAM",
    };

    if (!sst_frame_type_known(family, type)) {
        return "UNKNOWN";
    }
    if (SST_FRAME_FAMILY(type) == SST_FAMILY_BASE) {
        return base_names[SST_FRAME_NUMBER(type) - 1];
    }
    return family->type_names[SST_FRAME_NUMBER(type) - 1];
}

static inline const char *sst_mmio_decode_result_str(int result) {
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

/*
 * Checks a frame header for a channel of `family` (NULL: base frames only).  SST_MMIO_DECODED
 * with *payload_len set, or the reason it cannot be that channel's frame.
 */
static inline int sst_frame_check_header(const struct sst_mmio_header *hdr, const struct sst_frame_family *family,
                                         uint32_t *payload_len) {
    if (hdr->magic != SST_MMIO_MAGIC) {
        return SST_MMIO_BAD_MAGIC;
    }
    if (hdr->version != SST_MMIO_VERSION) {
        return SST_MMIO_BAD_VERSION;
    }
    if (!sst_frame_type_known(family, hdr->type)) {
        return SST_MMIO_BAD_TYPE;
    }
    *payload_len = sst_frame_payload_size(family, hdr->type);
    if (hdr->length != *payload_len) {
        return SST_MMIO_BAD_LENGTH;
    }
    return SST_MMIO_DECODED;
}

/* Checks (and makes safe) a decoded frame's payload: the base layer's fields, or its family's. */
static inline int sst_frame_validate(const struct sst_frame_family *family, struct sst_mmio_header *frame) {
    uint8_t *payload = (uint8_t *)frame + sizeof(*frame);

    switch (frame->type) {
    case SST_MMIO_ERROR: /* never trust a peer's terminator */
        payload[offsetof(struct sst_mmio_error, text) + SST_MMIO_ERROR_TEXT_LEN - 1] = '\0';
        return SST_MMIO_DECODED;
    case SST_MMIO_HELLO:
        payload[offsetof(struct sst_mmio_hello, name) + SST_MMIO_NAME_LEN - 1] = '\0';
        return SST_MMIO_DECODED;
    default:
        return SST_FRAME_FAMILY(frame->type) == SST_FAMILY_BASE ? SST_MMIO_DECODED
                                                                : family->validate(frame->type, payload);
    }
}

/*
 * Validates and copies one frame from the start of `buf` into `out`, a frame struct of the
 * channel's kind (`out_size` bytes, at least sst_frame_size(family)); only the header and the
 * frame's own payload are written.  On SST_MMIO_DECODED, `*consumed` is the frame's byte count.
 * Any other result leaves `out` unspecified; only SST_MMIO_NEED_MORE is recoverable (a stream
 * peer must close the channel on the rest, since framing can no longer be trusted).  Never reads
 * past buf + len.
 */
static inline int sst_frame_decode(const void *buf, size_t len, const struct sst_frame_family *family, void *out,
                                   size_t out_size, size_t *consumed) {
    struct sst_mmio_header hdr;
    uint32_t payload_len;
    int rc;

    if (len < sizeof(hdr)) {
        return SST_MMIO_NEED_MORE;
    }
    memcpy(&hdr, buf, sizeof(hdr));
    rc = sst_frame_check_header(&hdr, family, &payload_len);
    if (rc != SST_MMIO_DECODED) {
        return rc;
    }
    if (sizeof(hdr) + payload_len > out_size) {
        return SST_MMIO_BAD_LENGTH; /* a buffer of another kind: the caller's mistake, refused safely */
    }
    if (len < sizeof(hdr) + payload_len) {
        return SST_MMIO_NEED_MORE;
    }
    memcpy(out, buf, sizeof(hdr) + payload_len);
    rc = sst_frame_validate(family, (struct sst_mmio_header *)out);
    if (rc != SST_MMIO_DECODED) {
        return rc;
    }
    *consumed = sizeof(hdr) + payload_len;
    return SST_MMIO_DECODED;
}

/*
 * Writes a frame of `type` (one the channel knows) with `payload` (its size is implied by the
 * type) into `buf`, which must hold sst_frame_size(family) bytes.  Returns the frame's byte count.
 */
static inline size_t sst_frame_encode(void *buf, const struct sst_frame_family *family, uint32_t type, uint32_t seq,
                                      const void *payload) {
    struct sst_mmio_header hdr;
    uint32_t length = sst_frame_payload_size(family, type);

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

#endif /* QEMU_SST_CHANNEL_PROTOCOL_H */

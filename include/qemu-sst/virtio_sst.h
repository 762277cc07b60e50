/*
 * Protocol of the virtio-sst device, shared by the QEMU device, the Linux driver (virtio-sst.ko),
 * user-space apps reading and writing /dev/sstN, and the SST components that serve the requests.
 *
 * A request and a response are each exactly one 4096-byte page: a 32-byte header and a 4064-byte
 * payload.  (The original sketch promised a page but added a 24-byte header to 4080 bytes of data;
 * here the data area is what is left of the page.)  Little-endian, packed, checked below.
 */
#ifndef QEMU_SST_VIRTIO_SST_H
#define QEMU_SST_VIRTIO_SST_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
#define SST_VIRTIO_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define SST_VIRTIO_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Not assigned by the virtio specification, whose ids are small integers; virtio-mmio only. */
#define VIRTIO_ID_SST 0x5353

#define SST_PROTOCOL_VERSION 1
#define SST_PAGE_SIZE 4096
#define SST_HEADER_SIZE 32
#define SST_MAX_DATA_SIZE (SST_PAGE_SIZE - SST_HEADER_SIZE) /* 4064 */
#define SST_MEMORY_DATA_MAX (SST_MAX_DATA_SIZE - 16)        /* 4048: after addr/size in READ/WRITE */

/* Feature bits offered in the device's feature word (bits 0-23 are device-specific). */
#define VIRTIO_SST_F_EVENTS 0  /* the event queue delivers asynchronous SSTEvents */
#define VIRTIO_SST_F_COMPUTE 1 /* SST_REQ_COMPUTE is served by a timing model */
#define VIRTIO_SST_F_MEMORY 2  /* SST_REQ_READ / SST_REQ_WRITE reach device memory */
#define VIRTIO_SST_F_MQ 3      /* num_request_queues request queues (config space); see the indices */

/* Virtqueue indices.  With VIRTIO_SST_F_MQ, request queues 1..num_request_queues-1 follow the event
 * queue: queue VIRTIO_SST_VQ_EXTRA_REQUEST + i - 1 is request queue i.  Each is served alike. */
#define VIRTIO_SST_VQ_REQUEST 0
#define VIRTIO_SST_VQ_RESPONSE 1
#define VIRTIO_SST_VQ_EVENT 2
#define VIRTIO_SST_NUM_QUEUES 3
#define VIRTIO_SST_VQ_EXTRA_REQUEST 3
#define VIRTIO_SST_MAX_REQUEST_QUEUES 8

/* The virtqueue index of request queue n, and back (for an index that is a request queue's). */
static inline unsigned virtio_sst_request_vq(unsigned n) {
    return n ? VIRTIO_SST_VQ_EXTRA_REQUEST + n - 1 : VIRTIO_SST_VQ_REQUEST;
}
static inline unsigned virtio_sst_request_queue(unsigned vq_index) {
    return vq_index == VIRTIO_SST_VQ_REQUEST ? 0 : vq_index - VIRTIO_SST_VQ_EXTRA_REQUEST + 1;
}

enum SSTRequestType {
    SST_REQ_NOOP = 0,
    SST_REQ_ECHO = 1,
    SST_REQ_COMPUTE = 2,
    SST_REQ_READ = 3,
    SST_REQ_WRITE = 4,
    SST_REQ_RESET = 5,
    SST_REQ_GET_INFO = 6,
    SST_REQ_CONFIGURE = 7,
    SST_REQ_BUFFERS = 8, /* the device works on the app's own buffers in place: zero-copy, any size */
    SST_REQ_TYPE_COUNT
};

enum SSTStatus {
    SST_STATUS_OK = 0,
    SST_STATUS_ERROR = 1,
    SST_STATUS_BUSY = 2,
    SST_STATUS_INVALID = 3,
    SST_STATUS_TIMEOUT = 4,
    SST_STATUS_NO_DEVICE = 5,
};

/* How SST_REQ_COMPUTE turns compute_units into cycles. */
enum SSTLatencyModel {
    SST_LATENCY_FIXED = 0,     /* base latency, whatever the units */
    SST_LATENCY_LINEAR = 1,    /* base + units * cycles_per_unit */
    SST_LATENCY_PIPELINED = 2, /* base + ceil(units / lanes) * cycles_per_unit */
    SST_LATENCY_MODEL_COUNT
};

/* Keys of SST_REQ_CONFIGURE. */
enum SSTConfigKey {
    SST_CONFIG_LATENCY_MODEL = 1, /* model for COMPUTE requests with SST_REQ_FLAG_DEFAULT_MODEL */
    SST_CONFIG_BASE_LATENCY = 2,  /* cycles */
    SST_CONFIG_CYCLES_PER_UNIT = 3,
    SST_CONFIG_LANES = 4,
};

/* SSTRequest.flags */
#define SST_REQ_FLAG_NOTIFY (1u << 0)        /* COMPUTE: also post an SST_EVENT_COMPLETION event */
#define SST_REQ_FLAG_DEFAULT_MODEL (1u << 1) /* COMPUTE: ignore latency_model, use the configured default */
#define SST_REQ_FLAGS_KNOWN (SST_REQ_FLAG_NOTIFY | SST_REQ_FLAG_DEFAULT_MODEL)

enum SSTEventType {
    SST_EVENT_COMPLETION = 0,
    SST_EVENT_ERROR = 1,
    SST_EVENT_NOTIFICATION = 2,
};

/*
 * SST_REQ_BUFFERS.  The app names up to SST_MAX_BUFFERS buffers of its own memory (addr = its
 * virtual address, length, access = what the device may do with it) and an op; the driver pins
 * their pages, checks the access rights and replaces each addr with the guest-physical address of
 * the buffer's segment table (segments = how many extents it lists), so the device reads and writes
 * the app's memory directly.  Only write() submits them (sst_uapi.h): a request the app could still
 * change while the device reads it must not carry guest-physical addresses.
 */
enum SSTBufferOp {
    SST_BUF_OP_COPY = 0,   /* buffer 1 = buffer 0, both `length` bytes */
    SST_BUF_OP_MATMUL = 1, /* buffer 2 (C) = buffer 0 (A) x buffer 1 (B), int32, args = m, n, k */
    SST_BUF_OP_COUNT
};
#define SST_MAX_BUFFERS 4
#define SST_BUF_MAX_LENGTH (1ull << 30) /* bytes per buffer */
#define SST_BUF_MATMUL_MAX_DIM 1024u
#define SST_BUF_DEVICE_READS (1u << 0)  /* the device reads the buffer */
#define SST_BUF_DEVICE_WRITES (1u << 1) /* the device writes it */

struct SSTBuffer {
    uint64_t addr;     /* app: virtual address; device: guest-physical address of its segment table */
    uint64_t length;   /* bytes, 1..SST_BUF_MAX_LENGTH */
    uint32_t access;   /* SST_BUF_DEVICE_* */
    uint32_t segments; /* driver: extents in the segment table */
} __attribute__((packed));

/* One page of a buffer's segment table: the buffer's guest-physical extents, in order. */
#define SST_SEGMENTS_PER_TABLE 255
struct SSTSegment {
    uint64_t addr;
    uint64_t length;
} __attribute__((packed));
struct SSTSegmentTable {
    struct SSTSegment segment[SST_SEGMENTS_PER_TABLE];
    uint64_t next;  /* guest-physical address of the next page, 0 on the last */
    uint32_t count; /* segments used on this page */
    uint32_t reserved;
} __attribute__((packed));

struct SSTRequest {
    uint32_t type;       /* enum SSTRequestType */
    uint32_t flags;      /* SST_REQ_FLAG_* */
    uint64_t request_id; /* assigned by the driver */
    uint64_t user_data;  /* opaque to everyone but the app; echoed in the response */
    uint32_t data_len;   /* SST_REQ_ECHO: bytes of payload.data that count */
    uint32_t reserved;
    union {
        struct {
            uint64_t compute_units;
            uint32_t latency_model; /* enum SSTLatencyModel */
            uint32_t reserved;
        } compute;
        struct {
            uint64_t addr; /* device-memory offset */
            uint32_t size; /* bytes, at most SST_MEMORY_DATA_MAX */
            uint32_t reserved;
            uint8_t data[SST_MEMORY_DATA_MAX]; /* SST_REQ_WRITE: bytes to store */
        } memory;
        struct {
            uint32_t key; /* enum SSTConfigKey */
            uint32_t reserved;
            uint64_t value;
        } config;
        struct {
            uint32_t op;    /* enum SSTBufferOp */
            uint32_t count; /* buffers used */
            uint64_t args[4];
            struct SSTBuffer buffer[SST_MAX_BUFFERS];
        } buffers;
        uint8_t data[SST_MAX_DATA_SIZE];
    } payload;
} __attribute__((packed));

struct SSTResponse {
    uint32_t status; /* enum SSTStatus */
    uint32_t reserved;
    uint64_t request_id; /* of the request this answers */
    uint64_t user_data;  /* copied from the request */
    uint64_t result;     /* ECHO/READ: bytes in payload.data; COMPUTE: units done; BUFFERS: bytes written */
    union {
        struct {
            uint64_t cycles;    /* modelled device cycles (COMPUTE, BUFFERS) */
            uint64_t timestamp; /* simulated completion time, ps */
        } compute;
        struct {
            uint32_t version;      /* SST_PROTOCOL_VERSION */
            uint32_t capabilities; /* VIRTIO_SST_F_* bits the simulator serves */
            uint64_t max_compute_units;
            uint64_t memory_size; /* bytes of device memory */
        } info;
        uint8_t data[SST_MAX_DATA_SIZE];
    } payload;
} __attribute__((packed));

struct SSTEvent {
    uint32_t type; /* enum SSTEventType */
    uint32_t reserved;
    uint64_t timestamp;  /* simulated time, ps */
    uint64_t data;       /* event-specific */
    uint64_t request_id; /* request it concerns, or 0 */
} __attribute__((packed));

/* Device configuration space (read-only for the driver). */
struct virtio_sst_config {
    uint32_t version;            /* SST_PROTOCOL_VERSION */
    uint32_t device_id;          /* index of this device among the simulator's devices */
    uint64_t features;           /* VIRTIO_SST_F_* the device offers */
    uint32_t num_queues;         /* VIRTIO_SST_NUM_QUEUES */
    uint32_t max_data_size;      /* SST_MAX_DATA_SIZE */
    uint32_t num_request_queues; /* VIRTIO_SST_F_MQ: 1..VIRTIO_SST_MAX_REQUEST_QUEUES */
    uint32_t reserved;
} __attribute__((packed));

SST_VIRTIO_STATIC_ASSERT(sizeof(struct SSTRequest) == SST_PAGE_SIZE, "SSTRequest is one page");
SST_VIRTIO_STATIC_ASSERT(sizeof(struct SSTResponse) == SST_PAGE_SIZE, "SSTResponse is one page");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTRequest, payload) == SST_HEADER_SIZE, "request header");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTResponse, payload) == SST_HEADER_SIZE, "response header");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTRequest, request_id) == 8, "request_id offset");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTRequest, data_len) == 24, "data_len offset");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTResponse, result) == 24, "result offset");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTRequest, payload.memory.data) == SST_HEADER_SIZE + 16,
                         "memory data offset");
SST_VIRTIO_STATIC_ASSERT(sizeof(((struct SSTRequest *)0)->payload.compute) == 16, "compute payload");
SST_VIRTIO_STATIC_ASSERT(sizeof(((struct SSTRequest *)0)->payload.config) == 16, "config payload");
SST_VIRTIO_STATIC_ASSERT(sizeof(((struct SSTResponse *)0)->payload.info) == 24, "info payload");
SST_VIRTIO_STATIC_ASSERT(sizeof(struct SSTEvent) == 32, "SSTEvent size");
SST_VIRTIO_STATIC_ASSERT(sizeof(((struct SSTRequest *)0)->payload.buffers) == 136, "buffers payload");
SST_VIRTIO_STATIC_ASSERT(sizeof(struct SSTSegmentTable) == SST_PAGE_SIZE, "a segment table is one page");
SST_VIRTIO_STATIC_ASSERT(sizeof(struct virtio_sst_config) == 32, "config space size");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct virtio_sst_config, num_request_queues) == 24, "num_request_queues offset");
SST_VIRTIO_STATIC_ASSERT(offsetof(struct virtio_sst_config, features) == 8, "config features offset");

static inline const char *sst_request_type_str(uint32_t type) {
    static const char *const names[SST_REQ_TYPE_COUNT] = {
        "NOOP", "ECHO", "COMPUTE", "READ", "WRITE", "RESET", "GET_INFO", "CONFIGURE", "BUFFERS",
    };
    return type < SST_REQ_TYPE_COUNT ? names[type] : "UNKNOWN";
}

static inline const char *sst_status_str(uint32_t status) {
    static const char *const names[] = {"OK", "ERROR", "BUSY", "INVALID", "TIMEOUT", "NO_DEVICE"};
    return status < sizeof(names) / sizeof(names[0]) ? names[status] : "UNKNOWN";
}

/* SST_REQ_BUFFERS: the shape of the buffers for the op (lengths, access); NULL if right. */
static inline const char *sst_buffers_check(const struct SSTRequest *req) {
    const struct SSTBuffer *b = req->payload.buffers.buffer; /* packed: any alignment */
    const uint32_t count = req->payload.buffers.count;
    uint64_t m, n, k;
    uint32_t i;

    if (req->payload.buffers.op >= SST_BUF_OP_COUNT) {
        return "unknown buffer op";
    }
    if (count != (req->payload.buffers.op == SST_BUF_OP_COPY ? 2u : 3u)) {
        return "wrong number of buffers for the op";
    }
    for (i = 0; i < count; i++) {
        if (b[i].length == 0 || b[i].length > SST_BUF_MAX_LENGTH) {
            return "buffer length must be 1..SST_BUF_MAX_LENGTH";
        }
        /* The op's input buffers are read, its last one written. */
        if (b[i].access != (i + 1 == count ? SST_BUF_DEVICE_WRITES : SST_BUF_DEVICE_READS)) {
            return "buffer access does not fit the op";
        }
    }
    if (req->payload.buffers.op == SST_BUF_OP_COPY) {
        return b[0].length == b[1].length ? 0 : "copy buffers differ in length";
    }
    m = req->payload.buffers.args[0];
    n = req->payload.buffers.args[1];
    k = req->payload.buffers.args[2];
    if (m == 0 || m > SST_BUF_MATMUL_MAX_DIM || n == 0 || n > SST_BUF_MATMUL_MAX_DIM || k == 0 ||
        k > SST_BUF_MATMUL_MAX_DIM) {
        return "matmul dimension must be 1..SST_BUF_MATMUL_MAX_DIM";
    }
    if (b[0].length != 4 * m * k || b[1].length != 4 * k * n || b[2].length != 4 * m * n) {
        return "matmul buffer lengths do not fit m, n, k";
    }
    return 0;
}

/*
 * Checks a request of `len` bytes as received from an untrusted side (a guest app, the guest
 * driver).  Returns SST_STATUS_OK, or SST_STATUS_INVALID with *why pointing at a reason.
 */
static inline uint32_t sst_request_check(const struct SSTRequest *req, size_t len, const char **why) {
    const char *reason = 0;

    if (len != sizeof(struct SSTRequest)) {
        reason = "a request is exactly one 4096-byte SSTRequest";
    } else if (req->type >= SST_REQ_TYPE_COUNT) {
        reason = "unknown request type";
    } else if (req->type == SST_REQ_ECHO && req->data_len > SST_MAX_DATA_SIZE) {
        reason = "echo data_len exceeds SST_MAX_DATA_SIZE";
    } else if ((req->type == SST_REQ_READ || req->type == SST_REQ_WRITE) &&
               (req->payload.memory.size == 0 || req->payload.memory.size > SST_MEMORY_DATA_MAX)) {
        reason = "memory access size must be 1..SST_MEMORY_DATA_MAX";
    } else if ((req->type == SST_REQ_READ || req->type == SST_REQ_WRITE) &&
               req->payload.memory.addr + req->payload.memory.size < req->payload.memory.addr) {
        reason = "memory access wraps around";
    } else if (req->flags & ~SST_REQ_FLAGS_KNOWN) {
        reason = "unknown request flags";
    } else if (req->type == SST_REQ_COMPUTE && !(req->flags & SST_REQ_FLAG_DEFAULT_MODEL) &&
               req->payload.compute.latency_model >= SST_LATENCY_MODEL_COUNT) {
        reason = "unknown latency model";
    } else if (req->type == SST_REQ_CONFIGURE &&
               (req->payload.config.key < SST_CONFIG_LATENCY_MODEL || req->payload.config.key > SST_CONFIG_LANES)) {
        reason = "unknown configuration key";
    } else if (req->type == SST_REQ_BUFFERS) {
        reason = sst_buffers_check(req);
    }
    if (why) {
        *why = reason;
    }
    return reason ? SST_STATUS_INVALID : SST_STATUS_OK;
}

/*
 * How many leading bytes of a request (header included) its type gives a meaning to; the rest of
 * the page is ignored by every reader.  Lengths past their maximum count as the maximum (such a
 * request fails sst_request_check anyway); an unknown type counts the whole page.  Needs only the
 * first SST_REQUEST_PREFIX_SIZE bytes (the header and the fixed start of every payload).
 */
#define SST_REQUEST_PREFIX_SIZE (SST_HEADER_SIZE + 16)

static inline size_t sst_request_used_size(const struct SSTRequest *req) {
    const size_t memory_header = offsetof(struct SSTRequest, payload.memory.data) - SST_HEADER_SIZE;

    switch (req->type) {
    case SST_REQ_NOOP:
    case SST_REQ_RESET:
    case SST_REQ_GET_INFO: return SST_HEADER_SIZE;
    case SST_REQ_ECHO: return SST_HEADER_SIZE + (req->data_len < SST_MAX_DATA_SIZE ? req->data_len : SST_MAX_DATA_SIZE);
    case SST_REQ_COMPUTE: return SST_HEADER_SIZE + sizeof(req->payload.compute);
    case SST_REQ_CONFIGURE: return SST_HEADER_SIZE + sizeof(req->payload.config);
    case SST_REQ_BUFFERS: return SST_HEADER_SIZE + sizeof(req->payload.buffers);
    case SST_REQ_READ: return SST_HEADER_SIZE + memory_header;
    case SST_REQ_WRITE:
        return SST_HEADER_SIZE + memory_header +
               (req->payload.memory.size < SST_MEMORY_DATA_MAX ? req->payload.memory.size : SST_MEMORY_DATA_MAX);
    default: return sizeof(*req);
    }
}

/*
 * How many leading bytes of the response to a request of type `type` carry meaning: the header
 * and the part of the payload the type fills in (ECHO and READ: `result` bytes of data; COMPUTE
 * and BUFFERS: cycles and timestamp; GET_INFO: the info block).  The rest of the page is undefined.
 */
static inline size_t sst_response_used_size(uint32_t type, const struct SSTResponse *resp) {
    switch (type) {
    case SST_REQ_ECHO:
    case SST_REQ_READ: return SST_HEADER_SIZE + (resp->result < SST_MAX_DATA_SIZE ? resp->result : SST_MAX_DATA_SIZE);
    case SST_REQ_COMPUTE:
    case SST_REQ_BUFFERS: return SST_HEADER_SIZE + sizeof(resp->payload.compute);
    case SST_REQ_GET_INFO: return SST_HEADER_SIZE + sizeof(resp->payload.info);
    default: return SST_HEADER_SIZE;
    }
}

SST_VIRTIO_STATIC_ASSERT(offsetof(struct SSTRequest, payload.memory.data) <= SST_REQUEST_PREFIX_SIZE &&
                             sizeof(((struct SSTRequest *)0)->payload.compute) <= 16 &&
                             sizeof(((struct SSTRequest *)0)->payload.config) <= 16,
                         "sst_request_used_size reads only the prefix");

#endif /* QEMU_SST_VIRTIO_SST_H */

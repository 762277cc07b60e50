/*
 * Shared-memory transport for a channel (channel_protocol.h), whatever its payload family.
 *
 * A blocking socket round trip costs ~45 us on our hosts while two processes polling a shared
 * cache line need ~0.1 us, so after the socket handshake the simulator creates a memfd region with
 * two single-producer/single-consumer byte rings (QEMU -> sim, sim -> QEMU) and passes it to QEMU
 * with SCM_RIGHTS.  The rings carry the very same frames as the socket did.
 *
 * Waiting: a consumer spins for a while, then announces it is about to sleep
 * (sst_ring_prepare_wait), re-checks the ring and blocks.  The announcement says how: on its end of
 * the socket (a poll()ing main loop, or several channels at once), or on a futex on the
 * consumer_waiting word itself (one thread waiting for one channel: a wake-up then costs two system
 * calls, like a plain socket, and wakes no other thread polling the socket).  A producer that finds
 * the announcement after publishing (sst_ring_take_waiter) writes one doorbell byte to the socket or
 * wakes the futex.  Both sides order "publish, then look" with a full fence, so a wake-up is never
 * lost and a spinning consumer costs the producer no system call.
 *
 * Region layout (offsets from the start of the memfd):
 *   0                      struct sst_shm_region_header
 *   SST_SHM_CTRL_OFFSET    struct sst_ring_ctrl for QEMU -> sim, then one for sim -> QEMU
 *   SST_SHM_DATA_OFFSET    ring_capacity data bytes QEMU -> sim, then ring_capacity sim -> QEMU
 */
#ifndef QEMU_SST_SHM_RING_H
#define QEMU_SST_SHM_RING_H

#include "channel_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SST_SHM_MAGIC 0x52545353u /* bytes "SSTR" */
#define SST_SHM_VERSION 2u        /* 2: consumer_waiting may ask for a futex wake-up */
#define SST_SHM_CACHE_LINE 64
#define SST_SHM_CTRL_OFFSET 64u
#define SST_SHM_DATA_OFFSET 4096u
#define SST_SHM_DEFAULT_CAPACITY (256u * 1024u) /* room for ~60 page-sized virtio frames */
#define SST_SHM_MIN_CAPACITY 1024u
#define SST_SHM_MAX_CAPACITY (16u * 1024u * 1024u)

struct sst_shm_region_header {
    uint32_t magic;
    uint32_t version;
    uint32_t ring_capacity; /* data bytes per direction, power of two */
    uint32_t reserved;
};

/* Producer and consumer fields sit on separate cache lines so the two sides never share one. */
struct sst_ring_ctrl {
    uint64_t head;            /* bytes ever published (producer writes) */
    uint32_t producer_closed; /* 1: the producer hung up or sent an ERROR: look at the socket */
    uint8_t producer_pad[SST_SHM_CACHE_LINE - 12];
    uint64_t tail;             /* bytes ever consumed (consumer writes) */
    uint32_t consumer_waiting; /* 0, or how the consumer may be blocked: SST_RING_WAIT_* */
    uint8_t consumer_pad[SST_SHM_CACHE_LINE - 12];
};

SST_MMIO_STATIC_ASSERT(sizeof(struct sst_ring_ctrl) == 2 * SST_SHM_CACHE_LINE, "ring ctrl layout");
SST_MMIO_STATIC_ASSERT(offsetof(struct sst_ring_ctrl, tail) == SST_SHM_CACHE_LINE, "tail line");
SST_MMIO_STATIC_ASSERT(SST_SHM_CTRL_OFFSET + 2 * sizeof(struct sst_ring_ctrl) <= SST_SHM_DATA_OFFSET,
                       "ring ctrl blocks fit before the data");

#define SST_RING_WAIT_DOORBELL 1u /* blocked on its socket: send one doorbell byte */
#define SST_RING_WAIT_FUTEX 2u    /* blocked in FUTEX_WAIT on consumer_waiting: FUTEX_WAKE it */

/* A process-local view of one direction. */
struct sst_ring {
    struct sst_ring_ctrl *ctrl;
    uint8_t *data;
    uint32_t capacity;
};

static inline int sst_shm_capacity_valid(uint64_t capacity) {
    return capacity >= SST_SHM_MIN_CAPACITY && capacity <= SST_SHM_MAX_CAPACITY && (capacity & (capacity - 1)) == 0;
}

static inline uint64_t sst_shm_region_size(uint32_t capacity) { return SST_SHM_DATA_OFFSET + 2ull * capacity; }

static inline void sst_shm_views(void *base, uint32_t capacity, struct sst_ring *to_sim, struct sst_ring *to_qemu) {
    uint8_t *b = (uint8_t *)base;
    struct sst_ring_ctrl *ctrl = (struct sst_ring_ctrl *)(b + SST_SHM_CTRL_OFFSET);

    to_sim->ctrl = &ctrl[0];
    to_sim->data = b + SST_SHM_DATA_OFFSET;
    to_sim->capacity = capacity;
    to_qemu->ctrl = &ctrl[1];
    to_qemu->data = b + SST_SHM_DATA_OFFSET + capacity;
    to_qemu->capacity = capacity;
}

/* Simulator side: lays out a freshly created, zero-filled region of sst_shm_region_size() bytes. */
static inline void sst_shm_region_init(void *base, uint32_t capacity, struct sst_ring *to_sim,
                                       struct sst_ring *to_qemu) {
    struct sst_shm_region_header *h = (struct sst_shm_region_header *)base;

    memset(base, 0, SST_SHM_DATA_OFFSET);
    h->magic = SST_SHM_MAGIC;
    h->version = SST_SHM_VERSION;
    h->ring_capacity = capacity;
    sst_shm_views(base, capacity, to_sim, to_qemu);
}

/* QEMU side: checks a mapped region against what SHM_OFFER announced.  0 on success, -1 if bad. */
static inline int sst_shm_region_attach(void *base, uint64_t mapped_size, uint32_t capacity, struct sst_ring *to_sim,
                                        struct sst_ring *to_qemu) {
    const struct sst_shm_region_header *h = (const struct sst_shm_region_header *)base;

    if (!sst_shm_capacity_valid(capacity) || mapped_size < sst_shm_region_size(capacity) || h->magic != SST_SHM_MAGIC ||
        h->version != SST_SHM_VERSION || h->ring_capacity != capacity) {
        return -1;
    }
    sst_shm_views(base, capacity, to_sim, to_qemu);
    return 0;
}

static inline int sst_ring_empty(const struct sst_ring *r) {
    return __atomic_load_n(&r->ctrl->head, __ATOMIC_ACQUIRE) == __atomic_load_n(&r->ctrl->tail, __ATOMIC_RELAXED);
}

static inline void sst_ring_copy_in(struct sst_ring *r, uint64_t pos, const void *src, uint32_t len) {
    uint32_t at = (uint32_t)(pos & (r->capacity - 1));
    uint32_t first = r->capacity - at < len ? r->capacity - at : len;

    memcpy(r->data + at, src, first);
    memcpy(r->data, (const uint8_t *)src + first, len - first);
}

static inline void sst_ring_copy_out(const struct sst_ring *r, uint64_t pos, void *dst, uint32_t len) {
    uint32_t at = (uint32_t)(pos & (r->capacity - 1));
    uint32_t first = r->capacity - at < len ? r->capacity - at : len;

    memcpy(dst, r->data + at, first);
    memcpy((uint8_t *)dst + first, r->data, len - first);
}

/* Publishes one encoded frame.  Returns 0, or -1 when the ring has no room for it now. */
static inline int sst_ring_push(struct sst_ring *r, const void *frame, uint32_t len) {
    uint64_t head = r->ctrl->head; /* only this producer writes it */
    uint64_t tail = __atomic_load_n(&r->ctrl->tail, __ATOMIC_ACQUIRE);

    if (len > r->capacity || r->capacity - (head - tail) < len) {
        return -1;
    }
    sst_ring_copy_in(r, head, frame, len);
    __atomic_store_n(&r->ctrl->head, head + len, __ATOMIC_RELEASE);
    return 0;
}

/*
 * Takes the next frame into `out`, a frame struct of the channel's kind (`out_size` bytes, see
 * sst_frame_decode); only the frame's own bytes are copied.  Returns SST_MMIO_DECODED,
 * SST_MMIO_NEED_MORE when the ring is empty, or a decode error when the ring holds something that
 * is not a whole valid frame of the channel (the producer only publishes whole frames, so that
 * means corruption or a peer of another kind: stop using the channel).
 */
static inline int sst_ring_pop(struct sst_ring *r, const struct sst_frame_family *family, void *out, size_t out_size) {
    uint64_t tail = r->ctrl->tail; /* only this consumer writes it */
    uint64_t head = __atomic_load_n(&r->ctrl->head, __ATOMIC_ACQUIRE);
    uint64_t avail = head - tail;
    struct sst_mmio_header hdr;
    uint32_t payload_len;
    uint32_t frame_len;
    int rc;

    if (avail == 0) {
        return SST_MMIO_NEED_MORE;
    }
    if (avail > r->capacity || avail < sizeof(hdr)) {
        return SST_MMIO_BAD_LENGTH;
    }
    /* The header says how much follows: copy no more than this one frame. */
    sst_ring_copy_out(r, tail, &hdr, sizeof(hdr));
    rc = sst_frame_check_header(&hdr, family, &payload_len);
    if (rc != SST_MMIO_DECODED) {
        return rc;
    }
    frame_len = (uint32_t)sizeof(hdr) + payload_len;
    if (frame_len > avail || frame_len > out_size) {
        return SST_MMIO_BAD_LENGTH;
    }
    sst_ring_copy_out(r, tail, out, frame_len);
    memcpy(out, &hdr, sizeof(hdr)); /* the header checked, even if a faulty peer rewrote it since */
    rc = sst_frame_validate(family, (struct sst_mmio_header *)out);
    if (rc != SST_MMIO_DECODED) {
        return rc;
    }
    __atomic_store_n(&r->ctrl->tail, tail + frame_len, __ATOMIC_RELEASE);
    return SST_MMIO_DECODED;
}

/*
 * Consumer, before blocking: announce the sleep and how (SST_RING_WAIT_*), then look again.
 * Returns 1 when the ring is still empty (block now), 0 when data arrived meanwhile (call
 * sst_ring_cancel_wait and consume instead).
 */
static inline int sst_ring_prepare_wait_on(struct sst_ring *r, uint32_t how) {
    __atomic_store_n(&r->ctrl->consumer_waiting, how, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return sst_ring_empty(r);
}

/* The same, blocking on the doorbell. */
static inline int sst_ring_prepare_wait(struct sst_ring *r) {
    return sst_ring_prepare_wait_on(r, SST_RING_WAIT_DOORBELL);
}

static inline void sst_ring_cancel_wait(struct sst_ring *r) {
    __atomic_store_n(&r->ctrl->consumer_waiting, 0, __ATOMIC_RELAXED);
}

/*
 * Producer, after closing its socket or sending an ERROR on it: a consumer asleep on the futex sees
 * no socket, so it looks at this after announcing its sleep (then sst_ring_take_waiter).
 */
static inline void sst_ring_mark_closed(struct sst_ring *r) {
    __atomic_store_n(&r->ctrl->producer_closed, 1, __ATOMIC_RELEASE);
}

static inline int sst_ring_producer_closed(const struct sst_ring *r) {
    return __atomic_load_n(&r->ctrl->producer_closed, __ATOMIC_ACQUIRE) != 0;
}

/*
 * Producer, after sst_ring_push: 0 when no wake-up is needed, else how the consumer may be asleep
 * (SST_RING_WAIT_DOORBELL or SST_RING_WAIT_FUTEX).  Clearing the word first makes a FUTEX_WAIT that
 * has not started yet return at once.
 */
static inline int sst_ring_take_waiter(struct sst_ring *r) {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!__atomic_load_n(&r->ctrl->consumer_waiting, __ATOMIC_RELAXED)) {
        return 0;
    }
    return (int)__atomic_exchange_n(&r->ctrl->consumer_waiting, 0, __ATOMIC_SEQ_CST);
}

#ifdef __cplusplus
}
#endif

#endif /* QEMU_SST_SHM_RING_H */

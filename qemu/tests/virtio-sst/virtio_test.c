/*
 * Bare-metal rv64 test of virtio-sst-device through QEMU virt's virtio-mmio transports, without
 * the Linux driver.  Run by run.sh against fake_sim.c (which answers after LATENCY_PS and exits
 * instead of answering the DIE_AT = 3rd request).  Needs a modern (version 2) transport:
 * QEMU runs with -global virtio-mmio.force-legacy=false.
 *
 * Checks: the device is found with DeviceID 0x5353 and the config space; an ECHO round trip whose
 * response lands in the chain's device-writable buffer, in deterministic mode exactly LATENCY_PS
 * after the kick (rdtime); a short request completes INVALID; a COMPUTE with NOTIFY gets its
 * response and an SSTEvent on the event queue; once the simulator is gone the pending request and
 * a later one complete NO_DEVICE.  Exit status 0 = pass, else the number of the failed check.
 */
#include <stdio.h>
#include <string.h>

#include "rt.h"
#include "qemu-sst/virtio_sst.h"

#ifndef LATENCY_PS
#define LATENCY_PS 50000000ull /* 50 us, as run.sh tells fake_sim */
#endif
#define EXPECTED_INDEX 3 /* run.sh: index=3 */

#define VIRTIO_MMIO_BASE 0x10001000ul
#define VIRTIO_MMIO_STRIDE 0x1000ul
#define REG(b, off) (*(volatile uint32_t *)((b) + (off)))
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEV_FEATURES 0x010
#define DEV_FEATURES_SEL 0x014
#define DRV_FEATURES 0x020
#define DRV_FEATURES_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INT_STATUS 0x060
#define INT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC_LO 0x080
#define QUEUE_DESC_HI 0x084
#define QUEUE_AVAIL_LO 0x090
#define QUEUE_AVAIL_HI 0x094
#define QUEUE_USED_LO 0x0a0
#define QUEUE_USED_HI 0x0a4
#define CONFIG 0x100

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

#define QN 8
#define F_NEXT 1
#define F_WRITE 2

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QN], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QN]; uint16_t avail_event; };
struct vq {
    struct desc desc[QN] __attribute__((aligned(16)));
    struct avail avail __attribute__((aligned(2)));
    struct used used __attribute__((aligned(4)));
    uint16_t last_used;
};

static struct vq reqq __attribute__((aligned(4096)));
static struct vq evq __attribute__((aligned(4096)));
static struct SSTRequest req __attribute__((aligned(4096)));
static struct SSTResponse resp __attribute__((aligned(4096)));
static struct SSTEvent events[QN];

#define fence() __asm__ __volatile__("fence rw, rw" ::: "memory")

#define CHECK(n, cond, ...) do { if (!(cond)) { printf("FAIL %d: ", n); printf(__VA_ARGS__); \
    printf("\n"); rt_exit(n); } } while (0)

static void setup_queue(uintptr_t b, unsigned idx, struct vq *q)
{
    REG(b, QUEUE_SEL) = idx;
    CHECK(10, REG(b, QUEUE_NUM_MAX) >= QN, "queue %u max %u", idx, REG(b, QUEUE_NUM_MAX));
    REG(b, QUEUE_NUM) = QN;
    REG(b, QUEUE_DESC_LO) = (uint32_t)(uintptr_t)q->desc;
    REG(b, QUEUE_DESC_HI) = (uint32_t)((uint64_t)(uintptr_t)q->desc >> 32);
    REG(b, QUEUE_AVAIL_LO) = (uint32_t)(uintptr_t)&q->avail;
    REG(b, QUEUE_AVAIL_HI) = (uint32_t)((uint64_t)(uintptr_t)&q->avail >> 32);
    REG(b, QUEUE_USED_LO) = (uint32_t)(uintptr_t)&q->used;
    REG(b, QUEUE_USED_HI) = (uint32_t)((uint64_t)(uintptr_t)&q->used >> 32);
    REG(b, QUEUE_READY) = 1;
}

static void make_avail(struct vq *q, uint16_t head)
{
    q->avail.ring[q->avail.idx % QN] = head;
    fence();
    q->avail.idx++;
    fence();
}

/* Polls q's used ring; returns the used element, or fails after ~1 s of guest time. */
static struct used_elem wait_used(struct vq *q, int check)
{
    uint64_t t0 = rt_rdtime();

    while (*(volatile uint16_t *)&q->used.idx == q->last_used) {
        CHECK(check, rt_rdtime() - t0 < 10000000ull, "no completion within 1 s");
    }
    fence();
    return q->used.ring[q->last_used++ % QN];
}

/* One request chain (out request of req_len bytes, in response); returns rdtime ticks taken. */
static uint64_t do_request(uintptr_t b, uint32_t req_len, int check, struct used_elem *u)
{
    uint64_t t0, t1;

    memset(&resp, 0xee, sizeof(resp));
    reqq.desc[0] = (struct desc){ (uintptr_t)&req, req_len, F_NEXT, 1 };
    reqq.desc[1] = (struct desc){ (uintptr_t)&resp, sizeof(resp), F_WRITE, 0 };
    make_avail(&reqq, 0);
    t0 = rt_rdtime();
    REG(b, QUEUE_NOTIFY) = VIRTIO_SST_VQ_REQUEST;
    *u = wait_used(&reqq, check);
    t1 = rt_rdtime();
    REG(b, INT_ACK) = REG(b, INT_STATUS);
    return t1 - t0;
}

int main(void)
{
    uintptr_t b = 0;
    struct virtio_sst_config cfg;
    struct used_elem u;
    uint64_t ticks;
    bool det = rt_time_deterministic();
    unsigned i;

    /* 1: probe */
    for (i = 0; i < 8; i++) {
        uintptr_t base = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * i;
        if (REG(base, MAGIC) == 0x74726976 && REG(base, DEVICE_ID) == VIRTIO_ID_SST) {
            b = base;
            break;
        }
    }
    CHECK(1, b, "no virtio-mmio transport with DeviceID 0x%x", VIRTIO_ID_SST);
    CHECK(2, REG(b, VERSION) == 2, "transport version %u (run with force-legacy=false)",
          REG(b, VERSION));
    printf("virtio-sst at 0x%lx (%s time)\n", (unsigned long)b, det ? "deterministic" : "fast");

    /* 3: initialisation and features */
    REG(b, STATUS) = 0;
    REG(b, STATUS) = S_ACK;
    REG(b, STATUS) = S_ACK | S_DRIVER;
    REG(b, DEV_FEATURES_SEL) = 0;
    uint32_t f0 = REG(b, DEV_FEATURES);
    REG(b, DEV_FEATURES_SEL) = 1;
    uint32_t f1 = REG(b, DEV_FEATURES);
    CHECK(3, (f0 & 7) == 7 && (f1 & 1), "features 0x%x:%x", f1, f0);
    REG(b, DRV_FEATURES_SEL) = 0;
    REG(b, DRV_FEATURES) = 7;
    REG(b, DRV_FEATURES_SEL) = 1;
    REG(b, DRV_FEATURES) = 1; /* VIRTIO_F_VERSION_1 */
    REG(b, STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK;
    CHECK(4, REG(b, STATUS) & S_FEATURES_OK, "FEATURES_OK refused");

    /* 5: config space */
    for (i = 0; i < sizeof(cfg) / 4; i++) {
        uint32_t w = REG(b, CONFIG + 4 * i); /* memcpy: no aliasing a uint64_t through uint32_t */
        memcpy((char *)&cfg + 4 * i, &w, 4);
    }
    printf("config: version %u device_id %u features 0x%llx queues %u max_data %u\n", cfg.version,
           cfg.device_id, (unsigned long long)cfg.features, cfg.num_queues, cfg.max_data_size);
    CHECK(5, cfg.version == SST_PROTOCOL_VERSION && cfg.device_id == EXPECTED_INDEX &&
          cfg.features == 7 && cfg.num_queues == 3 && cfg.max_data_size == SST_MAX_DATA_SIZE,
          "config space");

    setup_queue(b, VIRTIO_SST_VQ_REQUEST, &reqq);
    setup_queue(b, VIRTIO_SST_VQ_EVENT, &evq);
    for (i = 0; i < QN; i++) {
        evq.desc[i] = (struct desc){ (uintptr_t)&events[i], sizeof(events[i]), F_WRITE, 0 };
        make_avail(&evq, (uint16_t)i);
    }
    REG(b, STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
    REG(b, QUEUE_NOTIFY) = VIRTIO_SST_VQ_EVENT;

    /* 20: ECHO round trip */
    memset(&req, 0, sizeof(req));
    req.type = SST_REQ_ECHO;
    req.request_id = 41;
    req.user_data = 0x1234abcd;
    req.data_len = 100;
    for (i = 0; i < 100; i++) {
        req.payload.data[i] = (uint8_t)(i * 7 + 1);
    }
    ticks = do_request(b, sizeof(req), 20, &u);
    printf("echo: status %s, %u bytes, result %llu, %llu ticks\n", sst_status_str(resp.status),
           u.len, (unsigned long long)resp.result, (unsigned long long)ticks);
    CHECK(21, u.id == 0 && u.len == sizeof(resp), "used elem id %u len %u", u.id, u.len);
    CHECK(22, resp.status == SST_STATUS_OK && resp.request_id == 41 &&
          resp.user_data == 0x1234abcd && resp.result == 100, "echo response header");
    CHECK(23, memcmp(resp.payload.data, req.payload.data, 100) == 0, "echo data");
    if (det) {
        /* 10 MHz timebase: 100 ns per tick.  Visible exactly LATENCY_PS after the kick. */
        uint64_t want = LATENCY_PS / 100000;
        CHECK(24, ticks >= want && ticks <= want + 2, "echo took %llu ticks, want %llu",
              (unsigned long long)ticks, (unsigned long long)want);
    }

    /* 30: a short request is INVALID, without the simulator */
    req.request_id = 42;
    ticks = do_request(b, 100, 30, &u);
    printf("short: status %s, %llu ticks\n", sst_status_str(resp.status), (unsigned long long)ticks);
    CHECK(31, resp.status == SST_STATUS_INVALID && resp.request_id == 42, "short request");
    if (det) {
        CHECK(32, ticks < 2, "INVALID took %llu ticks", (unsigned long long)ticks);
    }

    /* 40: COMPUTE with NOTIFY: response, then an event */
    memset(&req, 0, sizeof(req));
    req.type = SST_REQ_COMPUTE;
    req.flags = SST_REQ_FLAG_NOTIFY;
    req.request_id = 43;
    req.payload.compute.compute_units = 5;
    do_request(b, sizeof(req), 40, &u);
    CHECK(41, resp.status == SST_STATUS_OK && resp.result == 5 &&
          resp.payload.compute.cycles == 50, "compute response");
    u = wait_used(&evq, 42);
    printf("event: type %u request_id %llu data 0x%llx timestamp %llu\n", events[u.id].type,
           (unsigned long long)events[u.id].request_id, (unsigned long long)events[u.id].data,
           (unsigned long long)events[u.id].timestamp);
    CHECK(43, u.len == sizeof(struct SSTEvent) && events[u.id].type == SST_EVENT_COMPLETION &&
          events[u.id].request_id == 43 && events[u.id].data == 0x77, "event");
    REG(b, INT_ACK) = REG(b, INT_STATUS);

    /* 50: the simulator dies on this request: NO_DEVICE instead of a hang */
    req.type = SST_REQ_NOOP;
    req.flags = 0;
    req.request_id = 44;
    do_request(b, sizeof(req), 50, &u);
    printf("after the simulator died: status %s\n", sst_status_str(resp.status));
    CHECK(51, resp.status == SST_STATUS_NO_DEVICE && resp.request_id == 44, "pending request");
    req.request_id = 45;
    do_request(b, sizeof(req), 52, &u);
    CHECK(53, resp.status == SST_STATUS_NO_DEVICE && resp.request_id == 45, "later request");

    printf("virtio_test: PASS\n");
    return 0;
}

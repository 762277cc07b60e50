/*
 * The DMA copy engine (acalsim.DmaEngine) on guest memory: every copy is checked against the CPU's
 * own copy of the same bytes, and its modelled cycles are printed.
 *   - sizes from 1 byte to 4 MiB, source and destination at odd offsets too, with guard bytes
 *     around the destination that must stay untouched;
 *   - a copy that starts only after the guest filled the source (a store before the transfer's
 *     time is seen by its reads), and a completion handler that checks the copied bytes (a DMA
 *     write before the interrupt is seen by the handler);
 *   - a source outside RAM and a destination running off its end: ERROR, the right ERROR_CODE and
 *     ERROR_ADDRESS, an error interrupt, and the part inside RAM copied;
 *   - deterministic time: the completion interrupt is taken at the very time the engine raised it
 *     (lateness 0 ns on the embedded engine; sst-core's bounded horizons allow more and the test
 *     says so instead of failing: built with -DDMA_BOUNDED_IRQ).
 *
 * qemu-sst test: configs/dma_accel.py
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rt.h"
#include "sst_dev.h"

#define MIB (1024u * 1024u)
#define MAX_COPY (4u * MIB)
#define GUARD 64u
#define FILL 0xeeu
#define RAM_SIZE (128u * MIB) /* the bridge's default `memory` */

static uint8_t src_buf[MAX_COPY + 16];
static uint8_t dst_buf[MAX_COPY + 16 + 2 * GUARD];

struct completion {
    unsigned dev;
    volatile unsigned count;
    volatile uint32_t status;
    volatile uintptr_t taken_at; /* guest time the interrupt was taken (low bits) */
    volatile bool data_seen;     /* the handler saw the last copied byte */
    const volatile uint8_t *last_dst;
    uint8_t last_want;
};

static uint64_t dma_reg(unsigned dev, unsigned off) { return mmio_read64(sst_reg(dev, off)); }
static void dma_set(unsigned dev, unsigned off, uint64_t v) { mmio_write64(sst_reg(dev, off), v); }

static void on_irq(unsigned source, void *arg) {
    struct completion *c = arg;
    (void)source;
    c->taken_at = rt_trap_time();
    c->data_seen = c->last_dst ? *c->last_dst == c->last_want : true;
    c->status = mmio_read32(sst_reg(c->dev, SST_DMA_REG_STATUS));
    mmio_write32(sst_reg(c->dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_IRQ_ACK);
    c->count++;
}

static uint32_t pattern(uint32_t i, uint32_t seed) {
    uint32_t x = i * 2654435761u + seed;
    x ^= x >> 13;
    return x * 0x5bd1e995u;
}

/* Starts a copy and waits for it by polling STATUS. */
static uint32_t dma_copy_polled(unsigned dev, uintptr_t src, uintptr_t dst, uint64_t len) {
    dma_set(dev, SST_DMA_REG_SRC, src);
    dma_set(dev, SST_DMA_REG_DST, dst);
    dma_set(dev, SST_DMA_REG_LENGTH, len);
    mmio_write32(sst_reg(dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_START);
    uint32_t st;
    for (unsigned long polls = 0; (st = mmio_read32(sst_reg(dev, SST_DMA_REG_STATUS))) & SST_DMA_STATUS_BUSY; polls++) {
        if (polls > 50000000ul) {
            return st;
        }
    }
    return st;
}

static bool copy_and_check(unsigned dev, int id, uint32_t len, unsigned src_off, unsigned dst_off) {
    uint8_t *src = src_buf + src_off, *dst = dst_buf + GUARD + dst_off;
    for (uint32_t i = 0; i < len; i++) {
        src[i] = (uint8_t)pattern(i, len);
    }
    memset(dst_buf, FILL, len + dst_off + 2 * GUARD);
    const uint32_t st = dma_copy_polled(dev, (uintptr_t)src, (uintptr_t)dst, len);
    bool ok = (st & (SST_DMA_STATUS_BUSY | SST_DMA_STATUS_ERROR | SST_DMA_STATUS_DONE)) == SST_DMA_STATUS_DONE;
    ok = ok && memcmp(src, dst, len) == 0; /* the CPU's own view of the same bytes */
    for (unsigned i = 0; ok && i < GUARD + dst_off; i++) {
        ok = dst_buf[i] == FILL;
    }
    for (unsigned i = 0; ok && i < GUARD; i++) {
        ok = dst[len + i] == FILL;
    }
    printf("  copy %7lu bytes (src+%u, dst+%u): %s, %lu cycles\n", (unsigned long)len, src_off, dst_off,
           ok ? "ok" : "WRONG", (unsigned long)dma_reg(dev, SST_DMA_REG_CYCLES));
    return check(id, "  copy matches the CPU's and stays inside the destination", ok);
}

int main(void) {
    printf("dma_test: rv%d\n", __riscv_xlen);
    const int dev = sst_find(SST_DMA_ID);
    check(1, "a DMA engine is configured", dev >= 0);
    if (dev < 0) {
        return check_verdict("dma_test");
    }
    mmio_write32(sst_reg((unsigned)dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_RESET);

    static const uint32_t sizes[] = {1, 3, 8, 64, 4095, 4096, 4097, 65541, MIB, MAX_COPY};
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        copy_and_check((unsigned)dev, 10 + (int)i, sizes[i], 0, 0);
    }
    copy_and_check((unsigned)dev, 30, 10000, 1, 3); /* misaligned both sides */
    copy_and_check((unsigned)dev, 31, 4096, 7, 4095);
    check_eq(32, "BYTES counts every byte copied", dma_reg((unsigned)dev, SST_DMA_REG_BYTES),
             1 + 3 + 8 + 64 + 4095 + 4096 + 4097 + 65541 + MIB + MAX_COPY + 10000 + 4096);

    /* Completion interrupt: the handler sees the data, and (deterministic time) takes it at once. */
    static struct completion c;
    c.dev = (unsigned)dev;
    rt_irq_attach(SST_DEVICE_IRQ(dev), on_irq, &c);
    dma_set((unsigned)dev, SST_DMA_REG_IRQ_ENABLE, 1);
    const uint32_t len = 256 * 1024;
    for (uint32_t i = 0; i < len; i++) {
        src_buf[i] = (uint8_t)pattern(i, 7);
    }
    memset(dst_buf, 0, len);
    c.last_dst = dst_buf + len - 1;
    c.last_want = src_buf[len - 1];
    dma_set((unsigned)dev, SST_DMA_REG_SRC, (uintptr_t)src_buf);
    dma_set((unsigned)dev, SST_DMA_REG_DST, (uintptr_t)dst_buf);
    dma_set((unsigned)dev, SST_DMA_REG_LENGTH, len);
    csr_set(mstatus, MSTATUS_MIE); /* taken between any two instructions of the spin below */
    mmio_write32(sst_reg((unsigned)dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_START);
    for (unsigned long spins = 0; c.count == 0 && spins < 100000000ul; spins++) {
    }
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(40, "one completion interrupt", c.count, 1);
    check(41, "  with DONE", (c.status & SST_DMA_STATUS_DONE) != 0);
    check(42, "  the handler sees the copied data", c.data_seen);
    check(43, "  all of it", memcmp(src_buf, dst_buf, len) == 0);
    if (rt_time_deterministic()) {
        const uintptr_t raised = (uintptr_t)dma_reg((unsigned)dev, SST_DMA_REG_DONE_AT) + SST_IRQ_LINK_NS;
        const long lateness = (long)(c.taken_at - raised);
        printf("  interrupt raised at %lu ns, taken at %lu ns: %ld ns late\n", (unsigned long)raised,
               (unsigned long)c.taken_at, lateness);
        printf("irq_lateness_ns: %ld\n", lateness);
#ifdef DMA_BOUNDED_IRQ
        check(44, "  interrupt taken within a quantum of its time", lateness >= 0 && lateness <= 1000000);
#else
        check_eq(44, "  interrupt taken at its own time", (uint64_t)lateness, 0);
#endif
    } else {
        check_skip(44, "interrupt lateness", "fast mode: guest time is not the simulator's");
    }

    /* Outside RAM: an error status and an error interrupt, not a hang. */
    const uintptr_t ram_end = SST_VIRT_DRAM_BASE + RAM_SIZE;
    c.count = 0;
    c.last_dst = 0;
    dma_set((unsigned)dev, SST_DMA_REG_SRC, 0x1000); /* virt's boot ROM, not RAM */
    dma_set((unsigned)dev, SST_DMA_REG_DST, (uintptr_t)dst_buf);
    dma_set((unsigned)dev, SST_DMA_REG_LENGTH, 64);
    mmio_write32(sst_reg((unsigned)dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_START);
    rt_wait_irq(&c.count, 1, 100000);
    check_eq(50, "source outside RAM: an error interrupt", c.count, 1);
    check(51, "  ERROR status", (c.status & SST_DMA_STATUS_ERROR) != 0);
    check_eq(52, "  SRC_FAULT", dma_reg((unsigned)dev, SST_DMA_REG_ERROR_CODE), SST_DMA_ERR_SRC_FAULT);
    check_eq(53, "  at the source", dma_reg((unsigned)dev, SST_DMA_REG_ERROR_ADDRESS), 0x1000);

    /* A destination running 100 bytes off the end of RAM: the first part lands, the rest faults.
     * The source is the last 200 bytes of our buffer, the destination the last 100 bytes of RAM. */
    c.count = 0;
    for (unsigned i = 0; i < 200; i++) {
        src_buf[i] = (uint8_t)(i + 1);
    }
    volatile uint8_t *tail = (volatile uint8_t *)(ram_end - 100);
    for (unsigned i = 0; i < 100; i++) {
        tail[i] = 0;
    }
    dma_set((unsigned)dev, SST_DMA_REG_SRC, (uintptr_t)src_buf);
    dma_set((unsigned)dev, SST_DMA_REG_DST, ram_end - 100);
    dma_set((unsigned)dev, SST_DMA_REG_LENGTH, 200);
    mmio_write32(sst_reg((unsigned)dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_START);
    rt_wait_irq(&c.count, 1, 100000);
    check_eq(60, "destination past the end of RAM: an error interrupt", c.count, 1);
    check_eq(61, "  DST_FAULT", dma_reg((unsigned)dev, SST_DMA_REG_ERROR_CODE), SST_DMA_ERR_DST_FAULT);
    check_eq(62, "  at the end of RAM", dma_reg((unsigned)dev, SST_DMA_REG_ERROR_ADDRESS), ram_end);
    bool landed = true;
    for (unsigned i = 0; i < 100; i++) {
        landed = landed && tail[i] == (uint8_t)(i + 1);
    }
    check(63, "  the part inside RAM was copied", landed);
    rt_irq_detach(SST_DEVICE_IRQ(dev));
    return check_verdict("dma_test");
}

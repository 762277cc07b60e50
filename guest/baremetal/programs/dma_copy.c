/*
 * DMA benchmark: DMA_COPIES copies of 4 MiB by the DMA engine (configs/dma_accel.py), each waited
 * for in wfi until its completion interrupt (a copy that never completes hangs the run: the bench's
 * timeout ends it).  The wall time of the run is the measurement (taken
 * outside).  The guest checks the last copy against the source and, under deterministic time,
 * prints the largest lateness of the completion interrupts (guest time the interrupt was taken
 * minus the time the engine raised it, plus the 1 ns interrupt link).
 * Build-time: DMA_COPIES (default 4).
 */
#include <stdio.h>
#include <string.h>

#include "rt.h"
#include "sst_dev.h"

#ifndef DMA_COPIES
#define DMA_COPIES 4
#endif
#define COPY_BYTES (4u * 1024 * 1024)

static uint8_t src_buf[COPY_BYTES], dst_buf[COPY_BYTES];
static volatile unsigned completions;
static volatile uintptr_t taken_at;

static void on_irq(unsigned source, void *arg) {
    const unsigned dev = (unsigned)(uintptr_t)arg;
    (void)source;
    taken_at = rt_trap_time();
    mmio_write32(sst_reg(dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_IRQ_ACK);
    completions++;
}

int main(void) {
    const int dev = sst_find(SST_DMA_ID);
    if (dev < 0) {
        printf("dma_copy: no DMA engine in this configuration\n");
        return 1;
    }
    printf("dma_copy: %u copies of %u bytes\n", (unsigned)DMA_COPIES, COPY_BYTES);
    for (unsigned i = 0; i < COPY_BYTES; i++) {
        src_buf[i] = (uint8_t)(i * 13 + (i >> 12));
    }
    rt_irq_attach(SST_DEVICE_IRQ(dev), on_irq, (void *)(uintptr_t)dev);
    mmio_write64(sst_reg((unsigned)dev, SST_DMA_REG_IRQ_ENABLE), 1);
    mmio_write64(sst_reg((unsigned)dev, SST_DMA_REG_SRC), (uintptr_t)src_buf);
    mmio_write64(sst_reg((unsigned)dev, SST_DMA_REG_DST), (uintptr_t)dst_buf);
    mmio_write64(sst_reg((unsigned)dev, SST_DMA_REG_LENGTH), COPY_BYTES);
    const bool deterministic = rt_time_deterministic();
    long max_late = 0;
    for (unsigned i = 0; i < DMA_COPIES; i++) {
        mmio_write32(sst_reg((unsigned)dev, SST_DMA_REG_CONTROL), SST_DMA_CTRL_START);
        /* wfi with interrupts enabled: the trap is taken the moment the interrupt arrives (rt_wait_irq
         * would enable them only after waking, a few instructions later). */
        csr_set(mstatus, MSTATUS_MIE);
        while (completions <= i) {
            __asm__ volatile("wfi");
        }
        csr_clear(mstatus, MSTATUS_MIE);
        const uintptr_t raised = (uintptr_t)mmio_read64(sst_reg((unsigned)dev, SST_DMA_REG_DONE_AT)) + SST_IRQ_LINK_NS;
        const long late = (long)(taken_at - raised);
        max_late = late > max_late ? late : max_late;
    }
    const bool same = memcmp(src_buf, dst_buf, COPY_BYTES) == 0;
    if (deterministic) {
        printf("dma_copy: largest interrupt lateness %ld ns\n", max_late);
    }
    printf("dma_copy: done, copy %s\n", same ? "matches" : "DIFFERS");
    return same ? 0 : 3;
}

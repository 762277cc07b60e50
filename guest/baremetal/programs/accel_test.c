/*
 * The matrix-multiply accelerator (acalsim.MatmulAccelerator) on matrices in guest memory: each
 * product is checked against the CPU's own, and the modelled cycles are printed beside the compute
 * part the model promises (ceil(m*n*k / PES) + pipeline depth; the rest is the memory model's).
 *   - square and odd shapes, one job and a chain of three descriptors, completion by interrupt;
 *   - a bad descriptor (a zero dimension) and an operand outside RAM: ERROR with the right
 *     ERROR_CODE and ERROR_ADDRESS, and an error interrupt, not a hang.
 *
 * qemu-sst test: configs/dma_accel.py
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rt.h"
#include "sst_dev.h"

#define MAX_DIM 128u
#define PIPELINE_DEPTH 4u /* the accelerator's default pipeline_depth */

static uint32_t mat_a[3][MAX_DIM * MAX_DIM], mat_b[3][MAX_DIM * MAX_DIM];
static uint32_t mat_c[3][MAX_DIM * MAX_DIM + 1]; /* one guard word past the largest product */
static uint32_t want[MAX_DIM * MAX_DIM];
static struct sst_matmul_desc descs[3];

struct completion {
    unsigned dev;
    volatile unsigned count;
    volatile uint32_t status;
};

static uint64_t reg(unsigned dev, unsigned off) { return mmio_read64(sst_reg(dev, off)); }

static void on_irq(unsigned source, void *arg) {
    struct completion *c = arg;
    (void)source;
    c->status = mmio_read32(sst_reg(c->dev, SST_MATMUL_REG_STATUS));
    mmio_write32(sst_reg(c->dev, SST_MATMUL_REG_CONTROL), SST_MATMUL_CTRL_IRQ_ACK);
    c->count++;
}

static void fill(uint32_t *m, uint32_t count, uint32_t seed) {
    for (uint32_t i = 0; i < count; i++) {
        uint32_t x = (i + 1) * 2654435761u ^ seed;
        m[i] = (x >> 7) % 2001u - 1000u; /* small signed values, and their wrapping products */
    }
}

static void cpu_matmul(const uint32_t *a, const uint32_t *b, uint32_t *c, uint32_t m, uint32_t n, uint32_t k) {
    for (uint32_t i = 0; i < m; i++) {
        for (uint32_t j = 0; j < n; j++) {
            uint32_t sum = 0;
            for (uint32_t x = 0; x < k; x++) {
                sum += a[i * k + x] * b[x * n + j];
            }
            c[i * n + j] = sum;
        }
    }
}

static void describe(unsigned slot, uint32_t m, uint32_t n, uint32_t k, uint64_t next) {
    descs[slot] = (struct sst_matmul_desc){
        (uintptr_t)mat_a[slot], (uintptr_t)mat_b[slot], (uintptr_t)mat_c[slot], m, n, k, 0, next};
    fill(mat_a[slot], m * k, 17 * slot + m);
    fill(mat_b[slot], k * n, 31 * slot + n);
    memset(mat_c[slot], 0xa5, sizeof(mat_c[slot]));
}

static uint32_t run(struct completion *c, uintptr_t first) {
    c->count = 0;
    mmio_write64(sst_reg(c->dev, SST_MATMUL_REG_DESC), first);
    mmio_write32(sst_reg(c->dev, SST_MATMUL_REG_CONTROL), SST_MATMUL_CTRL_START);
    rt_wait_irq(&c->count, 1, 1000000);
    return c->count == 1 ? c->status : 0;
}

static bool product_ok(unsigned slot, uint32_t m, uint32_t n, uint32_t k) {
    cpu_matmul(mat_a[slot], mat_b[slot], want, m, n, k);
    return memcmp(want, mat_c[slot], (size_t)m * n * 4) == 0 && mat_c[slot][m * n] == 0xa5a5a5a5u;
}

int main(void) {
    printf("accel_test: rv%d\n", __riscv_xlen);
    const int found = sst_find(SST_MATMUL_ID);
    check(1, "a matrix-multiply accelerator is configured", found >= 0);
    if (found < 0) {
        return check_verdict("accel_test");
    }
    const unsigned dev = (unsigned)found;
    mmio_write32(sst_reg(dev, SST_MATMUL_REG_CONTROL), SST_MATMUL_CTRL_RESET);
    const uint64_t pes = reg(dev, SST_MATMUL_REG_PES);
    printf("  %lu multiply-accumulate units\n", (unsigned long)pes);

    static struct completion c;
    c.dev = dev;
    rt_irq_attach(SST_DEVICE_IRQ(dev), on_irq, &c);
    mmio_write64(sst_reg(dev, SST_MATMUL_REG_IRQ_ENABLE), 1);

    static const uint32_t shapes[][3] = {{1, 1, 1},   {4, 4, 4},    {16, 16, 16},
                                         {33, 17, 9}, {64, 64, 64}, {128, 128, 128}};
    uint64_t macs = 0;
    for (unsigned i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const uint32_t m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
        describe(0, m, n, k, 0);
        const uint32_t st = run(&c, (uintptr_t)&descs[0]);
        const uint64_t cycles = reg(dev, SST_MATMUL_REG_CYCLES);
        const uint64_t compute = ((uint64_t)m * n * k + pes - 1) / pes + PIPELINE_DEPTH;
        const bool ok = (st & SST_MATMUL_STATUS_DONE) && product_ok(0, m, n, k);
        printf("  %3ux%-3u x %3ux%-3u: %s, %lu cycles (%lu computing)\n", (unsigned)m, (unsigned)k, (unsigned)k,
               (unsigned)n, ok ? "ok" : "WRONG", (unsigned long)cycles, (unsigned long)compute);
        check(10 + (int)i, "  product matches the CPU's", ok);
        check(20 + (int)i, "  cycles cover the modelled compute and memory", cycles > compute);
        macs += (uint64_t)m * n * k;
    }

    /* A chain of three jobs, one interrupt at the end. */
    describe(2, 8, 8, 8, 0);
    describe(1, 20, 12, 7, (uintptr_t)&descs[2]);
    describe(0, 5, 9, 30, (uintptr_t)&descs[1]);
    const uint64_t jobs_before = reg(dev, SST_MATMUL_REG_JOBS);
    const uint32_t st = run(&c, (uintptr_t)&descs[0]);
    check(30, "chain of three: one completion, DONE", (st & SST_MATMUL_STATUS_DONE) != 0);
    check(31, "  every product matches", product_ok(0, 5, 9, 30) && product_ok(1, 20, 12, 7) && product_ok(2, 8, 8, 8));
    check_eq(32, "  three jobs", reg(dev, SST_MATMUL_REG_JOBS) - jobs_before, 3);
    macs += 5 * 9 * 30 + 20 * 12 * 7 + 8 * 8 * 8;
    printf("  chain: %lu cycles\n", (unsigned long)reg(dev, SST_MATMUL_REG_CYCLES));
    check_eq(33, "MACS counts every multiply-accumulate", reg(dev, SST_MATMUL_REG_MACS), macs);

    /* Errors end with an interrupt and say what went wrong. */
    describe(0, 0, 4, 4, 0);
    check(40, "zero dimension: ERROR", (run(&c, (uintptr_t)&descs[0]) & SST_MATMUL_STATUS_ERROR) != 0);
    check_eq(41, "  BAD_DESC", reg(dev, SST_MATMUL_REG_ERROR_CODE), SST_MATMUL_ERR_BAD_DESC);
    check_eq(42, "  at the descriptor", reg(dev, SST_MATMUL_REG_ERROR_ADDRESS), (uintptr_t)&descs[0]);
    describe(0, 4, 4, 4, 0);
    descs[0].b = 0x1000; /* virt's boot ROM, not RAM */
    check(43, "operand outside RAM: ERROR", (run(&c, (uintptr_t)&descs[0]) & SST_MATMUL_STATUS_ERROR) != 0);
    check_eq(44, "  MEM_FAULT", reg(dev, SST_MATMUL_REG_ERROR_CODE), SST_MATMUL_ERR_MEM_FAULT);
    check_eq(45, "  at the operand", reg(dev, SST_MATMUL_REG_ERROR_ADDRESS), 0x1000);
    check(46, "descriptor outside RAM: ERROR", (run(&c, 0x1000) & SST_MATMUL_STATUS_ERROR) != 0);
    check_eq(47, "  MEM_FAULT", reg(dev, SST_MATMUL_REG_ERROR_CODE), SST_MATMUL_ERR_MEM_FAULT);
    rt_irq_detach(SST_DEVICE_IRQ(dev));
    return check_verdict("accel_test");
}

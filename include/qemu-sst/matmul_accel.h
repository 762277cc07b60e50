/*
 * Register map and descriptor of the matrix-multiply accelerator (acalsim.MatmulAccelerator).
 * Shared by the SST component and guest programs.
 *
 * The accelerator computes C = A x B on 32-bit integers (wrapping, as uint32_t arithmetic does),
 * row-major matrices in guest memory.  A job is a descriptor in guest memory; descriptors may be
 * chained through `next`.  Use: write the first descriptor's address to DESC, then CONTROL_START.
 * STATUS shows BUSY until the whole chain is done, then DONE, or ERROR with ERROR_CODE and
 * ERROR_ADDRESS.  With IRQ_ENABLE set, the end of a chain raises the interrupt line; CONTROL_IRQ_ACK
 * lowers it.  CYCLES and DONE_AT as for the DMA engine.  All registers are 64 bits wide.
 *
 * Timing, per job: fetch the descriptor, load A and B (together), compute, store C, each through
 * the memory model.  Computing takes ceil(m*n*k / PES) + pipeline_depth cycles: PES multiply-
 * accumulate units each retire one product per cycle.
 */
#ifndef QEMU_SST_MATMUL_ACCEL_H
#define QEMU_SST_MATMUL_ACCEL_H

#include <stdint.h>

#define SST_MATMUL_REG_ID 0x00            /* RO: SST_MATMUL_ID */
#define SST_MATMUL_REG_DESC 0x08          /* RW: guest-physical address of the first descriptor */
#define SST_MATMUL_REG_CONTROL 0x10       /* WO: SST_MATMUL_CTRL_* bits */
#define SST_MATMUL_REG_STATUS 0x18        /* RO: SST_MATMUL_STATUS_* bits */
#define SST_MATMUL_REG_IRQ_ENABLE 0x20    /* RW: 1 raises the interrupt when a chain ends */
#define SST_MATMUL_REG_ERROR_CODE 0x28    /* RO: SST_MATMUL_ERR_* */
#define SST_MATMUL_REG_ERROR_ADDRESS 0x30 /* RO: the descriptor or memory at fault */
#define SST_MATMUL_REG_CYCLES 0x38        /* RO: device cycles the last chain took */
#define SST_MATMUL_REG_DONE_AT 0x40       /* RO: device cycle the last chain ended at */
#define SST_MATMUL_REG_PES 0x48           /* RO: multiply-accumulate units (the pes parameter) */
#define SST_MATMUL_REG_JOBS 0x50          /* RO: jobs completed since reset */
#define SST_MATMUL_REG_MACS 0x58          /* RO: multiply-accumulates since reset */

#define SST_MATMUL_ID 0x4c554d4dull /* "MMUL" */

#define SST_MATMUL_CTRL_START 0x1ull
#define SST_MATMUL_CTRL_IRQ_ACK 0x2ull
#define SST_MATMUL_CTRL_RESET 0x4ull

#define SST_MATMUL_STATUS_BUSY 0x1ull
#define SST_MATMUL_STATUS_DONE 0x2ull
#define SST_MATMUL_STATUS_ERROR 0x4ull
#define SST_MATMUL_STATUS_IRQ_PENDING 0x8ull

#define SST_MATMUL_ERR_NONE 0
#define SST_MATMUL_ERR_BAD_DESC 1  /* a dimension is 0 or above SST_MATMUL_MAX_DIM, or flags != 0 */
#define SST_MATMUL_ERR_MEM_FAULT 2 /* memory refused a descriptor, operand or result access */
#define SST_MATMUL_ERR_NO_DMA 3    /* the accelerator's dma_port is not connected */

#define SST_MATMUL_MAX_DIM 1024u

/* One job: C[m][n] = A[m][k] x B[k][n], int32 elements, rows packed. */
struct sst_matmul_desc {
    uint64_t a;     /* guest-physical address of A */
    uint64_t b;     /* of B */
    uint64_t c;     /* of C (written) */
    uint32_t m;     /* rows of A and C */
    uint32_t n;     /* columns of B and C */
    uint32_t k;     /* columns of A, rows of B */
    uint32_t flags; /* 0 */
    uint64_t next;  /* guest-physical address of the next descriptor, 0 at the end of the chain */
};

#ifdef __cplusplus
static_assert(sizeof(struct sst_matmul_desc) == 48, "descriptor size");
#else
_Static_assert(sizeof(struct sst_matmul_desc) == 48, "descriptor size");
#endif

#define SST_MATMUL_WINDOW_SIZE 0x1000

/* Descriptor (qemu-sst/device_kind.h): completion interrupt, DMA. */
#define SST_MATMUL_KIND ("matmul", "acalsim", "MatmulAccelerator", SST_MATMUL_ID, SST_MATMUL_WINDOW_SIZE, 1, 1)

#endif /* QEMU_SST_MATMUL_ACCEL_H */

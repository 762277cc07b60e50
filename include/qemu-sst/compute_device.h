/*
 * Register map of the compute device (acalsim.ComputeDevice).  Shared by the SST component and
 * guest programs.
 *
 * Use: write OPERAND_A, OPERAND_B and OPCODE, then CONTROL_START.  STATUS shows BUSY until the
 * operation's modelled latency has passed, then DONE (or ERROR with ERROR_CODE set).  With
 * IRQ_ENABLE set, completion raises the device's interrupt line; CONTROL_IRQ_ACK lowers it.
 * All registers are 64 bits wide; writing a read-only register is a bus error.
 */
#ifndef QEMU_SST_COMPUTE_DEVICE_H
#define QEMU_SST_COMPUTE_DEVICE_H

#define SST_COMPUTE_REG_ID 0x00         /* RO: SST_COMPUTE_ID */
#define SST_COMPUTE_REG_OPERAND_A 0x08  /* RW */
#define SST_COMPUTE_REG_OPERAND_B 0x10  /* RW */
#define SST_COMPUTE_REG_OPCODE 0x18     /* RW: SST_COMPUTE_OP_* */
#define SST_COMPUTE_REG_CONTROL 0x20    /* WO: SST_COMPUTE_CTRL_* bits */
#define SST_COMPUTE_REG_STATUS 0x28     /* RO: SST_COMPUTE_STATUS_* bits */
#define SST_COMPUTE_REG_RESULT 0x30     /* RO: result of the last completed operation */
#define SST_COMPUTE_REG_CYCLES 0x38     /* RO: device cycles the last operation took */
#define SST_COMPUTE_REG_IRQ_ENABLE 0x40 /* RW: 1 raises the interrupt on completion */
#define SST_COMPUTE_REG_ERROR_CODE 0x48 /* RO: SST_COMPUTE_ERR_* of the last operation */
#define SST_COMPUTE_REG_OP_COUNT 0x50   /* RO: operations completed since reset */
#define SST_COMPUTE_REG_DONE_AT 0x58    /* RO: device cycle the last operation completed at */

#define SST_COMPUTE_ID 0x504d4f43ull /* "COMP" */

#define SST_COMPUTE_OP_ADD 0 /* A + B (wrapping) */
#define SST_COMPUTE_OP_SUB 1 /* A - B (wrapping) */
#define SST_COMPUTE_OP_MUL 2 /* A * B (low 64 bits) */
#define SST_COMPUTE_OP_DIV 3 /* A / B unsigned; B == 0 is SST_COMPUTE_ERR_DIV_ZERO */
#define SST_COMPUTE_OP_POW 4 /* A ** B (low 64 bits), square-and-multiply: latency grows with log2(B) */
#define SST_COMPUTE_OP_COUNT 5

#define SST_COMPUTE_CTRL_START 0x1ull   /* start OPCODE on the operands; ignored while BUSY */
#define SST_COMPUTE_CTRL_IRQ_ACK 0x2ull /* lower the interrupt line, clear IRQ_PENDING */
#define SST_COMPUTE_CTRL_RESET 0x4ull   /* abandon any operation, clear all registers */

#define SST_COMPUTE_STATUS_BUSY 0x1ull
#define SST_COMPUTE_STATUS_DONE 0x2ull
#define SST_COMPUTE_STATUS_ERROR 0x4ull
#define SST_COMPUTE_STATUS_IRQ_PENDING 0x8ull

#define SST_COMPUTE_ERR_NONE 0
#define SST_COMPUTE_ERR_DIV_ZERO 1
#define SST_COMPUTE_ERR_BAD_OPCODE 2

#define SST_COMPUTE_WINDOW_SIZE 0x1000

/* Descriptor (qemu-sst/device_kind.h): completion interrupt. */
#define SST_COMPUTE_KIND ("compute", "acalsim", "ComputeDevice", SST_COMPUTE_ID, SST_COMPUTE_WINDOW_SIZE, 1, 0)
#endif /* QEMU_SST_COMPUTE_DEVICE_H */

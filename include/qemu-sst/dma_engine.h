/*
 * Register map of the DMA copy engine (acalsim.DmaEngine).  Shared by the SST component and guest
 * programs.
 *
 * Use: write SRC, DST and LENGTH (guest-physical addresses; any alignment, any length), then
 * CONTROL_START.  STATUS shows BUSY while the engine copies through its memory model, then DONE, or
 * ERROR with ERROR_CODE and ERROR_ADDRESS set (the first byte of the lowest burst that memory
 * refused, e.g. one outside guest RAM: whatever else could be copied was).  With IRQ_ENABLE set,
 * the end of a transfer, good or bad, raises the interrupt line; CONTROL_IRQ_ACK lowers it.
 * CYCLES is the transfer's length in device cycles, DONE_AT the device cycle it ended at (the
 * interrupt's time).  All registers are 64 bits wide; writing a read-only one is a bus error.
 */
#ifndef QEMU_SST_DMA_ENGINE_H
#define QEMU_SST_DMA_ENGINE_H

#define SST_DMA_REG_ID 0x00            /* RO: SST_DMA_ID */
#define SST_DMA_REG_SRC 0x08           /* RW: source, guest-physical */
#define SST_DMA_REG_DST 0x10           /* RW: destination, guest-physical */
#define SST_DMA_REG_LENGTH 0x18        /* RW: bytes to copy; 0 completes at once */
#define SST_DMA_REG_CONTROL 0x20       /* WO: SST_DMA_CTRL_* bits */
#define SST_DMA_REG_STATUS 0x28        /* RO: SST_DMA_STATUS_* bits */
#define SST_DMA_REG_IRQ_ENABLE 0x30    /* RW: 1 raises the interrupt when a transfer ends */
#define SST_DMA_REG_ERROR_CODE 0x38    /* RO: SST_DMA_ERR_* of the last transfer */
#define SST_DMA_REG_ERROR_ADDRESS 0x40 /* RO: where the last transfer failed */
#define SST_DMA_REG_CYCLES 0x48        /* RO: device cycles the last transfer took */
#define SST_DMA_REG_DONE_AT 0x50       /* RO: device cycle the last transfer ended at */
#define SST_DMA_REG_BYTES 0x58         /* RO: bytes copied since reset */

#define SST_DMA_ID 0x43414d44ull /* "DMAC" */

#define SST_DMA_CTRL_START 0x1ull   /* copy LENGTH bytes from SRC to DST; ignored while BUSY */
#define SST_DMA_CTRL_IRQ_ACK 0x2ull /* lower the interrupt line, clear IRQ_PENDING */
#define SST_DMA_CTRL_RESET 0x4ull   /* abandon the transfer (bursts in flight still land), clear all */

#define SST_DMA_STATUS_BUSY 0x1ull
#define SST_DMA_STATUS_DONE 0x2ull
#define SST_DMA_STATUS_ERROR 0x4ull
#define SST_DMA_STATUS_IRQ_PENDING 0x8ull

#define SST_DMA_ERR_NONE 0
#define SST_DMA_ERR_SRC_FAULT 1 /* memory refused a read: ERROR_ADDRESS is in the source */
#define SST_DMA_ERR_DST_FAULT 2 /* memory refused a write: ERROR_ADDRESS is in the destination */
#define SST_DMA_ERR_NO_DMA 3    /* the engine's dma_port is not connected */

#define SST_DMA_WINDOW_SIZE 0x1000

/* Descriptor (qemu-sst/device_kind.h): completion interrupt, DMA. */
#define SST_DMA_KIND ("dma", "acalsim", "DmaEngine", SST_DMA_ID, SST_DMA_WINDOW_SIZE, 1, 1)

#endif /* QEMU_SST_DMA_ENGINE_H */

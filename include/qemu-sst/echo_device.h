/*
 * Register map of the echo device (acalsim.EchoDevice): what the guest writes, it reads back,
 * after the device's configured latency.  Shared by the SST component and guest programs.
 * All registers are 64 bits wide and may be accessed with 1, 2, 4 or 8-byte loads and stores;
 * narrower accesses see the low-order bytes of the register at that offset.
 */
#ifndef QEMU_SST_ECHO_DEVICE_H
#define QEMU_SST_ECHO_DEVICE_H

#define SST_ECHO_REG_ID 0x00       /* RO: SST_ECHO_ID */
#define SST_ECHO_REG_DATA 0x08     /* RW: last value written; reads echo it */
#define SST_ECHO_REG_STATUS 0x10   /* RO: SST_ECHO_STATUS_* */
#define SST_ECHO_REG_COUNT 0x18    /* RO: accesses served so far (this one not included) */
#define SST_ECHO_REG_LATENCY 0x20  /* RO: configured latency in device cycles */
#define SST_ECHO_REG_SCRATCH 0x100 /* RW buffer: each byte reads back what was last written there */
#define SST_ECHO_SCRATCH_SIZE 0x100

#define SST_ECHO_ID 0x4f484345ull /* "ECHO" */
#define SST_ECHO_STATUS_READY 0x1ull

/* Smallest window that covers every register. */
#define SST_ECHO_WINDOW_SIZE 0x1000

/* Descriptor (qemu-sst/device_kind.h): no interrupt line. */
#define SST_ECHO_KIND ("echo", "acalsim", "EchoDevice", SST_ECHO_ID, SST_ECHO_WINDOW_SIZE, 0, 0)
#endif /* QEMU_SST_ECHO_DEVICE_H */

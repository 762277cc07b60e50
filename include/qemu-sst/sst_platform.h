/*
 * Where things sit on QEMU's riscv `virt` machine as qemu-sst uses it: the sst-device windows and
 * their interrupt sources, the handful of virt devices a bare-metal guest needs (test device, UART,
 * PLIC, CLINT) and virt's whole memory map below RAM.  Shared by guest programs and by anything on
 * the host that must agree with them.  Plain C preprocessor constants; depends on nothing.
 *
 * The virt addresses are those of QEMU 7.2's hw/riscv/virt.c memory map.
 */
#ifndef QEMU_SST_SST_PLATFORM_H
#define QEMU_SST_SST_PLATFORM_H

/* --- sst-device windows ------------------------------------------------------------------- */

/* Device i of a configuration sits at SST_DEVICE_BASE(i): 1 MiB apart from 0x10200000, clear of
 * virt's UART, virtio-mmio and fw_cfg below and of the flash at 0x20000000 above. */
#define SST_DEVICE_BASE0 0x10200000u
#define SST_DEVICE_STRIDE 0x100000u
#define SST_DEVICE_BASE(i) (SST_DEVICE_BASE0 + SST_DEVICE_STRIDE * (unsigned)(i))
#define SST_DEVICE_WINDOW_SIZE 0x1000u /* every device's register window: 4 KiB */

/* Device i raises PLIC source 12 + i: sst-device takes the first source virt leaves free, in the
 * order the devices are created (virt itself uses 1-8, 10 and 11).  The formula holds while
 * sources 12-31 last, i.e. for up to SST_DEVICE_MAX devices (32-35 are PCIe INTx). */
#define SST_DEVICE_IRQ_BASE 12u
#define SST_DEVICE_IRQ(i) (SST_DEVICE_IRQ_BASE + (unsigned)(i))
#define SST_DEVICE_MAX 20u

/* --- virt machine ------------------------------------------------------------------------- */

#define SST_VIRT_DRAM_BASE 0x80000000u /* -kernel ELFs are linked here (with -bios none) */

/* sifive_test "finisher": a 32-bit store ends QEMU. */
#define SST_VIRT_TEST_BASE 0x00100000u
#define SST_VIRT_TEST_PASS 0x5555u /* exit status 0 */
#define SST_VIRT_TEST_FAIL 0x3333u /* exit status in bits 31..16 */
#define SST_VIRT_TEST_FAIL_CODE(code) (((((unsigned)(code)) & 0xffffu) << 16) | SST_VIRT_TEST_FAIL)

/* NS16550A UART, byte registers, input clock 3.6864 MHz (QEMU ignores the divisor). */
#define SST_VIRT_UART0_BASE 0x10000000u
#define SST_VIRT_UART0_IRQ 10u

/* PLIC (SiFive layout).  Each hart has two contexts: 2*hart for M-mode, 2*hart+1 for S-mode. */
#define SST_VIRT_PLIC_BASE 0x0c000000u
#define SST_VIRT_PLIC_NUM_SOURCES 96u /* sources 1..95; 0 means "none" in claim */
#define SST_VIRT_PLIC_PRIORITY(src) (4u * (unsigned)(src))
#define SST_VIRT_PLIC_PENDING 0x1000u
#define SST_VIRT_PLIC_ENABLE(ctx) (0x2000u + 0x80u * (unsigned)(ctx)) /* bit per source */
#define SST_VIRT_PLIC_THRESHOLD(ctx) (0x200000u + 0x1000u * (unsigned)(ctx))
#define SST_VIRT_PLIC_CLAIM(ctx) (0x200004u + 0x1000u * (unsigned)(ctx)) /* read: claim; write: complete */
#define SST_VIRT_PLIC_CONTEXT_M(hart) (2u * (unsigned)(hart))

/* CLINT: software interrupts, timer compare and the mtime counter that `rdtime` also reads. */
#define SST_VIRT_CLINT_BASE 0x02000000u
#define SST_VIRT_CLINT_MSIP(hart) (4u * (unsigned)(hart))
#define SST_VIRT_CLINT_MTIMECMP(hart) (0x4000u + 8u * (unsigned)(hart))
#define SST_VIRT_CLINT_MTIME 0xbff8u
#define SST_VIRT_TIMEBASE_HZ 10000000u /* mtime / rdtime: 10 MHz, one tick = 100 ns */

/*
 * Every region of virt's memory map below guest RAM, as an X-macro X(name, base, size), so the one
 * list serves whoever needs it as a table (the bridge refuses device windows overlapping any of
 * them).  Regions a guest program uses by address take their base from the constants above.
 */
#define SST_VIRT_REGIONS(X)                   \
    X("debug", 0x0u, 0x100u)                  \
    X("mrom", 0x1000u, 0xf000u)               \
    X("test", SST_VIRT_TEST_BASE, 0x1000u)    \
    X("rtc", 0x101000u, 0x1000u)              \
    X("clint", SST_VIRT_CLINT_BASE, 0x10000u) \
    X("aclint-sswi", 0x2f00000u, 0x4000u)     \
    X("pcie-pio", 0x3000000u, 0x10000u)       \
    X("platform-bus", 0x4000000u, 0x2000000u) \
    X("plic", SST_VIRT_PLIC_BASE, 0x4000000u) \
    X("uart0", SST_VIRT_UART0_BASE, 0x100u)   \
    X("virtio-mmio", 0x10001000u, 0x8000u)    \
    X("fw-cfg", 0x10100000u, 0x18u)           \
    X("flash", 0x20000000u, 0x4000000u)       \
    X("pcie-ecam", 0x30000000u, 0x10000000u)  \
    X("pcie-mmio", 0x40000000u, 0x40000000u)

/*
 * Deterministic time: QEMU runs with -icount shift=0, so one retired instruction is 1 ns of guest
 * time and `rdcycle` reads that clock in ns (it includes the modelled device latency added to it);
 * `rdtime` reads the same clock in 100 ns ticks.  Without -icount (fast mode) rdcycle counts host
 * timestamp-counter ticks and rdtime follows the host's clock.
 */
#define SST_ICOUNT_NS_PER_INSN 1u

#endif /* QEMU_SST_SST_PLATFORM_H */

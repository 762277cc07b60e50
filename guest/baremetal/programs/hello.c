/*
 * Start-up smoke test that touches no sst device, so it runs on any QEMU virt:
 * UART and printf, 64-bit formatting, the expected-fault path (on an address virt leaves
 * unmapped), the counters, and exit through the test device.
 *
 * qemu-sst test: configs/test_2device_integration.py
 */
#include <stdio.h>

#include "check.h"
#include "rt.h"

/* Nothing is mapped here on virt (between the PLIC and the UART), in any qemu-sst configuration. */
#define UNMAPPED_ADDR 0x0f000000u

static volatile uint32_t initialised = 0x12345678; /* .data must arrive with its value */
static volatile uint32_t zeroed;                   /* .bss must have been cleared */

int main(void) {
    printf("hello: rv%d bare-metal runtime on QEMU virt\n", __riscv_xlen);
    check_eq(1, ".data initialised", initialised, 0x12345678);
    check_eq(2, ".bss cleared", zeroed, 0);

    char buf[32];
    snprintf(buf, sizeof buf, "%llx", 0x0123456789abcdefull);
    check(3, "printf of a 64-bit value", buf[0] == '1' && buf[14] == 'f' && buf[15] == '\0');

    struct rt_fault f = rt_try_read(UNMAPPED_ADDR, 4);
    check_eq(4, "load from unmapped memory faults once", f.count, 1);
    check_eq(5, "  as a load access fault", f.mcause, EXC_LOAD_ACCESS);
    check_eq(6, "  with mtval = the address", f.mtval, UNMAPPED_ADDR);
    f = rt_try_write(UNMAPPED_ADDR, 2, 0xbeef);
    check_eq(7, "store to unmapped memory faults as a store access fault", f.mcause, EXC_STORE_ACCESS);
    f = rt_try_read(SST_VIRT_UART0_BASE + 5, 1);
    check_eq(8, "a load that does not fault is not recorded", f.count, 0);

    const uint64_t c0 = rt_rdcycle(), t0 = rt_rdtime();
    rt_cycles_spin(100000);
    const uint64_t c1 = rt_rdcycle(), t1 = rt_rdtime();
    check(9, "rdcycle and rdtime advance", c1 > c0 && t1 > t0);
    printf("  200000 instructions: %llu cycles, %llu time ticks; time is %s\n", (unsigned long long)(c1 - c0),
           (unsigned long long)(t1 - t0),
           rt_time_deterministic() ? "deterministic (icount shift=0)" : "not icount-based");
    return check_verdict("hello");
}

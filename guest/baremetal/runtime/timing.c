/* 64-bit counter reads and the deterministic-time check. */
#include "rt.h"

#if __riscv_xlen == 64
uint64_t rt_rdcycle(void) { return csr_read(cycle); }
uint64_t rt_rdtime(void) { return csr_read(time); }
#else
/* RV32 reads the halves separately; re-read if the low half wrapped in between. */
uint64_t rt_rdcycle(void) {
    uint32_t hi, lo;
    do {
        hi = csr_read(cycleh);
        lo = csr_read(cycle);
    } while (hi != csr_read(cycleh));
    return ((uint64_t)hi << 32) | lo;
}
uint64_t rt_rdtime(void) {
    uint32_t hi, lo;
    do {
        hi = csr_read(timeh);
        lo = csr_read(time);
    } while (hi != csr_read(timeh));
    return ((uint64_t)hi << 32) | lo;
}
#endif

/*
 * Under -icount shift=0 rdcycle is QEMU's virtual clock in ns, which advances exactly one per
 * instruction when no device latency is added, so two spin loops differ by exactly the extra
 * instructions.  Without -icount rdcycle is the host's timestamp counter, which never lines up
 * exactly twice in a row.
 */
bool rt_time_deterministic(void) {
    static int known = -1;
    if (known < 0) {
        known = 1;
        for (int i = 0; i < 2 && known; i++) {
            const uintptr_t small = rt_cycles_spin(1000);
            const uintptr_t big = rt_cycles_spin(3000);
            known = (big - small) == 2000 * RT_SPIN_INSNS;
        }
    }
    return known;
}

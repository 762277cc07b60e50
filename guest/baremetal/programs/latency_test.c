/*
 * Modelled access latency of every device, measured from the guest.
 *
 * Method (deterministic time only: QEMU -icount shift=0, 1 instruction = 1 ns of guest time, and
 * qemu-sst adds each access's modelled latency to that clock):
 *   - timing.S runs LATENCY_N iterations of {4-byte load, addi, bnez} between two counter reads.
 *     The same loop on a RAM word gives the loop's own cost; on a device's ID register the
 *     difference is LATENCY_N * (modelled latency per access).
 *   - rdcycle: under icount it is the guest clock in ns (latency included), so it resolves 1 ns.
 *     Checked: (device loop - RAM loop) against LATENCY_N * expected.
 *   - rdtime: the same clock in 100 ns ticks (virt's 10 MHz timebase).  Checked: the device loop's
 *     ticks * 100 against LATENCY_N * (3 + expected) + 1 instructions.
 *   Tolerance for both: one timer tick (100 ns) on the total, i.e. 100 / LATENCY_N ns per access.
 * Expected values: known_configs.h for the configuration found by probing (echo: latency + 2 ns
 * of links, e.g. 12 and 22 ns; compute: 1 cycle + 2 ns = 3 ns).
 * Interrupt lateness (each compute device): an operation's completion interrupt is taken with
 * interrupts enabled in a spin loop; the guest time it was taken at (rt_trap_cycle) minus the
 * time the device raised it (DONE_AT, 1 GHz, plus the 1 ns interrupt link) must be 0 on the
 * embedded engine, which stops the guest exactly at the device's completion.
 * In fast mode (no icount) the numbers mean nothing: the test says so and passes as skipped,
 * unless built with -DLATENCY_REQUIRE_DETERMINISTIC, when it fails instead.
 *
 * qemu-sst test: configs/test_2device_integration.py
 * qemu-sst test: configs/qemu_4device_test.py
 */
#include <stdio.h>

#include "check.h"
#include "known_configs.h"
#include "rt.h"
#include "sst_dev.h"

#ifndef LATENCY_N
#define LATENCY_N 1000
#endif
#define TICK_NS (1000000000u / SST_VIRT_TIMEBASE_HZ)

static volatile uint32_t ram_word;

static int64_t diff_abs(int64_t a, int64_t b) { return a > b ? a - b : b - a; }

static volatile unsigned irqs;
static volatile uintptr_t irq_taken_at;

static void on_completion(unsigned source, void *arg) {
    const unsigned dev = (unsigned)(uintptr_t)arg;
    (void)source;
    irq_taken_at = rt_trap_time();
    compute_control(dev, SST_COMPUTE_CTRL_IRQ_ACK);
    irqs++;
}

/* A 20-cycle DIV on compute device `dev` with its interrupt enabled: ns from the interrupt's
 * raising (DONE_AT + the 1 ns link) to the guest taking it. */
static long irq_lateness_ns(unsigned dev) {
    irqs = 0;
    rt_irq_attach(SST_DEVICE_IRQ(dev), on_completion, (void *)(uintptr_t)dev);
    compute_write(dev, SST_COMPUTE_REG_IRQ_ENABLE, 1);
    csr_set(mstatus, MSTATUS_MIE); /* taken between any two instructions of the spin */
    compute_start(dev, SST_COMPUTE_OP_DIV, 1000, 7);
    for (unsigned long spins = 0; irqs == 0 && spins < 10000000ul; spins++) {
    }
    csr_clear(mstatus, MSTATUS_MIE);
    compute_write(dev, SST_COMPUTE_REG_IRQ_ENABLE, 0);
    rt_irq_detach(SST_DEVICE_IRQ(dev));
    if (irqs != 1) {
        return -1;
    }
    return (long)(irq_taken_at - ((uintptr_t)compute_read(dev, SST_COMPUTE_REG_DONE_AT) + SST_IRQ_LINK_NS));
}

int main(void) {
    printf("latency_test: rv%d, %u accesses per device\n", __riscv_xlen, (unsigned)LATENCY_N);
    if (!rt_time_deterministic()) {
        printf("latency_test: time is not deterministic (rdcycle does not count one per instruction):\n"
               "  modelled latency cannot be measured in fast mode; run under deterministic mode.\n");
#ifdef LATENCY_REQUIRE_DETERMINISTIC
        check(1, "deterministic time", false);
        return check_verdict("latency_test");
#else
        printf("latency_test: SKIP\n");
        return 0;
#endif
    }

    const struct sst_device_kind *kinds[SST_DEVICE_MAX];
    const unsigned ndev = sst_probe_all(kinds, SST_DEVICE_MAX);
    const struct expected_device *want = expected_config(ndev);
    check(2, "configuration recognised (2 or 4 devices)", want != NULL);
    if (!want) {
        return check_verdict("latency_test");
    }

    const uintptr_t n = LATENCY_N;
    const uintptr_t ram_cycles = rt_cycles_loads((uintptr_t)&ram_word, n);
    printf("  RAM loop: %lu ns for %lu iterations (%u instructions each)\n", (unsigned long)ram_cycles,
           (unsigned long)n, RT_LOAD_LOOP_INSNS);
    check_eq(3, "RAM loop costs its instructions only", ram_cycles, n * RT_LOAD_LOOP_INSNS + 1);

    for (unsigned i = 0; i < ndev; i++) {
        const uintptr_t reg = sst_reg(i, SST_ECHO_REG_ID); /* offset 0 in both maps, read-only, no side effect */
        const int64_t expected_total = (int64_t)n * want[i].access_ns;

        const int64_t by_cycle = (int64_t)rt_cycles_loads(reg, n) - (int64_t)ram_cycles;
        const int64_t ticks = (int64_t)rt_time_loads(reg, n);
        const int64_t by_time = ticks * TICK_NS - (int64_t)(n * RT_LOAD_LOOP_INSNS + 1);

        printf("  device %u (%s, %s): expected %u ns/access\n", i, want[i].name, kinds[i]->name, want[i].access_ns);
        printf("    rdcycle: %lld ns over %lu accesses = %lld.%03lld ns/access\n", (long long)by_cycle,
               (unsigned long)n, (long long)(by_cycle / (int64_t)n),
               (long long)((by_cycle % (int64_t)n) * 1000 / (int64_t)n));
        printf("    rdtime : %lld ticks -> %lld ns of latency = %lld.%03lld ns/access\n", (long long)ticks,
               (long long)by_time, (long long)(by_time / (int64_t)n),
               (long long)(((by_time % (int64_t)n) + (int64_t)n) % (int64_t)n * 1000 / (int64_t)n));
        check(10 + 2 * (int)i, "  rdcycle total within one tick of expected",
              diff_abs(by_cycle, expected_total) <= TICK_NS);
        check(11 + 2 * (int)i, "  rdtime total within one tick of expected",
              diff_abs(by_time, expected_total) <= TICK_NS);
    }
    for (unsigned i = 0; i < ndev; i++) {
        if (sst_is(kinds[i], SST_COMPUTE_ID)) {
            const long late = irq_lateness_ns(i);
            printf("  device %u: completion interrupt taken %ld ns after it was raised\n", i, late);
            check_eq(40 + (int)i, "  interrupt taken at its own time", (uint64_t)late, 0);
        }
    }
    return check_verdict("latency_test");
}

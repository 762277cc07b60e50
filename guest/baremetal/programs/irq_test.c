/*
 * Completion interrupts through the PLIC: for every compute device found (probing ID registers,
 * as multi_device_test does), start an operation with IRQ_ENABLE set, sleep in wfi until the
 * interrupt arrives on PLIC source SST_DEVICE_IRQ(i), read STATUS and acknowledge in the handler,
 * then check STATUS, the result, and that no other source fired.  Also: an error completion
 * interrupts too, and nothing interrupts with IRQ_ENABLE clear.
 *
 * qemu-sst test: configs/test_2device_integration.py
 * qemu-sst test: configs/qemu_4device_test.py
 */
#include <stdio.h>

#include "check.h"
#include "rt.h"
#include "sst_dev.h"

#define MAX_WAKEUPS 10000ul /* each at most 100 us of guest time: 1 s in all */

struct irq_state {
    unsigned dev;
    volatile unsigned count;
    volatile unsigned source;
    volatile uint32_t status_in_handler;
    volatile uint64_t cycle_in_handler;
};

static struct irq_state states[SST_DEVICE_MAX];
static unsigned total_irqs(void) {
    unsigned n = 0;
    for (unsigned i = 0; i < SST_DEVICE_MAX; i++) {
        n += states[i].count;
    }
    return n;
}

/* Runs in trap context: record, then lower the device's level-triggered line before the runtime
 * completes the claim. */
static void on_completion(unsigned source, void *arg) {
    struct irq_state *s = arg;
    s->cycle_in_handler = rt_rdcycle();
    s->count++;
    s->source = source;
    s->status_in_handler = compute_status(s->dev);
    compute_control(s->dev, SST_COMPUTE_CTRL_IRQ_ACK);
}

static void test_device(unsigned dev, int base_id) {
    struct irq_state *s = &states[dev];
    char line[112];
    printf("compute device %u, PLIC source %u\n", dev, SST_DEVICE_IRQ(dev));
    compute_control(dev, SST_COMPUTE_CTRL_RESET);
    s->dev = dev;
    rt_irq_attach(SST_DEVICE_IRQ(dev), on_completion, s);
    compute_write(dev, SST_COMPUTE_REG_IRQ_ENABLE, 1);

    /* DIV: 20 device cycles, long enough that the guest is usually asleep when it ends. */
    const unsigned before = total_irqs();
    const uint64_t start_cycle = rt_rdcycle();
    compute_start(dev, SST_COMPUTE_OP_DIV, 84, 2);
    const long wakeups = rt_wait_irq(&s->count, 1, MAX_WAKEUPS);
    snprintf(line, sizeof line, "interrupt arrived (after %ld wfi wake-up(s))", wakeups);
    check(base_id + 0, line, wakeups >= 0);
    check_eq(base_id + 1, "on its own PLIC source", s->source, SST_DEVICE_IRQ(dev));
    check_eq(base_id + 2, "STATUS in the handler: DONE | IRQ_PENDING", s->status_in_handler,
             SST_COMPUTE_STATUS_DONE | SST_COMPUTE_STATUS_IRQ_PENDING);
    check_eq(base_id + 3, "STATUS after IRQ_ACK: DONE", compute_status(dev), SST_COMPUTE_STATUS_DONE);
    check_eq(base_id + 4, "RESULT", compute_read(dev, SST_COMPUTE_REG_RESULT), 42);
    check_eq(base_id + 5, "exactly one interrupt in all", total_irqs() - before, 1);
    if (rt_time_deterministic()) {
        const uint64_t elapsed = s->cycle_in_handler - start_cycle;
        const uint64_t cycles = compute_read(dev, SST_COMPUTE_REG_CYCLES);
        snprintf(line, sizeof line, "interrupt %llu ns after START, not before the %llu-cycle operation",
                 (unsigned long long)elapsed, (unsigned long long)cycles);
        check(base_id + 6, line, elapsed >= cycles);
    } else {
        check_skip(base_id + 6, "interrupt not before the operation's end", "time is not deterministic");
    }

    /* An error completion interrupts too, with ERROR instead of DONE. */
    compute_start(dev, SST_COMPUTE_OP_DIV, 1, 0);
    check(base_id + 7, "error completion interrupts", rt_wait_irq(&s->count, 2, MAX_WAKEUPS) >= 0);
    check_eq(base_id + 8, "  STATUS in the handler: ERROR | IRQ_PENDING", s->status_in_handler,
             SST_COMPUTE_STATUS_ERROR | SST_COMPUTE_STATUS_IRQ_PENDING);

    /* With IRQ_ENABLE clear the operation completes silently. */
    compute_write(dev, SST_COMPUTE_REG_IRQ_ENABLE, 0);
    const struct compute_outcome o = compute_run(dev, SST_COMPUTE_OP_MUL, 6, 7);
    for (int i = 0; i < 100; i++) { /* give a wrong interrupt time to arrive */
        (void)compute_status(dev);
    }
    check(base_id + 9, "no interrupt with IRQ_ENABLE clear",
          !o.timed_out && o.result == 42 && s->count == 2 && !(o.status & SST_COMPUTE_STATUS_IRQ_PENDING));
    rt_irq_detach(SST_DEVICE_IRQ(dev));
}

int main(void) {
    printf("irq_test: rv%d\n", __riscv_xlen);
    const struct sst_device_kind *kinds[SST_DEVICE_MAX];
    const unsigned ndev = sst_probe_all(kinds, SST_DEVICE_MAX);
    unsigned tested = 0;
    for (unsigned i = 0; i < ndev && tested < 9; i++) {
        if (sst_is(kinds[i], SST_COMPUTE_ID)) {
            test_device(i, 10 + 20 * (int)tested); /* checks 10-19, 30-39, ... */
            tested++;
        }
    }
    check(1, "found a compute device to interrupt", tested > 0);
    check_eq(2, "no interrupt from a source without a handler", rt_irq_unhandled(), 0);
    return check_verdict("irq_test");
}

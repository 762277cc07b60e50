/*
 * Trap handling: machine external interrupts dispatched through the PLIC, expected access faults
 * recorded and skipped, anything else reported and fatal.
 */
#include <stdio.h>

#include "rt.h"

/* Hart 0's machine-mode PLIC context: the only one this runtime runs in. */
#define PLIC_CTX SST_VIRT_PLIC_CONTEXT_M(0)
#define PLIC(off) (SST_VIRT_PLIC_BASE + (off))

struct irq_slot {
    rt_irq_handler handler;
    void *arg;
};
static struct irq_slot irq_slots[SST_VIRT_PLIC_NUM_SOURCES];
static volatile unsigned irq_unhandled;

volatile uintptr_t rt_trap_cycle;

static volatile bool fault_armed;
static volatile struct rt_fault fault_seen;

/* Saved by start.S in this order. */
struct trap_frame {
    uintptr_t ra, t0, t1, t2, a[8], t3, t4, t5, t6;
};
void rt_trap_handler(struct trap_frame *frame);

static void plic_enable(unsigned source, bool on) {
    const uintptr_t reg = PLIC(SST_VIRT_PLIC_ENABLE(PLIC_CTX) + 4 * (source / 32));
    const uint32_t bit = 1u << (source % 32);
    const uint32_t v = mmio_read32(reg);
    mmio_write32(reg, on ? (v | bit) : (v & ~bit));
}

void rt_irq_attach(unsigned source, rt_irq_handler handler, void *arg) {
    if (source == 0 || source >= SST_VIRT_PLIC_NUM_SOURCES) {
        printf("rt: irq source %u does not exist on virt's PLIC\n", source);
        rt_exit(RT_EXIT_UNEXPECTED_IRQ);
    }
    irq_slots[source].handler = handler;
    irq_slots[source].arg = arg;
    mmio_write32(PLIC(SST_VIRT_PLIC_PRIORITY(source)), 1); /* priority 0 would never interrupt */
    mmio_write32(PLIC(SST_VIRT_PLIC_THRESHOLD(PLIC_CTX)), 0);
    plic_enable(source, true);
    csr_set(mie, MIE_MEIE);
}

void rt_irq_detach(unsigned source) {
    if (source == 0 || source >= SST_VIRT_PLIC_NUM_SOURCES) {
        return;
    }
    plic_enable(source, false);
    irq_slots[source].handler = 0;
}

unsigned rt_irq_unhandled(void) { return irq_unhandled; }

/* Claim until the PLIC has nothing pending for this context; complete each claim after its
 * handler, which has quieted the device (a still-high level would otherwise not re-trigger). */
static void plic_dispatch(void) {
    for (;;) {
        const uint32_t source = mmio_read32(PLIC(SST_VIRT_PLIC_CLAIM(PLIC_CTX)));
        if (source == 0) {
            return;
        }
        const bool handled = source < SST_VIRT_PLIC_NUM_SOURCES && irq_slots[source].handler;
        if (handled) {
            irq_slots[source].handler(source, irq_slots[source].arg);
        }
        mmio_write32(PLIC(SST_VIRT_PLIC_CLAIM(PLIC_CTX)), source);
        if (!handled) {
            /* Nobody will quiet it: disable it (after completing, which some PLICs ignore for
             * disabled sources) so it cannot storm, and let the test notice. */
            irq_unhandled++;
            printf("rt: interrupt from PLIC source %u with no handler; source disabled\n", (unsigned)source);
            plic_enable(source, false);
        }
    }
}

/* The machine timer bounds each wfi: with nothing else pending a wfi could sleep for ever. */
#define CLINT(off) (SST_VIRT_CLINT_BASE + (off))
static volatile bool wfi_timer_armed;

static void set_mtimecmp(uint64_t when) {
    const uintptr_t reg = CLINT(SST_VIRT_CLINT_MTIMECMP(0));
#if __riscv_xlen == 64
    mmio_write64(reg, when);
#else
    /* Raise the high word first so no intermediate value lies in the past. */
    mmio_write32(reg + 4, 0xffffffffu);
    mmio_write32(reg, (uint32_t)when);
    mmio_write32(reg + 4, (uint32_t)(when >> 32));
#endif
}

long rt_wait_irq(volatile unsigned *counter, unsigned target, unsigned long max_wakeups) {
    const uintptr_t saved = csr_read(mstatus) & MSTATUS_MIE;
    unsigned long wakeups = 0;
    long result;
    for (;;) {
        /* Check with interrupts masked, then wfi: wfi still wakes on a pending enabled interrupt
         * when mstatus.MIE is clear, so one arriving between the check and the wfi is not lost. */
        csr_clear(mstatus, MSTATUS_MIE);
        if (*counter >= target) {
            result = (long)wakeups;
            break;
        }
        if (wakeups == max_wakeups) {
            result = -1;
            break;
        }
        wfi_timer_armed = true;
        set_mtimecmp(rt_rdtime() + RT_WFI_SLICE_TICKS);
        csr_set(mie, MIE_MTIE);
        __asm__ volatile("wfi");
        wakeups++;
        csr_set(mstatus, MSTATUS_MIE); /* pending interrupts (device, or the slice's end) are taken here */
    }
    csr_clear(mie, MIE_MTIE);
    wfi_timer_armed = false;
    set_mtimecmp(UINT64_MAX);
    csr_set(mstatus, saved);
    return result;
}

static const char *cause_name(uintptr_t code) {
    static const char *const names[] = {
        "instruction address misaligned",
        "instruction access fault",
        "illegal instruction",
        "breakpoint",
        "load address misaligned",
        "load access fault",
        "store/AMO address misaligned",
        "store/AMO access fault",
        "ecall from U-mode",
        "ecall from S-mode",
        "reserved",
        "ecall from M-mode",
        "instruction page fault",
        "load page fault",
        "reserved",
        "store/AMO page fault",
    };
    return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unknown";
}

static bool is_data_fault(uintptr_t code) {
    return code == EXC_LOAD_MISALIGNED || code == EXC_LOAD_ACCESS || code == EXC_STORE_MISALIGNED ||
           code == EXC_STORE_ACCESS;
}

void rt_trap_handler(struct trap_frame *frame) {
    const uintptr_t mcause = csr_read(mcause);
    const uintptr_t code = mcause & ~MCAUSE_INTERRUPT;

    if (mcause & MCAUSE_INTERRUPT) {
        if (code == IRQ_M_EXTERNAL) {
            plic_dispatch();
            return;
        }
        if (code == IRQ_M_TIMER && wfi_timer_armed) {
            set_mtimecmp(UINT64_MAX); /* the slice ended: lower the timer interrupt */
            return;
        }
        printf("rt: unexpected interrupt, mcause=0x%lx\n", (unsigned long)mcause);
        rt_exit(RT_EXIT_UNEXPECTED_IRQ);
    }

    const uintptr_t mepc = csr_read(mepc);
    const uintptr_t mtval = csr_read(mtval);
    if (fault_armed && is_data_fault(code)) {
        if (fault_seen.count++ == 0) {
            fault_seen.mcause = mcause;
            fault_seen.mepc = mepc;
            fault_seen.mtval = mtval;
        }
        /* Resume after the faulting instruction: with the C extension it may be 2 bytes long.
         * The low two bits of its first halfword are 11 only for 32-bit encodings. */
        const uint16_t low = *(const volatile uint16_t *)mepc;
        csr_write(mepc, mepc + ((low & 3u) == 3u ? 4 : 2));
        return;
    }

    printf("rt: unexpected exception: mcause=%lu (%s) mepc=0x%lx mtval=0x%lx ra=0x%lx\n", (unsigned long)code,
           cause_name(code), (unsigned long)mepc, (unsigned long)mtval, (unsigned long)frame->ra);
    rt_exit(RT_EXIT_UNEXPECTED_TRAP);
}

struct rt_fault rt_expect_fault(void (*fn)(uintptr_t arg), uintptr_t arg) {
    fault_seen.count = 0;
    fault_seen.mcause = fault_seen.mepc = fault_seen.mtval = 0;
    fault_armed = true;
    fn(arg);
    fault_armed = false;
    struct rt_fault f = {fault_seen.count, fault_seen.mcause, fault_seen.mepc, fault_seen.mtval};
    return f;
}

/* --- rt_try_read / rt_try_write: the access sizes as functions rt_expect_fault can run ------ */

volatile uint64_t rt_try_value;
static uint64_t try_data;
static unsigned try_size;

static void try_read(uintptr_t addr) {
    uint64_t v = 0;
    switch (try_size) {
    case 1: v = mmio_read8(addr); break;
    case 2: v = mmio_read16(addr); break;
    case 4: v = mmio_read32(addr); break;
#if MMIO_HAVE_64
    case 8: v = mmio_read64(addr); break;
#endif
    default: printf("rt: no %u-byte access on this target\n", try_size); rt_exit(RT_EXIT_UNEXPECTED_TRAP);
    }
    rt_try_value = v;
}

static void try_write(uintptr_t addr) {
    switch (try_size) {
    case 1: mmio_write8(addr, (uint8_t)try_data); break;
    case 2: mmio_write16(addr, (uint16_t)try_data); break;
    case 4: mmio_write32(addr, (uint32_t)try_data); break;
#if MMIO_HAVE_64
    case 8: mmio_write64(addr, try_data); break;
#endif
    default: printf("rt: no %u-byte access on this target\n", try_size); rt_exit(RT_EXIT_UNEXPECTED_TRAP);
    }
}

struct rt_fault rt_try_read(uintptr_t addr, unsigned size) {
    try_size = size;
    rt_try_value = 0;
    return rt_expect_fault(try_read, addr);
}

struct rt_fault rt_try_write(uintptr_t addr, unsigned size, uint64_t value) {
    try_size = size;
    try_data = value;
    return rt_expect_fault(try_write, addr);
}

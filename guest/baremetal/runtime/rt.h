/*
 * Bare-metal runtime for qemu-sst guest programs on QEMU's riscv `virt` machine (-bios none,
 * machine mode, hart 0).  start.S sets up the stack, TLS, bss and trap vector, then calls main();
 * main's return value becomes QEMU's exit status through the virt test device.
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"
#include "mmio.h"
#include "qemu-sst/sst_platform.h"

/* Exit statuses the runtime itself uses; programs use 1..199 for their own checks. */
#define RT_EXIT_UNEXPECTED_TRAP 250
#define RT_EXIT_UNEXPECTED_IRQ 251

/* --- console (UART 16550; printf/puts go here too) ---------------------------------------- */
void rt_putc(char c);
void rt_puts(const char *s); /* no newline added */

/* --- exit ---------------------------------------------------------------------------------- */
/* Ends QEMU: status 0 passes, anything else fails with (status & 0xffff); keep it below 256 since
 * a process exit status keeps only 8 bits. */
__attribute__((noreturn)) void rt_exit(int status);

/* --- expected faults ----------------------------------------------------------------------- */
struct rt_fault {
    unsigned count;   /* access/misaligned faults taken while armed */
    uintptr_t mcause; /* of the first one */
    uintptr_t mepc;
    uintptr_t mtval; /* the faulting address */
};

/* Runs fn(arg) with load/store access and misaligned faults expected: the trap handler records
 * each, skips the faulting instruction (2 or 4 bytes long) and returns to fn.  Any other
 * exception still fails the program. */
struct rt_fault rt_expect_fault(void (*fn)(uintptr_t arg), uintptr_t arg);

/* Convenience wrappers: one access of `size` bytes (1, 2, 4, 8 on RV64) that may fault. */
struct rt_fault rt_try_read(uintptr_t addr, unsigned size);
struct rt_fault rt_try_write(uintptr_t addr, unsigned size, uint64_t value);
/* Value read by the last rt_try_read; meaningless if it faulted. */
extern volatile uint64_t rt_try_value;

/* --- interrupts (machine external, through the PLIC, hart 0 M-mode context) ----------------- */
typedef void (*rt_irq_handler)(unsigned source, void *arg);

/* Installs handler for PLIC source `source` (priority 1, enabled, threshold 0) and enables
 * machine external interrupts in mie.  The handler runs in trap context and must quiet the
 * device (level-triggered lines) before returning; the runtime then completes the claim. */
void rt_irq_attach(unsigned source, rt_irq_handler handler, void *arg);
void rt_irq_detach(unsigned source);

/* The low XLEN bits of `cycle` read by the third instruction of the trap entry.  Under
 * deterministic time (-icount shift=0) a counter read counts the reading instruction too (see
 * timing.S), so the guest time the trap was taken at is rt_trap_cycle - RT_TRAP_ENTRY_INSNS ns. */
extern volatile uintptr_t rt_trap_cycle;
#define RT_TRAP_ENTRY_INSNS 3u
/* The guest time (low XLEN bits, deterministic time) the last trap was taken at: for a handler. */
static inline uintptr_t rt_trap_time(void) { return rt_trap_cycle - RT_TRAP_ENTRY_INSNS; }

/* Claims of sources without a handler so far (each is disabled when it happens). */
unsigned rt_irq_unhandled(void);

/* Sleeps in wfi until *counter >= target, with interrupts taken only between checks (no lost
 * wake-up).  Each wfi is bounded by the machine timer (RT_WFI_SLICE_TICKS of rdtime), so
 * max_wakeups bounds the wait to max_wakeups * 100 us of guest time even if no interrupt ever
 * comes.  Returns the wake-ups used, or -1 on timeout.  Uses the CLINT timer of hart 0. */
#define RT_WFI_SLICE_TICKS 1000u /* 100 us at virt's 10 MHz timebase */
long rt_wait_irq(volatile unsigned *counter, unsigned target, unsigned long max_wakeups);

/* --- time ------------------------------------------------------------------------------------ */
uint64_t rt_rdcycle(void); /* 64-bit even on RV32 */
uint64_t rt_rdtime(void);

/* Deltas of the low XLEN bits of `cycle`/`time` around tight asm loops (timing.S); every loop
 * body is a fixed instruction count so that, under -icount shift=0, the delta is exactly
 * (loop instructions + 1) ns plus any modelled latency. */
uintptr_t rt_cycles_spin(uintptr_t n);                  /* n * 2 instructions */
uintptr_t rt_cycles_loads(uintptr_t addr, uintptr_t n); /* n * 3 instructions, n 4-byte loads */
uintptr_t rt_time_loads(uintptr_t addr, uintptr_t n);   /* the same, measured with rdtime */
#define RT_SPIN_INSNS 2u
#define RT_LOAD_LOOP_INSNS 3u

/* True if rdcycle counts exactly one per instruction, i.e. QEMU runs with -icount shift=0
 * (qemu-sst's deterministic mode).  Decided once, by timing two spin loops. */
bool rt_time_deterministic(void);

#endif /* RT_RT_H */

/*
 * Entry point and trap entry.  QEMU's virt with -bios none jumps to the ELF entry on every hart
 * in machine mode with a0 = hartid; nothing else is set up.
 */
#if __riscv_xlen == 64
#define REG_S sd
#define REG_L ld
#define SZREG 8
#else
#define REG_S sw
#define REG_L lw
#define SZREG 4
#endif

    .section .text.start, "ax"
    .globl _start
_start:
    /* gp must be set without relaxation, or the linker would rewrite it relative to itself. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop

    csrr t0, mhartid
    bnez t0, park           /* single-hart runtime: other harts sleep for ever */

    csrw mie, zero          /* nothing may interrupt before main asks for it */
    csrci mstatus, 0x8
    la t0, rt_trap_entry
    csrw mtvec, t0          /* direct mode: rt_trap_entry is 4-byte aligned */

    la sp, __stack_top

    /* picolibc keeps errno in thread-local storage (local-exec model): tp must point at the TLS
     * block.  The linker script lays .tdata and .tbss out as one initialised block, used in place. */
    la tp, __tls_start

    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    REG_S zero, 0(t0)
    addi t0, t0, SZREG
    j 1b
2:
    call rt_start_c         /* never returns */
park:
    wfi
    j park

/*
 * Saves the registers a C function may clobber, calls rt_trap_handler(frame), restores, mret.
 * The handler may change mepc (to skip a faulting instruction).  Traps do not nest: mstatus.MIE
 * is cleared by hardware on entry and nothing in the handler sets it.
 */
#define FRAME_REGS 16
    .section .text.trap, "ax"
    .balign 4
    .globl rt_trap_entry
rt_trap_entry:
    addi sp, sp, -(FRAME_REGS * SZREG)
    REG_S t0, 1*SZREG(sp)
    csrr t0, cycle          /* the third instruction after the trap: see rt_trap_cycle */
    REG_S t1, 2*SZREG(sp)
    la t1, rt_trap_cycle
    REG_S t0, 0(t1)
    REG_S ra, 0*SZREG(sp)
    REG_S t2, 3*SZREG(sp)
    REG_S a0, 4*SZREG(sp)
    REG_S a1, 5*SZREG(sp)
    REG_S a2, 6*SZREG(sp)
    REG_S a3, 7*SZREG(sp)
    REG_S a4, 8*SZREG(sp)
    REG_S a5, 9*SZREG(sp)
    REG_S a6, 10*SZREG(sp)
    REG_S a7, 11*SZREG(sp)
    REG_S t3, 12*SZREG(sp)
    REG_S t4, 13*SZREG(sp)
    REG_S t5, 14*SZREG(sp)
    REG_S t6, 15*SZREG(sp)
    mv a0, sp
    call rt_trap_handler
    REG_L ra, 0*SZREG(sp)
    REG_L t0, 1*SZREG(sp)
    REG_L t1, 2*SZREG(sp)
    REG_L t2, 3*SZREG(sp)
    REG_L a0, 4*SZREG(sp)
    REG_L a1, 5*SZREG(sp)
    REG_L a2, 6*SZREG(sp)
    REG_L a3, 7*SZREG(sp)
    REG_L a4, 8*SZREG(sp)
    REG_L a5, 9*SZREG(sp)
    REG_L a6, 10*SZREG(sp)
    REG_L a7, 11*SZREG(sp)
    REG_L t3, 12*SZREG(sp)
    REG_L t4, 13*SZREG(sp)
    REG_L t5, 14*SZREG(sp)
    REG_L t6, 15*SZREG(sp)
    addi sp, sp, FRAME_REGS * SZREG
    mret

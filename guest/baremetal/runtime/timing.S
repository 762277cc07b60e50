/*
 * Timed loops with a fixed instruction count, so that under -icount shift=0 (1 instruction =
 * 1 ns) their cost is known exactly and whatever exceeds it is modelled device latency.  Each
 * returns the delta of the low XLEN bits of a counter between its two reads; the second read is
 * 1 + (loop instructions) instructions after the first.  Written in assembly because the C
 * compiler would be free to reshape the loops.  n must be at least 1.
 */

    .text
    /* uintptr_t rt_cycles_spin(uintptr_t n): n iterations of 2 instructions. */
    .globl rt_cycles_spin
    .balign 4
rt_cycles_spin:
    csrr t0, cycle
1:  addi a0, a0, -1
    bnez a0, 1b
    csrr t1, cycle
    sub a0, t1, t0
    ret

    /* uintptr_t rt_cycles_loads(uintptr_t addr, uintptr_t n): n 4-byte loads from addr,
     * 3 instructions per iteration, timed with rdcycle. */
    .globl rt_cycles_loads
    .balign 4
rt_cycles_loads:
    csrr t0, cycle
1:  lw t2, 0(a0)
    addi a1, a1, -1
    bnez a1, 1b
    csrr t1, cycle
    sub a0, t1, t0
    ret

    /* uintptr_t rt_time_loads(uintptr_t addr, uintptr_t n): the same loop timed with rdtime. */
    .globl rt_time_loads
    .balign 4
rt_time_loads:
    csrr t0, time
1:  lw t2, 0(a0)
    addi a1, a1, -1
    bnez a1, 1b
    csrr t1, time
    sub a0, t1, t0
    ret

/*
 * Compute device from real RISC-V code: every operation with its expected result and CYCLES,
 * POW's latency growing with the exponent's bit length, the error bits and codes, START while
 * BUSY, the bus errors of write-only/read-only registers, and RESET.
 *
 * Build-time: COMPUTE_DEV (device index, default 1: compute_device in the 2-device configuration,
 * compute0 in the 4-device one) and COMPUTE_MUL_CYCLES (its mul_latency, default 3).  The other
 * operation latencies are the device's defaults (known_configs.h).
 *
 * qemu-sst test: configs/test_2device_integration.py
 */
#include <stdio.h>

#include "check.h"
#include "known_configs.h"
#include "rt.h"
#include "sst_dev.h"

#ifndef COMPUTE_DEV
#define COMPUTE_DEV 1
#endif
#ifndef COMPUTE_MUL_CYCLES
#define COMPUTE_MUL_CYCLES 3
#endif

#define D COMPUTE_DEV

static unsigned started; /* operations started since the last RESET, errors included */

static struct compute_outcome run(uint64_t op, uint64_t a, uint64_t b) {
    started++;
    return compute_run(D, op, a, b);
}

static unsigned bit_length(uint64_t v) {
    unsigned n = 0;
    for (; v; v >>= 1) {
        n++;
    }
    return n;
}

static uint64_t pow_by_repetition(uint64_t a, unsigned b) {
    uint64_t r = 1;
    while (b--) {
        r *= a;
    }
    return r;
}

/* One successful operation: result, DONE without ERROR, ERROR_CODE 0, CYCLES. */
static void check_op(int id, const char *what, struct compute_outcome o, uint64_t result, uint64_t cycles) {
    char line[96];
    snprintf(line, sizeof line, "%s: result", what);
    check_eq(id, line, o.result, result);
    snprintf(line, sizeof line, "%s: STATUS DONE, no error, not timed out", what);
    check(id, line,
          !o.timed_out &&
              (o.status & (SST_COMPUTE_STATUS_DONE | SST_COMPUTE_STATUS_ERROR | SST_COMPUTE_STATUS_BUSY)) ==
                  SST_COMPUTE_STATUS_DONE &&
              o.error == SST_COMPUTE_ERR_NONE);
    snprintf(line, sizeof line, "%s: CYCLES", what);
    check_eq(id, line, o.cycles, cycles);
}

static void test_registers(void) {
    printf("ID, RESET state, read-write registers\n");
    check_eq(1, "ID", compute_read(D, SST_COMPUTE_REG_ID), SST_COMPUTE_ID);
    compute_control(D, SST_COMPUTE_CTRL_RESET);
    started = 0;
    check_eq(2, "STATUS after RESET", compute_status(D), 0);
    check_eq(3, "OP_COUNT after RESET", compute_read(D, SST_COMPUTE_REG_OP_COUNT), 0);
    compute_write(D, SST_COMPUTE_REG_OPERAND_A, 0x1122334455667788ull);
    compute_write(D, SST_COMPUTE_REG_OPERAND_B, 0x8877665544332211ull);
    compute_write(D, SST_COMPUTE_REG_OPCODE, SST_COMPUTE_OP_POW);
    check_eq(4, "OPERAND_A reads back", compute_read(D, SST_COMPUTE_REG_OPERAND_A), 0x1122334455667788ull);
    check_eq(5, "OPERAND_B reads back", compute_read(D, SST_COMPUTE_REG_OPERAND_B), 0x8877665544332211ull);
    check_eq(6, "OPCODE reads back", compute_read(D, SST_COMPUTE_REG_OPCODE), SST_COMPUTE_OP_POW);
    compute_write(D, SST_COMPUTE_REG_IRQ_ENABLE, 1);
    check_eq(7, "IRQ_ENABLE reads back", compute_read(D, SST_COMPUTE_REG_IRQ_ENABLE), 1);
    compute_write(D, SST_COMPUTE_REG_IRQ_ENABLE, 0); /* this test polls; irq_test covers interrupts */
}

static void test_operations(void) {
    printf("operations (mul_latency %u)\n", COMPUTE_MUL_CYCLES);
    check_op(10, "ADD 20 + 22", run(SST_COMPUTE_OP_ADD, 20, 22), 42, COMPUTE_ADD_CYCLES);
    check_op(11, "ADD wraps", run(SST_COMPUTE_OP_ADD, ~0ull, 2), 1, COMPUTE_ADD_CYCLES);
    check_op(12, "SUB 20 - 22 wraps", run(SST_COMPUTE_OP_SUB, 20, 22), 0xfffffffffffffffeull, COMPUTE_SUB_CYCLES);
    check_op(13, "MUL 6 * 7", run(SST_COMPUTE_OP_MUL, 6, 7), 42, COMPUTE_MUL_CYCLES);
    check_op(14, "MUL keeps the low 64 bits", run(SST_COMPUTE_OP_MUL, 0x100000001ull, 0x100000001ull), 0x200000001ull,
             COMPUTE_MUL_CYCLES);
    check_op(15, "DIV 100 / 7", run(SST_COMPUTE_OP_DIV, 100, 7), 14, COMPUTE_DIV_CYCLES);
    check_op(16, "DIV is unsigned", run(SST_COMPUTE_OP_DIV, ~0ull, 3), 0x5555555555555555ull, COMPUTE_DIV_CYCLES);
    check_op(17, "POW 2 ** 10", run(SST_COMPUTE_OP_POW, 2, 10), 1024, COMPUTE_POW_BASE_CYCLES + 4 * COMPUTE_MUL_CYCLES);
    check_op(18, "POW 3 ** 40 (low 64 bits)", run(SST_COMPUTE_OP_POW, 3, 40), pow_by_repetition(3, 40),
             COMPUTE_POW_BASE_CYCLES + 6 * COMPUTE_MUL_CYCLES);
    check_op(19, "POW 7 ** 0", run(SST_COMPUTE_OP_POW, 7, 0), 1, COMPUTE_POW_BASE_CYCLES);
}

/* POW's CYCLES grow by one multiply step per bit of the exponent, and only with the bit length. */
static void test_pow_latency(void) {
    static const uint64_t exponents[] = {1, 2, 3, 4, 7, 8, 100, 255, 256, 1ull << 40, ~0ull};
    printf("POW latency against the exponent\n");
    uint64_t prev_cycles = 0;
    unsigned prev_bits = 0;
    bool structure_ok = true, formula_ok = true;
    for (unsigned i = 0; i < sizeof exponents / sizeof exponents[0]; i++) {
        const uint64_t b = exponents[i];
        const struct compute_outcome o = run(SST_COMPUTE_OP_POW, 1, b); /* 1 ** b = 1 whatever b */
        const unsigned bits = bit_length(b);
        const uint64_t want = COMPUTE_POW_BASE_CYCLES + bits * COMPUTE_MUL_CYCLES;
        printf("    B = 0x%llx (%u bits): CYCLES %llu (formula %llu)%s\n", (unsigned long long)b, bits,
               (unsigned long long)o.cycles, (unsigned long long)want,
               o.result == 1 && !o.timed_out ? "" : " BAD RESULT");
        formula_ok &= o.cycles == want && o.result == 1 && !o.timed_out;
        if (i > 0) {
            structure_ok &= bits == prev_bits ? o.cycles == prev_cycles : o.cycles > prev_cycles;
        }
        prev_cycles = o.cycles;
        prev_bits = bits;
    }
    check(20, "CYCLES equal for equal bit lengths, larger for longer exponents", structure_ok);
    check(21, "CYCLES = pow base + bits * mul_latency", formula_ok);
}

static void test_errors(void) {
    printf("errors\n");
    struct compute_outcome o = run(SST_COMPUTE_OP_DIV, 5, 0);
    check(30, "DIV by zero: STATUS ERROR, not DONE",
          !o.timed_out &&
              (o.status & (SST_COMPUTE_STATUS_ERROR | SST_COMPUTE_STATUS_DONE)) == SST_COMPUTE_STATUS_ERROR);
    check_eq(31, "DIV by zero: ERROR_CODE", o.error, SST_COMPUTE_ERR_DIV_ZERO);
    o = run(SST_COMPUTE_OP_COUNT, 1, 1); /* the first opcode past the defined ones */
    check(32, "opcode OP_COUNT: STATUS ERROR", !o.timed_out && (o.status & SST_COMPUTE_STATUS_ERROR));
    check_eq(33, "opcode OP_COUNT: ERROR_CODE", o.error, SST_COMPUTE_ERR_BAD_OPCODE);
    o = run(0xffffffffull, 1, 1);
    check_eq(34, "opcode 0xffffffff: ERROR_CODE", o.error, SST_COMPUTE_ERR_BAD_OPCODE);
    check_op(35, "a good operation after errors clears them", run(SST_COMPUTE_OP_ADD, 1, 1), 2, COMPUTE_ADD_CYCLES);
    check_eq(36, "OP_COUNT counts every finished operation, errors included", compute_read(D, SST_COMPUTE_REG_OP_COUNT),
             started);
}

static void test_busy(void) {
    printf("BUSY\n");
    if (!rt_time_deterministic()) {
        /* Without deterministic time the device's clock is not tied to the guest's, so whether
         * the next access still finds it BUSY is a race. */
        check_skip(40, "STATUS BUSY right after START of a DIV", "time is not deterministic");
        check_skip(41, "START while BUSY is ignored", "time is not deterministic");
        return;
    }
    const uint64_t count = compute_read(D, SST_COMPUTE_REG_OP_COUNT);
    /* No printing until both accesses are made: a printed line costs ~1 us of guest time, far
     * longer than DIV's 20 cycles.  Each access here is 1 cycle + 2 ns of links later. */
    compute_start(D, SST_COMPUTE_OP_DIV, 1000, 10);
    started++;
    const uint32_t status = compute_status(D);
    compute_control(D, SST_COMPUTE_CTRL_START); /* while BUSY: must be ignored */
    bool timed_out;
    compute_wait(D, COMPUTE_MAX_POLLS, &timed_out);
    check(40, "STATUS BUSY right after START of a DIV", (status & SST_COMPUTE_STATUS_BUSY) != 0);
    const uint64_t finished = compute_read(D, SST_COMPUTE_REG_OP_COUNT) - count;
    const uint64_t result = compute_read(D, SST_COMPUTE_REG_RESULT);
    printf("    operations finished: %llu, RESULT %llu\n", (unsigned long long)finished, (unsigned long long)result);
    check(41, "START while BUSY is ignored (one operation counted)", !timed_out && finished == 1 && result == 100);
}

static void check_fault(int id, const char *what, struct rt_fault f, uintptr_t addr, uintptr_t cause) {
    char line[112];
    snprintf(line, sizeof line, "%s faults (count %u, mcause %lu)", what, f.count, (unsigned long)f.mcause);
    check(id, line, f.count == 1 && f.mcause == cause && f.mtval == addr);
}

static void test_bus_errors(void) {
    printf("bus errors\n");
    const unsigned wide = 8 / MMIO_ACCESSES_PER_64; /* widest single access */
    check_fault(50, "read of write-only CONTROL", rt_try_read(sst_reg(D, SST_COMPUTE_REG_CONTROL), wide),
                sst_reg(D, SST_COMPUTE_REG_CONTROL), EXC_LOAD_ACCESS);
    check_fault(51, "write to read-only RESULT", rt_try_write(sst_reg(D, SST_COMPUTE_REG_RESULT), wide, 1),
                sst_reg(D, SST_COMPUTE_REG_RESULT), EXC_STORE_ACCESS);
    check_fault(52, "write to read-only STATUS", rt_try_write(sst_reg(D, SST_COMPUTE_REG_STATUS), 4, 0),
                sst_reg(D, SST_COMPUTE_REG_STATUS), EXC_STORE_ACCESS);
    check_fault(53, "write to read-only ID", rt_try_write(sst_reg(D, SST_COMPUTE_REG_ID), 4, 0),
                sst_reg(D, SST_COMPUTE_REG_ID), EXC_STORE_ACCESS);
}

static void test_reset(void) {
    static const struct {
        unsigned offset;
        const char *name;
    } regs[] = {
        {SST_COMPUTE_REG_OPERAND_A, "OPERAND_A"},   {SST_COMPUTE_REG_OPERAND_B, "OPERAND_B"},
        {SST_COMPUTE_REG_OPCODE, "OPCODE"},         {SST_COMPUTE_REG_STATUS, "STATUS"},
        {SST_COMPUTE_REG_RESULT, "RESULT"},         {SST_COMPUTE_REG_CYCLES, "CYCLES"},
        {SST_COMPUTE_REG_IRQ_ENABLE, "IRQ_ENABLE"}, {SST_COMPUTE_REG_ERROR_CODE, "ERROR_CODE"},
        {SST_COMPUTE_REG_OP_COUNT, "OP_COUNT"},
    };
    printf("RESET\n");
    run(SST_COMPUTE_OP_MUL, 1234, 5678); /* RESULT, CYCLES, OP_COUNT non-zero */
    /* Set after the operation finished, so it raises nothing; only to see RESET clear it. */
    compute_write(D, SST_COMPUTE_REG_IRQ_ENABLE, 1);
    compute_control(D, SST_COMPUTE_CTRL_RESET);
    bool ok = true;
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        const uint64_t v = compute_read(D, regs[i].offset);
        if (v != 0) {
            printf("    %s = 0x%llx after RESET\n", regs[i].name, (unsigned long long)v);
            ok = false;
        }
    }
    check(60, "RESET clears every register", ok);

    /* An operation in flight is abandoned: it never completes, whatever the timing. */
    compute_start(D, SST_COMPUTE_OP_DIV, 99, 3);
    compute_control(D, SST_COMPUTE_CTRL_RESET);
    for (int i = 0; i < 100; i++) { /* >= 300 ns of device time in deterministic mode: DIV is 20 */
        (void)compute_status(D);
    }
    check(61, "RESET abandons an operation in flight",
          compute_status(D) == 0 && compute_read(D, SST_COMPUTE_REG_OP_COUNT) == 0 &&
              compute_read(D, SST_COMPUTE_REG_RESULT) == 0);
}

int main(void) {
    printf("compute_test: rv%d, compute device %u at 0x%lx\n", __riscv_xlen, COMPUTE_DEV, (unsigned long)sst_reg(D, 0));
    test_registers();
    test_operations();
    test_pow_latency();
    test_errors();
    test_busy();
    test_bus_errors();
    test_reset();
    return check_verdict("compute_test");
}

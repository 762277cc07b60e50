/*
 * Echo device registers from real RISC-V code: ID, DATA at every access size, the scratch
 * buffer, COUNT, LATENCY, the accesses that must fault (a write to a read-only register, an
 * unmapped offset) and unaligned accesses (see test_unaligned for what QEMU 7.2 does with them).
 *
 * Build-time: ECHO_DEV (device index, default 0: the echo device in both configurations) and
 * ECHO_LATENCY_CYCLES (its `latency` parameter, default 10 as in both configurations).
 * On RV32 an "8-byte" access is two 4-byte accesses (mmio.h); that is said where it matters.
 *
 * qemu-sst test: configs/test_2device_integration.py
 */
#include <stdio.h>

#include "check.h"
#include "rt.h"
#include "sst_dev.h"

#ifndef ECHO_DEV
#define ECHO_DEV 0
#endif
#ifndef ECHO_LATENCY_CYCLES
#define ECHO_LATENCY_CYCLES 10
#endif

#define REG(off) sst_reg(ECHO_DEV, (off))

/* A faulting access must fault once, as the expected kind, at the address it used. */
static void check_fault(int id, const char *what, struct rt_fault f, uintptr_t addr, bool store) {
    const uintptr_t access = store ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS;
    const uintptr_t misaligned = store ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED;
    const bool ok = f.count == 1 && (f.mcause == access || f.mcause == misaligned) && f.mtval == addr;
    char line[128];
    snprintf(line, sizeof line, "%s faults (count %u, mcause %lu, mtval 0x%lx)", what, f.count, (unsigned long)f.mcause,
             (unsigned long)f.mtval);
    check(id, line, ok);
}

static void test_id_status(void) {
    printf("ID and STATUS\n");
    check_eq(1, "ID (8 bytes)", echo_id(ECHO_DEV), SST_ECHO_ID);
    check_eq(2, "ID low 4 bytes", mmio_read32(REG(SST_ECHO_REG_ID)), (uint32_t)SST_ECHO_ID);
    check_eq(3, "ID bytes 0-1", mmio_read16(REG(SST_ECHO_REG_ID)), SST_ECHO_ID & 0xffff);
    check_eq(4, "ID bytes 2-3", mmio_read16(REG(SST_ECHO_REG_ID + 2)), (SST_ECHO_ID >> 16) & 0xffff);
    check_eq(5, "ID byte 3", mmio_read8(REG(SST_ECHO_REG_ID + 3)), (SST_ECHO_ID >> 24) & 0xff);
    check(6, "STATUS shows READY", (echo_status(ECHO_DEV) & SST_ECHO_STATUS_READY) != 0);
}

static void test_data_sizes(void) {
    printf("DATA round trips (%s)\n",
           MMIO_HAVE_64 ? "8-byte accesses are single ld/sd" : "RV32: 8-byte = two 4-byte accesses");
    const uintptr_t data = REG(SST_ECHO_REG_DATA);

    echo_set_data(ECHO_DEV, 0x0123456789abcdefull);
    check_eq(10, "8-byte write, 8-byte read", echo_get_data(ECHO_DEV), 0x0123456789abcdefull);

    mmio_write32(data, 0xcafef00d);
    mmio_write32(data + 4, 0xdeadbeef);
    check_eq(11, "4-byte writes at +0/+4, 8-byte read", echo_get_data(ECHO_DEV), 0xdeadbeefcafef00dull);
    check_eq(12, "4-byte read at +4", mmio_read32(data + 4), 0xdeadbeef);

    mmio_write16(data + 2, 0xbeef);
    check_eq(13, "2-byte write at +2 merges", echo_get_data(ECHO_DEV), 0xdeadbeefbeeff00dull);
    check_eq(14, "2-byte read at +6", mmio_read16(data + 6), 0xdead);

    for (unsigned i = 0; i < 8; i++) {
        mmio_write8(data + i, (uint8_t)(0x11 * (i + 1)));
    }
    check_eq(15, "1-byte writes at +0..+7, 8-byte read", echo_get_data(ECHO_DEV), 0x8877665544332211ull);
    bool bytes_ok = true;
    for (unsigned i = 0; i < 8; i++) {
        bytes_ok &= mmio_read8(data + i) == (uint8_t)(0x11 * (i + 1));
    }
    check(16, "1-byte reads at +0..+7", bytes_ok);
}

static uint8_t pattern(unsigned i, unsigned seed) { return (uint8_t)(i * 7 + seed); }

static void test_scratch(void) {
    printf("scratch buffer (%u bytes)\n", (unsigned)SST_ECHO_SCRATCH_SIZE);
    for (unsigned i = 0; i < SST_ECHO_SCRATCH_SIZE; i++) {
        mmio_write8(echo_scratch(ECHO_DEV, i), pattern(i, 3));
    }
    bool ok = true;
    for (unsigned i = 0; i < SST_ECHO_SCRATCH_SIZE; i += 4) {
        const uint32_t want = pattern(i, 3) | pattern(i + 1, 3) << 8 | (uint32_t)pattern(i + 2, 3) << 16 |
                              (uint32_t)pattern(i + 3, 3) << 24;
        ok &= mmio_read32(echo_scratch(ECHO_DEV, i)) == want;
    }
    check(20, "byte writes read back as 4-byte words", ok);

    for (unsigned i = 0; i < SST_ECHO_SCRATCH_SIZE; i += 2) {
        mmio_write16(echo_scratch(ECHO_DEV, i), (uint16_t)(pattern(i, 90) | pattern(i + 1, 90) << 8));
    }
    ok = true;
    for (unsigned i = 0; i < SST_ECHO_SCRATCH_SIZE; i++) {
        ok &= mmio_read8(echo_scratch(ECHO_DEV, i)) == pattern(i, 90);
    }
    check(21, "2-byte writes read back as bytes", ok);

    for (unsigned i = 0; i < SST_ECHO_SCRATCH_SIZE; i += 8) {
        mmio_write64(echo_scratch(ECHO_DEV, i), 0x0101010101010101ull * (i / 8 + 1));
    }
    ok = true;
    for (unsigned i = 0; i < SST_ECHO_SCRATCH_SIZE; i += 2) {
        ok &= mmio_read16(echo_scratch(ECHO_DEV, i)) == (uint16_t)(0x0101 * (i / 8 + 1));
    }
    check(22, "8-byte writes read back as 2-byte halves", ok);
    /* The scratch buffer and DATA are separate storage. */
    check_eq(23, "DATA untouched by scratch writes", echo_get_data(ECHO_DEV), 0x8877665544332211ull);
}

static void test_count_latency(void) {
    printf("COUNT and LATENCY\n");
    const uint32_t before = echo_count(ECHO_DEV);
    for (int i = 0; i < 5; i++) {
        (void)mmio_read32(REG(SST_ECHO_REG_DATA));
    }
    const uint32_t after = echo_count(ECHO_DEV);
    /* COUNT excludes the access reading it: 5 reads plus the first COUNT read lie between. */
    check_eq(30, "COUNT advances by the accesses made", after - before, 6);
    check_eq(31, "LATENCY register", echo_latency(ECHO_DEV), ECHO_LATENCY_CYCLES);
}

/*
 * Unaligned accesses.  QEMU 7.2's TCG never hands an unaligned access to an MMIO region: it
 * splits a load into the two naturally aligned loads of the same size around it and a store into
 * byte stores (accel/tcg/cputlb.c), so the device only sees aligned accesses and has nothing to
 * refuse.  Either outcome is accepted and reported: a fault at that address, or a split whose
 * effect matches the bytes at that address.  -DECHO_UNALIGNED_MUST_FAULT accepts only the fault.
 */
#ifndef ECHO_UNALIGNED_MUST_FAULT
#define ECHO_UNALIGNED_MUST_FAULT 0
#endif

static void check_unaligned(int id, const char *what, struct rt_fault f, uintptr_t addr, bool store, bool split_ok) {
    if (f.count) {
        check_fault(id, what, f, addr, store);
        return;
    }
    char line[128];
    snprintf(line, sizeof line, "%s: no fault; QEMU split it into aligned accesses, %s", what,
             split_ok ? "with the right effect" : "with the WRONG effect");
    check(id, line, split_ok && !ECHO_UNALIGNED_MUST_FAULT);
}

static void test_unaligned(void) {
    printf("unaligned accesses\n");
    const uintptr_t data = REG(SST_ECHO_REG_DATA);
    const uint64_t value = 0x0123456789abcdefull;
    echo_set_data(ECHO_DEV, value);

    struct rt_fault f = rt_try_read(data + 2, 4);
    check_unaligned(50, "unaligned 4-byte read of DATA+2", f, data + 2, false,
                    rt_try_value == ((value >> 16) & 0xffffffffu));

    f = rt_try_write(data + 1, 2, 0x5aa5);
    const uint64_t after = echo_get_data(ECHO_DEV);
    check_unaligned(51, "unaligned 2-byte write to DATA+1", f, data + 1, true,
                    after == ((value & ~0xffff00ull) | 0x5aa500ull));
    if (f.count) {
        check_eq(51, "  DATA unchanged by the refused write", after, value);
    }
    echo_set_data(ECHO_DEV, value);

#if MMIO_HAVE_64
    /* Split, it reads DATA's high half and STATUS's low half (bytes 0x0c..0x13). */
    const uint64_t status_low = mmio_read32(REG(SST_ECHO_REG_STATUS));
    f = rt_try_read(data + 4, 8);
    check_unaligned(52, "unaligned 8-byte read of DATA+4", f, data + 4, false,
                    rt_try_value == ((value >> 32) | (status_low << 32)));
#else
    check_skip(52, "unaligned 8-byte read", "RV32 has no 8-byte load");
#endif
}

static void test_faults(void) {
    printf("accesses that must fault\n");
    const uintptr_t id = REG(SST_ECHO_REG_ID);
    echo_set_data(ECHO_DEV, 0x0123456789abcdefull);

    check_fault(40, "4-byte write to read-only ID", rt_try_write(id, 4, 0x1234), id, true);
    check_eq(41, "ID unchanged", echo_id(ECHO_DEV), SST_ECHO_ID);
    check_fault(42, "1-byte write to read-only LATENCY", rt_try_write(REG(SST_ECHO_REG_LATENCY), 1, 1),
                REG(SST_ECHO_REG_LATENCY), true);
    check_fault(46, "read of unmapped offset 0x40", rt_try_read(REG(0x40), 8 / MMIO_ACCESSES_PER_64), REG(0x40), false);
    check_eq(47, "DATA unchanged by the faulting accesses", echo_get_data(ECHO_DEV), 0x0123456789abcdefull);
}

int main(void) {
    printf("echo_test: rv%d, echo device %u at 0x%lx\n", __riscv_xlen, ECHO_DEV, (unsigned long)REG(0));
    test_id_status();
    test_data_sizes();
    test_scratch();
    test_count_latency();
    test_faults();
    test_unaligned();
    return check_verdict("echo_test");
}

/*
 * Several devices behind one QEMU: every access must reach the device it was addressed to.
 *
 * Device count: found at run time by probing ID registers at SST_DEVICE_BASE(0), (1), ... until
 * one faults (an absent window is unmapped memory on virt), so one ELF serves the 2- and the
 * 4-device configuration.  Build with -DMULTI_DEVICE_COUNT=n to also require exactly n devices.
 * A count known to known_configs.h (2 or 4) is checked against that configuration's layout and
 * parameters; any other count of 2 or more gets the generic routing checks only.
 *
 * qemu-sst test: configs/test_2device_integration.py
 * qemu-sst test: configs/qemu_4device_test.py
 */
#include <stdio.h>

#include "check.h"
#include "known_configs.h"
#include "rt.h"
#include "sst_dev.h"

static const struct sst_device_kind *kinds[SST_DEVICE_MAX];
static unsigned ndev;

/* A value no other device gets, with the index in several byte lanes. */
static uint64_t tag(unsigned dev, unsigned salt) {
    return 0x5a00000000000000ull ^ ((uint64_t)(dev + 1) << 40) ^ ((uint64_t)salt << 16) ^ (dev * 0x0101u + salt);
}

static void test_probe(void) {
    ndev = sst_probe_all(kinds, SST_DEVICE_MAX);
    printf("probe: %u device(s)\n", ndev);
    for (unsigned i = 0; i < ndev; i++) {
        printf("    device %u at 0x%lx: %s, PLIC source %u\n", i, (unsigned long)SST_DEVICE_BASE(i), kinds[i]->name,
               SST_DEVICE_IRQ(i));
    }
    check(1, "at least two devices", ndev >= 2);
#ifdef MULTI_DEVICE_COUNT
    check_eq(2, "device count is MULTI_DEVICE_COUNT", ndev, MULTI_DEVICE_COUNT);
#endif
    bool known_kinds = true;
    for (unsigned i = 0; i < ndev; i++) {
        known_kinds &= kinds[i] != &sst_kind_unknown;
    }
    check(3, "every device is of a kind with a descriptor", known_kinds);
}

static void test_layout(void) {
    const struct expected_device *want = expected_config(ndev);
    if (!want) {
        check_skip(10, "layout and parameters", "no known configuration has this many devices");
        return;
    }
    printf("layout of the %u-device configuration\n", ndev);
    bool kinds_ok = true, params_ok = true;
    for (unsigned i = 0; i < ndev; i++) {
        kinds_ok &= sst_is(kinds[i], want[i].id);
        if (!sst_is(kinds[i], want[i].id)) {
            continue;
        }
        if (sst_is(kinds[i], SST_ECHO_ID)) {
            const uint32_t lat = echo_latency(i);
            printf("    %s: LATENCY %u (expected %u)\n", want[i].name, (unsigned)lat, want[i].echo_latency_cycles);
            params_ok &= lat == want[i].echo_latency_cycles;
        } else {
            /* A compute device's mul_latency shows as the CYCLES of a MUL. */
            const struct compute_outcome o = compute_run(i, SST_COMPUTE_OP_MUL, 3, 5);
            printf("    %s: MUL took %llu cycles (expected %u)\n", want[i].name, (unsigned long long)o.cycles,
                   want[i].mul_cycles);
            params_ok &= !o.timed_out && o.result == 15 && o.cycles == want[i].mul_cycles;
        }
    }
    check(10, "device kinds in configuration order", kinds_ok);
    check(11, "each device shows its own parameters", params_ok);
}

/* Writes a distinct value into every device, then reads them back in reverse order. */
static void test_routing(void) {
    printf("routing: distinct values per device\n");
    uint32_t count_before[SST_DEVICE_MAX] = {0};
    for (unsigned i = 0; i < ndev; i++) {
        if (sst_is(kinds[i], SST_ECHO_ID)) {
            count_before[i] = echo_count(i);
            echo_set_data(i, tag(i, 1));
            mmio_write32(echo_scratch(i, 4 * i), (uint32_t)tag(i, 2));
        } else if (sst_is(kinds[i], SST_COMPUTE_ID)) {
            compute_write(i, SST_COMPUTE_REG_OPERAND_A, tag(i, 1));
            compute_write(i, SST_COMPUTE_REG_OPERAND_B, tag(i, 2));
        }
    }
    bool ok = true;
    for (unsigned j = ndev; j-- > 0;) {
        uint64_t got1 = 0, got2 = 0;
        if (sst_is(kinds[j], SST_ECHO_ID)) {
            got1 = echo_get_data(j);
            got2 = mmio_read32(echo_scratch(j, 4 * j));
        } else if (sst_is(kinds[j], SST_COMPUTE_ID)) {
            got1 = compute_read(j, SST_COMPUTE_REG_OPERAND_A);
            got2 = compute_read(j, SST_COMPUTE_REG_OPERAND_B);
        } else {
            continue;
        }
        const uint64_t want2 = sst_is(kinds[j], SST_ECHO_ID) ? (uint32_t)tag(j, 2) : tag(j, 2);
        if (got1 != tag(j, 1) || got2 != want2) {
            printf("    device %u: read 0x%llx/0x%llx, wrote 0x%llx/0x%llx\n", j, (unsigned long long)got1,
                   (unsigned long long)got2, (unsigned long long)tag(j, 1), (unsigned long long)want2);
            ok = false;
        }
    }
    check(20, "every device returns what was written to it", ok);

    /* Each echo device counted exactly the accesses addressed to it: COUNT read, DATA write,
     * scratch write, DATA read, scratch read (DATA takes 2 accesses per 64-bit on RV32). */
    ok = true;
    for (unsigned i = 0; i < ndev; i++) {
        if (!sst_is(kinds[i], SST_ECHO_ID)) {
            continue;
        }
        const uint32_t delta = echo_count(i) - count_before[i];
        const uint32_t want = 1 + 2 * MMIO_ACCESSES_PER_64 + 2;
        printf("    device %u: COUNT advanced by %u (expected %u)\n", i, (unsigned)delta, (unsigned)want);
        ok &= delta == want;
    }
    check(21, "echo devices count only their own accesses", ok);
}

/* Operations started on every compute device before any is collected: each result must come
 * from its own device's operands. */
static void test_parallel_compute(void) {
    printf("routing: concurrent operations\n");
    unsigned ncompute = 0;
    for (unsigned i = 0; i < ndev; i++) {
        if (sst_is(kinds[i], SST_COMPUTE_ID)) {
            compute_start(i, SST_COMPUTE_OP_ADD, 1000 * (i + 1), i + 7);
            ncompute++;
        }
    }
    bool ok = ncompute > 0;
    for (unsigned i = 0; i < ndev; i++) {
        if (!sst_is(kinds[i], SST_COMPUTE_ID)) {
            continue;
        }
        bool timed_out;
        compute_wait(i, COMPUTE_MAX_POLLS, &timed_out);
        const uint64_t r = compute_read(i, SST_COMPUTE_REG_RESULT);
        printf("    device %u: %u + %u = %llu\n", i, 1000 * (i + 1), i + 7, (unsigned long long)r);
        ok &= !timed_out && r == 1000u * (i + 1) + i + 7;
    }
    if (ncompute == 0) {
        check_skip(30, "concurrent operations", "no compute device");
    } else {
        check(30, "each compute device computed its own operands", ok);
    }
}

int main(void) {
    printf("multi_device_test: rv%d\n", __riscv_xlen);
    test_probe();
    if (ndev > 0) {
        test_layout();
        test_routing();
        test_parallel_compute();
    }
    return check_verdict("multi_device_test");
}

/*
 * Throughput benchmark: THROUGHPUT_N reads of the echo device's DATA register in a tight loop,
 * nothing printed per access.  The wall time of the whole run is the measurement (taken outside);
 * the guest only checks that every read returned the value written.
 * Build-time: THROUGHPUT_N (default 100000), ECHO_DEV (default 0), THROUGHPUT_REPORT_EVERY (default 0:
 * no progress lines; otherwise one every this many reads, an event for tests that act mid-run).
 */
#include <stdio.h>

#include "rt.h"
#include "sst_dev.h"

#ifndef THROUGHPUT_N
#define THROUGHPUT_N 100000
#endif
#ifndef THROUGHPUT_REPORT_EVERY
#define THROUGHPUT_REPORT_EVERY 0
#endif
#ifndef ECHO_DEV
#define ECHO_DEV 0
#endif

int main(void) {
    const uintptr_t data = sst_reg(ECHO_DEV, SST_ECHO_REG_DATA);
    const uint32_t value = 0x600dc0de;
    printf("throughput: %lu 4-byte reads of echo device %u DATA\n", (unsigned long)THROUGHPUT_N, ECHO_DEV);
    mmio_write32(data, value);
    unsigned long mismatches = 0;
    for (unsigned long i = 0; i < THROUGHPUT_N; i++) {
        mismatches += mmio_read32(data) != value;
#if THROUGHPUT_REPORT_EVERY > 0
        if ((i + 1) % THROUGHPUT_REPORT_EVERY == 0) {
            printf("throughput: %lu reads\n", i + 1);
        }
#endif
    }
    printf("throughput: done, %lu mismatching reads\n", mismatches);
    return mismatches ? 1 : 0;
}

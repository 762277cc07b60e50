/*
 * Pure integer loop, no device access: the baseline of a speed-ratio benchmark (the same program
 * with and without qemu-sst / -icount).  COMPUTE_LOOP_N iterations (build-time, default 50M) of a
 * 32-bit xorshift mixed into a sum, which the compiler cannot reduce to a formula; prints the
 * checksum so runs can be compared.
 */
#include <stdio.h>

#include <stdint.h>

#ifndef COMPUTE_LOOP_N
#define COMPUTE_LOOP_N 50000000
#endif

int main(void) {
    uint32_t x = 2463534242u, sum = 0;
    for (unsigned long i = 0; i < COMPUTE_LOOP_N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        sum += x ^ (uint32_t)i;
    }
    printf("compute_loop: %lu iterations, checksum 0x%08lx\n", (unsigned long)COMPUTE_LOOP_N, (unsigned long)sum);
    return 0;
}

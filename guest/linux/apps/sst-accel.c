/*
 * sst-accel: the SST device's accelerator on this process's own memory (SST_REQ_BUFFERS, zero-copy:
 * the driver pins the buffers and the simulated device reads and writes them in place).
 *
 *   sst-accel [-d N] [-c MIB]      checks: matrix products of several shapes against the CPU's,
 *                                  a copy of MIB MiB (default 64) and a misaligned one, and the
 *                                  refusals (a read-only destination, lengths that do not fit)
 *   sst-accel [-d N] -b MIB        benchmark: MIB MiB copied in place, then the same bytes
 *                                  through 4 KiB WRITE requests, each as `name: value unit`
 *
 * Prints the modelled cycles of each request.  Exit status 0 when every check passed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libsst.h"

static int failures;

static void check(int ok, const char *what) {
    printf("  %s: %s\n", what, ok ? "ok" : "FAIL");
    failures += !ok;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t pattern(uint64_t i, uint32_t seed) {
    uint32_t x = (uint32_t)i * 2654435761u + seed;
    return x ^ (x >> 15);
}

static void *page_aligned(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("sst-accel: mmap");
        exit(2);
    }
    return p;
}

static int matmul(int fd, uint32_t m, uint32_t n, uint32_t k, unsigned misalign) {
    uint8_t *mem = malloc(4 * ((size_t)m * k + (size_t)k * n + (size_t)m * n) + 3 * misalign + 16);
    uint32_t *a = (uint32_t *)(mem + misalign), *b = a + (size_t)m * k, *c = b + (size_t)k * n;
    struct SSTResponse resp;
    const uint64_t args[4] = {m, n, k, 0};
    struct sst_buffer_arg bufs[3] = {{a, 4ull * m * k}, {b, 4ull * k * n}, {c, 4ull * m * n}};
    int r, ok = 1;

    for (size_t i = 0; i < (size_t)m * k; i++)
        a[i] = pattern(i, m) % 2001 - 1000;
    for (size_t i = 0; i < (size_t)k * n; i++)
        b[i] = pattern(i, n) % 2001 - 1000;
    memset(c, 0xa5, 4ull * m * n);
    r = sst_buffers_call(fd, SST_BUF_OP_MATMUL, bufs, 3, args, &resp);
    if (r || resp.status != SST_STATUS_OK) {
        printf("  matmul %ux%u x %ux%u: error %d, status %s\n", m, k, k, n, r, r ? "-" : sst_status_str(resp.status));
        free(mem);
        return 0;
    }
    for (uint32_t i = 0; i < m && ok; i++)
        for (uint32_t j = 0; j < n && ok; j++) {
            uint32_t sum = 0;
            for (uint32_t x = 0; x < k; x++)
                sum += a[(size_t)i * k + x] * b[(size_t)x * n + j];
            ok = c[(size_t)i * n + j] == sum;
        }
    printf("  matmul %ux%u x %ux%u%s: %s, %llu cycles\n", m, k, k, n, misalign ? " (misaligned)" : "",
           ok ? "matches the CPU's" : "WRONG", (unsigned long long)resp.payload.compute.cycles);
    free(mem);
    return ok && resp.result == 4ull * m * n;
}

static int copy(int fd, size_t bytes, unsigned src_off, unsigned dst_off) {
    uint8_t *src = page_aligned(bytes + 4096), *dst = page_aligned(bytes + 4096);
    struct SSTResponse resp;
    struct sst_buffer_arg bufs[2] = {{src + src_off, bytes}, {dst + dst_off, bytes}};
    int r, ok;

    for (size_t i = 0; i < bytes; i += 4) {
        const uint32_t v = pattern(i, 7);
        memcpy(src + src_off + i, &v, bytes - i < 4 ? bytes - i : 4);
    }
    const double t0 = now_s();
    r = sst_buffers_call(fd, SST_BUF_OP_COPY, bufs, 2, NULL, &resp);
    const double t = now_s() - t0;
    ok = !r && resp.status == SST_STATUS_OK && resp.result == bytes && memcmp(src + src_off, dst + dst_off, bytes) == 0;
    printf("  copy %zu bytes (src+%u, dst+%u): %s, %llu cycles, %.1f MiB/s of guest time\n", bytes, src_off, dst_off,
           ok ? "matches" : "WRONG", r ? 0ull : (unsigned long long)resp.payload.compute.cycles, bytes / t / 1048576);
    munmap(src, bytes + 4096);
    munmap(dst, bytes + 4096);
    return ok;
}

static int refusals(int fd) {
    uint8_t *src = page_aligned(8192), *dst = page_aligned(8192);
    struct SSTResponse resp;
    struct sst_buffer_arg bufs[2] = {{src, 8192}, {dst, 8192}};
    const uint64_t bad_dims[4] = {4, 4, 4, 0};
    int ok = 1;

    mprotect(dst, 8192, PROT_READ);
    ok &= sst_buffers_call(fd, SST_BUF_OP_COPY, bufs, 2, NULL, &resp) == -EFAULT;
    bufs[1].length = 4096;
    ok &= sst_buffers_call(fd, SST_BUF_OP_COPY, bufs, 2, NULL, &resp) == -EINVAL;
    struct sst_buffer_arg mm[3] = {{src, 64}, {src, 64}, {dst, 60}};
    ok &= sst_buffers_call(fd, SST_BUF_OP_MATMUL, mm, 3, bad_dims, &resp) == -EINVAL;
    munmap(src, 8192);
    munmap(dst, 8192);
    return ok;
}

/* Waits (in 10 ms steps, at most ~30 s of guest time) until no app page is pinned any more. */
static int unpinned_eventually(int fd) {
    struct sst_stats st;

    for (int i = 0; i < 3000; i++) {
        if (sst_get_stats(fd, &st) == 0 && st.pinned_pages == 0 && st.in_flight == 0)
            return 1;
        usleep(10000);
    }
    printf("  still pinned: %llu pages, %llu requests in flight\n", (unsigned long long)st.pinned_pages,
           (unsigned long long)st.in_flight);
    return 0;
}

static int set_timeout_ms(unsigned ms) {
    FILE *f = fopen("/sys/module/virtio_sst/parameters/timeout_ms", "w");
    if (!f)
        return 0;
    fprintf(f, "%u\n", ms);
    return fclose(f) == 0;
}

/* Pages are unpinned on every path: after a response, after a read that timed out (once the device
 * is done), and after the process was killed with its request in flight. */
static void unpin_paths(int fd, size_t mib) {
    const size_t bytes = mib << 20;
    struct sst_stats st;

    /* timeout_ms is device-wide: take turns with any sst-test run (sst_uapi.h, SST_IOCTL_LOCK). */
    check(ioctl(fd, SST_IOCTL_LOCK) == 0, "device lock taken");
    check(unpinned_eventually(fd), "no page pinned once the requests above were answered");

    uint8_t *src = page_aligned(bytes), *dst = page_aligned(bytes);
    struct sst_buffer_arg bufs[2] = {{src, bytes}, {dst, bytes}};
    struct SSTResponse resp;
    memset(src, 3, bytes);
    check(set_timeout_ms(1), "timeout_ms set to 1");
    const int r = sst_buffers_call(fd, SST_BUF_OP_COPY, bufs, 2, NULL, &resp);
    set_timeout_ms(5000);
    printf("  copy of %zu MiB with timeout_ms=1: %s\n", mib, r ? strerror(-r) : "answered in time");
    check(r == -ETIMEDOUT || r == 0, "the read timed out (or the copy was quicker)");
    check(unpinned_eventually(fd), "no page pinned once the device finished the timed-out copy");

    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        const int cfd = sst_open(0);
        sst_buffers_call(cfd, SST_BUF_OP_COPY, bufs, 2, NULL, &resp);
        _exit(0);
    }
    int seen = 0;
    for (int i = 0; i < 3000 && !seen; i++) { /* until its request is in flight */
        seen = sst_get_stats(fd, &st) == 0 && st.pinned_pages > 0;
        if (!seen)
            usleep(1000);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("  a process killed with its %zu MiB copy %s\n", mib, seen ? "in flight" : "(never seen in flight)");
    check(unpinned_eventually(fd), "no page pinned once the killed process's copy was done");
    munmap(src, bytes);
    munmap(dst, bytes);
    ioctl(fd, SST_IOCTL_UNLOCK);
}

static int bench(int fd, size_t mib) {
    const size_t bytes = mib << 20;
    uint8_t *src = page_aligned(bytes), *dst = page_aligned(bytes);
    struct sst_buffer_arg bufs[2] = {{src, bytes}, {dst, bytes}};
    struct SSTResponse resp;
    static struct SSTRequest req;

    memset(src, 1, bytes);
    memset(dst, 2, bytes);
    double t0 = now_s();
    if (sst_buffers_call(fd, SST_BUF_OP_COPY, bufs, 2, NULL, &resp) || resp.status != SST_STATUS_OK)
        return 0;
    const double zero_copy = now_s() - t0;
    /* The same bytes through the 4 KiB request path: WRITE requests into device memory. */
    sst_req_init(&req, SST_REQ_WRITE);
    req.payload.memory.size = SST_MEMORY_DATA_MAX;
    size_t moved = 0;
    t0 = now_s();
    for (; moved < bytes; moved += SST_MEMORY_DATA_MAX) {
        req.payload.memory.addr = 0;
        memcpy(req.payload.memory.data, src + moved,
               bytes - moved < SST_MEMORY_DATA_MAX ? bytes - moved : SST_MEMORY_DATA_MAX);
        if (sst_call(fd, &req, &resp) || resp.status != SST_STATUS_OK)
            return 0;
    }
    const double paged = now_s() - t0;
    printf("zero_copy_bytes_per_s: %.4g bytes/s (%zu MiB in one SST_REQ_BUFFERS copy)\n", bytes / zero_copy, mib);
    printf("payload_4k_bytes_per_s: %.4g bytes/s (the same through %zu WRITE requests of %u bytes)\n", moved / paged,
           (moved + SST_MEMORY_DATA_MAX - 1) / SST_MEMORY_DATA_MAX, SST_MEMORY_DATA_MAX);
    return 1;
}

int main(int argc, char **argv) {
    int dev = 0, opt;
    size_t copy_mib = 64, bench_mib = 0;

    while ((opt = getopt(argc, argv, "d:c:b:")) != -1) {
        switch (opt) {
        case 'd': dev = atoi(optarg); break;
        case 'c': copy_mib = strtoul(optarg, NULL, 0); break;
        case 'b': bench_mib = strtoul(optarg, NULL, 0); break;
        default: fprintf(stderr, "usage: %s [-d N] [-c MIB] [-b MIB]\n", argv[0]); return 2;
        }
    }
    const int fd = sst_open(dev);
    if (fd < 0) {
        fprintf(stderr, "sst-accel: /dev/sst%d: %s\n", dev, strerror(-fd));
        return 2;
    }
    if (bench_mib)
        return bench(fd, bench_mib) ? 0 : 1;
    printf("sst-accel: the device's accelerator on this process's buffers\n");
    check(matmul(fd, 1, 1, 1, 0), "1x1 product");
    check(matmul(fd, 16, 16, 16, 0), "16x16 product");
    check(matmul(fd, 33, 17, 9, 1), "33x9 x 9x17 product, misaligned buffers");
    check(matmul(fd, 128, 128, 128, 0), "128x128 product");
    check(copy(fd, copy_mib << 20, 0, 0), "large copy in place");
    check(copy(fd, 100003, 5, 4093), "misaligned copy across pages");
    check(refusals(fd), "read-only destination: EFAULT; lengths that do not fit the op: EINVAL");
    unpin_paths(fd, copy_mib);
    close(fd);
    printf("sst-accel: %s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}

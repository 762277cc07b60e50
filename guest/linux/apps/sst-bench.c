/*
 * sst-bench: N requests through /dev/sstN; prints throughput and latency percentiles.
 *   usage: sst-bench [-d index] [-n requests] [-t noop|echo] [-s echo_size] [-j threads]
 *                    [-m map|rw|both]
 * Each thread has its own fd (one request in flight per fd).  Interfaces (-m, default map):
 *   map  the zero-copy one libsst offers (mapped pages, one SST_IOCTL_CALL per request)
 *   rw   write() of the request, read() of the response
 *   both map, then rw
 * Latency = from the submitting call to its response.  Output (rw figures prefixed virtio_rw_):
 *   virtio_requests_per_s: X requests/s
 *   virtio_p50_us: X us
 *   virtio_p99_us: X us
 */
#include "libsst.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int dev_index, echo, size, threads = 1;
static long total = 10000;

struct worker {
    long count, errors;
    double *lat_us;
    int fd;
    int mapped;
};

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void fill(struct SSTRequest *req) {
    sst_req_init(req, echo ? SST_REQ_ECHO : SST_REQ_NOOP);
    if (echo) {
        req->data_len = (uint32_t)size;
        memset(req->payload.data, 0x5a, (size_t)size);
    }
}

static void *run(void *p) {
    struct worker *w = p;
    struct sst_map m = {0};
    struct SSTRequest *req;
    struct SSTResponse *resp;

    if (w->mapped) {
        if (sst_map_open(w->fd, &m)) {
            w->errors = w->count;
            return NULL;
        }
        req = m.req;
        resp = m.resp;
    } else {
        req = calloc(1, sizeof(*req));
        resp = calloc(1, sizeof(*resp));
        if (!req || !resp) {
            w->errors = w->count;
            return NULL;
        }
    }
    fill(req);
    for (long i = 0; i < w->count; i++) {
        double t0 = now_us();
        int r;

        req->user_data = (uint64_t)i;
        r = w->mapped ? sst_map_call(&m) : sst_call(w->fd, req, resp);
        if (r || resp->status != SST_STATUS_OK || resp->user_data != (uint64_t)i)
            w->errors++;
        w->lat_us[i] = now_us() - t0;
    }
    if (w->mapped) {
        sst_map_close(&m);
    } else {
        free(req);
        free(resp);
    }
    return NULL;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One measurement; returns the number of failed requests, or -1 if it could not run. */
static long bench(int mapped, const char *prefix) {
    struct worker *w = calloc((size_t)threads, sizeof(*w));
    pthread_t *th = calloc((size_t)threads, sizeof(*th));
    double *all = calloc((size_t)total, sizeof(*all));
    double t0, secs;
    long errors = 0, k = 0;

    if (!w || !th || !all)
        return -1;
    for (int t = 0; t < threads; t++) {
        w[t].count = total / threads + (t < total % threads);
        w[t].lat_us = all + k;
        w[t].mapped = mapped;
        k += w[t].count;
        w[t].fd = sst_open(dev_index);
        if (w[t].fd < 0) {
            fprintf(stderr, "open /dev/sst%d: %s\n", dev_index, strerror(-w[t].fd));
            return -1;
        }
    }
    t0 = now_us();
    for (int t = 0; t < threads; t++)
        pthread_create(&th[t], NULL, run, &w[t]);
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        errors += w[t].errors;
        close(w[t].fd);
    }
    secs = (now_us() - t0) / 1e6;
    qsort(all, (size_t)total, sizeof(*all), cmp);
    printf("requests: %ld (%s, %d bytes, %d threads, %s), errors: %ld\n", total, echo ? "ECHO" : "NOOP", size, threads,
           mapped ? "mapped pages + SST_IOCTL_CALL" : "write + read", errors);
    printf("%s_requests_per_s: %.1f requests/s\n", prefix, secs > 0 ? (double)total / secs : 0.0);
    printf("%s_p50_us: %.1f us\n", prefix, all[(total - 1) * 50 / 100]);
    printf("%s_p99_us: %.1f us\n", prefix, all[(total - 1) * 99 / 100]);
    free(w);
    free(th);
    free(all);
    return errors;
}

int main(int argc, char **argv) {
    const char *mode = "map";
    long errors = 0;
    int opt;

    while ((opt = getopt(argc, argv, "d:n:t:s:j:m:")) != -1) {
        switch (opt) {
        case 'd': dev_index = atoi(optarg); break;
        case 'n': total = atol(optarg); break;
        case 't': echo = strcmp(optarg, "echo") == 0; break;
        case 's': size = atoi(optarg); break;
        case 'j': threads = atoi(optarg); break;
        case 'm': mode = optarg; break;
        default:
            fprintf(stderr,
                    "usage: %s [-d index] [-n requests] [-t noop|echo] [-s size] [-j threads] "
                    "[-m map|rw|both]\n",
                    argv[0]);
            return 2;
        }
    }
    if (total < 1 || threads < 1 || size < 0 || size > SST_MAX_DATA_SIZE ||
        (strcmp(mode, "map") && strcmp(mode, "rw") && strcmp(mode, "both"))) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    if (size > 0)
        echo = 1;
    if (strcmp(mode, "rw")) {
        long e = bench(1, "virtio");
        if (e < 0)
            return 1;
        errors += e;
    }
    if (strcmp(mode, "map")) {
        long e = bench(0, strcmp(mode, "rw") ? "virtio_rw" : "virtio");
        if (e < 0)
            return 1;
        errors += e;
    }
    return errors ? 1 : 0;
}

/*
 * sst-bench: N requests through /dev/sstN; prints throughput and latency percentiles.
 *   usage: sst-bench [-d index] [-n requests] [-t noop|echo] [-s echo_size] [-j threads | -P processes]
 *                    [-m map|rw|both|batch] [-B batch]
 * Each thread (or process) has its own fd (one request in flight per fd, or one batch).
 * Interfaces (-m, default map):
 *   map    the zero-copy one libsst offers (mapped pages, one SST_IOCTL_CALL per request)
 *   rw     write() of the request, read() of the response
 *   both   map, then rw
 *   batch  -B requests (default 32) per SST_IOCTL_BATCH_MAPPED call, in the fd's mapped batch area
 *          (prefix virtio_batch_)
 * Latency = from the submitting call to its response (batch: to the batch's last response).
 * With -P N the figures are prefixed virtio_<N>proc_.  Output (rw figures prefixed virtio_rw_):
 *   virtio_requests_per_s: X requests/s
 *   virtio_p50_us: X us
 *   virtio_p99_us: X us
 */
#include "libsst.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int dev_index, echo, size, threads = 1, procs, batch = 32;
static long total = 10000;

enum interface { MAPPED, READ_WRITE, BATCH };

struct worker {
    long count, errors;
    double *lat_us;
    int fd;
    enum interface how;
};

/* Shared with the children of -P; zeroed. */
static void *shared_alloc(size_t bytes) {
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

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

/* -m batch: w->count requests in calls of `batch`, in the fd's mapped batch area (SST_IOCTL_BATCH_MAPPED). */
static void run_batches(struct worker *w) {
    struct sst_batch_map b = {0};
    const int r = sst_batch_map_open(w->fd, (unsigned)batch, &b);

    if (r) {
        fprintf(stderr, "sst-bench: mapping the batch area of /dev/sst%d: %s\n", dev_index, strerror(-r));
        w->errors = w->count;
        return;
    }
    for (int i = 0; i < batch; i++)
        fill(&b.reqs[i]);
    for (long done = 0; done < w->count;) {
        const int n = (int)(w->count - done < batch ? w->count - done : batch);
        double t0 = now_us(), t;
        int rc;

        for (int i = 0; i < n; i++)
            b.reqs[i].user_data = (uint64_t)(done + i);
        rc = sst_batch_map_call(&b, (unsigned)n);
        if (rc != 0) {
            if (!w->errors)
                fprintf(stderr, "sst-bench: a batch failed: %s\n", strerror(-rc));
            w->errors += n;
        } else {
            for (int i = 0; i < n; i++)
                if (b.resps[i].status != SST_STATUS_OK || b.resps[i].user_data != (uint64_t)(done + i))
                    w->errors++;
        }
        t = now_us() - t0;
        for (int i = 0; i < n; i++)
            w->lat_us[done + i] = t;
        done += n;
    }
    sst_batch_map_close(&b);
}

static void *run(void *p) {
    struct worker *w = p;
    struct sst_map m = {0};
    struct SSTRequest *req;
    struct SSTResponse *resp;

    if (w->how == BATCH) {
        run_batches(w);
        return NULL;
    }
    if (w->how == MAPPED) {
        const int r = sst_map_open(w->fd, &m);

        if (r) {
            fprintf(stderr, "sst-bench: mapping /dev/sst%d: %s\n", dev_index, strerror(-r));
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
        r = w->how == MAPPED ? sst_map_call(&m) : sst_call(w->fd, req, resp);
        if (r || resp->status != SST_STATUS_OK || resp->user_data != (uint64_t)i) {
            if (!w->errors++)
                fprintf(stderr, "sst-bench: request %ld failed: %s, status %s, user_data %llu\n", i,
                        r ? strerror(-r) : "answered", sst_status_str(resp->status),
                        (unsigned long long)resp->user_data);
        }
        w->lat_us[i] = now_us() - t0;
    }
    if (w->how == MAPPED) {
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

/* One measurement; returns the number of failed requests, or -1 if it could not run.  Workers are
 * threads, or with -P processes (results in shared memory). */
static long bench(enum interface how, const char *prefix) {
    const int workers = procs ? procs : threads;
    struct worker *w = shared_alloc((size_t)workers * sizeof(*w));
    pthread_t *th = calloc((size_t)workers, sizeof(*th));
    pid_t *pid = calloc((size_t)workers, sizeof(*pid));
    double *all = shared_alloc((size_t)total * sizeof(*all));
    double t0, secs;
    long errors = 0, k = 0;
    static const char *const names[] = {"mapped pages + SST_IOCTL_CALL", "write + read", "SST_IOCTL_BATCH_MAPPED"};

    if (!w || !th || !pid || !all)
        return -1;
    for (int t = 0; t < workers; t++) {
        w[t].count = total / workers + (t < total % workers);
        w[t].lat_us = all + k;
        w[t].how = how;
        k += w[t].count;
        w[t].fd = sst_open(dev_index);
        if (w[t].fd < 0) {
            fprintf(stderr, "open /dev/sst%d: %s\n", dev_index, strerror(-w[t].fd));
            return -1;
        }
    }
    t0 = now_us();
    for (int t = 0; t < workers; t++) {
        if (!procs) {
            pthread_create(&th[t], NULL, run, &w[t]);
            continue;
        }
        pid[t] = fork();
        if (pid[t] == 0) {
            run(&w[t]);
            _exit(0);
        }
        if (pid[t] < 0)
            w[t].errors = w[t].count;
    }
    for (int t = 0; t < workers; t++) {
        int status;

        if (!procs)
            pthread_join(th[t], NULL);
        else if (pid[t] > 0 && (waitpid(pid[t], &status, 0) != pid[t] || !WIFEXITED(status) || WEXITSTATUS(status))) {
            fprintf(stderr, "sst-bench: process %d failed (wait status 0x%x)\n", t, status);
            w[t].errors = w[t].count;
        }
        errors += w[t].errors;
        close(w[t].fd);
    }
    secs = (now_us() - t0) / 1e6;
    qsort(all, (size_t)total, sizeof(*all), cmp);
    printf("requests: %ld (%s, %d bytes, %d %s, %s", total, echo ? "ECHO" : "NOOP", size, workers,
           procs ? "processes" : "threads", names[how]);
    if (how == BATCH)
        printf(" of %d", batch);
    printf("), errors: %ld\n", errors);
    printf("%s_requests_per_s: %.1f requests/s\n", prefix, secs > 0 ? (double)total / secs : 0.0);
    printf("%s_p50_us: %.1f us\n", prefix, all[(total - 1) * 50 / 100]);
    printf("%s_p99_us: %.1f us\n", prefix, all[(total - 1) * 99 / 100]);
    munmap(w, (size_t)workers * sizeof(*w));
    munmap(all, (size_t)total * sizeof(*all));
    free(th);
    free(pid);
    return errors;
}

int main(int argc, char **argv) {
    const char *mode = "map";
    long errors = 0;
    int opt;

    char prefix[64];

    while ((opt = getopt(argc, argv, "d:n:t:s:j:m:P:B:")) != -1) {
        switch (opt) {
        case 'd': dev_index = atoi(optarg); break;
        case 'n': total = atol(optarg); break;
        case 't': echo = strcmp(optarg, "echo") == 0; break;
        case 's': size = atoi(optarg); break;
        case 'j': threads = atoi(optarg); break;
        case 'm': mode = optarg; break;
        case 'P': procs = atoi(optarg); break;
        case 'B': batch = atoi(optarg); break;
        default:
            fprintf(stderr,
                    "usage: %s [-d index] [-n requests] [-t noop|echo] [-s size] [-j threads | -P processes] "
                    "[-m map|rw|both|batch] [-B batch]\n",
                    argv[0]);
            return 2;
        }
    }
    if (total < 1 || threads < 1 || procs < 0 || (procs && threads > 1) || size < 0 || size > SST_MAX_DATA_SIZE ||
        batch < 1 || batch > SST_BATCH_MAX ||
        (strcmp(mode, "map") && strcmp(mode, "rw") && strcmp(mode, "both") && strcmp(mode, "batch"))) {
        fprintf(stderr, "bad arguments (see the usage line: %s -h)\n", argv[0]);
        return 2;
    }
    if (size > 0)
        echo = 1;
    if (procs)
        snprintf(prefix, sizeof(prefix), "virtio_%dproc", procs);
    else
        snprintf(prefix, sizeof(prefix), "virtio");
    if (!strcmp(mode, "batch")) {
        strcat(prefix, "_batch");
        long e = bench(BATCH, prefix);
        return e < 0 ? 1 : e != 0;
    }
    if (strcmp(mode, "rw")) {
        long e = bench(MAPPED, prefix);
        if (e < 0)
            return 1;
        errors += e;
    }
    if (strcmp(mode, "map")) {
        if (strcmp(mode, "map") && strcmp(mode, "rw"))
            strcat(prefix, "_rw");
        long e = bench(READ_WRITE, prefix);
        if (e < 0)
            return 1;
        errors += e;
    }
    return errors ? 1 : 0;
}

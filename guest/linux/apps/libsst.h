/*
 * libsst: tiny user-space helper for /dev/sstN (virtio-sst.ko).  See ../driver/sst_uapi.h for
 * the kernel interface.  Functions return 0 (or a fd) on success and -errno on failure.
 */
#ifndef LIBSST_H
#define LIBSST_H

#include <stdint.h>
#include "../driver/sst_uapi.h"

/* Default timing model of SST_REQ_COMPUTE (simulator contract; RESET restores these). */
#define SST_MODEL_BASE_LATENCY 10
#define SST_MODEL_CYCLES_PER_UNIT 2
#define SST_MODEL_LANES 4

struct sst_model {
    uint32_t model; /* enum SSTLatencyModel */
    uint64_t base_latency, cycles_per_unit, lanes;
};

/* The defaults above. */
void sst_model_default(struct sst_model *m, uint32_t model);
/* Cycles a COMPUTE of `units` must report under `m` (model m->model). */
uint64_t sst_model_cycles(const struct sst_model *m, uint64_t units);

int sst_open(int index);                              /* fd of /dev/sst<index>, O_RDWR */
int sst_submit(int fd, const struct SSTRequest *req); /* write() */
/* Waits up to timeout_ms (<0: forever) with poll(), then read(); -ETIMEDOUT on timeout. */
int sst_wait(int fd, struct SSTResponse *resp, int timeout_ms);
int sst_call(int fd, const struct SSTRequest *req, struct SSTResponse *resp); /* submit + read */
int sst_read_event(int fd, struct SSTEvent *ev);                              /* -EAGAIN when none queued */
int sst_get_info(int fd, struct sst_info *info);
int sst_get_stats(int fd, struct sst_stats *stats);
int sst_last_request_id(int fd, uint64_t *id);

/*
 * Zero-copy requests (sst_uapi.h: mmap + SST_IOCTL_*): fill *m->req, call, find the answer in
 * *m->resp.  One system call per request and no copies of the 4 KiB pages; the fastest way.
 */
struct sst_map {
    int fd;
    struct SSTRequest *req;   /* the fd's mapped request page */
    struct SSTResponse *resp; /* the fd's mapped response page */
};
int sst_map_open(int fd, struct sst_map *m); /* maps fd's buffer pair */
void sst_map_close(struct sst_map *m);       /* unmaps it (the fd stays open) */
int sst_map_submit(struct sst_map *m);       /* SST_IOCTL_SUBMIT */
int sst_map_wait(struct sst_map *m);         /* SST_IOCTL_WAIT: response in *m->resp */
int sst_map_call(struct sst_map *m);         /* SST_IOCTL_CALL: submit + wait */

/*
 * SST_REQ_BUFFERS: the device works on the caller's own buffers in place (zero-copy, any size up to
 * SST_BUF_MAX_LENGTH each): op SST_BUF_OP_COPY (bufs[1] = bufs[0]) or SST_BUF_OP_MATMUL (bufs[2] =
 * bufs[0] x bufs[1], int32; args = m, n, k).  The last buffer is the one the device writes.  Goes
 * through write() + read() (the driver pins the buffers for the request's duration); the response
 * carries the bytes written in result and the modelled cycles in payload.compute.cycles.
 */
struct sst_buffer_arg {
    void *addr;
    uint64_t length;
};
int sst_buffers_call(int fd, uint32_t op, const struct sst_buffer_arg *bufs, unsigned count, const uint64_t args[4],
                     struct SSTResponse *resp);

/*
 * SST_IOCTL_BATCH: submits reqs[0..count-1] (at most SST_BATCH_MAX) with one system call and one
 * kick, waits for all, and fills resps[i] with the answer to reqs[i].  0 when all were answered
 * (check each status); else -errno, with *completed (if given) as sst_uapi.h says.
 */
int sst_batch_call(int fd, const struct SSTRequest *reqs, struct SSTResponse *resps, unsigned count,
                   unsigned *completed);

/*
 * Mapped batches (sst_uapi.h, SST_IOCTL_BATCH_MAPPED): fill reqs[0..count-1] in the fd's batch area,
 * call, find the answers in resps[0..count-1].  No copies of user memory, no pinning: the fastest.
 */
struct sst_batch_map {
    int fd;
    unsigned slots;
    struct SSTRequest *reqs;   /* slots request slots */
    struct SSTResponse *resps; /* slots response slots */
};
int sst_batch_map_open(int fd, unsigned slots, struct sst_batch_map *b); /* maps the batch area */
void sst_batch_map_close(struct sst_batch_map *b);                       /* unmaps it */
int sst_batch_map_call(struct sst_batch_map *b, unsigned count);         /* 0, or -errno */

/* Zeroes *req and sets its type. */
void sst_req_init(struct SSTRequest *req, uint32_t type);

#endif

#include "libsst.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

void sst_model_default(struct sst_model *m, uint32_t model) {
    m->model = model;
    m->base_latency = SST_MODEL_BASE_LATENCY;
    m->cycles_per_unit = SST_MODEL_CYCLES_PER_UNIT;
    m->lanes = SST_MODEL_LANES;
}

uint64_t sst_model_cycles(const struct sst_model *m, uint64_t units) {
    switch (m->model) {
    case SST_LATENCY_FIXED: return m->base_latency;
    case SST_LATENCY_LINEAR: return m->base_latency + units * m->cycles_per_unit;
    case SST_LATENCY_PIPELINED: {
        uint64_t lanes = m->lanes ? m->lanes : 1;
        return m->base_latency + (units + lanes - 1) / lanes * m->cycles_per_unit;
    }
    default: return 0;
    }
}

int sst_open(int index) {
    char path[32];
    int fd;

    snprintf(path, sizeof(path), "/dev/sst%d", index);
    fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int sst_submit(int fd, const struct SSTRequest *req) {
    ssize_t n = write(fd, req, sizeof(*req));

    if (n < 0)
        return -errno;
    return n == (ssize_t)sizeof(*req) ? 0 : -EIO;
}

int sst_wait(int fd, struct SSTResponse *resp, int timeout_ms) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    ssize_t n;

    if (timeout_ms >= 0) {
        int r;
        do {
            r = poll(&pfd, 1, timeout_ms);
        } while (r < 0 && errno == EINTR);
        if (r < 0)
            return -errno;
        if (r == 0)
            return -ETIMEDOUT;
    }
    do {
        n = read(fd, resp, sizeof(*resp));
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    return n == (ssize_t)sizeof(*resp) ? 0 : -EIO;
}

int sst_call(int fd, const struct SSTRequest *req, struct SSTResponse *resp) {
    int r = sst_submit(fd, req);

    return r ? r : sst_wait(fd, resp, -1);
}

static int sst_ioctl(int fd, unsigned long cmd, void *arg) { return ioctl(fd, cmd, arg) < 0 ? -errno : 0; }

int sst_read_event(int fd, struct SSTEvent *ev) { return sst_ioctl(fd, SST_IOCTL_READ_EVENT, ev); }
int sst_get_info(int fd, struct sst_info *info) { return sst_ioctl(fd, SST_IOCTL_GET_INFO, info); }
int sst_get_stats(int fd, struct sst_stats *st) { return sst_ioctl(fd, SST_IOCTL_GET_STATS, st); }
int sst_last_request_id(int fd, uint64_t *id) { return sst_ioctl(fd, SST_IOCTL_LAST_REQUEST_ID, id); }

int sst_map_open(int fd, struct sst_map *m) {
    void *p = mmap(NULL, SST_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

    if (p == MAP_FAILED)
        return -errno;
    m->fd = fd;
    m->req = p;
    m->resp = (struct SSTResponse *)((char *)p + SST_MAP_RESPONSE_OFFSET);
    return 0;
}

void sst_map_close(struct sst_map *m) {
    if (m->req)
        munmap(m->req, SST_MAP_SIZE);
    m->req = NULL;
    m->resp = NULL;
}

/* Restarted after a signal, like the read() in sst_wait. */
static int sst_map_ioctl(struct sst_map *m, unsigned long cmd) {
    int r;

    do {
        r = ioctl(m->fd, cmd);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : 0;
}

int sst_map_submit(struct sst_map *m) { return sst_map_ioctl(m, SST_IOCTL_SUBMIT); }
int sst_map_wait(struct sst_map *m) { return sst_map_ioctl(m, SST_IOCTL_WAIT); }
int sst_map_call(struct sst_map *m) {
    int r = ioctl(m->fd, SST_IOCTL_CALL) < 0 ? -errno : 0;

    return r == -EINTR ? sst_map_wait(m) : r; /* submitted: only the wait was cut short */
}

int sst_batch_call(int fd, const struct SSTRequest *reqs, struct SSTResponse *resps, unsigned count,
                   unsigned *completed) {
    struct sst_batch b = {
        .requests = (uint64_t)(uintptr_t)reqs,
        .responses = (uint64_t)(uintptr_t)resps,
        .count = count,
    };
    int r = ioctl(fd, SST_IOCTL_BATCH, &b) < 0 ? -errno : 0;

    if (completed)
        *completed = b.completed;
    return r;
}

int sst_batch_map_open(int fd, unsigned slots, struct sst_batch_map *b) {
    void *area =
        mmap(NULL, (size_t)slots * 2 * SST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, SST_MAP_BATCH_OFFSET);

    if (area == MAP_FAILED)
        return -errno;
    b->fd = fd;
    b->slots = slots;
    b->reqs = area;
    b->resps = (struct SSTResponse *)((char *)area + (size_t)slots * SST_PAGE_SIZE);
    return 0;
}

void sst_batch_map_close(struct sst_batch_map *b) {
    if (b->reqs)
        munmap(b->reqs, (size_t)b->slots * 2 * SST_PAGE_SIZE);
    b->reqs = NULL;
    b->resps = NULL;
}

int sst_batch_map_call(struct sst_batch_map *b, unsigned count) {
    return ioctl(b->fd, SST_IOCTL_BATCH_MAPPED, (unsigned long)count) < 0 ? -errno : 0;
}

void sst_req_init(struct SSTRequest *req, uint32_t type) {
    memset(req, 0, sizeof(*req));
    req->type = type;
}

int sst_buffers_call(int fd, uint32_t op, const struct sst_buffer_arg *bufs, unsigned count, const uint64_t args[4],
                     struct SSTResponse *resp) {
    struct SSTRequest req; /* one page */
    unsigned i;

    if (count > SST_MAX_BUFFERS)
        return -EINVAL;
    sst_req_init(&req, SST_REQ_BUFFERS);
    req.payload.buffers.op = op;
    req.payload.buffers.count = count;
    for (i = 0; i < 4 && args; i++)
        req.payload.buffers.args[i] = args[i];
    for (i = 0; i < count; i++) {
        req.payload.buffers.buffer[i].addr = (uint64_t)(uintptr_t)bufs[i].addr;
        req.payload.buffers.buffer[i].length = bufs[i].length;
        req.payload.buffers.buffer[i].access = i + 1 == count ? SST_BUF_DEVICE_WRITES : SST_BUF_DEVICE_READS;
    }
    return sst_call(fd, &req, resp);
}

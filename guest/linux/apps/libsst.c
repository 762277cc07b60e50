#include "libsst.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void sst_model_default(struct sst_model *m, uint32_t model)
{
    m->model = model;
    m->base_latency = SST_MODEL_BASE_LATENCY;
    m->cycles_per_unit = SST_MODEL_CYCLES_PER_UNIT;
    m->lanes = SST_MODEL_LANES;
}

uint64_t sst_model_cycles(const struct sst_model *m, uint64_t units)
{
    switch (m->model) {
    case SST_LATENCY_FIXED:
        return m->base_latency;
    case SST_LATENCY_LINEAR:
        return m->base_latency + units * m->cycles_per_unit;
    case SST_LATENCY_PIPELINED: {
        uint64_t lanes = m->lanes ? m->lanes : 1;
        return m->base_latency + (units + lanes - 1) / lanes * m->cycles_per_unit;
    }
    default:
        return 0;
    }
}

int sst_open(int index)
{
    char path[32];
    int fd;

    snprintf(path, sizeof(path), "/dev/sst%d", index);
    fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int sst_submit(int fd, const struct SSTRequest *req)
{
    ssize_t n = write(fd, req, sizeof(*req));

    if (n < 0)
        return -errno;
    return n == (ssize_t)sizeof(*req) ? 0 : -EIO;
}

int sst_wait(int fd, struct SSTResponse *resp, int timeout_ms)
{
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

int sst_call(int fd, const struct SSTRequest *req, struct SSTResponse *resp)
{
    int r = sst_submit(fd, req);

    return r ? r : sst_wait(fd, resp, -1);
}

static int sst_ioctl(int fd, unsigned long cmd, void *arg)
{
    return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

int sst_read_event(int fd, struct SSTEvent *ev) { return sst_ioctl(fd, SST_IOCTL_READ_EVENT, ev); }
int sst_get_info(int fd, struct sst_info *info) { return sst_ioctl(fd, SST_IOCTL_GET_INFO, info); }
int sst_get_stats(int fd, struct sst_stats *st) { return sst_ioctl(fd, SST_IOCTL_GET_STATS, st); }
int sst_last_request_id(int fd, uint64_t *id) { return sst_ioctl(fd, SST_IOCTL_LAST_REQUEST_ID, id); }

void sst_req_init(struct SSTRequest *req, uint32_t type)
{
    memset(req, 0, sizeof(*req));
    req->type = type;
}

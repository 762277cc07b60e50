/*
 * sst-test: functional test of /dev/sstN through virtio-sst.ko, the QEMU device and the simulator.
 * Prints every check and ends with "SST-TEST-RESULT: PASS" (exit 0) or "SST-TEST-RESULT: FAIL <n>"
 * (exit 1), n = number of failed checks.
 *
 * usage: sst-test [-d index] [-n stress_requests] [-p procs] [-r requests_per_proc] [-q]
 *        sst-test [-d index] -L max_requests [-R requests_after]
 * -L: instead of the suite, ECHO requests until the device fails (the simulator is stopped from
 * outside; the linux test tier does that) and check the failure is reported, not hung on.
 * -R: then keep trying (for up to 60 s) until a simulator serves the device again, and check
 * requests_after more requests.
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include "libsst.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures, checks, quiet;
static int dev_index;
/* An unmapped address the compiler cannot see through (for the EFAULT checks). */
static void *volatile bad_ptr = (void *)16;
static uint64_t mem_size;

static void check(int ok, const char *fmt, ...) {
    va_list ap;

    checks++;
    if (!ok)
        failures++;
    if (ok && quiet)
        return;
    printf("%s: ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static void skip(const char *what) {
    printf("skip: %s\n", what);
    fflush(stdout);
}

static int open_dev(void) {
    int fd = sst_open(dev_index);

    if (fd < 0) {
        printf("FAIL: open /dev/sst%d: %s\n", dev_index, strerror(-fd));
        printf("SST-TEST-RESULT: FAIL %d\n", failures + 1);
        exit(1);
    }
    return fd;
}

static struct SSTRequest req;
static struct SSTResponse resp;

static int call(int fd, struct SSTRequest *rq, struct SSTResponse *rs) {
    int r = sst_call(fd, rq, rs);

    if (r)
        printf("      (%s request: %s)\n", sst_request_type_str(rq->type), strerror(-r));
    return r;
}

static void test_noop(int fd) {
    uint64_t id = 0;
    int r;

    sst_req_init(&req, SST_REQ_NOOP);
    req.user_data = 0x1234567890abcdefULL;
    r = call(fd, &req, &resp);
    sst_last_request_id(fd, &id);
    check(r == 0 && resp.status == SST_STATUS_OK, "NOOP status %s", r ? "-" : sst_status_str(resp.status));
    check(r == 0 && resp.user_data == req.user_data, "NOOP user_data echoed");
    check(r == 0 && id != 0 && resp.request_id == id, "NOOP request_id %llu matches assigned %llu",
          (unsigned long long)resp.request_id, (unsigned long long)id);
}

static void test_echo(int fd) {
    static const uint32_t sizes[] = {0, 1, 100, SST_MAX_DATA_SIZE};

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint32_t n = sizes[i];
        int r, same;

        sst_req_init(&req, SST_REQ_ECHO);
        req.data_len = n;
        req.user_data = 1000 + n;
        for (uint32_t k = 0; k < n; k++)
            req.payload.data[k] = (uint8_t)(k * 7 + n + 3);
        memset(&resp, 0xee, sizeof(resp));
        r = call(fd, &req, &resp);
        same = r == 0 && memcmp(resp.payload.data, req.payload.data, n) == 0;
        check(r == 0 && resp.status == SST_STATUS_OK && resp.result == n && same && resp.user_data == req.user_data,
              "ECHO %u bytes: status %s, result %llu, data %s", n, r ? "-" : sst_status_str(resp.status),
              (unsigned long long)resp.result, same ? "identical" : "DIFFERENT");
    }
}

static int compute(int fd, uint32_t model, uint64_t units, uint32_t flags, uint64_t *cycles) {
    int r;

    sst_req_init(&req, SST_REQ_COMPUTE);
    req.flags = flags;
    req.payload.compute.compute_units = units;
    req.payload.compute.latency_model = model;
    r = call(fd, &req, &resp);
    if (r)
        return r;
    *cycles = resp.payload.compute.cycles;
    return resp.status == SST_STATUS_OK && resp.result == units ? 0 : -EPROTO;
}

static int configure(int fd, uint32_t key, uint64_t value) {
    int r;

    sst_req_init(&req, SST_REQ_CONFIGURE);
    req.payload.config.key = key;
    req.payload.config.value = value;
    r = call(fd, &req, &resp);
    return r ? r : (resp.status == SST_STATUS_OK ? 0 : -EPROTO);
}

static void check_models(int fd, const struct sst_model *base, const char *when) {
    static const uint64_t units[] = {0, 1, 7, 100};
    static const char *const names[] = {"FIXED", "LINEAR", "PIPELINED"};

    for (uint32_t m = 0; m < SST_LATENCY_MODEL_COUNT; m++) {
        struct sst_model mod = *base;

        mod.model = m;
        for (unsigned i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            uint64_t cycles = 0, want = sst_model_cycles(&mod, units[i]);
            int r = compute(fd, m, units[i], 0, &cycles);

            check(r == 0 && cycles == want, "COMPUTE %s %s units=%llu: cycles %llu (model %llu)", when, names[m],
                  (unsigned long long)units[i], (unsigned long long)cycles, (unsigned long long)want);
        }
    }
}

static void test_get_info(int fd) {
    struct sst_info info;
    int r;

    sst_req_init(&req, SST_REQ_GET_INFO);
    r = call(fd, &req, &resp);
    check(r == 0 && resp.status == SST_STATUS_OK && resp.payload.info.version == SST_PROTOCOL_VERSION,
          "GET_INFO request: version %u, capabilities 0x%x, max_compute_units %llu, memory %llu bytes",
          resp.payload.info.version, resp.payload.info.capabilities,
          (unsigned long long)resp.payload.info.max_compute_units, (unsigned long long)resp.payload.info.memory_size);
    mem_size = r == 0 ? resp.payload.info.memory_size : 0;
    check(mem_size > 0, "GET_INFO memory size > 0");

    r = sst_get_info(fd, &info);
    check(r == 0 && info.version == SST_PROTOCOL_VERSION && info.max_data_size == SST_MAX_DATA_SIZE,
          "ioctl GET_INFO: version %u device_id %u features 0x%llx negotiated 0x%llx queues %u "
          "max_data %u vq %u timeout %u ms",
          info.version, info.device_id, (unsigned long long)info.features, (unsigned long long)info.negotiated,
          info.num_queues, info.max_data_size, info.vq_size, info.timeout_ms);
}

static int mem_write(int fd, uint64_t addr, const uint8_t *data, uint32_t size, uint32_t *status) {
    int r;

    sst_req_init(&req, SST_REQ_WRITE);
    req.payload.memory.addr = addr;
    req.payload.memory.size = size;
    memcpy(req.payload.memory.data, data, size);
    r = call(fd, &req, &resp);
    *status = resp.status;
    return r;
}

static int mem_read(int fd, uint64_t addr, uint8_t *data, uint32_t size, uint32_t *status) {
    int r;

    sst_req_init(&req, SST_REQ_READ);
    req.payload.memory.addr = addr;
    req.payload.memory.size = size;
    r = call(fd, &req, &resp);
    *status = resp.status;
    if (r == 0 && resp.status == SST_STATUS_OK)
        memcpy(data, resp.payload.data, size);
    return r;
}

static void test_memory(int fd) {
    static uint8_t pat[SST_MEMORY_DATA_MAX], back[SST_MEMORY_DATA_MAX];
    uint64_t addrs[3];
    uint32_t st, size = SST_MEMORY_DATA_MAX;
    int r;

    if (mem_size < 2 * (uint64_t)size)
        size = (uint32_t)(mem_size / 2);
    if (size < 320) {
        skip("READ/WRITE: device memory too small (< 640 bytes)");
        return;
    }
    addrs[0] = 0;
    addrs[1] = (mem_size - size) / 2 + 1;
    addrs[2] = mem_size - size;
    for (int a = 0; a < 3; a++) {
        for (uint32_t k = 0; k < size; k++)
            pat[k] = (uint8_t)(k * 13 + a * 31 + 1);
        r = mem_write(fd, addrs[a], pat, size, &st);
        check(r == 0 && st == SST_STATUS_OK, "WRITE %u bytes at 0x%llx: %s", size, (unsigned long long)addrs[a],
              r ? "-" : sst_status_str(st));
        memset(back, 0, size);
        r = mem_read(fd, addrs[a], back, size, &st);
        check(r == 0 && st == SST_STATUS_OK && resp.result == size && memcmp(pat, back, size) == 0,
              "READ back %u bytes at 0x%llx: %s, result %llu, data %s", size, (unsigned long long)addrs[a],
              r ? "-" : sst_status_str(st), (unsigned long long)resp.result,
              memcmp(pat, back, size) ? "DIFFERENT" : "identical");
    }
    r = mem_read(fd, mem_size - 10, back, 20, &st);
    check(r == 0 && st == SST_STATUS_INVALID, "READ across the end of memory -> %s", r ? "-" : sst_status_str(st));
    r = mem_write(fd, mem_size, pat, 1, &st);
    check(r == 0 && st == SST_STATUS_INVALID, "WRITE past the end of memory -> %s", r ? "-" : sst_status_str(st));

    /* RESET zeroes device memory and restores the default configuration. */
    r = mem_write(fd, 64, pat, 256, &st);
    sst_req_init(&req, SST_REQ_RESET);
    r = r ? r : call(fd, &req, &resp);
    check(r == 0 && resp.status == SST_STATUS_OK, "RESET: %s", r ? "-" : sst_status_str(resp.status));
    memset(back, 0xff, 256);
    r = mem_read(fd, 64, back, 256, &st);
    {
        int zero = 1;
        for (int k = 0; k < 256; k++)
            zero &= back[k] == 0;
        check(r == 0 && st == SST_STATUS_OK && zero, "memory zeroed after RESET");
    }
}

static void test_compute_configure(int fd) {
    struct sst_model m;

    sst_model_default(&m, SST_LATENCY_LINEAR);
    check_models(fd, &m, "default");

    m.base_latency = 100;
    m.cycles_per_unit = 5;
    m.lanes = 8;
    check(configure(fd, SST_CONFIG_BASE_LATENCY, m.base_latency) == 0, "CONFIGURE base_latency=100");
    check(configure(fd, SST_CONFIG_CYCLES_PER_UNIT, m.cycles_per_unit) == 0, "CONFIGURE cycles_per_unit=5");
    check(configure(fd, SST_CONFIG_LANES, m.lanes) == 0, "CONFIGURE lanes=8");
    check(configure(fd, SST_CONFIG_LATENCY_MODEL, SST_LATENCY_PIPELINED) == 0, "CONFIGURE latency_model=PIPELINED");
    check_models(fd, &m, "configured");
    {
        struct sst_model pm = m;
        uint64_t cycles = 0;
        int r;

        pm.model = SST_LATENCY_PIPELINED;
        r = compute(fd, SST_LATENCY_FIXED, 37, SST_REQ_FLAG_DEFAULT_MODEL, &cycles);
        check(r == 0 && cycles == sst_model_cycles(&pm, 37),
              "COMPUTE with SST_REQ_FLAG_DEFAULT_MODEL uses the configured PIPELINED: cycles %llu (model %llu)",
              (unsigned long long)cycles, (unsigned long long)sst_model_cycles(&pm, 37));
    }

    sst_req_init(&req, SST_REQ_RESET);
    check(call(fd, &req, &resp) == 0 && resp.status == SST_STATUS_OK, "RESET");
    sst_model_default(&m, SST_LATENCY_LINEAR);
    {
        uint64_t cycles = 0;
        int r = compute(fd, SST_LATENCY_LINEAR, 100, 0, &cycles);
        check(r == 0 && cycles == sst_model_cycles(&m, 100),
              "COMPUTE LINEAR 100 after RESET: cycles %llu (defaults give %llu)", (unsigned long long)cycles,
              (unsigned long long)sst_model_cycles(&m, 100));
    }
}

static void test_events(int fd) {
    struct SSTEvent ev;
    struct sst_info info;
    struct pollfd pfd = {.fd = fd, .events = POLLPRI};
    uint64_t cycles, id = 0;
    int r, got = 0;

    while (sst_read_event(fd, &ev) == 0) /* drain old ones */
        ;
    r = compute(fd, SST_LATENCY_LINEAR, 10, SST_REQ_FLAG_NOTIFY, &cycles);
    sst_last_request_id(fd, &id);
    check(r == 0, "COMPUTE with SST_REQ_FLAG_NOTIFY");
    for (int tries = 0; tries < 20 && !got; tries++) {
        poll(&pfd, 1, 100);
        while (sst_read_event(fd, &ev) == 0) {
            if (ev.type == SST_EVENT_COMPLETION && ev.request_id == id)
                got = 1;
        }
    }
    sst_get_info(fd, &info);
    if (!got && !(info.negotiated & (1u << VIRTIO_SST_F_EVENTS))) {
        skip("events: VIRTIO_SST_F_EVENTS not negotiated and no event arrived");
        return;
    }
    check(got, "SST_EVENT_COMPLETION event for request %llu", (unsigned long long)id);
    r = sst_read_event(fd, &ev);
    check(r == -EAGAIN, "READ_EVENT with nothing queued -> %s", strerror(-r));
}

/* Waits up to the driver's timeout for POLLIN on fd; 1 if it came. */
static int wait_pollin(int fd) {
    struct sst_info info;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    if (sst_get_info(fd, &info) != 0)
        return 0;
    return poll(&pfd, 1, (int)info.timeout_ms) == 1 && (pfd.revents & POLLIN);
}

/*
 * The seed's event sequence: SST_IOCTL_REGISTER_EVENT_BUF, poll() for POLLIN, read() of one
 * struct SSTEvent.  Events come from COMPUTE requests with SST_REQ_FLAG_NOTIFY sent on another fd,
 * so that POLLIN on the listener means an event and nothing else.
 */
static void test_event_buffer(void) {
    struct sst_event_buf eb = {.entries = 4};
    struct sst_event_buf big = {.entries = 64};
    struct pollfd pfd;
    struct SSTEvent ev;
    uint64_t id = 0, dropped = 0, cycles;
    int fd = open_dev(), all = open_dev(), sender = open_dev(), n, got;
    ssize_t r;

    if (fd < 0 || all < 0 || sender < 0) {
        check(0, "open /dev/sst%d three times", dev_index);
        return;
    }
    r = read(fd, &ev, sizeof(ev));
    check(r < 0 && errno == EINVAL, "read() of an SSTEvent before REGISTER_EVENT_BUF -> EINVAL");
    eb.flags = 1;
    check(ioctl(fd, SST_IOCTL_REGISTER_EVENT_BUF, &eb) < 0 && errno == EINVAL,
          "REGISTER_EVENT_BUF, bad flags -> EINVAL");
    eb.flags = 0;
    check(ioctl(fd, SST_IOCTL_REGISTER_EVENT_BUF, &eb) == 0, "SST_IOCTL_REGISTER_EVENT_BUF (4 events)");
    check(ioctl(fd, SST_IOCTL_REGISTER_EVENT_BUF, &eb) < 0 && errno == EBUSY, "registering again -> EBUSY");
    check(ioctl(all, SST_IOCTL_REGISTER_EVENT_BUF, &big) == 0, "a second fd registers too (64 events)");
    pfd = (struct pollfd){.fd = fd, .events = POLLIN};
    check(poll(&pfd, 1, 0) == 0, "no POLLIN with the buffer empty");

    check(compute(sender, SST_LATENCY_LINEAR, 10, SST_REQ_FLAG_NOTIFY, &cycles) == 0, "COMPUTE with NOTIFY");
    sst_last_request_id(sender, &id);
    check(wait_pollin(fd), "poll(POLLIN) on the registered fd wakes for the event");
    r = read(fd, &ev, sizeof(ev));
    check(r == (ssize_t)sizeof(ev) && ev.type == SST_EVENT_COMPLETION && ev.request_id == id,
          "read(fd, &ev, sizeof(struct SSTEvent)): COMPLETION of request %llu (got %zd bytes, type %u, request %llu)",
          (unsigned long long)id, r, ev.type, (unsigned long long)ev.request_id);
    check(wait_pollin(all) && read(all, &ev, sizeof(ev)) == (ssize_t)sizeof(ev) && ev.request_id == id,
          "every registered fd gets its own copy of the event");
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    r = read(fd, &ev, sizeof(ev));
    check(r < 0 && errno == EAGAIN, "O_NONBLOCK read() with no event -> EAGAIN");

    /* Six events into a buffer of four: the oldest two are dropped and counted. */
    for (n = 0; n < 6; n++)
        compute(sender, SST_LATENCY_LINEAR, 10, SST_REQ_FLAG_NOTIFY, &cycles);
    for (got = 0; got < 6 && wait_pollin(all) && read(all, &ev, sizeof(ev)) == (ssize_t)sizeof(ev);)
        got++;
    check(got == 6, "the 64-event buffer received all 6 events (%d)", got);
    for (got = 0; read(fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev);)
        got++;
    ioctl(fd, SST_IOCTL_EVENT_BUF_DROPPED, &dropped);
    check(got == 4 && dropped == 2,
          "a full 4-event buffer keeps the newest 4 and counts 2 dropped (%d kept, %llu dropped)", got,
          (unsigned long long)dropped);
    /* A response raises POLLIN on a registered fd too: read()'s size says which one is taken. */
    sst_req_init(&req, SST_REQ_NOOP);
    check(sst_submit(fd, &req) == 0 && wait_pollin(fd) && read(fd, &resp, sizeof(resp)) == (ssize_t)sizeof(resp) &&
              resp.status == SST_STATUS_OK,
          "a registered fd still reads its response with read(fd, &resp, sizeof(struct SSTResponse))");
    close(sender);
    close(all);
    close(fd);
}

/* SST_IOCTL_BATCH_MAPPED: the same in the fd's mapped batch area; unanswered slots say so. */
static void test_batch_mapped(void) {
    enum { SLOTS = 32 };
    struct sst_batch_map m = {0}, again = {0};
    int fd = open_dev(), ok = 1, r;

    check(ioctl(fd, SST_IOCTL_BATCH_MAPPED, 1ul) < 0 && errno == EINVAL, "BATCH_MAPPED before mapping -> EINVAL");
    r = sst_batch_map_open(fd, SLOTS, &m);
    check(r == 0, "mmap of a %d-slot batch area (%s)", SLOTS, r ? strerror(-r) : "ok");
    if (r) {
        close(fd);
        return;
    }
    check(sst_batch_map_open(fd, SLOTS / 2, &again) == -EINVAL, "mapping it again with another size -> EINVAL");
    for (int i = 0; i < SLOTS; i++) {
        sst_req_init(&m.reqs[i], SST_REQ_ECHO);
        m.reqs[i].user_data = 7000 + (uint64_t)i;
        m.reqs[i].data_len = 8;
        memcpy(m.reqs[i].payload.data, &m.reqs[i].user_data, 8);
    }
    r = sst_batch_map_call(&m, SLOTS);
    for (int i = 0; i < SLOTS; i++)
        ok = ok && m.resps[i].status == SST_STATUS_OK && m.resps[i].user_data == 7000 + (uint64_t)i &&
             m.resps[i].request_id != 0 && m.resps[i].result == 8 &&
             !memcmp(m.resps[i].payload.data, &m.reqs[i].user_data, 8);
    check(r == 0 && ok, "SST_IOCTL_BATCH_MAPPED of %d: every response in its slot (%s)", SLOTS,
          r ? strerror(-r) : "ok");
    m.reqs[3].type = 99;
    r = sst_batch_map_call(&m, 8);
    check(r == -EINVAL && m.resps[3].status == SST_STATUS_INVALID && m.resps[0].request_id == 0 &&
              m.resps[0].status == SST_STATUS_TIMEOUT,
          "an invalid request in slot 3 -> EINVAL, its slot INVALID, slot 0 not answered (%s)", strerror(-r));
    sst_req_init(&m.reqs[3], SST_REQ_NOOP);
    check(sst_batch_map_call(&m, SLOTS + 1) == -EINVAL, "more requests than slots -> EINVAL");
    check(sst_batch_map_call(&m, 0) == -EINVAL, "a batch of 0 -> EINVAL");
    sst_batch_map_close(&m);
    close(fd);
}

/* SST_IOCTL_BATCH: 32 requests in one call, each answered in its own slot; refusals say which. */
static void test_batch(void) {
    enum { N = 32 };
    static struct SSTRequest reqs[N];
    static struct SSTResponse resps[N];
    struct sst_batch b = {0};
    unsigned completed = 0;
    int fd = open_dev(), ok = 1, r;

    if (fd < 0) {
        check(0, "open /dev/sst%d", dev_index);
        return;
    }
    for (int i = 0; i < N; i++) {
        sst_req_init(&reqs[i], i % 2 ? SST_REQ_ECHO : SST_REQ_NOOP);
        reqs[i].user_data = 1000 + (uint64_t)i;
        if (i % 2) {
            reqs[i].data_len = 8;
            memcpy(reqs[i].payload.data, &reqs[i].user_data, 8);
        }
    }
    memset(resps, 0, sizeof(resps));
    r = sst_batch_call(fd, reqs, resps, N, &completed);
    for (int i = 0; i < N; i++) {
        ok = ok && resps[i].status == SST_STATUS_OK && resps[i].user_data == 1000 + (uint64_t)i &&
             resps[i].request_id != 0 && (i == 0 || resps[i].request_id != resps[i - 1].request_id);
        if (i % 2)
            ok = ok && resps[i].result == 8 && !memcmp(resps[i].payload.data, &reqs[i].user_data, 8);
    }
    check(r == 0 && completed == N && ok, "SST_IOCTL_BATCH of %d: every response in its slot (r=%d, completed %u)", N,
          r, completed);

    reqs[5].type = 99;
    r = sst_batch_call(fd, reqs, resps, N, &completed);
    check(r == -EINVAL && completed == 5, "a batch with an invalid request 5 -> EINVAL, completed=5 (%s, %u)",
          strerror(-r), completed);
    sst_req_init(&reqs[5], SST_REQ_BUFFERS);
    r = sst_batch_call(fd, reqs, resps, N, &completed);
    check(r == -EINVAL, "SST_REQ_BUFFERS in a batch -> EINVAL (%s)", strerror(-r));
    sst_req_init(&reqs[5], SST_REQ_NOOP);
    check(sst_batch_call(fd, reqs, resps, 0, NULL) == -EINVAL, "a batch of 0 -> EINVAL");
    check(sst_batch_call(fd, reqs, resps, SST_BATCH_MAX + 1, NULL) == -EINVAL, "a batch over SST_BATCH_MAX -> EINVAL");
    b.requests = 16;
    b.responses = (uint64_t)(uintptr_t)resps;
    b.count = 1;
    check(ioctl(fd, SST_IOCTL_BATCH, &b) < 0 && errno == EFAULT, "a batch from a bad pointer -> EFAULT");
    close(fd);
    test_batch_mapped();
}

/* Reads /sys/class/sst/sstN/<name> into buf; 0 if it could. */
static int read_sysfs(const char *name, char *buf, size_t len) {
    char path[96];
    FILE *f;
    int ok;

    snprintf(path, sizeof(path), "/sys/class/sst/sst%d/%s", dev_index, name);
    f = fopen(path, "r");
    if (!f)
        return -1;
    ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (ok)
        buf[strcspn(buf, "\n")] = 0;
    return ok ? 0 : -1;
}

/* The per-queue request counts in /sys/class/sst/sstN/queue_requests (the line kept in line); how many. */
static int read_queue_requests(unsigned long counts[VIRTIO_SST_MAX_REQUEST_QUEUES], char *line, size_t len) {
    int n = 0;

    if (read_sysfs("queue_requests", line, len) != 0)
        return 0;
    for (char *p = line, *end; n < VIRTIO_SST_MAX_REQUEST_QUEUES && (counts[n] = strtoul(p, &end, 10), end != p);
         p = end)
        n++;
    return n;
}

/*
 * Request queues (VIRTIO_SST_F_MQ): one per CPU.  A process pinned to each CPU in turn sends a
 * request; each queue's count in queue_requests then went up.
 */
static void test_request_queues(void) {
    char line[256];
    unsigned long before[VIRTIO_SST_MAX_REQUEST_QUEUES] = {0}, after[VIRTIO_SST_MAX_REQUEST_QUEUES] = {0};
    int queues, cpus = (int)sysconf(_SC_NPROCESSORS_ONLN), n, grew = 0;

    if (read_sysfs("request_queues", line, sizeof(line)) != 0) {
        check(0, "/sys/class/sst/sst%d/request_queues", dev_index);
        return;
    }
    queues = atoi(line);
    printf("request queues: %d (CPUs: %d)\n", queues, cpus);
    check(queues == (cpus < VIRTIO_SST_MAX_REQUEST_QUEUES ? cpus : VIRTIO_SST_MAX_REQUEST_QUEUES),
          "one request queue per CPU (%d queues, %d CPUs)", queues, cpus);
    read_queue_requests(before, line, sizeof(line));
    for (int c = 0; c < cpus; c++) {
        pid_t pid = fork();

        if (pid == 0) {
            cpu_set_t set;
            int fd;

            CPU_ZERO(&set);
            CPU_SET(c, &set);
            if (sched_setaffinity(0, sizeof(set), &set) != 0 || (fd = open_dev()) < 0)
                _exit(1);
            sst_req_init(&req, SST_REQ_NOOP);
            _exit(call(fd, &req, &resp) == 0 && resp.status == SST_STATUS_OK ? 0 : 1);
        }
        int status = 1;
        waitpid(pid, &status, 0);
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a request from a process pinned to CPU %d", c);
    }
    n = read_queue_requests(after, line, sizeof(line));
    for (int q = 0; q < n; q++)
        grew += after[q] > before[q];
    check(n == queues && grew == queues, "every request queue carried requests (%d of %d: %s)", grew, queues, line);
}

static void test_errors(int fd) {
    char small[100] = {0};
    ssize_t n;
    int e;

    sst_req_init(&req, 99);
    n = write(fd, &req, sizeof(req));
    e = errno;
    check(n < 0 && e == EINVAL, "bad request type -> write %s", n < 0 ? strerror(e) : "accepted");
    sst_req_init(&req, SST_REQ_ECHO);
    req.data_len = SST_MAX_DATA_SIZE + 1;
    n = write(fd, &req, sizeof(req));
    e = errno;
    check(n < 0 && e == EINVAL, "ECHO data_len too large -> %s", n < 0 ? strerror(e) : "accepted");
    sst_req_init(&req, SST_REQ_NOOP);
    req.flags = 0x80000000u;
    n = write(fd, &req, sizeof(req));
    e = errno;
    check(n < 0 && e == EINVAL, "unknown request flag -> %s", n < 0 ? strerror(e) : "accepted");
    n = write(fd, small, sizeof(small));
    e = errno;
    check(n < 0 && e == EINVAL, "short write -> %s", n < 0 ? strerror(e) : "accepted");
    n = read(fd, &resp, sizeof(resp));
    e = errno;
    check(n < 0 && e == ENODATA, "read with nothing submitted -> %s", n < 0 ? strerror(e) : "data");

    sst_req_init(&req, SST_REQ_NOOP);
    check(sst_submit(fd, &req) == 0, "submit NOOP");
    n = write(fd, &req, sizeof(req));
    e = errno;
    check(n < 0 && e == EBUSY, "second write before read -> %s", n < 0 ? strerror(e) : "accepted");
    n = read(fd, &resp, 100);
    e = errno;
    check(n < 0 && e == EINVAL, "read of the wrong size -> %s", n < 0 ? strerror(e) : "data");
    check(sst_wait(fd, &resp, 5000) == 0 && resp.status == SST_STATUS_OK, "pending NOOP still answered");
    n = read(fd, &resp, sizeof(resp));
    check(n < 0 && errno == ENODATA, "response consumed");
    n = read(fd, bad_ptr, sizeof(resp));
    check(n < 0 && errno == ENODATA, "read(bad pointer) without a request -> ENODATA");
    check(sst_submit(fd, &req) == 0, "submit NOOP");
    n = read(fd, bad_ptr, sizeof(resp));
    e = errno;
    check(n < 0 && e == EFAULT, "read into a bad pointer -> %s", n < 0 ? strerror(e) : "data");
    check(sst_wait(fd, &resp, 5000) == 0, "response kept after EFAULT");
    n = write(fd, bad_ptr, sizeof(req));
    e = errno;
    check(n < 0 && e == EFAULT, "write from a bad pointer -> %s", n < 0 ? strerror(e) : "accepted");
    check(ioctl(fd, _IO('S', 99)) < 0 && errno == ENOTTY, "unknown ioctl -> ENOTTY");
    check(ioctl(fd, SST_IOCTL_GET_STATS, NULL) < 0 && errno == EFAULT, "GET_STATS(NULL) -> EFAULT");

    {
        char path[32];
        int nfd;

        snprintf(path, sizeof(path), "/dev/sst%d", dev_index);
        nfd = open(path, O_RDWR | O_NONBLOCK);
        if (nfd >= 0) {
            struct pollfd pfd = {.fd = nfd, .events = POLLIN | POLLOUT};
            poll(&pfd, 1, 0);
            check(pfd.revents & POLLOUT, "poll: POLLOUT on an idle fd");
            sst_req_init(&req, SST_REQ_NOOP);
            check(sst_submit(nfd, &req) == 0, "O_NONBLOCK submit");
            pfd.events = POLLIN;
            check(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "poll: POLLIN when the response is ready");
            check(read(nfd, &resp, sizeof(resp)) == sizeof(resp), "O_NONBLOCK read after POLLIN");
            close(nfd);
        }
    }
}

/* ---- zero-copy interface: mmap + SST_IOCTL_SUBMIT/WAIT/CALL ---- */

static int ioctl_err(int fd, unsigned long cmd) { return ioctl(fd, cmd) < 0 ? errno : 0; }

static void test_mapped(void) {
    int fd = open_dev(), e;
    struct sst_map m = {0}, m2 = {0};
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    void *p;
    uint64_t id = 0;
    int same = 1;

    check(ioctl_err(fd, SST_IOCTL_SUBMIT) == EINVAL, "SUBMIT with nothing mapped -> EINVAL");
    check(ioctl_err(fd, SST_IOCTL_WAIT) == EINVAL, "WAIT with nothing mapped -> EINVAL");
    check(ioctl_err(fd, SST_IOCTL_CALL) == EINVAL, "CALL with nothing mapped -> EINVAL");
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    e = errno;
    check(p == MAP_FAILED && e == EINVAL, "mmap of one page -> %s", p == MAP_FAILED ? strerror(e) : "mapped");
    p = mmap(NULL, SST_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    e = errno;
    check(p == MAP_FAILED && e == EINVAL, "private mmap -> %s", p == MAP_FAILED ? strerror(e) : "mapped");
    p = mmap(NULL, SST_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
    e = errno;
    check(p == MAP_FAILED && e == EINVAL, "mmap at offset 4096 -> %s", p == MAP_FAILED ? strerror(e) : "mapped");
    if (sst_map_open(fd, &m)) {
        check(0, "mmap of the buffer pair");
        close(fd);
        return;
    }

    /* The largest ECHO, compared byte for byte, with the id the driver wrote into the page. */
    sst_req_init(m.req, SST_REQ_ECHO);
    m.req->data_len = SST_MAX_DATA_SIZE;
    m.req->user_data = 0x6d6170;
    for (uint32_t k = 0; k < SST_MAX_DATA_SIZE; k++)
        m.req->payload.data[k] = (uint8_t)(k * 7 + 3);
    e = sst_map_call(&m);
    for (uint32_t k = 0; k < SST_MAX_DATA_SIZE; k++)
        same &= m.resp->payload.data[k] == (uint8_t)(k * 7 + 3);
    check(e == 0 && m.resp->status == SST_STATUS_OK && m.resp->result == SST_MAX_DATA_SIZE && same &&
              m.resp->user_data == 0x6d6170,
          "CALL: mapped ECHO of %d bytes", SST_MAX_DATA_SIZE);
    check(e == 0 && sst_last_request_id(fd, &id) == 0 && id != 0 && m.req->request_id == id && m.resp->request_id == id,
          "CALL: request id %llu in the request page and the response", (unsigned long long)id);

    /* A second mapping shows the same pages. */
    if (sst_map_open(fd, &m2) == 0) {
        check(m2.resp->user_data == 0x6d6170 && m2.req->request_id == id, "a second mmap maps the same pages");
        sst_map_close(&m2);
    } else {
        check(0, "second mmap");
    }

    /* SUBMIT, then the slot is busy for everything but its own completion. */
    sst_req_init(m.req, SST_REQ_NOOP);
    m.req->user_data = 11;
    sst_req_init(&req, SST_REQ_NOOP);
    check(sst_map_submit(&m) == 0, "SUBMIT a mapped NOOP");
    check(ioctl_err(fd, SST_IOCTL_SUBMIT) == EBUSY, "second SUBMIT before WAIT -> EBUSY");
    check(write(fd, &req, sizeof(req)) < 0 && errno == EBUSY, "write() while a mapped request is pending -> EBUSY");
    check(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "poll: POLLIN for the mapped request");
    check(sst_map_wait(&m) == 0 && m.resp->status == SST_STATUS_OK && m.resp->user_data == 11,
          "WAIT: response in the mapped page");
    check(ioctl_err(fd, SST_IOCTL_WAIT) == ENODATA, "WAIT with nothing submitted -> ENODATA");

    /* read() takes a mapped request's response too; WAIT refuses a write()'s. */
    m.req->user_data = 12;
    check(sst_map_submit(&m) == 0 && sst_wait(fd, &resp, 5000) == 0 && resp.user_data == 12,
          "SUBMIT then read(): the response is copied out");
    sst_req_init(&req, SST_REQ_NOOP);
    check(sst_submit(fd, &req) == 0 && ioctl_err(fd, SST_IOCTL_WAIT) == EINVAL,
          "WAIT for a write()'s request -> EINVAL");
    check(sst_wait(fd, &resp, 5000) == 0 && resp.status == SST_STATUS_OK, "... and read() still gets it");

    /* The page is checked like a write. */
    sst_req_init(m.req, 0x7777);
    check(ioctl_err(fd, SST_IOCTL_SUBMIT) == EINVAL, "SUBMIT of an unknown request type -> EINVAL");
    sst_req_init(m.req, SST_REQ_ECHO);
    m.req->data_len = SST_MAX_DATA_SIZE + 1;
    check(ioctl_err(fd, SST_IOCTL_CALL) == EINVAL, "CALL with data_len too large -> EINVAL");

    /* Closing the fd first and unmapping later frees the pages without harm. */
    sst_req_init(m.req, SST_REQ_NOOP);
    check(sst_map_submit(&m) == 0, "SUBMIT, then close and unmap without waiting");
    close(fd);
    sst_map_close(&m);
}

/* ---- the driver's timeout ---- */

static int set_timeout_ms(unsigned ms) {
    FILE *f = fopen("/sys/module/virtio_sst/parameters/timeout_ms", "w");
    int ok;

    if (!f)
        return -errno;
    ok = fprintf(f, "%u\n", ms) > 0;
    return fclose(f) == 0 && ok ? 0 : -EIO;
}

static double monotonic_ms(void) {
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * A COMPUTE modelled to take 1 s (LINEAR, 1e6 units x 1000 cycles at 1 GHz) against a 100 ms
 * timeout_ms: the read gives up with -ETIMEDOUT, the slot is free again, and the late response is
 * absorbed when it comes.  Only deterministic time makes the guest wait for simulated time; in
 * fast mode the simulator answers at once and this is skipped.
 */
static void test_timeout(void) {
    const uint64_t units = 1000000;
    struct sst_stats before, after;
    double t0, waited;
    int fd = open_dev(), r;
    ssize_t n;

    if ((r = set_timeout_ms(100))) {
        skip("cannot set timeout_ms");
        close(fd);
        return;
    }
    check(configure(fd, SST_CONFIG_CYCLES_PER_UNIT, 1000) == 0, "CONFIGURE cycles_per_unit=1000");
    sst_get_stats(fd, &before);
    sst_req_init(&req, SST_REQ_COMPUTE);
    req.payload.compute.compute_units = units;
    req.payload.compute.latency_model = SST_LATENCY_LINEAR;
    r = sst_submit(fd, &req);
    t0 = monotonic_ms();
    n = read(fd, &resp, sizeof(resp));
    r = n < 0 ? -errno : 0;
    waited = monotonic_ms() - t0;
    if (r == 0) {
        skip("a 1 s COMPUTE was answered within the 100 ms timeout (fast mode)");
    } else {
        /* It waited for the timeout rather than failing at once.  Not to the millisecond: the
         * deadline is in jiffies, and in fast mode on a busy host a vCPU that was descheduled sees
         * several ticks at once (87 ms was seen beside two CPU hogs). */
        check(r == -ETIMEDOUT && waited >= 50, "read of a 1 s COMPUTE with timeout_ms=100 -> %s after %.0f ms",
              strerror(-r), waited);
        sst_get_stats(fd, &after);
        /* The device still owns the request, unless (fast mode: the simulator runs on its own
         * clock) its late response already came back in the moment since the timeout. */
        check(after.timeouts == before.timeouts + 1 &&
                  (after.in_flight == before.in_flight + 1 || after.responses > before.responses),
              "timeouts %llu -> %llu, the device still owns the request or has just answered it",
              (unsigned long long)before.timeouts, (unsigned long long)after.timeouts);
        check(read(fd, &resp, sizeof(resp)) < 0 && errno == ENODATA, "the slot is free after the timeout");
        set_timeout_ms(5000);
        sst_req_init(&req, SST_REQ_NOOP);
        check(call(fd, &req, &resp) == 0 && resp.status == SST_STATUS_OK, "a new request on the same fd");
        for (int i = 0; i < 300 && sst_get_stats(fd, &after) == 0 && after.in_flight > before.in_flight; i++)
            usleep(10000);
        check(after.in_flight == before.in_flight, "the late response came back and was absorbed");
    }
    set_timeout_ms(5000);
    sst_req_init(&req, SST_REQ_RESET);
    check(call(fd, &req, &resp) == 0 && resp.status == SST_STATUS_OK, "RESET restores the default model");
    close(fd);
}

/* ---- concurrency ---- */

static int echo_worker(int fd, unsigned tag, int count) {
    static struct SSTRequest rq;
    static struct SSTResponse rs;
    int bad = 0;

    for (int i = 0; i < count; i++) {
        uint32_t n = 1 + (tag * 131 + i * 17) % 512;
        uint64_t id = 0;

        sst_req_init(&rq, SST_REQ_ECHO);
        rq.data_len = n;
        rq.user_data = ((uint64_t)tag << 32) | (uint64_t)i;
        for (uint32_t k = 0; k < n; k++)
            rq.payload.data[k] = (uint8_t)(tag * 29 + i + k);
        if (sst_call(fd, &rq, &rs) || sst_last_request_id(fd, &id) || rs.status != SST_STATUS_OK || rs.result != n ||
            rs.user_data != rq.user_data || rs.request_id != id || memcmp(rs.payload.data, rq.payload.data, n))
            bad++;
    }
    return bad;
}

static void test_processes(int nproc, int per) {
    pid_t pids[64];
    int bad = 0, failed_children = 0;

    if (nproc > 64)
        nproc = 64;
    for (int p = 0; p < nproc; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            int fd = open_dev();
            int b = echo_worker(fd, (unsigned)p + 1, per);
            close(fd);
            _exit(b > 255 ? 255 : b);
        }
    }
    for (int p = 0; p < nproc; p++) {
        int status = 0;
        if (pids[p] < 0 || waitpid(pids[p], &status, 0) < 0 || !WIFEXITED(status)) {
            failed_children++;
            continue;
        }
        bad += WEXITSTATUS(status);
    }
    check(bad == 0 && failed_children == 0, "%d processes x %d ECHO requests: %d bad, %d children failed", nproc, per,
          bad, failed_children);
}

struct stress_arg {
    int fd;
    unsigned tag;
    long count, ok, lost;
};

/* Threads with an even tag use write()/poll()/read(), the others the mapped pages and CALL. */
static void *stress_thread(void *p) {
    struct stress_arg *a = p;
    const int mapped = a->tag % 2;
    struct sst_map m = {0};
    struct SSTRequest *rq;
    struct SSTResponse *rs;

    if (mapped) {
        if (sst_map_open(a->fd, &m)) {
            a->lost = a->count;
            return NULL;
        }
        rq = m.req;
        rs = m.resp;
    } else {
        rq = malloc(sizeof(*rq));
        rs = malloc(sizeof(*rs));
        if (!rq || !rs)
            return NULL;
    }
    for (long i = 0; i < a->count; i++) {
        uint64_t id = 0;

        sst_req_init(rq, i % 2 ? SST_REQ_ECHO : SST_REQ_NOOP);
        rq->user_data = ((uint64_t)a->tag << 48) ^ (uint64_t)i;
        if (rq->type == SST_REQ_ECHO) {
            rq->data_len = 8;
            memcpy(rq->payload.data, &rq->user_data, 8);
        }
        if (mapped ? sst_map_call(&m) || sst_last_request_id(a->fd, &id)
                   : sst_submit(a->fd, rq) || sst_last_request_id(a->fd, &id) || sst_wait(a->fd, rs, 10000)) {
            a->lost++;
            continue;
        }
        if (rs->status == SST_STATUS_OK && rs->request_id == id && rs->user_data == rq->user_data &&
            (rq->type != SST_REQ_ECHO || memcmp(rs->payload.data, rq->payload.data, 8) == 0))
            a->ok++;
    }
    if (mapped) {
        sst_map_close(&m);
    } else {
        free(rq);
        free(rs);
    }
    return NULL;
}

static void test_stress(long total) {
    enum { THREADS = 4 };
    struct stress_arg args[THREADS];
    pthread_t th[THREADS];
    struct sst_stats before, after;
    struct timespec t0, t1;
    long ok = 0, lost = 0;
    int sfd = open_dev();
    double secs;

    sst_get_stats(sfd, &before);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < THREADS; t++) {
        args[t] = (struct stress_arg){
            .fd = open_dev(), .tag = (unsigned)t + 1, .count = total / THREADS + (t < total % THREADS)};
        pthread_create(&th[t], NULL, stress_thread, &args[t]);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        ok += args[t].ok;
        lost += args[t].lost;
        close(args[t].fd);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sst_get_stats(sfd, &after);
    close(sfd);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    check(ok == total && lost == 0,
          "stress: %ld requests on %d threads (half mapped), %ld verified, %ld lost (%.0f req/s)", total, THREADS, ok,
          lost, secs > 0 ? (double)total / secs : 0.0);
    check(after.responses - before.responses >= (uint64_t)total,
          "stress: driver counted %llu responses for %ld requests",
          (unsigned long long)(after.responses - before.responses), total);
}

/* ---- the simulator going away (-L) ---- */

static double now_ms(void) {
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One ECHO, by the mapped interface or by write()+read(); 0 or -errno, status in *status. */
static int lost_echo(int fd, struct sst_map *m, int mapped, uint64_t tag, uint32_t *status) {
    struct SSTRequest *rq = mapped ? m->req : &req;
    struct SSTResponse *rs = mapped ? m->resp : &resp;
    int r;

    sst_req_init(rq, SST_REQ_ECHO);
    rq->data_len = 8;
    memcpy(rq->payload.data, &tag, 8);
    rq->user_data = tag;
    r = mapped ? sst_map_call(m) : sst_call(fd, rq, rs);
    *status = r ? SST_STATUS_OK : rs->status;
    if (!r && rs->status == SST_STATUS_OK && (rs->user_data != tag || memcmp(rs->payload.data, &tag, 8)))
        *status = SST_STATUS_ERROR; /* answered wrongly: not a loss, a failure */
    return r;
}

static int fails_as_lost(int r, uint32_t status) {
    return (r == 0 && status == SST_STATUS_NO_DEVICE) || r == -ENODEV || r == -ETIMEDOUT;
}

static void test_until_lost(long max_requests, long resume_after) {
    int fd = open_dev(), r = 0;
    struct sst_map m = {0};
    uint32_t status = SST_STATUS_OK;
    double t0;
    long n;

    if (sst_map_open(fd, &m)) {
        check(0, "mmap");
        return;
    }
    printf("sst-test: ECHO requests until the simulator goes away\n");
    for (n = 0; n < max_requests; n++) {
        r = lost_echo(fd, &m, (int)(n % 2), (uint64_t)n, &status);
        if (r || status != SST_STATUS_OK)
            break;
        if (n == 1000)
            printf("sst-test: 1000 requests answered\n");
    }
    check(n < max_requests, "the device failed after %ld requests", n);
    check(fails_as_lost(r, status), "... with %s", r ? strerror(-r) : sst_status_str(status));
    /* Later requests, by both interfaces, fail at once rather than wait for a timeout. */
    for (int mapped = 0; mapped < 2; mapped++) {
        t0 = now_ms();
        r = lost_echo(fd, &m, mapped, 1, &status);
        check(fails_as_lost(r, status) && now_ms() - t0 < 1000, "a later %s request fails at once: %s in %.1f ms",
              mapped ? "mapped" : "write/read", r ? strerror(-r) : sst_status_str(status), now_ms() - t0);
    }
    if (resume_after > 0) {
        double deadline = now_ms() + 60000;
        long attempts = 0;

        printf("sst-test: waiting for a simulator to serve the device again\n");
        do {
            usleep(20000);
            attempts++;
            r = lost_echo(fd, &m, (int)(attempts % 2), (uint64_t)attempts, &status);
        } while ((r || status != SST_STATUS_OK) && fails_as_lost(r, status) && now_ms() < deadline);
        check(r == 0 && status == SST_STATUS_OK, "served again after %ld attempts (last: %s)", attempts,
              r ? strerror(-r) : sst_status_str(status));
        for (n = 0; n < resume_after && r == 0 && status == SST_STATUS_OK; n++)
            r = lost_echo(fd, &m, (int)(n % 2), (uint64_t)n << 8, &status);
        check(n == resume_after && r == 0 && status == SST_STATUS_OK, "%ld requests verified after reconnecting", n);
    }
    sst_map_close(&m);
    close(fd);
}

/*
 * Several sst-test runs at once (the seed's `for i in {1..10}; do /apps/sst-test & done`) would break
 * each other: the checks RESET the device, CONFIGURE its model and change timeout_ms, and expect what
 * they set.  So a run holds the device's advisory lock (SST_IOCTL_LOCK) for its checks and says so
 * when it has to wait: the runs take turns and every one passes.  Closing fd (or dying) releases it.
 */
static void lock_device(int fd) {
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    const int r = ioctl(fd, SST_IOCTL_LOCK);
    fcntl(fd, F_SETFL, flags);
    if (r == 0)
        return;
    printf("sst-test: another sst-test run holds /dev/sst%d; waiting for it (the checks change device-wide "
           "state: RESET, CONFIGURE, timeout_ms)\n",
           dev_index);
    if (ioctl(fd, SST_IOCTL_LOCK) != 0)
        printf("sst-test: cannot lock /dev/sst%d (%s); going on\n", dev_index, strerror(errno));
}

int main(int argc, char **argv) {
    long stress = 100000;
    long until_lost = 0, resume_after = 0;
    int nproc = 10, per = 200, opt, fd;
    struct sst_stats st;

    while ((opt = getopt(argc, argv, "d:n:p:r:qL:R:")) != -1) {
        switch (opt) {
        case 'd': dev_index = atoi(optarg); break;
        case 'n': stress = atol(optarg); break;
        case 'p': nproc = atoi(optarg); break;
        case 'r': per = atoi(optarg); break;
        case 'q': quiet = 1; break;
        case 'L': until_lost = atol(optarg); break;
        case 'R': resume_after = atol(optarg); break;
        default:
            fprintf(stderr, "usage: %s [-d index] [-n stress] [-p procs] [-r per_proc] [-q] | -L max\n", argv[0]);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (until_lost > 0) {
        test_until_lost(until_lost, resume_after);
        printf("%d checks, %d failed\n", checks, failures);
        printf("SST-TEST-RESULT: %s", failures ? "FAIL" : "PASS\n");
        if (failures)
            printf(" %d\n", failures);
        return failures ? 1 : 0;
    }
    fd = open_dev();
    lock_device(fd);
    test_noop(fd);
    test_echo(fd);
    test_get_info(fd);
    test_compute_configure(fd);
    test_memory(fd);
    test_events(fd);
    test_event_buffer();
    test_batch();
    test_request_queues();
    test_errors(fd);
    test_mapped();
    test_timeout();
    test_processes(nproc, per);
    if (stress > 0)
        test_stress(stress);
    if (sst_get_stats(fd, &st) == 0)
        printf("stats: requests %llu responses %llu events %llu errors %llu timeouts %llu in_flight %llu\n",
               (unsigned long long)st.requests, (unsigned long long)st.responses, (unsigned long long)st.events,
               (unsigned long long)st.errors, (unsigned long long)st.timeouts, (unsigned long long)st.in_flight);
    close(fd);
    printf("%d checks, %d failed\n", checks, failures);
    if (failures) {
        printf("SST-TEST-RESULT: FAIL %d\n", failures);
        return 1;
    }
    printf("SST-TEST-RESULT: PASS\n");
    return 0;
}

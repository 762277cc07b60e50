/* See mmio_endpoint.h.  Linux-only: SOCK_SEQPACKET, memfd_create and SCM_RIGHTS. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "mmio_endpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SST_EP_DOORBELL 'D'
#define SST_EP_RING_FULL_WAIT_MS 2000

static int64_t now_ms(void) {
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline (deadline < 0: forever, reported as -1). */
static int remaining_ms(int64_t deadline) {
    int64_t left;

    if (deadline < 0) {
        return -1;
    }
    left = deadline - now_ms();
    return left < 0 ? 0 : (int)left;
}

static int64_t deadline_after(int timeout_ms) { return timeout_ms < 0 ? -1 : now_ms() + timeout_ms; }

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#else
    __asm__ __volatile__("" ::: "memory");
#endif
}

/*
 * Spin policy (see sst_ep_wait in mmio_endpoint.h).  Spinning pays only while the peer runs on
 * another core: with the cores oversubscribed the peer may be waiting for ours (a spinning ring
 * measured 50x slower beside two busy processes on two cores), so then a wait sleeps at once.
 */
#define SST_EP_PRESPIN_POLLS 32u       /* polls before the first clock read: the quiet fast path */
#define SST_EP_POLLS_PER_CLOCK 32u     /* a clock read (vDSO, ~25 ns) every this many polls */
#define SST_EP_LOAD_SAMPLE_NS 10000000 /* how often the machine's load is looked at */
#define SST_EP_FUTEX_SLICE_MS 100      /* a crashed peer wakes no futex: look at the socket this often */

static int64_t now_ns(void) {
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Whether the runnable tasks (this thread and its peer among them) fit on the CPUs this thread may
 * use.  /proc/loadavg's fourth field counts the runnable tasks system-wide, ourselves included.
 */
static int sample_spare_core(void) {
    cpu_set_t set;
    char buf[128];
    int cpus = 2, running = 0, fd;
    ssize_t n;

    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        cpus = CPU_COUNT(&set);
    }
    fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return cpus > 1;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0) {
        return cpus > 1;
    }
    buf[n] = '\0';
    if (sscanf(buf, "%*s %*s %*s %d/", &running) != 1) {
        return cpus > 1;
    }
    return running <= cpus;
}

/* Shared by every endpoint and thread of the process; races only make a sample a little early. */
static int64_t load_sampled_at;
static int load_spare_core = 1;

static int spare_core(int64_t now) {
    int64_t at = __atomic_load_n(&load_sampled_at, __ATOMIC_RELAXED);

    if (at == 0 || now - at >= SST_EP_LOAD_SAMPLE_NS) {
        __atomic_store_n(&load_sampled_at, now, __ATOMIC_RELAXED);
        __atomic_store_n(&load_spare_core, sample_spare_core(), __ATOMIC_RELAXED);
    }
    return __atomic_load_n(&load_spare_core, __ATOMIC_RELAXED);
}

int sst_ep_spinning_pays(void) { return spare_core(now_ns()); }

static int64_t deadline_ns(int timeout_ms) { return timeout_ms < 0 ? -1 : now_ns() + (int64_t)timeout_ms * 1000000; }

/*
 * A frame that came within what a spin may last would have been caught by spinning: spin longer
 * next time.  A later frame, or none (timeout), means the spin was wasted: spin less.
 */
static void adapt_spin(struct sst_mmio_endpoint *ep, int got_frame, int64_t waited_ns) {
    if (got_frame && waited_ns <= SST_EP_SPIN_NS_MAX) {
        ep->spin_ns = ep->spin_ns >= SST_EP_SPIN_NS_MAX / 2 ? SST_EP_SPIN_NS_MAX : 2 * ep->spin_ns;
    } else {
        ep->spin_ns = ep->spin_ns <= 2 * SST_EP_SPIN_NS_MIN ? SST_EP_SPIN_NS_MIN : ep->spin_ns / 2;
    }
}

static int endpoint_ready(struct sst_mmio_endpoint *ep) { return ep->closed || (ep->shm && !sst_ring_empty(&ep->rx)); }

/*
 * Polls the endpoints' rings up to polls times; with a clock (end_ns > 0) also until end_ns.
 * Returns the index of a ready endpoint or -1.
 */
static int spin_any(struct sst_mmio_endpoint *const *eps, int n, unsigned polls, int64_t end_ns) {
    unsigned p;
    int i;

    for (p = 0; p < polls; p++) {
        for (i = 0; i < n; i++) {
            if (endpoint_ready(eps[i])) {
                return i;
            }
        }
        if (end_ns > 0 && p % SST_EP_POLLS_PER_CLOCK == SST_EP_POLLS_PER_CLOCK - 1 && now_ns() >= end_ns) {
            break;
        }
        cpu_relax();
    }
    return -1;
}

/*
 * The spin phase of a wait: a few polls without a clock, then - when a core is spare - polls for
 * up to the largest spin_ns among the endpoints.  Sets *start_ns (0 if the first polls caught a
 * frame: nothing to adapt).  Returns the index of a ready endpoint or -1 (sleep now).
 */
static int spin_phase(struct sst_mmio_endpoint *const *eps, int n, unsigned polls, int64_t *start_ns) {
    unsigned pre = polls < SST_EP_PRESPIN_POLLS ? polls : SST_EP_PRESPIN_POLLS;
    uint32_t budget = 0;
    int i, ready;

    *start_ns = 0;
    ready = spin_any(eps, n, pre, 0);
    if (ready >= 0) {
        return ready;
    }
    *start_ns = now_ns();
    for (i = 0; i < n; i++) {
        budget = eps[i]->spin_ns > budget ? eps[i]->spin_ns : budget;
    }
    if (polls == pre || !spare_core(*start_ns)) {
        return -1;
    }
    return spin_any(eps, n, polls - pre, *start_ns + budget);
}

static long futex_op(uint32_t *word, int op, uint32_t val, const struct timespec *timeout) {
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

/* Producer side: wakes the consumer of ep's tx ring if it announced a sleep. */
static void wake_consumer(struct sst_mmio_endpoint *ep);

/*
 * Sleeps on ep's ring futex until the ring has data, the peer marks it closed (then socket_readable
 * is set: its hang-up or ERROR frame is on the socket) or deadline passes.  0 ready, 1 timeout.
 * The mark is looked at after the sleep is announced and set before the peer looks for a sleeper
 * (sst_ep_close, sst_ep_refuse), so it is never missed; a peer that crashed sets none, and its
 * hang-up is seen within a slice.  No system call but the FUTEX_WAIT itself.  A signal handler that
 * ran while it slept ends the sleep (-1, errno EINTR) if stop_on_signal is set.
 */
static int ring_sleep(struct sst_mmio_endpoint *ep, int64_t deadline_ns, int stop_on_signal) {
    int slices = 0;

    for (;;) {
        struct timespec slice;
        int64_t left = SST_EP_FUTEX_SLICE_MS * 1000000ll;
        long rc;

        if (!sst_ring_prepare_wait_on(&ep->rx, SST_RING_WAIT_FUTEX)) {
            sst_ring_cancel_wait(&ep->rx);
            return 0;
        }
        if (sst_ring_producer_closed(&ep->rx)) {
            sst_ring_cancel_wait(&ep->rx);
            ep->socket_readable = 1;
            return 0;
        }
        if (slices++ > 0) {
            struct pollfd pfd = {.fd = ep->sock, .events = POLLIN};

            if (poll(&pfd, 1, 0) > 0) {
                sst_ring_cancel_wait(&ep->rx);
                ep->socket_readable = 1;
                return 0;
            }
        }
        if (deadline_ns >= 0 && deadline_ns - now_ns() < left) {
            left = deadline_ns - now_ns();
            if (left <= 0) {
                sst_ring_cancel_wait(&ep->rx);
                return 1;
            }
        }
        slice.tv_sec = (time_t)(left / 1000000000);
        slice.tv_nsec = (long)(left % 1000000000);
        rc = futex_op(&ep->rx.ctrl->consumer_waiting, FUTEX_WAIT, SST_RING_WAIT_FUTEX, &slice);
        if (rc < 0 && errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT) {
            sst_ring_cancel_wait(&ep->rx);
            return 0; /* no futex here: the caller's doorbell loop sleeps instead */
        }
        sst_ring_cancel_wait(&ep->rx);
        if (!sst_ring_empty(&ep->rx)) {
            return 0;
        }
        if (rc < 0 && errno == EINTR && stop_on_signal) {
            return -1;
        }
    }
}

static int fail(struct sst_mmio_endpoint *ep, const char *fmt, ...) {
    va_list ap;

    if (!ep->closed) { /* keep the first reason: later ones are consequences */
        va_start(ap, fmt);
        vsnprintf(ep->error, sizeof(ep->error), fmt, ap);
        va_end(ap);
        ep->closed = 1;
    }
    return SST_EP_CLOSED;
}

static const char *type_str(const struct sst_mmio_endpoint *ep, uint32_t type) {
    return sst_frame_type_str(ep->family, type);
}

void sst_ep_init(struct sst_mmio_endpoint *ep, int sock, enum sst_ep_role role, const struct sst_frame_family *family) {
    memset(ep, 0, sizeof(*ep));
    ep->sock = sock;
    ep->role = role;
    ep->family = family;
    ep->spin_polls = SST_EP_DEFAULT_SPIN_POLLS;
    ep->spin_ns = SST_EP_SPIN_NS_MAX;
}

void sst_ep_close(struct sst_mmio_endpoint *ep) {
    /* The socket first: a peer asleep on its ring's futex wakes to find it hung up. */
    if (ep->sock >= 0) {
        close(ep->sock);
        ep->sock = -1;
    }
    if (ep->shm) {
        sst_ring_mark_closed(&ep->tx);
        wake_consumer(ep);
        munmap(ep->shm, ep->shm_size);
        ep->shm = NULL;
    }
    if (!ep->closed) {
        fail(ep, "closed locally");
    }
}

static int fill_addr(struct sockaddr_un *addr, const char *path) {
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr->sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr->sun_path, path);
    return 0;
}

int sst_ep_listen(const char *path) {
    struct sockaddr_un addr;
    int fd;

    if (fill_addr(&addr, path) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int sst_ep_accept(int listen_fd, int timeout_ms) {
    int64_t deadline = deadline_after(timeout_ms);

    for (;;) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        int rc = poll(&pfd, 1, remaining_ms(deadline));

        if (rc < 0) {
            return -1; /* EINTR included: the caller decides whether a signal ends its wait */
        }
        if (rc == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        rc = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (rc >= 0 || (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)) {
            return rc;
        }
    }
}

int sst_ep_connect(const char *path, int timeout_ms) {
    int64_t deadline = deadline_after(timeout_ms);
    struct sockaddr_un addr;

    if (fill_addr(&addr, path) < 0) {
        return -1;
    }
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        int saved;

        if (fd < 0) {
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
            return fd;
        }
        saved = errno;
        close(fd);
        /* The simulator may not have created the socket yet: retry until the deadline. */
        if ((saved != ENOENT && saved != ECONNREFUSED && saved != EINTR) || remaining_ms(deadline) == 0) {
            errno = saved;
            return -1;
        }
        usleep(10000);
    }
}

/* Sends one packet with an optional file descriptor attached. */
static int send_packet(int sock, const void *buf, size_t len, int fd_to_pass) {
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (fd_to_pass >= 0) {
        struct cmsghdr *cmsg;

        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof(control.buf);
        cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &fd_to_pass, sizeof(int));
    }
    do {
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : -1;
}

static int send_frame_on_socket(struct sst_mmio_endpoint *ep, uint32_t type, const void *payload, int fd_to_pass) {
    uint8_t buf[SST_FRAME_LIMIT];
    size_t len = sst_frame_encode(buf, ep->family, type, ep->tx_seq, payload);

    if (send_packet(ep->sock, buf, len, fd_to_pass) < 0) {
        return fail(ep, "sending %s failed: %s", type_str(ep, type), strerror(errno));
    }
    ep->tx_seq++;
    return 0;
}

static int accept_frame(struct sst_mmio_endpoint *ep, const struct sst_mmio_header *frame) {
    if (frame->seq != ep->rx_seq) {
        return fail(ep, "frame sequence broken: expected %u, got %u (%s)", ep->rx_seq, frame->seq,
                    type_str(ep, frame->type));
    }
    ep->rx_seq++;
    if (frame->type == SST_MMIO_ERROR) {
        const char *text = (const char *)(frame + 1) + offsetof(struct sst_mmio_error, text);
        return fail(ep, "peer reported an error: %s", text);
    }
    return SST_EP_FRAME;
}

/*
 * Reads one packet from the socket without blocking.  Doorbells are swallowed.  Returns
 * SST_EP_FRAME with *frame filled, SST_EP_NOTHING when no frame packet is queued, or SST_EP_CLOSED.
 */
static int read_socket(struct sst_mmio_endpoint *ep, void *frame, size_t frame_size, int *passed_fd) {
    for (;;) {
        /* Room for a frame of any family, so that one of another is refused for what it is. */
        uint8_t buf[SST_FRAME_LIMIT];
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
        union {
            struct cmsghdr align;
            char buf[CMSG_SPACE(sizeof(int))];
        } control;
        struct msghdr msg;
        struct cmsghdr *cmsg;
        size_t consumed = 0;
        ssize_t n;
        int rc;

        memset(&msg, 0, sizeof(msg));
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof(control.buf);
        n = recvmsg(ep->sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return SST_EP_NOTHING;
        }
        if (n < 0) {
            return fail(ep, "receive failed: %s", strerror(errno));
        }
        /* Descriptors first: every packet may carry some, even an empty one taken as EOF below. */
        for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
            if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
                /* One message may carry several descriptors (the control buffer has room for
                 * two): keep the first if asked for, close every other one. */
                size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                size_t i;

                for (i = 0; i < count; i++) {
                    int fd;
                    memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(fd));
                    if (passed_fd && *passed_fd < 0) {
                        *passed_fd = fd;
                    } else {
                        close(fd); /* nobody asked for it: do not leak it */
                    }
                }
            }
        }
        if (n == 0) {
            ep->hung_up = !ep->closed;
            return fail(ep, "peer closed the channel");
        }
        if (msg.msg_flags & MSG_TRUNC) {
            return fail(ep, "oversized frame (more than %u bytes)", (unsigned)SST_FRAME_LIMIT);
        }
        if (n == 1 && buf[0] == SST_EP_DOORBELL) {
            continue;
        }
        rc = sst_frame_decode(buf, (size_t)n, ep->family, frame, frame_size, &consumed);
        if (rc == SST_MMIO_NEED_MORE) {
            return fail(ep, "truncated frame (%zd bytes)", n);
        }
        if (rc != SST_MMIO_DECODED) {
            return fail(ep, "bad frame: %s", sst_mmio_decode_result_str(rc));
        }
        if (consumed != (size_t)n) {
            return fail(ep, "oversized frame: %zd bytes for a %zu-byte %s", n, consumed,
                        type_str(ep, ((const struct sst_mmio_header *)frame)->type));
        }
        return accept_frame(ep, frame);
    }
}

/* Blocks until the socket is readable (or hangs up).  0 ready, 1 timeout, -1 error. */
static int wait_socket(int sock, int64_t deadline) {
    for (;;) {
        struct pollfd pfd = {.fd = sock, .events = POLLIN};
        int rc = poll(&pfd, 1, remaining_ms(deadline));

        if (rc < 0 && errno == EINTR) {
            continue;
        }
        return rc < 0 ? -1 : rc == 0 ? 1 : 0;
    }
}

/* A frame during the handshake: a base frame, or room for one of the channel's family that came
 * out of turn (it is refused by type). */
union handshake_frame {
    struct sst_base_frame base;
    uint8_t bytes[SST_FRAME_LIMIT];
};

/* Handshake helper: the next frame on the socket, which must be of `type`. */
static int expect_socket_frame(struct sst_mmio_endpoint *ep, uint32_t type, union handshake_frame *frame,
                               int *passed_fd, int64_t deadline) {
    for (;;) {
        int rc = read_socket(ep, frame, sizeof(*frame), passed_fd);

        if (rc == SST_EP_CLOSED) {
            return -1;
        }
        if (rc == SST_EP_FRAME) {
            if (frame->base.hdr.type != type) {
                fail(ep, "expected %s during the handshake, got %s", type_str(ep, type),
                     type_str(ep, frame->base.hdr.type));
                return -1;
            }
            return 0;
        }
        rc = wait_socket(ep->sock, deadline);
        if (rc == 1) {
            fail(ep, "timed out waiting for %s", type_str(ep, type));
            return -1;
        }
        if (rc < 0) {
            fail(ep, "poll failed: %s", strerror(errno));
            return -1;
        }
    }
}

static void attach_rings(struct sst_mmio_endpoint *ep, struct sst_ring to_sim, struct sst_ring to_qemu) {
    ep->tx = ep->role == SST_EP_SIMULATOR ? to_qemu : to_sim;
    ep->rx = ep->role == SST_EP_SIMULATOR ? to_sim : to_qemu;
}

int sst_ep_recv_hello(struct sst_mmio_endpoint *ep, struct sst_mmio_hello *hello, int timeout_ms) {
    union handshake_frame frame;

    if (expect_socket_frame(ep, SST_MMIO_HELLO, &frame, NULL, deadline_after(timeout_ms)) < 0) {
        return -1;
    }
    *hello = frame.base.u.hello;
    return 0;
}

void sst_ep_refuse(struct sst_mmio_endpoint *ep, uint32_t code, const char *reason) {
    struct sst_mmio_error err;

    memset(&err, 0, sizeof(err));
    err.code = code;
    snprintf(err.text, sizeof(err.text), "%s", reason);
    send_frame_on_socket(ep, SST_MMIO_ERROR, &err, -1);
    if (ep->shm) {
        sst_ring_mark_closed(&ep->tx); /* a futex sleeper would not see the socket's frame */
        wake_consumer(ep);
    }
    fail(ep, "refused: %s", reason);
}

int sst_ep_accept_hello(struct sst_mmio_endpoint *ep, const struct sst_mmio_hello_ack *ack, uint32_t ring_capacity,
                        int timeout_ms) {
    int64_t deadline = deadline_after(timeout_ms);
    struct sst_mmio_shm_offer offer;
    union handshake_frame frame;
    struct sst_ring to_sim, to_qemu;
    uint64_t size;
    void *region;
    int memfd, rc;

    if (send_frame_on_socket(ep, SST_MMIO_HELLO_ACK, ack, -1) < 0) {
        return -1;
    }
    if (!(ack->capabilities & SST_MMIO_CAP_SHM_RING)) {
        return 0; /* the peer cannot map rings: frames stay on the socket */
    }
    if (!sst_shm_capacity_valid(ring_capacity)) {
        fail(ep, "invalid ring capacity %u", ring_capacity);
        return -1;
    }
    size = sst_shm_region_size(ring_capacity);
    memfd = memfd_create("qemu-sst-ring", MFD_CLOEXEC);
    if (memfd < 0 || ftruncate(memfd, (off_t)size) < 0) {
        fail(ep, "cannot create the shared-memory region: %s", strerror(errno));
        if (memfd >= 0) {
            close(memfd);
        }
        return -1;
    }
    region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    if (region == MAP_FAILED) {
        fail(ep, "cannot map the shared-memory region: %s", strerror(errno));
        close(memfd);
        return -1;
    }
    sst_shm_region_init(region, ring_capacity, &to_sim, &to_qemu);
    memset(&offer, 0, sizeof(offer));
    offer.region_size = size;
    offer.ring_capacity = ring_capacity;
    rc = send_frame_on_socket(ep, SST_MMIO_SHM_OFFER, &offer, memfd);
    close(memfd); /* the mapping and the peer's copy keep the memory alive */
    if (rc < 0 || expect_socket_frame(ep, SST_MMIO_SHM_READY, &frame, NULL, deadline) < 0) {
        munmap(region, size);
        return -1;
    }
    ep->shm = region;
    ep->shm_size = size;
    attach_rings(ep, to_sim, to_qemu);
    return 0;
}

int sst_ep_client_handshake(struct sst_mmio_endpoint *ep, const struct sst_mmio_hello *hello,
                            struct sst_mmio_hello_ack *ack, int timeout_ms) {
    int64_t deadline = deadline_after(timeout_ms);
    union handshake_frame frame;
    const struct sst_mmio_shm_offer *offer = &frame.base.u.shm_offer;
    struct sst_ring to_sim, to_qemu;
    struct stat st;
    void *region;
    int memfd = -1;

    if (send_frame_on_socket(ep, SST_MMIO_HELLO, hello, -1) < 0 ||
        expect_socket_frame(ep, SST_MMIO_HELLO_ACK, &frame, NULL, deadline) < 0) {
        return -1;
    }
    *ack = frame.base.u.hello_ack;
    if (!(ack->capabilities & SST_MMIO_CAP_SHM_RING)) {
        return 0;
    }
    if (expect_socket_frame(ep, SST_MMIO_SHM_OFFER, &frame, &memfd, deadline) < 0) {
        if (memfd >= 0) {
            close(memfd);
        }
        return -1;
    }
    if (memfd < 0) {
        fail(ep, "SHM_OFFER arrived without a file descriptor");
        return -1;
    }
    if (!sst_shm_capacity_valid(offer->ring_capacity) ||
        offer->region_size != sst_shm_region_size(offer->ring_capacity)) {
        close(memfd);
        fail(ep, "SHM_OFFER describes an invalid region");
        return -1;
    }
    /* Touching a shared mapping beyond the end of its file raises SIGBUS, so a descriptor shorter
     * than the region it claims to hold must be refused before the header is read. */
    if (fstat(memfd, &st) < 0 || st.st_size < 0 || (uint64_t)st.st_size < offer->region_size) {
        close(memfd);
        fail(ep, "the offered descriptor is smaller than the %llu-byte region", (unsigned long long)offer->region_size);
        return -1;
    }
    region = mmap(NULL, offer->region_size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    close(memfd);
    if (region == MAP_FAILED) {
        fail(ep, "cannot map the offered region: %s", strerror(errno));
        return -1;
    }
    if (sst_shm_region_attach(region, offer->region_size, offer->ring_capacity, &to_sim, &to_qemu) < 0) {
        munmap(region, offer->region_size);
        fail(ep, "the offered region has a bad header");
        return -1;
    }
    ep->shm = region;
    ep->shm_size = offer->region_size;
    attach_rings(ep, to_sim, to_qemu);
    return send_frame_on_socket(ep, SST_MMIO_SHM_READY, NULL, -1);
}

int sst_ep_offer_guest_ram(struct sst_mmio_endpoint *ep, const struct sst_mmio_guest_ram *ram, int fd) {
    return send_frame_on_socket(ep, SST_MMIO_GUEST_RAM, ram, fd);
}

int sst_ep_recv_guest_ram(struct sst_mmio_endpoint *ep, struct sst_mmio_guest_ram *ram, int *fd, int timeout_ms) {
    union handshake_frame frame;
    struct stat st;
    int passed = -1;

    *fd = -1;
    if (expect_socket_frame(ep, SST_MMIO_GUEST_RAM, &frame, &passed, deadline_after(timeout_ms)) < 0) {
        if (passed >= 0) {
            close(passed);
        }
        return -1;
    }
    *ram = frame.base.u.guest_ram;
    if (passed < 0) {
        return fail(ep, "GUEST_RAM arrived without a file descriptor");
    }
    /* Touching a shared mapping beyond the end of its file raises SIGBUS: refuse a short one now. */
    if (ram->size == 0 || ram->base + ram->size < ram->base || fstat(passed, &st) < 0 || st.st_size < 0 ||
        (uint64_t)st.st_size < ram->size) {
        close(passed);
        return fail(ep, "GUEST_RAM describes %llu bytes at 0x%llx that its descriptor does not hold",
                    (unsigned long long)ram->size, (unsigned long long)ram->base);
    }
    *fd = passed;
    return 0;
}

static void ring_doorbell(struct sst_mmio_endpoint *ep) {
    static const uint8_t bell = SST_EP_DOORBELL;

    /* EAGAIN means doorbells are already queued: the sleeper will wake regardless. */
    send(ep->sock, &bell, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void wake_consumer(struct sst_mmio_endpoint *ep) {
    switch (sst_ring_take_waiter(&ep->tx)) {
    case SST_RING_WAIT_DOORBELL:
        if (ep->sock >= 0) {
            ring_doorbell(ep);
        }
        break;
    case SST_RING_WAIT_FUTEX: futex_op(&ep->tx.ctrl->consumer_waiting, FUTEX_WAKE, INT_MAX, NULL); break;
    default: break;
    }
}

int sst_ep_send(struct sst_mmio_endpoint *ep, uint32_t type, const void *payload) {
    uint8_t buf[SST_FRAME_LIMIT];
    int64_t deadline = -1;
    size_t len;

    if (ep->closed) {
        return -1;
    }
    if (!ep->shm) {
        return send_frame_on_socket(ep, type, payload, -1);
    }
    len = sst_frame_encode(buf, ep->family, type, ep->tx_seq, payload);
    if (len > ep->tx.capacity) {
        fail(ep, "a %zu-byte %s frame cannot fit a %u-byte ring", len, type_str(ep, type), ep->tx.capacity);
        return -1;
    }
    while (sst_ring_push(&ep->tx, buf, (uint32_t)len) < 0) {
        /* Full: the consumer is behind.  Wait a bounded time rather than drop a frame. */
        if (deadline < 0) {
            deadline = now_ms() + SST_EP_RING_FULL_WAIT_MS;
        } else if (now_ms() > deadline) {
            fail(ep, "ring full for %d ms: the peer stopped consuming", SST_EP_RING_FULL_WAIT_MS);
            return -1;
        }
        usleep(50);
    }
    ep->tx_seq++;
    wake_consumer(ep);
    return 0;
}

static int poll_ring(struct sst_mmio_endpoint *ep, void *frame, size_t frame_size) {
    int rc = sst_ring_pop(&ep->rx, ep->family, frame, frame_size);

    if (rc == SST_MMIO_NEED_MORE) {
        return SST_EP_NOTHING;
    }
    if (rc != SST_MMIO_DECODED) {
        return fail(ep, "corrupt frame in the shared ring: %s", sst_mmio_decode_result_str(rc));
    }
    return accept_frame(ep, frame);
}

int sst_ep_poll_into(struct sst_mmio_endpoint *ep, void *frame, size_t frame_size) {
    int rc;

    if (ep->closed) {
        return SST_EP_CLOSED;
    }
    if (!ep->shm) {
        return read_socket(ep, frame, frame_size, NULL);
    }
    rc = poll_ring(ep, frame, frame_size);
    if (rc != SST_EP_NOTHING) {
        return rc;
    }
    /* Only look at the socket when a wait saw it readable: an empty poll must cost no syscall. */
    if (!ep->socket_readable) {
        return SST_EP_NOTHING;
    }
    ep->socket_readable = 0;
    return read_socket(ep, frame, frame_size, NULL);
}

int sst_ep_wait_into(struct sst_mmio_endpoint *ep, void *frame, size_t frame_size, int timeout_ms) {
    int64_t deadline = deadline_after(timeout_ms);
    int64_t start;
    int rc;

    if (ep->closed) {
        return SST_EP_CLOSED;
    }
    if (ep->shm) {
        rc = spin_phase(&ep, 1, ep->spin_polls, &start) >= 0 ? 0 : ring_sleep(ep, deadline_ns(timeout_ms), 0);
        if (start) {
            adapt_spin(ep, rc == 0, now_ns() - start);
        }
        if (rc == 1) {
            return SST_EP_NOTHING;
        }
    }
    for (;;) {
        int sleep;

        rc = sst_ep_poll_into(ep, frame, frame_size);
        if (rc != SST_EP_NOTHING) {
            return rc;
        }
        sleep = !ep->shm || sst_ring_prepare_wait(&ep->rx);
        if (sleep) {
            rc = wait_socket(ep->sock, deadline);
            ep->socket_readable = rc == 0;
        }
        if (ep->shm) {
            sst_ring_cancel_wait(&ep->rx);
        }
        if (sleep && rc == 1) {
            return SST_EP_NOTHING;
        }
        if (sleep && rc < 0) {
            return fail(ep, "poll failed: %s", strerror(errno));
        }
    }
}

static int sleep_any(struct sst_mmio_endpoint *const *eps, int n, int timeout_ms);

int sst_ep_wait_any(struct sst_mmio_endpoint *const *eps, int n, unsigned spin_polls, int timeout_ms) {
    int64_t start;
    int ready, i;

    if (n <= 0) {
        return -1;
    }
    ready = spin_phase(eps, n, spin_polls, &start);
    if (ready < 0 && n == 1 && eps[0]->shm) {
        /* One channel: its futex, which costs less per wake-up than poll() and a doorbell. */
        const int rc = ring_sleep(eps[0], deadline_ns(timeout_ms), 1);

        ready = rc == 0 ? 0 : -1;
        if (rc == 1) {
            errno = ETIMEDOUT;
        }
    } else if (ready < 0) {
        ready = sleep_any(eps, n, timeout_ms);
    }
    if (start) {
        const int64_t waited = now_ns() - start;

        for (i = 0; i < n; i++) { /* a quick answer teaches its own channel; a slow one all */
            if (i == ready || ready < 0 || waited > SST_EP_SPIN_NS_MAX) {
                adapt_spin(eps[i], i == ready, waited);
            }
        }
    }
    return ready;
}

void sst_ep_sleep(struct sst_mmio_endpoint *ep, int64_t timeout_ns) {
    if (!ep->closed && ep->shm) {
        ring_sleep(ep, now_ns() + (timeout_ns > 0 ? timeout_ns : 0), 0);
    }
}

/* Sleeps on every endpoint's socket at once (the doorbells), without spinning. */
static int sleep_any(struct sst_mmio_endpoint *const *eps, int n, int timeout_ms) {
    int64_t deadline = deadline_after(timeout_ms);
    struct pollfd pfds[64];
    int i;

    if (n <= 0 || n > (int)(sizeof(pfds) / sizeof(pfds[0]))) {
        return -1;
    }
    for (;;) {
        int ready = -1, rc;

        for (i = 0; i < n; i++) {
            pfds[i].fd = eps[i]->sock;
            pfds[i].events = POLLIN;
            pfds[i].revents = 0;
            if (eps[i]->closed || (eps[i]->shm && !sst_ring_prepare_wait(&eps[i]->rx))) {
                ready = i;
            }
        }
        rc = ready >= 0 ? 0 : poll(pfds, (nfds_t)n, remaining_ms(deadline));
        for (i = 0; i < n; i++) {
            if (eps[i]->shm) {
                sst_ring_cancel_wait(&eps[i]->rx);
            }
        }
        if (ready >= 0) {
            return ready;
        }
        if (rc < 0) {
            return -1; /* EINTR included: the caller decides whether a signal ends its wait */
        }
        if (rc == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        /* Mark every readable socket, not just the first: a channel whose socket is never looked
         * at while another stays busy would hide its frames (and its protocol errors) for good. */
        ready = -1;
        for (i = 0; i < n; i++) {
            if (pfds[i].revents) {
                eps[i]->socket_readable = 1; /* a doorbell, a frame or a hang-up: sst_ep_poll sorts it out */
                if (ready < 0) {
                    ready = i;
                }
            }
        }
        if (ready >= 0) {
            return ready;
        }
    }
}

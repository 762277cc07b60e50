/*
 * fake_sim: a stand-in for the simulator side, to test QEMU's sst-device without the engine.
 *
 * It launches QEMU the way the bridge (elements/qemubinary) does, serves the two windows of
 * configs/test_2device_integration.py with the same transport code (transport/mmio_endpoint.c),
 * and checks that QEMU follows the time protocol of include/qemu-sst/channel_protocol.h:
 *
 *   echo_device    at 0x10200000 and compute_device at 0x10300000, served by the models the SST
 *                  components run (elements/devices, through tests/qemu/fake_device.h) with the
 *                  config's parameters; a response comes --echo-latency-ns (default 12: the
 *                  model's 10 cycles plus 2 ns of links, as the guest programs' known_configs.h
 *                  expects) or --compute-latency-ns (default 3) after its access, and a completed
 *                  compute operation raises the interrupt line when IRQ_ENABLE is set
 *
 * Deterministic mode grants --quantum-ns at a time, but never past a model's next step plus the
 * 1 ns interrupt link (so a completion interrupt reaches the guest at its own time, as on the
 * embedded engine), and lowers the horizon with a RESPONSE whose access started such a step.  It
 * counts as a PROTOCOL VIOLATION:
 *   - an access stamped at or past the granted horizon;
 *   - a SYNC before the horizon (other than the start-up SYNC(0));
 *   - a frame older than an earlier one (SYNC promises nothing older follows);
 *   - a frame older than the previous access's guest time plus the latency it was answered with
 *     (the modelled latency must be added to the guest clock);
 *   - SYNC on a channel that does not carry time, or an unexpected frame type.
 * Every frame QEMU sends, and every IRQ sent to QEMU, is logged to --trace (type, device, offset,
 * size, data, guest time) so that two runs can be compared byte for byte.
 *
 * Fault injection: --die-at N closes every channel instead of answering the N-th access, as a
 * crashed simulator would, then waits (at most --wait-s seconds) for QEMU to end on its own.
 * Window and interrupt options for QEMU's own checks: --base DEV=ADDR, --irq DEV=N.
 *
 *   fake_sim [options] -- QEMU PROGRAM.elf [extra QEMU args]
 * Exit status: QEMU's (128 + signal if it was killed), 3 when QEMU broke the protocol, 4 when QEMU
 * did not end within --wait-s after the channels closed, 2 on setup errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_device.h"
#include "mmio_endpoint.h"
#include "qemu-sst/mmio_protocol.h"

#define NDEV 2
#define PS_PER_NS 1000ull

struct device {
    const char *name;
    const char *kind;          /* a device kind's name (include/qemu-sst descriptors) */
    const char *const *params; /* its model's parameters: key, value, ..., NULL */
    uint64_t base;
    unsigned irq; /* 0: let QEMU pick */
    uint64_t latency_ps;
    char path[256];
    int listen_fd;
    struct sst_mmio_endpoint ep;
    int open;
    struct fake_device *model;
};

static struct device devs[NDEV] = {
    {.name = "echo_device",
     .kind = "echo",
     .params = (const char *const[]){"latency", "10", NULL},
     .base = 0x10200000,
     .latency_ps = 12 * PS_PER_NS},
    {.name = "compute_device", .kind = "compute", .params = NULL, .base = 0x10300000, .latency_ps = 3 * PS_PER_NS},
};

static int deterministic = 1;
static int pass_icount = 1; /* --no-icount: ask for deterministic time from a QEMU without -icount */
static uint64_t quantum_ps = 1000 * PS_PER_NS;
static long die_at = -1;
static int wait_s = 20;
static FILE *trace;
static struct device *master;
static uint64_t now_ps; /* simulated time */
static uint64_t horizon_ps;
static uint64_t last_vtime_ps; /* latest guest time QEMU reported */
static uint64_t min_next_ps;   /* the guest clock after the last access: vtime + its latency */
static long accesses;
static long syncs;
static pid_t qemu_pid;
static int violations;

static char sock_dir[] = "/tmp/fake-sim-XXXXXX";

static void remove_sockets(void) {
    for (int i = 0; i < NDEV; i++) {
        if (devs[i].path[0]) {
            unlink(devs[i].path);
        }
    }
    rmdir(sock_dir);
}

static void die(const char *msg) {
    fprintf(stderr, "fake_sim: %s\n", msg);
    if (qemu_pid > 0) {
        kill(qemu_pid, SIGKILL);
        waitpid(qemu_pid, NULL, 0);
    }
    remove_sockets();
    exit(2);
}

static void violation(const char *fmt, ...) {
    va_list ap;

    fprintf(stderr, "fake_sim: PROTOCOL VIOLATION: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    violations++;
}

static void send_frame(struct device *d, uint32_t type, const void *payload) {
    if (d->open && sst_ep_send(&d->ep, type, payload) < 0) {
        fprintf(stderr, "fake_sim: %s: %s\n", d->name, d->ep.error);
        d->open = 0;
    }
}

#define IRQ_LINK_PS PS_PER_NS /* the configs link interrupts with 1 ns */

static void set_irq(struct device *d, int level, uint64_t at_ps) {
    struct sst_mmio_irq irq = {.line = 0, .level = (uint32_t)level, .vtime_ps = at_ps};

    fprintf(trace, "IRQ %s level=%d vtime=%" PRIu64 "\n", d->name, level, at_ps);
    send_frame(d, SST_MMIO_IRQ, &irq);
}

/* A model changed its interrupt line at `cycle` of its 1 GHz clock. */
static void model_irq(void *ctx, int level, uint64_t cycle) { set_irq(ctx, level, cycle * PS_PER_NS + IRQ_LINK_PS); }

/* --- time -------------------------------------------------------------------------------------- */

/* Simulated time moves on to t; operations that end by then complete (and interrupt). */
static void advance_to(uint64_t t) {
    if (t > now_ps) {
        now_ps = t;
    }
    for (int i = 0; i < NDEV; i++) {
        fake_device_advance(devs[i].model, now_ps / PS_PER_NS);
    }
}

/* When the next model step's interrupt could reach QEMU: its cycle plus the link, or UINT64_MAX. */
static uint64_t next_step_ps(void) {
    uint64_t best = UINT64_MAX, cycle;

    for (int i = 0; i < NDEV; i++) {
        if (fake_device_next_due(devs[i].model, &cycle) && cycle * PS_PER_NS + IRQ_LINK_PS < best) {
            best = cycle * PS_PER_NS + IRQ_LINK_PS;
        }
    }
    return best;
}

static void grant(void) {
    struct sst_mmio_grant g;
    const uint64_t step = next_step_ps();

    horizon_ps = now_ps + quantum_ps;
    if (step > now_ps && step < horizon_ps) {
        horizon_ps = step;
    }
    g.horizon_ps = horizon_ps;
    send_frame(master, SST_MMIO_GRANT, &g);
}

/* Checks shared by every timed frame QEMU sends (deterministic mode). */
static void check_frame_time(const char *what, uint64_t vtime_ps) {
    if (vtime_ps < last_vtime_ps) {
        violation("%s at %" PRIu64 " ps is older than an earlier frame (%" PRIu64 " ps)", what, vtime_ps,
                  last_vtime_ps);
    }
    if (vtime_ps < min_next_ps) {
        violation("%s at %" PRIu64 " ps, but the previous access's latency took the guest to %" PRIu64 " ps", what,
                  vtime_ps, min_next_ps);
    }
    if (vtime_ps > last_vtime_ps) {
        last_vtime_ps = vtime_ps;
    }
}

static void close_all(void) {
    for (int k = 0; k < NDEV; k++) {
        sst_ep_close(&devs[k].ep);
        devs[k].open = 0;
    }
}

static void handle_access(struct device *d, const struct sst_mmio_access *a, int write) {
    struct sst_mmio_response resp = {.id = a->id, .latency_ps = d->latency_ps};
    uint64_t at, model_cycles;

    if (++accesses == die_at) {
        /* As a crashed simulator would: QEMU sees the hang-up while it waits for this answer. */
        fprintf(stderr, "fake_sim: closing every channel at access %ld, as asked\n", accesses);
        close_all();
        return;
    }
    if (deterministic) {
        check_frame_time(write ? "WRITE" : "READ", a->vtime_ps);
        if (a->vtime_ps >= horizon_ps) {
            violation("access at %" PRIu64 " ps, at or past the granted horizon %" PRIu64 " ps", a->vtime_ps,
                      horizon_ps);
        }
    }
    at = deterministic && a->vtime_ps > now_ps ? a->vtime_ps : now_ps;
    advance_to(at);
    resp.status = fake_device_access(d->model, write, a->offset, a->size, a->data, &resp.data, &model_cycles);
    /* The configured latency is the model's cycles plus the links': never less than the model's. */
    if (resp.latency_ps < model_cycles * PS_PER_NS) {
        resp.latency_ps = model_cycles * PS_PER_NS;
    }
    if (deterministic) {
        /* The guest clock moves on by the latency.  A faulting access's instruction does not retire,
         * so under -icount its own instruction (1 ns at shift 0), counted in vtime, is taken back. */
        min_next_ps = a->vtime_ps + resp.latency_ps - (resp.status == SST_MMIO_OK ? 0 : PS_PER_NS);
    }
    advance_to(at + resp.latency_ps);
    if (deterministic) {
        const uint64_t step = next_step_ps();
        if (step < horizon_ps) { /* the access started a step before the horizon: stop the guest there */
            horizon_ps = step > now_ps ? step : now_ps;
            resp.horizon_ps = horizon_ps;
        }
    }
    send_frame(d, SST_MMIO_RESPONSE, &resp);
}

static void handle_frame(struct device *d, const struct sst_mmio_frame *f) {
    switch (f->hdr.type) {
    case SST_MMIO_READ:
    case SST_MMIO_WRITE:
        fprintf(trace, "%s %s off=0x%" PRIx64 " size=%u data=0x%" PRIx64 " vtime=%" PRIu64 "\n",
                sst_mmio_type_str(f->hdr.type), d->name, f->u.access.offset, f->u.access.size, f->u.access.data,
                f->u.access.vtime_ps);
        handle_access(d, &f->u.access, f->hdr.type == SST_MMIO_WRITE);
        break;
    case SST_MMIO_SYNC:
        fprintf(trace, "SYNC %s vtime=%" PRIu64 " flags=%u\n", d->name, f->u.sync.vtime_ps, f->u.sync.flags);
        syncs++;
        if (d != master) {
            violation("SYNC on %s, a channel that does not carry time", d->name);
        }
        if (deterministic) {
            check_frame_time("SYNC", f->u.sync.vtime_ps);
            /* Only the start-up SYNC(0) may come before the horizon. */
            if (f->u.sync.vtime_ps < horizon_ps && f->u.sync.vtime_ps != 0) {
                violation("SYNC at %" PRIu64 " ps, before the horizon %" PRIu64 " ps", f->u.sync.vtime_ps, horizon_ps);
            }
        }
        advance_to(f->u.sync.vtime_ps);
        if (deterministic && f->u.sync.vtime_ps >= horizon_ps) {
            grant();
        }
        break;
    case SST_MMIO_GOODBYE:
        /* Not traced: the order in which two channels' GOODBYEs are read here is ours, not QEMU's. */
        break;
    default: violation("unexpected frame type %u from QEMU on %s", f->hdr.type, d->name);
    }
}

/* --- QEMU -------------------------------------------------------------------------------------- */

static void launch_qemu(char **qemu_argv, int qemu_argc) {
    char *argv[96];
    char dev_args[NDEV][512];
    int n = 0;

    argv[n++] = qemu_argv[0];
    argv[n++] = "-M";
    argv[n++] = "virt";
    argv[n++] = "-m";
    argv[n++] = "128M";
    argv[n++] = "-bios";
    argv[n++] = "none";
    argv[n++] = "-nographic";
    argv[n++] = "-kernel";
    argv[n++] = qemu_argv[1];
    if (deterministic && pass_icount) {
        argv[n++] = "-icount";
        argv[n++] = "shift=0,sleep=off";
    }
    for (int i = 0; i < NDEV; i++) {
        char irq[32] = "";
        if (devs[i].irq) {
            snprintf(irq, sizeof(irq), ",irq=%u", devs[i].irq);
        }
        snprintf(devs[i].path, sizeof(devs[i].path), "%s/device%d.sock", sock_dir, i);
        snprintf(dev_args[i], sizeof(dev_args[i]),
                 "sst-device,id=%s,socket=%s,base_address=0x%" PRIx64 ",size=0x1000,connect_timeout_ms=5000%s",
                 devs[i].name, devs[i].path, devs[i].base, irq);
        argv[n++] = "-device";
        argv[n++] = dev_args[i];
    }
    for (int i = 2; i < qemu_argc && n < 95; i++) {
        argv[n++] = qemu_argv[i];
    }
    argv[n] = NULL;
    for (int i = 0; i < NDEV; i++) {
        if ((devs[i].listen_fd = sst_ep_listen(devs[i].path)) < 0) {
            die("cannot listen");
        }
    }
    qemu_pid = fork();
    if (qemu_pid < 0) {
        die("fork failed");
    }
    if (qemu_pid == 0) {
        execv(argv[0], argv);
        perror("fake_sim: exec qemu");
        _exit(127);
    }
}

static int exit_status_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

static void connect_devices(void) {
    for (int i = 0; i < NDEV; i++) {
        struct device *d = &devs[i];
        struct sst_mmio_hello hello;
        struct sst_mmio_hello_ack ack = {0};
        int fd = -1, status;

        for (int tries = 0; fd < 0 && tries < 100; tries++) {
            fd = sst_ep_accept(d->listen_fd, 100);
            if (fd < 0 && waitpid(qemu_pid, &status, WNOHANG) == qemu_pid) {
                /* QEMU gave up during start-up (it refused its options or our HELLO_ACK). */
                fprintf(stderr, "fake_sim: QEMU ended before %s connected\n", d->name);
                qemu_pid = 0;
                remove_sockets();
                exit(exit_status_of(status));
            }
        }
        if (fd < 0) {
            die("QEMU did not connect within 10 s");
        }
        sst_ep_init(&d->ep, fd, SST_EP_SIMULATOR, sst_mmio_family());
        if (sst_ep_recv_hello(&d->ep, &hello, 5000) < 0) {
            die(d->ep.error);
        }
        if (hello.base_address != d->base || hello.size != 0x1000 || strcmp(hello.name, d->name)) {
            die("HELLO announces the wrong window or name");
        }
        if (i == 0 && !(hello.capabilities & SST_MMIO_CAP_TIME_SYNC)) {
            die("the first device did not offer TIME_SYNC");
        }
        if (i > 0 && (hello.capabilities & SST_MMIO_CAP_TIME_SYNC)) {
            die("a second device offered TIME_SYNC");
        }
        ack.capabilities = hello.capabilities & SST_MMIO_CAP_ALL & ~SST_MMIO_CAP_GUEST_RAM; /* it serves no DMA */
        ack.time_mode = deterministic ? SST_MMIO_TIME_DETERMINISTIC : SST_MMIO_TIME_FAST;
        ack.quantum_ps = quantum_ps;
        if (sst_ep_accept_hello(&d->ep, &ack, SST_SHM_DEFAULT_CAPACITY, 5000) < 0) {
            /* QEMU may refuse the ACK (e.g. deterministic time without -icount) and exit: its status. */
            fprintf(stderr, "fake_sim: %s: %s\n", d->name, d->ep.error);
            if (waitpid(qemu_pid, &status, 0) == qemu_pid) {
                qemu_pid = 0;
                remove_sockets();
                exit(exit_status_of(status));
            }
            die("handshake failed");
        }
        close(d->listen_fd);
        d->open = 1;
        if (ack.capabilities & SST_MMIO_CAP_TIME_SYNC) {
            master = d;
        }
    }
}

static int parse_dev_option(const char *arg, uint64_t *value) {
    char *end;
    long dev = strtol(arg, &end, 0);

    if (*end != '=' || dev < 0 || dev >= NDEV) {
        die("--base/--irq take DEV=VALUE with DEV 0 or 1");
    }
    *value = strtoull(end + 1, NULL, 0);
    return (int)dev;
}

int main(int argc, char **argv) {
    const char *trace_path = "/dev/null";
    int status = 0, i;
    uint64_t v;

    for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const int more = i + 1 < argc;
        if (!strcmp(argv[i], "--fast"))
            deterministic = 0;
        else if (!strcmp(argv[i], "--no-icount"))
            pass_icount = 0;
        else if (!strcmp(argv[i], "--quantum-ns") && more)
            quantum_ps = strtoull(argv[++i], 0, 0) * PS_PER_NS;
        else if (!strcmp(argv[i], "--echo-latency-ns") && more)
            devs[0].latency_ps = strtoull(argv[++i], 0, 0) * PS_PER_NS;
        else if (!strcmp(argv[i], "--compute-latency-ns") && more)
            devs[1].latency_ps = strtoull(argv[++i], 0, 0) * PS_PER_NS;
        else if (!strcmp(argv[i], "--die-at") && more)
            die_at = strtol(argv[++i], 0, 0);
        else if (!strcmp(argv[i], "--wait-s") && more)
            wait_s = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--trace") && more)
            trace_path = argv[++i];
        else if (!strcmp(argv[i], "--base") && more) {
            int d = parse_dev_option(argv[++i], &v);
            devs[d].base = v;
        } else if (!strcmp(argv[i], "--irq") && more) {
            int d = parse_dev_option(argv[++i], &v);
            devs[d].irq = (unsigned)v;
        } else
            die("usage: fake_sim [--fast] [--no-icount] [--quantum-ns N] [--echo-latency-ns N] "
                "[--compute-latency-ns N] [--die-at N] [--wait-s S] [--trace FILE] [--base DEV=ADDR] "
                "[--irq DEV=N] -- QEMU PROGRAM [qemu args]");
    }
    if (argc - i < 3) {
        die("need -- QEMU PROGRAM");
    }
    if (quantum_ps == 0) {
        die("--quantum-ns must be positive");
    }
    signal(SIGPIPE, SIG_IGN);
    if (!(trace = fopen(trace_path, "w")) || !mkdtemp(sock_dir)) {
        die("cannot create the trace file or the socket directory");
    }
    for (int k = 0; k < NDEV; k++) {
        char err[256];
        if (!(devs[k].model = fake_device_new(devs[k].kind, devs[k].params, model_irq, &devs[k], err, sizeof(err)))) {
            die(err);
        }
    }
    launch_qemu(argv + i + 1, argc - i - 1);
    connect_devices();
    remove_sockets();
    if (deterministic) {
        grant();
    }
    for (;;) {
        struct sst_mmio_endpoint *eps[NDEV];
        struct device *which[NDEV];
        int n = 0, rc;

        for (int k = 0; k < NDEV; k++) {
            if (devs[k].open) {
                eps[n] = &devs[k].ep;
                which[n++] = &devs[k];
            }
        }
        if (!n) {
            break;
        }
        rc = sst_ep_wait_any(eps, n, SST_EP_DEFAULT_SPIN_POLLS, 30000);
        if (rc < 0) {
            die("QEMU silent for 30 s");
        }
        for (int k = 0; k < n; k++) {
            struct sst_mmio_frame f;
            int r = SST_EP_NOTHING;

            while (which[k]->open && (r = sst_ep_poll(eps[k], &f)) == SST_EP_FRAME) {
                handle_frame(which[k], &f);
            }
            if (which[k]->open && r == SST_EP_CLOSED) {
                which[k]->open = 0;
            }
        }
    }
    /* Every channel is closed: QEMU must end on its own. */
    {
        const time_t deadline = time(NULL) + wait_s;
        pid_t r;
        while ((r = waitpid(qemu_pid, &status, WNOHANG)) == 0 && time(NULL) < deadline) {
            const struct timespec ten_ms = {0, 10000000};
            nanosleep(&ten_ms, NULL);
        }
        if (r != qemu_pid) {
            fprintf(stderr, "fake_sim: QEMU still running %d s after every channel closed: killing it\n", wait_s);
            kill(qemu_pid, SIGKILL);
            waitpid(qemu_pid, NULL, 0);
            return 4;
        }
    }
    fprintf(trace, "END accesses=%ld syncs=%ld\n", accesses, syncs);
    fclose(trace);
    fprintf(stderr, "fake_sim: %ld accesses, %ld SYNCs, QEMU exit status %d\n", accesses, syncs,
            exit_status_of(status));
    if (violations) {
        fprintf(stderr, "fake_sim: %d protocol violation(s)\n", violations);
        return 3;
    }
    return exit_status_of(status);
}

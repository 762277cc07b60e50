/*
 * qemu-sst: a device's channel to the SST simulation, shared by sst-device and
 * virtio-sst-device (see sst-channel.h).
 *
 * Frames that arrive while nobody blocks on the channel are picked up by a main-loop handler on
 * the socket: before returning to the main loop each channel announces that its consumer may
 * sleep (sst_ring_prepare_wait), which makes the simulator ring the socket's doorbell.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "sysemu/sysemu.h"
#include "sst-channel.h"
#include "trace.h"

static QTAILQ_HEAD(, SstChannel) sst_channels = QTAILQ_HEAD_INITIALIZER(sst_channels);

void sst_channel_init(SstChannel *ch, const char *kind, DeviceState *dev, void *opaque,
                      const struct sst_frame_family *family, void *frame, size_t frame_size,
                      SstChannelFrameFn handle_frame, SstChannelEndFn on_end) {
    memset(ch, 0, sizeof(*ch));
    ch->kind = kind;
    ch->dev = dev;
    ch->opaque = opaque;
    ch->family = family;
    ch->frame = frame;
    ch->frame_size = frame_size;
    ch->handle_frame = handle_frame;
    ch->on_end = on_end;
    ch->dead = true; /* until connected */
    sst_ep_init(&ch->ep, -1, SST_EP_QEMU, family);
}

const char *sst_channel_name(SstChannel *ch) { return ch->dev->id ? ch->dev->id : ch->kind; }

static void sst_channel_close(SstChannel *ch, bool orderly) {
    ch->dead = true;
    if (ch->fd_handler_set) {
        qemu_set_fd_handler(ch->ep.sock, NULL, NULL, NULL);
        ch->fd_handler_set = false;
    }
    sst_time_channel_lost(ch, orderly);
    sst_ep_close(&ch->ep);
}

/* The channel ends; the first reason is reported (later ones are consequences). */
static void sst_channel_end(SstChannel *ch, bool orderly, const char *why) {
    if (ch->dead) {
        return;
    }
    ch->dead = true; /* before on_end, which may try to send */
    trace_sst_channel_ended(ch->kind, sst_channel_name(ch), orderly, why);
    ch->on_end(ch->opaque, orderly, why);
    sst_channel_close(ch, orderly);
}

void sst_channel_fail(SstChannel *ch, const char *fmt, ...) {
    g_autofree char *why = NULL;
    va_list ap;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    sst_channel_end(ch, false, why);
}

/* The frame just taken: base frames are the channel's, the rest its device's. */
static void sst_channel_handle_frame(SstChannel *ch) {
    const struct sst_mmio_header *f = ch->frame;
    const void *payload = f + 1;
    struct sst_mmio_grant grant;
    struct sst_mmio_goodbye bye;

    switch (f->type) {
    case SST_MMIO_GRANT:
        memcpy(&grant, payload, sizeof(grant));
        sst_time_grant(ch, grant.horizon_ps);
        return;
    case SST_MMIO_GOODBYE:
        memcpy(&bye, payload, sizeof(bye));
        if (bye.reason == SST_MMIO_BYE_SIM_END) {
            sst_channel_end(ch, true, "the simulation has ended");
        } else {
            sst_channel_fail(ch, "the simulator said GOODBYE (reason %u)", bye.reason);
        }
        return;
    default: ch->handle_frame(ch->opaque, f);
    }
}

/* Handles every frame already waiting, without blocking; then tells the device, which can act
 * on them all at once (one interrupt for many completions). */
static void sst_channel_drain(SstChannel *ch) {
    bool any = false;
    int rc;

    while (!ch->dead && (rc = sst_ep_poll_into(&ch->ep, ch->frame, ch->frame_size)) != SST_EP_NOTHING) {
        if (rc == SST_EP_FRAME) {
            sst_channel_handle_frame(ch);
            any = true;
        } else {
            sst_channel_fail(ch, "%s", ch->ep.error);
        }
    }
    if (any && ch->on_drained) {
        ch->on_drained(ch->opaque);
    }
}

/*
 * Leaves ch with an empty ring and its consumer_waiting flag set, so that the next frame the
 * simulator publishes comes with a doorbell on the socket for the main-loop handler.  Checking
 * the ring after setting the flag (sst_ring_prepare_wait) closes the race with a frame published
 * just before.
 */
static void sst_channel_rearm(SstChannel *ch) {
    for (;;) {
        sst_channel_drain(ch);
        if (ch->dead || !ch->ep.shm || sst_ring_prepare_wait(&ch->ep.rx)) {
            return;
        }
        sst_ring_cancel_wait(&ch->ep.rx);
    }
}

void sst_channel_drain_all(void) {
    SstChannel *ch;

    QTAILQ_FOREACH(ch, &sst_channels, next) { sst_channel_rearm(ch); }
}

void sst_channel_synced_all(uint64_t now_ps) {
    SstChannel *ch, *tmp;

    QTAILQ_FOREACH_SAFE(ch, &sst_channels, next, tmp) {
        if (ch->on_sync) {
            ch->on_sync(ch->opaque, now_ps);
        }
    }
}

/* Main loop: the socket is readable (a doorbell, a frame on a ring-less channel, or hang-up). */
static void sst_channel_fd_read(void *opaque) {
    SstChannel *ch = opaque;

    ch->ep.socket_readable = 1; /* lets sst_ep_poll read the socket once the ring is empty */
    sst_channel_rearm(ch);
}

bool sst_channel_send(SstChannel *ch, uint32_t type, const void *payload) {
    if (ch->dead) {
        return false;
    }
    if (sst_ep_send(&ch->ep, type, payload) < 0) {
        sst_channel_fail(ch, "%s", ch->ep.error);
        return false;
    }
    return true;
}

bool sst_channel_request(SstChannel *ch, uint32_t type, const void *payload) {
    /*
     * The answer is about to be awaited actively (spinning first): clear the flag the main loop
     * left, or the simulator would pay a doorbell system call for it and wake the main loop.
     */
    if (!ch->dead && ch->ep.shm) {
        sst_ring_cancel_wait(&ch->ep.rx);
    }
    return sst_channel_send(ch, type, payload);
}

bool sst_channel_wait(SstChannel *ch, const bool *done) {
    while (!*done && !ch->dead) {
        /* Spins, then sleeps on the socket; returns SST_EP_CLOSED when the peer hangs up. */
        int rc = sst_ep_wait_into(&ch->ep, ch->frame, ch->frame_size, -1);

        if (rc == SST_EP_FRAME) {
            sst_channel_handle_frame(ch);
            if (ch->on_drained) {
                ch->on_drained(ch->opaque);
            }
        } else if (rc == SST_EP_CLOSED) {
            sst_channel_fail(ch, "%s", ch->ep.error);
        }
    }
    return *done;
}

bool sst_channel_spin(SstChannel *ch, bool (*done)(void *opaque), void *opaque, int64_t budget_ns) {
    const int64_t deadline = get_clock() + budget_ns;
    const bool spin = sst_ep_spinning_pays(); /* a recent sample: no system call */
    unsigned polls = 0;

    /* Answers come by the ring while we look: no doorbell for them, no main-loop wake-up. */
    if (!ch->dead && ch->ep.shm) {
        sst_ring_cancel_wait(&ch->ep.rx);
    }
    for (;;) {
        int64_t left;

        sst_channel_drain(ch);
        if (ch->dead || done(opaque)) {
            break;
        }
        if (spin) {
            if ((++polls & 63) == 0 && get_clock() >= deadline) {
                break;
            }
            continue;
        }
        /* No spare core: spinning would only keep the simulator from answering. */
        left = deadline - get_clock();
        if (left <= 0) {
            break;
        }
        sst_ep_sleep(&ch->ep, left);
    }
    /* Later frames must reach the main loop again. */
    sst_channel_rearm(ch);
    return !ch->dead && done(opaque);
}

/* The descriptor of the guest's RAM if it lives in one (-machine memory-backend= a shared memfd),
 * else -1: then the simulator's devices have no DMA. */
static int sst_channel_ram_fd(void) {
    MemoryRegion *ram = current_machine ? current_machine->ram : NULL;

    return ram ? memory_region_get_fd(ram) : -1;
}

/* Hands the guest's RAM to the simulator (its HELLO_ACK kept SST_MMIO_CAP_GUEST_RAM). */
static bool sst_channel_offer_ram(SstChannel *ch, Error **errp) {
    MemoryRegion *ram = current_machine->ram;
    const struct sst_mmio_guest_ram offer = {.base = ram->addr, .size = memory_region_size(ram)};

    if (sst_ep_offer_guest_ram(&ch->ep, &offer, sst_channel_ram_fd()) < 0) {
        error_setg(errp, "%s %s: cannot hand guest RAM to the simulator: %s", ch->kind, sst_channel_name(ch),
                   ch->ep.error);
        return false;
    }
    return true;
}

/* Handshakes on fd, connected to socket, waiting up to handshake_ms; the channel takes fd. */
static bool sst_channel_open(SstChannel *ch, int fd, const char *socket, uint32_t handshake_ms, uint32_t capabilities,
                             uint64_t base_address, uint64_t size, Error **errp) {
    struct sst_mmio_hello hello = {0};
    struct sst_mmio_hello_ack ack;

    sst_ep_init(&ch->ep, fd, SST_EP_QEMU, ch->family);
    hello.capabilities = capabilities | (sst_time_offered() ? 0 : SST_MMIO_CAP_TIME_SYNC); /* one per QEMU */
    if (sst_channel_ram_fd() >= 0) {
        hello.capabilities |= SST_MMIO_CAP_GUEST_RAM;
    }
    hello.base_address = base_address;
    hello.size = size;
    pstrcpy(hello.name, sizeof(hello.name), sst_channel_name(ch));
    if (sst_ep_client_handshake(&ch->ep, &hello, &ack, (int)handshake_ms) < 0) {
        error_setg(errp, "%s %s: handshake on %s failed: %s", ch->kind, sst_channel_name(ch), socket, ch->ep.error);
        sst_ep_close(&ch->ep);
        return false;
    }
    ch->dead = false;
    ch->connected = true;
    trace_sst_channel_connected(ch->kind, sst_channel_name(ch), socket, ack.capabilities);
    if (((ack.capabilities & SST_MMIO_CAP_GUEST_RAM) && !sst_channel_offer_ram(ch, errp)) ||
        !sst_time_configure(ch, &ack, errp)) {
        ch->dead = true;
        ch->connected = false;
        sst_ep_close(&ch->ep);
        return false;
    }
    return true;
}

bool sst_channel_connect(SstChannel *ch, const char *socket, uint32_t timeout_ms, uint32_t capabilities,
                         uint64_t base_address, uint64_t size, Error **errp) {
    int fd = sst_ep_connect(socket, (int)timeout_ms);

    if (fd < 0) {
        error_setg_errno(errp, errno, "%s %s: cannot connect to %s within %u ms", ch->kind, sst_channel_name(ch),
                         socket, timeout_ms);
        return false;
    }
    return sst_channel_open(ch, fd, socket, timeout_ms, capabilities, base_address, size, errp);
}

bool sst_channel_reconnect(SstChannel *ch, const char *socket, uint32_t handshake_ms, uint32_t capabilities,
                           uint64_t base_address, uint64_t size, Error **errp) {
    int fd;

    if (!ch->dead) {
        return true;
    }
    fd = sst_ep_connect(socket, 0); /* one attempt */
    if (fd < 0) {
        return false; /* nobody listens there yet: not an error */
    }
    if (!sst_channel_open(ch, fd, socket, handshake_ms, capabilities, base_address, size, errp)) {
        return false;
    }
    sst_channel_start(ch);
    return true;
}

static void sst_channel_say_goodbye(SstChannel *ch) {
    /* The exit status is not visible from here (atexit); the process's own status is the verdict. */
    const struct sst_mmio_goodbye bye = {.reason = SST_MMIO_BYE_GUEST_EXIT, .exit_status = -1};

    sst_channel_send(ch, SST_MMIO_GOODBYE, &bye);
}

static void sst_channel_exit_notify(Notifier *n, void *data) {
    sst_channel_say_goodbye(container_of(n, SstChannel, exit_notifier));
}

void sst_channel_start(SstChannel *ch) {
    if (!ch->listed) { /* a reconnected channel is listed already */
        QTAILQ_INSERT_TAIL(&sst_channels, ch, next);
        ch->listed = true;
        ch->exit_notifier.notify = sst_channel_exit_notify;
        qemu_add_exit_notifier(&ch->exit_notifier);
    }
    qemu_set_fd_handler(ch->ep.sock, sst_channel_fd_read, NULL, ch);
    ch->fd_handler_set = true;
    sst_channel_rearm(ch);
}

void sst_channel_stop(SstChannel *ch) {
    if (!ch->listed) {
        return;
    }
    qemu_remove_exit_notifier(&ch->exit_notifier);
    sst_channel_say_goodbye(ch);
    if (!ch->dead) {
        sst_channel_close(ch, true);
    }
    QTAILQ_REMOVE(&sst_channels, ch, next);
    ch->listed = false;
}

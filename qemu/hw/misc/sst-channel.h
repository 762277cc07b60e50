/*
 * qemu-sst: one device's channel to the SST simulation (include/qemu-sst/channel_protocol.h), shared
 * by the QEMU devices that talk to it: sst-device (MMIO window, sst-device.c) and
 * virtio-sst-device (virtio-sst.c).  sst-channel.c owns the channel: connect with retries and
 * handshake, sending, blocking waits (spin, then sleep), picking frames up from the main loop
 * (doorbell on the socket), GRANT and GOODBYE, and the end of the channel.  sst-time.c is the
 * time master role (SYNC/GRANT, latency), carried by whichever channel took it first.
 *
 * Threading: every function here runs with the BQL held (MMIO dispatch of a region without
 * lockless I/O, virtqueue notifications under TCG, timers, main-loop fd handlers, realize).
 */
#ifndef HW_MISC_SST_CHANNEL_H
#define HW_MISC_SST_CHANNEL_H

#include "hw/qdev-core.h"
#include "qemu/notify.h"
#include "qemu/queue.h"
#include "sst-transport/mmio_endpoint.h"

typedef struct SstChannel SstChannel;

/*
 * A frame other than GRANT and GOODBYE (which the channel handles itself), in the frame struct of
 * the device's kind it gave sst_channel_init (f is its header).
 */
typedef void (*SstChannelFrameFn)(void *opaque, const struct sst_mmio_header *f);
/*
 * The channel has ended (called once, before it is closed): the device reports why (`orderly`:
 * the simulation is over) and settles whatever was waiting on it.
 */
typedef void (*SstChannelEndFn)(void *opaque, bool orderly, const char *why);
/* Deterministic mode: the guest is at a synchronisation point, at guest time now_ps. */
typedef void (*SstChannelSyncFn)(void *opaque, uint64_t now_ps);
/* The frames waiting on the channel have all been handled (at least one). */
typedef void (*SstChannelDrainedFn)(void *opaque);

struct SstChannel {
    const char *kind; /* QOM type name, the prefix of every message */
    DeviceState *dev; /* for its id */
    void *opaque;
    SstChannelFrameFn handle_frame;
    SstChannelEndFn on_end;
    SstChannelSyncFn on_sync;              /* optional; set after sst_channel_init */
    SstChannelDrainedFn on_drained;        /* optional; set after sst_channel_init */
    const struct sst_frame_family *family; /* the device's payload family */
    void *frame;                           /* the device's frame struct of its kind, which frames are taken into */
    size_t frame_size;

    struct sst_mmio_endpoint ep;
    bool connected; /* the handshake succeeded */
    bool fd_handler_set;
    bool dead; /* channel gone (or never connected) */
    bool listed;
    Notifier exit_notifier;
    QTAILQ_ENTRY(SstChannel) next;
};

/*
 * frame: a frame struct of the kind `family` stands for (e.g. struct sst_mmio_frame), frame_size
 * bytes, owned by the device; handle_frame reads each frame there.  Frame handlers do not wait on
 * the channel, so one buffer per channel is enough.
 */
void sst_channel_init(SstChannel *ch, const char *kind, DeviceState *dev, void *opaque,
                      const struct sst_frame_family *family, void *frame, size_t frame_size,
                      SstChannelFrameFn handle_frame, SstChannelEndFn on_end);
const char *sst_channel_name(SstChannel *ch);
/*
 * Connects to socket (retrying for timeout_ms), handshakes with a HELLO of `capabilities` (plus
 * SST_MMIO_CAP_TIME_SYNC if no channel has offered it yet) and adopts the HELLO_ACK's time mode.
 */
bool sst_channel_connect(SstChannel *ch, const char *socket, uint32_t timeout_ms, uint32_t capabilities,
                         uint64_t base_address, uint64_t size, Error **errp);
/* After a successful connect: frames are picked up from the main loop; GOODBYE at exit. */
void sst_channel_start(SstChannel *ch);
/*
 * A channel that has ended: one connection attempt to socket (a simulator started again there),
 * the handshake, and the channel is started again.  true if it is live (again); false with *errp
 * untouched if nothing listens there, or with *errp set if the handshake failed.
 */
bool sst_channel_reconnect(SstChannel *ch, const char *socket, uint32_t handshake_ms, uint32_t capabilities,
                           uint64_t base_address, uint64_t size, Error **errp);
/* Unrealize: GOODBYE, close, forget. */
void sst_channel_stop(SstChannel *ch);

/* Sends a frame; false (and the channel marked dead) on failure. */
bool sst_channel_send(SstChannel *ch, uint32_t type, const void *payload);
/* Sends a frame whose answer the caller then awaits with sst_channel_wait. */
bool sst_channel_request(SstChannel *ch, uint32_t type, const void *payload);
/* Blocks on ch, handling every frame, until *done or the channel dies.  false if dead. */
bool sst_channel_wait(SstChannel *ch, const bool *done);
/*
 * Handles frames as they arrive, spinning (or, when no core is spare, sleeping on the ring), until
 * done(opaque) or budget_ns of host time have passed; then leaves the channel to the main loop
 * again.  true if done.
 */
bool sst_channel_spin(SstChannel *ch, bool (*done)(void *opaque), void *opaque, int64_t budget_ns);
/* Takes the frames waiting on every channel and leaves each ready to ring the main loop. */
void sst_channel_drain_all(void);
/* Calls every channel's on_sync (after sst_channel_drain_all at a synchronisation point). */
void sst_channel_synced_all(uint64_t now_ps);
/* Marks ch dead (the first reason is reported by its on_end). */
void sst_channel_fail(SstChannel *ch, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* sst-time.c: the guest's virtual time against the simulator's. */
uint64_t sst_time_now_ps(void);
/* Adopts the time mode of a HELLO_ACK; ch carries SYNC/GRANT when the ack kept TIME_SYNC. */
bool sst_time_configure(SstChannel *ch, const struct sst_mmio_hello_ack *ack, Error **errp);
/* Whether a channel offering TIME_SYNC has been opened already (one per QEMU). */
bool sst_time_offered(void);
/* Whether the time mode is deterministic (valid once a channel is connected). */
bool sst_time_deterministic(void);
/* Whether a time master channel still carries SYNC/GRANT (false once it is lost). */
bool sst_time_synchronised(void);
/* Deterministic mode: before an access, SYNC and wait if the guest is at or past the horizon. */
void sst_time_before_access(void);
/* Deterministic mode: the vCPU was stalled for latency_ps of simulated time; horizon_ps, if not 0,
 * lowers the horizon (the RESPONSE's, see channel_protocol.h). */
void sst_time_after_access(uint64_t latency_ps, uint64_t horizon_ps);
/* A GRANT arrived on a channel. */
void sst_time_grant(SstChannel *ch, uint64_t horizon_ps);
/* ch ended (orderly: the simulation is over); if it carried time, stop syncing. */
void sst_time_channel_lost(SstChannel *ch, bool orderly);

#endif /* HW_MISC_SST_CHANNEL_H */

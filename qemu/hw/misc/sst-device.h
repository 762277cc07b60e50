/*
 * sst-device: a window of guest-physical addresses served by an SST simulation (qemu-sst).
 *
 * Shared by sst-device.c (QOM type, MMIO, interrupts, the channel) and sst-time.c (guest time
 * against the simulator's: SYNC/GRANT and access latency).  The wire protocol is
 * include/qemu-sst/mmio_protocol.h in the qemu-sst repository; build-qemu.sh copies it, with the
 * transport (mmio_endpoint.[ch]), into hw/misc/sst-transport/.
 *
 * Threading: every function here runs with the BQL held (MMIO dispatch of a region without
 * lockless I/O, timers, main-loop fd handlers, realize), so no further locking is needed.
 */
#ifndef HW_MISC_SST_DEVICE_H
#define HW_MISC_SST_DEVICE_H

#include "hw/qdev-core.h"
#include "exec/memory.h"
#include "qemu/notify.h"
#include "qemu/queue.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "sst-transport/mmio_endpoint.h"

#define TYPE_SST_DEVICE "sst-device"
OBJECT_DECLARE_SIMPLE_TYPE(SstDevice, SST_DEVICE)

/* An interrupt-line change received from the simulator, waiting for guest time to reach it. */
typedef struct SstIrqChange {
    uint64_t vtime_ps;
    bool level;
    QSIMPLEQ_ENTRY(SstIrqChange) next;
} SstIrqChange;

struct SstDevice {
    DeviceState parent_obj;

    /* properties */
    char *socket;
    uint64_t base_address;
    uint64_t size;
    uint32_t irq_source;         /* PLIC source; 0 = pick a free one */
    uint32_t connect_timeout_ms;

    MemoryRegion mmio;
    qemu_irq irq;
    bool irq_level;
    QSIMPLEQ_HEAD(, SstIrqChange) irq_pending; /* ordered by vtime_ps */
    QEMUTimer *irq_timer;

    struct sst_mmio_endpoint ep;
    bool fd_handler_set;
    bool dead;      /* channel gone: every access faults */
    uint64_t next_id;
    uint64_t awaited_id; /* id of the access the vCPU is blocked on, 0 if none */
    bool have_response;
    struct sst_mmio_response response;

    Notifier exit_notifier;
    QTAILQ_ENTRY(SstDevice) next;
};

/* sst-device.c, for sst-time.c */
const char *sst_device_name(SstDevice *s);
/* Sends a frame; false (and the channel marked dead) on failure. */
bool sst_device_send(SstDevice *s, uint32_t type, const void *payload);
/* Sends a frame whose answer the caller then awaits with sst_device_wait. */
bool sst_device_request(SstDevice *s, uint32_t type, const void *payload);
/* Blocks on s's channel, handling every frame, until *done or the channel dies.  false if dead. */
bool sst_device_wait(SstDevice *s, const bool *done);
/* Takes the frames waiting on every channel and leaves each ready to ring the main loop. */
void sst_device_drain_all(void);
/* Marks s's channel dead (the first reason is reported); accesses fault from now on. */
void sst_device_fail(SstDevice *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* sst-time.c */
uint64_t sst_time_now_ps(void);
/* Adopts the time mode of a HELLO_ACK; s carries SYNC/GRANT when the ack kept TIME_SYNC. */
bool sst_time_configure(SstDevice *s, const struct sst_mmio_hello_ack *ack, Error **errp);
/* Whether a channel offering TIME_SYNC has been opened already (one per QEMU). */
bool sst_time_offered(void);
/* Deterministic mode: before an access, SYNC and wait if the guest is at or past the horizon. */
void sst_time_before_access(void);
/* Deterministic mode: the vCPU was stalled for latency_ps of simulated time. */
void sst_time_after_access(uint64_t latency_ps);
/* A GRANT arrived on the time channel. */
void sst_time_grant(SstDevice *s, uint64_t horizon_ps);
/* s's channel ended (orderly: the simulation is over); if it carried time, stop syncing. */
void sst_time_channel_lost(SstDevice *s, bool orderly);

#endif /* HW_MISC_SST_DEVICE_H */

/*
 * sst-device: a window of guest-physical addresses served by an SST simulation (qemu-sst).
 *
 * sst-device.c is the QOM type, MMIO and interrupts; the channel (sst-channel.c) and guest time
 * against the simulator's (sst-time.c: SYNC/GRANT and access latency) are shared with
 * virtio-sst-device and declared in sst-channel.h.  The wire protocol is
 * include/qemu-sst/channel_protocol.h and its MMIO family mmio_protocol.h in the qemu-sst
 * repository; build-qemu.sh copies them, with the transport (mmio_endpoint.[ch]), into
 * hw/misc/sst-transport/.
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
#include "sst-channel.h"
#include "sst-transport/qemu-sst/mmio_protocol.h"

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
    uint32_t irq_source; /* PLIC source; 0 = pick a free one */
    uint32_t connect_timeout_ms;

    MemoryRegion mmio;
    qemu_irq irq;
    bool irq_level;
    QSIMPLEQ_HEAD(, SstIrqChange) irq_pending; /* ordered by vtime_ps */
    QEMUTimer *irq_timer;

    SstChannel ch; /* ch.dead: channel gone, every access faults */
    uint64_t next_id;
    uint64_t awaited_id; /* id of the access the vCPU is blocked on, 0 if none */
    bool have_response;
    struct sst_mmio_response response;
    struct sst_mmio_frame rx_frame; /* the frame the channel took last */

    QTAILQ_ENTRY(SstDevice) next; /* realized devices, for PLIC source allocation */
};

#endif /* HW_MISC_SST_DEVICE_H */

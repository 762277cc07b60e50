/*
 * virtio-sst-device: a virtio device whose requests are served by an SST simulation (qemu-sst),
 * over a channel like sst-device's (sst-channel.c), carrying the virtio payload family
 * (include/qemu-sst/virtio_protocol.h).  Guest protocol: include/qemu-sst/virtio_sst.h.
 *
 *   -device virtio-sst-device,id=NAME,socket=PATH[,index=N][,connect_timeout_ms=MS][,quick_wait_us=US]
 *                            [,reconnect_ms=MS][,request_queues=N]
 *
 * It plugs into a virtio-mmio transport (riscv virt has 8, at 0x10001000 + 0x1000 * i).  Its
 * device id, VIRTIO_ID_SST = 0x5353, is not one the virtio specification assigns, so it is only
 * offered on virtio-mmio: virtio-pci would turn it into PCI id 0x1040 + id, which is out of range.
 * QEMU 7.2's virtio_init() asserts that the id has a name in its table, so the device is initialised
 * with a known id (VIRTIO_ID_RNG) and device_id/name are then overwritten; the transport reports
 * vdev->device_id to the guest.
 *
 * Queues (virtio_sst.h): 0 request, 1 response, 2 event, and with VIRTIO_SST_F_MQ request queues 1..N-1
 * at 3.. (request_queues=N, default 0: one per guest CPU, at most VIRTIO_SST_MAX_REQUEST_QUEUES).  The
 * driver puts each CPU's requests on its own queue, so harts do not contend for one ring; every
 * request queue is served as described for queue 0, and a request completes on the queue it came on.
 *   - Request: the driver queues ONE descriptor chain per request: device-readable SSTRequest
 *     (exactly 4096 bytes) followed by a device-writable SSTResponse buffer (4096 bytes).  The
 *     response is written into that same chain, which is then returned on the used ring of the
 *     request queue.  A chain whose readable part is not exactly one SSTRequest is completed at once
 *     with SST_STATUS_INVALID, without asking the simulator.
 *   - Response: exists for compatibility with the original specification's queue layout and is
 *     never used: responses travel in the request's own chain.  Buffers placed on it stay there.
 *   - Event: the driver keeps it stocked with device-writable 32-byte buffers; each SSTEvent from
 *     the simulator fills one.  With none available, up to VIRTIO_SST_EVENT_BACKLOG events wait
 *     for the next kick of the event queue; more are dropped and counted as errors.
 *
 * Requests do not stall the vCPU: each is sent as a VIRTIO_REQUEST frame stamped with the guest's
 * virtual time and kept pending (any number may be in flight); its VIRTIO_RESPONSE is picked up
 * whenever the channel is drained (main-loop doorbell, or a SYNC on the time channel).  In
 * deterministic time mode the completion becomes visible at the first synchronisation point (a
 * SYNC at a horizon, or before an access past it) at or after vtime + latency; events likewise
 * after their vtime.  Not at vtime + latency itself: the simulator sends the answer when it gets
 * there, and whether that frame reaches QEMU before the guest passes that time depends on host
 * timing, while everything due by a horizon is certainly here at the SYNC there (the simulator
 * grants beyond a horizon only once it has reached it).  So completions are at most one quantum
 * late, and the same on every run.  In fast mode both complete as they arrive, and the kick itself
 * waits up to quick_wait_us (default 50) for each next answer, so that quick ones complete before
 * the guest's notify write returns.
 *
 * If the simulator goes away, the device says so once and completes every pending and later
 * request with SST_STATUS_NO_DEVICE.  In fast mode it then tries every reconnect_ms (default 500)
 * to connect to the same socket again: a simulator started there anew (the bridge's
 * launch_qemu=false with the same listen_dir) takes over, and requests are served again.  In
 * deterministic mode it does not: a new simulation cannot take over a guest that is not at time 0.
 *
 * If no channel has offered SST_MMIO_CAP_TIME_SYNC yet (no sst-device before it on the command
 * line), this device's channel offers it and becomes the time master (sst-time.c).
 *
 * Counters (read-only QOM properties): requests, responses, events, errors.
 *
 * Trace events (qemu/hw/misc/trace-events-sst): -d trace:virtio_sst_* shows each request, answer,
 * completion and event; -d trace:sst_channel_* the channel's state.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/iov.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio.h"
#include "migration/vmstate.h"
#include "standard-headers/linux/virtio_ids.h"
#include "sst-channel.h"
#include "sst-transport/qemu-sst/virtio_protocol.h"
#include "trace.h"

#define TYPE_VIRTIO_SST "virtio-sst-device"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIOSst, VIRTIO_SST)

#define VIRTIO_SST_REQUEST_QUEUE_SIZE 128
#define VIRTIO_SST_RESPONSE_QUEUE_SIZE 16
#define VIRTIO_SST_EVENT_QUEUE_SIZE 64
#define VIRTIO_SST_EVENT_BACKLOG 64

#define VIRTIO_SST_FEATURES                                                                           \
    ((1ull << VIRTIO_SST_F_EVENTS) | (1ull << VIRTIO_SST_F_COMPUTE) | (1ull << VIRTIO_SST_F_MEMORY) | \
     (1ull << VIRTIO_SST_F_MQ))

/* A request in flight, then (answered) waiting for its completion time; or an event to deliver. */
typedef struct VirtIOSstItem {
    bool is_event;
    bool answered;
    uint64_t id;            /* request: id sent in the VIRTIO_REQUEST frame */
    uint64_t vtime_ps;      /* request: guest time it was queued */
    uint64_t due_ps;        /* when it becomes visible (deterministic mode) */
    VirtQueueElement *elem; /* request: its chain; NULL once the driver reset the device */
    VirtQueue *vq;          /* request: the queue it came on, and completes on */
    struct SSTEvent event;
    struct SSTResponse *resp;
    QTAILQ_ENTRY(VirtIOSstItem) next;
} VirtIOSstItem;

struct VirtIOSst {
    VirtIODevice parent_obj;

    /* properties */
    char *socket;
    uint32_t index;
    uint32_t connect_timeout_ms;
    uint32_t quick_wait_us;
    uint32_t reconnect_ms;
    uint32_t request_queues; /* 0: one per guest CPU */

    uint32_t n_request_queues;
    VirtQueue *req_vq;
    VirtQueue *resp_vq;
    VirtQueue *event_vq;

    SstChannel ch;
    uint64_t next_id;
    uint64_t quick_first_id;                /* first request id of the kick being waited for */
    uint64_t notify_queues;                 /* queues (bit = index) with completions to signal */
    QTAILQ_HEAD(, VirtIOSstItem) pending;   /* requests sent, not answered yet */
    QTAILQ_HEAD(, VirtIOSstItem) scheduled; /* answered requests and events, by due_ps */
    QTAILQ_HEAD(, VirtIOSstItem) backlog;   /* events waiting for an event buffer */
    unsigned backlog_len;

    struct sst_mmio_virtio_request frame; /* the one being sent */
    struct sst_virtio_frame rx_frame;     /* the frame the channel took last */
    QEMUTimer *reconnect_timer;           /* while no simulator is connected (fast mode) */
    bool reconnect_reported;              /* a failed handshake was reported in this outage */

    uint64_t n_requests;
    uint64_t n_responses;
    uint64_t n_events;
    uint64_t n_errors;
};

static const char *virtio_sst_name(VirtIOSst *s) { return sst_channel_name(&s->ch); }

static void virtio_sst_free_item(VirtIOSstItem *it) {
    g_free(it->elem);
    g_free(it->resp);
    g_free(it);
}

/* --- completing requests and delivering events --------------------------------------------- */

/* A request queue's number as the protocol counts them (0..n_request_queues-1), for traces. */
static unsigned virtio_sst_queue_number(VirtQueue *vq) { return virtio_sst_request_queue(virtio_get_queue_index(vq)); }

/* Interrupts the guest once for every request queue with completions since the last call. */
static void virtio_sst_notify(VirtIOSst *s) {
    VirtIODevice *vdev = VIRTIO_DEVICE(s);

    while (s->notify_queues) {
        const int index = ctz64(s->notify_queues);

        s->notify_queues &= s->notify_queues - 1;
        virtio_notify(vdev, virtio_get_queue(vdev, index));
    }
}

/* Puts the response in the request's chain; virtio_sst_notify then tells the guest. */
static void virtio_sst_complete(VirtIOSst *s, VirtQueue *vq, VirtQueueElement *elem, const struct SSTResponse *resp) {
    size_t room = iov_size(elem->in_sg, elem->in_num);
    size_t len = iov_from_buf(elem->in_sg, elem->in_num, 0, resp, sizeof(*resp));

    if (room < sizeof(*resp)) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-sst-device %s: response buffer of %zu bytes, not %zu\n",
                      virtio_sst_name(s), room, sizeof(*resp));
        s->n_errors++;
    }
    trace_virtio_sst_complete(virtio_sst_name(s), virtio_sst_queue_number(vq), resp->request_id,
                              sst_status_str(resp->status), len);
    virtqueue_push(vq, elem, len);
    s->notify_queues |= 1ull << virtio_get_queue_index(vq); /* virtio_sst_notify, once for all */
    g_free(elem);
    s->n_responses++;
}

/* Completes a request without the simulator (invalid, or no simulator). */
static void virtio_sst_complete_locally(VirtIOSst *s, VirtQueue *vq, VirtQueueElement *elem,
                                        const struct SSTRequest *req, uint32_t status) {
    g_autofree struct SSTResponse *resp = g_new0(struct SSTResponse, 1);

    resp->status = status;
    resp->request_id = req->request_id;
    resp->user_data = req->user_data;
    s->n_errors++;
    virtio_sst_complete(s, vq, elem, resp);
}

/* Puts one event in a guest buffer; false if the driver left none. */
static bool virtio_sst_put_event(VirtIOSst *s, const struct SSTEvent *ev) {
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtQueueElement *elem;
    size_t len;

    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return false;
    }
    elem = virtqueue_pop(s->event_vq, sizeof(VirtQueueElement));
    if (!elem) {
        return false;
    }
    len = iov_from_buf(elem->in_sg, elem->in_num, 0, ev, sizeof(*ev));
    if (len < sizeof(*ev)) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-sst-device %s: event buffer of %zu bytes, not %zu\n", virtio_sst_name(s),
                      len, sizeof(*ev));
        s->n_errors++;
    }
    trace_virtio_sst_event_delivered(virtio_sst_name(s), ev->type, ev->request_id);
    virtqueue_push(s->event_vq, elem, len);
    virtio_notify(vdev, s->event_vq);
    g_free(elem);
    s->n_events++;
    return true;
}

static void virtio_sst_flush_backlog(VirtIOSst *s) {
    VirtIOSstItem *it;

    while ((it = QTAILQ_FIRST(&s->backlog)) && virtio_sst_put_event(s, &it->event)) {
        QTAILQ_REMOVE(&s->backlog, it, next);
        s->backlog_len--;
        virtio_sst_free_item(it);
    }
}

static void virtio_sst_deliver_event(VirtIOSst *s, VirtIOSstItem *it) {
    virtio_sst_flush_backlog(s); /* keep the order */
    if (QTAILQ_EMPTY(&s->backlog) && virtio_sst_put_event(s, &it->event)) {
        virtio_sst_free_item(it);
    } else if (s->backlog_len < VIRTIO_SST_EVENT_BACKLOG) {
        QTAILQ_INSERT_TAIL(&s->backlog, it, next);
        s->backlog_len++;
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-sst-device %s: event queue empty and backlog full: "
                      "event dropped\n",
                      virtio_sst_name(s));
        s->n_errors++;
        virtio_sst_free_item(it);
    }
}

/* Completes every answered request and delivers every event due at or before upto_ps. */
static void virtio_sst_run_scheduled(VirtIOSst *s, uint64_t upto_ps) {
    VirtIOSstItem *it;

    while ((it = QTAILQ_FIRST(&s->scheduled)) && it->due_ps <= upto_ps) {
        QTAILQ_REMOVE(&s->scheduled, it, next);
        if (it->is_event) {
            virtio_sst_deliver_event(s, it);
            continue;
        }
        if (it->elem) {
            virtio_sst_complete(s, it->vq, it->elem, it->resp);
            it->elem = NULL;
        }
        virtio_sst_free_item(it);
    }
    virtio_sst_notify(s);
}

/* Deterministic mode with the simulator keeping time: results wait for a synchronisation point. */
static bool virtio_sst_at_sync_points(void) { return sst_time_deterministic() && sst_time_synchronised(); }

/* A synchronisation point at guest time now_ps: what is due by then becomes visible. */
static void virtio_sst_synced(void *opaque, uint64_t now_ps) { virtio_sst_run_scheduled(opaque, now_ps); }

/* Fast mode: due at once (0), completed when the channel's drain ends (virtio_sst_drained), so
 * that the answers of one drain share an interrupt.  Deterministic: at the first synchronisation
 * point at or after due_ps (see the top), in arrival order among equals. */
static void virtio_sst_schedule(VirtIOSst *s, VirtIOSstItem *item, uint64_t due_ps) {
    VirtIOSstItem *it;

    item->due_ps = sst_time_deterministic() ? due_ps : 0;
    QTAILQ_FOREACH(it, &s->scheduled, next) {
        if (it->due_ps > item->due_ps) {
            QTAILQ_INSERT_BEFORE(it, item, next);
            break;
        }
    }
    if (!it) {
        QTAILQ_INSERT_TAIL(&s->scheduled, item, next);
    }
}

/* Fast mode: every answer that came with this drain completes now, with one interrupt per queue. */
static void virtio_sst_drained(void *opaque) {
    if (!virtio_sst_at_sync_points()) {
        virtio_sst_run_scheduled(opaque, UINT64_MAX);
    }
}

/* --- the channel ------------------------------------------------------------------------ */

static void virtio_sst_handle_frame(void *opaque, const struct sst_mmio_header *hdr) {
    VirtIOSst *s = opaque;
    const struct sst_virtio_frame *f = &s->rx_frame;
    VirtIOSstItem *it;

    switch (hdr->type) {
    case SST_MMIO_VIRTIO_RESPONSE:
        QTAILQ_FOREACH(it, &s->pending, next) {
            if (it->id == f->u.virtio_response.id) {
                break;
            }
        }
        if (!it) {
            sst_channel_fail(&s->ch, "VIRTIO_RESPONSE for request %" PRIu64 ", which is not outstanding",
                             f->u.virtio_response.id);
            return;
        }
        QTAILQ_REMOVE(&s->pending, it, next);
        trace_virtio_sst_response(virtio_sst_name(s), it->id, f->u.virtio_response.response.request_id,
                                  sst_status_str(f->u.virtio_response.response.status),
                                  f->u.virtio_response.latency_ps);
        it->answered = true;
        it->resp = g_memdup2(&f->u.virtio_response.response, sizeof(struct SSTResponse));
        virtio_sst_schedule(s, it, it->vtime_ps + f->u.virtio_response.latency_ps);
        return;
    case SST_MMIO_VIRTIO_EVENT:
        it = g_new0(VirtIOSstItem, 1);
        it->is_event = true;
        it->event = f->u.virtio_event.event;
        trace_virtio_sst_event(virtio_sst_name(s), it->event.type, it->event.request_id, f->u.virtio_event.vtime_ps);
        virtio_sst_schedule(s, it, f->u.virtio_event.vtime_ps);
        return;
    default: sst_channel_fail(&s->ch, "unexpected %s frame", sst_virtio_type_str(hdr->type));
    }
}

/* Fast mode, after losing the simulator: whether (and how often) to look for a new one. */
static bool virtio_sst_may_reconnect(VirtIOSst *s) {
    return s->reconnect_ms && s->reconnect_timer && !sst_time_deterministic();
}

static void virtio_sst_schedule_reconnect(VirtIOSst *s) {
    timer_mod(s->reconnect_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + s->reconnect_ms);
}

/* A simulator started again on the same socket takes over; until then requests get NO_DEVICE. */
static void virtio_sst_try_reconnect(void *opaque) {
    VirtIOSst *s = opaque;
    Error *err = NULL;

    if (!s->ch.dead) {
        return;
    }
    if (sst_channel_reconnect(&s->ch, s->socket, s->connect_timeout_ms, SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_VIRTIO, 0,
                              0, &err)) {
        info_report("virtio-sst-device %s: connected to a simulator again at %s", virtio_sst_name(s), s->socket);
        s->reconnect_reported = false;
        return;
    }
    /* Nobody listening (no error) is the normal state of an outage; a refusal is worth saying, once. */
    if (err && !s->reconnect_reported) {
        warn_report_err(err);
        s->reconnect_reported = true;
    } else {
        error_free(err);
    }
    virtio_sst_schedule_reconnect(s);
}

/* The channel ended: say so once, and answer what was waiting for the simulator. */
static void virtio_sst_channel_end(void *opaque, bool orderly, const char *why) {
    VirtIOSst *s = opaque;
    g_autofree struct SSTResponse *resp = g_new0(struct SSTResponse, 1);
    VirtIOSstItem *it;
    const char *after = virtio_sst_may_reconnect(s) ? "until a simulator is back" : "from now on";

    if (orderly) {
        info_report("virtio-sst-device %s: %s; requests fail with NO_DEVICE %s", virtio_sst_name(s), why, after);
    } else {
        error_report("virtio-sst-device %s: lost the simulator: %s; requests fail with NO_DEVICE %s",
                     virtio_sst_name(s), why, after);
    }
    if (virtio_sst_may_reconnect(s)) {
        virtio_sst_schedule_reconnect(s);
    }
    virtio_sst_run_scheduled(s, UINT64_MAX); /* what was answered is delivered */
    while ((it = QTAILQ_FIRST(&s->pending))) {
        QTAILQ_REMOVE(&s->pending, it, next);
        if (it->elem) {
            struct SSTRequest hdr;

            iov_to_buf(it->elem->out_sg, it->elem->out_num, 0, &hdr, SST_HEADER_SIZE);
            memset(resp, 0, sizeof(*resp));
            resp->status = SST_STATUS_NO_DEVICE;
            resp->request_id = hdr.request_id;
            resp->user_data = hdr.user_data;
            s->n_errors++;
            virtio_sst_complete(s, it->vq, it->elem, resp);
            it->elem = NULL;
        }
        virtio_sst_free_item(it);
    }
    virtio_sst_notify(s);
}

/* --- queues --------------------------------------------------------------------------------- */

/*
 * Whether every request of the current kick (ids from quick_first_id on) has its answer.  Pending
 * requests are in the order they were sent, so the newest tells.
 */
static bool virtio_sst_kick_answered(void *opaque) {
    VirtIOSst *s = opaque;
    VirtIOSstItem *newest = QTAILQ_LAST(&s->pending);

    return !newest || newest->id < s->quick_first_id;
}

/*
 * Fast mode: give the simulator up to quick_wait_us to answer this kick's requests before the
 * guest's notify write returns, and as long again after each answer while answers keep coming (a
 * kick of a batch gets its answers one after another).  A quick answer then completes here, so the
 * guest finds it on its way out of the kick: no interrupt for a sleeping task, no main-loop round,
 * no vCPU wake-up.  A slower one completes asynchronously as before (and so do other requests
 * still in flight).  In deterministic mode answers become visible at their guest time anyway:
 * waiting would only cost wall time.
 */
static void virtio_sst_quick_wait(VirtIOSst *s, uint64_t first_id) {
    if (!s->quick_wait_us || sst_time_deterministic() || s->ch.dead || first_id > s->next_id) {
        return;
    }
    s->quick_first_id = first_id;
    for (;;) {
        const uint64_t answered = s->n_responses;

        if (sst_channel_spin(&s->ch, virtio_sst_kick_answered, s, (int64_t)s->quick_wait_us * 1000) ||
            s->n_responses == answered) {
            return;
        }
    }
}

static void virtio_sst_handle_request(VirtIODevice *vdev, VirtQueue *vq) {
    VirtIOSst *s = VIRTIO_SST(vdev);
    struct sst_mmio_virtio_request *fr = &s->frame;
    const uint64_t first_id = s->next_id + 1;
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq, sizeof(VirtQueueElement)))) {
        size_t len = iov_size(elem->out_sg, elem->out_num);
        VirtIOSstItem *it;

        s->n_requests++;
        memset(fr, 0, sizeof(*fr));
        iov_to_buf(elem->out_sg, elem->out_num, 0, &fr->request, sizeof(fr->request));
        if (len != sizeof(struct SSTRequest)) {
            qemu_log_mask(LOG_GUEST_ERROR, "virtio-sst-device %s: request of %zu bytes, not %zu\n", virtio_sst_name(s),
                          len, sizeof(struct SSTRequest));
            trace_virtio_sst_request_invalid(virtio_sst_name(s), virtio_sst_queue_number(vq), len);
            virtio_sst_complete_locally(s, vq, elem, &fr->request, SST_STATUS_INVALID);
            continue;
        }
        sst_time_before_access(); /* deterministic mode: SYNC first if at the horizon */
        if (s->ch.dead) {
            virtio_sst_complete_locally(s, vq, elem, &fr->request, SST_STATUS_NO_DEVICE);
            continue;
        }
        it = g_new0(VirtIOSstItem, 1);
        it->id = ++s->next_id;
        it->vtime_ps = sst_time_now_ps();
        it->elem = elem;
        it->vq = vq;
        fr->id = it->id;
        fr->vtime_ps = it->vtime_ps;
        fr->length = (uint32_t)len;
        trace_virtio_sst_request(virtio_sst_name(s), virtio_sst_queue_number(vq), it->id, fr->request.request_id,
                                 sst_request_type_str(fr->request.type), it->vtime_ps);
        QTAILQ_INSERT_TAIL(&s->pending, it, next);
        /* On failure the channel's end has completed it (and the rest) with NO_DEVICE. */
        sst_channel_send(&s->ch, SST_MMIO_VIRTIO_REQUEST, fr);
    }
    virtio_sst_notify(s); /* requests completed here, without the simulator */
    virtio_sst_quick_wait(s, first_id);
}

/* Queue 1 is never used: responses come back in the request's own chain (see the top). */
static void virtio_sst_handle_response(VirtIODevice *vdev, VirtQueue *vq) {}

static void virtio_sst_handle_event(VirtIODevice *vdev, VirtQueue *vq) {
    virtio_sst_flush_backlog(VIRTIO_SST(vdev)); /* new buffers: deliver what waited */
}

/* --- virtio device ---------------------------------------------------------------------------- */

static uint64_t virtio_sst_get_features(VirtIODevice *vdev, uint64_t f, Error **errp) {
    return f | VIRTIO_SST_FEATURES;
}

static void virtio_sst_get_config(VirtIODevice *vdev, uint8_t *config) {
    VirtIOSst *s = VIRTIO_SST(vdev);
    struct virtio_sst_config cfg = {
        .version = SST_PROTOCOL_VERSION,
        .device_id = s->index,
        .features = VIRTIO_SST_FEATURES,
        .num_queues = VIRTIO_SST_NUM_QUEUES,
        .max_data_size = SST_MAX_DATA_SIZE,
        .num_request_queues = s->n_request_queues,
    };

    memcpy(config, &cfg, sizeof(cfg)); /* little-endian, as the guest reads it */
}

/* The driver reset the device: chains it had queued are no longer ours to complete. */
static void virtio_sst_reset(VirtIODevice *vdev) {
    VirtIOSst *s = VIRTIO_SST(vdev);
    VirtIOSstItem *it, *tmp;

    trace_virtio_sst_reset(virtio_sst_name(s));
    QTAILQ_FOREACH(it, &s->pending, next) { /* answers still come; they are then dropped */
        g_free(it->elem);
        it->elem = NULL;
    }
    QTAILQ_FOREACH_SAFE(it, &s->scheduled, next, tmp) {
        QTAILQ_REMOVE(&s->scheduled, it, next);
        virtio_sst_free_item(it);
    }
    while ((it = QTAILQ_FIRST(&s->backlog))) {
        QTAILQ_REMOVE(&s->backlog, it, next);
        virtio_sst_free_item(it);
    }
    s->backlog_len = 0;
}

static void virtio_sst_realize(DeviceState *dev, Error **errp) {
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOSst *s = VIRTIO_SST(dev);

    if (!s->socket) {
        error_setg(errp, "virtio-sst-device %s: socket=PATH is required", virtio_sst_name(s));
        return;
    }
    if (s->request_queues > VIRTIO_SST_MAX_REQUEST_QUEUES) {
        error_setg(errp, "virtio-sst-device %s: request_queues=%u: at most %u", virtio_sst_name(s), s->request_queues,
                   VIRTIO_SST_MAX_REQUEST_QUEUES);
        return;
    }
    s->n_request_queues = s->request_queues;
    if (!s->n_request_queues) {
        s->n_request_queues = MIN(MAX(MACHINE(qdev_get_machine())->smp.cpus, 1u), VIRTIO_SST_MAX_REQUEST_QUEUES);
    }
    if (!sst_channel_connect(&s->ch, s->socket, s->connect_timeout_ms, SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_VIRTIO, 0,
                             0, errp)) {
        return;
    }
    /* See the top: virtio_init() only accepts ids in QEMU's table. */
    virtio_init(vdev, VIRTIO_ID_RNG, sizeof(struct virtio_sst_config));
    vdev->device_id = VIRTIO_ID_SST;
    vdev->name = "virtio-sst";
    s->req_vq = virtio_add_queue(vdev, VIRTIO_SST_REQUEST_QUEUE_SIZE, virtio_sst_handle_request);
    s->resp_vq = virtio_add_queue(vdev, VIRTIO_SST_RESPONSE_QUEUE_SIZE, virtio_sst_handle_response);
    s->event_vq = virtio_add_queue(vdev, VIRTIO_SST_EVENT_QUEUE_SIZE, virtio_sst_handle_event);
    for (uint32_t i = 1; i < s->n_request_queues; i++) {
        virtio_add_queue(vdev, VIRTIO_SST_REQUEST_QUEUE_SIZE, virtio_sst_handle_request);
    }
    s->reconnect_timer = timer_new_ms(QEMU_CLOCK_REALTIME, virtio_sst_try_reconnect, s);
    sst_channel_start(&s->ch);
}

static void virtio_sst_unrealize(DeviceState *dev) {
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOSst *s = VIRTIO_SST(dev);
    VirtIOSstItem *it;

    timer_free(s->reconnect_timer);
    s->reconnect_timer = NULL;
    sst_channel_stop(&s->ch);
    virtio_sst_reset(vdev);
    while ((it = QTAILQ_FIRST(&s->pending))) {
        QTAILQ_REMOVE(&s->pending, it, next);
        virtio_sst_free_item(it);
    }
    for (uint32_t i = s->n_request_queues - 1; i >= 1; i--) {
        virtio_del_queue(vdev, virtio_sst_request_vq(i));
    }
    virtio_del_queue(vdev, VIRTIO_SST_VQ_EVENT);
    virtio_del_queue(vdev, VIRTIO_SST_VQ_RESPONSE);
    virtio_del_queue(vdev, VIRTIO_SST_VQ_REQUEST);
    virtio_cleanup(vdev);
}

static void virtio_sst_instance_init(Object *obj) {
    VirtIOSst *s = VIRTIO_SST(obj);

    QTAILQ_INIT(&s->pending);
    QTAILQ_INIT(&s->scheduled);
    QTAILQ_INIT(&s->backlog);
    sst_channel_init(&s->ch, TYPE_VIRTIO_SST, DEVICE(obj), s, sst_virtio_family(), &s->rx_frame, sizeof(s->rx_frame),
                     virtio_sst_handle_frame, virtio_sst_channel_end);
    s->ch.on_sync = virtio_sst_synced;
    s->ch.on_drained = virtio_sst_drained;
    object_property_add_uint64_ptr(obj, "requests", &s->n_requests, OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "responses", &s->n_responses, OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "events", &s->n_events, OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "errors", &s->n_errors, OBJ_PROP_FLAG_READ);
}

static Property virtio_sst_properties[] = {
    DEFINE_PROP_STRING("socket", VirtIOSst, socket),
    DEFINE_PROP_UINT32("index", VirtIOSst, index, 0),
    DEFINE_PROP_UINT32("connect_timeout_ms", VirtIOSst, connect_timeout_ms, 10000),
    DEFINE_PROP_UINT32("quick_wait_us", VirtIOSst, quick_wait_us, 50),
    DEFINE_PROP_UINT32("reconnect_ms", VirtIOSst, reconnect_ms, 500),
    DEFINE_PROP_UINT32("request_queues", VirtIOSst, request_queues, 0),
    DEFINE_PROP_END_OF_LIST(),
};

/* The device's state lives in the simulator: refuse migration and snapshots. */
static const VMStateDescription virtio_sst_vmstate = {
    .name = TYPE_VIRTIO_SST,
    .unmigratable = 1,
};

static void virtio_sst_class_init(ObjectClass *klass, void *data) {
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    dc->desc = "virtio device served by an SST simulation (qemu-sst; virtio-mmio only)";
    dc->vmsd = &virtio_sst_vmstate;
    dc->hotpluggable = false;
    device_class_set_props(dc, virtio_sst_properties);
    object_class_property_set_description(klass, "socket", "Unix socket of the simulator's channel for this device");
    object_class_property_set_description(klass, "index", "device_id reported in the config space");
    object_class_property_set_description(klass, "connect_timeout_ms",
                                          "how long to retry connecting, and to wait for the handshake");
    object_class_property_set_description(klass, "reconnect_ms",
                                          "fast mode: how often to look for a simulator again once it is "
                                          "gone (0: never)");
    object_class_property_set_description(klass, "request_queues",
                                          "request virtqueues (VIRTIO_SST_F_MQ), at most 8; 0: one per guest CPU");
    object_class_property_set_description(klass, "quick_wait_us",
                                          "fast mode: how long a kick waits for each next quick answer (0: never)");
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    vdc->realize = virtio_sst_realize;
    vdc->unrealize = virtio_sst_unrealize;
    vdc->get_features = virtio_sst_get_features;
    vdc->get_config = virtio_sst_get_config;
    vdc->reset = virtio_sst_reset;
}

static const TypeInfo virtio_sst_info = {
    .name = TYPE_VIRTIO_SST,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOSst),
    .instance_init = virtio_sst_instance_init,
    .class_init = virtio_sst_class_init,
};

static void virtio_sst_register_types(void) { type_register_static(&virtio_sst_info); }

type_init(virtio_sst_register_types)

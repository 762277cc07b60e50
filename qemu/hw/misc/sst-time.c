/*
 * sst-device: the guest's virtual time against the simulator's (TIME PROTOCOL of
 * include/qemu-sst/channel_protocol.h).  One channel per QEMU, the "time master" (the first
 * channel - of an sst-device or a virtio-sst-device - whose HELLO_ACK kept
 * SST_MMIO_CAP_TIME_SYNC), carries SYNC and GRANT.
 *
 * Deterministic mode (QEMU runs with -icount, so QEMU_CLOCK_VIRTUAL counts instructions):
 *   - A QEMU_CLOCK_VIRTUAL timer sits at the horizon.  icount gives the vCPU an instruction
 *     budget that ends at the earliest virtual deadline, so the guest stops exactly there and
 *     the timer runs (in the vCPU thread, before another instruction).  It sends SYNC(now) and
 *     blocks until a GRANT beyond now, handling IRQ frames meanwhile.  The timer starts at 0, so
 *     nothing runs before the first GRANT.
 *   - An access made at or past the horizon syncs first (sst_time_before_access).
 *   - The RESPONSE's latency is added to the virtual clock (sst_time_advance below).
 *   - A GRANT only takes effect at the next SYNC, never when it happens to arrive.  The
 *     simulator may grant before QEMU asks (the bridge does when a response's latency carried
 *     the guest past the horizon), and that GRANT can reach us before or after the guest gets
 *     there.  Applying it at once would make whether a SYNC is sent - and when the IRQ frames
 *     sent before the GRANT are taken - depend on host timing.  Deferred, every run sends the
 *     same SYNCs at the same guest times and sees every frame at the same guest instruction.
 *     (At most one GRANT beyond the guest is ever in flight: the simulator grants again only
 *     once it has heard that the guest reached the last horizon.)
 * Fast mode: no GRANTs; a timer sends SYNC(now) about once per quantum so the simulator knows
 * how far the guest has got.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/seqlock.h"
#include "qemu/timer.h"
#include "hw/core/cpu.h"
#include "sysemu/cpu-timers.h"
#include "softmmu/timers-state.h"
#include "sst-channel.h"

#define SST_DEFAULT_QUANTUM_PS 1000000ull /* 1 us, if the HELLO_ACK gives none */
/*
 * Fast mode only reports progress.  Without -icount the virtual clock follows the host's, so a
 * 1 us period would wake the main loop a million times per second of wall time.  Even 10 us
 * (100k wake-ups/s) took a third off the virtio request rate on two cores; the simulator runs up
 * to max_sync_quantum (1 ms by default) ahead of the last SYNC anyway, so one per millisecond is
 * enough.
 */
#define SST_FAST_SYNC_MIN_NS 1000000

typedef struct SstTime {
    bool offered;    /* a HELLO has offered TIME_SYNC: the others must not */
    bool configured; /* a HELLO_ACK has fixed the mode */
    bool deterministic;
    uint64_t quantum_ps;
    SstChannel *master;  /* carries SYNC/GRANT; NULL if none, or once it is lost */
    uint64_t horizon_ps; /* the guest may run until here (deterministic mode) */
    uint64_t granted_ps; /* latest GRANT received; becomes the horizon at the next SYNC */
    bool granted;        /* a GRANT arrived, for the wait in sst_time_sync */
    bool started;        /* the start-up SYNC (time 0) has been sent */
    QEMUTimer *timer;    /* deterministic: at the horizon; fast: the next SYNC */
    uint64_t carry_ps;   /* latency below 1 ns not yet added to the clock */
} SstTime;

static SstTime sst_time;

uint64_t sst_time_now_ps(void) { return (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) * 1000; }

bool sst_time_offered(void) { return sst_time.offered; }

bool sst_time_deterministic(void) { return sst_time.deterministic; }

bool sst_time_synchronised(void) { return sst_time.master != NULL; }

/* SST_MMIO_SYNC_IDLE when every vCPU is halted (WFI): the guest only waits for an interrupt. */
static uint32_t sst_time_sync_flags(void) {
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        if (!cpu->halted) {
            return 0;
        }
    }
    return SST_MMIO_SYNC_IDLE;
}

/*
 * Deterministic mode: report our time; take the latest GRANT as the horizon, waiting for one
 * beyond now if there is none yet.  Runs at the horizon (timer), before an access past it, and at
 * start-up (time 0) whatever the horizon, so that every run sends the same SYNCs.
 */
static void sst_time_sync(bool always) {
    SstTime *t = &sst_time;
    uint64_t now = sst_time_now_ps();
    bool synced = false;

    /* A GRANT that is still not beyond us is answered with another SYNC, as the protocol wants. */
    while (t->master && (always || now >= t->horizon_ps)) {
        const struct sst_mmio_sync sync = {.vtime_ps = now, .flags = sst_time_sync_flags()};
        SstChannel *m = t->master;

        always = false;
        t->granted = false;
        if (!sst_channel_request(m, SST_MMIO_SYNC, &sync) ||
            (t->granted_ps <= now && !sst_channel_wait(m, &t->granted))) {
            break; /* the channel died and sst_time_channel_lost let the guest run free */
        }
        t->horizon_ps = t->granted_ps;
        synced = true;
    }
    /* Frames sent before the GRANT, on any channel, are in their rings by now: take them. */
    sst_channel_drain_all();
    /*
     * A GRANT goes out only once the simulator has reached the guest's time, so everything due by
     * now is among them: a synchronisation point for the devices.
     */
    if (synced) {
        sst_channel_synced_all(now);
    }
    if (t->master) {
        timer_mod(t->timer, DIV_ROUND_UP(t->horizon_ps, 1000));
    }
}

static void sst_time_horizon_timer(void *opaque) {
    SstTime *t = &sst_time;
    bool first = !t->started;

    t->started = true;
    sst_time_sync(first);
}

static void sst_time_fast_timer(void *opaque) {
    SstTime *t = &sst_time;
    const struct sst_mmio_sync sync = {.vtime_ps = sst_time_now_ps(), .flags = sst_time_sync_flags()};
    int64_t period_ns = MAX(t->quantum_ps / 1000, SST_FAST_SYNC_MIN_NS);

    if (t->master && sst_channel_send(t->master, SST_MMIO_SYNC, &sync)) {
        timer_mod(t->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + period_ns);
    }
}

bool sst_time_configure(SstChannel *s, const struct sst_mmio_hello_ack *ack, Error **errp) {
    SstTime *t = &sst_time;
    bool deterministic = ack->time_mode == SST_MMIO_TIME_DETERMINISTIC;

    t->offered = true;
    if (ack->time_mode != SST_MMIO_TIME_FAST && !deterministic) {
        error_setg(errp, "%s %s: unknown time mode %u", s->kind, sst_channel_name(s), ack->time_mode);
        return false;
    }
    if (t->configured && deterministic != t->deterministic) {
        error_setg(errp,
                   "%s %s: the simulator asks for %s time, but for %s time on an "
                   "earlier channel",
                   s->kind, sst_channel_name(s), deterministic ? "deterministic" : "fast",
                   t->deterministic ? "deterministic" : "fast");
        return false;
    }
    if (deterministic && !icount_enabled()) {
        error_setg(errp,
                   "%s %s: deterministic time needs -icount (the simulator passes "
                   "'-icount shift=N,sleep=off')",
                   s->kind, sst_channel_name(s));
        return false;
    }
    t->configured = true;
    t->deterministic = deterministic;
    t->quantum_ps = ack->quantum_ps ? ack->quantum_ps : SST_DEFAULT_QUANTUM_PS;
    if (ack->capabilities & SST_MMIO_CAP_TIME_SYNC) {
        t->master = s;
        if (!t->timer) { /* a fast-mode master that reconnected has one already */
            t->timer =
                timer_new_ns(QEMU_CLOCK_VIRTUAL, deterministic ? sst_time_horizon_timer : sst_time_fast_timer, NULL);
        }
        /* Deterministic: horizon 0, so the guest syncs and waits for a GRANT before it starts. */
        timer_mod(t->timer, 0);
    }
    return true;
}

void sst_time_grant(SstChannel *s, uint64_t horizon_ps) {
    SstTime *t = &sst_time;

    if (s != t->master || !t->deterministic) {
        sst_channel_fail(s, "GRANT on a channel that does not carry deterministic time");
        return;
    }
    t->granted_ps = MAX(t->granted_ps, horizon_ps);
    t->granted = true; /* takes effect in sst_time_sync */
}

/*
 * Deterministic mode, the simulator gone: the guest's time means nothing any more, and a guest
 * that touches no device would otherwise run on for ever.  It gets a moment to end by itself
 * first (a guest blocked on an access gets a fault and reports its own verdict).
 */
#define SST_ORPHAN_GRACE_MS 1000

static void sst_time_orphaned(void *opaque) {
    error_report("no simulator keeps the guest's time any more (deterministic mode): exiting");
    exit(EXIT_FAILURE);
}

void sst_time_channel_lost(SstChannel *s, bool orderly) {
    SstTime *t = &sst_time;
    static QEMUTimer *orphan_timer;

    if (s != t->master) {
        return;
    }
    if (t->deterministic && !orderly && !orphan_timer) {
        orphan_timer = timer_new_ms(QEMU_CLOCK_REALTIME, sst_time_orphaned, NULL);
        timer_mod(orphan_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + SST_ORPHAN_GRACE_MS);
    }
    t->master = NULL;
    timer_del(t->timer);
    if (!t->deterministic) {
        t->offered = false; /* a channel reconnecting to a new simulator may report time again */
    }
    sst_channel_synced_all(UINT64_MAX); /* nothing waits for a synchronisation any more */
    if (t->deterministic && !orderly) {
        error_report("%s %s: guest time is no longer synchronised with the simulator", s->kind, sst_channel_name(s));
    }
}

void sst_time_before_access(void) {
    SstTime *t = &sst_time;

    if (t->deterministic && t->master && sst_time_now_ps() >= t->horizon_ps) {
        sst_time_sync(false);
    }
}

/*
 * Moves QEMU_CLOCK_VIRTUAL forward by delta_ns without executing anything.
 *
 * With -icount the virtual clock is timers_state.qemu_icount_bias plus the executed instruction
 * count scaled by the shift.  QEMU has one way of advancing that clock with no instructions run,
 * used by icount_start_warp_timer() when sleep=off and every vCPU is idle: add to the bias under
 * vm_clock_seqlock.  We do the same for the time the vCPU spent stalled on the simulator.  Then
 * rdtime (the ACLINT timer reads this clock) and rdcycle/rdinstret (riscv's get_ticks() read it
 * too under icount) see the latency, and so does every virtual timer, while the instruction count
 * and therefore the instruction stream stay untouched and deterministic.  Counting the stall as
 * instructions (timers_state.qemu_icount) instead would mislabel it, and QEMU 7.2 has no public
 * "advance the virtual clock" call outside qtest.
 *
 * qemu_clock_notify() makes the vCPU recompute its instruction budget (it kicks the vCPU when
 * called from it), so timers the jump made due - our horizon among them - run before the next
 * instruction.
 */
static void sst_time_advance(int64_t delta_ns) {
    seqlock_write_lock(&timers_state.vm_clock_seqlock, &timers_state.vm_clock_lock);
    qatomic_set_i64(&timers_state.qemu_icount_bias, timers_state.qemu_icount_bias + delta_ns);
    seqlock_write_unlock(&timers_state.vm_clock_seqlock, &timers_state.vm_clock_lock);
    qemu_clock_notify(QEMU_CLOCK_VIRTUAL);
}

void sst_time_after_access(uint64_t latency_ps, uint64_t horizon_ps) {
    SstTime *t = &sst_time;
    int64_t delta_ns;

    if (!t->deterministic) {
        return; /* fast mode: the wall time the vCPU waited is all the latency there is */
    }
    if (horizon_ps && t->master) {
        /* The access gave the simulator something to do before the horizon: stop there.  A GRANT
         * not yet in effect is lowered too, or the next SYNC would take it and run past. */
        t->horizon_ps = MIN(t->horizon_ps, horizon_ps);
        t->granted_ps = MIN(t->granted_ps, horizon_ps);
        timer_mod(t->timer, DIV_ROUND_UP(t->horizon_ps, 1000));
    }
    t->carry_ps += latency_ps;
    delta_ns = (int64_t)(t->carry_ps / 1000);
    t->carry_ps %= 1000;
    if (delta_ns) {
        sst_time_advance(delta_ns);
    }
}

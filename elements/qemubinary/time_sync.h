// The bridge's time and grant policy, apart from any channel or SST machinery so that it reads (and
// is tested) on its own.  It follows what QEMU reported of its guest clock and decides when QEMU
// may run on (GRANT horizons in deterministic mode) and when the engine may take its turn.
//
// Horizons fall on sync-quantum boundaries and are granted as soon as QEMU waits at a time the
// engine has reached.  While the guest touches no device and no interrupt goes out, each horizon is
// twice as far as the last (up to max_sync_quantum), so a long computation costs few
// synchronisations; any device activity brings the step back to sync_quantum.
//
// Exact horizons.  When the engine can say when its next activity is due (the embedded engine can,
// sst-core cannot), no horizon lies beyond it: QEMU stops exactly where the engine has something to
// do, so an interrupt raised then reaches the guest at that time, not at the next quantum boundary,
// and DMA takes effect with the guest stopped exactly at the burst's time.  With nothing queued,
// horizons are as long as ever.
#ifndef QEMU_SST_QEMUBINARY_TIME_SYNC_H
#define QEMU_SST_QEMUBINARY_TIME_SYNC_H

#include <cstddef>
#include <cstdint>

namespace QemuSst {

class TimeSync {
public:
    TimeSync(bool deterministic, uint64_t quantum_ps, uint64_t max_quantum_ps);

    bool deterministic() const { return deterministic_; }
    uint64_t quantumPs() const { return quantum_ps_; }
    uint64_t guestTimePs() const { return guest_time_ps_; }
    uint64_t horizonPs() const { return horizon_ps_; }
    size_t outstanding() const { return outstanding_; }

    // QEMU reported (by a SYNC, an access or a request) that its guest clock reached vtime_ps.
    void guestReached(uint64_t vtime_ps);
    // An access, request, interrupt or event: the next horizon is one sync_quantum away.
    void deviceActivity() { device_activity_ = true; }
    // QEMU blocks on each access until its response (or until the channel carrying it dies).
    void accessStarted() { outstanding_++; }
    void accessesEnded(size_t count) { outstanding_ -= count; }

    // When the engine delivers something QEMU sent at guest time vtime_ps: then, in deterministic
    // mode, unless the engine is already past it (QEMU was late); in fast mode at once.
    uint64_t deliveryPs(uint64_t vtime_ps, uint64_t now_ps) const;
    // The time an interrupt or event goes out with.  QEMU applies it when its clock gets there; in
    // fast mode the engine may be ahead of the guest, and what it sends must take effect at once.
    uint64_t stampPs(uint64_t now_ps) const;

    // What deterministic mode asks of the bridge now.
    struct Step {
        enum Kind {
            None,     // QEMU is blocked on an access or still running towards its horizon
            CatchUp,  // QEMU waits ahead of the engine: wake up at at_ps, then grant
            Grant,    // send GRANT(at_ps), and wake up then
            Yield,    // the engine has more to do at the guest's time first: wake up again after it
        } kind;
        uint64_t at_ps;
    };
    // Granting whenever QEMU waits at a time the engine has reached (not only at quantum
    // boundaries) keeps the engine from ever running ahead of a waiting guest, e.g. after a slow
    // access carried it past its horizon.  A Grant moves the horizon.
    // next_activity_ps: when the engine's next activity is due (UINT64_MAX: unknown or none).
    Step nextStep(uint64_t now_ps, uint64_t next_activity_ps = UINT64_MAX);

    // An access QEMU was blocked on completes at now_ps and the engine's next activity is due at
    // next_activity_ps: if that is before the horizon, the horizon comes down to it (not below
    // now_ps), and the new horizon is returned for the RESPONSE to carry; else 0.
    uint64_t lowerHorizon(uint64_t now_ps, uint64_t next_activity_ps);

    // Whether the engine may run on at now_ps without overtaking anything QEMU might still send:
    // QEMU is blocked on an access, waiting at its horizon (deterministic) or, in fast mode, no
    // more than max_sync_quantum behind (further while a virtio request waits for its answer, since
    // QEMU may be spinning in the kick for it).
    bool quiescent(uint64_t now_ps, bool virtio_in_flight) const;

private:
    bool deterministic_;
    uint64_t quantum_ps_;      // sync_quantum: horizon step while devices are in use
    uint64_t max_quantum_ps_;  // max_sync_quantum: longest step while they are not
    uint64_t current_quantum_ps_;
    bool device_activity_ = true;          // an access or interrupt since the last grant
    uint64_t guest_time_ps_ = 0;           // latest guest virtual time QEMU reported
    uint64_t horizon_ps_ = 0;              // guest may run until here (deterministic mode)
    size_t outstanding_ = 0;               // accesses QEMU is blocked on
    uint64_t yielded_at_ps_ = UINT64_MAX;  // the engine time of the last Yield
};

}  // namespace QemuSst

#endif

#include "time_sync.h"

#include <algorithm>

namespace QemuSst {

TimeSync::TimeSync(bool deterministic, uint64_t quantum_ps, uint64_t max_quantum_ps)
    : deterministic_(deterministic), quantum_ps_(quantum_ps), max_quantum_ps_(max_quantum_ps),
      current_quantum_ps_(quantum_ps) {}

void TimeSync::guestReached(uint64_t vtime_ps) { guest_time_ps_ = std::max(guest_time_ps_, vtime_ps); }

uint64_t TimeSync::deliveryPs(uint64_t vtime_ps, uint64_t now_ps) const {
    return deterministic_ ? std::max(vtime_ps, now_ps) : now_ps;
}

uint64_t TimeSync::stampPs(uint64_t now_ps) const { return deterministic_ ? now_ps : std::min(now_ps, guest_time_ps_); }

TimeSync::Step TimeSync::nextStep(uint64_t now_ps, uint64_t next_activity_ps) {
    if (!deterministic_ || outstanding_ > 0 || guest_time_ps_ < horizon_ps_) {
        return {Step::None, 0};
    }
    if (guest_time_ps_ > now_ps) {
        return {Step::CatchUp, guest_time_ps_};
    }
    if (next_activity_ps <= guest_time_ps_) {
        // E.g. an interrupt due now: it must go out before QEMU runs on.  Once per simulated time:
        // the bridge's yield wake-up comes after every event due now, so what is still queued for
        // now after it (end-of-run activities) cannot reach the guest, and yielding to it again
        // would never end.
        if (yielded_at_ps_ != now_ps) {
            yielded_at_ps_ = now_ps;
            return {Step::Yield, now_ps};
        }
        next_activity_ps = UINT64_MAX;
    }
    current_quantum_ps_ = device_activity_ ? quantum_ps_ : std::min(2 * current_quantum_ps_, max_quantum_ps_);
    device_activity_ = false;
    horizon_ps_ = std::min(guest_time_ps_ / quantum_ps_ * quantum_ps_ + current_quantum_ps_, next_activity_ps);
    return {Step::Grant, horizon_ps_};
}

uint64_t TimeSync::lowerHorizon(uint64_t now_ps, uint64_t next_activity_ps) {
    if (!deterministic_ || next_activity_ps >= horizon_ps_) {
        return 0;
    }
    horizon_ps_ = std::max(next_activity_ps, now_ps);
    return horizon_ps_;
}

bool TimeSync::quiescent(uint64_t now_ps, bool virtio_in_flight) const {
    if (outstanding_ > 0) {
        return true;
    }
    if (deterministic_) {
        return guest_time_ps_ >= horizon_ps_;
    }
    // SYNCs come about once per millisecond of guest time, so the engine may run up to
    // max_sync_quantum ahead of the last one: a device's interrupt for an idle guest then goes out
    // without waiting for the next SYNC.
    return guest_time_ps_ + max_quantum_ps_ >= now_ps || virtio_in_flight;
}

}  // namespace QemuSst

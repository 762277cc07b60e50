#include "clock_ticker.h"

#include <algorithm>

namespace SST::Core {

void ClockTicker::add(Clock::HandlerBase* handler) {
    if (ticking_) {
        added_during_tick_.push_back(handler);  // first runs at the next tick
        return;
    }
    handlers_.push_back(handler);
    if (!scheduled_)
        schedule();
}

void ClockTicker::remove(Clock::HandlerBase* handler) {
    auto added = std::find(added_during_tick_.begin(), added_during_tick_.end(), handler);
    if (added != added_during_tick_.end()) {
        added_during_tick_.erase(added);
        return;
    }
    auto it = std::find(handlers_.begin(), handlers_.end(), handler);
    if (it == handlers_.end())
        return;
    if (ticking_) {
        // The tick loop indexes the vector; leave a hole and compact when it is done.
        *it = nullptr;
        removed_during_tick_ = true;
    } else {
        handlers_.erase(it);
    }
    // A queued tick with no handlers left simply lapses (see execute()).
}

bool ClockTicker::has(Clock::HandlerBase* handler) const {
    return std::find(handlers_.begin(), handlers_.end(), handler) != handlers_.end() ||
           std::find(added_during_tick_.begin(), added_during_tick_.end(), handler) != added_during_tick_.end();
}

Cycle_t ClockTicker::nextCycle() const { return (scheduled_ ? cycle_ : engine_.now() / period_) + 1; }

void ClockTicker::schedule() {
    const SimTime_t now = engine_.now();
    cycle_ = now / period_;
    SimTime_t next = (cycle_ + 1) * period_;
    // Registered mid-run at a boundary whose clocks have not ticked yet: tick at once.
    if (engine_.phase() == Phase::Run && now != 0 && now % period_ == 0 && engine_.currentPriority() < CLOCKPRIORITY) {
        next = now;
        --cycle_;
    }
    engine_.scheduleAction(next, CLOCKPRIORITY, this);
    scheduled_ = true;
}

void ClockTicker::execute() {
    if (handlers_.empty()) {
        scheduled_ = false;
        return;
    }
    const Cycle_t cycle = ++cycle_;

    ticking_ = true;
    bool removed = false;
    Clock::HandlerBase* const* handlers = handlers_.data();
    const size_t n = handlers_.size();
    for (size_t i = 0; i < n; ++i) {
        Clock::HandlerBase* handler = handlers[i];
        if (handler != nullptr && (*handler)(cycle)) {
            handlers_[i] = nullptr;
            removed = true;
        }
    }
    ticking_ = false;

    if (removed || removed_during_tick_) {
        handlers_.erase(std::remove(handlers_.begin(), handlers_.end(), nullptr), handlers_.end());
        removed_during_tick_ = false;
    }
    if (!added_during_tick_.empty()) {
        handlers_.insert(handlers_.end(), added_during_tick_.begin(), added_during_tick_.end());
        added_during_tick_.clear();
    }

    if (handlers_.empty()) {
        scheduled_ = false;
        return;
    }
    engine_.scheduleAction(engine_.now() + period_, CLOCKPRIORITY, this);
}

}  // namespace SST::Core

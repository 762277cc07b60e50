#ifndef QEMU_SST_ENGINE_CLOCK_TICKER_H
#define QEMU_SST_ENGINE_CLOCK_TICKER_H

#include "engine.h"

#include "sst/core/clock.h"

#include <vector>

namespace SST::Core {

// All handlers registered at one period share one ticker.  It is on the queue only while it has
// handlers, so an idle clock costs nothing.  At time t its handlers get cycle t / period, the
// first tick of a clock registered at time 0 being cycle 1 at time period.
class ClockTicker final : public Action {
public:
    ClockTicker(Engine& engine, SimTime_t period) : engine_(engine), period_(period) {}

    void add(Clock::HandlerBase* handler);     // schedules the next boundary when idle
    void remove(Clock::HandlerBase* handler);  // no-op when not registered
    bool has(Clock::HandlerBase* handler) const;
    // The cycle number the handlers will see at the next tick.
    Cycle_t nextCycle() const;

    void execute() override;

private:
    void schedule();

    Engine& engine_;
    const SimTime_t period_;
    Cycle_t cycle_ = 0;
    std::vector<Clock::HandlerBase*> handlers_;
    // Added while ticking; they join at the end of the tick so handlers_ never grows (and
    // reallocates) under the tick loop.
    std::vector<Clock::HandlerBase*> added_during_tick_;
    bool scheduled_ = false;  // an entry for this ticker is on the queue
    bool ticking_ = false;
    bool removed_during_tick_ = false;
};

}  // namespace SST::Core

#endif

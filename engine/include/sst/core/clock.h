#ifndef SST_CORE_CLOCK_H
#define SST_CORE_CLOCK_H

#include "sst/core/sst_types.h"
#include "sst/core/ssthandler.h"
#include "sst/core/timeConverter.h"

namespace SST {

// Only the handler types are public: clocks themselves are owned and scheduled by the engine.
class Clock {
public:
    // Returning true removes the handler from its clock (it can come back with reregisterClock).
    using HandlerBase = SSTHandlerBase<bool, Cycle_t>;

    // new Clock::Handler<C, &C::tick>(this)            -> bool tick(Cycle_t)
    // new Clock::Handler<C, &C::tick, T>(this, data)   -> bool tick(Cycle_t, T)
    template <typename classT, auto funcT, typename dataT = void>
    using Handler = SSTHandler<bool, Cycle_t, classT, dataT, funcT>;

    Clock() = delete;
};

}  // namespace SST

#endif

#ifndef SST_CORE_ACTIVITY_H
#define SST_CORE_ACTIVITY_H

#include "sst/core/sst_types.h"

#include <cstdint>

// Ordering of activities that fall on the same simulated time: lower runs first.  Stopping
// comes before anything else at that time, clocks tick before events are delivered (so a
// handler sees the state its clock produced), and the end-of-simulation check runs last.
#define STOPACTIONPRIORITY 30
#define CLOCKPRIORITY 40
#define EVENTPRIORITY 50
#define MEMEVENTPRIORITY 50
#define STATISTICCLOCKPRIORITY 85
#define EXITPRIORITY 99

namespace SST {

class Link;
namespace Core {
class Engine;
}

class Activity {
public:
    virtual ~Activity() = default;

    SimTime_t getDeliveryTime() const { return delivery_time_; }
    int getPriority() const { return priority_; }

protected:
    // The queue packs the priority into one byte of its sort key.
    void setPriority(uint8_t priority) { priority_ = priority; }

private:
    friend class Link;
    friend class Core::Engine;

    SimTime_t delivery_time_ = 0;
    uint8_t priority_ = EVENTPRIORITY;
};

}  // namespace SST

#endif

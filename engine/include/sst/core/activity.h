#ifndef SST_CORE_ACTIVITY_H
#define SST_CORE_ACTIVITY_H

#include "sst/core/serialization/serializable.h"
#include "sst/core/sst_types.h"

#include <cstdint>

// Ordering of activities that fall on the same simulated time: lower runs first.  Stopping
// comes before anything else at that time, clocks tick before events are delivered (so a
// handler sees the state its clock produced), and the end-of-simulation check runs last.
#define THREADSYNCPRIORITY 20
#define SYNCPRIORITY 25
#define STOPACTIONPRIORITY 30
#define CLOCKPRIORITY 40
#define EVENTPRIORITY 50
#define MEMEVENTPRIORITY 50
#define BARRIERPRIORITY 75
#define ONESHOTPRIORITY 80
#define STATISTICCLOCKPRIORITY 85
#define FINALEVENTPRIORITY 98
#define EXITPRIORITY 99

namespace SST {

class Link;
namespace Core {
class Engine;
struct ActivityAccess;
}  // namespace Core

// Serializable so an event's timing crosses a rank boundary with it (SST's Activity is too).
class Activity : public SST::Core::Serialization::serializable {
public:
    ~Activity() override = default;

    SimTime_t getDeliveryTime() const { return delivery_time_; }
    int getPriority() const { return priority_; }

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        SST_SER(delivery_time_);
        SST_SER(priority_);
    }
    ImplementVirtualSerializable(SST::Activity);
    // For an activity that takes another's place in flight (a PortModule replacing an event):
    // the same delivery time and priority.
    virtual void copyAllDeliveryInfo(const Activity* act) {
        delivery_time_ = act->delivery_time_;
        priority_ = act->priority_;
    }

protected:
    // The queue packs the priority into one byte of its sort key.
    void setPriority(uint8_t priority) { priority_ = priority; }

private:
    friend class Link;
    friend class Core::Engine;
    friend struct Core::ActivityAccess;

    SimTime_t delivery_time_ = 0;
    uint8_t priority_ = EVENTPRIORITY;
};

}  // namespace SST

#endif

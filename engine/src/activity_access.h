#ifndef QEMU_SST_ENGINE_ACTIVITY_ACCESS_H
#define QEMU_SST_ENGINE_ACTIVITY_ACCESS_H

#include "sst/core/event.h"

namespace SST::Core {

// The scheduling fields of Activity and Event are private (as in SST); tests that check they
// survive serialization set and read them through here.
struct ActivityAccess {
    static SimTime_t deliveryTime(const Activity& a) { return a.delivery_time_; }
    static void setDeliveryTime(Activity& a, SimTime_t t) { a.delivery_time_ = t; }
    static int priority(const Activity& a) { return a.priority_; }
    static void setPriority(Activity& a, uint8_t p) { a.priority_ = p; }
    static Event::HandlerBase* deliveryHandler(const Event& e) { return e.delivery_handler_; }
    static void setDeliveryHandler(Event& e, Event::HandlerBase* h) { e.delivery_handler_ = h; }
};

}  // namespace SST::Core

#endif

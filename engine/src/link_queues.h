#ifndef QEMU_SST_ENGINE_LINK_QUEUES_H
#define QEMU_SST_ENGINE_LINK_QUEUES_H

#include "sst/core/event.h"

#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

namespace SST::Core {

// Per link end, only for the rarer uses: events waiting to be polled, and untimed data.
// Owns the events it holds.
struct LinkEndQueues {
    struct Polled {
        SimTime_t time;
        uint64_t sequence;  // keeps same-time events in send order
        Event* event;
        bool operator>(const Polled& o) const { return time != o.time ? time > o.time : sequence > o.sequence; }
    };
    struct Untimed {
        unsigned round;  // untimed round it was sent in
        Event* event;
    };

    std::priority_queue<Polled, std::vector<Polled>, std::greater<Polled>> polled;
    uint64_t polled_sequence = 0;
    std::deque<Untimed> untimed;

    void clearUntimed() {
        for (const Untimed& u : untimed)
            delete u.event;
        untimed.clear();
    }

    ~LinkEndQueues() {
        clearUntimed();
        for (; !polled.empty(); polled.pop())
            delete polled.top().event;
    }
};

}  // namespace SST::Core

#endif

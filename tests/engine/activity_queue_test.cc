#include "activity_queue.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

using SST::Core::ActivityQueue;

namespace {

std::vector<uintptr_t> popAll(ActivityQueue& q) {
    std::vector<uintptr_t> order;
    while (!q.empty())
        order.push_back(q.pop().payload);
    return order;
}

}  // namespace

TEST(ActivityQueue, OrdersByTimeThenPriorityThenInsertion) {
    ActivityQueue q;
    q.push(20, 50, 1);
    q.push(10, 50, 2);
    q.push(10, 40, 3);
    q.push(10, 50, 4);
    q.push(5, 99, 5);
    q.push(10, 40, 6);
    EXPECT_EQ(q.size(), 6u);
    EXPECT_EQ(q.peek().payload, 5u);
    EXPECT_EQ(popAll(q), (std::vector<uintptr_t>{5, 3, 6, 2, 4, 1}));
}

TEST(ActivityQueue, SameKeyPushedDuringDispatchRunsAfterTheRest) {
    ActivityQueue q;
    q.push(10, 50, 1);
    q.push(10, 50, 2);
    EXPECT_EQ(q.pop().payload, 1u);
    q.push(10, 50, 3);  // as a handler sending with zero latency would
    EXPECT_EQ(q.pop().payload, 2u);
    EXPECT_EQ(q.pop().payload, 3u);
    q.push(10, 50, 4);  // after its bucket was drained
    q.push(10, 40, 5);
    EXPECT_EQ(popAll(q), (std::vector<uintptr_t>{5, 4}));
}

// SST's order for same-time, same-priority activities: the link order tag, then insertion, also
// for one pushed while its time is being dispatched.
TEST(ActivityQueue, SameTimeAndPriorityGoByOrderTagThenInsertion) {
    ActivityQueue q;
    q.push(10, 50, 3, 1);
    q.push(10, 50, 1, 2);
    q.push(10, 50, 3, 3);
    q.push(10, 50, 2, 4);
    q.push(10, 40, 9, 5);  // an earlier priority goes first whatever its tag
    EXPECT_EQ(q.pop().payload, 5u);
    EXPECT_EQ(q.pop().payload, 2u);
    q.push(10, 50, 1, 6);  // sent now, with zero latency, on a lower-tagged link: next
    EXPECT_EQ(popAll(q), (std::vector<uintptr_t>{6, 4, 1, 3}));
}

// Random interleavings of pushes and pops, with enough distinct keys to collide in the bucket
// cache, must match a reference ordered by (time, priority, tag, insertion).
TEST(ActivityQueue, MatchesReferenceOrderingUnderRandomInterleaving) {
    std::mt19937 rng(12345);
    ActivityQueue q;
    std::set<std::tuple<uint64_t, uint8_t, uint32_t, uint64_t, uintptr_t>> reference;
    uint64_t sequence = 0;
    uint64_t now = 0;
    for (int step = 0; step < 200000; ++step) {
        if (reference.empty() || rng() % 3 != 0) {
            const uint64_t time = now + rng() % 2000;
            const uint8_t priority = static_cast<uint8_t>(40 + 10 * (rng() % 3));
            const uint32_t tag = static_cast<uint32_t>(rng() % 4);
            const uintptr_t payload = static_cast<uintptr_t>(step) * 2;
            q.push(time, priority, tag, payload);
            reference.emplace(time, priority, tag, sequence++, payload);
        } else {
            const auto expected = *reference.begin();
            reference.erase(reference.begin());
            const ActivityQueue::Entry got = q.pop();
            ASSERT_EQ(got.time, std::get<0>(expected));
            ASSERT_EQ(got.priority, std::get<1>(expected));
            ASSERT_EQ(got.payload, std::get<4>(expected));
            now = got.time;
        }
        ASSERT_EQ(q.size(), reference.size());
    }
}

TEST(ActivityQueue, DrainHandsBackEveryPendingPayload) {
    ActivityQueue q;
    for (uintptr_t i = 0; i < 10; ++i)
        q.push(i % 3, 50, i);
    q.pop();
    std::multiset<uintptr_t> drained;
    q.drain([&](uintptr_t payload) { drained.insert(payload); });
    EXPECT_EQ(drained.size(), 9u);
    EXPECT_EQ(drained.count(0), 0u);  // the popped one
    EXPECT_TRUE(q.empty());
}

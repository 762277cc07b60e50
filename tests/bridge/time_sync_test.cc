#include "qemubinary/time_sync.h"

#include <gtest/gtest.h>

#include <vector>

namespace QemuSst {
namespace {

constexpr uint64_t kQuantum = 1000;
constexpr uint64_t kMaxQuantum = 8000;

TEST(TimeSync, FirstGrantIsOneQuantumFromTimeZero) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    const auto step = time.nextStep(0);
    EXPECT_EQ(step.kind, TimeSync::Step::Grant);
    EXPECT_EQ(step.at_ps, kQuantum);
    EXPECT_EQ(time.horizonPs(), kQuantum);
}

TEST(TimeSync, NoGrantWhileQemuRunsTowardsItsHorizonOrIsBlocked) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    time.nextStep(0);
    time.guestReached(500);
    EXPECT_EQ(time.nextStep(500).kind, TimeSync::Step::None);
    EXPECT_FALSE(time.quiescent(500, false));
    time.guestReached(kQuantum);
    time.accessStarted();
    EXPECT_EQ(time.nextStep(kQuantum).kind, TimeSync::Step::None);
    EXPECT_TRUE(time.quiescent(kQuantum, false));  // blocked on the access
    time.accessesEnded(1);
    EXPECT_EQ(time.nextStep(kQuantum).kind, TimeSync::Step::Grant);
}

TEST(TimeSync, QuantumDoublesWhileIdleUpToTheMaximumAndResetsOnActivity) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    uint64_t now = 0;
    std::vector<uint64_t> steps;
    for (int i = 0; i < 6; i++) {
        const auto step = time.nextStep(now);
        ASSERT_EQ(step.kind, TimeSync::Step::Grant);
        steps.push_back(step.at_ps - now);
        now = step.at_ps;
        time.guestReached(now);
    }
    // The first grant follows the start, which counts as activity.
    EXPECT_EQ(steps, (std::vector<uint64_t>{1000, 2000, 4000, 8000, 8000, 8000}));
    time.deviceActivity();
    EXPECT_EQ(time.nextStep(now).at_ps, now + kQuantum);
}

TEST(TimeSync, GuestAheadOfTheEngineIsCaughtUpWithBeforeTheNextGrant) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    time.nextStep(0);
    time.deviceActivity();
    time.guestReached(2500);  // a slow access carried it past its horizon
    const auto catch_up = time.nextStep(1000);
    EXPECT_EQ(catch_up.kind, TimeSync::Step::CatchUp);
    EXPECT_EQ(catch_up.at_ps, 2500u);
    const auto grant = time.nextStep(2500);
    EXPECT_EQ(grant.kind, TimeSync::Step::Grant);
    EXPECT_EQ(grant.at_ps, 3000u);  // one quantum after the access, on a quantum boundary
}

TEST(TimeSync, DeterministicDeliveryIsAtGuestTimeUnlessLate) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    EXPECT_EQ(time.deliveryPs(700, 500), 700u);
    EXPECT_EQ(time.deliveryPs(300, 500), 500u);
    EXPECT_EQ(time.stampPs(500), 500u);
}

TEST(TimeSync, FastModeNeverGrantsAndStaysWithinMaxQuantumOfTheGuest) {
    TimeSync time(false, kQuantum, kMaxQuantum);
    EXPECT_EQ(time.nextStep(0).kind, TimeSync::Step::None);
    EXPECT_EQ(time.deliveryPs(700, 500), 500u);
    time.guestReached(1000);
    EXPECT_TRUE(time.quiescent(1000 + kMaxQuantum, false));
    EXPECT_FALSE(time.quiescent(1001 + kMaxQuantum, false));
    EXPECT_TRUE(time.quiescent(1001 + kMaxQuantum, true));  // a virtio request waits for its answer
    EXPECT_EQ(time.stampPs(5000), 1000u);                   // the engine is ahead: takes effect at once
}

TEST(TimeSync, HorizonStopsAtTheEnginesNextActivity) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    const auto step = time.nextStep(0, 300);
    EXPECT_EQ(step.kind, TimeSync::Step::Grant);
    EXPECT_EQ(step.at_ps, 300u);
    time.guestReached(300);
    time.deviceActivity();
    EXPECT_EQ(time.nextStep(300, UINT64_MAX).at_ps, kQuantum);  // nothing queued: to the boundary
}

TEST(TimeSync, AnAccessLowersTheHorizonToTheEnginesNextActivity) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    time.nextStep(0);
    time.guestReached(200);
    EXPECT_EQ(time.lowerHorizon(200, 5000), 0u) << "nothing due before the horizon";
    EXPECT_EQ(time.lowerHorizon(200, 700), 700u);
    EXPECT_EQ(time.horizonPs(), 700u);
    EXPECT_FALSE(time.quiescent(200, false));
    time.guestReached(700);
    EXPECT_TRUE(time.quiescent(700, false));
    TimeSync fast(false, kQuantum, kMaxQuantum);
    EXPECT_EQ(fast.lowerHorizon(200, 700), 0u);
}

TEST(TimeSync, ActivityAtTheGuestsTimeGoesFirstOnce) {
    TimeSync time(true, kQuantum, kMaxQuantum);
    time.nextStep(0, 300);
    time.guestReached(300);
    time.deviceActivity();
    EXPECT_EQ(time.nextStep(300, 300).kind, TimeSync::Step::Yield);
    // Still something at 300 (say, of a later priority): granting on is the only way forward.
    const auto step = time.nextStep(300, 300);
    EXPECT_EQ(step.kind, TimeSync::Step::Grant);
    EXPECT_EQ(step.at_ps, kQuantum);
}

}  // namespace
}  // namespace QemuSst

// Endpoint traffic after the handshake: frames both ways, waiting with a timeout, hang-ups,
// corruption, a full ring, and sst_ep_wait_any over several channels (spinning and asleep).
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "endpoint_test_support.h"

namespace {

using namespace endpoint_test;

sst_mmio_access access_with_id(uint64_t id) {
    sst_mmio_access a{};
    a.id = id;
    a.offset = 8 * id;
    a.size = 8;
    a.vtime_ps = 1000 * id;
    return a;
}

sst_mmio_response response_to(uint64_t id) {
    sst_mmio_response r{};
    r.id = id;
    r.data = ~id;
    r.latency_ps = 10;
    r.status = SST_MMIO_OK;
    return r;
}

class Traffic : public ::testing::TestWithParam<bool> {
protected:
    void SetUp() override {
        ChannelOptions options;
        options.ack_caps = shm() ? SST_MMIO_CAP_SHM_RING : 0;
        options.ring_capacity = 1024;  // small, so a few dozen frames wrap the rings
        open_channel(dir_.path(), options, ch_);
        ASSERT_EQ(ch_.sim_rc, 0) << ch_.sim.error;
        ASSERT_EQ(ch_.qemu_rc, 0) << ch_.qemu.error;
        ASSERT_EQ(ch_.sim.shm != nullptr, shm());
    }
    bool shm() const { return GetParam(); }
    uint32_t first_seq() const { return shm() ? 2 : 1; }  // frames the handshake already used

    SocketDir dir_;
    Channel ch_;
};

INSTANTIATE_TEST_SUITE_P(Endpoint, Traffic, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "SharedRings" : "SocketOnly"; });

TEST_P(Traffic, AccessesAndResponsesFlowBothWaysInOrder) {
    for (uint64_t id = 1; id <= 100; id++) {
        const auto access = access_with_id(id);
        ASSERT_EQ(sst_ep_send(&ch_.qemu, id % 2 ? SST_MMIO_READ : SST_MMIO_WRITE, &access), 0) << ch_.qemu.error;
        sst_mmio_frame frame;
        ASSERT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_FRAME) << ch_.sim.error;
        ASSERT_EQ(frame.hdr.type, id % 2 ? uint32_t{SST_MMIO_READ} : uint32_t{SST_MMIO_WRITE});
        ASSERT_EQ(frame.hdr.seq, first_seq() + id - 1);
        ASSERT_EQ(frame.u.access.id, id);
        ASSERT_EQ(frame.u.access.offset, 8 * id);
        ASSERT_EQ(frame.u.access.vtime_ps, 1000 * id);

        const auto response = response_to(id);
        ASSERT_EQ(sst_ep_send(&ch_.sim, SST_MMIO_RESPONSE, &response), 0) << ch_.sim.error;
        ASSERT_EQ(sst_ep_wait(&ch_.qemu, &frame, kTimeoutMs), SST_EP_FRAME) << ch_.qemu.error;
        ASSERT_EQ(frame.hdr.type, uint32_t{SST_MMIO_RESPONSE});
        ASSERT_EQ(frame.u.response.id, id);
        ASSERT_EQ(frame.u.response.data, ~id);
    }
}

TEST_P(Traffic, SeveralQueuedFramesArriveInSendingOrder) {
    sst_mmio_irq irq{};
    irq.level = 1;
    sst_mmio_grant grant{};
    grant.horizon_ps = 5000;
    sst_mmio_goodbye bye{};
    bye.reason = SST_MMIO_BYE_SIM_END;
    ASSERT_EQ(sst_ep_send(&ch_.sim, SST_MMIO_IRQ, &irq), 0);
    ASSERT_EQ(sst_ep_send(&ch_.sim, SST_MMIO_GRANT, &grant), 0);
    ASSERT_EQ(sst_ep_send(&ch_.sim, SST_MMIO_GOODBYE, &bye), 0);

    sst_mmio_frame frame;
    ASSERT_EQ(sst_ep_wait(&ch_.qemu, &frame, kTimeoutMs), SST_EP_FRAME);
    EXPECT_EQ(frame.hdr.type, uint32_t{SST_MMIO_IRQ});
    EXPECT_EQ(frame.u.irq.level, 1u);
    ASSERT_EQ(sst_ep_poll(&ch_.qemu, &frame), SST_EP_FRAME) << "already there: poll suffices";
    EXPECT_EQ(frame.u.grant.horizon_ps, 5000u);
    ASSERT_EQ(sst_ep_poll(&ch_.qemu, &frame), SST_EP_FRAME);
    EXPECT_EQ(frame.u.goodbye.reason, uint32_t{SST_MMIO_BYE_SIM_END});
    EXPECT_EQ(sst_ep_poll(&ch_.qemu, &frame), SST_EP_NOTHING);
}

TEST_P(Traffic, WaitReturnsNothingWhenTheTimeoutPasses) {
    sst_mmio_frame frame;
    ch_.sim.spin_polls = 100;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, 30), SST_EP_NOTHING);
    EXPECT_FALSE(ch_.sim.closed) << ch_.sim.error;
    EXPECT_EQ(sst_ep_poll(&ch_.sim, &frame), SST_EP_NOTHING);

    // The channel still works afterwards.
    const auto access = access_with_id(9);
    ASSERT_EQ(sst_ep_send(&ch_.qemu, SST_MMIO_READ, &access), 0);
    ASSERT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_FRAME);
    EXPECT_EQ(frame.u.access.id, 9u);
}

TEST_P(Traffic, SleepingWaiterIsWokenByASend) {
    ch_.sim.spin_polls = 0;  // straight to the doorbell
    auto qemu = std::async(std::launch::async, [&] {
        // With rings, send only once the waiter has announced its sleep, so the frame can only
        // reach it through the doorbell.  A socket-only waiter is woken by the frame itself.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
        while (shm() && !__atomic_load_n(&ch_.qemu.tx.ctrl->consumer_waiting, __ATOMIC_SEQ_CST)) {
            if (std::chrono::steady_clock::now() > give_up) {
                return -2;
            }
            std::this_thread::yield();
        }
        const auto access = access_with_id(77);
        return sst_ep_send(&ch_.qemu, SST_MMIO_READ, &access);
    });
    sst_mmio_frame frame;
    const int rc = sst_ep_wait(&ch_.sim, &frame, kTimeoutMs);
    EXPECT_EQ(qemu.get(), 0) << "-2: the waiter never announced its sleep";
    ASSERT_EQ(rc, SST_EP_FRAME) << ch_.sim.error;
    EXPECT_EQ(frame.u.access.id, 77u);
}

// True once c's consumer announces a sleep on its ring's futex (seen from the producer's mapping).
bool asleep_on_futex(sst_ring& c) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    while (__atomic_load_n(&c.ctrl->consumer_waiting, __ATOMIC_SEQ_CST) != SST_RING_WAIT_FUTEX) {
        if (std::chrono::steady_clock::now() > give_up) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

bool doorbell_queued(int sock) {
    char byte;
    return recv(sock, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

TEST_P(Traffic, SleepingRingWaiterIsWokenByItsFutexNotADoorbell) {
    if (!shm()) {
        GTEST_SKIP() << "no ring";
    }
    ch_.sim.spin_polls = 0;
    auto qemu = std::async(std::launch::async, [&] {
        if (!asleep_on_futex(ch_.qemu.tx)) {
            return -2;
        }
        const auto access = access_with_id(78);
        return sst_ep_send(&ch_.qemu, SST_MMIO_READ, &access);
    });
    sst_mmio_frame frame;
    const int rc = sst_ep_wait(&ch_.sim, &frame, kTimeoutMs);
    ASSERT_EQ(qemu.get(), 0) << "-2: the waiter never announced a futex sleep";
    ASSERT_EQ(rc, SST_EP_FRAME) << ch_.sim.error;
    EXPECT_EQ(frame.u.access.id, 78u);
    EXPECT_FALSE(doorbell_queued(ch_.sim.sock)) << "a futex sleeper needs no doorbell";
    EXPECT_EQ(ch_.sim.rx.ctrl->consumer_waiting, 0u);
}

TEST_P(Traffic, FutexSleeperSeesThePeerHangUp) {
    if (!shm()) {
        GTEST_SKIP() << "no ring";
    }
    ch_.sim.spin_polls = 0;
    auto qemu = std::async(std::launch::async, [&] {
        const bool asleep = asleep_on_futex(ch_.qemu.tx);
        sst_ep_close(&ch_.qemu);
        return asleep;
    });
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_TRUE(qemu.get());
    EXPECT_STREQ(ch_.sim.error, "peer closed the channel");
}

TEST_P(Traffic, FutexSleeperSeesARefusal) {
    if (!shm()) {
        GTEST_SKIP() << "no ring";
    }
    ch_.qemu.spin_polls = 0;
    auto sim = std::async(std::launch::async, [&] {
        const bool asleep = asleep_on_futex(ch_.sim.tx);
        sst_ep_refuse(&ch_.sim, SST_MMIO_BAD_FIELD, "no such register");
        return asleep;
    });
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.qemu, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_TRUE(sim.get());
    EXPECT_STREQ(ch_.qemu.error, "peer reported an error: no such register");
}

TEST_P(Traffic, WaitsThatFindNothingShrinkTheSpinBudgetToItsFloor) {
    sst_mmio_frame frame;
    ASSERT_EQ(ch_.sim.spin_ns, SST_EP_SPIN_NS_MAX);
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, 0), SST_EP_NOTHING);
    if (shm()) {
        EXPECT_EQ(ch_.sim.spin_ns, SST_EP_SPIN_NS_MAX / 2) << "a timed-out wait halves it";
        for (int i = 0; i < 10; i++) {
            EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, 0), SST_EP_NOTHING);
        }
        EXPECT_EQ(ch_.sim.spin_ns, SST_EP_SPIN_NS_MIN);
    }
    // A frame already there is taken by the first polls: nothing learnt, nothing lost.
    const auto access = access_with_id(5);
    ASSERT_EQ(sst_ep_send(&ch_.qemu, SST_MMIO_READ, &access), 0);
    ASSERT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_FRAME) << ch_.sim.error;
    EXPECT_EQ(frame.u.access.id, 5u);
}

TEST_P(Traffic, PeerHangUpClosesTheChannelWithAReason) {
    sst_ep_close(&ch_.qemu);
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_TRUE(ch_.sim.closed);
    EXPECT_STREQ(ch_.sim.error, "peer closed the channel");
    EXPECT_EQ(sst_ep_poll(&ch_.sim, &frame), SST_EP_CLOSED);
    EXPECT_EQ(sst_ep_send(&ch_.sim, SST_MMIO_GOODBYE, nullptr), -1);
}

TEST_P(Traffic, FramesSentBeforeAHangUpAreDeliveredFirst) {
    sst_mmio_goodbye bye{};
    bye.reason = SST_MMIO_BYE_GUEST_EXIT;
    bye.exit_status = 3;
    ASSERT_EQ(sst_ep_send(&ch_.qemu, SST_MMIO_GOODBYE, &bye), 0);
    sst_ep_close(&ch_.qemu);

    sst_mmio_frame frame;
    ASSERT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_FRAME) << ch_.sim.error;
    EXPECT_EQ(frame.hdr.type, uint32_t{SST_MMIO_GOODBYE});
    EXPECT_EQ(frame.u.goodbye.exit_status, 3);
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_STREQ(ch_.sim.error, "peer closed the channel");
}

TEST_P(Traffic, ErrorFrameFromThePeerClosesTheChannel) {
    sst_mmio_error err{};
    err.code = SST_MMIO_BAD_FIELD;
    std::strcpy(err.text, "access size 3");
    ASSERT_EQ(sst_ep_send(&ch_.sim, SST_MMIO_ERROR, &err), 0);
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.qemu, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_STREQ(ch_.qemu.error, "peer reported an error: access size 3");
}

TEST_P(Traffic, DoorbellPacketsAloneAreNotFrames) {
    static const char bell = 'D';
    ASSERT_EQ(send(ch_.qemu.sock, &bell, 1, 0), 1);
    ASSERT_EQ(send(ch_.qemu.sock, &bell, 1, 0), 1);
    sst_mmio_frame frame;
    ch_.sim.spin_polls = 0;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, 30), SST_EP_NOTHING);
    EXPECT_FALSE(ch_.sim.closed) << ch_.sim.error;
}

TEST(EndpointSocketOnly, BadFrameAfterTheHandshakeClosesTheChannel) {
    SocketDir dir;
    Channel ch;
    ChannelOptions options;
    options.ack_caps = 0;
    open_channel(dir.path(), options, ch);
    ASSERT_EQ(ch.qemu_rc, 0) << ch.qemu.error;
    auto bytes = frame_bytes(SST_MMIO_SHM_READY, 1, nullptr);
    bytes[0] ^= 0xFF;
    ASSERT_EQ(send(ch.qemu.sock, bytes.data(), bytes.size(), 0), 16);

    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_STREQ(ch.sim.error, "bad frame: bad magic (not an sst-device frame)");
}

class SharedRings : public ::testing::Test {
protected:
    void SetUp() override {
        ChannelOptions options;
        options.ring_capacity = 1024;
        open_channel(dir_.path(), options, ch_);
        ASSERT_EQ(ch_.sim_rc, 0) << ch_.sim.error;
        ASSERT_EQ(ch_.qemu_rc, 0) << ch_.qemu.error;
        ASSERT_NE(ch_.sim.shm, nullptr);
    }
    // Publishes bytes in QEMU's tx ring the way a misbehaving peer would, doorbell included.
    void publish_raw(const void* bytes, uint32_t len) {
        ASSERT_EQ(sst_ring_push(&ch_.qemu.tx, bytes, len), 0);
        static const char bell = 'D';
        ASSERT_EQ(send(ch_.qemu.sock, &bell, 1, 0), 1);
    }

    SocketDir dir_;
    Channel ch_;
};

TEST_F(SharedRings, GarbageInTheRingClosesTheChannel) {
    uint8_t garbage[32];
    std::memset(garbage, 0x5A, sizeof(garbage));
    publish_raw(garbage, sizeof(garbage));
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_STREQ(ch_.sim.error, "corrupt frame in the shared ring: bad magic (not an sst-device frame)");
}

TEST_F(SharedRings, PartialFrameInTheRingClosesTheChannel) {
    const auto access = access_with_id(1);
    const auto bytes = frame_bytes(SST_MMIO_READ, 2, &access);
    publish_raw(bytes.data(), 30);
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_STREQ(ch_.sim.error, "corrupt frame in the shared ring: payload length does not match the frame type");
}

TEST_F(SharedRings, SequenceGapInTheRingClosesTheChannel) {
    sst_mmio_sync sync{};
    const auto bytes = frame_bytes(SST_MMIO_SYNC, 9, &sync);
    publish_raw(bytes.data(), static_cast<uint32_t>(bytes.size()));
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_wait(&ch_.sim, &frame, kTimeoutMs), SST_EP_CLOSED);
    EXPECT_STREQ(ch_.sim.error, "frame sequence broken: expected 2, got 9 (SYNC)");
}

TEST_F(SharedRings, SendIntoARingNobodyDrainsGivesUpAfterABoundedWait) {
    // 18 READs (56 bytes) fill 1008 of the 1024 bytes; the 19th waits about 2 s and then fails.
    const auto access = access_with_id(1);
    for (int i = 0; i < 18; i++) {
        ASSERT_EQ(sst_ep_send(&ch_.qemu, SST_MMIO_READ, &access), 0) << "frame " << i;
    }
    EXPECT_EQ(sst_ep_send(&ch_.qemu, SST_MMIO_READ, &access), -1);
    EXPECT_STREQ(ch_.qemu.error, "ring full for 2000 ms: the peer stopped consuming");

    sst_mmio_frame frame;
    int delivered = 0;
    while (sst_ep_poll(&ch_.sim, &frame) == SST_EP_FRAME) {
        delivered++;
    }
    EXPECT_EQ(delivered, 18) << "the frames sent before the failure are intact";
}

// Four channels served by one simulator thread with sst_ep_wait_any.
class WaitAny : public ::testing::Test {
protected:
    static constexpr int kChannels = 4;

    void open(bool shm) {
        for (int i = 0; i < kChannels; i++) {
            ChannelOptions options;
            options.ack_caps = shm ? SST_MMIO_CAP_SHM_RING : 0;
            options.ring_capacity = 1024;
            channels_[i] = std::make_unique<Channel>();
            open_channel(dir_.path("channel" + std::to_string(i) + ".sock"), options, *channels_[i]);
            ASSERT_EQ(channels_[i]->sim_rc, 0) << channels_[i]->sim.error;
            ASSERT_EQ(channels_[i]->qemu_rc, 0) << channels_[i]->qemu.error;
            sims_[i] = &channels_[i]->sim;
        }
    }
    sst_mmio_endpoint& sim(int i) { return channels_[i]->sim; }
    sst_mmio_endpoint& qemu(int i) { return channels_[i]->qemu; }

    int send_sync(int i, uint64_t vtime) {
        sst_mmio_sync sync{};
        sync.vtime_ps = vtime;
        return sst_ep_send(&qemu(i), SST_MMIO_SYNC, &sync);
    }
    // Polls channel i and returns the SYNC time it carried, or -1.
    int64_t take_sync(int i) {
        sst_mmio_frame frame;
        if (sst_ep_poll(&sim(i), &frame) != SST_EP_FRAME || frame.hdr.type != SST_MMIO_SYNC) {
            return -1;
        }
        return static_cast<int64_t>(frame.u.sync.vtime_ps);
    }
    bool doorbell_queued(int i) {
        char byte;
        return recv(sim(i).sock, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
    }
    // True once every simulator ring announces a sleeping consumer (seen from QEMU's mapping).
    bool all_consumers_asleep() {
        for (int i = 0; i < kChannels; i++) {
            if (!__atomic_load_n(&qemu(i).tx.ctrl->consumer_waiting, __ATOMIC_SEQ_CST)) {
                return false;
            }
        }
        return true;
    }

    SocketDir dir_;
    std::array<std::unique_ptr<Channel>, kChannels> channels_;
    std::array<sst_mmio_endpoint*, kChannels> sims_{};
};

TEST_F(WaitAny, PollingWaiterPicksTheChannelThatGotAFrame) {
    ASSERT_NO_FATAL_FAILURE(open(true));
    // The frame is there before the wait: its polls find it whatever the machine's load (a spin
    // that outlasts a sender's pause would depend on timing, and the spin is now bounded by it).
    ASSERT_EQ(send_sync(2, 1234), 0);
    const int ready = sst_ep_wait_any(sims_.data(), kChannels, SST_EP_DEFAULT_SPIN_POLLS, kTimeoutMs);

    ASSERT_EQ(ready, 2);
    EXPECT_FALSE(doorbell_queued(2)) << "a spinning consumer must cost the producer no doorbell";
    EXPECT_EQ(take_sync(2), 1234);
    for (int i : {0, 1, 3}) {
        EXPECT_EQ(take_sync(i), -1) << "channel " << i << " received nothing";
    }
}

TEST_F(WaitAny, SleepingWaiterIsWokenByTheDoorbellOfTheRightChannel) {
    ASSERT_NO_FATAL_FAILURE(open(true));
    auto qemu2 = std::async(std::launch::async, [&] {
        // Send only once the waiter has announced its sleep on every ring, so the frame can only
        // reach it through the doorbell.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
        while (!all_consumers_asleep()) {
            if (std::chrono::steady_clock::now() > give_up) {
                return -2;
            }
            std::this_thread::yield();
        }
        return send_sync(2, 5678);
    });
    const int ready = sst_ep_wait_any(sims_.data(), kChannels, 0, kTimeoutMs);
    ASSERT_EQ(qemu2.get(), 0) << "-2: the waiter never announced its sleep";

    ASSERT_EQ(ready, 2);
    EXPECT_TRUE(doorbell_queued(2)) << "the wake-up came through the socket";
    EXPECT_EQ(sim(2).socket_readable, 1);
    for (int i = 0; i < kChannels; i++) {
        EXPECT_EQ(sim(i).rx.ctrl->consumer_waiting, 0u) << "channel " << i << " still announces a sleep";
    }
    EXPECT_EQ(take_sync(2), 5678);
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_poll(&sim(2), &frame), SST_EP_NOTHING) << "the doorbell is swallowed";
    EXPECT_FALSE(doorbell_queued(2));
}

TEST_F(WaitAny, OneRingChannelSleepsOnItsFutex) {
    ASSERT_NO_FATAL_FAILURE(open(true));
    auto qemu0 = std::async(std::launch::async, [&] { return asleep_on_futex(qemu(0).tx) ? send_sync(0, 99) : -2; });
    const int ready = sst_ep_wait_any(sims_.data(), 1, 0, kTimeoutMs);
    ASSERT_EQ(qemu0.get(), 0) << "-2: the waiter never announced a futex sleep";
    ASSERT_EQ(ready, 0);
    EXPECT_FALSE(doorbell_queued(0));
    EXPECT_EQ(take_sync(0), 99);
}

TEST_F(WaitAny, SocketOnlyChannelsWakeForTheRightOne) {
    ASSERT_NO_FATAL_FAILURE(open(false));
    auto qemu1 = std::async(std::launch::async, [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return send_sync(1, 42);
    });
    const int ready = sst_ep_wait_any(sims_.data(), kChannels, 1000, kTimeoutMs);
    ASSERT_EQ(qemu1.get(), 0);
    ASSERT_EQ(ready, 1);
    EXPECT_EQ(take_sync(1), 42);
}

TEST_F(WaitAny, TimeoutWithNoTrafficReturnsMinusOne) {
    ASSERT_NO_FATAL_FAILURE(open(true));
    errno = 0;
    EXPECT_EQ(sst_ep_wait_any(sims_.data(), kChannels, 1000, 30), -1);
    EXPECT_EQ(errno, ETIMEDOUT);
    for (int i = 0; i < kChannels; i++) {
        EXPECT_FALSE(sim(i).closed);
        EXPECT_EQ(sim(i).rx.ctrl->consumer_waiting, 0u);
    }
}

// The caller learns of a signal (to act on it) instead of the wait going on.
TEST_F(WaitAny, SignalEndsTheWaitWithEintr) {
    ASSERT_NO_FATAL_FAILURE(open(true));
    int rc, err;
    {
        RepeatedSignal signals(pthread_self());
        errno = 0;
        rc = sst_ep_wait_any(sims_.data(), kChannels, 1000, kTimeoutMs);
        err = errno;
    }
    EXPECT_EQ(rc, -1);
    EXPECT_EQ(err, EINTR) << "the wait went on after the signal";
    for (int i = 0; i < kChannels; i++) {
        EXPECT_FALSE(sim(i).closed);
        EXPECT_EQ(sim(i).rx.ctrl->consumer_waiting, 0u) << "channel " << i << " still announces a sleep";
    }
}

TEST_F(WaitAny, HangUpMakesAChannelReady) {
    ASSERT_NO_FATAL_FAILURE(open(true));
    sst_ep_close(&qemu(3));
    ASSERT_EQ(sst_ep_wait_any(sims_.data(), kChannels, 0, kTimeoutMs), 3);
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_poll(&sim(3), &frame), SST_EP_CLOSED);
    EXPECT_STREQ(sim(3).error, "peer closed the channel");
    EXPECT_EQ(sst_ep_wait_any(sims_.data(), kChannels, 1000, kTimeoutMs), 3) << "a closed endpoint stays ready";
}

TEST_F(WaitAny, RefusesAnUnreasonableNumberOfEndpoints) {
    ASSERT_NO_FATAL_FAILURE(open(false));
    EXPECT_EQ(sst_ep_wait_any(sims_.data(), 0, 0, 0), -1);
    std::array<sst_mmio_endpoint*, 65> many;
    many.fill(&sim(0));
    EXPECT_EQ(sst_ep_wait_any(many.data(), 65, 0, 0), -1);
}

}  // namespace

// Shared-memory rings of include/qemu-sst/shm_ring.h, on a region in ordinary process memory.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/shm_ring.h"

namespace {

// A zero-filled region laid out by the simulator-side init, as sst_ep_accept_hello does on a memfd.
class Region {
public:
    explicit Region(uint32_t capacity)
        : size_(sst_shm_region_size(capacity)),
          base_(static_cast<uint8_t*>(std::aligned_alloc(SST_SHM_CACHE_LINE, size_))) {
        std::memset(base_, 0, size_);
        sst_shm_region_init(base_, capacity, &to_sim, &to_qemu);
    }
    ~Region() { std::free(base_); }
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;

    uint8_t* base() const { return base_; }
    uint64_t size() const { return size_; }

    sst_ring to_sim{};
    sst_ring to_qemu{};

private:
    uint64_t size_;
    uint8_t* base_;
};

std::vector<uint8_t> encode(uint32_t type, uint32_t seq, uint64_t id) {
    sst_mmio_frame f;
    std::memset(&f, 0, sizeof(f));
    switch (type) {
    case SST_MMIO_READ:
    case SST_MMIO_WRITE:
        f.u.access.id = id;
        f.u.access.size = 8;
        break;
    case SST_MMIO_RESPONSE: f.u.response.id = id; break;
    case SST_MMIO_GRANT: f.u.grant.horizon_ps = id; break;
    case SST_MMIO_SYNC: f.u.sync.vtime_ps = id; break;
    case SST_MMIO_HELLO: f.u.hello.base_address = id; break;
    case SST_MMIO_ERROR: f.u.error.code = static_cast<uint32_t>(id); break;
    default: break;
    }
    std::vector<uint8_t> buf(SST_MMIO_MAX_FRAME);
    buf.resize(sst_mmio_encode(buf.data(), type, seq, &f.u));
    return buf;
}

int push(sst_ring* ring, uint32_t type, uint32_t seq, uint64_t id = 0) {
    const auto bytes = encode(type, seq, id);
    return sst_ring_push(ring, bytes.data(), static_cast<uint32_t>(bytes.size()));
}

// Takes the next frame of an MMIO channel.
int pop(sst_ring* ring, sst_mmio_frame* f) { return sst_ring_pop(ring, sst_mmio_family(), f, sizeof(*f)); }

// The value `encode` stored for `id`, read back from a decoded frame.
uint64_t id_of(const sst_mmio_frame& f) {
    switch (f.hdr.type) {
    case SST_MMIO_READ:
    case SST_MMIO_WRITE: return f.u.access.id;
    case SST_MMIO_RESPONSE: return f.u.response.id;
    case SST_MMIO_GRANT: return f.u.grant.horizon_ps;
    case SST_MMIO_SYNC: return f.u.sync.vtime_ps;
    case SST_MMIO_HELLO: return f.u.hello.base_address;
    case SST_MMIO_ERROR: return f.u.error.code;
    default: return 0;
    }
}

uint64_t used(const sst_ring& ring) { return ring.ctrl->head - ring.ctrl->tail; }

TEST(ShmRegion, CapacityRules) {
    EXPECT_TRUE(sst_shm_capacity_valid(1024));
    EXPECT_TRUE(sst_shm_capacity_valid(64 * 1024));
    EXPECT_TRUE(sst_shm_capacity_valid(16u * 1024 * 1024));
    EXPECT_FALSE(sst_shm_capacity_valid(0));
    EXPECT_FALSE(sst_shm_capacity_valid(512));
    EXPECT_FALSE(sst_shm_capacity_valid(1536));
    EXPECT_FALSE(sst_shm_capacity_valid(32u * 1024 * 1024));
    EXPECT_FALSE(sst_shm_capacity_valid(1ull << 40));
    EXPECT_EQ(sst_shm_region_size(1024), 4096u + 2048u);
}

TEST(ShmRegion, InitLaysOutHeaderControlAndData) {
    Region r(2048);
    sst_shm_region_header hdr;
    std::memcpy(&hdr, r.base(), sizeof(hdr));

    EXPECT_EQ(hdr.magic, SST_SHM_MAGIC);
    EXPECT_EQ(hdr.version, SST_SHM_VERSION);
    EXPECT_EQ(hdr.ring_capacity, 2048u);
    EXPECT_EQ(reinterpret_cast<uint8_t*>(r.to_sim.ctrl), r.base() + 64);
    EXPECT_EQ(reinterpret_cast<uint8_t*>(r.to_qemu.ctrl), r.base() + 64 + 128);
    EXPECT_EQ(r.to_sim.data, r.base() + 4096);
    EXPECT_EQ(r.to_qemu.data, r.base() + 4096 + 2048);
    EXPECT_EQ(r.to_sim.capacity, 2048u);
    EXPECT_EQ(r.to_qemu.capacity, 2048u);
    EXPECT_TRUE(sst_ring_empty(&r.to_sim));
    EXPECT_TRUE(sst_ring_empty(&r.to_qemu));
}

TEST(ShmRegion, AttachAcceptsWhatInitWrote) {
    Region r(1024);
    sst_ring to_sim{}, to_qemu{};

    ASSERT_EQ(sst_shm_region_attach(r.base(), r.size(), 1024, &to_sim, &to_qemu), 0);
    EXPECT_EQ(to_sim.ctrl, r.to_sim.ctrl);
    EXPECT_EQ(to_sim.data, r.to_sim.data);
    EXPECT_EQ(to_qemu.ctrl, r.to_qemu.ctrl);
    EXPECT_EQ(to_qemu.data, r.to_qemu.data);
}

TEST(ShmRegion, AttachRefusesMismatches) {
    Region r(1024);
    sst_ring to_sim{}, to_qemu{};

    EXPECT_EQ(sst_shm_region_attach(r.base(), r.size(), 2048, &to_sim, &to_qemu), -1)
        << "capacity differs from the header";
    EXPECT_EQ(sst_shm_region_attach(r.base(), r.size() - 1, 1024, &to_sim, &to_qemu), -1)
        << "mapping shorter than the region";
    EXPECT_EQ(sst_shm_region_attach(r.base(), r.size(), 1000, &to_sim, &to_qemu), -1) << "capacity not a power of two";
    reinterpret_cast<sst_shm_region_header*>(r.base())->version = SST_SHM_VERSION + 1;
    EXPECT_EQ(sst_shm_region_attach(r.base(), r.size(), 1024, &to_sim, &to_qemu), -1) << "version";
    reinterpret_cast<sst_shm_region_header*>(r.base())->version = SST_SHM_VERSION;
    reinterpret_cast<sst_shm_region_header*>(r.base())->magic = 0;
    EXPECT_EQ(sst_shm_region_attach(r.base(), r.size(), 1024, &to_sim, &to_qemu), -1) << "magic";
    EXPECT_EQ(to_sim.ctrl, nullptr) << "a refused attach must not hand out views";
}

TEST(ShmRing, PushPopKeepsOrderAndContents) {
    Region r(1024);
    sst_mmio_frame f;

    ASSERT_EQ(push(&r.to_sim, SST_MMIO_GRANT, 0, 111), 0);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_READ, 1, 222), 0);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_HELLO, 2, 333), 0);
    EXPECT_EQ(r.to_sim.ctrl->head, 24u + 56u + 72u);
    EXPECT_TRUE(sst_ring_empty(&r.to_qemu)) << "the other direction is untouched";

    ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
    EXPECT_EQ(f.hdr.type, uint32_t{SST_MMIO_GRANT});
    EXPECT_EQ(f.hdr.seq, 0u);
    EXPECT_EQ(f.u.grant.horizon_ps, 111u);
    EXPECT_EQ(r.to_sim.ctrl->tail, 24u);
    ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
    EXPECT_EQ(f.hdr.type, uint32_t{SST_MMIO_READ});
    EXPECT_EQ(f.u.access.id, 222u);
    ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
    EXPECT_EQ(f.hdr.type, uint32_t{SST_MMIO_HELLO});
    EXPECT_EQ(f.u.hello.base_address, 333u);
    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_NEED_MORE);
    EXPECT_EQ(r.to_sim.ctrl->tail, r.to_sim.ctrl->head);
    EXPECT_TRUE(sst_ring_empty(&r.to_sim));
}

TEST(ShmRing, FrameStraddlingTheEndIsSplitAndReassembled) {
    Region r(1024);
    r.to_sim.ctrl->head = r.to_sim.ctrl->tail = 1024 - 10;  // positions are free-running counters
    const auto bytes = encode(SST_MMIO_HELLO, 4, 0xABCDEF);
    sst_mmio_frame f;

    ASSERT_EQ(bytes.size(), 72u);
    ASSERT_EQ(sst_ring_push(&r.to_sim, bytes.data(), 72), 0);
    EXPECT_EQ(std::memcmp(r.to_sim.data + 1024 - 10, bytes.data(), 10), 0) << "first 10 bytes at the end";
    EXPECT_EQ(std::memcmp(r.to_sim.data, bytes.data() + 10, 62), 0) << "remaining 62 at the start";
    ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
    EXPECT_EQ(f.hdr.seq, 4u);
    EXPECT_EQ(f.u.hello.base_address, 0xABCDEFu);
    EXPECT_EQ(r.to_sim.ctrl->tail, 1024u + 62u);
}

TEST(ShmRing, WrapsManyTimesWithFramesOfDifferentSizes) {
    // Sizes 16, 24, 32, 56, 72 and 144 bytes: no multiple of them lines up with 1024 for long, so
    // frames straddle the end of the data area at many different split points.
    const uint32_t types[] = {SST_MMIO_SHM_READY, SST_MMIO_GRANT, SST_MMIO_RESPONSE,
                              SST_MMIO_READ,      SST_MMIO_HELLO, SST_MMIO_ERROR};
    Region r(1024);
    uint32_t pushed = 0, popped = 0;
    uint64_t straddled = 0;

    while (popped < 2000) {
        // Keep several frames in flight so the consumer lags the producer by a varying amount.
        while (pushed < 2000 && pushed - popped < 1 + pushed % 7) {
            const uint32_t type = types[pushed % 6];
            const uint64_t at = r.to_sim.ctrl->head % 1024;
            if (push(&r.to_sim, type, pushed, 1000 + pushed) < 0) {
                break;
            }
            straddled += at + sst_frame_payload_size(sst_mmio_family(), type) + 16 > 1024;
            pushed++;
        }
        sst_mmio_frame f;
        ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED) << "frame " << popped;
        ASSERT_EQ(f.hdr.seq, popped);
        ASSERT_EQ(f.hdr.type, types[popped % 6]);
        if (f.hdr.type != SST_MMIO_SHM_READY) {
            ASSERT_EQ(id_of(f), 1000u + popped);
        }
        popped++;
    }
    EXPECT_TRUE(sst_ring_empty(&r.to_sim));
    EXPECT_GT(r.to_sim.ctrl->head, 50u * 1024) << "the test must wrap many times";
    EXPECT_GT(straddled, 20u) << "the test must split frames across the end";
}

TEST(ShmRing, CountersWrappingPast64BitsKeepWorking) {
    Region r(1024);
    r.to_sim.ctrl->head = r.to_sim.ctrl->tail = UINT64_MAX - 30;
    sst_mmio_frame f;

    for (uint32_t i = 0; i < 5; i++) {
        ASSERT_EQ(push(&r.to_sim, SST_MMIO_READ, i, i * 10), 0);
    }
    EXPECT_LT(r.to_sim.ctrl->head, 1024u) << "head has wrapped to a small value";
    EXPECT_EQ(used(r.to_sim), 5u * 56u);
    for (uint32_t i = 0; i < 5; i++) {
        ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
        EXPECT_EQ(f.u.access.id, i * 10u);
    }
    EXPECT_TRUE(sst_ring_empty(&r.to_sim));
}

TEST(ShmRing, FullRingRefusesThenRecoversAfterPops) {
    Region r(1024);
    uint32_t accepted = 0;
    sst_mmio_frame f;

    while (push(&r.to_sim, SST_MMIO_READ, accepted, accepted) == 0) {
        ASSERT_LT(accepted, 100u) << "a 1024-byte ring cannot take 100 56-byte frames";
        accepted++;
    }
    EXPECT_EQ(accepted, 18u) << "18 * 56 = 1008 bytes fit, a 19th would need 1064";
    EXPECT_EQ(used(r.to_sim), 1008u) << "the refused frame left nothing behind";
    EXPECT_EQ(push(&r.to_sim, SST_MMIO_GRANT, 99), -1) << "24 bytes do not fit in the last 16";
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_SHM_READY, accepted), 0) << "16 bytes fill it exactly";
    EXPECT_EQ(used(r.to_sim), 1024u);
    EXPECT_EQ(push(&r.to_sim, SST_MMIO_SHM_READY, 99), -1);

    ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
    EXPECT_EQ(f.u.access.id, 0u);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_READ, accepted + 1, 555), 0) << "room again after a pop";

    for (uint32_t seq = 1; seq <= accepted + 1; seq++) {
        ASSERT_EQ(pop(&r.to_sim, &f), SST_MMIO_DECODED);
        ASSERT_EQ(f.hdr.seq, seq);
    }
    EXPECT_EQ(f.u.access.id, 555u);
    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_NEED_MORE);
}

TEST(ShmRing, FrameLargerThanTheRingIsRefused) {
    Region r(1024);
    std::vector<uint8_t> big(1025, 0x5A);
    EXPECT_EQ(sst_ring_push(&r.to_sim, big.data(), 1025), -1);
    EXPECT_EQ(sst_ring_push(&r.to_sim, big.data(), 1024), 0) << "exactly the capacity fits";
}

TEST(ShmRingCorruption, GarbageGivesBadMagicAndConsumesNothing) {
    Region r(1024);
    std::memset(r.to_sim.data, 0xAB, 200);
    r.to_sim.ctrl->head = 200;
    sst_mmio_frame f;

    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_MAGIC);
    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_MAGIC) << "the error is stable";
    EXPECT_EQ(r.to_sim.ctrl->tail, 0u);
}

TEST(ShmRingCorruption, GarbageAcrossTheEndGivesBadMagic) {
    Region r(1024);
    std::memset(r.to_sim.data, 0xCD, 1024);
    r.to_sim.ctrl->tail = 1024 - 5;
    r.to_sim.ctrl->head = 1024 - 5 + 1000;
    sst_mmio_frame f;

    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_MAGIC);
}

TEST(ShmRingCorruption, HeadInsideAFrameGivesBadLength) {
    // A producer only publishes whole frames, so a partial one is corruption, not "wait for more".
    Region r(1024);
    const auto bytes = encode(SST_MMIO_HELLO, 0, 1);
    std::memcpy(r.to_sim.data, bytes.data(), bytes.size());
    r.to_sim.ctrl->head = 40;
    sst_mmio_frame f;

    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_LENGTH);
    r.to_sim.ctrl->head = 8;  // not even a header
    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_LENGTH);
    EXPECT_EQ(r.to_sim.ctrl->tail, 0u);
}

TEST(ShmRingCorruption, HeadTooFarAheadOrBehindGivesBadLength) {
    Region r(1024);
    const auto bytes = encode(SST_MMIO_GRANT, 0, 1);
    std::memcpy(r.to_sim.data, bytes.data(), bytes.size());
    sst_mmio_frame f;

    r.to_sim.ctrl->head = 1025;  // more published than the ring can hold
    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_LENGTH);
    r.to_sim.ctrl->tail = 2000;  // head behind tail: "available" wraps to nearly 2^64
    r.to_sim.ctrl->head = 1000;
    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_LENGTH);
}

TEST(ShmRingCorruption, InvalidFieldInAWholeFrameIsReported) {
    Region r(1024);
    auto bytes = encode(SST_MMIO_READ, 0, 1);
    bytes[16 + offsetof(sst_mmio_access, size)] = 3;
    ASSERT_EQ(sst_ring_push(&r.to_sim, bytes.data(), static_cast<uint32_t>(bytes.size())), 0);
    sst_mmio_frame f;

    EXPECT_EQ(pop(&r.to_sim, &f), SST_MMIO_BAD_FIELD);
    EXPECT_EQ(r.to_sim.ctrl->tail, 0u);
}

TEST(ShmRingWaiter, NoAnnouncedSleepMeansNoDoorbell) {
    Region r(1024);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_SYNC, 0), 0);
    EXPECT_EQ(sst_ring_take_waiter(&r.to_sim), 0);
}

TEST(ShmRingWaiter, ProducerSeesAnAnnouncedSleepExactlyOnce) {
    Region r(1024);

    ASSERT_EQ(sst_ring_prepare_wait(&r.to_sim), 1) << "empty ring: the consumer should sleep";
    EXPECT_EQ(r.to_sim.ctrl->consumer_waiting, 1u);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_SYNC, 0), 0);
    EXPECT_EQ(sst_ring_take_waiter(&r.to_sim), 1);
    EXPECT_EQ(r.to_sim.ctrl->consumer_waiting, 0u);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_SYNC, 1), 0);
    EXPECT_EQ(sst_ring_take_waiter(&r.to_sim), 0) << "one doorbell per sleep";
    EXPECT_EQ(sst_ring_take_waiter(&r.to_qemu), 0) << "the other direction has no sleeper";
}

TEST(ShmRingWaiter, ProducerLearnsHowTheConsumerSleeps) {
    Region r(1024);

    ASSERT_EQ(sst_ring_prepare_wait_on(&r.to_qemu, SST_RING_WAIT_FUTEX), 1);
    EXPECT_EQ(r.to_qemu.ctrl->consumer_waiting, SST_RING_WAIT_FUTEX);
    ASSERT_EQ(push(&r.to_qemu, SST_MMIO_RESPONSE, 0), 0);
    EXPECT_EQ(sst_ring_take_waiter(&r.to_qemu), int{SST_RING_WAIT_FUTEX}) << "a futex wake, not a doorbell";
    EXPECT_EQ(r.to_qemu.ctrl->consumer_waiting, 0u) << "cleared before the wake: a late FUTEX_WAIT returns at once";
    EXPECT_EQ(sst_ring_take_waiter(&r.to_qemu), 0);
}

TEST(ShmRingWaiter, PrepareWaitSeesDataAlreadyPublished) {
    Region r(1024);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_SYNC, 0), 0);

    EXPECT_EQ(sst_ring_prepare_wait(&r.to_sim), 0) << "data is there: do not sleep";
    sst_ring_cancel_wait(&r.to_sim);
    EXPECT_EQ(r.to_sim.ctrl->consumer_waiting, 0u);
    EXPECT_EQ(sst_ring_take_waiter(&r.to_sim), 0) << "a cancelled sleep needs no doorbell";
}

TEST(ShmRingWaiter, CancelledSleepNeedsNoDoorbell) {
    Region r(1024);
    ASSERT_EQ(sst_ring_prepare_wait(&r.to_sim), 1);
    sst_ring_cancel_wait(&r.to_sim);
    ASSERT_EQ(push(&r.to_sim, SST_MMIO_SYNC, 0), 0);
    EXPECT_EQ(sst_ring_take_waiter(&r.to_sim), 0);
}

// The frame a stress producer sends as number i: three types of different sizes, each carrying i.
uint32_t stress_type(uint64_t i) {
    static const uint32_t types[] = {SST_MMIO_READ, SST_MMIO_RESPONSE, SST_MMIO_GRANT};
    return types[i % 3];
}

TEST(ShmRingStress, MillionFramesBetweenTwoThreadsArriveInOrder) {
    constexpr uint64_t kFrames = 1'000'000;
    // Generous: the test takes about a second, several under sanitizers; this only stops a hang.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    Region r(4096);
    std::atomic<bool> stop{false};

    auto producer = std::async(std::launch::async, [&]() -> uint64_t {
        for (uint64_t i = 0; i < kFrames; i++) {
            const auto bytes = encode(stress_type(i), static_cast<uint32_t>(i), i);
            while (sst_ring_push(&r.to_sim, bytes.data(), static_cast<uint32_t>(bytes.size())) < 0) {
                if (stop.load() || std::chrono::steady_clock::now() > deadline) {
                    return i;
                }
                std::this_thread::yield();
            }
        }
        return kFrames;
    });

    // Consumer: returns the first problem instead of asserting, so the producer is always stopped.
    auto consume = [&]() -> std::string {
        uint64_t expected = 0;
        while (expected < kFrames) {
            sst_mmio_frame f;
            const int rc = pop(&r.to_sim, &f);
            if (rc == SST_MMIO_NEED_MORE) {
                if (std::chrono::steady_clock::now() > deadline) {
                    return "timed out after " + std::to_string(expected) + " frames";
                }
                std::this_thread::yield();
                continue;
            }
            if (rc != SST_MMIO_DECODED) {
                return "decode error " + std::to_string(rc) + " at frame " + std::to_string(expected);
            }
            if (f.hdr.seq != static_cast<uint32_t>(expected) || f.hdr.type != stress_type(expected) ||
                id_of(f) != expected) {
                return "frame " + std::to_string(expected) + " arrived as seq " + std::to_string(f.hdr.seq) + " id " +
                       std::to_string(id_of(f));
            }
            expected++;
        }
        return {};
    };
    const std::string problem = consume();
    stop.store(true);

    EXPECT_EQ(problem, "");
    EXPECT_EQ(producer.get(), kFrames);
    EXPECT_TRUE(sst_ring_empty(&r.to_sim)) << "nothing beyond the million frames";
}

}  // namespace

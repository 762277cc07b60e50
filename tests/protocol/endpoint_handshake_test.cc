// Endpoint set-up over real AF_UNIX sockets: listen/accept/connect, the HELLO / HELLO_ACK /
// SHM_OFFER / SHM_READY handshake, refusals, and peers that break the protocol.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "endpoint_test_support.h"

namespace {

using namespace endpoint_test;

TEST(EndpointSockets, ListenConnectAcceptGiveAConnectedSeqpacketPair) {
    SocketDir dir;
    const int listen_fd = sst_ep_listen(dir.path().c_str());
    ASSERT_GE(listen_fd, 0) << std::strerror(errno);
    const int client = sst_ep_connect(dir.path().c_str(), kTimeoutMs);
    ASSERT_GE(client, 0) << std::strerror(errno);
    const int server = sst_ep_accept(listen_fd, kTimeoutMs);
    ASSERT_GE(server, 0) << std::strerror(errno);

    int type = 0;
    socklen_t len = sizeof(type);
    ASSERT_EQ(getsockopt(server, SOL_SOCKET, SO_TYPE, &type, &len), 0);
    EXPECT_EQ(type, SOCK_SEQPACKET);
    // Packet boundaries survive: two sends arrive as two packets, not one stream.
    ASSERT_EQ(send(client, "abc", 3, 0), 3);
    ASSERT_EQ(send(client, "de", 2, 0), 2);
    char buf[16];
    EXPECT_EQ(recv(server, buf, sizeof(buf), 0), 3);
    EXPECT_EQ(recv(server, buf, sizeof(buf), 0), 2);
    close(client);
    close(server);
    close(listen_fd);
}

TEST(EndpointSockets, ListenRefusesAPathTooLongForSunPath) {
    const std::string path = "/tmp/" + std::string(200, 'x');
    errno = 0;
    EXPECT_EQ(sst_ep_listen(path.c_str()), -1);
    EXPECT_EQ(errno, ENAMETOOLONG);
}

TEST(EndpointSockets, AcceptTimesOutWithEtimedout) {
    SocketDir dir;
    const int listen_fd = sst_ep_listen(dir.path().c_str());
    ASSERT_GE(listen_fd, 0);
    errno = 0;
    EXPECT_EQ(sst_ep_accept(listen_fd, 50), -1);
    EXPECT_EQ(errno, ETIMEDOUT);
    close(listen_fd);
}

TEST(EndpointSockets, AcceptReturnsEintrWhenASignalArrives) {
    SocketDir dir;
    const int listen_fd = sst_ep_listen(dir.path().c_str());
    ASSERT_GE(listen_fd, 0);
    int rc, err;
    {
        RepeatedSignal signals(pthread_self());
        errno = 0;
        rc = sst_ep_accept(listen_fd, kTimeoutMs);
        err = errno;
    }
    EXPECT_EQ(rc, -1);
    EXPECT_EQ(err, EINTR) << "the wait went on after the signal";
    close(listen_fd);
}

TEST(EndpointSockets, ConnectRetriesUntilTheListenerAppears) {
    SocketDir dir;
    std::atomic<bool> listening{false};
    auto simulator = std::async(std::launch::async, [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // QEMU starts first
        const int listen_fd = sst_ep_listen(dir.path().c_str());
        listening = true;
        const int fd = sst_ep_accept(listen_fd, kTimeoutMs);
        close(listen_fd);
        return fd;
    });

    const int client = sst_ep_connect(dir.path().c_str(), kTimeoutMs);
    const bool listener_was_up = listening.load();
    const int server = simulator.get();

    EXPECT_GE(client, 0) << std::strerror(errno);
    EXPECT_TRUE(listener_was_up) << "connect cannot succeed before the listener exists";
    EXPECT_GE(server, 0);
    close(client);
    close(server);
}

TEST(EndpointSockets, ConnectGivesUpAtItsDeadline) {
    SocketDir dir;
    errno = 0;
    EXPECT_EQ(sst_ep_connect(dir.path().c_str(), 100), -1);
    EXPECT_EQ(errno, ENOENT);
}

class Handshake : public ::testing::TestWithParam<bool> {
protected:
    bool shm() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Endpoint, Handshake, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "SharedRings" : "SocketOnly"; });

TEST_P(Handshake, BothSidesAgreeOnWindowCapabilitiesAndRings) {
    SocketDir dir;
    Channel ch;
    ChannelOptions options;
    options.ack_caps = SST_MMIO_CAP_IRQ | (shm() ? SST_MMIO_CAP_SHM_RING : 0);
    options.ring_capacity = 8192;
    open_channel(dir.path(), options, ch);

    ASSERT_EQ(ch.sim_rc, 0) << ch.sim.error;
    ASSERT_EQ(ch.qemu_rc, 0) << ch.qemu.error;
    EXPECT_EQ(ch.hello_seen.capabilities, SST_MMIO_CAP_ALL);
    EXPECT_EQ(ch.hello_seen.base_address, 0x10000000u);
    EXPECT_EQ(ch.hello_seen.size, 0x1000u);
    EXPECT_STREQ(ch.hello_seen.name, "sst-dev0");
    EXPECT_EQ(ch.ack_seen.capabilities, options.ack_caps);
    EXPECT_EQ(ch.ack_seen.time_mode, uint32_t{SST_MMIO_TIME_DETERMINISTIC});
    EXPECT_EQ(ch.ack_seen.quantum_ps, 1000000u);
    EXPECT_FALSE(ch.sim.closed);
    EXPECT_FALSE(ch.qemu.closed);
    if (shm()) {
        ASSERT_NE(ch.sim.shm, nullptr);
        ASSERT_NE(ch.qemu.shm, nullptr);
        EXPECT_EQ(ch.sim.shm_size, sst_shm_region_size(8192));
        EXPECT_EQ(ch.qemu.shm_size, sst_shm_region_size(8192));
        EXPECT_EQ(ch.qemu.tx.capacity, 8192u);
        EXPECT_EQ(ch.sim.rx.capacity, 8192u);
        // Each side's tx ring is the other's rx ring: same offset in the region.
        EXPECT_EQ((uint8_t*)ch.qemu.tx.data - (uint8_t*)ch.qemu.shm, (uint8_t*)ch.sim.rx.data - (uint8_t*)ch.sim.shm);
        EXPECT_EQ((uint8_t*)ch.sim.tx.data - (uint8_t*)ch.sim.shm, (uint8_t*)ch.qemu.rx.data - (uint8_t*)ch.qemu.shm);
        EXPECT_NE(ch.qemu.tx.data - (uint8_t*)ch.qemu.shm, ch.qemu.rx.data - (uint8_t*)ch.qemu.shm);
        // HELLO + SHM_READY one way, HELLO_ACK + SHM_OFFER the other.
        EXPECT_EQ(ch.qemu.tx_seq, 2u);
        EXPECT_EQ(ch.qemu.rx_seq, 2u);
        EXPECT_EQ(ch.sim.tx_seq, 2u);
        EXPECT_EQ(ch.sim.rx_seq, 2u);
    } else {
        EXPECT_EQ(ch.sim.shm, nullptr);
        EXPECT_EQ(ch.qemu.shm, nullptr);
        EXPECT_EQ(ch.qemu.tx_seq, 1u);
        EXPECT_EQ(ch.sim.tx_seq, 1u);
    }
}

TEST(EndpointHandshake, RingsWorkAcrossTheTwoMappings) {
    SocketDir dir;
    Channel ch;
    open_channel(dir.path(), ChannelOptions{}, ch);
    ASSERT_EQ(ch.qemu_rc, 0) << ch.qemu.error;
    ASSERT_EQ(ch.sim_rc, 0) << ch.sim.error;

    // The two mappings are distinct addresses of one memfd: a push through one is seen by the other.
    ASSERT_NE(ch.sim.shm, ch.qemu.shm);
    ASSERT_EQ(sst_ep_send(&ch.qemu, SST_MMIO_SHM_READY, nullptr), 0);
    EXPECT_FALSE(sst_ring_empty(&ch.sim.rx));
    EXPECT_EQ(ch.sim.rx.ctrl->head, 16u);
}

TEST(EndpointHandshake, InvalidRingCapacityFailsTheSimulatorSide) {
    SocketDir dir;
    Channel ch;
    ChannelOptions options;
    options.ring_capacity = 1000;
    open_channel(dir.path(), options, ch);

    EXPECT_EQ(ch.sim_rc, -1);
    EXPECT_STREQ(ch.sim.error, "invalid ring capacity 1000");
    EXPECT_EQ(ch.qemu_rc, -1);
    EXPECT_STREQ(ch.qemu.error, "peer closed the channel") << "instead of the SHM_OFFER";
}

TEST(EndpointHandshake, RefusalReachesQemuWithItsReason) {
    SocketDir dir;
    const int listen_fd = sst_ep_listen(dir.path().c_str());
    ASSERT_GE(listen_fd, 0);
    sst_mmio_endpoint sim;
    sst_mmio_hello hello_seen{};
    auto simulator = std::async(std::launch::async, [&] {
        sst_ep_init(&sim, sst_ep_accept(listen_fd, kTimeoutMs), SST_EP_SIMULATOR, sst_mmio_family());
        if (sst_ep_recv_hello(&sim, &hello_seen, kTimeoutMs) == 0) {
            sst_ep_refuse(&sim, SST_MMIO_BAD_FIELD, "no device at 0x10000000");
        }
    });
    sst_mmio_endpoint qemu;
    sst_ep_init(&qemu, sst_ep_connect(dir.path().c_str(), kTimeoutMs), SST_EP_QEMU, sst_mmio_family());
    const auto hello = test_hello(SST_MMIO_CAP_ALL);
    sst_mmio_hello_ack ack{};
    const int rc = sst_ep_client_handshake(&qemu, &hello, &ack, kTimeoutMs);
    simulator.get();

    EXPECT_EQ(rc, -1);
    EXPECT_TRUE(qemu.closed);
    EXPECT_STREQ(qemu.error, "peer reported an error: no device at 0x10000000");
    EXPECT_TRUE(sim.closed);
    EXPECT_STREQ(sim.error, "refused: no device at 0x10000000");
    EXPECT_EQ(sst_ep_send(&sim, SST_MMIO_GOODBYE, nullptr), -1) << "a refused channel is dead";
    sst_ep_close(&qemu);
    sst_ep_close(&sim);
    close(listen_fd);
}

// A hand-made first packet from a raw client, and how the simulator's recv_hello must fail.
struct BadClientPacket {
    const char* name;
    std::vector<uint8_t> packet;
    std::string error;
};

std::vector<uint8_t> hello_bytes(uint32_t seq = 0) {
    const auto hello = test_hello(SST_MMIO_CAP_ALL);
    return frame_bytes(SST_MMIO_HELLO, seq, &hello);
}

std::vector<uint8_t> with_header_field(std::vector<uint8_t> bytes, size_t offset, uint32_t value, size_t width) {
    std::memcpy(bytes.data() + offset, &value, width);
    return bytes;
}

std::vector<uint8_t> resized(std::vector<uint8_t> bytes, size_t len) {
    bytes.resize(len, 0x77);
    return bytes;
}

std::vector<BadClientPacket> bad_client_packets() {
    sst_mmio_access read{};
    read.size = 4;
    sst_mmio_error err{};
    std::strcpy(err.text, "qemu gave up");
    return {
        {"TruncatedHello", resized(hello_bytes(), 40), "truncated frame (40 bytes)"},
        {"ShorterThanAHeader", resized(hello_bytes(), 10), "truncated frame (10 bytes)"},
        {"LongerThanAnyFrame", resized(hello_bytes(), SST_FRAME_LIMIT + 56),
         "oversized frame (more than " + std::to_string(SST_FRAME_LIMIT) + " bytes)"},
        {"HelloWithTrailingBytes", resized(hello_bytes(), 80), "oversized frame: 80 bytes for a 72-byte HELLO"},
        {"BadMagic", with_header_field(hello_bytes(), 0, 0x12345678, 4),
         "bad frame: bad magic (not an sst-device frame)"},
        {"WrongVersion", with_header_field(hello_bytes(), 4, SST_MMIO_VERSION + 1, 2),
         "bad frame: unsupported protocol version"},
        {"UnknownType", with_header_field(hello_bytes(), 6, 99, 2), "bad frame: unknown frame type"},
        {"LengthFieldContradictsType", with_header_field(hello_bytes(), 8, 50, 4),
         "bad frame: payload length does not match the frame type"},
        {"WrongSequenceNumber", hello_bytes(7), "frame sequence broken: expected 0, got 7 (HELLO)"},
        {"ReadBeforeHello", frame_bytes(SST_MMIO_READ, 0, &read), "expected HELLO during the handshake, got READ"},
        {"ErrorInsteadOfHello", frame_bytes(SST_MMIO_ERROR, 0, &err), "peer reported an error: qemu gave up"},
    };
}

// A raw client: the simulator's side is a real endpoint on the accepted socket, fed hand-made packets.
class EndpointRawClient : public ::testing::Test {
protected:
    void SetUp() override {
        pair_ = std::make_unique<RawPair>(dir_.path());
        sst_ep_init(&sim_, pair_->accepted, SST_EP_SIMULATOR, sst_mmio_family());
        pair_->accepted = -1;  // the endpoint owns it now
    }
    void TearDown() override { sst_ep_close(&sim_); }

    SocketDir dir_;
    std::unique_ptr<RawPair> pair_;
    sst_mmio_endpoint sim_;
};

class BadClient : public EndpointRawClient, public ::testing::WithParamInterface<BadClientPacket> {};

INSTANTIATE_TEST_SUITE_P(Endpoint, BadClient, ::testing::ValuesIn(bad_client_packets()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_P(BadClient, SimulatorClosesTheChannelWithASpecificReason) {
    ASSERT_TRUE(send_packet(pair_->raw, GetParam().packet)) << std::strerror(errno);

    sst_mmio_hello hello{};
    EXPECT_EQ(sst_ep_recv_hello(&sim_, &hello, kTimeoutMs), -1);
    EXPECT_TRUE(sim_.closed);
    EXPECT_EQ(std::string(sim_.error), GetParam().error);
    sst_mmio_frame frame;
    EXPECT_EQ(sst_ep_poll(&sim_, &frame), SST_EP_CLOSED) << "no use after a protocol violation";
}

TEST_F(EndpointRawClient, HangUpBeforeHelloIsReported) {
    close(pair_->raw);
    pair_->raw = -1;

    sst_mmio_hello hello{};
    EXPECT_EQ(sst_ep_recv_hello(&sim_, &hello, kTimeoutMs), -1);
    EXPECT_STREQ(sim_.error, "peer closed the channel");
}

TEST_F(EndpointRawClient, SilenceTimesOutWaitingForHello) {
    sst_mmio_hello hello{};
    EXPECT_EQ(sst_ep_recv_hello(&sim_, &hello, 50), -1);
    EXPECT_STREQ(sim_.error, "timed out waiting for HELLO");
}

TEST_F(EndpointRawClient, DoorbellsBeforeHelloAreIgnored) {
    ASSERT_TRUE(send_packet(pair_->raw, {'D'}));
    ASSERT_TRUE(send_packet(pair_->raw, {'D'}));
    ASSERT_TRUE(send_packet(pair_->raw, hello_bytes()));

    sst_mmio_hello hello{};
    EXPECT_EQ(sst_ep_recv_hello(&sim_, &hello, kTimeoutMs), 0) << sim_.error;
    EXPECT_STREQ(hello.name, "sst-dev0");
}

TEST_F(EndpointRawClient, SomethingElseInsteadOfShmReadyFailsTheHandshake) {
    sst_mmio_sync sync{};
    ASSERT_TRUE(send_packet(pair_->raw, hello_bytes(0)));
    ASSERT_TRUE(send_packet(pair_->raw, frame_bytes(SST_MMIO_SYNC, 1, &sync)));

    sst_mmio_hello hello{};
    ASSERT_EQ(sst_ep_recv_hello(&sim_, &hello, kTimeoutMs), 0) << sim_.error;
    const auto ack = test_ack(SST_MMIO_CAP_SHM_RING);
    EXPECT_EQ(sst_ep_accept_hello(&sim_, &ack, 4096, kTimeoutMs), -1);
    EXPECT_STREQ(sim_.error, "expected SHM_READY during the handshake, got SYNC");
    EXPECT_EQ(sim_.shm, nullptr) << "the region is unmapped again";
}

TEST_F(EndpointRawClient, FileDescriptorsNobodyAskedForAreClosed) {
    // Two descriptors in one SCM_RIGHTS message: the receiving side must close both, or a peer
    // could exhaust the simulator's descriptor table.
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    ASSERT_TRUE(send_packet(pair_->raw, hello_bytes(), {pipe_fds[1], pipe_fds[1]})) << std::strerror(errno);
    close(pipe_fds[1]);  // from now on only the copies in flight keep the write end open
    ASSERT_FALSE(pipe_writers_all_closed(pipe_fds[0]));

    sst_mmio_hello hello{};
    EXPECT_EQ(sst_ep_recv_hello(&sim_, &hello, kTimeoutMs), 0) << sim_.error;
    EXPECT_TRUE(pipe_writers_all_closed(pipe_fds[0])) << "a received descriptor was leaked";
    close(pipe_fds[0]);
}

TEST_F(EndpointRawClient, DescriptorOnAnEmptyPacketIsClosed) {
    // recvmsg returns 0 for an empty packet as for EOF; whatever it means, a descriptor attached to
    // it has already been installed in this process and must be closed.
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    ASSERT_TRUE(send_packet(pair_->raw, {}, {pipe_fds[1]})) << std::strerror(errno);
    close(pipe_fds[1]);

    sst_mmio_hello hello{};
    EXPECT_EQ(sst_ep_recv_hello(&sim_, &hello, kTimeoutMs), -1);
    EXPECT_STREQ(sim_.error, "peer closed the channel");
    EXPECT_TRUE(pipe_writers_all_closed(pipe_fds[0])) << "the descriptor was leaked";
    close(pipe_fds[0]);
}

// A raw simulator: QEMU's side runs sst_ep_client_handshake against hand-made packets.
class RawSimulator : public ::testing::Test {
protected:
    void SetUp() override {
        pair_ = std::make_unique<RawPair>(dir_.path());
        sst_ep_init(&qemu_, pair_->raw, SST_EP_QEMU, sst_mmio_family());
        pair_->raw = -1;
    }
    void TearDown() override { sst_ep_close(&qemu_); }

    void send_ack(uint32_t caps) {
        const auto ack = test_ack(caps);
        ASSERT_TRUE(send_packet(pair_->accepted, frame_bytes(SST_MMIO_HELLO_ACK, 0, &ack)));
    }
    void send_offer(uint64_t region_size, uint32_t capacity, const std::vector<int>& fds) {
        sst_mmio_shm_offer offer{};
        offer.region_size = region_size;
        offer.ring_capacity = capacity;
        ASSERT_TRUE(send_packet(pair_->accepted, frame_bytes(SST_MMIO_SHM_OFFER, 1, &offer), fds))
            << std::strerror(errno);
    }
    int handshake() {
        const auto hello = test_hello(SST_MMIO_CAP_ALL);
        return sst_ep_client_handshake(&qemu_, &hello, &ack_, kTimeoutMs);
    }
    // Acks with rings, then offers a memfd of `file_size` bytes (1024-byte rings, its header written
    // if `valid_header`) described as `offered_size` bytes of `offered_capacity`-byte rings.
    int handshake_with_offer(uint64_t file_size, bool valid_header, uint64_t offered_size, uint32_t offered_capacity) {
        const int region = make_region_fd(file_size, 1024, valid_header);
        send_ack(SST_MMIO_CAP_SHM_RING);
        send_offer(offered_size, offered_capacity, {region});
        close(region);
        return handshake();
    }

    SocketDir dir_;
    std::unique_ptr<RawPair> pair_;
    sst_mmio_endpoint qemu_;
    sst_mmio_hello_ack ack_{};
};

TEST_F(RawSimulator, AckWithoutRingsCompletesOnTheSocket) {
    send_ack(SST_MMIO_CAP_IRQ);
    ASSERT_EQ(handshake(), 0) << qemu_.error;
    EXPECT_EQ(ack_.capabilities, SST_MMIO_CAP_IRQ);
    EXPECT_EQ(qemu_.shm, nullptr);
    const auto hello = recv_packet(pair_->accepted);
    ASSERT_EQ(hello.size(), 72u);
    sst_mmio_frame frame;
    size_t consumed;
    ASSERT_EQ(sst_mmio_decode(hello.data(), hello.size(), &frame, &consumed), SST_MMIO_DECODED);
    EXPECT_EQ(frame.hdr.type, uint32_t{SST_MMIO_HELLO});
    EXPECT_EQ(frame.hdr.seq, 0u);
}

TEST_F(RawSimulator, ValidOfferIsMappedAndAnsweredWithShmReady) {
    const uint64_t size = sst_shm_region_size(1024);
    ASSERT_EQ(handshake_with_offer(size, true, size, 1024), 0) << qemu_.error;
    ASSERT_NE(qemu_.shm, nullptr);
    EXPECT_EQ(qemu_.shm_size, size);
    EXPECT_EQ(recv_packet(pair_->accepted).size(), 72u) << "HELLO";
    const auto ready = recv_packet(pair_->accepted);
    ASSERT_EQ(ready.size(), 16u) << "SHM_READY";
    EXPECT_EQ(ready[6], SST_MMIO_SHM_READY);
}

TEST_F(RawSimulator, OfferWithoutADescriptorFails) {
    send_ack(SST_MMIO_CAP_SHM_RING);
    send_offer(sst_shm_region_size(1024), 1024, {});
    EXPECT_EQ(handshake(), -1);
    EXPECT_STREQ(qemu_.error, "SHM_OFFER arrived without a file descriptor");
}

TEST_F(RawSimulator, OfferWithAnInvalidCapacityFails) {
    EXPECT_EQ(handshake_with_offer(sst_shm_region_size(1024), true, 4096 + 2000, 1000), -1);
    EXPECT_STREQ(qemu_.error, "SHM_OFFER describes an invalid region");
}

TEST_F(RawSimulator, OfferWhoseSizeDisagreesWithItsCapacityFails) {
    EXPECT_EQ(handshake_with_offer(sst_shm_region_size(1024), true, sst_shm_region_size(1024) + 4096, 1024), -1);
    EXPECT_STREQ(qemu_.error, "SHM_OFFER describes an invalid region");
}

TEST_F(RawSimulator, RegionWithoutAValidHeaderFails) {
    EXPECT_EQ(handshake_with_offer(sst_shm_region_size(1024), false, sst_shm_region_size(1024), 1024), -1);
    EXPECT_STREQ(qemu_.error, "the offered region has a bad header");
    EXPECT_EQ(qemu_.shm, nullptr);
}

TEST_F(RawSimulator, DescriptorSmallerThanTheOfferedRegionFails) {
    // Touching a MAP_SHARED page beyond the end of the file raises SIGBUS: QEMU must check the
    // descriptor's size before it maps and reads the region header.
    EXPECT_EQ(handshake_with_offer(0, false, sst_shm_region_size(1024), 1024), -1);
    EXPECT_STREQ(qemu_.error, "the offered descriptor is smaller than the 6144-byte region");
}

TEST_F(RawSimulator, DescriptorThatCannotBeMappedFailsAndIsClosed) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    send_ack(SST_MMIO_CAP_SHM_RING);
    send_offer(sst_shm_region_size(1024), 1024, {pipe_fds[1]});
    close(pipe_fds[1]);

    EXPECT_EQ(handshake(), -1);
    EXPECT_NE(std::string(qemu_.error), "") << "a reason is given";
    EXPECT_TRUE(pipe_writers_all_closed(pipe_fds[0])) << "the passed descriptor was leaked";
    close(pipe_fds[0]);
}

TEST_F(RawSimulator, ExtraDescriptorsWithTheOfferAreClosed) {
    const uint64_t size = sst_shm_region_size(1024);
    const int region = make_region_fd(size, 1024, true);
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    send_ack(SST_MMIO_CAP_SHM_RING);
    send_offer(size, 1024, {region, pipe_fds[1]});
    close(region);
    close(pipe_fds[1]);

    ASSERT_EQ(handshake(), 0) << qemu_.error;
    EXPECT_TRUE(pipe_writers_all_closed(pipe_fds[0])) << "the second descriptor was leaked";
    close(pipe_fds[0]);
}

TEST_F(RawSimulator, SecondAckInsteadOfAnOfferFails) {
    send_ack(SST_MMIO_CAP_SHM_RING);
    const auto ack = test_ack(SST_MMIO_CAP_SHM_RING);
    ASSERT_TRUE(send_packet(pair_->accepted, frame_bytes(SST_MMIO_HELLO_ACK, 1, &ack)));
    EXPECT_EQ(handshake(), -1);
    EXPECT_STREQ(qemu_.error, "expected SHM_OFFER during the handshake, got HELLO_ACK");
}

TEST_F(RawSimulator, HangUpAfterTheAckIsReported) {
    // The simulator answers the HELLO and then goes away before its SHM_OFFER.
    auto simulator = std::async(std::launch::async, [&] {
        const bool got_hello = recv_packet(pair_->accepted).size() == 72;
        send_ack(SST_MMIO_CAP_SHM_RING);
        close(pair_->accepted);
        pair_->accepted = -1;
        return got_hello;
    });
    EXPECT_EQ(handshake(), -1);
    EXPECT_TRUE(simulator.get());
    EXPECT_STREQ(qemu_.error, "peer closed the channel");
}

// GUEST_RAM: QEMU hands its RAM's descriptor over after the handshake; the simulator checks it.
class GuestRamOffer : public ::testing::Test {
protected:
    void SetUp() override {
        int fds[2];
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds), 0);
        sst_ep_init(&sim_, fds[0], SST_EP_SIMULATOR, nullptr);
        sst_ep_init(&qemu_, fds[1], SST_EP_QEMU, nullptr);
    }
    void TearDown() override {
        sst_ep_close(&sim_);
        sst_ep_close(&qemu_);
    }
    static int memfdOf(off_t size) {
        const int fd = memfd_create("guest-ram-test", MFD_CLOEXEC);
        EXPECT_GE(fd, 0);
        EXPECT_EQ(ftruncate(fd, size), 0);
        return fd;
    }

    sst_mmio_endpoint sim_{};
    sst_mmio_endpoint qemu_{};
};

TEST_F(GuestRamOffer, TheSimulatorMapsWhatQemuOffers) {
    const int ram_fd = memfdOf(1 << 20);
    const sst_mmio_guest_ram offer{0x80000000u, 1 << 20};
    ASSERT_EQ(sst_ep_offer_guest_ram(&qemu_, &offer, ram_fd), 0) << qemu_.error;
    sst_mmio_guest_ram got{};
    int fd = -1;
    ASSERT_EQ(sst_ep_recv_guest_ram(&sim_, &got, &fd, kTimeoutMs), 0) << sim_.error;
    EXPECT_EQ(got.base, 0x80000000u);
    EXPECT_EQ(got.size, uint64_t{1} << 20);
    ASSERT_GE(fd, 0);
    // The same memory on both sides: what one writes, the other reads.
    auto* mine = static_cast<uint8_t*>(mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, ram_fd, 0));
    auto* theirs = static_cast<uint8_t*>(mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    ASSERT_NE(mine, MAP_FAILED);
    ASSERT_NE(theirs, MAP_FAILED);
    mine[12345] = 0x5a;
    EXPECT_EQ(theirs[12345], 0x5a);
    munmap(mine, 1 << 20);
    munmap(theirs, 1 << 20);
    close(fd);
    close(ram_fd);
}

TEST_F(GuestRamOffer, ADescriptorSmallerThanTheRamItClaimsIsRefused) {
    const int ram_fd = memfdOf(4096);
    const sst_mmio_guest_ram offer{0x80000000u, 1 << 20};
    ASSERT_EQ(sst_ep_offer_guest_ram(&qemu_, &offer, ram_fd), 0);
    close(ram_fd);
    sst_mmio_guest_ram got{};
    int fd = -1;
    EXPECT_EQ(sst_ep_recv_guest_ram(&sim_, &got, &fd, kTimeoutMs), -1);
    EXPECT_EQ(fd, -1);
    EXPECT_NE(std::string(sim_.error).find("does not hold"), std::string::npos) << sim_.error;
}

TEST_F(GuestRamOffer, AnOfferWithoutADescriptorIsRefused) {
    const sst_mmio_guest_ram offer{0x80000000u, 1 << 20};
    ASSERT_EQ(sst_ep_offer_guest_ram(&qemu_, &offer, -1), 0);
    sst_mmio_guest_ram got{};
    int fd = -1;
    EXPECT_EQ(sst_ep_recv_guest_ram(&sim_, &got, &fd, kTimeoutMs), -1);
    EXPECT_STREQ(sim_.error, "GUEST_RAM arrived without a file descriptor");
}

TEST_F(GuestRamOffer, AnyOtherFrameInItsPlaceIsRefused) {
    const sst_mmio_sync sync{1000, 0, 0};
    ASSERT_EQ(sst_ep_send(&qemu_, SST_MMIO_SYNC, &sync), 0);
    sst_mmio_guest_ram got{};
    int fd = -1;
    EXPECT_EQ(sst_ep_recv_guest_ram(&sim_, &got, &fd, kTimeoutMs), -1);
    EXPECT_STREQ(sim_.error, "expected GUEST_RAM during the handshake, got SYNC");
}

}  // namespace

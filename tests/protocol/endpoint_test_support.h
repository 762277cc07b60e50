// Helpers shared by the endpoint tests: a socket directory per test, a channel opened through the
// real listen/accept/connect and handshake, and a raw peer that sends hand-made packets.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "mmio_endpoint.h"
#include "qemu-sst/mmio_protocol.h"

namespace endpoint_test {

// Bound on every blocking call: a bug makes a test fail after this long, never hang.
constexpr int kTimeoutMs = 5000;

// A fresh directory for the channel's socket, removed with everything in it.
class SocketDir {
public:
    SocketDir();
    ~SocketDir();
    SocketDir(const SocketDir&) = delete;
    SocketDir& operator=(const SocketDir&) = delete;

    std::string path(const std::string& name = "channel.sock") const { return dir_ + "/" + name; }

private:
    std::string dir_;
};

struct ChannelOptions {
    uint32_t hello_caps = SST_MMIO_CAP_ALL;
    uint32_t ack_caps = SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_IRQ;
    uint32_t ring_capacity = 4096;
};

// Both ends of one channel; each endpoint is closed on destruction.
struct Channel {
    Channel();
    ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    sst_mmio_endpoint sim;
    sst_mmio_endpoint qemu;
    int sim_rc = -1;                // result of the simulator's handshake steps
    int qemu_rc = -1;               // result of sst_ep_client_handshake
    sst_mmio_hello hello_seen{};    // what the simulator received
    sst_mmio_hello_ack ack_seen{};  // what QEMU received
};

sst_mmio_hello test_hello(uint32_t caps);
sst_mmio_hello_ack test_ack(uint32_t caps);

// Listens at path, runs the simulator's side (accept, recv_hello, accept_hello) in a second thread
// and QEMU's side (connect, client handshake) in this one.  Results land in ch.sim_rc/ch.qemu_rc;
// a simulator side that fails closes its endpoint (keeping the reason in ch.sim.error).
void open_channel(const std::string& path, const ChannelOptions& options, Channel& ch);

// A connected pair without any handshake: `accepted` is the simulator's socket, `raw` the peer's.
struct RawPair {
    RawPair(const std::string& path);
    ~RawPair();
    RawPair(const RawPair&) = delete;
    RawPair& operator=(const RawPair&) = delete;

    int listen_fd = -1;
    int accepted = -1;
    int raw = -1;
};

std::vector<uint8_t> frame_bytes(uint32_t type, uint32_t seq, const void* payload);

// Sends one packet, attaching `fds` with SCM_RIGHTS when there are any.  True on success.
bool send_packet(int sock, const std::vector<uint8_t>& bytes, const std::vector<int>& fds = {});

// A memfd of `size` bytes, laid out as a simulator's region of `capacity` when `init` is set.
int make_region_fd(uint64_t size, uint32_t capacity, bool init);

// True when every write end of the pipe whose read end is `read_fd` has been closed.
bool pipe_writers_all_closed(int read_fd);

// Reads the next packet of a raw socket within kTimeoutMs; empty on timeout or EOF.
std::vector<uint8_t> recv_packet(int sock);

// While it lives, `target` gets SIGUSR1 (handled, without SA_RESTART) every millisecond, so a
// blocking call there is interrupted whenever it starts, not only if it started in time.
class RepeatedSignal {
public:
    explicit RepeatedSignal(pthread_t target);
    ~RepeatedSignal();
    RepeatedSignal(const RepeatedSignal&) = delete;
    RepeatedSignal& operator=(const RepeatedSignal&) = delete;

private:
    struct sigaction previous_ {};
    std::atomic<bool> stop_{false};
    std::thread sender_;
};

}  // namespace endpoint_test

// Round trips between two processes: a blocking socket ping-pong (the baseline every access would
// pay without shared memory) against the MMIO channel's shared-memory rings, measured in one run.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "mmio_endpoint.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double socketPingPong(int iterations) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        std::perror("socketpair");
        std::exit(1);
    }
    char msg[24] = {}, reply[16] = {};
    const pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        while (read(sv[1], msg, sizeof(msg)) == sizeof(msg) && write(sv[1], reply, sizeof(reply)) == sizeof(reply)) {
        }
        _exit(0);
    }
    close(sv[1]);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; i++) {
        if (write(sv[0], msg, sizeof(msg)) != sizeof(msg) || read(sv[0], reply, sizeof(reply)) != sizeof(reply)) {
            std::perror("ping-pong");
            std::exit(1);
        }
    }
    const double rate = iterations / seconds_since(start);
    close(sv[0]);
    waitpid(child, nullptr, 0);
    return rate;
}

// The child answers every READ with a RESPONSE, as the bridge would with a zero-latency device.
double ringRoundTrips(int iterations) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
        std::perror("socketpair");
        std::exit(1);
    }
    const pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        sst_mmio_endpoint sim;
        sst_ep_init(&sim, sv[1], SST_EP_SIMULATOR);
        sst_mmio_hello hello;
        const sst_mmio_hello_ack ack{SST_MMIO_CAP_SHM_RING, SST_MMIO_TIME_FAST, 0};
        if (sst_ep_recv_hello(&sim, &hello, 5000) < 0 || sst_ep_accept_hello(&sim, &ack, SST_SHM_DEFAULT_CAPACITY, 5000) < 0) {
            std::fprintf(stderr, "bench handshake: %s\n", sim.error);
            _exit(1);
        }
        sst_mmio_frame frame;
        while (sst_ep_wait(&sim, &frame, -1) == SST_EP_FRAME) {
            const sst_mmio_response resp{frame.u.access.id, 0, 0, SST_MMIO_OK, 0};
            sst_ep_send(&sim, SST_MMIO_RESPONSE, &resp);
        }
        _exit(0);
    }
    close(sv[1]);
    sst_mmio_endpoint qemu;
    sst_ep_init(&qemu, sv[0], SST_EP_QEMU);
    sst_mmio_hello hello{};
    hello.capabilities = SST_MMIO_CAP_SHM_RING;
    sst_mmio_hello_ack ack;
    if (sst_ep_client_handshake(&qemu, &hello, &ack, 5000) < 0) {
        std::fprintf(stderr, "bench handshake: %s\n", qemu.error);
        std::exit(1);
    }
    sst_mmio_access access{};
    access.size = 8;
    sst_mmio_frame frame;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; i++) {
        access.id = i;
        if (sst_ep_send(&qemu, SST_MMIO_READ, &access) < 0 || sst_ep_wait(&qemu, &frame, 5000) != SST_EP_FRAME) {
            std::fprintf(stderr, "bench round trip: %s\n", qemu.error);
            std::exit(1);
        }
    }
    const double rate = iterations / seconds_since(start);
    sst_ep_close(&qemu);
    waitpid(child, nullptr, 0);
    return rate;
}

}  // namespace

int main() {
    const double socket_rate = socketPingPong(40000);
    const double ring_rate = ringRoundTrips(1000000);
    std::printf("socket_pingpong_per_s: %.0f round-trips/s\n", socket_rate);
    std::printf("shm_ring_roundtrips_per_s: %.0f round-trips/s\n", ring_rate);
    std::printf("shm_ring_vs_socket: %.1f x\n", ring_rate / socket_rate);
    return 0;
}

// Round trips between two processes: a blocking socket ping-pong (the baseline every access would
// pay without shared memory) against the MMIO channel's shared-memory rings, measured in one run,
// first on whatever the machine is doing, then beside one CPU-bound process this bench starts (the
// `_contended` figures: spinning must give way to sleeping there, and the ring must still be at
// least as fast as the socket it replaced).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "mmio_endpoint.h"
#include "qemu-sst/mmio_protocol.h"

namespace {

using Clock = std::chrono::steady_clock;

// Each figure is the best of kRounds measurements of kSecondsEach, socket and ring alternating, so
// a burst of load elsewhere spoils one round rather than one figure.
constexpr int kRounds = 3;
constexpr double kSecondsEach = 0.4;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Round trips per second of one(i) called until kSecondsEach have passed.
template <typename RoundTrip>
double timedRate(RoundTrip one) {
    const auto start = Clock::now();
    long n = 0;
    double elapsed = 0;
    do {
        for (int i = 0; i < 64; i++, n++) {
            one(n);
        }
        elapsed = seconds_since(start);
    } while (elapsed < kSecondsEach);
    return n / elapsed;
}

double socketPingPong() {
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
    const double rate = timedRate([&](long) {
        if (write(sv[0], msg, sizeof(msg)) != sizeof(msg) || read(sv[0], reply, sizeof(reply)) != sizeof(reply)) {
            std::perror("ping-pong");
            std::exit(1);
        }
    });
    close(sv[0]);
    waitpid(child, nullptr, 0);
    return rate;
}

// The child answers every READ with a RESPONSE, as the bridge would with a zero-latency device.
double ringRoundTrips() {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
        std::perror("socketpair");
        std::exit(1);
    }
    const pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        sst_mmio_endpoint sim;
        sst_ep_init(&sim, sv[1], SST_EP_SIMULATOR, sst_mmio_family());
        sst_mmio_hello hello;
        const sst_mmio_hello_ack ack{SST_MMIO_CAP_SHM_RING, SST_MMIO_TIME_FAST, 0};
        if (sst_ep_recv_hello(&sim, &hello, 5000) < 0 ||
            sst_ep_accept_hello(&sim, &ack, SST_SHM_DEFAULT_CAPACITY, 5000) < 0) {
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
    sst_ep_init(&qemu, sv[0], SST_EP_QEMU, sst_mmio_family());
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
    const double rate = timedRate([&](long i) {
        access.id = uint64_t(i);
        if (sst_ep_send(&qemu, SST_MMIO_READ, &access) < 0 || sst_ep_wait(&qemu, &frame, 5000) != SST_EP_FRAME) {
            std::fprintf(stderr, "bench round trip: %s\n", qemu.error);
            std::exit(1);
        }
    });
    sst_ep_close(&qemu);
    waitpid(child, nullptr, 0);
    return rate;
}

struct Rates {
    double socket = 0;
    double ring = 0;
};

Rates measure() {
    Rates best;
    for (int round = 0; round < kRounds; round++) {
        best.socket = std::max(best.socket, socketPingPong());
        best.ring = std::max(best.ring, ringRoundTrips());
    }
    return best;
}

// A CPU-bound process, like `yes > /dev/null`, that dies with the bench.
pid_t startHog() {
    const pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (;;) {
            __asm__ __volatile__("" ::: "memory");
        }
    }
    return pid;
}

void stopHog(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

}  // namespace

int main() {
    const Rates quiet = measure();
    std::printf("socket_pingpong_per_s: %.0f round-trips/s\n", quiet.socket);
    std::printf("shm_ring_roundtrips_per_s: %.0f round-trips/s\n", quiet.ring);
    std::printf("shm_ring_vs_socket: %.1f x\n", quiet.ring / quiet.socket);
    std::fflush(stdout);

    const pid_t hog = startHog();
    const Rates contended = measure();
    stopHog(hog);
    std::printf("socket_pingpong_per_s_contended: %.0f round-trips/s (beside 1 CPU hog)\n", contended.socket);
    std::printf("shm_ring_roundtrips_per_s_contended: %.0f round-trips/s (beside 1 CPU hog)\n", contended.ring);
    std::printf("socket_contended_vs_quiet: %.2f x\n", contended.socket / quiet.socket);
    std::printf("shm_ring_contended_vs_quiet: %.2f x\n", contended.ring / quiet.ring);
    std::printf("ring_vs_socket_contended: %.2f x (target >= 1)\n", contended.ring / contended.socket);
    return 0;
}

#include "endpoint_test_support.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

namespace endpoint_test {

SocketDir::SocketDir() {
    char tmpl[] = "/tmp/qemu-sst-endpoint-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
        ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
        return;
    }
    dir_ = tmpl;
}

SocketDir::~SocketDir() {
    if (!dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

Channel::Channel() {
    sst_ep_init(&sim, -1, SST_EP_SIMULATOR, sst_mmio_family());
    sst_ep_init(&qemu, -1, SST_EP_QEMU, sst_mmio_family());
}

Channel::~Channel() {
    sst_ep_close(&sim);
    sst_ep_close(&qemu);
}

sst_mmio_hello test_hello(uint32_t caps) {
    sst_mmio_hello hello;
    std::memset(&hello, 0, sizeof(hello));
    hello.capabilities = caps;
    hello.base_address = 0x10000000;
    hello.size = 0x1000;
    std::strcpy(hello.name, "sst-dev0");
    return hello;
}

sst_mmio_hello_ack test_ack(uint32_t caps) {
    sst_mmio_hello_ack ack;
    std::memset(&ack, 0, sizeof(ack));
    ack.capabilities = caps;
    ack.time_mode = SST_MMIO_TIME_DETERMINISTIC;
    ack.quantum_ps = 1000000;
    return ack;
}

void open_channel(const std::string& path, const ChannelOptions& options, Channel& ch) {
    const int listen_fd = sst_ep_listen(path.c_str());
    ASSERT_GE(listen_fd, 0) << "listen on " << path << ": " << std::strerror(errno);

    auto simulator = std::async(std::launch::async, [&] {
        const int fd = sst_ep_accept(listen_fd, kTimeoutMs);
        sst_ep_init(&ch.sim, fd, SST_EP_SIMULATOR, sst_mmio_family());
        if (fd < 0) {
            std::snprintf(ch.sim.error, sizeof(ch.sim.error), "accept: %s", std::strerror(errno));
            return;
        }
        ch.sim_rc = sst_ep_recv_hello(&ch.sim, &ch.hello_seen, kTimeoutMs);
        if (ch.sim_rc == 0) {
            const auto ack = test_ack(options.ack_caps);
            ch.sim_rc = sst_ep_accept_hello(&ch.sim, &ack, options.ring_capacity, kTimeoutMs);
        }
        if (ch.sim_rc < 0) {
            sst_ep_close(&ch.sim);  // as a simulator would: QEMU then sees a hang-up, not a timeout
        }
    });
    const int fd = sst_ep_connect(path.c_str(), kTimeoutMs);
    sst_ep_init(&ch.qemu, fd, SST_EP_QEMU, sst_mmio_family());
    const auto hello = test_hello(options.hello_caps);
    ch.qemu_rc = sst_ep_client_handshake(&ch.qemu, &hello, &ch.ack_seen, kTimeoutMs);
    simulator.get();
    close(listen_fd);
}

RawPair::RawPair(const std::string& path) {
    listen_fd = sst_ep_listen(path.c_str());
    if (listen_fd < 0) {
        ADD_FAILURE() << "listen: " << std::strerror(errno);
        return;
    }
    raw = sst_ep_connect(path.c_str(), kTimeoutMs);  // completes against the listen backlog
    accepted = sst_ep_accept(listen_fd, kTimeoutMs);
    if (raw < 0 || accepted < 0) {
        ADD_FAILURE() << "connect/accept: " << std::strerror(errno);
    }
}

RawPair::~RawPair() {
    for (int fd : {listen_fd, accepted, raw}) {
        if (fd >= 0) {
            close(fd);
        }
    }
}

std::vector<uint8_t> frame_bytes(uint32_t type, uint32_t seq, const void* payload) {
    std::vector<uint8_t> buf(SST_MMIO_MAX_FRAME);
    buf.resize(sst_mmio_encode(buf.data(), type, seq, payload));
    return buf;
}

bool send_packet(int sock, const std::vector<uint8_t>& bytes, const std::vector<int>& fds) {
    iovec iov{const_cast<uint8_t*>(bytes.data()), bytes.size()};
    std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (!fds.empty()) {
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(cmsg), fds.data(), sizeof(int) * fds.size());
    }
    return sendmsg(sock, &msg, MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

int make_region_fd(uint64_t size, uint32_t capacity, bool init) {
    const int fd = memfd_create("endpoint-test-region", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, static_cast<off_t>(size)) < 0) {
        ADD_FAILURE() << "memfd: " << std::strerror(errno);
        return fd;
    }
    if (init) {
        void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) {
            ADD_FAILURE() << "mmap: " << std::strerror(errno);
            return fd;
        }
        sst_ring to_sim, to_qemu;
        sst_shm_region_init(base, capacity, &to_sim, &to_qemu);
        munmap(base, size);
    }
    return fd;
}

bool pipe_writers_all_closed(int read_fd) {
    pollfd pfd{read_fd, POLLIN, 0};
    return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

std::vector<uint8_t> recv_packet(int sock) {
    pollfd pfd{sock, POLLIN, 0};
    if (poll(&pfd, 1, kTimeoutMs) != 1) {
        return {};
    }
    std::vector<uint8_t> buf(4096);
    const ssize_t n = recv(sock, buf.data(), buf.size(), MSG_DONTWAIT);
    buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return buf;
}

RepeatedSignal::RepeatedSignal(pthread_t target) {
    struct sigaction action {};
    action.sa_handler = [](int) {};
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, &previous_);
    sender_ = std::thread([this, target] {
        while (!stop_) {
            pthread_kill(target, SIGUSR1);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
}

RepeatedSignal::~RepeatedSignal() {
    stop_ = true;
    sender_.join();
    sigaction(SIGUSR1, &previous_, nullptr);
}

}  // namespace endpoint_test

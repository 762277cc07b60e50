// An endpoint facing a hostile peer.  The input is split into packets (see fuzz_input_layout.h)
// that are sent, file descriptors attached, to an endpoint on one end of a SOCK_SEQPACKET
// socketpair; the endpoint then runs its handshake (the simulator's recv_hello + accept_hello or
// refuse, or QEMU's client handshake) and is driven with sst_ep_wait/sst_ep_poll/sst_ep_send.
// Packets marked for the ring are published in its receive ring once the handshake mapped one.
// Every call uses a zero timeout, so nothing blocks.  Besides crashes and leaks found by the
// sanitizers, the target aborts when a run leaves a file descriptor open.
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fuzz_input_layout.h"
#include "mmio_endpoint.h"
#include "qemu-sst/mmio_protocol.h"

namespace {

using namespace fuzz_layout;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_endpoint_socket: %s\n", what);
    std::abort();
}

struct Packet {
    uint8_t flags;
    const uint8_t* bytes;
    size_t len;
};

std::vector<Packet> split_packets(const uint8_t* data, size_t size) {
    std::vector<Packet> packets;
    size_t at = 0;
    while (at + 2 <= size) {
        const uint8_t flags = data[at];
        size_t len = data[at + 1];
        at += 2;
        len = len < size - at ? len : size - at;
        packets.push_back({flags, data + at, len});
        at += len;
    }
    return packets;
}

// Descriptors to attach to packets, made on first use and all closed at the end of the run.
class Descriptors {
public:
    ~Descriptors() {
        for (int fd : owned_) {
            close(fd);
        }
    }

    int get(FdKind kind) {
        int& fd = by_kind_[kind];
        if (fd < 0) {
            fd = make(kind);
        }
        return fd;
    }

private:
    int make(FdKind kind) {
        if (kind == kFdPipe) {
            int pipe_fds[2];
            if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
                fail("pipe2");
            }
            owned_.push_back(pipe_fds[0]);
            owned_.push_back(pipe_fds[1]);
            return pipe_fds[1];
        }
        const int fd = memfd_create("fuzz-region", MFD_CLOEXEC);
        if (fd < 0) {
            fail("memfd_create");
        }
        owned_.push_back(fd);
        const uint64_t size = kind == kFdEmptyMemfd ? 0 : sst_shm_region_size(kOfferCapacity);
        if (ftruncate(fd, static_cast<off_t>(size)) < 0) {
            fail("ftruncate");
        }
        if (kind == kFdValidRegion) {
            void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (base == MAP_FAILED) {
                fail("mmap");
            }
            sst_ring to_sim, to_qemu;
            sst_shm_region_init(base, kOfferCapacity, &to_sim, &to_qemu);
            munmap(base, size);
        }
        return fd;
    }

    int by_kind_[4] = {-1, -1, -1, -1};
    std::vector<int> owned_;
};

// Sends without blocking; a full socket simply drops the rest, as a stalled peer would.
void send_to_endpoint(int sock, const Packet& p, Descriptors& descriptors) {
    const unsigned fd_count = (p.flags >> kPacketFdCountShift) & 3;
    const auto kind = static_cast<FdKind>((p.flags >> kPacketFdKindShift) & 3);
    int fds[3];
    for (unsigned i = 0; i < fd_count; i++) {
        fds[i] = descriptors.get(kind);
    }
    iovec iov{const_cast<uint8_t*>(p.bytes), p.len};
    char control[CMSG_SPACE(sizeof(fds))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (fd_count > 0) {
        std::memset(control, 0, sizeof(control));
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(fd_count * sizeof(int));
        cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(fd_count * sizeof(int));
        std::memcpy(CMSG_DATA(cmsg), fds, fd_count * sizeof(int));
    }
    (void)sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void handshake(sst_mmio_endpoint* ep, uint8_t mode) {
    if (mode & kModeQemuRole) {
        sst_mmio_hello hello{};
        hello.capabilities = SST_MMIO_CAP_ALL;
        hello.size = 0x1000;
        sst_mmio_hello_ack ack{};
        if (sst_ep_client_handshake(ep, &hello, &ack, 0) == 0 && ep->shm &&
            ep->shm_size != sst_shm_region_size(ep->rx.capacity)) {
            fail("QEMU mapped a region whose size disagrees with its capacity");
        }
        return;
    }
    sst_mmio_hello hello;
    if (sst_ep_recv_hello(ep, &hello, 0) < 0) {
        return;
    }
    if (std::memchr(hello.name, '\0', sizeof(hello.name)) == nullptr) {
        fail("HELLO name handed out without a terminator");
    }
    if (mode & kModeRefuse) {
        sst_ep_refuse(ep, SST_MMIO_BAD_FIELD, hello.name);
        return;
    }
    sst_mmio_hello_ack ack{};
    ack.capabilities = (mode & kModeAckShmRing) ? SST_MMIO_CAP_SHM_RING : 0;
    const uint32_t capacity = kModeCapacities[(mode >> kModeCapacityShift) & 3];
    if (sst_ep_accept_hello(ep, &ack, capacity, 0) < 0) {
        return;
    }
    if (ep->shm && ep->shm_size != sst_shm_region_size(capacity)) {
        fail("the simulator mapped a region of the wrong size");
    }
    if (mode & kModeGuestRam) {
        sst_mmio_guest_ram ram{};
        int fd = -1;
        if (sst_ep_recv_guest_ram(ep, &ram, &fd, 0) == 0) {
            struct stat st;
            if (fd < 0 || fstat(fd, &st) < 0 || uint64_t(st.st_size) < ram.size || ram.size == 0) {
                fail("guest RAM accepted that its descriptor does not hold");
            }
            close(fd);
        } else if (fd >= 0) {
            fail("a refused GUEST_RAM left its descriptor with the caller");
        }
    }
}

// Takes frames until there are none left; each one handed out must be a whole valid frame.
void drive(sst_mmio_endpoint* ep) {
    for (int i = 0; i < 256; i++) {
        sst_mmio_frame frame;
        const uint32_t expected_seq = ep->rx_seq;
        const int rc = i % 2 ? sst_ep_poll(ep, &frame) : sst_ep_wait(ep, &frame, 0);
        if (rc == SST_EP_CLOSED) {
            if (!ep->closed || ep->error[0] == '\0') {
                fail("closed without a reason");
            }
            return;
        }
        if (rc == SST_EP_NOTHING) {
            if (i % 2 == 0) {
                return;
            }
            continue;
        }
        if (rc != SST_EP_FRAME || !sst_frame_type_known(ep->family, frame.hdr.type) ||
            frame.hdr.length != sst_frame_payload_size(ep->family, frame.hdr.type) || frame.hdr.seq != expected_seq) {
            fail("handed out a frame that is not valid and in sequence");
        }
    }
}

// Open descriptors among the first 1024, counted with one poll(): closed ones report POLLNVAL.
int open_fd_count() {
    static pollfd fds[1024];
    for (int i = 0; i < 1024; i++) {
        fds[i] = {i, 0, 0};
    }
    poll(fds, 1024, 0);
    int open = 0;
    for (const pollfd& p : fds) {
        open += !(p.revents & POLLNVAL);
    }
    return open;
}

// Descriptors open before any run: a run that ends with more has leaked one.
int fd_baseline = -1;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fd_baseline = open_fd_count();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) {
        return 0;
    }
    const uint8_t mode = data[0];
    const auto packets = split_packets(data + 1, size - 1);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        fail("socketpair");
    }

    {
        Descriptors descriptors;
        sst_mmio_endpoint ep;
        sst_ep_init(&ep, sv[0], (mode & kModeQemuRole) ? SST_EP_QEMU : SST_EP_SIMULATOR, sst_mmio_family());
        ep.spin_polls = 0;

        for (const Packet& p : packets) {
            if (!(p.flags & kPacketInRing)) {
                send_to_endpoint(sv[1], p, descriptors);
            }
        }
        if (mode & kModeHangUp) {
            shutdown(sv[1], SHUT_WR);
        }
        handshake(&ep, mode);
        if (ep.shm && !ep.closed) {
            // The peer's side of the shared memory: publish straight into the endpoint's rx ring.
            for (const Packet& p : packets) {
                if ((p.flags & kPacketInRing) && sst_ring_push(&ep.rx, p.bytes, static_cast<uint32_t>(p.len)) < 0) {
                    break;
                }
            }
        }
        drive(&ep);
        if (!ep.closed) {
            sst_mmio_sync sync{};
            sync.vtime_ps = 1;
            (void)sst_ep_send(&ep, SST_MMIO_SYNC, &sync);  // the ring or socket toward the peer has room
        }
        sst_ep_close(&ep);
        if (ep.shm != nullptr || ep.sock != -1) {
            fail("close left the region mapped or the socket open");
        }
        close(sv[1]);
    }

    const int open_fds = open_fd_count();
    if (open_fds > fd_baseline) {
        fail("a file descriptor was leaked");
    }
    fd_baseline = open_fds;  // the fuzzer itself may have closed one meanwhile
    return 0;
}

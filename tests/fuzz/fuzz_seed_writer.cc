// Writes starting corpora for the fuzz targets: valid frames, rings and handshakes, so the
// fuzzers begin from inputs that get deep into the code instead of failing the first check.
// Usage: fuzz_seed_writer CORPUS_ROOT   (creates CORPUS_ROOT/<target>/seed-*)
// Generated at run time so that no binary file needs to live in the repository.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_input_layout.h"
#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/shm_ring.h"
#include "qemu-sst/virtio_protocol.h"

namespace {

using namespace fuzz_layout;
using Bytes = std::vector<uint8_t>;

Bytes encoded(const sst_frame_family* family, uint32_t type, uint32_t seq, const void* payload) {
    Bytes out(sst_frame_size(family));
    out.resize(sst_frame_encode(out.data(), family, type, seq, payload));
    return out;
}

// A frame of `type` (base or MMIO family) with plausible field values.
Bytes frame(uint32_t type, uint32_t seq) {
    sst_mmio_frame f;
    std::memset(&f, 0, sizeof(f));
    switch (type) {
    case SST_MMIO_HELLO:
        f.u.hello.capabilities = SST_MMIO_CAP_ALL;
        f.u.hello.base_address = 0x10000000;
        f.u.hello.size = 0x1000;
        std::strcpy(f.u.hello.name, "sst-dev0");
        break;
    case SST_MMIO_HELLO_ACK:
        f.u.hello_ack.capabilities = SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_IRQ;
        f.u.hello_ack.time_mode = SST_MMIO_TIME_DETERMINISTIC;
        f.u.hello_ack.quantum_ps = 1000000;
        break;
    case SST_MMIO_SHM_OFFER:
        f.u.shm_offer.region_size = sst_shm_region_size(kOfferCapacity);
        f.u.shm_offer.ring_capacity = kOfferCapacity;
        break;
    case SST_MMIO_READ:
    case SST_MMIO_WRITE:
        f.u.access.id = seq;
        f.u.access.offset = 0x10;
        f.u.access.data = type == SST_MMIO_WRITE ? 0xDEADBEEF : 0;
        f.u.access.vtime_ps = 5000;
        f.u.access.size = 4;
        break;
    case SST_MMIO_RESPONSE:
        f.u.response.id = seq;
        f.u.response.data = 0x1234;
        f.u.response.latency_ps = 100;
        break;
    case SST_MMIO_IRQ:
        f.u.irq.level = 1;
        f.u.irq.vtime_ps = 6000;
        break;
    case SST_MMIO_SYNC: f.u.sync.vtime_ps = 7000; break;
    case SST_MMIO_GRANT: f.u.grant.horizon_ps = 8000; break;
    case SST_MMIO_GOODBYE: f.u.goodbye.exit_status = 0; break;
    case SST_MMIO_ERROR:
        f.u.error.code = SST_MMIO_BAD_FIELD;
        std::strcpy(f.u.error.text, "access size 3");
        break;
    default: break;
    }
    return encoded(sst_mmio_family(), type, seq, &f.u);
}

// A frame of the virtio family with plausible field values.
Bytes virtio_frame(uint32_t type, uint32_t seq) {
    sst_virtio_frame f;
    std::memset(&f, 0, sizeof(f));
    switch (type) {
    case SST_MMIO_VIRTIO_REQUEST:
        f.u.virtio_request.id = seq;
        f.u.virtio_request.vtime_ps = 5000;
        f.u.virtio_request.length = sizeof(SSTRequest);
        f.u.virtio_request.request.type = SST_REQ_ECHO;
        break;
    case SST_MMIO_VIRTIO_RESPONSE:
        f.u.virtio_response.id = seq;
        f.u.virtio_response.latency_ps = 100;
        break;
    case SST_MMIO_VIRTIO_EVENT: f.u.virtio_event.vtime_ps = 6000; break;
    default: break;
    }
    return encoded(sst_virtio_family(), type, seq, &f.u);
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

class CorpusDir {
public:
    CorpusDir(const std::filesystem::path& root, const std::string& target) : dir_(root / target) {
        std::filesystem::create_directories(dir_);
    }
    void add(const Bytes& bytes) {
        const auto path = dir_ / ("seed-" + std::to_string(count_++));
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    int count() const { return count_; }

private:
    std::filesystem::path dir_;
    int count_ = 0;
};

void mmio_decode_seeds(CorpusDir& dir) {
    for (uint32_t number = 1; number <= SST_BASE_TYPE_COUNT; number++) {
        dir.add(frame(SST_FRAME_TYPE(SST_FAMILY_BASE, number), number));
    }
    for (uint32_t number = 1; number <= SST_MMIO_FAMILY_TYPE_COUNT; number++) {
        dir.add(frame(SST_FRAME_TYPE(SST_FAMILY_MMIO, number), number));
    }
    for (uint32_t number = 1; number <= SST_VIRTIO_FAMILY_TYPE_COUNT; number++) {
        dir.add(virtio_frame(SST_FRAME_TYPE(SST_FAMILY_VIRTIO, number), number));
    }
    dir.add(concat({frame(SST_MMIO_READ, 2), frame(SST_MMIO_RESPONSE, 3)}));
}

// A ring of `1 << log2` bytes holding `frames` published from position `start`.
Bytes ring_input(unsigned log2, uint64_t start, std::initializer_list<Bytes> frames) {
    const uint32_t capacity = 1u << log2;
    sst_ring_ctrl ctrl{};
    ctrl.head = ctrl.tail = start;
    Bytes data(capacity);
    sst_ring ring{&ctrl, data.data(), capacity};
    for (const Bytes& f : frames) {
        sst_ring_push(&ring, f.data(), static_cast<uint32_t>(f.size()));
    }
    Bytes out(kRingDataAt);
    const uint64_t fill = ctrl.head - ctrl.tail;  // below 2 * capacity + 1: survives the modulo
    std::memcpy(out.data() + kRingHeadAt, &fill, sizeof(fill));
    std::memcpy(out.data() + kRingTailAt, &ctrl.tail, sizeof(ctrl.tail));
    out[kRingShapeAt] = static_cast<uint8_t>(log2);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void shm_ring_seeds(CorpusDir& dir) {
    dir.add(ring_input(10, 0, {frame(SST_MMIO_READ, 0), frame(SST_MMIO_RESPONSE, 1)}));
    dir.add(ring_input(10, 1000, {frame(SST_MMIO_HELLO, 0), frame(SST_MMIO_ERROR, 1), frame(SST_MMIO_GRANT, 2)}));
    dir.add(ring_input(8, 200, {frame(SST_MMIO_SYNC, 0), frame(SST_MMIO_IRQ, 1), frame(SST_MMIO_SHM_READY, 2)}));
    dir.add(ring_input(10, UINT64_MAX - 40, {frame(SST_MMIO_WRITE, 0), frame(SST_MMIO_GOODBYE, 1)}));
}

// An endpoint input: the mode byte, then each packet as [flags][length][bytes].
struct EndpointInput {
    explicit EndpointInput(uint8_t mode) : bytes{mode} {}
    EndpointInput& packet(const Bytes& b, uint8_t flags = 0) {
        bytes.push_back(flags);
        bytes.push_back(static_cast<uint8_t>(b.size()));
        bytes.insert(bytes.end(), b.begin(), b.end());
        return *this;
    }
    EndpointInput& ring(const Bytes& b) { return packet(b, kPacketInRing); }
    Bytes bytes;
};

void endpoint_seeds(CorpusDir& dir) {
    const Bytes doorbell{'D'};
    // Simulator granting shared rings, then traffic through them.
    dir.add(EndpointInput(kModeAckShmRing)
                .packet(frame(SST_MMIO_HELLO, 0))
                .packet(frame(SST_MMIO_SHM_READY, 1))
                .ring(frame(SST_MMIO_READ, 2))
                .ring(frame(SST_MMIO_WRITE, 3))
                .ring(frame(SST_MMIO_SYNC, 4))
                .ring(frame(SST_MMIO_GOODBYE, 5))
                .bytes);
    // Simulator on the socket only; the peer hangs up at the end.
    dir.add(EndpointInput(kModeHangUp)
                .packet(frame(SST_MMIO_HELLO, 0))
                .packet(frame(SST_MMIO_READ, 1))
                .packet(doorbell)
                .packet(frame(SST_MMIO_SYNC, 2))
                .packet(frame(SST_MMIO_GOODBYE, 3))
                .bytes);
    // Simulator receiving guest RAM after the handshake: a descriptor that holds it, and one that
    // is too small.
    Bytes ram = frame(SST_MMIO_GUEST_RAM, 1);
    const sst_mmio_guest_ram ram_payload{0x80000000u, 4096};
    std::memcpy(ram.data() + sizeof(sst_mmio_header), &ram_payload, sizeof(ram_payload));
    dir.add(EndpointInput(kModeGuestRam)
                .packet(frame(SST_MMIO_HELLO, 0))
                .packet(ram, packet_flags(false, 1, kFdValidRegion))
                .packet(frame(SST_MMIO_SYNC, 2))
                .bytes);
    dir.add(EndpointInput(kModeGuestRam)
                .packet(frame(SST_MMIO_HELLO, 0))
                .packet(ram, packet_flags(false, 1, kFdEmptyMemfd))
                .bytes);
    // Simulator refusing, and one receiving descriptors it did not ask for.
    dir.add(EndpointInput(kModeRefuse).packet(frame(SST_MMIO_HELLO, 0)).bytes);
    dir.add(EndpointInput(kModeAckShmRing | (1 << kModeCapacityShift))
                .packet(frame(SST_MMIO_HELLO, 0), packet_flags(false, 2, kFdPipe))
                .packet(doorbell, packet_flags(false, 1, kFdEmptyMemfd))
                .packet(frame(SST_MMIO_SHM_READY, 1))
                .ring(frame(SST_MMIO_IRQ, 2))
                .bytes);
    // QEMU receiving a valid offer, then traffic through the rings.
    dir.add(EndpointInput(kModeQemuRole)
                .packet(frame(SST_MMIO_HELLO_ACK, 0))
                .packet(frame(SST_MMIO_SHM_OFFER, 1), packet_flags(false, 1, kFdValidRegion))
                .ring(frame(SST_MMIO_RESPONSE, 2))
                .ring(frame(SST_MMIO_IRQ, 3))
                .ring(frame(SST_MMIO_GRANT, 4))
                .bytes);
    // QEMU receiving offers it must refuse: a short descriptor, a blank region.
    dir.add(EndpointInput(kModeQemuRole)
                .packet(frame(SST_MMIO_HELLO_ACK, 0))
                .packet(frame(SST_MMIO_SHM_OFFER, 1), packet_flags(false, 1, kFdEmptyMemfd))
                .bytes);
    dir.add(EndpointInput(kModeQemuRole)
                .packet(frame(SST_MMIO_HELLO_ACK, 0))
                .packet(frame(SST_MMIO_SHM_OFFER, 1), packet_flags(false, 2, kFdBlankRegion))
                .bytes);
    // QEMU on the socket only (the ACK's capability bits are patched to IRQ alone).
    Bytes ack = frame(SST_MMIO_HELLO_ACK, 0);
    const uint32_t irq_only = SST_MMIO_CAP_IRQ;
    std::memcpy(ack.data() + sizeof(sst_mmio_header), &irq_only, sizeof(irq_only));
    dir.add(EndpointInput(kModeQemuRole | kModeHangUp)
                .packet(ack)
                .packet(frame(SST_MMIO_RESPONSE, 1))
                .packet(frame(SST_MMIO_GRANT, 2))
                .packet(frame(SST_MMIO_ERROR, 3))
                .bytes);
}

void virtio_seeds(CorpusDir& dir) {
    for (uint32_t type = SST_REQ_NOOP; type < SST_REQ_TYPE_COUNT; type++) {
        SSTRequest req;
        std::memset(&req, 0, sizeof(req));
        req.type = type;
        req.request_id = type + 1;
        if (type == SST_REQ_ECHO) {
            req.data_len = 5;
            std::memcpy(req.payload.data, "hello", 5);
        } else if (type == SST_REQ_COMPUTE) {
            req.payload.compute.compute_units = 1000;
            req.payload.compute.latency_model = SST_LATENCY_PIPELINED;
        } else if (type == SST_REQ_READ || type == SST_REQ_WRITE) {
            req.payload.memory.addr = 0x100;
            req.payload.memory.size = 64;
        } else if (type == SST_REQ_CONFIGURE) {
            req.payload.config.key = SST_CONFIG_LANES;
            req.payload.config.value = 4;
        }
        const auto* p = reinterpret_cast<const uint8_t*>(&req);
        dir.add(Bytes(p, p + sizeof(req)));
    }
    dir.add(Bytes(32, 0));  // a header's worth: refused for its length
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_ROOT\n", argv[0]);
        return 2;
    }
    const std::filesystem::path root = argv[1];
    struct Target {
        const char* name;
        void (*write)(CorpusDir&);
    } targets[] = {
        {"fuzz_mmio_decode", mmio_decode_seeds},
        {"fuzz_shm_ring", shm_ring_seeds},
        {"fuzz_endpoint_socket", endpoint_seeds},
        {"fuzz_virtio_request", virtio_seeds},
    };
    for (const Target& t : targets) {
        CorpusDir dir(root, t.name);
        t.write(dir);
        std::printf("%s: %d seeds in %s\n", t.name, dir.count(), (root / t.name).c_str());
    }
    return 0;
}

// How the fuzz targets read their input bytes, shared with fuzz_seed_writer so that the seeds it
// writes mean what the targets expect.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fuzz_layout {

// fuzz_shm_ring: [u64 head][u64 tail][u8 shape][ring data ...]
constexpr size_t kRingHeadAt = 0;
constexpr size_t kRingTailAt = 8;
constexpr size_t kRingShapeAt = 16;
constexpr size_t kRingDataAt = 17;
// shape bits 0-4: log2 of the capacity, taken modulo 17 (1 byte .. 64 KiB).
constexpr unsigned kRingShapeLog2Mask = 0x1F;
constexpr unsigned kRingMaxLog2 = 16;
// shape bit 7: use head as given.  Clear: head = tail + head % (2 * capacity + 1), so most inputs
// describe a plausible fill level instead of failing the first "more than capacity" check.
constexpr uint8_t kRingShapeRawHead = 0x80;

// fuzz_endpoint_socket: [u8 mode] then packets, each [u8 flags][u8 length][length bytes].
constexpr uint8_t kModeQemuRole = 1 << 0;    // else the endpoint plays the simulator
constexpr uint8_t kModeHangUp = 1 << 1;      // the peer shuts its sending side after its packets
constexpr uint8_t kModeAckShmRing = 1 << 2;  // simulator: HELLO_ACK grants SST_MMIO_CAP_SHM_RING
constexpr uint8_t kModeRefuse = 1 << 3;      // simulator: refuse the HELLO instead
constexpr unsigned kModeCapacityShift = 4;   // simulator: bits 4-5 pick a ring capacity
constexpr uint32_t kModeCapacities[4] = {1024, 4096, 1000 /* invalid */, 65536};
constexpr uint8_t kModeGuestRam = 1 << 6;  // simulator: expect GUEST_RAM after the handshake

constexpr uint8_t kPacketInRing = 1 << 0;    // publish in the endpoint's receive ring once it exists
constexpr unsigned kPacketFdCountShift = 1;  // bits 1-2: descriptors attached (0-3)
constexpr unsigned kPacketFdKindShift = 3;   // bits 3-4: what they are, below
enum FdKind : uint8_t {
    kFdValidRegion = 0,  // memfd holding an initialised region of kOfferCapacity
    kFdEmptyMemfd = 1,   // memfd of size 0
    kFdPipe = 2,         // write end of a pipe: cannot be mapped
    kFdBlankRegion = 3,  // memfd of the right size whose header is all zeros
};
constexpr uint32_t kOfferCapacity = 1024;

inline uint8_t packet_flags(bool in_ring, unsigned fd_count, FdKind kind) {
    return static_cast<uint8_t>((in_ring ? kPacketInRing : 0) | (fd_count << kPacketFdCountShift) |
                                (kind << kPacketFdKindShift));
}

}  // namespace fuzz_layout

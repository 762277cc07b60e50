// The guest's RAM, mapped from the descriptor QEMU hands over after the handshake (GUEST_RAM in
// channel_protocol.h), so that devices' DMA reads and writes it directly.  Every access is checked
// against the RAM's guest-physical range first: one outside it is refused, never performed.
#ifndef QEMU_SST_QEMUBINARY_GUEST_RAM_H
#define QEMU_SST_QEMUBINARY_GUEST_RAM_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace QemuSst {

class GuestRam {
public:
    GuestRam() = default;
    ~GuestRam();
    GuestRam(const GuestRam&) = delete;
    GuestRam& operator=(const GuestRam&) = delete;

    // Maps `size` bytes of fd (taken: closed here) as guest-physical [base, base + size).  "" or why not.
    std::string map(int fd, uint64_t base, uint64_t size);
    bool mapped() const { return bytes_ != nullptr; }

    // Host address of guest-physical [address, address + length), or nullptr if that is not all RAM.
    uint8_t* at(uint64_t address, uint64_t length) const {
        if (!bytes_ || address < base_ || address - base_ > size_ || length > size_ - (address - base_)) {
            return nullptr;
        }
        return bytes_ + (address - base_);
    }

private:
    uint8_t* bytes_ = nullptr;
    uint64_t base_ = 0;
    uint64_t size_ = 0;
};

}  // namespace QemuSst

#endif

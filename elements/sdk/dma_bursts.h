// The device SDK's DMA bookkeeping, shared by every host of a model (sdk/mmio_device.h,
// sdk/model_runner.h): a transfer is split into bursts of at most `burst_bytes` that never cross a
// 4 KiB boundary (as an AXI burst may not), each is tracked until its answer, and the model hears
// of the transfer as ModelHost promises (dmaData per read burst, dmaDone once at the end).
#ifndef QEMU_SST_SDK_DMA_BURSTS_H
#define QEMU_SST_SDK_DMA_BURSTS_H

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "sdk/device_model.h"

namespace QemuSst {

class DmaBursts {
public:
    static constexpr uint64_t kBoundary = 4096;

    struct Burst {
        uint64_t id;
        uint64_t address;
        uint32_t size;
        bool write;
        std::vector<uint8_t> data;  // a write's bytes
    };
    using Issue = std::function<void(Burst&&)>;

    // burst_bytes: a power of two from 8 to 4096 (else std::invalid_argument).
    DmaBursts(uint64_t burst_bytes, Issue issue);

    void read(uint64_t address, uint64_t length, uint64_t tag);
    void write(uint64_t address, std::vector<uint8_t> bytes, uint64_t tag);
    // The answer to burst `id` (a read's bytes in `data`): tells `client` what is due.  false for an
    // id that is not outstanding.
    bool complete(uint64_t id, bool ok, std::vector<uint8_t>& data, DmaClient& client);

    size_t outstanding() const { return outstanding_; }

private:
    struct Transfer {
        uint64_t tag;
        uint64_t bursts_left;
        DmaStatus status;
    };
    struct Pending {
        uint64_t transfer;
        uint64_t offset;  // into the transfer
        uint64_t address;
    };

    // Calls f(offset, address, size) for each burst of [address, address + length).
    template <class F>
    void split(uint64_t address, uint64_t length, F f) const;
    uint64_t open(uint64_t tag, uint64_t address, uint64_t length);

    uint64_t burst_bytes_;
    Issue issue_;
    uint64_t next_burst_ = 1;
    // Transfers and bursts by id, from first_*_ on (ids are handed out in order): ended ones are
    // empty, and leave the front as soon as every earlier one has ended too.
    std::deque<std::optional<Transfer>> transfers_;
    uint64_t first_transfer_ = 1;
    std::deque<std::optional<Pending>> bursts_;
    uint64_t first_burst_ = 1;
    size_t outstanding_ = 0;
};

}  // namespace QemuSst

#endif

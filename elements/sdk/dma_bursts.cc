#include "sdk/dma_bursts.h"

#include <algorithm>
#include <stdexcept>

namespace QemuSst {

DmaBursts::DmaBursts(uint64_t burst_bytes, Issue issue) : burst_bytes_(burst_bytes), issue_(std::move(issue)) {
    if (burst_bytes < 8 || burst_bytes > kBoundary || (burst_bytes & (burst_bytes - 1)) != 0) {
        throw std::invalid_argument("dma_burst must be a power of two from 8 to 4096 bytes, not " +
                                    std::to_string(burst_bytes));
    }
}

template <class F>
void DmaBursts::split(uint64_t address, uint64_t length, F f) const {
    for (uint64_t offset = 0; offset < length;) {
        const uint64_t at = address + offset;
        // Up to the next burst-size boundary, so that bursts stay aligned once the first one is.
        const uint64_t size = std::min(length - offset, burst_bytes_ - at % burst_bytes_);
        f(offset, at, uint32_t(size));
        offset += size;
    }
}

uint64_t DmaBursts::open(uint64_t tag, uint64_t address, uint64_t length) {
    if (length == 0) {
        throw std::invalid_argument("a DMA transfer of 0 bytes");
    }
    const uint64_t first = address / burst_bytes_, last = (address + length - 1) / burst_bytes_;
    const uint64_t id = first_transfer_ + transfers_.size();
    transfers_.emplace_back(Transfer{tag, last - first + 1, {}});
    return id;
}

void DmaBursts::read(uint64_t address, uint64_t length, uint64_t tag) {
    const uint64_t transfer = open(tag, address, length);
    split(address, length, [&](uint64_t offset, uint64_t at, uint32_t size) {
        const uint64_t id = next_burst_++;
        bursts_.emplace_back(Pending{transfer, offset, at});
        outstanding_++;
        issue_(Burst{id, at, size, false, {}});
    });
}

void DmaBursts::write(uint64_t address, std::vector<uint8_t> bytes, uint64_t tag) {
    const uint64_t transfer = open(tag, address, bytes.size());
    const bool one_burst = transfers_[transfer - first_transfer_]->bursts_left == 1;
    split(address, bytes.size(), [&](uint64_t offset, uint64_t at, uint32_t size) {
        const uint64_t id = next_burst_++;
        bursts_.emplace_back(Pending{transfer, offset, at});
        outstanding_++;
        // One burst takes the bytes as they are: a copy engine streaming bursts copies nothing here.
        issue_(Burst{id, at, size, true,
                     one_burst ? std::move(bytes)
                               : std::vector<uint8_t>(bytes.begin() + offset, bytes.begin() + offset + size)});
    });
}

bool DmaBursts::complete(uint64_t id, bool ok, std::vector<uint8_t>& data, DmaClient& client) {
    if (id < first_burst_ || id - first_burst_ >= bursts_.size() || !bursts_[id - first_burst_]) {
        return false;
    }
    const Pending burst = *bursts_[id - first_burst_];
    bursts_[id - first_burst_].reset();
    outstanding_--;
    while (!bursts_.empty() && !bursts_.front()) {
        bursts_.pop_front();
        first_burst_++;
    }
    // A reference stays valid while the client opens transfers (a deque grows at its end).
    Transfer& t = *transfers_[burst.transfer - first_transfer_];
    if (!ok && (t.status.ok || burst.address < t.status.fault_address)) {
        t.status = {false, burst.address};
    }
    if (ok && !data.empty()) {
        client.dmaData(t.tag, burst.offset, data);
    }
    if (--t.bursts_left == 0) {
        const Transfer done = t;
        transfers_[burst.transfer - first_transfer_].reset();
        while (!transfers_.empty() && !transfers_.front()) {
            transfers_.pop_front();
            first_transfer_++;
        }
        client.dmaDone(done.tag, done.status);
    }
    return true;
}

}  // namespace QemuSst

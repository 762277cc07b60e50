#include <sst/core/sst_config.h>

#include "channel.h"

#include "common/memory_events.h"

#include <cinttypes>
#include <cstring>
#include <cstdio>
#include <unistd.h>

namespace QemuSst {

std::string hex(uint64_t value) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "0x%" PRIx64, value);
    return buf;
}

Channel::Channel(ChannelHost& host, std::string name_, unsigned index_, const ChannelKind& kind, void* frame,
                 size_t frame_size)
    : name(std::move(name_)), index(index_), host_(host), kind_(kind), frame_(frame), frame_size_(frame_size) {
    sst_ep_init(&ep, -1, SST_EP_SIMULATOR, kind.family);
}

Channel::~Channel() {
    sst_ep_close(&ep);
    if (listen_fd >= 0) {
        close(listen_fd);
    }
}

void Channel::send(uint32_t type, const void* payload) {
    if (!live() || host_.qemuGone()) {
        return;
    }
    if (sst_ep_send(&ep, type, payload) < 0) {
        host_.channelFailed(*this);
    }
}

void Channel::dropUnknownResponse(const char* what, uint64_t id) const {
    host_.output().verbose(CALL_INFO, 1, 0, "%s: dropping response to unknown %s id %" PRIu64 "\n", name.c_str(), what,
                           id);
}

void Channel::refuse(uint32_t code, const std::string& why) {
    sst_ep_refuse(&ep, code, why.c_str());
    host_.channelFailed(*this);
}

// In deterministic mode the engine runs only while QEMU is stopped (time_sync.h), so the burst takes
// effect at a point of the guest's execution fixed by the simulated time: see "DMA" in the README.
void Channel::handleDma(SST::Event* ev) {
    auto* req = static_cast<MemoryRequestEvent*>(ev);
    auto* resp = new MemoryResponseEvent(req->id, MemoryStatus::Ok);
    const GuestRam& ram = host_.guestRam();
    uint8_t* bytes = ram.at(req->address, req->size);
    if (!ram.mapped() || !bytes || req->data.size() != (req->write ? req->size : 0)) {
        resp->status = ram.mapped() ? MemoryStatus::OutOfRange : MemoryStatus::NoMemory;
        dma_stats.errors->addData(1);
        host_.output().verbose(CALL_INFO, 1, 0, "%s: DMA %s of %u bytes at 0x%" PRIx64 " refused: %s\n", name.c_str(),
                               req->write ? "write" : "read", req->size, req->address, memoryStatusName(resp->status));
    } else if (req->write) {
        std::memcpy(bytes, req->data.data(), req->size);
        dma_stats.writes->addData(1);
        dma_stats.bytes_written->addData(req->size);
    } else {
        resp->data.assign(bytes, bytes + req->size);
        dma_stats.reads->addData(1);
        dma_stats.bytes_read->addData(req->size);
    }
    host_.output().verbose(CALL_INFO, 2, 0, "DMA from %s: %s addr=0x%016" PRIx64 " size=%u\n", name.c_str(),
                           req->write ? "WRITE" : "READ", req->address, req->size);
    host_.timeSync().deviceActivity();
    delete req;
    dma_link->send(resp);
}

}  // namespace QemuSst

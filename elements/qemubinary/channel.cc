#include <sst/core/sst_config.h>

#include "channel.h"

#include <cinttypes>
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

}  // namespace QemuSst

#include <sst/core/sst_config.h>

#include "mmio_window_channel.h"

#include <cinttypes>

#include "common/mmio_events.h"

namespace QemuSst {

MmioWindowChannel::MmioWindowChannel(ChannelHost& host, std::string name, unsigned index, uint64_t base_,
                                     uint64_t size_)
    : Channel(host, std::move(name), index, {"device", SST_MMIO_CAP_ALL & ~SST_MMIO_CAP_VIRTIO, sst_mmio_family()},
              &frame_, sizeof(frame_)),
      base(base_), size(size_) {}

std::string MmioWindowChannel::qemuDevice() const {
    return "sst-device,id=" + name + ",socket=" + socket_path + ",base_address=" + hex(base) + ",size=" + hex(size);
}

std::string MmioWindowChannel::checkHello(const sst_mmio_hello& hello) const {
    if (hello.base_address == base && hello.size == size) {
        return "";
    }
    return "QEMU maps " + name + " at [" + hex(hello.base_address) + ", +" + hex(hello.size) +
           ") but the configuration says [" + hex(base) + ", +" + hex(size) + ")";
}

bool MmioWindowChannel::handleFrame() {
    if (frame_.hdr.type != SST_MMIO_READ && frame_.hdr.type != SST_MMIO_WRITE) {
        return false;
    }
    handleAccess(frame_.u.access, frame_.hdr.type == SST_MMIO_WRITE);
    return true;
}

size_t MmioWindowChannel::dropInFlight() {
    const size_t blocked = pending_.size();
    pending_.clear();
    return blocked;
}

void MmioWindowChannel::handleAccess(const sst_mmio_access& access, bool write) {
    const uint64_t now = host_.nowPs();
    TimeSync& time = host_.timeSync();
    host_.output().verbose(CALL_INFO, 2, 0,
                           "MMIO from %s: type=%s addr=0x%016" PRIx64 " data=0x%08" PRIx64 " size=%u\n", name.c_str(),
                           write ? "WRITE" : "READ", base + access.offset, access.data, unsigned(access.size));
    time.guestReached(access.vtime_ps);
    time.deviceActivity();
    (write ? stats.writes : stats.reads)->addData(1);
    (write ? stats.bytes_written : stats.bytes_read)->addData(access.size);
    if (access.offset >= size || access.size > size - access.offset) {
        stats.errors->addData(1);
        host_.output().verbose(CALL_INFO, 1, 0,
                               "%s: access at offset 0x%" PRIx64 " is outside the %" PRIu64 "-byte window\n",
                               name.c_str(), access.offset, size);
        if (trace) {
            trace->access(trace_tid, now, 0, write, base + access.offset, access.size, access.data,
                          SST_MMIO_DECODE_ERROR);
        }
        respond(access.id, 0, 0, SST_MMIO_DECODE_ERROR);
        return;
    }
    if (pending_.count(access.id)) {
        refuse(SST_MMIO_BAD_FIELD, "access id " + std::to_string(access.id) + " reused while still outstanding");
        return;
    }
    const uint64_t at = time.deliveryPs(access.vtime_ps, now);
    if (time.deterministic() && access.vtime_ps < now) {
        host_.output().verbose(CALL_INFO, 1, 0,
                               "%s: access at guest time %" PRIu64 " ps arrived late, delivered at %" PRIu64 " ps\n",
                               name.c_str(), access.vtime_ps, now);
    }
    pending_.emplace(access.id, PendingAccess{at, write, access.size, access.offset, access.data});
    time.accessStarted();
    auto* ev = new MMIORequestEvent(write ? MMIORequestEvent::Kind::Write : MMIORequestEvent::Kind::Read, access.id,
                                    access.offset, access.data, access.size);
    link->send(at - now, host_.picoseconds(), ev);
}

void MmioWindowChannel::handleResponse(SST::Event* ev) {
    auto* resp = static_cast<MMIOResponseEvent*>(ev);
    const auto it = pending_.find(resp->id);
    if (it == pending_.end()) {
        dropUnknownResponse("access", resp->id);
        delete resp;
        return;
    }
    const uint64_t now = host_.nowPs();
    const PendingAccess access = it->second;
    const uint64_t latency_ps = now - access.delivered_ps;
    pending_.erase(it);
    if (trace) {
        trace->access(trace_tid, access.delivered_ps, latency_ps, access.write, base + access.offset, access.size,
                      access.write ? access.data : resp->data, resp->status);
    }
    TimeSync& time = host_.timeSync();
    time.accessesEnded(1);
    stats.latency->addData(host_.clockCycles(latency_ps));
    if (resp->status != SST_MMIO_OK) {
        stats.errors->addData(1);
    }
    uint64_t horizon_ps = 0;
    if (time.deterministic()) {
        time.guestReached(now);  // QEMU resumes once the latency has passed
        horizon_ps = host_.responseHorizonPs();
    }
    respond(resp->id, resp->data, latency_ps, resp->status, horizon_ps);
    delete resp;
    host_.waitForQemu();
}

void MmioWindowChannel::handleInterrupt(SST::Event* ev) {
    const bool level = static_cast<InterruptEvent*>(ev)->level;
    delete ev;
    stats.interrupts->addData(1);
    host_.timeSync().deviceActivity();
    host_.output().verbose(CALL_INFO, 2, 0, "IRQ from %s: level=%d\n", name.c_str(), int(level));
    if (trace) {
        trace->interrupt(trace_tid, host_.nowPs(), level);
    }
    const sst_mmio_irq irq{0, level ? 1u : 0u, host_.timeSync().stampPs(host_.nowPs())};
    send(SST_MMIO_IRQ, &irq);
}

void MmioWindowChannel::respond(uint64_t id, uint64_t data, uint64_t latency_ps, uint32_t status, uint64_t horizon_ps) {
    const sst_mmio_response resp{id, data, latency_ps, status, 0, horizon_ps};
    send(SST_MMIO_RESPONSE, &resp);
}

}  // namespace QemuSst

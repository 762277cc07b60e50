#include <sst/core/sst_config.h>

#include "virtio_channel.h"

#include <cinttypes>

#include "common/virtio_events.h"

namespace QemuSst {

VirtioChannel::VirtioChannel(ChannelHost& host, std::string name, unsigned index)
    : Channel(host, std::move(name), index, {"virtio", SST_MMIO_CAP_ALL, sst_virtio_family()}, &frame_,
              sizeof(frame_)) {}

std::string VirtioChannel::qemuDevice() const { return "virtio-sst-device,id=" + name + ",socket=" + socket_path; }

std::string VirtioChannel::checkHello(const sst_mmio_hello& hello) const {
    if (hello.capabilities & SST_MMIO_CAP_VIRTIO) {
        return "";
    }
    return "QEMU connected " + name + " as an sst-device, but it is a virtio-sst device";
}

bool VirtioChannel::handleFrame() {
    if (frame_.hdr.type != SST_MMIO_VIRTIO_REQUEST) {
        return false;
    }
    handleRequest(frame_.u.virtio_request);
    return true;
}

size_t VirtioChannel::dropInFlight() {
    pending_.clear();
    return 0;  // QEMU blocks on none of them
}

// A virtio request: QEMU goes on running, so it is device activity but not an outstanding access.
void VirtioChannel::handleRequest(const sst_mmio_virtio_request& req) {
    const uint64_t now = host_.nowPs();
    TimeSync& time = host_.timeSync();
    time.guestReached(req.vtime_ps);
    time.deviceActivity();
    stats.requests->addData(1);
    host_.output().verbose(CALL_INFO, 2, 0, "VIRTIO from %s: id=%" PRIu64 " type=%s request_id=%" PRIu64 " length=%u\n",
                           name.c_str(), req.id, sst_request_type_str(req.request.type), req.request.request_id,
                           req.length);
    const char* why = nullptr;
    if (sst_request_check(&req.request, req.length, &why) != SST_STATUS_OK) {
        host_.output().verbose(CALL_INFO, 1, 0, "%s: request id %" PRIu64 " refused: %s\n", name.c_str(), req.id, why);
        SSTResponse resp{};
        resp.status = SST_STATUS_INVALID;
        resp.request_id = req.request.request_id;
        resp.user_data = req.request.user_data;
        stats.errors->addData(1);
        stats.latency->addData(0);
        if (trace) {
            trace->virtioRequest(trace_tid, now, now, req.request.type, req.request.request_id, req.id, resp.status);
        }
        respond(req.id, 0, resp);
        return;
    }
    if (pending_.count(req.id)) {
        refuse(SST_MMIO_BAD_FIELD, "virtio request id " + std::to_string(req.id) + " reused while still outstanding");
        return;
    }
    const uint64_t at = time.deliveryPs(req.vtime_ps, now);
    if (trace && pending_.empty()) {
        busy_since_ps_ = at;  // the device is busy while it has a request to answer
    }
    pending_.emplace(req.id, Pending{at, req.request.type, req.request.request_id});
    link->send(at - now, host_.picoseconds(), new VirtioRequestEvent(req.id, req.request, req.length));
}

void VirtioChannel::handleEvent(SST::Event* ev) {
    if (auto* resp = dynamic_cast<VirtioResponseEvent*>(ev)) {
        const auto it = pending_.find(resp->id);
        if (it == pending_.end()) {
            dropUnknownResponse("virtio request", resp->id);
            delete resp;
            return;
        }
        const Pending req = it->second;
        const uint64_t now = host_.nowPs();
        const uint64_t latency_ps = now - req.delivered_ps;
        pending_.erase(it);
        if (trace) {
            trace->virtioRequest(trace_tid, req.delivered_ps, now, req.type, req.request_id, resp->id,
                                 resp->response.status);
            if (pending_.empty()) {
                trace->busy(trace_tid, busy_since_ps_, now);
            }
        }
        stats.latency->addData(host_.clockCycles(latency_ps));
        if (resp->response.status != SST_STATUS_OK) {
            stats.errors->addData(1);
        }
        host_.timeSync().deviceActivity();
        respond(resp->id, latency_ps, resp->response);
        delete resp;
    } else if (auto* note = dynamic_cast<VirtioNotifyEvent*>(ev)) {
        stats.events->addData(1);
        host_.timeSync().deviceActivity();
        host_.output().verbose(CALL_INFO, 2, 0, "VIRTIO event from %s: type=%u request_id=%" PRIu64 "\n", name.c_str(),
                               note->event.type, note->event.request_id);
        if (trace) {
            trace->virtioEvent(trace_tid, host_.nowPs(), note->event.type, note->event.request_id);
        }
        sst_mmio_virtio_event frame{};
        frame.vtime_ps = host_.timeSync().stampPs(host_.nowPs());
        frame.event = note->event;
        send(SST_MMIO_VIRTIO_EVENT, &frame);
        delete note;
    } else {
        host_.output().fatal(CALL_INFO, 1, "unexpected event on virtio_port_%u\n", index);
    }
    host_.waitForQemu();
}

void VirtioChannel::respond(uint64_t id, uint64_t latency_ps, const SSTResponse& response) {
    stats.responses->addData(1);
    host_.output().verbose(CALL_INFO, 2, 0, "VIRTIO response to %s: id=%" PRIu64 " status=%s latency=%" PRIu64 " ps\n",
                           name.c_str(), id, sst_status_str(response.status), latency_ps);
    sst_mmio_virtio_response frame{};
    frame.id = id;
    frame.latency_ps = latency_ps;
    frame.response = response;
    send(SST_MMIO_VIRTIO_RESPONSE, &frame);
}

}  // namespace QemuSst

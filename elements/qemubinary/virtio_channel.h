// The channel of a `virtio-sst-device`: no window; the SSTRequests the guest queues go to
// `virtio_port_<i>` as VirtioRequestEvents, delivered at the request's guest time.  QEMU does not
// wait for them, so they are not outstanding accesses.  The VirtioResponseEvents and
// VirtioNotifyEvents coming back become VIRTIO_RESPONSE (latency = time since delivery) and
// VIRTIO_EVENT frames.  Requests of the wrong length or failing sst_request_check are answered by
// the bridge at once with SST_STATUS_INVALID.
#ifndef QEMU_SST_QEMUBINARY_VIRTIO_CHANNEL_H
#define QEMU_SST_QEMUBINARY_VIRTIO_CHANNEL_H

#include <sst/core/event.h>
#include <sst/core/statapi/statbase.h>

#include <unordered_map>

#include "channel.h"
#include "qemu-sst/virtio_protocol.h"

namespace QemuSst {

class VirtioChannel : public Channel {
public:
    struct Statistics {
        SST::Statistics::Statistic<uint64_t>* requests;
        SST::Statistics::Statistic<uint64_t>* responses;
        SST::Statistics::Statistic<uint64_t>* events;
        SST::Statistics::Statistic<uint64_t>* latency;
        SST::Statistics::Statistic<uint64_t>* errors;
    };

    VirtioChannel(ChannelHost& host, std::string name, unsigned index);

    std::string qemuDevice() const override;
    std::string checkHello(const sst_mmio_hello& hello) const override;
    bool handleFrame() override;
    size_t dropInFlight() override;
    bool requestsInFlight() const override { return !pending_.empty(); }

    void handleEvent(SST::Event* ev);  // virtio_port_<i>

    Statistics stats{};

private:
    void handleRequest(const sst_mmio_virtio_request& req);
    void respond(uint64_t id, uint64_t latency_ps, const SSTResponse& response);

    struct Pending {
        uint64_t delivered_ps;
        uint32_t type;  // type and request_id: for the trace
        uint64_t request_id;
    };

    sst_virtio_frame frame_;
    std::unordered_map<uint64_t, Pending> pending_;  // by the channel's request id
    uint64_t busy_since_ps_ = 0;                     // traced: since when a request has been in flight
};

}  // namespace QemuSst

#endif

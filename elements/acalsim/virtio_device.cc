#include <sst/core/sst_config.h>

#include "virtio_device.h"

#include <cinttypes>
#include <cstring>

#include "common/byte_size.h"
#include "common/memory_events.h"

namespace QemuSst {
namespace {

// Self-link event: a buffer job's timed step (BufferJobs::wake).
class BufferWakeEvent : public SST::Event {
public:
    BufferWakeEvent() = default;
    explicit BufferWakeEvent(uint64_t tag) : tag(tag) {}
    uint64_t tag = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(tag);
    }
    ImplementSerializable(QemuSst::BufferWakeEvent);
};

}  // namespace

VirtIODevice::VirtIODevice(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDERR);
    const SST::TimeConverter clock = registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    period_ps_ = clock.getFactor();
    const std::string mem = params.find<std::string>("memory_size", "1MiB");
    const auto mem_size = parseBytes(mem);
    if (!mem_size || *mem_size > (uint64_t(1) << 32)) {
        out_.fatal(CALL_INFO, 1, "memory_size '%s' is not a size of at most 4GiB\n", mem.c_str());
    }
    memory_.assign(*mem_size, 0);
    service_latency_ = params.find<uint64_t>("service_latency", 5);
    max_compute_units_ = params.find<uint64_t>("max_compute_units", uint64_t(1) << 20);

    bridge_link_ =
        configureLink("bridge_port", new SST::Event::Handler<VirtIODevice, &VirtIODevice::handleRequest>(this));
    if (!bridge_link_) {
        out_.fatal(CALL_INFO, 1, "port bridge_port is not connected: the device cannot receive requests\n");
    }
    if (isPortConnected("compute_port")) {
        compute_link_ =
            configureLink("compute_port", new SST::Event::Handler<VirtIODevice, &VirtIODevice::handleCompute>(this));
    }
    if (isPortConnected("dma_port")) {
        dma_link_ =
            configureLink("dma_port", new SST::Event::Handler<VirtIODevice, &VirtIODevice::handleDmaResponse>(this));
    }
    wake_link_ = configureSelfLink("buffers_wake", clock,
                                   new SST::Event::Handler<VirtIODevice, &VirtIODevice::handleWake>(this));
    try {
        buffers_ = std::make_unique<BufferJobs>(
            BufferJobs::Host{
                [this](DmaBursts::Burst&& b) {
                    dma_link_->send(b.write ? new MemoryRequestEvent(b.id, b.address, std::move(b.data))
                                            : new MemoryRequestEvent(b.id, b.address, b.size));
                },
                [this](uint64_t cycles, uint64_t tag) { wake_link_->send(cycles, new BufferWakeEvent(tag)); },
                [this](uint64_t job, const BufferJobs::Outcome& o) { buffersDone(job, o); }},
            params.find<uint64_t>("dma_burst", 4096), params.find<uint64_t>("pes", 16),
            params.find<uint64_t>("pipeline_depth", 4));
    } catch (const std::exception& e) {
        out_.fatal(CALL_INFO, 1, "%s\n", e.what());
    }
    for (uint32_t t = 0; t < SST_REQ_TYPE_COUNT; t++) {
        stat_requests_[t] = registerStatistic<uint64_t>("requests", sst_request_type_str(t));
        stat_latency_[t] = registerStatistic<uint64_t>("latency", sst_request_type_str(t));
        stat_errors_[t] = registerStatistic<uint64_t>("errors", sst_request_type_str(t));
    }
    stat_events_ = registerStatistic<uint64_t>("events");
}

void VirtIODevice::handleRequest(SST::Event* ev) {
    auto* req_ev = dynamic_cast<VirtioRequestEvent*>(ev);
    if (!req_ev) {
        out_.fatal(CALL_INFO, 1, "unexpected event on bridge_port\n");
    }
    const SSTRequest& req = req_ev->request;
    const uint64_t now = getCurrentSimCycle();
    auto* resp_ev = new VirtioResponseEvent(req_ev->id);
    SSTResponse& resp = resp_ev->response;
    resp.request_id = req.request_id;
    resp.user_data = req.user_data;
    const char* why = nullptr;
    if (sst_request_check(&req, req_ev->length, &why) != SST_STATUS_OK) {
        // The bridge refuses these already; a component feeding this device directly might not.
        out_.verbose(CALL_INFO, 1, 0, "request %" PRIu64 " refused: %s\n", req.request_id, why);
        resp.status = SST_STATUS_INVALID;
        const uint32_t type = req.type < SST_REQ_TYPE_COUNT ? req.type : uint32_t(SST_REQ_NOOP);
        stat_requests_[type]->addData(1);
        respond(type, resp_ev, now, service_latency_);
        delete req_ev;
        return;
    }
    stat_requests_[req.type]->addData(1);
    out_.verbose(CALL_INFO, 1, 0, "request %" PRIu64 " (id %" PRIu64 "): %s\n", req.request_id, req_ev->id,
                 sst_request_type_str(req.type));
    if (serve(req_ev->id, req, resp)) {
        respond(req.type, resp_ev, now, service_latency_);
    } else {
        delete resp_ev;  // the compute model answers later
    }
    delete req_ev;
}

bool VirtIODevice::serve(uint64_t bridge_id, const SSTRequest& req, SSTResponse& resp) {
    resp.status = SST_STATUS_OK;
    switch (req.type) {
    case SST_REQ_NOOP: return true;
    case SST_REQ_ECHO:
        std::memcpy(resp.payload.data, req.payload.data, req.data_len);
        resp.result = req.data_len;
        return true;
    case SST_REQ_READ:
    case SST_REQ_WRITE: {
        const uint64_t addr = req.payload.memory.addr, size = req.payload.memory.size;
        if (addr > memory_.size() || size > memory_.size() - addr) {
            resp.status = SST_STATUS_INVALID;
            return true;
        }
        if (req.type == SST_REQ_READ) {
            std::memcpy(resp.payload.data, memory_.data() + addr, size);
            resp.result = size;
        } else {
            std::memcpy(memory_.data() + addr, req.payload.memory.data, size);
            resp.result = size;
        }
        return true;
    }
    case SST_REQ_RESET:
        std::fill(memory_.begin(), memory_.end(), 0);
        if (compute_link_) {
            compute_link_->send(new ComputeConfigEvent(ComputeConfigEvent::kRestoreDefaults, 0));
        }
        return true;
    case SST_REQ_GET_INFO:
        resp.payload.info.version = SST_PROTOCOL_VERSION;
        resp.payload.info.capabilities = (1u << VIRTIO_SST_F_EVENTS) | (1u << VIRTIO_SST_F_MEMORY) |
                                         (compute_link_ ? 1u << VIRTIO_SST_F_COMPUTE : 0u);
        resp.payload.info.max_compute_units = max_compute_units_;
        resp.payload.info.memory_size = memory_.size();
        return true;
    case SST_REQ_CONFIGURE: {
        const uint32_t key = req.payload.config.key;
        const uint64_t value = req.payload.config.value;
        if ((key == SST_CONFIG_LATENCY_MODEL && value >= SST_LATENCY_MODEL_COUNT) ||
            (key == SST_CONFIG_LANES && value == 0)) {
            resp.status = SST_STATUS_INVALID;
        } else if (!compute_link_) {
            resp.status = SST_STATUS_ERROR;  // every key configures the compute model
        } else {
            compute_link_->send(new ComputeConfigEvent(key, value));
        }
        return true;
    }
    case SST_REQ_BUFFERS:
        if (!dma_link_) {
            resp.status = SST_STATUS_ERROR;  // nothing reaches guest memory
            return true;
        }
        computing_.emplace(next_tag_,
                           PendingCompute{bridge_id, req.request_id, req.user_data, req.flags, getCurrentSimCycle()});
        buffers_->start(next_tag_++, req);
        return false;
    case SST_REQ_COMPUTE:
        if (!compute_link_) {
            resp.status = SST_STATUS_ERROR;
            return true;
        }
        if (req.payload.compute.compute_units > max_compute_units_) {
            resp.status = SST_STATUS_INVALID;
            return true;
        }
        computing_.emplace(next_tag_,
                           PendingCompute{bridge_id, req.request_id, req.user_data, req.flags, getCurrentSimCycle()});
        compute_link_->send(new ComputeRequestEvent(next_tag_++, req.payload.compute.compute_units,
                                                    (req.flags & SST_REQ_FLAG_DEFAULT_MODEL)
                                                        ? ComputeRequestEvent::kDefaultModel
                                                        : req.payload.compute.latency_model));
        return false;
    default: resp.status = SST_STATUS_INVALID; return true;
    }
}

void VirtIODevice::respond(uint32_t type, VirtioResponseEvent* ev, uint64_t arrived_ps, uint64_t delay_cycles) {
    const uint64_t latency_ps = getCurrentSimCycle() - arrived_ps + delay_cycles * period_ps_;
    stat_latency_[type]->addData(latency_ps / period_ps_);
    if (ev->response.status != SST_STATUS_OK) {
        stat_errors_[type]->addData(1);
    }
    out_.verbose(CALL_INFO, 1, 0, "response to %" PRIu64 ": %s result=%" PRIu64 "\n", ev->response.request_id,
                 sst_status_str(ev->response.status), ev->response.result);
    bridge_link_->send(delay_cycles, ev);
}

void VirtIODevice::handleCompute(SST::Event* ev) {
    auto* done = dynamic_cast<ComputeResponseEvent*>(ev);
    if (!done) {
        out_.fatal(CALL_INFO, 1, "unexpected event on compute_port\n");
    }
    const auto it = computing_.find(done->tag);
    if (it == computing_.end()) {
        out_.fatal(CALL_INFO, 1, "compute model answered unknown request tag %" PRIu64 "\n", done->tag);
    }
    const PendingCompute p = it->second;
    computing_.erase(it);
    auto* resp_ev = new VirtioResponseEvent(p.bridge_id);
    SSTResponse& resp = resp_ev->response;
    resp.status = SST_STATUS_OK;
    resp.request_id = p.request_id;
    resp.user_data = p.user_data;
    resp.result = done->units;
    resp.payload.compute.cycles = done->cycles;
    resp.payload.compute.timestamp = done->timestamp_ps;
    respond(SST_REQ_COMPUTE, resp_ev, p.arrived_ps, 0);
    if (p.flags & SST_REQ_FLAG_NOTIFY) {
        SSTEvent event{};
        event.type = SST_EVENT_COMPLETION;
        event.timestamp = done->timestamp_ps;
        event.data = done->cycles;
        event.request_id = p.request_id;
        stat_events_->addData(1);
        bridge_link_->send(new VirtioNotifyEvent(event));
    }
    delete done;
}

void VirtIODevice::handleDmaResponse(SST::Event* ev) {
    auto* resp = static_cast<MemoryResponseEvent*>(ev);
    if (!buffers_->burstDone(resp->id, resp->status == MemoryStatus::Ok, resp->data)) {
        out_.fatal(CALL_INFO, 1, "dma_port: a response to burst %" PRIu64 ", which is not outstanding\n", resp->id);
    }
    delete resp;
}

void VirtIODevice::handleWake(SST::Event* ev) {
    const uint64_t tag = static_cast<BufferWakeEvent*>(ev)->tag;
    delete ev;
    buffers_->wake(tag);
}

void VirtIODevice::buffersDone(uint64_t job, const BufferJobs::Outcome& outcome) {
    const auto it = computing_.find(job);
    const PendingCompute p = it->second;
    computing_.erase(it);
    if (outcome.status != SST_STATUS_OK) {
        out_.verbose(CALL_INFO, 1, 0, "request %" PRIu64 " (buffers): %s\n", p.request_id, outcome.error.c_str());
    }
    auto* resp_ev = new VirtioResponseEvent(p.bridge_id);
    SSTResponse& resp = resp_ev->response;
    resp.status = outcome.status;
    resp.request_id = p.request_id;
    resp.user_data = p.user_data;
    resp.result = outcome.bytes_written;
    resp.payload.compute.cycles = (getCurrentSimCycle() - p.arrived_ps) / period_ps_;
    resp.payload.compute.timestamp = getCurrentSimCycle();
    respond(SST_REQ_BUFFERS, resp_ev, p.arrived_ps, 0);
}

}  // namespace QemuSst

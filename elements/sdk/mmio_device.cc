#include <sst/core/sst_config.h>

#include "sdk/mmio_device.h"

#include "common/memory_events.h"
#include "common/trace_events.h"

namespace QemuSst {
namespace {

// Self-link event: the model's step `tag` is due, or (refused_burst != 0) a DMA burst without a
// dma_port is answered.
class WakeEvent : public SST::Event {
public:
    WakeEvent() = default;
    explicit WakeEvent(uint64_t tag, uint64_t refused_burst = 0) : tag(tag), refused_burst(refused_burst) {}
    uint64_t tag = 0;
    uint64_t refused_burst = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(tag);
        SST_SER(refused_burst);
    }
    ImplementSerializable(QemuSst::WakeEvent);
};

class SstStatistic : public ModelStatistic {
public:
    explicit SstStatistic(SST::Statistics::Statistic<uint64_t>* stat) : stat_(stat) {}
    void add(uint64_t value) override { stat_->addData(value); }

private:
    SST::Statistics::Statistic<uint64_t>* stat_;
};

}  // namespace

std::optional<std::string> MmioDeviceComponent::SstParams::text(const std::string& key) const {
    if (!params_.contains(key)) {
        return std::nullopt;
    }
    return params_.find<std::string>(key);
}

MmioDeviceComponent::MmioDeviceComponent(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDERR);
    clock_tc_ = registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    cpu_link_ = configureLink("cpu_port",
                              new SST::Event::Handler<MmioDeviceComponent, &MmioDeviceComponent::handleRequest>(this));
    if (!cpu_link_) {
        out_.fatal(CALL_INFO, 1, "port cpu_port is not connected: the device cannot receive requests\n");
    }
    irq_link_ = configureLink("irq_port");  // optional: without it, the guest polls
    wake_link_ =
        configureSelfLink("wake", new SST::Event::Handler<MmioDeviceComponent, &MmioDeviceComponent::handleWake>(this));
    // Optional; checked first because configureLink leaves the handler to us when unconnected.
    if (isPortConnected("dma_port"))
        dma_link_ = configureLink(
            "dma_port", new SST::Event::Handler<MmioDeviceComponent, &MmioDeviceComponent::handleDmaResponse>(this));
    if (dma_link_) {
        dma_transfers_ = registerStatistic<uint64_t>("dma_transfers");
    }
    try {
        dma_ = std::make_unique<DmaBursts>(params.find<uint64_t>("dma_burst", 4096),
                                           [this](DmaBursts::Burst&& b) { issueBurst(std::move(b)); });
    } catch (const std::exception& e) {
        out_.fatal(CALL_INFO, 1, "%s\n", e.what());
    }
}

MmioDeviceComponent::~MmioDeviceComponent() = default;

void MmioDeviceComponent::init(unsigned) {
    while (SST::Event* ev = cpu_link_->recvUntimedData()) {
        if (dynamic_cast<TraceRequestEvent*>(ev) && !trace_) {
            trace_ = std::make_unique<TraceSpansEvent>();
        }
        delete ev;
    }
}

// The recorded spans go to the bridge once the run is over; an interval still open ends now.
void MmioDeviceComponent::complete(unsigned phase) {
    if (!trace_ || phase != 0) {
        return;
    }
    const uint64_t now = getCurrentSimCycle();
    if (busy_) {
        trace_->add(TraceSpansEvent::Busy, busy_since_ps_, now);
    }
    for (const auto& [id, b] : burst_starts_) {  // never answered: cut at the end
        trace_->add(b.write ? TraceSpansEvent::DmaWrite : TraceSpansEvent::DmaRead, b.at_ps, now, b.address, b.size,
                    false);
    }
    burst_starts_.clear();
    cpu_link_->sendUntimedData(trace_.release());
}

void MmioDeviceComponent::noteBusy() {
    const bool busy = wakes_pending_ > 0 || dma_->outstanding() > 0;
    if (busy != busy_) {
        busy_ = busy;
        const uint64_t now = getCurrentSimCycle();
        if (busy) {
            busy_since_ps_ = now;
        } else {
            trace_->add(TraceSpansEvent::Busy, busy_since_ps_, now);
        }
    }
}

void MmioDeviceComponent::handleRequest(SST::Event* ev) {
    auto* req = static_cast<MMIORequestEvent*>(ev);
    const MmioModel::Result r = model_->access(req->isWrite(), req->offset, req->size, req->data);
    cpu_link_->send(r.cycles, new MMIOResponseEvent(req->id, r.data, r.status));
    delete req;
    if (trace_) {
        noteBusy();
    }
}

void MmioDeviceComponent::handleWake(SST::Event* ev) {
    const auto* wake = static_cast<WakeEvent*>(ev);
    const uint64_t tag = wake->tag, refused = wake->refused_burst;
    delete ev;
    if (refused) {
        std::vector<uint8_t> none;
        dma_->complete(refused, false, none, *model_);
    } else {
        wakes_pending_--;
        model_->wake(tag);
    }
    if (trace_) {
        noteBusy();
    }
}

void MmioDeviceComponent::dmaRead(uint64_t address, uint64_t length, uint64_t tag) {
    dma_->read(address, length, tag);
    if (dma_transfers_) {
        dma_transfers_->addData(1);
    }
}

void MmioDeviceComponent::dmaWrite(uint64_t address, std::vector<uint8_t> bytes, uint64_t tag) {
    dma_->write(address, std::move(bytes), tag);
    if (dma_transfers_) {
        dma_transfers_->addData(1);
    }
}

void MmioDeviceComponent::issueBurst(DmaBursts::Burst&& b) {
    if (!dma_link_) {
        wake_link_->send(0, new WakeEvent(0, b.id));  // refused, but not from within the model's call
        return;
    }
    if (trace_) {
        burst_starts_[b.id] = {getCurrentSimCycle(), b.address, b.size, b.write};
    }
    dma_link_->send(b.write ? new MemoryRequestEvent(b.id, b.address, std::move(b.data))
                            : new MemoryRequestEvent(b.id, b.address, b.size));
}

void MmioDeviceComponent::handleDmaResponse(SST::Event* ev) {
    auto* resp = static_cast<MemoryResponseEvent*>(ev);
    if (!dma_->complete(resp->id, resp->status == MemoryStatus::Ok, resp->data, *model_)) {
        out_.fatal(CALL_INFO, 1, "dma_port: a response to burst %llu, which is not outstanding\n",
                   (unsigned long long)resp->id);
    }
    if (trace_) {
        if (const auto it = burst_starts_.find(resp->id); it != burst_starts_.end()) {
            const BurstStart& b = it->second;
            trace_->add(b.write ? TraceSpansEvent::DmaWrite : TraceSpansEvent::DmaRead, b.at_ps, getCurrentSimCycle(),
                        b.address, b.size, resp->status == MemoryStatus::Ok);
            burst_starts_.erase(it);
        }
        noteBusy();
    }
    delete resp;
}

uint64_t MmioDeviceComponent::cycle() const { return getCurrentSimTime(clock_tc_); }

void MmioDeviceComponent::setIrq(bool level) {
    if (irq_link_) {
        irq_link_->send(new InterruptEvent(level));
    }
}

void MmioDeviceComponent::wakeAfter(uint64_t cycles, uint64_t tag) {
    wakes_pending_++;
    wake_link_->send(cycles, new WakeEvent(tag));
}

ModelStatistic& MmioDeviceComponent::statistic(const std::string& name) {
    auto& slot = statistics_[name];
    if (!slot) {
        slot = std::make_unique<SstStatistic>(registerStatistic<uint64_t>(name));
    }
    return *slot;
}

void MmioDeviceComponent::log(unsigned level, const std::string& line) {
    out_.verbose(CALL_INFO, level, 0, "%s\n", line.c_str());
}

}  // namespace QemuSst

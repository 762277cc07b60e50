#include <sst/core/sst_config.h>

#include "sdk/mmio_device.h"

namespace QemuSst {
namespace {

// Self-link event: the model's step `tag` is due.
class WakeEvent : public SST::Event {
public:
    WakeEvent() = default;
    explicit WakeEvent(uint64_t tag) : tag(tag) {}
    uint64_t tag = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(tag);
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
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDOUT);
    clock_tc_ = registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    cpu_link_ = configureLink("cpu_port",
                              new SST::Event::Handler<MmioDeviceComponent, &MmioDeviceComponent::handleRequest>(this));
    if (!cpu_link_) {
        out_.fatal(CALL_INFO, 1, "port cpu_port is not connected: the device cannot receive requests\n");
    }
    irq_link_ = configureLink("irq_port");  // optional: without it, the guest polls
    wake_link_ =
        configureSelfLink("wake", new SST::Event::Handler<MmioDeviceComponent, &MmioDeviceComponent::handleWake>(this));
}

MmioDeviceComponent::~MmioDeviceComponent() = default;

void MmioDeviceComponent::handleRequest(SST::Event* ev) {
    auto* req = static_cast<MMIORequestEvent*>(ev);
    const MmioModel::Result r = model_->access(req->isWrite(), req->offset, req->size, req->data);
    cpu_link_->send(r.cycles, new MMIOResponseEvent(req->id, r.data, r.status));
    delete req;
}

void MmioDeviceComponent::handleWake(SST::Event* ev) {
    const uint64_t tag = static_cast<WakeEvent*>(ev)->tag;
    delete ev;
    model_->wake(tag);
}

uint64_t MmioDeviceComponent::cycle() const { return getCurrentSimTime(clock_tc_); }

void MmioDeviceComponent::setIrq(bool level) {
    if (irq_link_) {
        irq_link_->send(new InterruptEvent(level));
    }
}

void MmioDeviceComponent::wakeAfter(uint64_t cycles, uint64_t tag) { wake_link_->send(cycles, new WakeEvent(tag)); }

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

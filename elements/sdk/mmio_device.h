// The device SDK, SST side: the component that runs an MmioModel (sdk/device_model.h) behind the
// bridge.  It owns the links (cpu_port to the bridge, the optional irq_port, a self-link for the
// model's timed steps), the statistics, the log and the parameter checks; the model owns the
// registers and the behaviour.
//
// A device's SST component is then a few lines (see elements/devices/echo.cc):
//
//   class EchoDevice : public MmioDevice<EchoModel> {
//   public:
//       QEMU_SST_REGISTER_DEVICE(EchoDevice, SST_ECHO_KIND, "what it is")
//       SST_ELI_DOCUMENT_PARAMS(QEMU_SST_MMIO_DEVICE_PARAMS, {"latency", "...", "10"})
//       SST_ELI_DOCUMENT_PORTS(QEMU_SST_MMIO_DEVICE_PORTS)
//       SST_ELI_DOCUMENT_STATISTICS(QEMU_SST_MMIO_DEVICE_STATISTICS)
//       using MmioDevice::MmioDevice;
//   };
#ifndef QEMU_SST_SDK_MMIO_DEVICE_H
#define QEMU_SST_SDK_MMIO_DEVICE_H

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <map>
#include <memory>
#include <unordered_map>

#include "common/mmio_events.h"
#include "sdk/device_model.h"
#include "sdk/dma_bursts.h"

namespace QemuSst {
class TraceSpansEvent;
}

// Registers component class `cls` as the SST element named by the kind's descriptor.
#define QEMU_SST_REGISTER_DEVICE(cls, kind, description)                                          \
    SST_ELI_REGISTER_COMPONENT(cls, SST_DEVICE_KIND_LIBRARY(kind), SST_DEVICE_KIND_ELEMENT(kind), \
                               SST_ELI_ELEMENT_VERSION(1, 0, 0), description, COMPONENT_CATEGORY_UNCATEGORIZED)

// What every MMIO device component documents in its ELI, before its model's own entries.
#define QEMU_SST_MMIO_DEVICE_PARAMS                                                                    \
    {"clock", "Device clock; latencies are counted in its cycles", "1GHz"},                            \
        {"verbose", "Output verbosity (0: quiet, 1: operations, 2: every access)", "0"}, {             \
        "dma_burst", "Largest DMA burst in bytes (a power of two, 8-4096; none crosses 4 KiB)", "4096" \
    }
#define QEMU_SST_MMIO_DEVICE_PORTS                                                              \
    {"cpu_port",                                                                                \
     "Requests from and responses to the bridge",                                               \
     {"QemuSst::MMIORequestEvent", "QemuSst::MMIOResponseEvent"}},                              \
        {"irq_port", "Interrupt line to the bridge (optional)", {"QemuSst::InterruptEvent"}}, { \
        "dma_port",                                                                             \
            "DMA bursts to guest memory, through a memory model or straight to the bridge's "   \
            "dma_port_N (optional)",                                                            \
        {                                                                                       \
            "QemuSst::MemoryRequestEvent", "QemuSst::MemoryResponseEvent"                       \
        }                                                                                       \
    }
#define QEMU_SST_MMIO_DEVICE_STATISTICS                                                                     \
    {"reads", "Register reads served", "accesses", 1}, {"writes", "Register writes served", "accesses", 1}, \
        {"bus_errors", "Accesses answered with a bus error", "accesses", 1}, {                              \
        "dma_transfers", "DMA transfers started (with a dma_port)", "transfers", 1                          \
    }

namespace QemuSst {

class MmioDeviceComponent : public SST::Component, private ModelHost {
protected:
    MmioDeviceComponent(SST::ComponentId_t id, SST::Params& params);
    ~MmioDeviceComponent() override;

    // Builds the model; a configuration error it throws (std::exception) ends the run with its text.
    template <class Model>
    void attachModel(SST::Params& params) {
        const SstParams model_params(params);
        try {
            model_ = std::make_unique<Model>(static_cast<ModelHost&>(*this), model_params);
        } catch (const std::exception& e) {
            out_.fatal(CALL_INFO, 1, "%s\n", e.what());
        }
    }

private:
    class SstParams : public ModelParams {
    public:
        explicit SstParams(SST::Params& params) : params_(params) {}
        std::optional<std::string> text(const std::string& key) const override;

    private:
        SST::Params& params_;
    };

    void init(unsigned phase) override;
    void complete(unsigned phase) override;
    void handleRequest(SST::Event* ev);
    void handleWake(SST::Event* ev);
    void handleDmaResponse(SST::Event* ev);
    void noteBusy();

    uint64_t cycle() const override;
    void setIrq(bool level) override;
    void wakeAfter(uint64_t cycles, uint64_t tag) override;
    ModelStatistic& statistic(const std::string& name) override;
    bool logs(unsigned level) const override { return out_.getVerboseLevel() >= level; }
    void log(unsigned level, const std::string& line) override;
    bool hasDma() const override { return dma_link_ != nullptr; }
    void dmaRead(uint64_t address, uint64_t length, uint64_t tag) override;
    void dmaWrite(uint64_t address, std::vector<uint8_t> bytes, uint64_t tag) override;
    void issueBurst(DmaBursts::Burst&& burst);

    SST::Output out_;
    SST::TimeConverter clock_tc_;
    SST::Link* cpu_link_ = nullptr;
    SST::Link* irq_link_ = nullptr;
    SST::Link* wake_link_ = nullptr;
    SST::Link* dma_link_ = nullptr;
    std::unique_ptr<DmaBursts> dma_;
    SST::Statistics::Statistic<uint64_t>* dma_transfers_ = nullptr;
    std::map<std::string, std::unique_ptr<ModelStatistic>> statistics_;
    std::unique_ptr<MmioModel> model_;

    // Tracing, when the bridge asks for it (common/trace_events.h): the device is busy while a step
    // it scheduled or a DMA burst is outstanding, whatever the model, so no model writes any code.
    struct BurstStart {
        uint64_t at_ps;
        uint64_t address;
        uint32_t size;
        bool write;
    };
    uint64_t wakes_pending_ = 0;
    std::unique_ptr<TraceSpansEvent> trace_;  // null unless traced
    bool busy_ = false;
    uint64_t busy_since_ps_ = 0;
    std::unordered_map<uint64_t, BurstStart> burst_starts_;
};

// The component of one model: construct it with the usual (id, params).
template <class Model>
class MmioDevice : public MmioDeviceComponent {
public:
    MmioDevice(SST::ComponentId_t id, SST::Params& params) : MmioDeviceComponent(id, params) {
        attachModel<Model>(params);
    }
};

}  // namespace QemuSst

#endif

// acalsim.ComputeModel: a cycle-accounting compute engine behind a link (the seed's
// ACALSimComputeDeviceComponent).  It serves ComputeRequestEvents from acalsim.VirtIODevice:
//   cycles = FIXED:     base_latency
//            LINEAR:    base_latency + units * cycles_per_unit
//            PIPELINED: base_latency + ceil(units / lanes) * cycles_per_unit
// The model is the request's own (its latency_model field, enum SSTLatencyModel: 0 fixed, 1 linear,
// 2 pipelined), or the current default for ComputeRequestEvent::kDefaultModel.  Up to
// max_in_flight requests overlap; later ones wait in FIFO order for a slot.  A request completes
// `cycles` device cycles after it starts; the response carries the cycles and the completion time.
// ComputeConfigEvents (CONFIGURE) change the defaults; key 0 restores the parameters' values.
#ifndef QEMU_SST_ACALSIM_COMPUTE_MODEL_H
#define QEMU_SST_ACALSIM_COMPUTE_MODEL_H

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <cstdint>
#include <deque>

#include "common/virtio_events.h"

namespace QemuSst {

class ComputeModel : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(ComputeModel, "acalsim", "ComputeModel", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Compute timing model: COMPUTE requests take fixed, linear or pipelined cycle counts",
                               COMPONENT_CATEGORY_UNCATEGORIZED)

    SST_ELI_DOCUMENT_PARAMS({"clock", "Model clock; latencies are counted in its cycles", "1GHz"},
                            {"latency_model", "Default model: fixed, linear or pipelined", "linear"},
                            {"base_latency", "Cycles every request takes", "10"},
                            {"cycles_per_unit", "Cycles per compute unit (per group of `lanes` units when pipelined)",
                             "2"},
                            {"lanes", "Units processed side by side by the pipelined model", "4"},
                            {"max_in_flight", "Requests computed at the same time; later ones queue (FIFO)", "4"},
                            {"verbose", "Output verbosity (0: quiet, 1: every request)", "0"})

    SST_ELI_DOCUMENT_PORTS({"device_port",
                            "Requests from and responses to the device component",
                            {"QemuSst::ComputeRequestEvent", "QemuSst::ComputeConfigEvent",
                             "QemuSst::ComputeResponseEvent"}})

    SST_ELI_DOCUMENT_STATISTICS({"requests", "Compute requests completed", "requests", 1},
                                {"busy_cycles", "Cycles of each request's computation", "cycles", 1},
                                {"queue_waits", "Cycles a request waited for a free slot (only requests that waited)",
                                 "cycles", 1})

    ComputeModel(SST::ComponentId_t id, SST::Params& params);

    struct Settings {
        uint32_t model = SST_LATENCY_LINEAR;
        uint64_t base_latency = 10;
        uint64_t cycles_per_unit = 2;
        uint64_t lanes = 4;
    };
    // Cycles a request of `units` takes under `model`; public so tests can check the model.
    static uint64_t cycles(const Settings& s, uint32_t model, uint64_t units);

private:
    struct Waiting {
        uint64_t tag;
        uint64_t units;
        uint32_t model;
        uint64_t arrived_ps;
    };
    void handleRequest(SST::Event* ev);
    void handleDone(SST::Event* ev);
    void start(const Waiting& w);

    SST::Output out_;
    SST::Link* link_ = nullptr;
    SST::Link* done_link_ = nullptr;
    uint64_t period_ps_ = 1000;
    Settings params_;
    Settings current_;
    unsigned max_in_flight_ = 4;
    unsigned in_flight_ = 0;
    std::deque<Waiting> queue_;

    SST::Statistics::Statistic<uint64_t>* stat_requests_;
    SST::Statistics::Statistic<uint64_t>* stat_busy_cycles_;
    SST::Statistics::Statistic<uint64_t>* stat_queue_waits_;
};

}  // namespace QemuSst

#endif

// acalsim.VirtIODevice: the SST side of one virtio-sst device (the seed's ACALSimDeviceComponent;
// the bridge owns the socket, this component dispatches the requests).  Requests arrive from the
// bridge's virtio_port_N as VirtioRequestEvents and are answered with VirtioResponseEvents:
//   NOOP, ECHO, READ, WRITE, RESET, GET_INFO, CONFIGURE   served here after service_latency cycles;
//   COMPUTE    forwarded to the compute model on compute_port (acalsim.ComputeModel), answered when
//              it completes (and, with flags & SST_REQ_FLAG_NOTIFY, followed by an
//              SST_EVENT_COMPLETION VirtioNotifyEvent);
//   CONFIGURE  forwarded to the compute model as a ComputeConfigEvent (its keys are all compute
//              settings); RESET restores the model's defaults and zeroes device memory;
//   BUFFERS    the app's own buffers, reached through dma_port (acalsim/buffer_jobs.h), answered
//              when the op is done.
#ifndef QEMU_SST_ACALSIM_VIRTIO_DEVICE_H
#define QEMU_SST_ACALSIM_VIRTIO_DEVICE_H

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "acalsim/buffer_jobs.h"
#include "common/virtio_events.h"

namespace QemuSst {

class VirtIODevice : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(VirtIODevice, "acalsim", "VirtIODevice", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "virtio-sst device: dispatches SSTRequests to device memory and a compute model",
                               COMPONENT_CATEGORY_UNCATEGORIZED)

    SST_ELI_DOCUMENT_PARAMS({"clock", "Device clock; service_latency is counted in its cycles", "1GHz"},
                            {"memory_size", "Bytes of device memory for READ/WRITE (e.g. 1MiB, 65536)", "1MiB"},
                            {"service_latency", "Cycles to answer a request served by the device itself", "5"},
                            {"max_compute_units", "Largest compute_units a COMPUTE may ask for", "1048576"},
                            {"dma_burst", "Largest DMA burst of BUFFERS requests, bytes (8-4096)", "4096"},
                            {"pes", "BUFFERS MATMUL: multiply-accumulate units, products per cycle", "16"},
                            {"pipeline_depth", "BUFFERS MATMUL: cycles to fill and drain the MAC pipeline", "4"},
                            {"verbose", "Output verbosity (0: quiet, 1: every request)", "0"})

    SST_ELI_DOCUMENT_PORTS(
        {"bridge_port",
         "Requests from the bridge's virtio_port_N; responses and events back",
         {"QemuSst::VirtioRequestEvent", "QemuSst::VirtioResponseEvent", "QemuSst::VirtioNotifyEvent"}},
        {"compute_port",
         "COMPUTE and CONFIGURE to the compute model (optional)",
         {"QemuSst::ComputeRequestEvent", "QemuSst::ComputeConfigEvent", "QemuSst::ComputeResponseEvent"}},
        {"dma_port",
         "BUFFERS: DMA bursts to guest memory, through a memory model to the bridge's virtio_dma_port_N (optional)",
         {"QemuSst::MemoryRequestEvent", "QemuSst::MemoryResponseEvent"}})

    SST_ELI_DOCUMENT_STATISTICS({"requests", "Requests received, per request type", "requests", 1},
                                {"latency", "Cycles from a request's arrival to its response, per request type",
                                 "cycles", 1},
                                {"errors", "Requests answered with a status other than OK, per request type",
                                 "requests", 1},
                                {"events", "Events sent to the guest's event queue", "events", 1})

    VirtIODevice(SST::ComponentId_t id, SST::Params& params);

private:
    struct PendingCompute {
        uint64_t bridge_id;
        uint64_t request_id;
        uint64_t user_data;
        uint32_t flags;
        uint64_t arrived_ps;
    };
    void handleRequest(SST::Event* ev);
    void handleCompute(SST::Event* ev);
    void handleDmaResponse(SST::Event* ev);
    void handleWake(SST::Event* ev);
    void buffersDone(uint64_t job, const BufferJobs::Outcome& outcome);
    // Fills `resp` for a request served here; returns false for COMPUTE sent to the model.
    bool serve(uint64_t bridge_id, const SSTRequest& req, SSTResponse& resp);
    void respond(uint32_t type, VirtioResponseEvent* ev, uint64_t arrived_ps, uint64_t delay_cycles);

    SST::Output out_;
    SST::Link* bridge_link_ = nullptr;
    SST::Link* compute_link_ = nullptr;
    SST::Link* dma_link_ = nullptr;
    SST::Link* wake_link_ = nullptr;
    std::unique_ptr<BufferJobs> buffers_;
    uint64_t period_ps_ = 1000;
    uint64_t service_latency_ = 5;
    uint64_t max_compute_units_ = 1u << 20;
    std::vector<uint8_t> memory_;
    uint64_t next_tag_ = 1;
    std::map<uint64_t, PendingCompute> computing_;  // COMPUTE and BUFFERS requests being served

    std::array<SST::Statistics::Statistic<uint64_t>*, SST_REQ_TYPE_COUNT> stat_requests_{};
    std::array<SST::Statistics::Statistic<uint64_t>*, SST_REQ_TYPE_COUNT> stat_latency_{};
    std::array<SST::Statistics::Statistic<uint64_t>*, SST_REQ_TYPE_COUNT> stat_errors_{};
    SST::Statistics::Statistic<uint64_t>* stat_events_;
};

}  // namespace QemuSst

#endif

// acalsim.QEMUDevice: the echo device.  Every register read returns what was last written to it,
// after a configurable latency.  Register map: include/qemu-sst/echo_device.h.
#ifndef QEMU_SST_ACALSIM_ECHO_DEVICE_H
#define QEMU_SST_ACALSIM_ECHO_DEVICE_H

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <array>
#include <cstdint>

#include "common/mmio_events.h"
#include "qemu-sst/echo_device.h"

namespace QemuSst {

class EchoDevice : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(EchoDevice, "acalsim", "QEMUDevice", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Echo device: registers read back what was written, after a fixed latency",
                               COMPONENT_CATEGORY_UNCATEGORIZED)

    SST_ELI_DOCUMENT_PARAMS({"clock", "Device clock; latency is counted in its cycles", "1GHz"},
                            {"latency", "Cycles from a request to its response", "10"},
                            {"verbose", "Output verbosity (0: quiet, 2: every access)", "0"})

    SST_ELI_DOCUMENT_PORTS({"cpu_port", "Requests from and responses to the bridge",
                            {"QemuSst::MMIORequestEvent", "QemuSst::MMIOResponseEvent"}})

    SST_ELI_DOCUMENT_STATISTICS({"reads", "Register reads served", "accesses", 1},
                                {"writes", "Register writes served", "accesses", 1},
                                {"errors", "Accesses answered with a bus error", "accesses", 1})

    EchoDevice(SST::ComponentId_t id, SST::Params& params);

private:
    void handleRequest(SST::Event* ev);
    uint32_t access(MMIORequestEvent& req, uint64_t& data);

    SST::Output out_;
    SST::Link* cpu_link_ = nullptr;
    uint64_t latency_cycles_ = 0;
    uint64_t data_reg_ = 0;
    uint64_t access_count_ = 0;
    std::array<uint8_t, SST_ECHO_SCRATCH_SIZE> scratch_{};
    SST::Statistics::Statistic<uint64_t>* stat_reads_;
    SST::Statistics::Statistic<uint64_t>* stat_writes_;
    SST::Statistics::Statistic<uint64_t>* stat_errors_;
};

}  // namespace QemuSst

#endif

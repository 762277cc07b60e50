// acalsim.ComputeDevice: an arithmetic unit driven through registers.  Each operation takes a
// modelled number of device cycles (fixed per opcode; for POW it depends on the exponent), shows
// BUSY meanwhile and raises its interrupt line on completion when enabled.
// Register map: include/qemu-sst/compute_device.h.
#ifndef QEMU_SST_ACALSIM_COMPUTE_DEVICE_H
#define QEMU_SST_ACALSIM_COMPUTE_DEVICE_H

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <array>
#include <cstdint>

#include "common/mmio_events.h"
#include "qemu-sst/compute_device.h"

namespace QemuSst {

class ComputeDevice : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(ComputeDevice, "acalsim", "ComputeDevice", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Compute device: ADD/SUB/MUL/DIV/POW with modelled latency, status and interrupt",
                               COMPONENT_CATEGORY_UNCATEGORIZED)

    SST_ELI_DOCUMENT_PARAMS({"clock", "Device clock; latencies are counted in its cycles", "1GHz"},
                            {"access_latency", "Cycles to answer a register access", "1"},
                            {"add_latency", "Cycles of an ADD", "1"},
                            {"sub_latency", "Cycles of a SUB", "1"},
                            {"mul_latency", "Cycles of a MUL, and of each POW step", "3"},
                            {"div_latency", "Cycles of a DIV", "20"},
                            {"pow_latency", "Fixed cycles of a POW before its steps (one per exponent bit)", "2"},
                            {"verbose", "Output verbosity (0: quiet, 2: every access)", "0"})

    SST_ELI_DOCUMENT_PORTS({"cpu_port", "Requests from and responses to the bridge",
                            {"QemuSst::MMIORequestEvent", "QemuSst::MMIOResponseEvent"}},
                           {"irq_port", "Interrupt line to the bridge (optional)", {"QemuSst::InterruptEvent"}})

    SST_ELI_DOCUMENT_STATISTICS({"operations", "Operations completed", "operations", 1},
                                {"errors", "Operations that ended in an error", "operations", 1},
                                {"busy_cycles", "Cycles spent computing", "cycles", 1},
                                {"bus_errors", "Register accesses refused", "accesses", 1})

    ComputeDevice(SST::ComponentId_t id, SST::Params& params);

    // What an operation yields and how long it takes; public so tests can check the model.
    struct Outcome {
        uint64_t result;
        uint64_t cycles;
        uint32_t error;
    };
    Outcome evaluate(uint64_t opcode, uint64_t a, uint64_t b) const;

private:
    void handleRequest(SST::Event* ev);
    void handleCompletion(SST::Event* ev);
    uint32_t readRegister(uint64_t offset, unsigned size, uint64_t& data) const;
    uint32_t writeRegister(uint64_t offset, unsigned size, uint64_t value);
    void control(uint64_t bits);
    void setIrq(bool level);

    SST::Output out_;
    SST::Link* cpu_link_ = nullptr;
    SST::Link* irq_link_ = nullptr;
    SST::Link* completion_link_ = nullptr;
    uint64_t access_latency_ = 1;
    std::array<uint64_t, SST_COMPUTE_OP_COUNT> op_latency_{};
    uint64_t pow_latency_ = 2;

    uint64_t operand_a_ = 0, operand_b_ = 0, opcode_ = 0;
    uint64_t status_ = 0, result_ = 0, cycles_ = 0, irq_enable_ = 0, error_code_ = 0, op_count_ = 0;
    uint64_t generation_ = 0;  // bumped by RESET so a pending completion of an abandoned op is ignored
    Outcome pending_{};

    SST::Statistics::Statistic<uint64_t>* stat_operations_;
    SST::Statistics::Statistic<uint64_t>* stat_errors_;
    SST::Statistics::Statistic<uint64_t>* stat_busy_cycles_;
    SST::Statistics::Statistic<uint64_t>* stat_bus_errors_;
};

}  // namespace QemuSst

#endif

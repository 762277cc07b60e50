// The compute device: an arithmetic unit driven through registers.  Each operation takes a modelled
// number of device cycles (fixed per opcode; for POW it depends on the exponent), shows BUSY
// meanwhile and raises the interrupt line on completion when enabled.
// Register map: include/qemu-sst/compute_device.h.
#include "sdk/device_model.h"

#include <array>
#include <cinttypes>

#include "qemu-sst/compute_device.h"

namespace QemuSst {

class ComputeDeviceModel : public MmioModel {
public:
    ComputeDeviceModel(ModelHost& host, const ModelParams& params)
        : MmioModel(host, params), operations_(host.statistic("operations")), errors_(host.statistic("errors")),
          busy_cycles_(host.statistic("busy_cycles")) {
        access_cycles_ = params.number("access_latency", 1);
        latency_[SST_COMPUTE_OP_ADD] = params.number("add_latency", 1);
        latency_[SST_COMPUTE_OP_SUB] = params.number("sub_latency", 1);
        latency_[SST_COMPUTE_OP_MUL] = params.number("mul_latency", 3);
        latency_[SST_COMPUTE_OP_DIV] = params.number("div_latency", 20);
        latency_[SST_COMPUTE_OP_POW] = params.number("pow_latency", 2);
    }

    void wake(uint64_t generation) override {
        if (generation != generation_) {
            return;  // the operation was abandoned by a RESET
        }
        result_ = pending_.result;
        cycles_ = pending_.cycles;
        done_at_ = host().cycle();
        error_code_ = pending_.error;
        op_count_++;
        status_ = (status_ & SST_COMPUTE_STATUS_IRQ_PENDING) |
                  (pending_.error ? SST_COMPUTE_STATUS_ERROR : SST_COMPUTE_STATUS_DONE);
        operations_.add(1);
        busy_cycles_.add(pending_.cycles);
        if (pending_.error) {
            errors_.add(1);
        }
        logf(1, "done result=%" PRIu64 " error=%" PRIu64, result_, error_code_);
        if (irq_enable_ & 1) {
            status_ |= SST_COMPUTE_STATUS_IRQ_PENDING;
            host().setIrq(true);
        }
    }

protected:
    uint32_t read(uint64_t offset, unsigned size, uint64_t& data) override {
        uint64_t reg;
        switch (registerBase(offset)) {
        case SST_COMPUTE_REG_ID: reg = SST_COMPUTE_ID; break;
        case SST_COMPUTE_REG_OPERAND_A: reg = operand_a_; break;
        case SST_COMPUTE_REG_OPERAND_B: reg = operand_b_; break;
        case SST_COMPUTE_REG_OPCODE: reg = opcode_; break;
        case SST_COMPUTE_REG_STATUS: reg = status_; break;
        case SST_COMPUTE_REG_RESULT: reg = result_; break;
        case SST_COMPUTE_REG_CYCLES: reg = cycles_; break;
        case SST_COMPUTE_REG_IRQ_ENABLE: reg = irq_enable_; break;
        case SST_COMPUTE_REG_ERROR_CODE: reg = error_code_; break;
        case SST_COMPUTE_REG_OP_COUNT: reg = op_count_; break;
        case SST_COMPUTE_REG_DONE_AT: reg = done_at_; break;
        default: return SST_MMIO_BUS_ERROR;  // CONTROL is write-only; the rest is unmapped
        }
        data = readRegisterBytes(reg, offset, size);
        return SST_MMIO_OK;
    }

    uint32_t write(uint64_t offset, unsigned size, uint64_t value) override {
        uint64_t* reg;
        switch (registerBase(offset)) {
        case SST_COMPUTE_REG_OPERAND_A: reg = &operand_a_; break;
        case SST_COMPUTE_REG_OPERAND_B: reg = &operand_b_; break;
        case SST_COMPUTE_REG_OPCODE: reg = &opcode_; break;
        case SST_COMPUTE_REG_IRQ_ENABLE: reg = &irq_enable_; break;
        case SST_COMPUTE_REG_CONTROL: control(writeRegisterBytes(0, offset, size, value)); return SST_MMIO_OK;
        default: return SST_MMIO_BUS_ERROR;  // read-only or unmapped
        }
        *reg = writeRegisterBytes(*reg, offset, size, value);
        return SST_MMIO_OK;
    }

private:
    struct Outcome {
        uint64_t result;
        uint64_t cycles;
        uint32_t error;
    };

    Outcome evaluate(uint64_t opcode, uint64_t a, uint64_t b) const {
        switch (opcode) {
        case SST_COMPUTE_OP_ADD: return {a + b, latency_[opcode], SST_COMPUTE_ERR_NONE};
        case SST_COMPUTE_OP_SUB: return {a - b, latency_[opcode], SST_COMPUTE_ERR_NONE};
        case SST_COMPUTE_OP_MUL: return {a * b, latency_[opcode], SST_COMPUTE_ERR_NONE};
        case SST_COMPUTE_OP_DIV:
            return b ? Outcome{a / b, latency_[opcode], SST_COMPUTE_ERR_NONE}
                     : Outcome{0, latency_[opcode], SST_COMPUTE_ERR_DIV_ZERO};
        case SST_COMPUTE_OP_POW: {
            // Square-and-multiply: one multiply step per bit of the exponent.
            uint64_t result = 1, steps = 0;
            for (uint64_t base = a, e = b; e; e >>= 1, base *= base, steps++) {
                result = e & 1 ? result * base : result;
            }
            return {result, latency_[opcode] + steps * latency_[SST_COMPUTE_OP_MUL], SST_COMPUTE_ERR_NONE};
        }
        default: return {0, 1, SST_COMPUTE_ERR_BAD_OPCODE};
        }
    }

    void control(uint64_t bits) {
        if (bits & SST_COMPUTE_CTRL_RESET) {
            generation_++;
            operand_a_ = operand_b_ = opcode_ = status_ = result_ = cycles_ = irq_enable_ = error_code_ = op_count_ = 0;
            done_at_ = 0;
            host().setIrq(false);
            return;
        }
        if (bits & SST_COMPUTE_CTRL_IRQ_ACK) {
            status_ &= ~SST_COMPUTE_STATUS_IRQ_PENDING;
            host().setIrq(false);
        }
        if ((bits & SST_COMPUTE_CTRL_START) && !(status_ & SST_COMPUTE_STATUS_BUSY)) {
            pending_ = evaluate(opcode_, operand_a_, operand_b_);
            status_ = (status_ & SST_COMPUTE_STATUS_IRQ_PENDING) | SST_COMPUTE_STATUS_BUSY;
            logf(1, "start opcode=%" PRIu64 " a=%" PRIu64 " b=%" PRIu64 " for %" PRIu64 " cycles", opcode_, operand_a_,
                 operand_b_, pending_.cycles);
            host().wakeAfter(pending_.cycles, generation_);
        }
    }

    ModelStatistic& operations_;
    ModelStatistic& errors_;
    ModelStatistic& busy_cycles_;
    std::array<uint64_t, SST_COMPUTE_OP_COUNT> latency_{};  // POW: its fixed part
    uint64_t operand_a_ = 0, operand_b_ = 0, opcode_ = 0;
    uint64_t status_ = 0, result_ = 0, cycles_ = 0, irq_enable_ = 0, error_code_ = 0, op_count_ = 0, done_at_ = 0;
    uint64_t generation_ = 0;  // bumped by RESET so a pending completion of an abandoned op is ignored
    Outcome pending_{};
};
QEMU_SST_REGISTER_MODEL(ComputeDeviceModel, SST_COMPUTE_KIND);

}  // namespace QemuSst

#ifndef QEMU_SST_MODEL_ONLY
#include "sdk/mmio_device.h"

namespace QemuSst {

class ComputeDevice : public MmioDevice<ComputeDeviceModel> {
public:
    QEMU_SST_REGISTER_DEVICE(ComputeDevice, SST_COMPUTE_KIND,
                             "Compute device: ADD/SUB/MUL/DIV/POW with modelled latency, status and interrupt")
    SST_ELI_DOCUMENT_PARAMS(QEMU_SST_MMIO_DEVICE_PARAMS, {"access_latency", "Cycles to answer a register access", "1"},
                            {"add_latency", "Cycles of an ADD", "1"}, {"sub_latency", "Cycles of a SUB", "1"},
                            {"mul_latency", "Cycles of a MUL, and of each POW step", "3"},
                            {"div_latency", "Cycles of a DIV", "20"},
                            {"pow_latency", "Fixed cycles of a POW before its steps (one per exponent bit)", "2"})
    SST_ELI_DOCUMENT_PORTS(QEMU_SST_MMIO_DEVICE_PORTS)
    SST_ELI_DOCUMENT_STATISTICS(QEMU_SST_MMIO_DEVICE_STATISTICS,
                                {"operations", "Operations completed", "operations", 1},
                                {"errors", "Operations that ended in an error", "operations", 1},
                                {"busy_cycles", "Cycles spent computing", "cycles", 1})
    using MmioDevice::MmioDevice;
};

}  // namespace QemuSst
#endif

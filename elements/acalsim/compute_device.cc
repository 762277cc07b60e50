#include <sst/core/sst_config.h>

#include "compute_device.h"

#include <bit>
#include <cinttypes>

#include "common/register_bytes.h"

namespace QemuSst {
namespace {

// Self-link event marking the end of the operation started in `generation`.
class CompletionEvent : public SST::Event {
public:
    CompletionEvent() = default;
    explicit CompletionEvent(uint64_t generation) : generation(generation) {}
    uint64_t generation = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(generation);
    }
    ImplementSerializable(QemuSst::CompletionEvent);
};

uint64_t power(uint64_t base, uint64_t exponent) {
    uint64_t result = 1;
    for (; exponent; exponent >>= 1, base *= base) {
        if (exponent & 1) {
            result *= base;
        }
    }
    return result;
}

}  // namespace

ComputeDevice::ComputeDevice(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDOUT);
    registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    access_latency_ = params.find<uint64_t>("access_latency", 1);
    op_latency_[SST_COMPUTE_OP_ADD] = params.find<uint64_t>("add_latency", 1);
    op_latency_[SST_COMPUTE_OP_SUB] = params.find<uint64_t>("sub_latency", 1);
    op_latency_[SST_COMPUTE_OP_MUL] = params.find<uint64_t>("mul_latency", 3);
    op_latency_[SST_COMPUTE_OP_DIV] = params.find<uint64_t>("div_latency", 20);
    pow_latency_ = params.find<uint64_t>("pow_latency", 2);
    op_latency_[SST_COMPUTE_OP_POW] = pow_latency_;

    cpu_link_ = configureLink("cpu_port",
                              new SST::Event::Handler<ComputeDevice, &ComputeDevice::handleRequest>(this));
    if (!cpu_link_) {
        out_.fatal(CALL_INFO, 1, "port cpu_port is not connected: the device cannot receive requests\n");
    }
    irq_link_ = configureLink("irq_port");  // optional: without it, completion is polled through STATUS
    completion_link_ = configureSelfLink(
        "completion", new SST::Event::Handler<ComputeDevice, &ComputeDevice::handleCompletion>(this));

    stat_operations_ = registerStatistic<uint64_t>("operations");
    stat_errors_ = registerStatistic<uint64_t>("errors");
    stat_busy_cycles_ = registerStatistic<uint64_t>("busy_cycles");
    stat_bus_errors_ = registerStatistic<uint64_t>("bus_errors");
}

ComputeDevice::Outcome ComputeDevice::evaluate(uint64_t opcode, uint64_t a, uint64_t b) const {
    switch (opcode) {
    case SST_COMPUTE_OP_ADD: return {a + b, op_latency_[opcode], SST_COMPUTE_ERR_NONE};
    case SST_COMPUTE_OP_SUB: return {a - b, op_latency_[opcode], SST_COMPUTE_ERR_NONE};
    case SST_COMPUTE_OP_MUL: return {a * b, op_latency_[opcode], SST_COMPUTE_ERR_NONE};
    case SST_COMPUTE_OP_DIV:
        if (b == 0) {
            return {0, op_latency_[opcode], SST_COMPUTE_ERR_DIV_ZERO};
        }
        return {a / b, op_latency_[opcode], SST_COMPUTE_ERR_NONE};
    case SST_COMPUTE_OP_POW: {
        // Square-and-multiply: one multiply step per bit of the exponent.
        const uint64_t steps = 64 - std::countl_zero(b);
        return {power(a, b), pow_latency_ + steps * op_latency_[SST_COMPUTE_OP_MUL], SST_COMPUTE_ERR_NONE};
    }
    default: return {0, 1, SST_COMPUTE_ERR_BAD_OPCODE};
    }
}

uint32_t ComputeDevice::readRegister(uint64_t offset, unsigned size, uint64_t& data) const {
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
    default: return SST_MMIO_BUS_ERROR;  // CONTROL is write-only; the rest is unmapped
    }
    data = readRegisterBytes(reg, offset, size);
    return SST_MMIO_OK;
}

uint32_t ComputeDevice::writeRegister(uint64_t offset, unsigned size, uint64_t value) {
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

void ComputeDevice::control(uint64_t bits) {
    if (bits & SST_COMPUTE_CTRL_RESET) {
        generation_++;
        operand_a_ = operand_b_ = opcode_ = status_ = result_ = cycles_ = irq_enable_ = error_code_ = op_count_ = 0;
        setIrq(false);
        return;
    }
    if (bits & SST_COMPUTE_CTRL_IRQ_ACK) {
        status_ &= ~SST_COMPUTE_STATUS_IRQ_PENDING;
        setIrq(false);
    }
    if ((bits & SST_COMPUTE_CTRL_START) && !(status_ & SST_COMPUTE_STATUS_BUSY)) {
        pending_ = evaluate(opcode_, operand_a_, operand_b_);
        status_ = (status_ & SST_COMPUTE_STATUS_IRQ_PENDING) | SST_COMPUTE_STATUS_BUSY;
        out_.verbose(CALL_INFO, 1, 0, "start opcode=%" PRIu64 " a=%" PRIu64 " b=%" PRIu64 " for %" PRIu64 " cycles\n",
                     opcode_, operand_a_, operand_b_, pending_.cycles);
        completion_link_->send(pending_.cycles, new CompletionEvent(generation_));
    }
}

void ComputeDevice::setIrq(bool level) {
    if (irq_link_) {
        irq_link_->send(new InterruptEvent(level));
    }
}

void ComputeDevice::handleCompletion(SST::Event* ev) {
    const bool current = static_cast<CompletionEvent*>(ev)->generation == generation_;
    delete ev;
    if (!current) {
        return;  // the operation was abandoned by a RESET
    }
    result_ = pending_.result;
    cycles_ = pending_.cycles;
    error_code_ = pending_.error;
    op_count_++;
    status_ = (status_ & SST_COMPUTE_STATUS_IRQ_PENDING) |
              (pending_.error ? SST_COMPUTE_STATUS_ERROR : SST_COMPUTE_STATUS_DONE);
    stat_operations_->addData(1);
    stat_busy_cycles_->addData(pending_.cycles);
    if (pending_.error) {
        stat_errors_->addData(1);
    }
    out_.verbose(CALL_INFO, 1, 0, "done result=%" PRIu64 " error=%" PRIu64 "\n", result_, error_code_);
    if (irq_enable_ & 1) {
        status_ |= SST_COMPUTE_STATUS_IRQ_PENDING;
        setIrq(true);
    }
}

void ComputeDevice::handleRequest(SST::Event* ev) {
    auto* req = static_cast<MMIORequestEvent*>(ev);
    uint64_t data = 0;
    uint32_t status = SST_MMIO_BUS_ERROR;
    if (accessAligned(req->offset, req->size)) {
        status = req->isWrite() ? writeRegister(req->offset, req->size, req->data)
                                : readRegister(req->offset, req->size, data);
    }
    if (status != SST_MMIO_OK) {
        stat_bus_errors_->addData(1);
    }
    out_.verbose(CALL_INFO, 2, 0, "%s offset=0x%" PRIx64 " size=%u data=0x%" PRIx64 " -> %s\n",
                 req->isWrite() ? "write" : "read", req->offset, unsigned(req->size),
                 req->isWrite() ? req->data : data, sst_mmio_status_str(status));
    cpu_link_->send(access_latency_, new MMIOResponseEvent(req->id, data, status));
    delete req;
}

}  // namespace QemuSst

// The DMA copy engine: copies LENGTH bytes from SRC to DST in guest memory, streaming: each read
// burst is written out as soon as it arrives, so a copy costs what its bursts cost in the memory
// model (and no more host copies than one per byte each way).  Register map:
// include/qemu-sst/dma_engine.h.
#include "sdk/device_model.h"

#include <cinttypes>

#include "qemu-sst/dma_engine.h"

namespace QemuSst {

class DmaEngineModel : public MmioModel {
public:
    DmaEngineModel(ModelHost& host, const ModelParams& params)
        : MmioModel(host, params), copies_(host.statistic("copies")), bytes_(host.statistic("bytes_copied")),
          errors_(host.statistic("errors")) {
        access_cycles_ = params.number("access_latency", 1);
        setup_cycles_ = params.number("setup_latency", 10);
    }

    void wake(uint64_t generation) override {
        if (generation == generation_) {
            start();  // setup_latency after CONTROL_START
        }
    }

    void dmaData(uint64_t tag, uint64_t offset, std::vector<uint8_t>& bytes) override {
        if (tag != readTag()) {
            return;  // a transfer RESET abandoned
        }
        writes_in_flight_++;
        bytes_done_ += bytes.size();
        host().dmaWrite(dst_ + offset, std::move(bytes), writeTag());
    }

    void dmaDone(uint64_t tag, const DmaStatus& status) override {
        if (tag == readTag()) {
            reading_ = false;
            noteFault(status, SST_DMA_ERR_SRC_FAULT);
        } else if (tag == writeTag()) {
            writes_in_flight_--;
            noteFault(status, SST_DMA_ERR_DST_FAULT);
        } else {
            return;
        }
        if (!reading_ && writes_in_flight_ == 0) {
            finish();
        }
    }

protected:
    uint32_t read(uint64_t offset, unsigned size, uint64_t& data) override {
        uint64_t reg;
        switch (registerBase(offset)) {
        case SST_DMA_REG_ID: reg = SST_DMA_ID; break;
        case SST_DMA_REG_SRC: reg = src_; break;
        case SST_DMA_REG_DST: reg = dst_; break;
        case SST_DMA_REG_LENGTH: reg = length_; break;
        case SST_DMA_REG_STATUS: reg = status_; break;
        case SST_DMA_REG_IRQ_ENABLE: reg = irq_enable_; break;
        case SST_DMA_REG_ERROR_CODE: reg = error_code_; break;
        case SST_DMA_REG_ERROR_ADDRESS: reg = error_address_; break;
        case SST_DMA_REG_CYCLES: reg = cycles_; break;
        case SST_DMA_REG_DONE_AT: reg = done_at_; break;
        case SST_DMA_REG_BYTES: reg = total_bytes_; break;
        default: return SST_MMIO_BUS_ERROR;
        }
        data = readRegisterBytes(reg, offset, size);
        return SST_MMIO_OK;
    }

    uint32_t write(uint64_t offset, unsigned size, uint64_t value) override {
        uint64_t* reg;
        switch (registerBase(offset)) {
        case SST_DMA_REG_SRC: reg = &src_; break;
        case SST_DMA_REG_DST: reg = &dst_; break;
        case SST_DMA_REG_LENGTH: reg = &length_; break;
        case SST_DMA_REG_IRQ_ENABLE: reg = &irq_enable_; break;
        case SST_DMA_REG_CONTROL: control(writeRegisterBytes(0, offset, size, value)); return SST_MMIO_OK;
        default: return SST_MMIO_BUS_ERROR;
        }
        if (status_ & SST_DMA_STATUS_BUSY) {
            return SST_MMIO_BUS_ERROR;  // the transfer in progress reads them
        }
        *reg = writeRegisterBytes(*reg, offset, size, value);
        return SST_MMIO_OK;
    }

private:
    // Tags name the transfer's generation, so answers to an abandoned one are told apart.
    uint64_t readTag() const { return generation_ * 2; }
    uint64_t writeTag() const { return generation_ * 2 + 1; }

    void control(uint64_t bits) {
        if (bits & SST_DMA_CTRL_RESET) {
            generation_++;
            src_ = dst_ = length_ = status_ = irq_enable_ = error_code_ = error_address_ = 0;
            cycles_ = done_at_ = total_bytes_ = 0;
            reading_ = false;
            writes_in_flight_ = 0;
            host().setIrq(false);
            return;
        }
        if (bits & SST_DMA_CTRL_IRQ_ACK) {
            status_ &= ~SST_DMA_STATUS_IRQ_PENDING;
            host().setIrq(false);
        }
        if ((bits & SST_DMA_CTRL_START) && !(status_ & SST_DMA_STATUS_BUSY)) {
            status_ = (status_ & SST_DMA_STATUS_IRQ_PENDING) | SST_DMA_STATUS_BUSY;
            error_code_ = error_address_ = 0;
            bytes_done_ = 0;
            started_at_ = host().cycle();
            logf(1, "start 0x%" PRIx64 " -> 0x%" PRIx64 ", %" PRIu64 " bytes", src_, dst_, length_);
            host().wakeAfter(setup_cycles_, generation_);
        }
    }

    void start() {
        if (length_ == 0) {
            finish();
        } else if (!host().hasDma()) {
            error_code_ = SST_DMA_ERR_NO_DMA;
            finish();
        } else {
            reading_ = true;
            host().dmaRead(src_, length_, readTag());
        }
    }

    void noteFault(const DmaStatus& status, uint64_t code) {
        if (!status.ok && error_code_ == SST_DMA_ERR_NONE) {
            error_code_ = code;
            error_address_ = status.fault_address;
        }
    }

    void finish() {
        done_at_ = host().cycle();
        cycles_ = done_at_ - started_at_;
        total_bytes_ += bytes_done_;
        copies_.add(1);
        bytes_.add(bytes_done_);
        if (error_code_) {
            errors_.add(1);
        }
        status_ = (status_ & SST_DMA_STATUS_IRQ_PENDING) | (error_code_ ? SST_DMA_STATUS_ERROR : SST_DMA_STATUS_DONE);
        logf(1, "done: %" PRIu64 " bytes in %" PRIu64 " cycles, error %" PRIu64, bytes_done_, cycles_, error_code_);
        if (irq_enable_ & 1) {
            status_ |= SST_DMA_STATUS_IRQ_PENDING;
            host().setIrq(true);
        }
    }

    ModelStatistic& copies_;
    ModelStatistic& bytes_;
    ModelStatistic& errors_;
    uint64_t setup_cycles_ = 10;
    uint64_t src_ = 0, dst_ = 0, length_ = 0, status_ = 0, irq_enable_ = 0;
    uint64_t error_code_ = 0, error_address_ = 0, cycles_ = 0, done_at_ = 0, total_bytes_ = 0;
    uint64_t generation_ = 1;
    uint64_t started_at_ = 0;
    uint64_t bytes_done_ = 0;  // of the transfer in progress: read and sent on to be written
    bool reading_ = false;
    uint64_t writes_in_flight_ = 0;
};
QEMU_SST_REGISTER_MODEL(DmaEngineModel, SST_DMA_KIND);

}  // namespace QemuSst

#ifndef QEMU_SST_MODEL_ONLY
#include "sdk/mmio_device.h"

namespace QemuSst {

class DmaEngine : public MmioDevice<DmaEngineModel> {
public:
    QEMU_SST_REGISTER_DEVICE(DmaEngine, SST_DMA_KIND,
                             "DMA copy engine: copies guest memory through its memory model, with a completion IRQ")
    SST_ELI_DOCUMENT_PARAMS(QEMU_SST_MMIO_DEVICE_PARAMS, {"access_latency", "Cycles to answer a register access", "1"},
                            {"setup_latency", "Cycles from CONTROL_START to the first burst", "10"})
    SST_ELI_DOCUMENT_PORTS(QEMU_SST_MMIO_DEVICE_PORTS)
    SST_ELI_DOCUMENT_STATISTICS(QEMU_SST_MMIO_DEVICE_STATISTICS, {"copies", "Transfers completed", "transfers", 1},
                                {"bytes_copied", "Bytes read and sent on to be written", "bytes", 1},
                                {"errors", "Transfers that ended in an error", "transfers", 1})
    using MmioDevice::MmioDevice;
};

}  // namespace QemuSst
#endif

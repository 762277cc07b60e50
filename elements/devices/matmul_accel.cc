// The matrix-multiply accelerator: runs chains of jobs described in guest memory.  Each job fetches
// its descriptor, loads A and B together, computes C = A x B on `pes` multiply-accumulate units
// (ceil(m*n*k / pes) + pipeline_depth cycles) and stores C, every memory step through the DMA
// path, so its cycle count follows from its parameters and the memory model's.  Register map and
// descriptor: include/qemu-sst/matmul_accel.h.
#include "sdk/device_model.h"

#include <cinttypes>
#include <cstring>
#include <stdexcept>

#include "common/matmul_kernel.h"
#include "qemu-sst/matmul_accel.h"

namespace QemuSst {

class MatmulAcceleratorModel : public MmioModel {
public:
    MatmulAcceleratorModel(ModelHost& host, const ModelParams& params)
        : MmioModel(host, params), jobs_stat_(host.statistic("jobs")), macs_stat_(host.statistic("macs")),
          compute_stat_(host.statistic("compute_cycles")), errors_(host.statistic("errors")) {
        access_cycles_ = params.number("access_latency", 1);
        pes_ = params.number("pes", 16);
        pipeline_depth_ = params.number("pipeline_depth", 4);
        if (pes_ == 0) {
            throw std::invalid_argument("pes must be at least 1");
        }
    }

    void wake(uint64_t tag) override {
        if (tag == tagOf(Phase::Compute)) {
            store();
        }
    }

    void dmaData(uint64_t tag, uint64_t offset, std::vector<uint8_t>& bytes) override {
        std::vector<uint8_t>* into = tag == tagOf(Phase::Descriptor) ? &desc_bytes_
                                     : tag == tagOf(Phase::LoadA)    ? &a_
                                     : tag == tagOf(Phase::LoadB)    ? &b_
                                                                     : nullptr;
        if (into && offset + bytes.size() <= into->size()) {
            std::memcpy(into->data() + offset, bytes.data(), bytes.size());
        }
    }

    void dmaDone(uint64_t tag, const DmaStatus& status) override {
        if (tag / kPhases != generation_) {
            return;  // of a chain RESET abandoned
        }
        if (!status.ok && !error_code_) {
            error_code_ = SST_MATMUL_ERR_MEM_FAULT;
            error_address_ = status.fault_address;
        }
        if (--in_flight_ > 0) {
            return;  // A and B load together
        }
        if (error_code_) {
            finish();
            return;
        }
        switch (Phase(tag % kPhases)) {
        case Phase::Descriptor: load(); break;
        case Phase::LoadA:
        case Phase::LoadB: compute(); break;
        case Phase::Store: nextJob(); break;
        default: break;
        }
    }

protected:
    uint32_t read(uint64_t offset, unsigned size, uint64_t& data) override {
        uint64_t reg;
        switch (registerBase(offset)) {
        case SST_MATMUL_REG_ID: reg = SST_MATMUL_ID; break;
        case SST_MATMUL_REG_DESC: reg = desc_; break;
        case SST_MATMUL_REG_STATUS: reg = status_; break;
        case SST_MATMUL_REG_IRQ_ENABLE: reg = irq_enable_; break;
        case SST_MATMUL_REG_ERROR_CODE: reg = error_code_; break;
        case SST_MATMUL_REG_ERROR_ADDRESS: reg = error_address_; break;
        case SST_MATMUL_REG_CYCLES: reg = cycles_; break;
        case SST_MATMUL_REG_DONE_AT: reg = done_at_; break;
        case SST_MATMUL_REG_PES: reg = pes_; break;
        case SST_MATMUL_REG_JOBS: reg = jobs_; break;
        case SST_MATMUL_REG_MACS: reg = macs_; break;
        default: return SST_MMIO_BUS_ERROR;
        }
        data = readRegisterBytes(reg, offset, size);
        return SST_MMIO_OK;
    }

    uint32_t write(uint64_t offset, unsigned size, uint64_t value) override {
        switch (registerBase(offset)) {
        case SST_MATMUL_REG_DESC:
            if (status_ & SST_MATMUL_STATUS_BUSY) {
                return SST_MMIO_BUS_ERROR;
            }
            desc_ = writeRegisterBytes(desc_, offset, size, value);
            return SST_MMIO_OK;
        case SST_MATMUL_REG_IRQ_ENABLE:
            irq_enable_ = writeRegisterBytes(irq_enable_, offset, size, value);
            return SST_MMIO_OK;
        case SST_MATMUL_REG_CONTROL: control(writeRegisterBytes(0, offset, size, value)); return SST_MMIO_OK;
        default: return SST_MMIO_BUS_ERROR;
        }
    }

private:
    enum class Phase : uint64_t { Descriptor, LoadA, LoadB, Compute, Store };
    static constexpr uint64_t kPhases = 5;
    uint64_t tagOf(Phase p) const { return generation_ * kPhases + uint64_t(p); }

    void control(uint64_t bits) {
        if (bits & SST_MATMUL_CTRL_RESET) {
            generation_++;
            desc_ = status_ = irq_enable_ = error_code_ = error_address_ = cycles_ = done_at_ = jobs_ = macs_ = 0;
            in_flight_ = 0;
            host().setIrq(false);
            return;
        }
        if (bits & SST_MATMUL_CTRL_IRQ_ACK) {
            status_ &= ~SST_MATMUL_STATUS_IRQ_PENDING;
            host().setIrq(false);
        }
        if ((bits & SST_MATMUL_CTRL_START) && !(status_ & SST_MATMUL_STATUS_BUSY)) {
            status_ = (status_ & SST_MATMUL_STATUS_IRQ_PENDING) | SST_MATMUL_STATUS_BUSY;
            error_code_ = error_address_ = 0;
            started_at_ = host().cycle();
            if (!host().hasDma()) {
                error_code_ = SST_MATMUL_ERR_NO_DMA;
                finish();
                return;
            }
            fetch(desc_);
        }
    }

    void fetch(uint64_t address) {
        job_address_ = address;
        desc_bytes_.assign(sizeof(sst_matmul_desc), 0);
        in_flight_ = 1;
        host().dmaRead(address, sizeof(sst_matmul_desc), tagOf(Phase::Descriptor));
    }

    void load() {
        std::memcpy(&job_, desc_bytes_.data(), sizeof(job_));
        const auto bad = [](uint32_t d) { return d == 0 || d > SST_MATMUL_MAX_DIM; };
        if (bad(job_.m) || bad(job_.n) || bad(job_.k) || job_.flags != 0) {
            error_code_ = SST_MATMUL_ERR_BAD_DESC;
            error_address_ = job_address_;
            finish();
            return;
        }
        logf(1, "job at 0x%" PRIx64 ": %ux%u x %ux%u", job_address_, job_.m, job_.k, job_.k, job_.n);
        a_.assign(size_t(job_.m) * job_.k * 4, 0);
        b_.assign(size_t(job_.k) * job_.n * 4, 0);
        in_flight_ = 2;
        host().dmaRead(job_.a, a_.size(), tagOf(Phase::LoadA));
        host().dmaRead(job_.b, b_.size(), tagOf(Phase::LoadB));
    }

    void compute() {
        c_.assign(size_t(job_.m) * job_.n * 4, 0);
        matmulInt32(a_.data(), b_.data(), c_.data(), job_.m, job_.n, job_.k);
        const uint64_t macs = uint64_t(job_.m) * job_.n * job_.k;
        const uint64_t cycles = matmulComputeCycles(job_.m, job_.n, job_.k, pes_, pipeline_depth_);
        macs_ += macs;
        macs_stat_.add(macs);
        compute_stat_.add(cycles);
        host().wakeAfter(cycles, tagOf(Phase::Compute));
    }

    void store() {
        in_flight_ = 1;
        host().dmaWrite(job_.c, std::move(c_), tagOf(Phase::Store));
    }

    void nextJob() {
        jobs_++;
        jobs_stat_.add(1);
        if (job_.next) {
            fetch(job_.next);
        } else {
            finish();
        }
    }

    void finish() {
        done_at_ = host().cycle();
        cycles_ = done_at_ - started_at_;
        if (error_code_) {
            errors_.add(1);
        }
        status_ = (status_ & SST_MATMUL_STATUS_IRQ_PENDING) |
                  (error_code_ ? SST_MATMUL_STATUS_ERROR : SST_MATMUL_STATUS_DONE);
        logf(1, "chain done in %" PRIu64 " cycles, error %" PRIu64, cycles_, error_code_);
        if (irq_enable_ & 1) {
            status_ |= SST_MATMUL_STATUS_IRQ_PENDING;
            host().setIrq(true);
        }
    }

    ModelStatistic& jobs_stat_;
    ModelStatistic& macs_stat_;
    ModelStatistic& compute_stat_;
    ModelStatistic& errors_;
    uint64_t pes_ = 16, pipeline_depth_ = 4;
    uint64_t desc_ = 0, status_ = 0, irq_enable_ = 0, error_code_ = 0, error_address_ = 0;
    uint64_t cycles_ = 0, done_at_ = 0, jobs_ = 0, macs_ = 0;
    uint64_t generation_ = 1, started_at_ = 0, job_address_ = 0;
    unsigned in_flight_ = 0;
    sst_matmul_desc job_{};
    std::vector<uint8_t> desc_bytes_, a_, b_, c_;
};
QEMU_SST_REGISTER_MODEL(MatmulAcceleratorModel, SST_MATMUL_KIND);

}  // namespace QemuSst

#ifndef QEMU_SST_MODEL_ONLY
#include "sdk/mmio_device.h"

namespace QemuSst {

class MatmulAccelerator : public MmioDevice<MatmulAcceleratorModel> {
public:
    QEMU_SST_REGISTER_DEVICE(MatmulAccelerator, SST_MATMUL_KIND,
                             "Matrix-multiply accelerator: int32 C = A x B from descriptors in guest memory, on PES "
                             "multiply-accumulate units, through its memory model")
    SST_ELI_DOCUMENT_PARAMS(QEMU_SST_MMIO_DEVICE_PARAMS, {"access_latency", "Cycles to answer a register access", "1"},
                            {"pes", "Multiply-accumulate units: products retired per cycle", "16"},
                            {"pipeline_depth", "Cycles to fill and drain the MAC pipeline, once per job", "4"})
    SST_ELI_DOCUMENT_PORTS(QEMU_SST_MMIO_DEVICE_PORTS)
    SST_ELI_DOCUMENT_STATISTICS(QEMU_SST_MMIO_DEVICE_STATISTICS, {"jobs", "Jobs completed", "jobs", 1},
                                {"macs", "Multiply-accumulates performed", "operations", 1},
                                {"compute_cycles", "Cycles spent computing", "cycles", 1},
                                {"errors", "Chains that ended in an error", "chains", 1})
    using MmioDevice::MmioDevice;
};

}  // namespace QemuSst
#endif

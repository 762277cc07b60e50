// Runs one device model without SST: a clock of its own, the wake-ups the model asks for in time
// order, its interrupt line and its statistics as running totals.  The test peers (tests/qemu/
// fake_sim) serve QEMU with it, and unit tests drive a model through it.
#ifndef QEMU_SST_SDK_MODEL_RUNNER_H
#define QEMU_SST_SDK_MODEL_RUNNER_H

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sdk/device_model.h"
#include "sdk/dma_bursts.h"

namespace QemuSst {

class ModelRunner : private ModelHost {
public:
    // The model registered for `kind` (QEMU_SST_REGISTER_MODEL); throws std::invalid_argument for an
    // unknown kind or a parameter the model refuses.
    ModelRunner(const std::string& kind, const ModelParams& params);
    ~ModelRunner() override;
    ModelRunner(const ModelRunner&) = delete;  // the model holds a reference to its host
    ModelRunner& operator=(const ModelRunner&) = delete;

    // An access at the current cycle (run advanceTo first).
    MmioModel::Result access(bool write, uint64_t offset, unsigned size, uint64_t data = 0) {
        return model_->access(write, offset, size, data);
    }

    // Moves the clock to `cycle` (never back), running every wake-up due by then at its own cycle.
    void advanceTo(uint64_t cycle);
    uint64_t cycle() const override { return now_; }
    // The cycle of the earliest wake-up or DMA answer still due, if any.
    std::optional<uint64_t> nextDue() const {
        return due_.empty() ? std::nullopt : std::optional<uint64_t>(due_.begin()->first);
    }
    bool irq() const { return irq_; }
    // Sum of what the model recorded into statistic `name` (0 if it recorded nothing).
    uint64_t total(const std::string& name) const;

    // Serves the model's DMA from `memory` (guest-physical [base, base + memory.size()), which
    // must outlive the runner); each burst is answered dma_cycles after it was issued.  Without
    // it, every DMA burst is refused.
    void attachMemory(uint64_t base, std::vector<uint8_t>& memory, uint64_t dma_cycles = 1);

    // Called whenever the model changes its interrupt line, with the cycle it did so.
    std::function<void(bool level, uint64_t cycle)> on_irq;
    // Where log lines go (none by default), and the verbosity they are shown at.
    std::function<void(const std::string& line)> on_log;
    unsigned verbose = 0;

private:
    class Total;
    void setIrq(bool level) override;
    void wakeAfter(uint64_t cycles, uint64_t tag) override;
    ModelStatistic& statistic(const std::string& name) override;
    bool logs(unsigned level) const override { return on_log && verbose >= level; }
    void log(unsigned level, const std::string& line) override;
    bool hasDma() const override { return memory_ != nullptr; }
    void dmaRead(uint64_t address, uint64_t length, uint64_t tag) override { dma_.read(address, length, tag); }
    void dmaWrite(uint64_t address, std::vector<uint8_t> bytes, uint64_t tag) override {
        dma_.write(address, std::move(bytes), tag);
    }
    void serveBurst(DmaBursts::Burst&& burst);

    uint64_t now_ = 0;
    bool irq_ = false;
    // cycle -> what is due then, in the order asked within a cycle: the model's wake-ups and DMA answers
    std::multimap<uint64_t, std::function<void()>> due_;
    std::vector<uint8_t>* memory_ = nullptr;
    uint64_t memory_base_ = 0;
    uint64_t dma_cycles_ = 1;
    DmaBursts dma_;
    std::map<std::string, std::unique_ptr<Total>> totals_;
    std::unique_ptr<MmioModel> model_;
};

}  // namespace QemuSst

#endif

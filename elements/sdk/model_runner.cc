#include "sdk/model_runner.h"

#include <algorithm>
#include <stdexcept>

namespace QemuSst {

class ModelRunner::Total : public ModelStatistic {
public:
    void add(uint64_t value) override { sum += value; }
    uint64_t sum = 0;
};

ModelRunner::ModelRunner(const std::string& kind, const ModelParams& params)
    : dma_(params.number("dma_burst", 4096), [this](DmaBursts::Burst&& b) { serveBurst(std::move(b)); }) {
    model_ = makeModel(kind, *this, params);
    if (!model_) {
        std::string known;
        for (const std::string& k : modelKinds()) {
            known += (known.empty() ? "" : ", ") + k;
        }
        throw std::invalid_argument("no model for device kind '" + kind + "' (known: " + known + ")");
    }
}

ModelRunner::~ModelRunner() = default;

void ModelRunner::advanceTo(uint64_t cycle) {
    while (!due_.empty() && due_.begin()->first <= cycle) {
        const auto it = due_.begin();
        const std::function<void()> step = std::move(it->second);
        now_ = std::max(now_, it->first);
        due_.erase(it);
        step();
    }
    now_ = std::max(now_, cycle);
}

uint64_t ModelRunner::total(const std::string& name) const {
    const auto it = totals_.find(name);
    return it == totals_.end() ? 0 : it->second->sum;
}

void ModelRunner::setIrq(bool level) {
    irq_ = level;
    if (on_irq) {
        on_irq(level, now_);
    }
}

void ModelRunner::wakeAfter(uint64_t cycles, uint64_t tag) {
    due_.emplace(now_ + cycles, [this, tag] { model_->wake(tag); });
}

void ModelRunner::attachMemory(uint64_t base, std::vector<uint8_t>& memory, uint64_t dma_cycles) {
    memory_ = &memory;
    memory_base_ = base;
    dma_cycles_ = dma_cycles;
}

void ModelRunner::serveBurst(DmaBursts::Burst&& b) {
    auto data = std::make_shared<std::vector<uint8_t>>();
    bool ok = memory_ && b.address >= memory_base_ && b.address - memory_base_ <= memory_->size() &&
              b.size <= memory_->size() - (b.address - memory_base_);
    if (ok) {  // performed when issued: nothing else touches the memory meanwhile
        uint8_t* at = memory_->data() + (b.address - memory_base_);
        if (b.write) {
            std::copy(b.data.begin(), b.data.end(), at);
        } else {
            data->assign(at, at + b.size);
        }
    }
    due_.emplace(now_ + dma_cycles_, [this, id = b.id, ok, data] { dma_.complete(id, ok, *data, *model_); });
}

ModelStatistic& ModelRunner::statistic(const std::string& name) {
    auto& slot = totals_[name];
    if (!slot) {
        slot = std::make_unique<Total>();
    }
    return *slot;
}

void ModelRunner::log(unsigned, const std::string& line) { on_log(line); }

}  // namespace QemuSst

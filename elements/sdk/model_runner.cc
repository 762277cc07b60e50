#include "sdk/model_runner.h"

#include <stdexcept>

namespace QemuSst {

class ModelRunner::Total : public ModelStatistic {
public:
    void add(uint64_t value) override { sum += value; }
    uint64_t sum = 0;
};

ModelRunner::ModelRunner(const std::string& kind, const ModelParams& params) {
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
    while (!wakes_.empty() && wakes_.begin()->first <= cycle) {
        const auto [at, tag] = *wakes_.begin();
        wakes_.erase(wakes_.begin());
        now_ = std::max(now_, at);
        model_->wake(tag);
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

void ModelRunner::wakeAfter(uint64_t cycles, uint64_t tag) { wakes_.emplace(now_ + cycles, tag); }

ModelStatistic& ModelRunner::statistic(const std::string& name) {
    auto& slot = totals_[name];
    if (!slot) {
        slot = std::make_unique<Total>();
    }
    return *slot;
}

void ModelRunner::log(unsigned, const std::string& line) { on_log(line); }

}  // namespace QemuSst

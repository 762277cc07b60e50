#include "fake_device.h"

#include <cstdio>
#include <exception>

#include "sdk/model_runner.h"

struct fake_device {
    fake_device(const char* kind, const QemuSst::ModelParams& params) : runner(kind, params) {}
    QemuSst::ModelRunner runner;  // the model refers to it as its host: built in place, never moved
};

extern "C" struct fake_device* fake_device_new(const char* kind, const char* const* params, fake_device_irq_fn irq,
                                               void* ctx, char* err, size_t err_len) {
    QemuSst::MapParams map;
    for (; params && params[0] && params[1]; params += 2) {
        map.set(params[0], params[1]);
    }
    try {
        auto* dev = new fake_device(kind, map);
        dev->runner.on_irq = [irq, ctx](bool level, uint64_t cycle) { irq(ctx, level, cycle); };
        return dev;
    } catch (const std::exception& e) {
        std::snprintf(err, err_len, "%s", e.what());
        return nullptr;
    }
}

extern "C" void fake_device_free(struct fake_device* dev) { delete dev; }

extern "C" void fake_device_advance(struct fake_device* dev, uint64_t cycle) { dev->runner.advanceTo(cycle); }

extern "C" int fake_device_next_due(const struct fake_device* dev, uint64_t* cycle) {
    const auto due = dev->runner.nextDue();
    if (due) {
        *cycle = *due;
    }
    return due ? 1 : 0;
}

extern "C" uint32_t fake_device_access(struct fake_device* dev, int write, uint64_t offset, unsigned size,
                                       uint64_t value, uint64_t* data, uint64_t* cycles) {
    const QemuSst::MmioModel::Result r = dev->runner.access(write != 0, offset, size, value);
    *data = r.data;
    *cycles = r.cycles;
    return r.status;
}

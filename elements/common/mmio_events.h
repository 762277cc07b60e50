// Events on the links between the bridge (qemubinary.QEMUBinary) and device components.
// Offsets are relative to the device's window; statuses are enum sst_mmio_status, which the bridge
// forwards to QEMU unchanged.
#ifndef QEMU_SST_ELEMENTS_MMIO_EVENTS_H
#define QEMU_SST_ELEMENTS_MMIO_EVENTS_H

#include <sst/core/event.h>

#include <cstdint>

#include "qemu-sst/mmio_protocol.h"

namespace QemuSst {

// A guest load or store, forwarded by the bridge to the device that owns the address.
class MMIORequestEvent : public SST::Event {
public:
    enum class Kind : uint8_t { Read, Write };

    MMIORequestEvent() = default;
    MMIORequestEvent(Kind kind, uint64_t id, uint64_t offset, uint64_t data, uint8_t size)
        : kind(kind), id(id), offset(offset), data(data), size(size) {}

    bool isWrite() const { return kind == Kind::Write; }

    Kind kind = Kind::Read;
    uint64_t id = 0;
    uint64_t offset = 0;
    uint64_t data = 0;
    uint8_t size = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(kind);
        SST_SER(id);
        SST_SER(offset);
        SST_SER(data);
        SST_SER(size);
    }
    ImplementSerializable(QemuSst::MMIORequestEvent);
};

// A device's answer to one MMIORequestEvent; it arrives when the modelled access completes.
class MMIOResponseEvent : public SST::Event {
public:
    MMIOResponseEvent() = default;
    MMIOResponseEvent(uint64_t id, uint64_t data, uint32_t status) : id(id), data(data), status(status) {}

    uint64_t id = 0;
    uint64_t data = 0;
    uint32_t status = SST_MMIO_OK;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(id);
        SST_SER(data);
        SST_SER(status);
    }
    ImplementSerializable(QemuSst::MMIOResponseEvent);
};

// A device raising (level = true) or lowering its interrupt line.
class InterruptEvent : public SST::Event {
public:
    InterruptEvent() = default;
    explicit InterruptEvent(bool level) : level(level) {}

    bool level = false;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(level);
    }
    ImplementSerializable(QemuSst::InterruptEvent);
};

}  // namespace QemuSst

#endif

// Events of a device's memory path: a device's DMA requests on guest-physical memory and their
// responses.  One request is one burst (at most the device's burst size, never across a 4 KiB
// boundary), with a simulated time of its own.  Every hop speaks these two events: device ->
// memory timing model (acalsim.MemoryTiming) -> bridge (qemubinary.QEMUBinary, dma_port_N), which
// performs the access on the guest's RAM.  A cache or DRAM model that takes and gives the same
// events can sit on those links instead of, or in front of, the timing model.
#ifndef QEMU_SST_ELEMENTS_MEMORY_EVENTS_H
#define QEMU_SST_ELEMENTS_MEMORY_EVENTS_H

#include <sst/core/event.h>

#include <cstdint>
#include <vector>

namespace QemuSst {

enum class MemoryStatus : uint32_t {
    Ok = 0,
    OutOfRange = 1,  // the burst is not all inside guest RAM: nothing was read or written
    NoMemory = 2,    // the bridge has no guest RAM (a QEMU that does not share it)
};

class MemoryRequestEvent : public SST::Event {
public:
    MemoryRequestEvent() = default;
    // A read of `size` bytes.
    MemoryRequestEvent(uint64_t id, uint64_t address, uint32_t size) : id(id), address(address), size(size) {}
    // A write of `bytes`.
    MemoryRequestEvent(uint64_t id, uint64_t address, std::vector<uint8_t> bytes)
        : id(id), address(address), size(uint32_t(bytes.size())), write(true), data(std::move(bytes)) {}

    uint64_t id = 0;       // the requester's: echoed in the response
    uint64_t address = 0;  // guest-physical
    uint32_t size = 0;
    bool write = false;
    std::vector<uint8_t> data;  // a write's bytes

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(id);
        SST_SER(address);
        SST_SER(size);
        SST_SER(write);
        SST_SER(data);
    }
    ImplementSerializable(QemuSst::MemoryRequestEvent);
};

class MemoryResponseEvent : public SST::Event {
public:
    MemoryResponseEvent() = default;
    MemoryResponseEvent(uint64_t id, MemoryStatus status) : id(id), status(status) {}

    uint64_t id = 0;
    MemoryStatus status = MemoryStatus::Ok;
    std::vector<uint8_t> data;  // a read's bytes (none after an error)

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(id);
        SST_SER(status);
        SST_SER(data);
    }
    ImplementSerializable(QemuSst::MemoryResponseEvent);
};

inline const char* memoryStatusName(MemoryStatus status) {
    switch (status) {
    case MemoryStatus::Ok: return "ok";
    case MemoryStatus::OutOfRange: return "outside guest RAM";
    case MemoryStatus::NoMemory: return "no guest RAM";
    }
    return "unknown";
}

}  // namespace QemuSst

#endif

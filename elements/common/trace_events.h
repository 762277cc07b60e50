// Events of the run's timeline (the bridge's trace_file parameter), on the links between the bridge
// and device components.  Only untimed data (the init and complete phases), so tracing adds no event
// to the run itself and cannot move a horizon or a cycle:
//   init:     bridge -> device (device_port_N): TraceRequestEvent, "record your activity";
//   complete: device -> bridge (cpu_port):      TraceSpansEvent, what it recorded.
// A device that ignores the request (anything not built on the SDK) is simply traced from what the
// bridge sees.
#ifndef QEMU_SST_ELEMENTS_TRACE_EVENTS_H
#define QEMU_SST_ELEMENTS_TRACE_EVENTS_H

#include <sst/core/event.h>

#include <cstdint>
#include <vector>

namespace QemuSst {

class TraceRequestEvent : public SST::Event {
public:
    void serialize_order(SST::Core::Serialization::serializer& ser) override { Event::serialize_order(ser); }
    ImplementSerializable(QemuSst::TraceRequestEvent);
};

// Intervals of simulated time a device recorded, kSpanFields numbers each (flat, so that it
// serializes as one vector of integers under real SST).
class TraceSpansEvent : public SST::Event {
public:
    enum Kind : uint64_t {
        Busy = 0,      // an operation in progress: a step scheduled or a DMA transfer outstanding
        DmaRead = 1,   // one burst, from issue to its answer
        DmaWrite = 2,  // likewise
    };
    static constexpr size_t kSpanFields = 6;  // kind, start_ps, end_ps, address, bytes, ok

    void add(Kind kind, uint64_t start_ps, uint64_t end_ps, uint64_t address = 0, uint64_t bytes = 0, bool ok = true) {
        spans.insert(spans.end(), {uint64_t(kind), start_ps, end_ps, address, bytes, uint64_t(ok)});
    }
    size_t count() const { return spans.size() / kSpanFields; }

    std::vector<uint64_t> spans;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(spans);
    }
    ImplementSerializable(QemuSst::TraceSpansEvent);
};

}  // namespace QemuSst

#endif

// Events on the links of virtio-sst devices:
//   bridge (qemubinary.QEMUBinary, virtio_port_N) <-> acalsim.VirtIODevice (bridge_port):
//     VirtioRequestEvent ->, <- VirtioResponseEvent, <- VirtioNotifyEvent
//   acalsim.VirtIODevice (compute_port) <-> acalsim.ComputeModel (device_port):
//     ComputeRequestEvent ->, ComputeConfigEvent ->, <- ComputeResponseEvent
#ifndef QEMU_SST_ELEMENTS_VIRTIO_EVENTS_H
#define QEMU_SST_ELEMENTS_VIRTIO_EVENTS_H

#include <sst/core/event.h>

#include <cstdint>
#include <cstring>

#include "qemu-sst/virtio_sst.h"

namespace QemuSst {

// One SSTRequest the guest queued, as the bridge received it.  `id` is QEMU's (echo it back);
// `length` is what the guest supplied (the bridge only forwards requests of sizeof(SSTRequest)
// that pass sst_request_check).
class VirtioRequestEvent : public SST::Event {
public:
    VirtioRequestEvent() { std::memset(&request, 0, sizeof(request)); }
    VirtioRequestEvent(uint64_t id, const SSTRequest& req, uint32_t length) : id(id), length(length) {
        std::memcpy(&request, &req, sizeof(request));
    }
    uint64_t id = 0;
    SSTRequest request;
    uint32_t length = sizeof(SSTRequest);

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(id);
        ser.primitive(request);  // a packed C struct with a union: its bytes are its state
        SST_SER(length);
    }
    ImplementSerializable(QemuSst::VirtioRequestEvent);
};

// The response completing the VirtioRequestEvent with the same id; sent when the request completes.
class VirtioResponseEvent : public SST::Event {
public:
    VirtioResponseEvent() { std::memset(&response, 0, sizeof(response)); }
    explicit VirtioResponseEvent(uint64_t id) : id(id) { std::memset(&response, 0, sizeof(response)); }
    uint64_t id = 0;
    SSTResponse response;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(id);
        ser.primitive(response);  // a packed C struct with a union: its bytes are its state
    }
    ImplementSerializable(QemuSst::VirtioResponseEvent);
};

// An asynchronous event for the guest's event queue (sent on the same link as the responses).
class VirtioNotifyEvent : public SST::Event {
public:
    VirtioNotifyEvent() { std::memset(&event, 0, sizeof(event)); }
    explicit VirtioNotifyEvent(const SSTEvent& ev) { std::memcpy(&event, &ev, sizeof(event)); }
    SSTEvent event;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        ser.primitive(event);  // a packed C struct: its bytes are its state
    }
    ImplementSerializable(QemuSst::VirtioNotifyEvent);
};

// A COMPUTE for the compute model.  latency_model is enum SSTLatencyModel, or kDefaultModel for
// the model's current default (its latency_model parameter, changed by CONFIGURE).
class ComputeRequestEvent : public SST::Event {
public:
    static constexpr uint32_t kDefaultModel = 0xffffffffu;
    ComputeRequestEvent() = default;
    ComputeRequestEvent(uint64_t tag, uint64_t units, uint32_t latency_model)
        : tag(tag), units(units), latency_model(latency_model) {}
    uint64_t tag = 0;  // chosen by the sender, echoed in the response
    uint64_t units = 0;
    uint32_t latency_model = kDefaultModel;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(tag);
        SST_SER(units);
        SST_SER(latency_model);
    }
    ImplementSerializable(QemuSst::ComputeRequestEvent);
};

// Changes one default of the compute model (key: enum SSTConfigKey), or with key kRestoreDefaults
// restores every default to the model's parameters.  Values are checked by the sender.
class ComputeConfigEvent : public SST::Event {
public:
    static constexpr uint32_t kRestoreDefaults = 0;
    ComputeConfigEvent() = default;
    ComputeConfigEvent(uint32_t key, uint64_t value) : key(key), value(value) {}
    uint32_t key = kRestoreDefaults;
    uint64_t value = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(key);
        SST_SER(value);
    }
    ImplementSerializable(QemuSst::ComputeConfigEvent);
};

// Completion of a ComputeRequestEvent: modelled cycles and simulated completion time (ps).
class ComputeResponseEvent : public SST::Event {
public:
    ComputeResponseEvent() = default;
    ComputeResponseEvent(uint64_t tag, uint64_t units, uint64_t cycles, uint64_t timestamp_ps)
        : tag(tag), units(units), cycles(cycles), timestamp_ps(timestamp_ps) {}
    uint64_t tag = 0;
    uint64_t units = 0;
    uint64_t cycles = 0;
    uint64_t timestamp_ps = 0;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(tag);
        SST_SER(units);
        SST_SER(cycles);
        SST_SER(timestamp_ps);
    }
    ImplementSerializable(QemuSst::ComputeResponseEvent);
};

}  // namespace QemuSst

#endif

// Every event type of this repository's elements, packed through a base Event* and unpacked by the
// class factory, must come back as the same class with every field (its own and the Event base's)
// intact: events crossing a rank boundary travel this way.
#include <gtest/gtest.h>

#include <sst/core/event.h>
#include <sst/core/link.h>
#include <sst/core/output.h>
#include <sst/core/serialization/serializer.h>
#include <sst/core/statapi/statbase.h>

#include <cstring>
#include <memory>
#include <typeinfo>
#include <vector>

#include "activity_access.h"
#include "common/memory_events.h"
#include "common/mmio_events.h"
#include "common/trace_events.h"
#include "common/virtio_events.h"

namespace {

using SST::Core::ActivityAccess;
using SST::Core::Serialization::serializer;

// Distinctive base-field values, so a base class that lost a field shows up as a mismatch.
constexpr SST::SimTime_t kDeliveryTime = 123456789;
constexpr uint8_t kPriority = 77;
auto* const kHandler = reinterpret_cast<SST::Event::HandlerBase*>(uintptr_t(0x5150));

// Packs `in` as an SST::Event* (tracking off, as for rank-to-rank transfers), unpacks it into a
// new object, and returns it as E (null if the factory built another class).
template <class E>
std::unique_ptr<E> roundTrip(E& in) {
    ActivityAccess::setDeliveryTime(in, kDeliveryTime);
    ActivityAccess::setPriority(in, kPriority);
    ActivityAccess::setDeliveryHandler(in, kHandler);

    serializer ser;
    SST::Event* packed = &in;
    ser.start_sizing();
    SST_SER(packed);
    std::vector<char> buffer(ser.size());
    ser.start_packing(buffer.data(), buffer.size());
    SST_SER(packed);
    EXPECT_EQ(ser.size(), buffer.size()) << "sizing and packing disagree";

    SST::Event* unpacked = nullptr;
    ser.start_unpacking(buffer.data(), buffer.size());
    SST_SER(unpacked);
    EXPECT_EQ(ser.size(), buffer.size()) << "unpacking did not consume the whole buffer";
    ser.finalize();

    EXPECT_NE(unpacked, nullptr);
    if (!unpacked)
        return nullptr;
    EXPECT_EQ(typeid(*unpacked), typeid(E));
    EXPECT_EQ(ActivityAccess::deliveryTime(*unpacked), kDeliveryTime);
    EXPECT_EQ(ActivityAccess::priority(*unpacked), kPriority);
    EXPECT_EQ(ActivityAccess::deliveryHandler(*unpacked), kHandler);
    std::unique_ptr<E> out(dynamic_cast<E*>(unpacked));
    if (!out)
        delete unpacked;
    return out;
}

TEST(EventSerialization, EmptyEvent) {
    SST::EmptyEvent in;
    EXPECT_NE(roundTrip(in), nullptr);
}

TEST(EventSerialization, MemoryRequestEvent) {
    QemuSst::MemoryRequestEvent in(0x1234, 0x8000'1000, std::vector<uint8_t>{1, 2, 3, 250});
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->id, 0x1234u);
    EXPECT_EQ(out->address, 0x8000'1000u);
    EXPECT_EQ(out->size, 4u);
    EXPECT_TRUE(out->write);
    EXPECT_EQ(out->data, (std::vector<uint8_t>{1, 2, 3, 250}));
}

TEST(EventSerialization, MemoryResponseEvent) {
    QemuSst::MemoryResponseEvent in(99, QemuSst::MemoryStatus::OutOfRange);
    in.data = {9, 8, 7};
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->id, 99u);
    EXPECT_EQ(out->status, QemuSst::MemoryStatus::OutOfRange);
    EXPECT_EQ(out->data, (std::vector<uint8_t>{9, 8, 7}));
}

TEST(EventSerialization, VirtioRequestEvent) {
    SSTRequest req;
    std::memset(&req, 0, sizeof(req));
    req.type = 3;
    req.request_id = 0xabcdef;
    req.user_data = 42;
    req.payload.memory.addr = 0x100;
    req.payload.memory.data[17] = 0x5a;
    QemuSst::VirtioRequestEvent in(7, req, 100);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->id, 7u);
    EXPECT_EQ(out->length, 100u);
    EXPECT_EQ(std::memcmp(&out->request, &req, sizeof(req)), 0);
}

TEST(EventSerialization, VirtioResponseEvent) {
    QemuSst::VirtioResponseEvent in(8);
    in.response.status = 2;
    in.response.result = 1000;
    in.response.payload.data[5] = 0xee;
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->id, 8u);
    EXPECT_EQ(std::memcmp(&out->response, &in.response, sizeof(in.response)), 0);
}

TEST(EventSerialization, VirtioNotifyEvent) {
    SSTEvent ev;
    std::memset(&ev, 0, sizeof(ev));
    ev.type = 1;
    ev.timestamp = 555;
    ev.data = 666;
    ev.request_id = 777;
    QemuSst::VirtioNotifyEvent in(ev);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(std::memcmp(&out->event, &ev, sizeof(ev)), 0);
}

TEST(EventSerialization, ComputeRequestEvent) {
    QemuSst::ComputeRequestEvent in(11, 22, 3);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->tag, 11u);
    EXPECT_EQ(out->units, 22u);
    EXPECT_EQ(out->latency_model, 3u);
}

TEST(EventSerialization, ComputeConfigEvent) {
    QemuSst::ComputeConfigEvent in(5, 0x1'0000'0001);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->key, 5u);
    EXPECT_EQ(out->value, 0x1'0000'0001u);
}

TEST(EventSerialization, ComputeResponseEvent) {
    QemuSst::ComputeResponseEvent in(1, 2, 3, 4);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->tag, 1u);
    EXPECT_EQ(out->units, 2u);
    EXPECT_EQ(out->cycles, 3u);
    EXPECT_EQ(out->timestamp_ps, 4u);
}

TEST(EventSerialization, TraceRequestEvent) {
    QemuSst::TraceRequestEvent in;
    EXPECT_NE(roundTrip(in), nullptr);
}

TEST(EventSerialization, TraceSpansEvent) {
    QemuSst::TraceSpansEvent in;
    in.add(QemuSst::TraceSpansEvent::DmaRead, 10, 20, 0x4000, 64, false);
    in.add(QemuSst::TraceSpansEvent::Busy, 30, 40);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->spans, in.spans);
    EXPECT_EQ(out->count(), 2u);
}

TEST(EventSerialization, MMIORequestEvent) {
    QemuSst::MMIORequestEvent in(QemuSst::MMIORequestEvent::Kind::Write, 31, 0x40, 0xdeadbeef, 4);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_TRUE(out->isWrite());
    EXPECT_EQ(out->id, 31u);
    EXPECT_EQ(out->offset, 0x40u);
    EXPECT_EQ(out->data, 0xdeadbeefu);
    EXPECT_EQ(out->size, 4u);
}

TEST(EventSerialization, MMIOResponseEvent) {
    QemuSst::MMIOResponseEvent in(32, 0x1234, 3);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->id, 32u);
    EXPECT_EQ(out->data, 0x1234u);
    EXPECT_EQ(out->status, 3u);
}

TEST(EventSerialization, InterruptEvent) {
    QemuSst::InterruptEvent in(true);
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_TRUE(out->level);
}

// The check above must be able to fail: an event that forgets a field comes back without it.
class ForgetfulEvent : public SST::Event {
public:
    uint64_t kept = 0;
    uint64_t forgotten = 0;
    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(kept);
    }
    ImplementSerializable(ForgetfulEvent)
};

TEST(EventSerialization, AMissingFieldIsNoticed) {
    ForgetfulEvent in;
    in.kept = 5;
    in.forgotten = 6;
    auto out = roundTrip(in);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->kept, 5u);
    EXPECT_EQ(out->forgotten, 0u);
}

// Two pointers to one event, with tracking on (checkpoint style), unpack to one object.
TEST(EventSerialization, TrackedPointersShareTheUnpackedEvent) {
    QemuSst::InterruptEvent in(true);
    std::vector<SST::Event*> events{&in, &in};
    serializer ser;
    ser.enable_pointer_tracking();
    ser.start_sizing();
    SST_SER(events);
    std::vector<char> buffer(ser.size());
    ser.start_packing(buffer.data(), buffer.size());
    SST_SER(events);
    std::vector<SST::Event*> out;
    ser.start_unpacking(buffer.data(), buffer.size());
    SST_SER(out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0], out[1]);
    EXPECT_NE(dynamic_cast<QemuSst::InterruptEvent*>(out[0]), nullptr);
    delete out[0];
}

}  // namespace

namespace {

// What an SST element's serialize_order names besides its own data: its links, statistics and
// Output.  Only a checkpoint serializes those.
struct HoldsEngineObjects {
    SST::Link* link = nullptr;
    SST::Statistics::Statistic<uint64_t>* stat = nullptr;
    SST::Output out;
    void serialize_order(serializer& ser) {
        SST_SER(link);
        SST_SER(stat);
        SST_SER(out);
    }
};

}  // namespace

// It compiles (sst-core's own test elements need that), null pointers pass, and reaching one of
// those objects ends the run with the reason instead of writing something meaningless.
TEST(CheckpointOnlyObjects, CompileAndRefuseWhenReached) {
    HoldsEngineObjects holder;
    serializer ser;
    ser.start_sizing();
    EXPECT_EXIT(holder.serialize_order(ser), testing::ExitedWithCode(1),
                "serializes only into a checkpoint, which the qemu-sst engine does not write");
}

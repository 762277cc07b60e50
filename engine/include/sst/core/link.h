#ifndef SST_CORE_LINK_H
#define SST_CORE_LINK_H

#include "sst/core/event.h"
#include "sst/core/sst_types.h"
#include "sst/core/timeConverter.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace SST {

class BaseComponent;
namespace Core {
class Engine;
struct ComponentInfo;
struct LinkEndQueues;
class InterceptingHandler;
}  // namespace Core

// One end of a connection between two ports (or a port and itself, for self links).  Events
// sent here arrive at the other end's handler at now + delay + this end's latency.
class Link {
public:
    // A tool that sees every event sent from this end before it is queued (PortModules installed
    // on send).  It may change the event, replace it (the new one must copyAllDeliveryInfo from
    // the old, which the tool deletes) or drop it (delete it and set ev to nullptr).
    class AttachPoint {
    public:
        virtual ~AttachPoint() = default;
        // Called once when attached; the result is passed back as key.
        virtual uintptr_t registerLinkAttachTool(const AttachPointMetaData& mdata) = 0;
        virtual void eventSent(uintptr_t key, Event*& ev) = 0;
        // Checkpointing only; never called by this engine.
        virtual void serializeEventAttachPointKey(SST::Core::Serialization::serializer&, uintptr_t&) {}
    };

    ~Link();
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    // delay counted in tc's units.
    void send(SimTime_t delay, TimeConverter tc, Event* event) { send_impl(tc.convertToCoreTime(delay), event); }
    // delay counted in the link's default time base (set by configureLink, registerClock, ...).
    void send(SimTime_t delay, Event* event) {
        if (delay != 0 && default_time_base_ == 0) [[unlikely]]
            failNoTimeBase();
        send_impl(delay * default_time_base_, event);
    }
    void send(Event* event) { send_impl(0, event); }

    // Polling links only (configured without a handler): the next event whose time has come,
    // or nullptr.
    Event* recv();

    // Init and complete phases: data sent in phase N is received in phase N+1.
    void sendUntimedData(Event* data);
    Event* recvUntimedData();

    void setDefaultTimeBase(TimeConverter tc) { default_time_base_ = tc.getFactor(); }
    TimeConverter getDefaultTimeBase() const;

    // Extra latency for everything sent from / received at this end.
    void addSendLatency(int cycles, const std::string& timebase);
    void addSendLatency(SimTime_t cycles, TimeConverter timebase);
    void addRecvLatency(int cycles, const std::string& timebase);
    void addRecvLatency(SimTime_t cycles, TimeConverter timebase);

    // Replaces (and deletes) the handler that receives events arriving at this end.
    void setFunctor(Event::HandlerBase* functor);
    // Receive-side tools installed on this end stay installed around the new handler.
    void replaceFunctor(Event::HandlerBase* functor) { setFunctor(functor); }
    Event::HandlerBase* getFunctor();

    // Send-side tools run in the order they were attached.
    void attachTool(AttachPoint* tool, const AttachPointMetaData& mdata);
    void detachTool(AttachPoint* tool);

    // Latency in core time (ps) of events sent from this end.  (Core-only in SST.)
    SimTime_t getLatency() const { return latency_; }
    LinkId_t getId() const { return id_; }
    bool isConfigured() const { return mode_ != Mode::Unconfigured; }

private:
    friend class Core::Engine;
    friend class BaseComponent;

    enum class Mode : uint8_t { Unconfigured, Handler, Polling };

    Link(Core::Engine* engine, LinkId_t id, SimTime_t latency);

    void send_impl(SimTime_t delay, Event* event);
    void sendSlowPath(SimTime_t delivery_time, Event* event);
    // Receive-side tools: events delivered to this end's handler pass through them first.
    void attachInterceptTool(Event::HandlerBase::InterceptPoint* tool, const AttachPointMetaData& mdata);
    [[noreturn]] void failNoTimeBase() const;
    Core::LinkEndQueues& queues();

    // Hot fields first: send() touches these and the pair's mode_/handler_.
    Core::Engine* engine_;
    Link* pair_ = nullptr;
    SimTime_t latency_ = 0;
    SimTime_t default_time_base_ = 0;
    Event::HandlerBase* handler_ = nullptr;  // owned
    // Send-side tools; null (the fast path) unless a PortModule is installed on send.
    std::unique_ptr<std::vector<std::pair<AttachPoint*, uintptr_t>>> send_tools_;
    Mode mode_ = Mode::Unconfigured;
    uint32_t order_tag_ = 0;  // carried by events sent here: the receiving end's configure order
    // Receive-side tools: handler_ is then this wrapper around the component's handler.
    Core::InterceptingHandler* intercepts_ = nullptr;
    LinkId_t id_;
    const Core::ComponentInfo* owner_ = nullptr;  // for error messages: which component and port
    std::string port_;
    std::unique_ptr<Core::LinkEndQueues> queues_;  // polling and untimed-data queues, made on first use
};

}  // namespace SST

#endif

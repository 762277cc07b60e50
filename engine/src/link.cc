#include "sst/core/link.h"

#include "engine.h"
#include "fatal_exit.h"
#include "link_queues.h"
#include "time_converter_access.h"

namespace SST {

namespace Core {

// Stands in for a link end's handler once receive-side tools are installed, so ports without
// them keep calling the component's handler directly.
class InterceptingHandler final : public Event::HandlerBase {
public:
    explicit InterceptingHandler(Event::HandlerBase* inner) : inner_(inner) {}
    ~InterceptingHandler() override { delete inner_; }

    Event::HandlerBase* inner() const { return inner_; }
    void setInner(Event::HandlerBase* inner) {
        if (inner != inner_)
            delete inner_;
        inner_ = inner;
    }
    void add(Event::HandlerBase::InterceptPoint* tool, uintptr_t key) { tools_.emplace_back(tool, key); }

private:
    void operator_impl(Event* event) override {
        for (auto& [tool, key] : tools_) {
            bool cancel = false;
            tool->interceptHandler(key, event, cancel);
            if (cancel)
                return;  // the tool disposed of the event; later tools do not see it
        }
        (*inner_)(event);
    }

    Event::HandlerBase* inner_;
    std::vector<std::pair<Event::HandlerBase::InterceptPoint*, uintptr_t>> tools_;
};

// SST delivers an event sent as nullptr as nullptr.  This travels in its place; on delivery it
// deletes itself and calls the receiving handler with nullptr.
class NullEvent final : public Event {
public:
    NullEvent() : forward_(this) {}

    Event::HandlerBase* forwardTo(Event::HandlerBase* target) {
        forward_.target = target;
        return &forward_;
    }

    ImplementSerializable(SST::Core::NullEvent);

private:
    struct Forward final : Event::HandlerBase {
        explicit Forward(NullEvent* owner) : owner(owner) {}
        void operator_impl(Event*) override {
            Event::HandlerBase* handler = target;
            delete owner;  // this too: nothing of it is touched below
            (*handler)(nullptr);
        }
        NullEvent* owner;
        Event::HandlerBase* target = nullptr;
    };
    Forward forward_;
};

}  // namespace Core

Link::Link(Core::Engine* engine, LinkId_t id, SimTime_t latency) : engine_(engine), latency_(latency), id_(id) {}

Link::~Link() { delete handler_; }

Core::LinkEndQueues& Link::queues() {
    if (!queues_)
        queues_ = std::make_unique<Core::LinkEndQueues>();
    return *queues_;
}

void Link::send_impl(SimTime_t delay, Event* event) {
    Core::Engine& engine = *engine_;
    const SimTime_t time = engine.now() + delay + latency_;
    const Link* target = pair_;
    if (target->mode_ == Mode::Handler && engine.acceptsEvents() && event != nullptr && !send_tools_) [[likely]] {
        event->delivery_handler_ = target->handler_;
        engine.scheduleEvent(time, event, order_tag_);
        return;
    }
    sendSlowPath(time, event);
}

void Link::sendSlowPath(SimTime_t delivery_time, Event* event) {
    const std::string from = "port '" + port_ + "' of " + owner_->describe();
    if (!engine_->acceptsEvents())
        Core::fatalExit(1, "Link::send called on " + from +
                               " outside setup() and the run (use sendUntimedData during init and complete)");
    if (pair_->mode_ == Mode::Unconfigured)
        Core::fatalExit(1, "event sent on " + from + " but the receiving end, port '" + pair_->port_ + "' of " +
                               pair_->owner_->describe() + ", was never configured with configureLink");
    if (event == nullptr)
        event = new Core::NullEvent();
    event->delivery_time_ = delivery_time;
    event->delivery_handler_ = pair_->mode_ == Mode::Handler ? pair_->handler_ : nullptr;
    if (send_tools_) {
        // The event carries its delivery information, so a tool can copy it to a replacement.
        for (auto& [tool, key] : *send_tools_) {
            tool->eventSent(key, event);
            if (event == nullptr)
                return;  // dropped
        }
    }
    if (pair_->mode_ == Mode::Handler) {
        if (auto* null_event = dynamic_cast<Core::NullEvent*>(event))
            event->delivery_handler_ = null_event->forwardTo(event->delivery_handler_);
        engine_->scheduleEvent(event->delivery_time_, event, order_tag_);
        return;
    }
    // Polling receiver.
    auto& q = pair_->queues();
    q.polled.push({event->delivery_time_, q.polled_sequence++, event});
}

Event* Link::recv() {
    if (mode_ != Mode::Polling)
        Core::fatalExit(1, "Link::recv on port '" + port_ + "' of " + owner_->describe() +
                               ", which has an event handler (recv is for links configured without one)");
    if (!queues_ || queues_->polled.empty() || queues_->polled.top().time > engine_->now())
        return nullptr;
    Event* event = queues_->polled.top().event;
    queues_->polled.pop();
    if (dynamic_cast<Core::NullEvent*>(event) != nullptr) {
        delete event;
        return nullptr;  // as SST: an event sent as nullptr arrives as nullptr
    }
    return event;
}

void Link::sendUntimedData(Event* data) {
    const Core::Phase phase = engine_->phase();
    if (phase != Core::Phase::Construction && phase != Core::Phase::Init && phase != Core::Phase::Complete)
        Core::fatalExit(1, "sendUntimedData on port '" + port_ + "' of " + owner_->describe() +
                               " outside the init and complete phases");
    engine_->noteUntimedSend();
    pair_->queues().untimed.push_back({engine_->untimedRound(), data});
}

Event* Link::recvUntimedData() {
    if (!queues_ || queues_->untimed.empty() || queues_->untimed.front().round >= engine_->untimedRound())
        return nullptr;
    Event* data = queues_->untimed.front().event;
    queues_->untimed.pop_front();
    return data;
}

TimeConverter Link::getDefaultTimeBase() const { return Core::TimeConverterAccess::fromFactor(default_time_base_); }

void Link::addSendLatency(int cycles, const std::string& timebase) {
    addSendLatency(static_cast<SimTime_t>(cycles), TimeConverter(timebase));
}

void Link::addSendLatency(SimTime_t cycles, TimeConverter timebase) { latency_ += timebase.convertToCoreTime(cycles); }

void Link::addRecvLatency(int cycles, const std::string& timebase) {
    addRecvLatency(static_cast<SimTime_t>(cycles), TimeConverter(timebase));
}

void Link::addRecvLatency(SimTime_t cycles, TimeConverter timebase) {
    pair_->latency_ += timebase.convertToCoreTime(cycles);
}

void Link::setFunctor(Event::HandlerBase* functor) {
    if (intercepts_ != nullptr) {
        if (functor == nullptr)
            Core::fatalExit(1, "port '" + port_ + "' of " + owner_->describe() +
                                   " has a PortModule installed on receive and cannot become a polling link");
        intercepts_->setInner(functor);
        return;
    }
    if (functor != handler_)
        delete handler_;
    handler_ = functor;
    mode_ = functor ? Mode::Handler : Mode::Polling;
}

Event::HandlerBase* Link::getFunctor() { return intercepts_ ? intercepts_->inner() : handler_; }

void Link::attachTool(AttachPoint* tool, const AttachPointMetaData& mdata) {
    if (!send_tools_)
        send_tools_ = std::make_unique<std::vector<std::pair<AttachPoint*, uintptr_t>>>();
    const uintptr_t key = tool->registerLinkAttachTool(mdata);
    send_tools_->emplace_back(tool, key);
}

void Link::detachTool(AttachPoint* tool) {
    if (!send_tools_)
        return;
    for (auto it = send_tools_->begin(); it != send_tools_->end(); ++it) {
        if (it->first == tool) {
            send_tools_->erase(it);
            break;
        }
    }
    if (send_tools_->empty())
        send_tools_.reset();  // back to the fast path
}

void Link::attachInterceptTool(Event::HandlerBase::InterceptPoint* tool, const AttachPointMetaData& mdata) {
    if (mode_ != Mode::Handler)
        Core::fatalExit(1, "port '" + port_ + "' of " + owner_->describe() +
                               ": a PortModule installed on receive needs an event handler, and this is a polling "
                               "link (configured without one)");
    if (intercepts_ == nullptr) {
        intercepts_ = new Core::InterceptingHandler(handler_);
        handler_ = intercepts_;
    }
    intercepts_->add(tool, tool->registerHandlerIntercept(mdata));
}

void Link::failNoTimeBase() const {
    Core::fatalExit(1, "Link::send(delay, event) on port '" + port_ + "' of " + owner_->describe() +
                           ": the link has no default time base to count the delay in (configure it with a time "
                           "base, register a clock, or use send(delay, time_converter, event))");
}

}  // namespace SST

#include "sst/core/link.h"

#include "engine.h"
#include "fatal_exit.h"
#include "link_queues.h"
#include "time_converter_access.h"

namespace SST {

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
    if (target->mode_ == Mode::Handler && engine.acceptsEvents() && event != nullptr) [[likely]] {
        event->delivery_handler_ = target->handler_;
        engine.scheduleEvent(time, event, order_tag_);
        return;
    }
    sendSlowPath(time, event);
}

void Link::sendSlowPath(SimTime_t delivery_time, Event* event) {
    const std::string from = "port '" + port_ + "' of " + owner_->describe();
    if (event == nullptr)
        Core::fatalExit(1, "Link::send: null event sent on " + from);
    if (!engine_->acceptsEvents())
        Core::fatalExit(1, "Link::send called on " + from +
                               " outside setup() and the run (use sendUntimedData during init and complete)");
    if (pair_->mode_ == Mode::Unconfigured)
        Core::fatalExit(1, "event sent on " + from + " but the receiving end, port '" + pair_->port_ + "' of " +
                               pair_->owner_->describe() + ", was never configured with configureLink");
    // Polling receiver.
    event->delivery_time_ = delivery_time;
    auto& q = pair_->queues();
    q.polled.push({delivery_time, q.polled_sequence++, event});
}

Event* Link::recv() {
    if (mode_ != Mode::Polling)
        Core::fatalExit(1, "Link::recv on port '" + port_ + "' of " + owner_->describe() +
                               ", which has an event handler (recv is for links configured without one)");
    if (!queues_ || queues_->polled.empty() || queues_->polled.top().time > engine_->now())
        return nullptr;
    Event* event = queues_->polled.top().event;
    queues_->polled.pop();
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
    if (functor != handler_)
        delete handler_;
    handler_ = functor;
    mode_ = functor ? Mode::Handler : Mode::Polling;
}

void Link::failNoTimeBase() const {
    Core::fatalExit(1, "Link::send(delay, event) on port '" + port_ + "' of " + owner_->describe() +
                           ": the link has no default time base to count the delay in (configure it with a time "
                           "base, register a clock, or use send(delay, time_converter, event))");
}

}  // namespace SST

// Element library "enginetest": small components the runner tests drive from Python configs.

#include <sst/core/sst_config.h>

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <string>

namespace EngineTest {

class CountEvent : public SST::Event {
public:
    explicit CountEvent(uint64_t value = 0) : value(value) {}
    uint64_t value;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Event::serialize_order(ser);
        SST_SER(value);
    }
    ImplementSerializable(EngineTest::CountEvent);
};

// Sends events 0, 1, ... count-1 on "out", one per tick of a clock with period `interval`.
class Source : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(Source, "enginetest", "source", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Sends numbered events", COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"count", "number of events to send", "3"}, {"interval", "time between events", "1ns"},
                            {"device%d_base", "accepted and ignored, to test %d names", "0"})
    SST_ELI_DOCUMENT_PORTS({"out", "events go out here", {"EngineTest::CountEvent"}})
    SST_ELI_DOCUMENT_STATISTICS({"sent", "events sent", "events", 1})

    Source(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
        count_ = params.find<uint64_t>("count", 3);
        out_ = configureLink("out");
        sent_ = registerStatistic<uint64_t>("sent");
        registerClock(params.find<std::string>("interval", "1ns"),
                      new SST::Clock::Handler<Source, &Source::tick>(this));
    }

private:
    bool tick(SST::Cycle_t) {
        out_->send(new CountEvent(next_++));
        sent_->addData(1);
        return next_ == count_;  // done: off the clock
    }

    uint64_t count_;
    uint64_t next_ = 0;
    SST::Link* out_;
    SST::Statistics::Statistic<uint64_t>* sent_;
};

// Receives events on "in"; prints each with its arrival time when verbose.
class Sink : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(Sink, "enginetest", "sink", SST_ELI_ELEMENT_VERSION(1, 0, 0), "Counts events",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"verbose", "print every event", "false"})
    SST_ELI_DOCUMENT_PORTS({"in", "events arrive here", {"EngineTest::CountEvent"}})
    SST_ELI_DOCUMENT_STATISTICS({"received", "values of the events received", "events", 1})

    Sink(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
        verbose_ = params.find<bool>("verbose", false);
        received_ = registerStatistic<uint64_t>("received");
        configureLink("in", new SST::Event::Handler<Sink, &Sink::handle>(this));
        out_.init("", 0, 0, SST::Output::STDOUT);
    }

private:
    void handle(SST::Event* ev) {
        auto* event = static_cast<CountEvent*>(ev);
        received_->addData(event->value);
        if (verbose_)
            out_.output("%s got %llu at %llu ps\n", getName().c_str(), static_cast<unsigned long long>(event->value),
                        static_cast<unsigned long long>(getCurrentSimCycle()));
        delete event;
    }

    bool verbose_;
    SST::Output out_;
    SST::Statistics::Statistic<uint64_t>* received_;
};

// Has a parameter without a default, to test the required-parameter check.
class NeedsParam : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(NeedsParam, "enginetest", "needs_param", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Requires 'id'", COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"id", "a required integer", nullptr})

    NeedsParam(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) { params.find<int>("id"); }
};

// Calls fatal() from its constructor.
class FailsInConstructor : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(FailsInConstructor, "enginetest", "fails", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Always fails", COMPONENT_CATEGORY_UNCATEGORIZED)

    FailsInConstructor(SST::ComponentId_t id, SST::Params&) : SST::Component(id) {
        SST::Output out("", 0, 0, SST::Output::STDOUT);
        out.fatal(CALL_INFO, 3, "cannot start: no device attached\n");
    }
};

}  // namespace EngineTest

// Links: latency and send-delay arithmetic, per-end latencies, same-time ordering, self links
// and polling links.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;
using EngineTest::wire;

namespace {

struct Arrival {
    std::string receiver;
    std::string port;
    int value;
    SimTime_t time;
    bool operator==(const Arrival& o) const {
        return receiver == o.receiver && port == o.port && value == o.value && time == o.time;
    }
};
std::ostream& operator<<(std::ostream& os, const Arrival& a) {
    return os << a.receiver << "." << a.port << " got " << a.value << " at " << a.time;
}

std::vector<Arrival> arrivals;

class ValueEvent : public Event {
public:
    explicit ValueEvent(int v) : value(v) {}
    int value;
};

// On setup, sends one event per entry of send_delays out of port0 (delays in the link's 1 ns
// time base, or in tc_unit units when given); with null_first, the first is sent as nullptr.
// Records what arrives (a null event as value -1); echoes it back if asked.
class Probe : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Probe, "utest_link", "probe", SST_ELI_ELEMENT_VERSION(1, 0, 0), "link probe",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"send_delays", "", "[]"}, {"tc_unit", "", ""}, {"echo", "", "false"},
                            {"first_value", "", "0"}, {"null_first", "", "false"})
    SST_ELI_DOCUMENT_PORTS({"port%d", "", {}})

    Probe(ComponentId_t id, Params& params) : Component(id) {
        params.find_array("send_delays", delays_);
        tc_unit_ = params.find<std::string>("tc_unit", "");
        echo_ = params.find<bool>("echo", false);
        first_value_ = params.find<int>("first_value", 0);
        null_first_ = params.find<bool>("null_first", false);
        for (int i = 0; i < 4; ++i) {
            const std::string port = "port" + std::to_string(i);
            auto* handler = new Event::Handler<Probe, &Probe::receive, std::string>(this, port);
            links_.push_back(configureLink(port, "1ns", handler));
            if (links_.back() == nullptr)
                delete handler;  // an unconnected port leaves its handler to the caller, as in SST
        }
    }

    void setup() override {
        int value = first_value_;
        for (SimTime_t delay : delays_) {
            Event* event = null_first_ && value == first_value_ ? nullptr : new ValueEvent(value);
            ++value;
            if (tc_unit_.empty())
                links_[0]->send(delay, event);
            else
                links_[0]->send(delay, TimeConverter(tc_unit_), event);
        }
    }

private:
    void receive(Event* ev, std::string port) {
        if (ev == nullptr) {
            arrivals.push_back({getName(), port, -1, getCurrentSimCycle()});
            return;
        }
        auto* event = static_cast<ValueEvent*>(ev);
        arrivals.push_back({getName(), port, event->value, getCurrentSimCycle()});
        if (echo_)
            links_[port.back() - '0']->send(event);
        else
            delete event;
    }

    std::vector<SimTime_t> delays_;
    std::string tc_unit_;
    bool echo_;
    int first_value_;
    bool null_first_;
    std::vector<Link*> links_;
};

// A self link: events sent on "timer" come back after the send delay plus the link's latency
// (0 unless the configuration wires "timer" as a loopback).
class SelfTimer : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(SelfTimer, "utest_link", "self_timer", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PORTS({"timer", "loopback", {}})

    SelfTimer(ComponentId_t id, Params&) : Component(id) {
        timer_ = configureSelfLink("timer", "1ns", new Event::Handler<SelfTimer, &SelfTimer::fire>(this));
    }

    void setup() override {
        timer_->send(3, new ValueEvent(1));
        timer_->send(new ValueEvent(2));
    }

private:
    void fire(Event* ev) {
        arrivals.push_back({getName(), "timer", static_cast<ValueEvent*>(ev)->value, getCurrentSimCycle()});
        delete ev;
    }

    Link* timer_;
};

// Polls port0 (configured without a handler) on every 1 ns clock tick.
class Poller : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Poller, "utest_link", "poller", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PORTS({"port0", "polled", {}}, {"unused", "never connected", {}})

    Poller(ComponentId_t id, Params&) : Component(id) {
        in_ = configureLink("port0");
        EXPECT_EQ(configureLink("unused"), nullptr);
        EXPECT_FALSE(isPortConnected("unused"));
        EXPECT_TRUE(isPortConnected("port0"));
        registerClock("1GHz", new Clock::Handler<Poller, &Poller::poll>(this));
    }

private:
    bool poll(Cycle_t cycle) {
        while (Event* ev = in_->recv()) {
            arrivals.push_back({getName(), "port0", static_cast<ValueEvent*>(ev)->value, getCurrentSimCycle()});
            delete ev;
        }
        return cycle == 5;
    }

    Link* in_;
};

class LinkTest : public ::testing::Test {
protected:
    void SetUp() override { arrivals.clear(); }
};

}  // namespace

TEST_F(LinkTest, DeliveryTimeIsNowPlusSendDelayPlusTheSendingEndsLatency) {
    Core::ConfigGraph graph;
    auto& a = graph.addComponent("a", "utest_link.probe");
    a.addParam("send_delays", "[0, 3]");
    auto& b = graph.addComponent("b", "utest_link.probe");
    b.addParam("echo", "true");
    wire(graph, a.id, "port0", "5ns", b.id, "port0", "7ns");

    const auto report = runQuietly(graph);
    const std::vector<Arrival> expected = {
        {"b", "port0", 0, 5000},
        {"b", "port0", 1, 8000},
        {"a", "port0", 0, 12000},  // echoed back: + b's 7 ns
        {"a", "port0", 1, 15000},
    };
    EXPECT_EQ(arrivals, expected);
    EXPECT_EQ(report.end_time, 15000u);
    EXPECT_EQ(report.reason, Core::EndReason::QueueEmpty);
}

TEST_F(LinkTest, SendDelayMayUseAnotherTimeBase) {
    Core::ConfigGraph graph;
    auto& a = graph.addComponent("a", "utest_link.probe");
    a.addParams([] {
        Params p;
        p.insert("send_delays", "[2]");
        p.insert("tc_unit", "10ns");
        return p;
    }());
    auto& b = graph.addComponent("b", "utest_link.probe");
    wire(graph, a.id, "port0", "1ns", b.id, "port0", "1ns");
    runQuietly(graph);
    EXPECT_EQ(arrivals, (std::vector<Arrival>{{"b", "port0", 0, 21000}}));
}

TEST_F(LinkTest, SameTimeEventsArriveInSendOrderReproducibly) {
    auto build = [] {
        Core::ConfigGraph graph;
        auto& sink = graph.addComponent("sink", "utest_link.probe");
        for (int i = 0; i < 3; ++i) {
            auto& sender = graph.addComponent("sender" + std::to_string(i), "utest_link.probe");
            sender.addParam("send_delays", "[0, 0]");
            sender.addParam("first_value", std::to_string(10 * i));
            wire(graph, sender.id, "port0", "1ns", sink.id, "port" + std::to_string(i + 1), "1ns");
        }
        return graph;
    };
    const std::vector<Arrival> expected = {
        {"sink", "port1", 0, 1000},  {"sink", "port1", 1, 1000},  {"sink", "port2", 10, 1000},
        {"sink", "port2", 11, 1000}, {"sink", "port3", 20, 1000}, {"sink", "port3", 21, 1000},
    };
    for (int run = 0; run < 3; ++run) {
        arrivals.clear();
        runQuietly(build());
        EXPECT_EQ(arrivals, expected) << "run " << run;
    }
}

TEST_F(LinkTest, SelfLinkWithoutConfigurationHasZeroLatency) {
    Core::ConfigGraph graph;
    graph.addComponent("timer", "utest_link.self_timer");
    runQuietly(graph);
    EXPECT_EQ(arrivals, (std::vector<Arrival>{{"timer", "timer", 2, 0}, {"timer", "timer", 1, 3000}}));
}

TEST_F(LinkTest, SelfLinkWiredAsLoopbackUsesTheConfiguredLatency) {
    Core::ConfigGraph graph;
    auto& timer = graph.addComponent("timer", "utest_link.self_timer");
    wire(graph, timer.id, "timer", "4ns", timer.id, "timer", "4ns");
    runQuietly(graph);
    EXPECT_EQ(arrivals, (std::vector<Arrival>{{"timer", "timer", 2, 4000}, {"timer", "timer", 1, 7000}}));
}

TEST_F(LinkTest, PollingLinkHandsOutEventsOnceTheirTimeHasCome) {
    Core::ConfigGraph graph;
    auto& a = graph.addComponent("a", "utest_link.probe");
    a.addParam("send_delays", "[0, 1]");
    auto& poller = graph.addComponent("poller", "utest_link.poller");
    wire(graph, a.id, "port0", "2ns", poller.id, "port0", "1ns");
    runQuietly(graph);
    EXPECT_EQ(arrivals, (std::vector<Arrival>{{"poller", "port0", 0, 2000}, {"poller", "port0", 1, 3000}}));
}

// Probe "a" sends a null event and then event 1, one nanosecond apart, to receiver_type's "port0".
static void runNullThenOne(const std::string& receiver, const std::string& receiver_type) {
    Core::ConfigGraph graph;
    auto& a = graph.addComponent("a", "utest_link.probe");
    a.addParam("send_delays", "[0, 1]");
    a.addParam("null_first", "true");
    auto& r = graph.addComponent(receiver, receiver_type);
    wire(graph, a.id, "port0", "2ns", r.id, "port0", "1ns");
    runQuietly(graph);
}

// SST sends a stand-in for a null event and delivers nullptr: some elements signal with it.
TEST_F(LinkTest, AnEventSentAsNullArrivesAsNull) {
    runNullThenOne("b", "utest_link.probe");
    EXPECT_EQ(arrivals, (std::vector<Arrival>{{"b", "port0", -1, 2000}, {"b", "port0", 1, 3000}}));
}

// ... and a polling end's recv() returns nullptr for it, having taken it off the link.
TEST_F(LinkTest, PollingEndReceivesANullEventAsNothing) {
    runNullThenOne("poller", "utest_link.poller");
    EXPECT_EQ(arrivals, (std::vector<Arrival>{{"poller", "port0", 1, 3000}}));
}

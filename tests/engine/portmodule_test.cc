// PortModules as SST 16 elements and configurations use them: modules on the send and receive
// side of a port that modify, replace or drop events, several on one port, a module on a port a
// subcomponent took over (SHARE_PORTS), their statistics, the built-in random_drop, and the
// configuration mistakes that are refused.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/portModule.h>
#include <sst/core/rng/marsaglia.h>
#include <sst/core/subcomponent.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;
using EngineTest::wire;

namespace {

std::vector<std::string> journal;  // what the elements and modules did, in order

class TrailEvent : public Event {
public:
    explicit TrailEvent(std::string t = "") : trail(std::move(t)) {}
    std::string trail;  // modules that modified the event append their label
};

// action: pass, modify (append the label), replace (a new event "<label>-new"), drop.
class Marker : public PortModule {
public:
    SST_ELI_REGISTER_PORTMODULE(Marker, "utest_pm", "marker", SST_ELI_ELEMENT_VERSION(1, 0, 0), "")
    SST_ELI_DOCUMENT_PARAMS({"label", "", "m"}, {"action", "", "pass"}, {"on_send", "", "false"})
    SST_ELI_DOCUMENT_STATISTICS({"seen", "events seen", "events", 2}, {"hidden", "level 5", "events", 5})

    explicit Marker(Params& params) {
        label_ = params.find<std::string>("label", "m");
        action_ = params.find<std::string>("action", "pass");
        on_send_ = params.find<bool>("on_send", false);
        seen_ = registerStatistic<uint64_t>("seen");
        hidden_ = registerStatistic<uint64_t>("hidden");
        journal.push_back("module " + getName() + " label=" + label_);
    }

    bool installOnSend() override { return on_send_; }
    bool installOnReceive() override { return !on_send_; }

    uintptr_t registerLinkAttachTool(const AttachPointMetaData& mdata) override { return note(mdata); }
    uintptr_t registerHandlerIntercept(const AttachPointMetaData& mdata) override { return note(mdata); }

    void eventSent(uintptr_t, Event*& ev) override { act(ev); }
    void interceptHandler(uintptr_t, Event*& data, bool& cancel) override {
        act(data);
        cancel = data == nullptr;
    }

private:
    uintptr_t note(const AttachPointMetaData& mdata) {
        const auto& md = dynamic_cast<const EventHandlerMetaData&>(mdata);
        journal.push_back("attach " + label_ + " at " + md.comp_name + "/" + md.port_name);
        return 0;
    }

    void act(Event*& ev) {
        seen_->addData(1);
        hidden_->addData(1);
        auto* event = static_cast<TrailEvent*>(ev);
        journal.push_back(label_ + " sees '" + event->trail + "' at " + std::to_string(getCurrentSimCycle()));
        if (action_ == "modify") {
            event->trail += label_;
        } else if (action_ == "replace") {
            Event* fresh = new TrailEvent(label_ + "-new");
            fresh->copyAllDeliveryInfo(ev);
            delete ev;
            ev = fresh;
        } else if (action_ == "drop") {
            delete ev;
            ev = nullptr;
        }
    }

    std::string label_, action_;
    bool on_send_ = false;
    Statistic<uint64_t>* seen_;
    Statistic<uint64_t>* hidden_;
};

// Configures "out" for the parent that shares its ports.
class PortTaker : public SubComponent {
public:
    SST_ELI_REGISTER_SUBCOMPONENT_API(PortTaker)
    SST_ELI_REGISTER_SUBCOMPONENT(PortTaker, "utest_pm", "taker", SST_ELI_ELEMENT_VERSION(1, 0, 0), "", PortTaker)
    PortTaker(ComponentId_t id, Params&) : SubComponent(id) { out = configureLink("out", "1ns"); }
    Link* out;
};

// Sends `count` events at setup, the i-th with a delay of i ns.
class Source : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Source, "utest_pm", "source", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"count", "", "3"}, {"via_sub", "", "false"})
    SST_ELI_DOCUMENT_PORTS({"out", "", {}}, {"spare", "never connected by the tests", {}})
    SST_ELI_DOCUMENT_SUBCOMPONENT_SLOTS({"taker", "", "PortTaker"})

    Source(ComponentId_t id, Params& params) : Component(id) {
        count_ = params.find<int>("count", 3);
        if (params.find<bool>("via_sub", false))
            out_ =
                loadAnonymousSubComponent<PortTaker>("utest_pm.taker", "taker", 0, ComponentInfo::SHARE_PORTS, params)
                    ->out;
        else
            out_ = configureLink("out", "1ns");
    }
    void setup() override {
        for (int i = 0; i < count_; ++i)
            out_->send(i, new TrailEvent(std::to_string(i) + ":"));
    }

private:
    int count_;
    Link* out_;
};

class Sink : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Sink, "utest_pm", "sink", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"polling", "", "false"})
    SST_ELI_DOCUMENT_PORTS({"in", "", {}})

    Sink(ComponentId_t id, Params& params) : Component(id) {
        if (params.find<bool>("polling", false)) {
            configureLink("in");
        } else {
            Link* in = configureLink("in", new Event::Handler<Sink, &Sink::first>(this));
            // As coreTest_PortModule does: receive-side modules must stay with the new handler.
            in->replaceFunctor(new Event::Handler<Sink, &Sink::receive>(this));
        }
    }
    void first(Event* ev) {
        journal.push_back("the replaced handler was called");
        delete ev;
    }
    void receive(Event* ev) {
        journal.push_back("sink got '" + static_cast<TrailEvent*>(ev)->trail + "' at " +
                          std::to_string(getCurrentSimCycle()));
        delete ev;
    }
};

class PortModules : public ::testing::Test {
protected:
    void SetUp() override {
        journal.clear();
        src = &graph.addComponent("src", "utest_pm.source");
        sink = &graph.addComponent("sink", "utest_pm.sink");
        wire(graph, src->id, "out", "5ns", sink->id, "in", "5ns");
    }
    Params marker(const std::string& label, const std::string& action, bool on_send = false) {
        Params p;
        p.insert("label", label);
        p.insert("action", action);
        p.insert("on_send", on_send ? "true" : "false");
        return p;
    }
    std::vector<std::string> sinkLines() const {
        std::vector<std::string> lines;
        for (const std::string& line : journal)
            if (line.rfind("sink got", 0) == 0 || line.rfind("the replaced", 0) == 0)
                lines.push_back(line);
        return lines;
    }
    Core::ConfigGraph graph;
    Core::ConfigComponent* src;
    Core::ConfigComponent* sink;
};

TEST_F(PortModules, ReceiveSideModulesRunInConfigurationOrderAndModify) {
    src->addParam("count", "2");
    sink->addPortModule("in", "utest_pm.marker", marker("A", "modify"));
    sink->addPortModule("in", "utest_pm.marker", marker("B", "modify"));
    runQuietly(graph);
    EXPECT_EQ(journal,
              (std::vector<std::string>{"module sink.in.0 label=A", "attach A at sink/in", "module sink.in.1 label=B",
                                        "attach B at sink/in", "A sees '0:' at 5000", "B sees '0:A' at 5000",
                                        "sink got '0:AB' at 5000", "A sees '1:' at 6000", "B sees '1:A' at 6000",
                                        "sink got '1:AB' at 6000"}));
}

TEST_F(PortModules, SendSideModulesSeeEventsAtSendTimeBeforeReceiveSideOnes) {
    src->addParam("count", "1");
    src->addPortModule("out", "utest_pm.marker", marker("S", "modify", true));
    sink->addPortModule("in", "utest_pm.marker", marker("R", "modify"));
    runQuietly(graph);
    EXPECT_EQ(journal, (std::vector<std::string>{"module src.out.0 label=S", "attach S at src/out",
                                                 "module sink.in.0 label=R", "attach R at sink/in", "S sees '0:' at 0",
                                                 "R sees '0:S' at 5000", "sink got '0:SR' at 5000"}));
}

TEST_F(PortModules, ReplacedEventsKeepTheirDeliveryTimeOnBothSides) {
    src->addPortModule("out", "utest_pm.marker", marker("S", "replace", true));
    runQuietly(graph);
    EXPECT_EQ(sinkLines(), (std::vector<std::string>{"sink got 'S-new' at 5000", "sink got 'S-new' at 6000",
                                                     "sink got 'S-new' at 7000"}));
    journal.clear();
    Core::ConfigGraph second;
    auto& a = second.addComponent("src", "utest_pm.source");
    auto& b = second.addComponent("sink", "utest_pm.sink");
    wire(second, a.id, "out", "2ns", b.id, "in", "2ns");
    b.addPortModule("in", "utest_pm.marker", marker("R", "replace"));
    runQuietly(second);
    EXPECT_EQ(sinkLines(), (std::vector<std::string>{"sink got 'R-new' at 2000", "sink got 'R-new' at 3000",
                                                     "sink got 'R-new' at 4000"}));
}

TEST_F(PortModules, DroppedOnSendNeverArrive) {
    src->addPortModule("out", "utest_pm.marker", marker("S", "drop", true));
    sink->addPortModule("in", "utest_pm.marker", marker("R", "pass"));
    runQuietly(graph);
    EXPECT_TRUE(sinkLines().empty());
    for (const std::string& line : journal)
        EXPECT_EQ(line.rfind("R sees", 0), std::string::npos) << line;
}

TEST_F(PortModules, CancelledOnReceiveSkipsLaterModulesAndTheHandler) {
    src->addParam("count", "1");
    sink->addPortModule("in", "utest_pm.marker", marker("A", "drop"));
    sink->addPortModule("in", "utest_pm.marker", marker("B", "pass"));
    runQuietly(graph);
    EXPECT_EQ(journal,
              (std::vector<std::string>{"module sink.in.0 label=A", "attach A at sink/in", "module sink.in.1 label=B",
                                        "attach B at sink/in", "A sees '0:' at 5000"}));
}

TEST_F(PortModules, AModuleFollowsAPortSharedWithASubComponent) {
    src->addParam("count", "1");
    src->addParam("via_sub", "true");
    src->addPortModule("out", "utest_pm.marker", marker("S", "modify", true));
    runQuietly(graph, "", false);
    // The anonymous subcomponent configures the port, so the module is its (named after the parent).
    EXPECT_EQ(journal, (std::vector<std::string>{"module src.out.0 label=S", "attach S at src/out", "S sees '0:' at 0",
                                                 "sink got '0:S' at 5000"}));
}

TEST_F(PortModules, StatisticsFollowTheModulesLoadLevelOrAreEnabledByName) {
    src->addParam("count", "2");
    Core::ConfigPortModule& by_level = src->port_modules["out"].emplace_back();
    by_level.type = "utest_pm.marker";
    by_level.params = marker("S", "pass", true);
    by_level.statistic_load_level = 2;  // "seen" (2) yes, "hidden" (5) no
    sink->addPortModule("in", "utest_pm.marker", marker("R", "pass"));
    Core::ConfigPortModule& by_name = sink->port_modules["in"].back();
    by_name.enabled_statistics["hidden"] = Params();  // program level 0: only this one
    testing::internal::CaptureStdout();
    runQuietly(graph);
    const std::string out = testing::internal::GetCapturedStdout();
    EXPECT_NE(out.find(" src.out.0.seen : Accumulator : Sum.u64 = 2;"), std::string::npos) << out;
    EXPECT_NE(out.find(" sink.in.0.hidden : Accumulator : Sum.u64 = 2;"), std::string::npos) << out;
    EXPECT_EQ(out.find("src.out.0.hidden"), std::string::npos) << out;
    EXPECT_EQ(out.find("sink.in.0.seen"), std::string::npos) << out;
}

TEST_F(PortModules, TheProgramLoadLevelAppliesToModulesWithoutTheirOwn) {
    src->addParam("count", "1");
    sink->addPortModule("in", "utest_pm.marker", marker("R", "pass"));
    graph.statistic_output.load_level = 5;
    testing::internal::CaptureStdout();
    runQuietly(graph);
    const std::string out = testing::internal::GetCapturedStdout();
    EXPECT_NE(out.find(" sink.in.0.seen : Accumulator : Sum.u64 = 1;"), std::string::npos) << out;
    EXPECT_NE(out.find(" sink.in.0.hidden : Accumulator : Sum.u64 = 1;"), std::string::npos) << out;
}

// The arrival times random_drop let through, for a seed.
std::vector<std::string> randomDropSurvivors(const std::string& seed, int count, bool on_send) {
    journal.clear();
    Core::ConfigGraph graph;
    auto& src = graph.addComponent("src", "utest_pm.source");
    auto& sink = graph.addComponent("sink", "utest_pm.sink");
    src.addParam("count", std::to_string(count));
    wire(graph, src.id, "out", "1ns", sink.id, "in", "1ns");
    Params p;
    p.insert("drop_prob", "0.5");
    p.insert("rngseed", seed);
    p.insert("drop_on_send", on_send ? "true" : "false");
    (on_send ? src : sink).addPortModule(on_send ? "out" : "in", "sst.portmodules.random_drop", p);
    runQuietly(graph);
    std::vector<std::string> got;
    for (const std::string& line : journal)
        if (line.rfind("sink got", 0) == 0)
            got.push_back(line);
    return got;
}

TEST(RandomDrop, DropsWhatSstCoresGeneratorDrawsForTheSeed) {
    // sst-core seeds MarsagliaRNG with (rngseed, 13) and draws once per event.
    for (bool on_send : {false, true}) {
        RNG::MarsagliaRNG rng(7, 13);
        rng.restart(11, 13);
        std::vector<std::string> expected;
        for (int i = 0; i < 40; ++i)
            if (!(rng.nextUniform() < 0.5))
                expected.push_back("sink got '" + std::to_string(i) + ":' at " + std::to_string(1000 * (i + 1)));
        const std::vector<std::string> got = randomDropSurvivors("11", 40, on_send);
        EXPECT_EQ(got, expected) << (on_send ? "send" : "receive");
        EXPECT_GT(got.size(), 5u);
        EXPECT_LT(got.size(), 35u);
    }
}

TEST(RandomDrop, TheSameSeedDropsTheSameEventsAndAnotherDoesNot) {
    const auto first = randomDropSurvivors("3", 40, false);
    EXPECT_EQ(randomDropSurvivors("3", 40, false), first);
    EXPECT_NE(randomDropSurvivors("4", 40, false), first);
}

class PortModuleConfigErrors : public PortModules {
protected:
    std::string buildError() {
        try {
            runQuietly(graph);
        } catch (const Core::ConfigError& e) {
            return e.what();
        }
        return "(no error)";
    }
};

TEST_F(PortModuleConfigErrors, UnknownTypeIsRefused) {
    sink->addPortModule("in", "utest_pm.nosuch", Params());
    EXPECT_NE(buildError().find("unknown component type 'utest_pm.nosuch'"), std::string::npos) << buildError();
}

TEST_F(PortModuleConfigErrors, AComponentTypeIsNotAPortModule) {
    sink->addPortModule("in", "utest_pm.sink", Params());
    EXPECT_NE(buildError().find("'utest_pm.sink' is not a port module"), std::string::npos) << buildError();
}

TEST_F(PortModuleConfigErrors, UndocumentedPortIsRefused) {
    sink->addPortModule("inn", "utest_pm.marker", Params());
    EXPECT_NE(buildError().find("has no port 'inn'; documented ports: in"), std::string::npos) << buildError();
}

TEST_F(PortModuleConfigErrors, UnconnectedPortIsRefused) {
    src->addPortModule("spare", "utest_pm.marker", Params());
    EXPECT_NE(buildError().find("port 'spare' of component 'src' (type utest_pm.source): the port is not connected"),
              std::string::npos)
        << buildError();
}

TEST_F(PortModuleConfigErrors, UnknownStatisticIsRefused) {
    sink->addPortModule("in", "utest_pm.marker", Params());
    sink->port_modules["in"].back().enabled_statistics["nosuch"] = Params();
    sink->port_modules["in"].back().enabled_statistics_where["nosuch"] = {};
    EXPECT_NE(buildError().find("unknown statistic 'nosuch'; documented statistics: seen, hidden"), std::string::npos)
        << buildError();
}

TEST_F(PortModuleConfigErrors, AReceiveModuleOnAPollingLinkIsFatal) {
    sink->addParam("polling", "true");
    sink->addPortModule("in", "utest_pm.marker", Params());
    EXPECT_EXIT(runQuietly(graph), ::testing::ExitedWithCode(1), "port 'in' of component 'sink'.*polling link");
}

}  // namespace

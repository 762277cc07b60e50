// Clocks: cycle numbering, removal by returning true, unregister, reregister, shared tickers,
// and no ticks while a clock has no handlers.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;

namespace {

struct Tick {
    std::string component;
    Cycle_t cycle;
    SimTime_t time;
    bool operator==(const Tick& o) const { return component == o.component && cycle == o.cycle && time == o.time; }
};
std::ostream& operator<<(std::ostream& os, const Tick& t) {
    return os << t.component << " cycle " << t.cycle << " at " << t.time;
}

std::vector<Tick> ticks;
std::vector<Cycle_t> reregistered_at;

// Clock at `period`; the handler leaves the clock at the cycles in stop_cycles (by returning
// true, or by unregisterClock when unregister is set).  At reregister_at a self-link event puts
// the handler back.  At cycle add_at the handler registers a second one on the same clock.
class ClockProbe : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(ClockProbe, "utest_clock", "probe", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"period", "", "1ns"}, {"stop_cycles", "", "[]"}, {"reregister_at", "", ""},
                            {"unregister", "", "false"}, {"add_at", "", "0"})

    ClockProbe(ComponentId_t id, Params& params) : Component(id) {
        params.find_array("stop_cycles", stop_cycles_);
        unregister_ = params.find<bool>("unregister", false);
        add_at_ = params.find<Cycle_t>("add_at", 0);
        handler_ = new Clock::Handler<ClockProbe, &ClockProbe::tick>(this);
        clock_ = registerClock(params.find<std::string>("period", "1ns"), handler_);
        EXPECT_EQ(getNextClockCycle(clock_), 1u);
        timer_ = configureSelfLink("timer", "1ps", new Event::Handler<ClockProbe, &ClockProbe::wake>(this));
        const std::string at = params.find<std::string>("reregister_at", "");
        if (!at.empty())
            reregister_at_ = TimeConverter(at).getFactor();
    }

    void setup() override {
        if (reregister_at_)
            timer_->send(reregister_at_, new EmptyEvent());
    }

private:
    bool tick(Cycle_t cycle) {
        ticks.push_back({getName(), cycle, getCurrentSimCycle()});
        EXPECT_EQ(getCurrentSimTime(), cycle);  // the default time base is the clock's
        if (cycle == add_at_)
            registerClock(clock_, new Clock::Handler<ClockProbe, &ClockProbe::extraTick>(this));
        bool stop = false;
        for (Cycle_t c : stop_cycles_)
            stop = stop || c == cycle;
        if (stop && unregister_) {
            unregisterClock(clock_, handler_);
            return false;
        }
        return stop;
    }

    // One call, then off the clock.
    bool extraTick(Cycle_t cycle) {
        ticks.push_back({getName() + "+extra", cycle, getCurrentSimCycle()});
        return true;
    }

    void wake(Event* ev) {
        delete ev;
        reregistered_at.push_back(reregisterClock(clock_, handler_));
    }

    std::vector<Cycle_t> stop_cycles_;
    bool unregister_;
    Cycle_t add_at_;
    Clock::HandlerBase* handler_;
    TimeConverter clock_;
    Link* timer_;
    SimTime_t reregister_at_ = 0;
};

class ClockTest : public ::testing::Test {
protected:
    void SetUp() override {
        ticks.clear();
        reregistered_at.clear();
    }
};

Core::ConfigComponent& addProbe(Core::ConfigGraph& graph, const std::string& name, const std::string& period,
                                const std::string& stop_cycles) {
    auto& probe = graph.addComponent(name, "utest_clock.probe");
    probe.addParam("period", period);
    probe.addParam("stop_cycles", stop_cycles);
    return probe;
}

}  // namespace

TEST_F(ClockTest, FirstTickIsCycleOneAfterOnePeriod) {
    Core::ConfigGraph graph;
    addProbe(graph, "c", "1GHz", "[3]");
    const auto report = runQuietly(graph);
    EXPECT_EQ(ticks, (std::vector<Tick>{{"c", 1, 1000}, {"c", 2, 2000}, {"c", 3, 3000}}));
    EXPECT_EQ(report.end_time, 3000u);
    EXPECT_EQ(report.dispatched, 3u);  // no tick after the last handler left
}

TEST_F(ClockTest, HandlersOfOnePeriodShareOneClockInRegistrationOrder) {
    Core::ConfigGraph graph;
    addProbe(graph, "a", "2ns", "[2]");
    addProbe(graph, "b", "2ns", "[3]");
    const auto report = runQuietly(graph);
    const std::vector<Tick> expected = {
        {"a", 1, 2000}, {"b", 1, 2000}, {"a", 2, 4000}, {"b", 2, 4000}, {"b", 3, 6000},
    };
    EXPECT_EQ(ticks, expected);
    EXPECT_EQ(report.dispatched, 3u);  // three ticks of the one shared clock
}

TEST_F(ClockTest, UnregisterClockStopsTheHandler) {
    Core::ConfigGraph graph;
    addProbe(graph, "c", "1ns", "[2]").addParam("unregister", "true");
    const auto report = runQuietly(graph);
    EXPECT_EQ(ticks.size(), 2u);
    EXPECT_EQ(report.end_time, 2000u);
}

TEST_F(ClockTest, ReregisterResumesAtTheNextCycleBoundary) {
    Core::ConfigGraph graph;
    addProbe(graph, "c", "10ns", "[2, 4]").addParam("reregister_at", "35ns");
    const auto report = runQuietly(graph);
    EXPECT_EQ(ticks, (std::vector<Tick>{{"c", 1, 10000}, {"c", 2, 20000}, {"c", 4, 40000}}));
    EXPECT_EQ(reregistered_at, std::vector<Cycle_t>{4});
    // Ticks at 10, 20, 40 ns plus the wake-up event; nothing while the clock was idle.
    EXPECT_EQ(report.dispatched, 4u);
    EXPECT_EQ(report.end_time, 40000u);
}

TEST_F(ClockTest, ClocksOfDifferentPeriodsInterleaveInTimeOrder) {
    Core::ConfigGraph graph;
    addProbe(graph, "fast", "2ns", "[3]");
    addProbe(graph, "slow", "3ns", "[2]");
    runQuietly(graph);
    std::vector<SimTime_t> times;
    for (const Tick& t : ticks)
        times.push_back(t.time);
    EXPECT_EQ(times, (std::vector<SimTime_t>{2000, 3000, 4000, 6000, 6000}));
}

TEST_F(ClockTest, HandlerAddedDuringATickFirstRunsAtTheNextTick) {
    Core::ConfigGraph graph;
    addProbe(graph, "c", "1ns", "[3]").addParam("add_at", "2");
    runQuietly(graph);
    const std::vector<Tick> expected = {
        {"c", 1, 1000},
        {"c", 2, 2000},
        {"c", 3, 3000},
        {"c+extra", 3, 3000},
    };
    EXPECT_EQ(ticks, expected);
}

// A 60 s clock that never stops runs past 2^64 ps (about 213 days) in 307,445 ticks: the next
// tick's time wraps round to the past, and the run ends with the reason instead of going on
// backwards (sst-core's test_Component_time_overflow).
TEST_F(ClockTest, TimeRunningPastTwoToTheSixtyFourPicosecondsEndsTheRun) {
    Core::ConfigGraph graph;
    addProbe(graph, "slow", "60s", "[]");
    EXPECT_EXIT(runQuietly(graph), testing::ExitedWithCode(1), "time fault: .* overflowed its 64-bit count");
}

// When a run ends: primary components, --stop-at, and an empty queue; and what is reported.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;

namespace {

std::vector<Cycle_t> forever_cycles;

// Ticks every nanosecond and never leaves its clock.
class Forever : public Component
{
public:
    SST_ELI_REGISTER_COMPONENT(Forever, "utest_end", "forever", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
        COMPONENT_CATEGORY_UNCATEGORIZED)

    Forever(ComponentId_t id, Params&) : Component(id)
    {
        registerClock("1GHz", new Clock::Handler<Forever, &Forever::tick>(this));
    }

private:
    bool tick(Cycle_t cycle)
    {
        forever_cycles.push_back(cycle);
        return false;
    }
};

// A primary component that holds the simulation open until `done_at`.  With `hold` false it
// registers as primary but never holds.
class Worker : public Component
{
public:
    SST_ELI_REGISTER_COMPONENT(Worker, "utest_end", "worker", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
        COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({ "done_at", "", "10ns" }, { "hold", "", "true" })

    Worker(ComponentId_t id, Params& params) : Component(id)
    {
        registerAsPrimaryComponent();
        if ( params.find<bool>("hold", true) ) primaryComponentDoNotEndSim();
        done_at_ = params.find<std::string>("done_at", "10ns");
        timer_   = configureSelfLink("timer", new Event::Handler<Worker, &Worker::done>(this));
    }

    void setup() override { timer_->send(1, TimeConverter(done_at_), new EmptyEvent()); }

private:
    void done(Event* ev)
    {
        delete ev;
        primaryComponentOKToEndSim();
    }

    std::string done_at_;
    Link*       timer_;
};

class SimulationEnd : public ::testing::Test
{
protected:
    void SetUp() override { forever_cycles.clear(); }
};

} // namespace

TEST_F(SimulationEnd, EndsWhenTheLastPrimaryComponentAllowsIt)
{
    Core::ConfigGraph graph;
    graph.addComponent("w1", "utest_end.worker").addParam("done_at", "10ns");
    graph.addComponent("w2", "utest_end.worker").addParam("done_at", "30ns");
    graph.addComponent("clock", "utest_end.forever");
    const auto report = runQuietly(graph);
    EXPECT_EQ(report.reason, Core::EndReason::PrimaryDone);
    EXPECT_EQ(report.end_time, 30000u);
    // Clocks tick before events at the same time, so cycle 30 ran.
    EXPECT_EQ(forever_cycles.back(), 30u);
}

TEST_F(SimulationEnd, StopAtEndsBeforeAnythingAtThatTime)
{
    Core::ConfigGraph graph;
    graph.addComponent("clock", "utest_end.forever");
    const auto report = runQuietly(graph, "100ns");
    EXPECT_EQ(report.reason, Core::EndReason::StopTime);
    EXPECT_EQ(report.end_time, 100000u);
    ASSERT_EQ(forever_cycles.size(), 99u);
    EXPECT_EQ(forever_cycles.back(), 99u);
}

TEST_F(SimulationEnd, StopAtEndsEvenWhilePrimaryComponentsHold)
{
    Core::ConfigGraph graph;
    graph.addComponent("w", "utest_end.worker").addParam("done_at", "1us");
    const auto report = runQuietly(graph, "500ns");
    EXPECT_EQ(report.reason, Core::EndReason::StopTime);
    EXPECT_EQ(report.end_time, 500000u);
}

TEST_F(SimulationEnd, PrimaryThatNeverHoldsLeavesTheEndToTheQueue)
{
    Core::ConfigGraph graph;
    auto&             worker = graph.addComponent("w", "utest_end.worker");
    worker.addParam("hold", "false");
    worker.addParam("done_at", "40ns");
    const auto report = runQuietly(graph);
    EXPECT_EQ(report.reason, Core::EndReason::QueueEmpty);
    EXPECT_EQ(report.end_time, 40000u);
}

TEST_F(SimulationEnd, PrintsTheSimulatedTime)
{
    Core::ConfigGraph graph;
    graph.addComponent("w", "utest_end.worker").addParam("done_at", "1234ns");
    Core::ProgramOptions options;
    testing::internal::CaptureStdout();
    Core::runSimulation(graph, options);
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "Simulation is complete, simulated time: 1.234 us\n");
}

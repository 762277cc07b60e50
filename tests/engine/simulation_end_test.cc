// When a run ends: primary components, --stop-at, and an empty queue; and what is reported.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;

namespace {

std::vector<Cycle_t> forever_cycles;

// Ticks every nanosecond and never leaves its clock.
class Forever : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Forever, "utest_end", "forever", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)

    Forever(ComponentId_t id, Params&) : Component(id) {
        registerClock("1GHz", new Clock::Handler<Forever, &Forever::tick>(this));
    }

private:
    bool tick(Cycle_t cycle) {
        forever_cycles.push_back(cycle);
        return false;
    }
};

// A primary component that holds the simulation open until `done_at`.  With `hold` false it
// registers as primary but never holds.
class Worker : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Worker, "utest_end", "worker", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"done_at", "", "10ns"}, {"hold", "", "true"})

    Worker(ComponentId_t id, Params& params) : Component(id) {
        registerAsPrimaryComponent();
        if (params.find<bool>("hold", true))
            primaryComponentDoNotEndSim();
        done_at_ = params.find<std::string>("done_at", "10ns");
        timer_ = configureSelfLink("timer", new Event::Handler<Worker, &Worker::done>(this));
    }

    void setup() override { timer_->send(1, TimeConverter(done_at_), new EmptyEvent()); }

private:
    void done(Event* ev) {
        delete ev;
        primaryComponentOKToEndSim();
    }

    std::string done_at_;
    Link* timer_;
};

struct InterrupterLog {
    std::vector<Cycle_t> ticks;
    bool finished = false;
    int poll_rc = 1;  // what the blocking poll() returned
    int poll_errno = 0;
} interrupter_log;

// Ticks every nanosecond and, at cycle `at`, raises `signal` (`times` times); with `then_block`
// it then blocks in poll() on a pipe nobody writes, as a component waiting for another process.
class Interrupter : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Interrupter, "utest_end", "interrupter", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"signal", "", "2"}, {"at", "", "5"}, {"times", "", "1"}, {"then_block", "", "false"})
    SST_ELI_DOCUMENT_STATISTICS({"ticks", "clock ticks", "ticks", 1})

    Interrupter(ComponentId_t id, Params& params) : Component(id) {
        signal_ = params.find<int>("signal", SIGINT);
        at_ = params.find<Cycle_t>("at", 5);
        times_ = params.find<int>("times", 1);
        then_block_ = params.find<bool>("then_block", false);
        ticks_ = registerStatistic<uint64_t>("ticks");
        registerClock("1GHz", new Clock::Handler<Interrupter, &Interrupter::tick>(this));
    }

    void finish() override { interrupter_log.finished = true; }

private:
    bool tick(Cycle_t cycle) {
        interrupter_log.ticks.push_back(cycle);
        ticks_->addData(1);
        if (cycle != at_)
            return false;
        for (int i = 0; i < times_; i++)
            raise(signal_);
        if (then_block_) {
            // The signal came before the call: only the engine's follow-up interruption ends it.
            int fds[2];
            EXPECT_EQ(pipe(fds), 0);
            pollfd never{fds[0], POLLIN, 0};
            interrupter_log.poll_rc = poll(&never, 1, 30000);
            interrupter_log.poll_errno = errno;
            close(fds[0]);
            close(fds[1]);
        }
        return false;
    }

    int signal_;
    Cycle_t at_;
    int times_;
    bool then_block_;
    Statistics::Statistic<uint64_t>* ticks_;
};

Core::ConfigGraph interrupterGraph(int signal, bool then_block = false, int times = 1) {
    Core::ConfigGraph graph;
    auto& interrupter = graph.addComponent("int", "utest_end.interrupter");
    interrupter.addParam("signal", std::to_string(signal));
    interrupter.addParam("then_block", then_block ? "true" : "false");
    interrupter.addParam("times", std::to_string(times));
    interrupter.enableStatistic("ticks", Params());
    return graph;
}

struct InterruptedRun {
    Core::RunReport report;
    std::string out;
    std::string err;
};

InterruptedRun runCapturing(const Core::ConfigGraph& graph) {
    Core::ProgramOptions options;
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    InterruptedRun run;
    run.report = Core::runSimulation(graph, options);
    run.out = EngineTest::withoutLinklessWarnings(testing::internal::GetCapturedStdout());
    run.err = testing::internal::GetCapturedStderr();
    return run;
}

bool defaultAction(int signal) {
    struct sigaction now {};
    sigaction(signal, nullptr, &now);
    return now.sa_handler == SIG_DFL;
}

class SimulationEnd : public ::testing::Test {
protected:
    void SetUp() override {
        forever_cycles.clear();
        interrupter_log = {};
    }
};

}  // namespace

TEST_F(SimulationEnd, EndsWhenTheLastPrimaryComponentAllowsIt) {
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

TEST_F(SimulationEnd, StopAtEndsBeforeAnythingAtThatTime) {
    Core::ConfigGraph graph;
    graph.addComponent("clock", "utest_end.forever");
    const auto report = runQuietly(graph, "100ns");
    EXPECT_EQ(report.reason, Core::EndReason::StopTime);
    EXPECT_EQ(report.end_time, 100000u);
    ASSERT_EQ(forever_cycles.size(), 99u);
    EXPECT_EQ(forever_cycles.back(), 99u);
}

TEST_F(SimulationEnd, StopAtEndsEvenWhilePrimaryComponentsHold) {
    Core::ConfigGraph graph;
    graph.addComponent("w", "utest_end.worker").addParam("done_at", "1us");
    const auto report = runQuietly(graph, "500ns");
    EXPECT_EQ(report.reason, Core::EndReason::StopTime);
    EXPECT_EQ(report.end_time, 500000u);
}

TEST_F(SimulationEnd, PrimaryThatNeverHoldsLeavesTheEndToTheQueue) {
    Core::ConfigGraph graph;
    auto& worker = graph.addComponent("w", "utest_end.worker");
    worker.addParam("hold", "false");
    worker.addParam("done_at", "40ns");
    const auto report = runQuietly(graph);
    EXPECT_EQ(report.reason, Core::EndReason::QueueEmpty);
    EXPECT_EQ(report.end_time, 40000u);
}

TEST_F(SimulationEnd, PrintsTheSimulatedTime) {
    Core::ConfigGraph graph;
    graph.addComponent("w", "utest_end.worker").addParam("done_at", "1234ns");
    Core::ProgramOptions options;
    testing::internal::CaptureStdout();
    Core::runSimulation(graph, options);
    EXPECT_EQ(testing::internal::GetCapturedStdout(),
              "WARNING: Building component \"w\" with no links assigned.\n"  // as SST says it
              "Simulation is complete, simulated time: 1.234 us\n");
}

// As in SST, a stop time is reached even when nothing is left to do before it.
TEST_F(SimulationEnd, StopTimeIsReachedWithNothingLeftToDo) {
    Core::ConfigGraph graph;
    auto& worker = graph.addComponent("w", "utest_end.worker");
    worker.addParam("done_at", "1234ns");
    worker.addParam("hold", "false");  // the queue empties at 1234 ns with no one holding the end
    const Core::RunReport report = EngineTest::runQuietly(graph, "25us");
    EXPECT_EQ(report.end_time, 25000000u);
    EXPECT_EQ(report.reason, Core::EndReason::StopTime);
}

TEST_F(SimulationEnd, SignalEndsTheRunBeforeTheNextActivityAndFinishStillRuns) {
    const auto [report, out, err] = runCapturing(interrupterGraph(SIGINT));
    EXPECT_EQ(report.reason, Core::EndReason::Interrupted);
    EXPECT_EQ(report.signal, SIGINT);
    EXPECT_EQ(report.end_time, 5000u);
    EXPECT_EQ(interrupter_log.ticks, (std::vector<Cycle_t>{1, 2, 3, 4, 5}));
    EXPECT_TRUE(interrupter_log.finished);
    EXPECT_EQ(err, "qemu-sst: interrupted by SIGINT at simulated time 5 ns\n");
    // Statistics are written; the run is not called complete.
    EXPECT_EQ(out,
              " int.ticks : Accumulator : Sum.u64 = 5; SumSQ.u64 = 5; Count.u64 = 5; Min.u64 = 1; Max.u64 = 1; \n");
    EXPECT_TRUE(defaultAction(SIGINT)) << "the handler outlived the run";
    EXPECT_TRUE(defaultAction(SIGTERM));
}

TEST_F(SimulationEnd, SigtermToo) {
    const auto [report, out, err] = runCapturing(interrupterGraph(SIGTERM));
    EXPECT_EQ(err, "qemu-sst: interrupted by SIGTERM at simulated time 5 ns\n");
    EXPECT_EQ(report.signal, SIGTERM);
    EXPECT_EQ(report.end_time, 5000u);
}

// A signal that arrived just before a component blocked interrupted nothing; the engine keeps
// interrupting blocking calls until it can act, so the component gets EINTR, not a 30 s wait.
TEST_F(SimulationEnd, SignalJustBeforeABlockingCallStillInterruptsIt) {
    const auto [report, out, err] = runCapturing(interrupterGraph(SIGTERM, true));
    EXPECT_EQ(interrupter_log.poll_rc, -1);
    EXPECT_EQ(interrupter_log.poll_errno, EINTR);
    EXPECT_EQ(report.signal, SIGTERM);
}

TEST_F(SimulationEnd, RunsAfterAnInterruptedOneAreNotInterrupted) {
    runCapturing(interrupterGraph(SIGINT));
    Core::ConfigGraph graph;
    graph.addComponent("w", "utest_end.worker");
    const auto report = runQuietly(graph);
    EXPECT_EQ(report.reason, Core::EndReason::PrimaryDone);
    EXPECT_EQ(report.signal, 0);
}

TEST(SimulationEndDeathTest, SecondSignalEndsTheProcessAtOnce) {
    EXPECT_EXIT(runQuietly(interrupterGraph(SIGTERM, false, 2)), testing::ExitedWithCode(128 + SIGTERM),
                "^qemu-sst: a second signal: ending at once\n$");
}

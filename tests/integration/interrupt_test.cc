// SIGINT and SIGTERM sent to the runner during a whole run with the stand-in as QEMU: the run ends
// cleanly (one "interrupted" line, statistics written, QEMU stopped, socket directory removed)
// with status 128 + the signal, both while the bridge waits for QEMU and while it waits for QEMU
// to connect.
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <tuple>

#include "whole_run_test.h"

using namespace IntegrationTest;
using QemuSstTest::Background;

namespace {

// Generous for a machine busy with other tests; the waits end as soon as what they wait for happens.
constexpr int kWaitMs = 60000;

class InterruptTest : public WholeRunTest, public ::testing::WithParamInterface<std::tuple<int, std::string>> {
protected:
    InterruptTest() : WholeRunTest("qemu-sst-test", "bridge_test_config.py") {}

    int signal() const { return std::get<0>(GetParam()); }
    const std::string& mode() const { return std::get<1>(GetParam()); }
    std::string signalName() const { return signal() == SIGINT ? "SIGINT" : "SIGTERM"; }

    // Sends the signal to the runner alone (not its process group) and waits for the run to end.
    // Returns its output; `exit_code` gets its status.
    std::string interrupt(Background& run, const std::string& ready_line, int& exit_code) {
        if (!run.waitForOutput(ready_line, kWaitMs)) {
            ADD_FAILURE() << "never saw '" << ready_line << "':\n" << run.output();
            return run.output();
        }
        qemu_ = QemuSstTest::childrenOf(run.pid());
        EXPECT_EQ(qemu_.size(), 1u) << "the stand-in should be the runner's only child";
        EXPECT_EQ(kill(run.pid(), signal()), 0);
        const auto code = run.wait(kWaitMs);
        EXPECT_TRUE(code.has_value()) << "still running after " << signalName() << ":\n" << run.output();
        exit_code = code.value_or(-1);
        return run.output();
    }

    // What every interrupted run must show.
    void expectEndedCleanly(const std::string& out, int exit_code, const std::string& script) {
        EXPECT_EQ(exit_code, 128 + signal()) << out;
        EXPECT_EQ(occurrences(out, "interrupted"), 1u) << out;
        EXPECT_TRUE(contains(out, "qemu-sst: interrupted by " + signalName() + " at simulated time ")) << out;
        EXPECT_FALSE(contains(out, "FATAL")) << out;
        EXPECT_FALSE(contains(out, "Simulation is complete")) << out;
        // finish() stopped QEMU: the simulator's own exit would not have printed this.
        EXPECT_TRUE(contains(out, "simulation ended before QEMU: stopped it (it was killed by signal 15")) << out;
        for (pid_t pid : qemu_) {
            EXPECT_FALSE(QemuSstTest::processAlive(pid)) << "stand-in " << pid << " outlived the run";
        }
        expectCleanedUp(script);
    }

    std::vector<pid_t> qemu_;
};

TEST_P(InterruptTest, WhileWaitingForQemuEndsWithStatistics) {
    // The guest makes two accesses, then hangs: the bridge is left waiting for QEMU's next frame.
    const std::string script =
        writeScript("write 0 0x08 8 5\nread 0 0x08 8 expect 5\nprint guest: hanging now\nhang\n");
    const std::string csv = dir_ + "/stats.csv";
    Background run;
    startInBackground(run, script, {"--devices", "echo", "--mode", mode(), "--stats-csv", csv});
    int exit_code = -1;
    const std::string out = interrupt(run, "guest: hanging now\n", exit_code);
    expectEndedCleanly(out, exit_code, script);
    const std::string stats = readFile(csv);
    EXPECT_EQ(csvField(stats, "qemu", "writes", "echo0", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "reads", "echo0", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "bytes_read", "echo0", "Sum.u64"), "8") << stats;
    EXPECT_EQ(csvField(stats, "echo0", "writes", "", "Count.u64"), "1") << stats;
}

TEST_P(InterruptTest, WhileWaitingForQemuToConnectEndsAtOnce) {
    // QEMU never connects the device, so the bridge is still starting (connect_timeout is 5 s: an
    // interruption that did not work would end in a FATAL timeout instead).
    const std::string script = writeScript("option skip-connect 0\nprint guest: not connecting\nhang\n");
    Background run;
    startInBackground(run, script, {"--devices", "echo", "--mode", mode()});
    int exit_code = -1;
    const std::string out = interrupt(run, "guest: not connecting\n", exit_code);
    expectEndedCleanly(out, exit_code, script);
    EXPECT_FALSE(contains(out, "Device echo0 connected")) << out;
}

INSTANTIATE_TEST_SUITE_P(SignalsAndModes, InterruptTest,
                         ::testing::Combine(::testing::Values(SIGINT, SIGTERM),
                                            ::testing::Values("deterministic", "fast")),
                         [](const auto& info) {
                             return std::string(std::get<0>(info.param) == SIGINT ? "Sigint" : "Sigterm") + "_" +
                                    std::get<1>(info.param);
                         });

}  // namespace

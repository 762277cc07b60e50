// Deterministic mode on the real QEMU: the same program and config, run three times, print the same
// measurements (cycles, ns) and write the same statistics, byte for byte, however busy the machine
// is.  One of the runs has every core kept busy by this process.
#include <regex>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

struct Case {
    std::string arch;
    std::string program;
    std::string config;    // in configs/
    std::string evidence;  // a line the output must contain, so the comparison is about something
};

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    return info.param.arch + "_" + info.param.program + "_" + info.param.config.substr(0, info.param.config.find('.'));
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.arch << " " << c.program << " " << c.config; }

// The guest's console: what comes before the bridge's closing lines ("<time>:qemu: ...").  At
// --verbose 0 the bridge prints nothing until QEMU has exited, so the two never interleave.
std::string guestConsole(const std::string& out) {
    std::smatch m;
    if (std::regex_search(out, m, std::regex("(^|\n)[0-9]+:qemu: "))) {
        return out.substr(0, size_t(m.position(0) + m.length(1)));
    }
    return out;
}

class DeterminismTest : public QemuTestBase, public ::testing::WithParamInterface<Case> {};

TEST_P(DeterminismTest, ThreeRunsAreIdenticalWhateverTheLoad) {
    const Case& c = GetParam();
    const std::string program =
        contains(c.program, "_small") ? smallGuestPath(c.program, c.arch) : guestPath(c.arch, c.program);
    ASSERT_TRUE(haveFile(program, "build the guest_programs target (guest/baremetal)"));
    const std::string config = "configs/" + c.config;
    std::vector<std::string> consoles, sim_times, stats;
    for (int run = 0; run < 3; run++) {
        const std::string csv = path("stats" + std::to_string(run) + ".csv");
        RunResult r;
        {
            // Run 1: both cores kept busy by this process; run 2: one.  Run 0 has the machine to itself.
            std::optional<CpuHog> hog;
            if (run > 0) {
                hog.emplace(run == 1 ? 2 : 1);
            }
            // --verbose 0: the bridge prints only after QEMU has exited, so the output is the guest's
            // console followed by the bridge's closing lines, in a fixed order.
            r = runToFile(runnerArgv(config, c.arch, program, "deterministic", 0, csv), runEnv(),
                          path("run" + std::to_string(run) + ".out"), 120);
        }
        ASSERT_FALSE(r.timed_out) << r.output;
        ASSERT_EQ(r.exit_code, 0) << r.output;
        consoles.push_back(guestConsole(r.output));
        EXPECT_TRUE(std::regex_search(consoles.back(), std::regex(c.evidence)))
            << "no '" << c.evidence << "' in the guest's output\n"
            << r.output;
        sim_times.push_back(firstMatch(r.output, "Simulation is complete, simulated time: ([^\n]+)"));
        EXPECT_NE(sim_times.back(), "") << r.output;
        stats.push_back(readFile(csv));
        ASSERT_TRUE(contains(stats.back(), "qemu,syncs,")) << stats.back();
    }
    for (int run = 1; run < 3; run++) {
        EXPECT_EQ(consoles[run], consoles[0]) << "guest output of run " << run << " differs from run 0";
        EXPECT_EQ(sim_times[run], sim_times[0]) << "simulated time of run " << run << " differs from run 0";
        EXPECT_EQ(stats[run], stats[0]) << "statistics of run " << run << " differ from run 0";
    }
}

const char kTwo[] = "test_2device_integration.py";
const char kFour[] = "qemu_4device_test.py";

INSTANTIATE_TEST_SUITE_P(
    Programs, DeterminismTest,
    ::testing::Values(
        Case{"rv64", "irq_test", kTwo,
             "\\[16\\] interrupt [0-9]+ ns after START, not before the 20-cycle operation: ok"},
        Case{"rv64", "irq_test", kFour,
             "\\[36\\] interrupt [0-9]+ ns after START, not before the 20-cycle operation: ok"},
        Case{"rv32", "irq_test", kTwo,
             "\\[16\\] interrupt [0-9]+ ns after START, not before the 20-cycle operation: ok"},
        Case{"rv64", "latency_test", kTwo, "rdtime : [0-9]+ ticks -> [0-9]+ ns of latency"},
        Case{"rv64", "throughput_small", kTwo,
             "throughput: 10000 4-byte reads of echo device 0 DATA\nthroughput: done, 0 mismatching reads"},
        Case{"rv64", "hello", kTwo, "200000 instructions: [0-9]+ cycles, [0-9]+ time ticks; time is deterministic"},
        // DMA lands with the guest stopped at the burst's time, whatever the host does meanwhile.
        Case{"rv64", "dma_test", "dma_accel.py", "copy 4194304 bytes \\(src\\+0, dst\\+0\\): ok, [0-9]+ cycles"},
        Case{"rv32", "accel_test", "dma_accel.py", "128x128 x 128x128: ok, [0-9]+ cycles"}),
    caseName);

// The bridge's closing lines must not depend on timing either: a normal exit never reports a lost
// channel, however late the last GOODBYEs are read.
class ClosingLinesTest : public QemuTestBase {};

TEST_F(ClosingLinesTest, NormalExitReportsNoLostChannel) {
    CpuHog hog(1, 1000000, 0);  // one core always busy
    for (int run = 0; run < 20; run++) {
        const RunResult r = runToFile(runnerArgv("configs/test_2device_integration.py", "rv64",
                                                 guestPath("rv64", "irq_test"), "deterministic", 0, ""),
                                      runEnv(), path("run.out"), 120);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        ASSERT_FALSE(contains(r.output, "closed without a goodbye")) << "run " << run << ":\n" << r.output;
    }
}

}  // namespace
}  // namespace QemuSstTest

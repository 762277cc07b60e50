// QEMU's sst-device against fake_sim (tests/qemu/fake_sim.c), a simulator stand-in that checks the
// time protocol of include/qemu-sst/mmio_protocol.h frame by frame: in deterministic mode no access
// at or past the granted horizon, no SYNC before it, nothing older than what came before, the
// modelled latency added to the guest clock.  fake_sim exits 3 on any violation and otherwise with
// QEMU's exit status (the guest's verdict).
#include <regex>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

struct Case {
    std::string name;
    std::string arch;
    std::string program;
    std::vector<std::string> options;  // fake_sim's
    std::string evidence;              // a line the guest must print
    long long min_syncs;               // at least this many SYNCs in the trace
    long long accesses = -1;           // exactly this many accesses (-1: at least one)
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string caseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

class FakeSimTest : public QemuTestBase {
protected:
    RunResult runFakeSim(const std::string& arch, const std::string& program, const std::vector<std::string>& options,
                         const std::string& trace = "") {
        std::vector<std::string> argv = {fakeSimPath()};
        if (!trace.empty()) {
            argv.insert(argv.end(), {"--trace", trace});
        }
        argv.insert(argv.end(), options.begin(), options.end());
        argv.insert(argv.end(), {"--", qemuPath(arch),
                                 contains(program, "_small") ? smallGuestPath(program) : guestPath(arch, program)});
        RunResult r = runToFile(argv, {}, path("fake_sim.out"), 120);
        EXPECT_FALSE(r.timed_out) << r.output;
        return r;
    }
};

class ProtocolTest : public FakeSimTest, public ::testing::WithParamInterface<Case> {};

TEST_P(ProtocolTest, QemuFollowsTheTimeProtocol) {
    const Case& c = GetParam();
    const std::string trace = path("trace");
    const RunResult r = runFakeSim(c.arch, c.program, c.options, trace);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(contains(r.output, "PROTOCOL VIOLATION")) << r.output;
    EXPECT_TRUE(contains(r.output, c.evidence)) << r.output;
    const std::string frames = readFile(trace);
    const long long accesses = std::atoll(firstMatch(frames, "\nEND accesses=([0-9]+)").c_str());
    const long long syncs = std::atoll(firstMatch(frames, "\nEND accesses=[0-9]+ syncs=([0-9]+)").c_str());
    if (c.accesses >= 0) {
        EXPECT_EQ(accesses, c.accesses) << r.output;
    } else {
        EXPECT_GT(accesses, 0) << r.output;
    }
    EXPECT_GE(syncs, c.min_syncs) << r.output;
    if (c.program == "irq_test") {
        EXPECT_TRUE(contains(frames, "IRQ compute_device level=1 vtime=")) << frames.substr(0, 4000);
    }
}

const std::vector<std::string> kSlow = {"--quantum-ns",         "100", "--echo-latency-ns", "250",
                                        "--compute-latency-ns", "170"};

INSTANTIATE_TEST_SUITE_P(
    Guests, ProtocolTest,
    ::testing::Values(
        // The configs' latencies (12 ns echo, 3 ns compute) and quantum (1 us): the programs' own
        // checks of modelled latency hold too.
        Case{"rv64_irq_test", "rv64", "irq_test", {}, "irq_test: PASS", 10},
        Case{"rv64_latency_test", "rv64", "latency_test", {}, "latency_test: PASS", 10},
        Case{"rv64_echo_test", "rv64", "echo_test", {}, "echo_test: PASS", 10},
        Case{"rv64_compute_test", "rv64", "compute_test", {}, "compute_test: PASS", 10},
        Case{"rv64_multi_device_test", "rv64", "multi_device_test", {}, "multi_device_test: PASS", 10},
        Case{"rv64_throughput", "rv64", "throughput_small", {}, "throughput: done, 0 mismatching reads", 10, 10001},
        Case{"rv32_irq_test", "rv32", "irq_test", {}, "irq_test: PASS", 10},
        Case{"rv32_latency_test", "rv32", "latency_test", {}, "latency_test: PASS", 10},
        // Accesses slower than the quantum: each carries the guest past its horizon, so QEMU must
        // SYNC and wait before its next access; faulting accesses included (echo_test).
        Case{"rv64_echo_test_slow_accesses", "rv64", "echo_test", kSlow, "echo_test: PASS", 500},
        Case{"rv64_irq_test_slow_accesses", "rv64", "irq_test", kSlow, "irq_test: PASS", 100},
        Case{"rv64_echo_test_latency_over_quantum",
             "rv64",
             "echo_test",
             {"--echo-latency-ns", "2500"},
             "echo_test: PASS",
             900},
        // A tiny quantum: horizons fall everywhere, including inside WFI sleeps.
        Case{"rv64_irq_test_quantum_50ns", "rv64", "irq_test", {"--quantum-ns", "50"}, "irq_test: PASS", 500},
        // Fast mode: no horizons; QEMU still SYNCs about once a quantum and serves interrupts.
        Case{"rv64_irq_test_fast", "rv64", "irq_test", {"--fast"}, "irq_test: PASS", 1},
        Case{"rv64_latency_test_fast", "rv64", "latency_test", {"--fast"}, "latency_test: SKIP", 0, 0}),
    caseName);

class TraceTest : public FakeSimTest, public ::testing::WithParamInterface<std::string> {};

// Two runs send the same frames, with the same guest times, in the same order.
TEST_P(TraceTest, TwoRunsGiveIdenticalFrameTraces) {
    std::vector<std::string> traces, outputs;
    for (int run = 0; run < 2; run++) {
        const std::string trace = path("trace" + std::to_string(run));
        std::optional<CpuHog> hog;
        if (run == 1) {
            hog.emplace(2);
        }
        const RunResult r = runFakeSim("rv64", GetParam(), {}, trace);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        traces.push_back(readFile(trace));
        outputs.push_back(r.output);
        ASSERT_TRUE(contains(traces.back(), "\nEND accesses=")) << traces.back();
    }
    EXPECT_EQ(traces[0], traces[1]) << "frame traces differ: compare " << path("trace0") << " and " << path("trace1");
    EXPECT_EQ(outputs[0], outputs[1]);
    EXPECT_TRUE(contains(traces[0], "SYNC echo_device vtime=")) << traces[0];
}

INSTANTIATE_TEST_SUITE_P(Guests, TraceTest, ::testing::Values("irq_test", "latency_test", "echo_test"),
                         [](const auto& info) { return info.param; });

// What QEMU refuses at start-up, before the guest runs: its exit status is 1 and fake_sim passes it on.
struct Refusal {
    std::string name;
    std::vector<std::string> options;  // fake_sim's
    std::string message;
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class RefusalTest : public FakeSimTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(RefusalTest, RefusedWithAClearMessage) {
    const Refusal& c = GetParam();
    const RunResult r = runFakeSim("rv64", "irq_test", c.options);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, c.message)) << r.output;
    EXPECT_FALSE(contains(r.output, "irq_test:")) << r.output;  // the guest never ran
}

INSTANTIATE_TEST_SUITE_P(
    StartUp, RefusalTest,
    ::testing::Values(
        Refusal{"deterministic_without_icount",
                {"--no-icount"},
                "sst-device echo_device: deterministic time needs -icount (the simulator passes "
                "'-icount shift=N,sleep=off')"},
        Refusal{"irq_clash",
                {"--irq", "0=13", "--irq", "1=13"},
                "sst-device compute_device: irq=13 is already used by sst-device echo_device"},
        Refusal{"irq_of_the_uart",
                {"--irq", "1=10"},
                "sst-device compute_device: irq=10 is not free on virt's interrupt controller"},
        Refusal{"irq_of_pcie",
                {"--irq", "1=33"},
                "sst-device compute_device: irq=33 is not free on virt's interrupt controller"},
        Refusal{"window_over_another_device",
                {"--base", "1=0x10200800"},
                "sst-device compute_device: window [0x10200800, 0x10201800) overlaps 'sst-device echo_device' "
                "at 0x10200800"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace QemuSstTest

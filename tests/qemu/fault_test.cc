// Faults with the real QEMU: QEMU killed mid-run, the simulator killed mid-run (with and without
// PR_SET_PDEATHSIG taking QEMU along), and device windows that overlap RAM, the virt machine or
// each other, refused by the bridge before QEMU starts and by QEMU itself.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

constexpr const char* kTwoDevices = "configs/test_2device_integration.py";
// What the long throughput variant prints first (QEMU writes the guest console straight to the
// output file, so this shows up as soon as the guest runs).
constexpr const char* kThroughputStarted = "throughput: 1000000000 4-byte reads of echo device 0 DATA\n";
// Its first progress line: the guest is well into its reads (the variant reports every 1000).
constexpr const char* kThroughputReading = "throughput: 1000 reads\n";
// The last lifecycle line of a test_2device_integration.py start-up (--verbose 1): QEMU is running.
constexpr const char* kAllConnected = "Device compute_device connected";

using Clock = std::chrono::steady_clock;

long long msSince(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

std::string describeStatus(int status) {
    if (WIFEXITED(status)) {
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        return "was killed by signal " + std::to_string(WTERMSIG(status));
    }
    return "ended with wait status " + std::to_string(status);
}

// The output without QEMU's own messages (stderr), which can land in the middle of a line of the
// guest's console (stdout, written by another QEMU thread).
std::string guestConsole(const std::string& out) {
    return std::regex_replace(out, std::regex("qemu-system-riscv(32|64): [^\n]*\n"), "");
}

// The guest runtime's report of the access that faulted once the simulator was gone: the load of
// echo DATA in the throughput loop, or its first store if the simulator went that early.
constexpr const char* kDataAccessFault =
    "rt: unexpected exception: mcause=(5 \\(load access fault\\)|7 \\(store/AMO access fault\\)) "
    "mepc=0x[0-9a-f]+ mtval=0x10200008 ";

// The QEMU the runner `runner` launched (its child), waiting up to timeout_ms for it to appear.
pid_t qemuChildOf(pid_t runner, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
        for (pid_t pid : childrenOf(runner)) {
            if (contains(readFile("/proc/" + std::to_string(pid) + "/cmdline"), "qemu-system-riscv")) {
                return pid;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

class FaultTest : public QemuTestBase {
protected:
    void SetUp() override {
        QemuTestBase::SetUp();
        for (const char* program : {"throughput_long", "compute_loop_long"}) {
            ASSERT_TRUE(haveFile(longGuestPath(program), "build the qemu_test_guest_variants target"));
        }
    }
};

class MidRunFaultTest : public FaultTest, public ::testing::WithParamInterface<std::string> {};

// --- QEMU killed mid-run -------------------------------------------------------------------------

TEST_P(MidRunFaultTest, QemuKilledMidRunEndsTheRunWithTheSignal) {
    const std::string csv = path("stats.csv");
    Background run;
    run.start(runnerArgv(kTwoDevices, "rv64", longGuestPath("throughput_long"), GetParam(), 1, csv), runEnv(),
              path("run.out"));
    ASSERT_TRUE(run.waitForOutput(kThroughputReading, 60000)) << run.output();
    const pid_t qemu = qemuChildOf(run.pid(), 5000);
    ASSERT_GT(qemu, 0) << "no QEMU child of the runner\n" << run.output();
    ASSERT_EQ(kill(qemu, SIGKILL), 0);

    const auto code = run.wait(30000);
    ASSERT_TRUE(code.has_value()) << "the run did not end after QEMU was killed\n" << run.output();
    const std::string out = run.output();
    EXPECT_EQ(*code, 128 + SIGKILL) << out;
    EXPECT_TRUE(contains(out, "QEMU was killed by signal 9 (Killed)")) << out;
    EXPECT_TRUE(contains(out, "FATAL: ")) << out;
    EXPECT_TRUE(contains(out, "guest failed: QEMU was killed by signal 9 (Killed)")) << out;
    EXPECT_EQ(firstMatch(out, "QEMU PID: ([0-9]+)"), std::to_string(qemu)) << out;
    EXPECT_FALSE(contains(out, "throughput: done")) << out;

    // Statistics are written, with what happened before the kill.
    const std::string stats = readFile(csv);
    ASSERT_FALSE(stats.empty()) << "no statistics at " << csv << "\n" << out;
    const long long bridge_reads = csvCount(stats, "qemu", "reads", "echo_device");
    const long long device_reads = csvCount(stats, "echo_device", "reads");
    EXPECT_GT(bridge_reads, 0) << stats;
    EXPECT_LE(device_reads, bridge_reads) << stats;
    EXPECT_GE(device_reads, bridge_reads - 1) << stats;  // at most the read QEMU died waiting for
    EXPECT_EQ(csvCount(stats, "qemu", "writes", "echo_device"), 1) << stats;
    if (GetParam() == "deterministic") {
        EXPECT_GT(csvCount(stats, "qemu", "syncs"), 0) << stats;
    }

    EXPECT_FALSE(processAlive(qemu));
    expectNoQemuLeft();
    EXPECT_TRUE(leftoverSocketDirs().empty()) << "socket directory left in " << tmpDir();
}

// --- the simulator killed mid-run ----------------------------------------------------------------

// compute_loop touches no device, so once its simulator is gone nothing but PR_SET_PDEATHSIG
// would stop QEMU (see the disabled test below).
TEST_P(MidRunFaultTest, BridgeKilledTakesQemuWithIt) {
    Subreaper reaper;
    Background run;
    run.start(runnerArgv(kTwoDevices, "rv64", longGuestPath("compute_loop_long"), GetParam(), 1, ""), runEnv(),
              path("run.out"));
    const pid_t qemu = qemuChildOf(run.pid(), 30000);
    ASSERT_GT(qemu, 0) << "no QEMU child of the runner\n" << run.output();
    ASSERT_TRUE(run.waitForOutput(kAllConnected, 60000)) << run.output();  // connected and computing
    ASSERT_TRUE(processAlive(qemu)) << run.output();

    ASSERT_EQ(kill(run.pid(), SIGKILL), 0);  // the runner only, not its process group
    const auto killed_at = Clock::now();
    const auto code = run.wait(10000);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 128 + SIGKILL);
    const auto status = waitForChild(qemu, 5000);  // adopted by this process as its subreaper
    if (!status) {
        kill(qemu, SIGKILL);
        waitForChild(qemu, 5000);
        FAIL() << "QEMU " << qemu << " still running 5 s after the simulator died\n" << run.output();
    }
    EXPECT_LT(msSince(killed_at), 5000);
    ASSERT_NE(*status, -1) << "QEMU was reaped by someone else";
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
        << "QEMU should die of PR_SET_PDEATHSIG's SIGKILL; it " << describeStatus(*status) << "\n"
        << run.output();
    expectNoQemuLeft();
    // The sockets went as QEMU connected, so even SIGKILL leaves no socket directory behind.
    EXPECT_TRUE(leftoverSocketDirs().empty()) << "socket directory left in " << tmpDir();
}

// Without PR_SET_PDEATHSIG, QEMU must notice the lost channels by itself: report them, fault the
// access the guest waits on (the guest runtime exits 250 on the unexpected load access fault) and
// exit on its own.
TEST_P(MidRunFaultTest, QemuOutlivingTheSimulatorFaultsTheAccessAndExits) {
    Subreaper reaper;
    Background run;
    const pid_t qemu = startWithQemuAsGrandchild(
        dir_, runnerArgv(kTwoDevices, "rv64", longGuestPath("throughput_long"), GetParam(), 1, ""), runEnv(), run,
        qemuPath("rv64"));
    ASSERT_GT(qemu, 0) << "QEMU did not start\n" << run.output();
    ASSERT_TRUE(run.waitForOutput(kThroughputReading, 60000)) << run.output();
    ASSERT_TRUE(processAlive(qemu));

    ASSERT_EQ(kill(run.pid(), SIGKILL), 0);
    const auto killed_at = Clock::now();
    ASSERT_TRUE(run.wait(10000).has_value());
    const auto status = waitForChild(qemu, 10000);
    if (!status) {
        kill(qemu, SIGKILL);
        waitForChild(qemu, 5000);
        FAIL() << "QEMU still running 10 s after the simulator died\n" << run.output();
    }
    const long long took_ms = msSince(killed_at);
    EXPECT_LT(took_ms, 5000) << "QEMU took " << took_ms << " ms to give up";
    const std::string out = run.output();
    ASSERT_NE(*status, -1) << "QEMU was reaped by someone else";
    ASSERT_TRUE(WIFEXITED(*status)) << "QEMU should exit on its own, not be killed; it " << describeStatus(*status)
                                    << "\n"
                                    << out;
    // The guest runtime's verdict on an unexpected fault.  (Its report of the fault went to the
    // console, which the simulator relayed and took with it.)
    EXPECT_EQ(WEXITSTATUS(*status), 250) << out;
    EXPECT_TRUE(std::regex_search(out, std::regex("sst-device echo_device: lost the simulator: [^\n]+; accesses "
                                                  "to \\[0x10200000, 0x10201000\\) fault from now on")))
        << out;
    EXPECT_FALSE(contains(out, "throughput: done")) << out;
    expectNoQemuLeft();
}

// A guest that never touches a device gives QEMU no access to fault: once it has lost the
// simulator that owned its time, QEMU still ends (after a 1 s grace, with status 1) rather than
// run on unsynchronised.
TEST_F(FaultTest, QemuOutlivingTheSimulatorExitsEvenIfTheGuestTouchesNoDevice) {
    Subreaper reaper;
    Background run;
    const pid_t qemu = startWithQemuAsGrandchild(
        dir_, runnerArgv(kTwoDevices, "rv64", longGuestPath("compute_loop_long"), "deterministic", 1, ""), runEnv(),
        run, qemuPath("rv64"));
    ASSERT_GT(qemu, 0) << "QEMU did not start\n" << run.output();
    ASSERT_TRUE(run.waitForOutput(kAllConnected, 60000)) << run.output();
    ASSERT_TRUE(processAlive(qemu));
    ASSERT_EQ(kill(run.pid(), SIGKILL), 0);
    ASSERT_TRUE(run.wait(10000).has_value());
    const auto status = waitForChild(qemu, 5000);
    if (!status) {
        kill(qemu, SIGKILL);
        waitForChild(qemu, 5000);
        FAIL() << "QEMU still running 5 s after the simulator died\n" << run.output();
    }
    EXPECT_TRUE(contains(run.output(), "sst-device echo_device: lost the simulator: ")) << run.output();
    EXPECT_TRUE(contains(run.output(), "no simulator keeps the guest's time any more")) << run.output();
    ASSERT_TRUE(WIFEXITED(*status)) << run.output();
    EXPECT_EQ(WEXITSTATUS(*status), 1) << run.output();
}

// The same without the engine: fake_sim closes every channel instead of answering an access.
TEST_P(MidRunFaultTest, SimulatorVanishingMidAccessFaultsTheAccess) {
    std::vector<std::string> argv = {fakeSimPath(), "--die-at", "1000", "--wait-s", "10"};
    if (GetParam() == "fast") {
        argv.push_back("--fast");
    }
    argv.insert(argv.end(), {"--", qemuPath("rv64"), guestPath("rv64", "throughput")});
    const auto started = Clock::now();
    const RunResult r = runToFile(argv, {}, path("fake_sim.out"), 60);
    const long long took_ms = msSince(started);
    ASSERT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 250) << r.output;  // QEMU's own exit status, passed on by fake_sim
    EXPECT_LT(took_ms, 5000) << r.output;
    EXPECT_TRUE(contains(r.output, "fake_sim: closing every channel at access 1000, as asked")) << r.output;
    // "peer closed the channel" or "receive failed: Connection reset by peer", as the hang-up comes.
    EXPECT_TRUE(std::regex_search(r.output, std::regex("sst-device echo_device: lost the simulator: [^\n]+; accesses "
                                                       "to \\[0x10200000, 0x10201000\\) fault from now on")))
        << r.output;
    EXPECT_TRUE(std::regex_search(guestConsole(r.output), std::regex(kDataAccessFault))) << r.output;
    EXPECT_FALSE(contains(r.output, "throughput: done")) << r.output;
    EXPECT_FALSE(contains(r.output, "QEMU still running")) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Modes, MidRunFaultTest, ::testing::Values("deterministic", "fast"),
                         [](const auto& info) { return info.param; });

// The QEMU PID line (--verbose 1) is readable while the run is going on, e.g. to attach a debugger
// or to kill QEMU as the tests above do, even when the output is a file or a pipe: the bridge logs
// to stderr, which is unbuffered.
TEST_F(FaultTest, QemuPidLineIsVisibleWhileRunning) {
    Background run;
    run.start(runnerArgv(kTwoDevices, "rv64", longGuestPath("throughput_long"), "deterministic", 1, ""), runEnv(),
              path("run.out"));
    ASSERT_TRUE(run.waitForOutput(kThroughputStarted, 30000)) << run.output();
    EXPECT_TRUE(run.waitForOutput("Device compute_device connected", 2000)) << run.output();
    const pid_t qemu = qemuChildOf(run.pid(), 5000);
    EXPECT_EQ(firstMatch(run.output(), "QEMU PID: ([0-9]+)"), std::to_string(qemu)) << run.output();
}

// --- device windows ------------------------------------------------------------------------------

// A window and what refusing it must say; `name` names the test.
struct Refusal {
    std::string name;
    std::string arg;
    std::string message;
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }
std::string refusalName(const ::testing::TestParamInfo<Refusal>& info) { return info.param.name; }

class BridgeWindowTest : public FaultTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(BridgeWindowTest, RefusedBeforeQemuStarts) {
    const Refusal& c = GetParam();
    const RunResult r = runCommand(runnerArgv("tests/qemu/window_config.py", "rv64", guestPath("rv64", "echo_test"),
                                              "deterministic", 1, "", {"--compute-base", c.arg}),
                                   runEnv(), 60);
    ASSERT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "FATAL: ")) << r.output;
    EXPECT_TRUE(contains(r.output, c.message)) << r.output;
    EXPECT_FALSE(contains(r.output, "Launching QEMU")) << r.output;
    EXPECT_FALSE(contains(r.output, "QEMU PID")) << r.output;
    EXPECT_FALSE(contains(r.output, "echo_test:")) << r.output;  // the guest never ran
    EXPECT_TRUE(leftoverSocketDirs().empty());
    expectNoQemuLeft();
}

INSTANTIATE_TEST_SUITE_P(
    Overlaps, BridgeWindowTest,
    ::testing::Values(
        Refusal{"guest_ram", "0x80001000",
                "device window compute_device [0x80001000, 0x80002000) overlaps guest RAM [0x80000000, 0x88000000)"},
        Refusal{"other_device", "0x10200800",
                "device window compute_device [0x10200800, 0x10201800) overlaps echo_device [0x10200000, 0x10201000)"},
        Refusal{"uart", "0x10000000",
                "device window compute_device [0x10000000, 0x10001000) overlaps the virt machine's uart0 "
                "[0x10000000, 0x10000100)"}),
    refusalName);

// QEMU's own check, for windows the bridge never sees (QEMU started by hand or by another tool).
class QemuWindowTest : public FaultTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(QemuWindowTest, RefusedByQemu) {
    const Refusal& c = GetParam();
    const auto started = Clock::now();
    const RunResult r =
        runCommand({qemuPath("rv64"), "-M", "virt", "-bios", "none", "-nographic", "-kernel",
                    guestPath("rv64", "hello"), "-device", "sst-device,id=x,socket=" + path("none.sock") + "," + c.arg},
                   {}, 30);
    ASSERT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, c.message)) << r.output;
    EXPECT_LT(msSince(started), 5000) << "refused only after trying to connect";
    EXPECT_FALSE(contains(r.output, "hello:")) << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    Refusals, QemuWindowTest,
    ::testing::Values(
        Refusal{"uart", "base_address=0x10000000",
                "sst-device x: window [0x10000000, 0x10001000) overlaps 'serial' at 0x10000000"},
        Refusal{"guest_ram", "base_address=0x80001000",
                "sst-device x: window [0x80001000, 0x80002000) overlaps 'riscv_virt_board.ram' at 0x80001000"},
        Refusal{"plic", "base_address=0x0c100000", "sst-device x: window [0xc100000, 0xc101000) overlaps"},
        Refusal{"irq_of_the_uart", "base_address=0x10200000,irq=10",
                "sst-device x: irq=10 is not free on virt's interrupt controller"},
        Refusal{"no_base_address", "size=0x1000", "sst-device x: base_address= is required"}),
    refusalName);

}  // namespace
}  // namespace QemuSstTest

// The linux tier: a Linux guest (kernel from scripts/build-linux.sh, virtio-sst.ko, sst-test)
// booted under the engine with the real QEMU, served by acalsim.VirtIODevice + ComputeModel.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "qemu_test_support.h"
#include "subprocess.h"

namespace {

using QemuSstTest::RunResult;

using QemuSstTest::contains;

std::string missingInput() {
    for (const char* path : {QEMU_SST_QEMU, QEMU_SST_KERNEL, QEMU_SST_INITRD}) {
        if (!std::filesystem::exists(path)) {
            return std::string("missing ") + path +
                   ": run scripts/build-qemu.sh, scripts/build-linux.sh and the build (make test does all)";
        }
    }
    return "";
}

std::vector<std::string> linuxArgv(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {QEMU_SST_RUNNER, QEMU_SST_SOURCE_DIR "/configs/linux_basic.py",
                                     "--qemu",        QEMU_SST_QEMU,
                                     "--kernel",      QEMU_SST_KERNEL,
                                     "--initrd",      QEMU_SST_INITRD,
                                     "--verbose",     "1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

RunResult bootLinux(const std::vector<std::string>& extra, int timeout_s) {
    if (const std::string missing = missingInput(); !missing.empty()) {
        RunResult r;
        r.output = missing;
        return r;
    }
    return QemuSstTest::runCommand(linuxArgv(extra), {}, timeout_s);
}

// The output without what legitimately differs between runs: QEMU's pid, the private socket
// directory, and QEMU's own messages (stderr, which may land inside a console line).
std::string withoutHostDetails(const std::string& out) {
    std::string s = std::regex_replace(out, std::regex("qemu-system-riscv64: [^\n]*\n"), "");
    s = std::regex_replace(s, std::regex("/tmp/qemu-sst-[A-Za-z0-9]+"), "SOCKDIR");
    return std::regex_replace(s, std::regex("QEMU PID: [0-9]+"), "QEMU PID: N");
}

void expectNoKernelComplaint(const std::string& out) {
    for (const char* bad : {"Oops", "BUG:", "WARNING:", "Call Trace"}) {
        EXPECT_FALSE(contains(out, bad)) << "kernel reported " << bad << "\n" << out;
    }
}

// The guest app's verdict (the init's SST-TEST-RESULT line) is PASS, and the run ended cleanly.
void expectGuestPassed(const RunResult& r) {
    EXPECT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "SST-TEST-RESULT: PASS")) << r.output;
    expectNoKernelComplaint(r.output);
}

// ... and that app was sst-test, with none of its checks failed.
void expectCleanPass(const RunResult& r) {
    expectGuestPassed(r);
    EXPECT_TRUE(contains(r.output, " 0 failed")) << r.output;
}

// Every sst-test check, the 10-process run and the 100,000-request stress run included.
TEST(LinuxGuest, FullTestSuitePassesInFastMode) {
    const RunResult r = bootLinux({"--mode", "fast"}, 600);
    expectCleanPass(r);
    EXPECT_TRUE(contains(r.output, "virtio-sst")) << r.output;
}

// A guest program that fails makes the whole run fail with its exit status: /init reports it
// through the virt test device, QEMU exits with it, and the simulator passes it on.
TEST(LinuxGuest, FailingGuestAppFailsTheRunWithItsStatus) {
    const RunResult r = bootLinux({"--mode", "fast", "--append-extra", "sst_app=no-such-app"}, 300);
    EXPECT_FALSE(r.timed_out) << r.output;
    EXPECT_TRUE(contains(r.output, "SST-TEST-RESULT: FAIL 127")) << r.output;
    EXPECT_TRUE(contains(r.output, "guest failed: QEMU exited with status 127")) << r.output;
    EXPECT_EQ(r.exit_code, 127) << r.output;
    expectNoKernelComplaint(r.output);
}

// rmmod with /dev/sst0 open is refused; after closing, unload, reload (the device is reset and
// probed again) and requests work as before (guest/linux/apps/sst-unload.sh).
TEST(LinuxGuest, ModuleUnloadsAndReloadsAroundAnOpenDevice) {
    const RunResult r = bootLinux({"--mode", "fast", "--append-extra", "sst_app=sst-unload.sh"}, 300);
    expectGuestPassed(r);
    for (const char* step :
         {"ok  : rmmod refused while /dev/sst0 is open", "ok  : rmmod once /dev/sst0 is closed; /dev/sst0 is gone",
          "ok  : requests served after loading the module again", "ok  : no oops or warning in the kernel log",
          "ok  : dmesg | grep virtio-sst finds the driver's lines"}) {
        EXPECT_TRUE(contains(r.output, step)) << r.output;
    }
}

// The seed's self-test and debugging recipes as printed (guest/linux/apps/sst-debug-workflows.sh):
// insmod test_mode=1, echo 1 > .../parameters/run_tests, 'module virtio_sst +p' in the dynamic debug
// control file, dmesg | grep virtio-sst, and the device's virtio status.
TEST(LinuxGuest, SeedSelfTestAndDebugWorkflowsWorkAsPrinted) {
    const RunResult r = bootLinux({"--mode", "fast", "--append-extra", "sst_app=sst-debug-workflows.sh"}, 300);
    expectGuestPassed(r);
    EXPECT_TRUE(std::regex_search(r.output, std::regex("ok  : test_mode=1: self-test at probe: passed ([0-9]+)/\\1")))
        << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex("ok  : run_tests: passed ([0-9]+)/\\1 on 1 device")))
        << r.output;
    for (const char* step : {"self-test echo: ok", "self-test compute: ok", "self-test memory_read: ok",
                             "self-test invalid_refused: ok", "ok  : run_tests refuses a value that is not a boolean",
                             "ok  : dynamic debug: ", "ok  : 'module virtio_sst -p' turns them off again",
                             "ok  : virtio status: ", "ok  : no oops or warning in the kernel log"}) {
        EXPECT_TRUE(contains(r.output, step)) << step << "\n" << r.output;
    }
}

// The accelerator on an app's own buffers (SST_REQ_BUFFERS, guest/linux/apps/sst-accel.c): products
// checked against the CPU's, a 64 MiB copy in place, misaligned buffers, refusals, and no page left
// pinned after an answer, a timed-out read or a killed process.
void expectAcceleratorPassed(const RunResult& r, const std::string& copy_line) {
    expectGuestPassed(r);
    EXPECT_TRUE(contains(r.output, "sst-accel: PASS")) << r.output;
    EXPECT_TRUE(contains(r.output, copy_line)) << r.output;
    EXPECT_TRUE(contains(r.output, "matmul 128x128 x 128x128: matches the CPU's")) << r.output;
    EXPECT_TRUE(contains(r.output, "no page pinned once the killed process's copy was done: ok")) << r.output;
}

TEST(LinuxGuest, AcceleratorWorksOnTheAppsOwnBuffersInFastMode) {
    const RunResult r = bootLinux({"--mode", "fast", "--append-extra", "sst_app=sst-accel"}, 600);
    expectAcceleratorPassed(r, "copy 67108864 bytes (src+0, dst+0): matches");
}

TEST(LinuxGuest, AcceleratorWorksOnTheAppsOwnBuffersWithDeterministicTime) {
    const RunResult r =
        bootLinux({"--mode", "deterministic", "--append-extra", "sst_app=sst-accel sst_test_args=\"-c 8\""}, 600);
    expectAcceleratorPassed(r, "copy 8388608 bytes (src+0, dst+0): matches");
}

// The seed's concurrent-access recipe: ten sst-test runs started at once (sst-concurrent.sh).  Each
// holds the device's advisory lock (SST_IOCTL_LOCK) for its checks, so they take turns, say so, and
// all pass; without the lock 9 of 10 failed.
TEST(LinuxGuest, TenConcurrentSstTestRunsAllPass) {
    const RunResult r = bootLinux({"--mode", "fast", "--append-extra", "sst_app=sst-concurrent.sh"}, 600);
    expectGuestPassed(r);
    EXPECT_TRUE(contains(r.output, "concurrent sst-test: 10 runs, 0 failed")) << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex("0 failed, [1-9] waited for the device lock"))) << r.output;
}

// The same, with deterministic guest time.
TEST(LinuxGuest, FullTestSuitePassesWithDeterministicTime) {
    const RunResult r = bootLinux({"--mode", "deterministic"}, 600);
    expectCleanPass(r);
    // Only here does the guest wait for simulated time, so only here is the driver's timeout hit.
    EXPECT_TRUE(contains(r.output, "ok  : read of a 1 s COMPUTE with timeout_ms=100 -> Connection timed out"))
        << r.output;
    EXPECT_TRUE(contains(r.output, "ok  : the late response came back and was absorbed")) << r.output;
}

// Deterministic time: two runs with processes and threads, the second next to a CPU hog, give the
// same console (the guest's own clock readings included) and the same statistics, to the picosecond.
// Runs with a scratch directory (see QemuTestBase).
class LinuxGuestRun : public QemuSstTest::QemuTestBase {};

TEST_F(LinuxGuestRun, DeterministicRunsAreIdentical) {
    const std::string& dir = dir_;
    std::string outputs[2], stats[2];
    for (int run = 0; run < 2; run++) {
        std::optional<QemuSstTest::CpuHog> hog;
        if (run == 1) {
            hog.emplace(1);  // preemption at arbitrary points: host timing must not show
        }
        const std::string csv = dir + "/stats" + std::to_string(run) + ".csv";
        // --verbose 0: no bridge lines that could land anywhere in the guest's console output.
        const RunResult r = bootLinux({"--mode", "deterministic", "--verbose", "0", "--stats-csv", csv,
                                       "--append-extra", "sst_test_args=\"-n 3000 -p 3 -r 50\""},
                                      600);
        expectCleanPass(r);
        outputs[run] = withoutHostDetails(r.output);
        stats[run] = QemuSstTest::readFile(csv);
    }
    EXPECT_FALSE(stats[0].empty());
    EXPECT_EQ(stats[0], stats[1]);
    EXPECT_EQ(outputs[0], outputs[1]);
}

// The simulator killed while an app is in the middle of its requests (QEMU made to outlive it):
// the app's request fails (NO_DEVICE, or -ENODEV) instead of hanging, later ones fail at once, the
// app reports that, the guest powers off and the kernel logs no oops or warning.  --listen-dir
// gives QEMU a console of its own (not relayed by the simulator), so its output outlives the
// simulator.
// The seed's QEMU debugging: -d trace:... with -D FILE logs the device's trace events
// (qemu/hw/misc/trace-events-sst): the channel connecting, each request on its queue, its answer and
// completion, and events.
TEST_F(LinuxGuestRun, QemuTraceEventsLogEachRequest) {
    const std::string log = dir_ + "/qemu-trace.log";
    const RunResult r =
        bootLinux({"--mode", "fast", "--qemu-args", "-d trace:virtio_sst_*,trace:sst_channel_* -D " + log,
                   "--append-extra", "sst_app=sst-bench sst_test_args=\"-n 7 -t echo -s 16 -m rw\""},
                  300);
    expectGuestPassed(r);
    const std::string text = QemuSstTest::readFile(log);
    EXPECT_TRUE(std::regex_search(text, std::regex("sst_channel_connected virtio-sst-device sst0: connected to ")))
        << text.substr(0, 4000);
    const std::regex request("virtio_sst_request sst0: queue 0: frame [0-9]+ request [0-9]+ ECHO at [0-9]+ ps");
    const auto requests =
        std::distance(std::sregex_iterator(text.begin(), text.end(), request), std::sregex_iterator());
    EXPECT_GE(requests, 7) << text.substr(0, 4000);
    EXPECT_TRUE(
        std::regex_search(text, std::regex("virtio_sst_response sst0: frame [0-9]+ request [0-9]+ answered OK")))
        << text.substr(0, 4000);
    EXPECT_TRUE(std::regex_search(text, std::regex("virtio_sst_complete sst0: queue 0: request [0-9]+ completed OK")))
        << text.substr(0, 4000);
}

TEST_F(LinuxGuestRun, StoppingTheSimulatorMidRunFailsTheAppsRequests) {
    ASSERT_EQ(missingInput(), "");
    using namespace QemuSstTest;
    const std::string& dir = dir_;
    Subreaper reaper;
    Background run;
    const pid_t qemu = startWithQemuAsGrandchild(dir,
                                                 linuxArgv({"--mode", "fast", "--listen-dir", dir + "/sockets",
                                                            "--append-extra", "sst_test_args=\"-L 100000000\""}),
                                                 runEnv(), run, QEMU_SST_QEMU);
    ASSERT_GT(qemu, 0) << "QEMU did not start\n" << run.output();
    ASSERT_TRUE(run.waitForOutput("sst-test: 1000 requests answered", 60000)) << run.output();

    ASSERT_EQ(kill(run.pid(), SIGKILL), 0);  // the runner only: QEMU goes on
    ASSERT_TRUE(run.wait(10000).has_value());
    const auto status = waitForChild(qemu, 60000);
    if (!status) {
        kill(qemu, SIGKILL);
        waitForChild(qemu, 5000);
        FAIL() << "the guest did not finish within 60 s of the simulator's end\n" << run.output();
    }
    const std::string out = run.output();
    EXPECT_TRUE(contains(out, "virtio-sst-device sst0: lost the simulator")) << out;
    EXPECT_TRUE(std::regex_search(out, std::regex("ok  : the device failed after [0-9]+ requests"))) << out;
    EXPECT_TRUE(contains(out, "SST-TEST-RESULT: PASS")) << out;
    expectNoKernelComplaint(out);
}

// A simulator started again where the stopped one listened (--listen-dir, then --attach) takes the
// running guest over: the virtio-sst device reconnects, the app's requests are served again, and
// the new simulation ends when the guest powers off.
TEST_F(LinuxGuestRun, ARestartedSimulatorServesTheRunningGuest) {
    ASSERT_EQ(missingInput(), "");
    using namespace QemuSstTest;
    const std::string listen_dir = dir_ + "/sockets";
    Subreaper reaper;
    Background first;
    const pid_t qemu = startWithQemuAsGrandchild(dir_,
                                                 linuxArgv({"--mode", "fast", "--listen-dir", listen_dir,
                                                            "--append-extra", "sst_test_args=\"-L 100000000 -R 500\""}),
                                                 runEnv(), first, QEMU_SST_QEMU);
    ASSERT_GT(qemu, 0) << "QEMU did not start\n" << first.output();
    ASSERT_TRUE(first.waitForOutput("sst-test: 1000 requests answered", 60000)) << first.output();
    ASSERT_EQ(kill(first.pid(), SIGKILL), 0);
    ASSERT_TRUE(first.wait(10000).has_value());

    const RunResult second =
        runCommand(linuxArgv({"--mode", "fast", "--listen-dir", listen_dir, "--attach"}), runEnv(), 120);
    const auto status = waitForChild(qemu, 30000);
    if (!status) {
        kill(qemu, SIGKILL);
        waitForChild(qemu, 5000);
    }
    const std::string console = first.output();  // QEMU kept writing to the first run's output
    EXPECT_EQ(second.exit_code, 0) << second.output << "\n---- QEMU:\n" << console;
    EXPECT_TRUE(contains(second.output, "Device sst0 connected")) << second.output;
    EXPECT_TRUE(contains(second.output, "QEMU disconnected")) << second.output;
    ASSERT_TRUE(status.has_value()) << "QEMU still running after the second simulation\n" << console;
    EXPECT_TRUE(contains(console, "virtio-sst-device sst0: connected to a simulator again")) << console;
    EXPECT_TRUE(std::regex_search(console, std::regex("ok  : served again after [0-9]+ attempts"))) << console;
    EXPECT_TRUE(contains(console, "ok  : 500 requests verified after reconnecting")) << console;
    EXPECT_TRUE(contains(console, "SST-TEST-RESULT: PASS")) << console;
    expectNoKernelComplaint(console);
}

// The seed's three-terminal workflow: the simulator in one (linux_basic.py --attach --listen-dir),
// scripts/run-linux.sh in another (QEMU alone, from the command line the simulator left in the
// directory; the guest console), and a second guest shell in a third (run-linux.sh --guest-shell),
// where sst-test runs and passes.  Deterministic time: QEMU connects at time 0 as the bridge's own
// would.
TEST_F(LinuxGuestRun, ThreeTerminalWorkflowRunsSstTestInTheThirdTerminal) {
    ASSERT_EQ(missingInput(), "");
    using namespace QemuSstTest;
    const std::string dir = dir_ + "/sockets", script = QEMU_SST_SOURCE_DIR "/scripts/run-linux.sh";
    Background simulator, qemu, shell;
    simulator.start(
        linuxArgv({"--mode", "deterministic", "--attach", "--listen-dir", dir, "--append-extra", "sst_mode=shell"}),
        runEnv(), dir_ + "/terminal1.log");
    qemu.start({script, "--listen-dir", dir, "--timeout", "120"}, {}, dir_ + "/terminal2.log");
    ASSERT_TRUE(qemu.waitForOutput("init: a second shell on /dev/vport", 120000))
        << qemu.output() << "\n---- simulator:\n"
        << simulator.output();
    // stdin stays open (the sleep) so that the session lasts until the guest powers off.
    shell.start({"/bin/bash", "-c",
                 "{ printf '/apps/sst-test -n 500 -p 2 -r 10 | tail -n 1\\npoweroff -f\\n'; sleep 600; } | " + script +
                     " --guest-shell --listen-dir " + dir},
                {}, dir_ + "/terminal3.log");
    EXPECT_TRUE(shell.waitForOutput("SST-TEST-RESULT: PASS", 300000)) << shell.output();
    EXPECT_EQ(qemu.wait(60000), 0) << qemu.output();
    EXPECT_EQ(simulator.wait(60000), 0) << simulator.output();
    EXPECT_TRUE(contains(simulator.output(), "e.g. scripts/run-linux.sh --listen-dir " + dir)) << simulator.output();
    EXPECT_TRUE(contains(simulator.output(), "Device sst0 connected")) << simulator.output();
    EXPECT_TRUE(contains(qemu.output(), "init: qemu-sst guest shell")) << qemu.output();
    EXPECT_FALSE(std::filesystem::exists(dir + "/qemu.args")) << "the simulator left its qemu.args behind";
    expectNoKernelComplaint(qemu.output());
}

// A run-linux.sh with no simulator to attach to says what to start, then gives up after --timeout.
TEST_F(LinuxGuestRun, RunLinuxWithoutASimulatorSaysWhatToStart) {
    const RunResult r = QemuSstTest::runCommand(
        {QEMU_SST_SOURCE_DIR "/scripts/run-linux.sh", "--listen-dir", dir_ + "/nobody", "--timeout", "0"}, {}, 60);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "configs/linux_basic.py --attach --listen-dir " + dir_ + "/nobody")) << r.output;
    EXPECT_TRUE(contains(r.output, "no simulator is waiting in " + dir_ + "/nobody after 0 s")) << r.output;
}

// Your own program in the guest in one step: `--app FILE.c` compiles a program that lives outside the
// tree, with the documented headers (<sst_uapi.h>, <libsst.h>) on the include path and libsst linked,
// into an initramfs, and runs it with --app-args; the run ends with its verdict.
const char kOwnApp[] = R"(#include <stdio.h>
#include <string.h>
#include <sst_uapi.h>
#include <libsst.h>

int main(int argc, char **argv) {
    struct SSTRequest req;
    struct SSTResponse resp;
    struct sst_info info;
    int fd = sst_open(0);
    if (fd < 0 || sst_get_info(fd, &info))
        return 1;
    sst_req_init(&req, SST_REQ_ECHO);
    req.data_len = (uint32_t)snprintf((char *)req.payload.data, 64, "%s", argc > 1 ? argv[1] : "none");
    if (sst_call(fd, &req, &resp) || resp.status != SST_STATUS_OK)
        return 2;
    printf("own_app: protocol %u, echoed %.*s\n", info.version, (int)resp.result, (char *)resp.payload.data);
    return 0;
}
)";

class OwnAppRun : public QemuSstTest::QemuTestBase, public ::testing::WithParamInterface<const char*> {};

TEST_P(OwnAppRun, AProgramFromOutsideTheTreeRunsWithItsArguments) {
    const std::string app = path("own_app.c");
    std::ofstream(app) << kOwnApp;
    const RunResult r = bootLinux({"--mode", GetParam(), "--app", app, "--app-args", "outside"}, 300);
    expectGuestPassed(r);
    EXPECT_TRUE(contains(r.output, "init: running /apps/own_app outside")) << r.output;
    EXPECT_TRUE(contains(r.output, "own_app: protocol 1, echoed outside")) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Modes, OwnAppRun, ::testing::Values("fast", "deterministic"),
                         [](const ::testing::TestParamInfo<const char*>& info) { return std::string(info.param); });

// Several harts: fast mode runs sst-test (4 processes) on 2 and 4 of them, with one request queue
// per hart (VIRTIO_SST_F_MQ), each carrying a pinned process's requests; deterministic mode refuses
// them before QEMU starts, saying why (QEMU 7.2's icount switches harts every 100 ms).
class SeveralHarts : public ::testing::TestWithParam<int> {};

TEST_P(SeveralHarts, FastModeRunsTheTestSuite) {
    const std::string cpus = std::to_string(GetParam());
    const RunResult r = bootLinux(
        {"--mode", "fast", "--smp", cpus, "--append-extra", "loglevel=7 sst_test_args=\"-n 2000 -p 4\""}, 600);
    expectCleanPass(r);
    EXPECT_TRUE(contains(r.output, "smp: Brought up 1 node, " + cpus + " CPUs")) << r.output;
    EXPECT_TRUE(contains(r.output, "request queues: " + cpus + " (CPUs: " + cpus + ")")) << r.output;
    EXPECT_TRUE(contains(r.output, "ok  : every request queue carried requests (" + cpus + " of " + cpus)) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Harts, SeveralHarts, ::testing::Values(2, 4));

// Processes on four harts reading the clock as fast as they can.  Linux 6.1's RISC-V vDSO reads a
// kernel static key from user space in cpu_relax() (clock_gettime's retry when a tick updates the
// time data meanwhile) unless the kernel patches static keys in place (CONFIG_JUMP_LABEL): before
// that was set, 3 or 4 of these 4 processes died of SIGSEGV at address 4 on every run.
const char kClockApp[] = R"(#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int bad = 0, status;
    for (int p = 0; p < 4; p++) {
        if (fork() == 0) {
            struct timespec ts;
            for (int i = 0; i < 200000; i++)
                clock_gettime(CLOCK_MONOTONIC, &ts);
            _exit(0);
        }
    }
    while (wait(&status) > 0)
        bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("clock_app: %d of 4 processes failed\n", bad);
    return bad != 0;
}
)";

TEST_F(LinuxGuestRun, ProcessesOnFourHartsReadTheClockSafely) {
    const std::string app = path("clock_app.c");
    std::ofstream(app) << kClockApp;
    const RunResult r = bootLinux({"--mode", "fast", "--smp", "4", "--app", app}, 300);
    expectGuestPassed(r);
    EXPECT_TRUE(contains(r.output, "clock_app: 0 of 4 processes failed")) << r.output;
}

TEST(LinuxGuest, DeterministicModeRefusesSeveralHartsAndSaysWhy) {
    const RunResult r = bootLinux({"--mode", "deterministic", "--smp", "2"}, 120);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "cpus=2 needs time_mode=fast")) << r.output;
    EXPECT_TRUE(contains(r.output, "switches between harts only every 100 ms of guest time")) << r.output;
    EXPECT_FALSE(contains(r.output, "Launching QEMU")) << r.output;
}

}  // namespace

// Whole runs of the engine with qemubinary.QEMUBinary launching qemu-standin in place of QEMU:
// routing, registers, interrupts, latency, statistics, determinism and what bad input gets.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <thread>
#include <filesystem>
#include <functional>
#include <regex>

#include "qemu-sst/mmio_protocol.h"
#include "whole_run_test.h"

namespace fs = std::filesystem;
using namespace IntegrationTest;

namespace {

class BridgeTest : public WholeRunTest {
protected:
    BridgeTest() : WholeRunTest("qemu-sst-test", "bridge_test_config.py") {}
};

std::string deviceList(const std::string& kind, int n) {
    std::string list;
    for (int i = 0; i < n; i++) {
        list += (i ? "," : "") + kind;
    }
    return list;
}

TEST_F(BridgeTest, TwoDeviceConfigRunsWithExpectedLogLines) {
    const RunResult r = runRunner({QEMU_SST_SOURCE_DIR "/configs/test_2device_integration.py", "--standin"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex("Device echo_device socket listening at " + dir_ +
                                                       "/qemu-sst-[A-Za-z0-9]{6}/device0.sock")))
        << r.output;
    EXPECT_TRUE(contains(r.output, "Device compute_device socket listening at")) << r.output;
    EXPECT_TRUE(contains(r.output, "Waiting for 2 device connections...")) << r.output;
    EXPECT_TRUE(contains(r.output, "Device echo_device connected")) << r.output;
    EXPECT_TRUE(contains(r.output, "Device compute_device connected")) << r.output;
    EXPECT_TRUE(contains(r.output, "MMIO from echo_device: type=READ addr=0x0000000010200000 data=0x00000000 size=8"))
        << r.output;
    EXPECT_TRUE(
        contains(r.output, "MMIO from compute_device: type=WRITE addr=0x0000000010300008 data=0x00000006 size=8"))
        << r.output;
    EXPECT_TRUE(contains(r.output, "guest: PASS")) << r.output;
    EXPECT_TRUE(contains(r.output, "Simulation is complete")) << r.output;
    expectCleanedUp("two_devices.script");
}

TEST_F(BridgeTest, FourDeviceConfigRuns) {
    const RunResult r = runRunner({QEMU_SST_SOURCE_DIR "/configs/qemu_4device_test.py", "--standin"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* name : {"echo0", "compute0", "echo1", "compute1"}) {
        EXPECT_TRUE(contains(r.output, std::string("Device ") + name + " connected")) << r.output;
    }
    EXPECT_TRUE(contains(r.output, "guest: PASS")) << r.output;
}

// Each device gets its own value; every read must come back from the device it was sent to.
class RoutingTest : public BridgeTest, public ::testing::WithParamInterface<int> {};

TEST_P(RoutingTest, EachAccessReachesItsOwnDevice) {
    const int n = GetParam();
    std::string script;
    for (int i = 0; i < n; i++) {
        script += "write " + std::to_string(i) + " 0x08 8 " + std::to_string(1000 + i) + "\n";
    }
    for (int i = n - 1; i >= 0; i--) {
        script += "read " + std::to_string(i) + " 0x08 8 expect " + std::to_string(1000 + i) + "\n";
        script += "read " + std::to_string(i) + " 0x104 4 expect 0\n";
    }
    script += "exit 0\n";
    const auto [r, stats] = runWithStatistics(writeScript(script), {"--devices", deviceList("echo", n)});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (int i = 0; i < n; i++) {
        const std::string name = "echo" + std::to_string(i);
        EXPECT_EQ(csvField(stats, "qemu", "writes", name, "Count.u64"), "1") << stats;
        EXPECT_EQ(csvField(stats, "qemu", "reads", name, "Count.u64"), "2") << stats;
        EXPECT_EQ(csvField(stats, "qemu", "bytes_read", name, "Sum.u64"), "12") << stats;
        EXPECT_EQ(csvField(stats, name, "writes", "", "Count.u64"), "1") << stats;
    }
}

INSTANTIATE_TEST_SUITE_P(DeviceCounts, RoutingTest, ::testing::Values(1, 2, 4, 16));

TEST_F(BridgeTest, EchoRegistersAndAccessSizes) {
    expectScriptPasses(R"(
read 0 0x00 8 expect 0x4f484345
read 0 0x00 2 expect 0x4345
read 0 0x02 2 expect 0x4f48
read 0 0x10 8 expect 1              # STATUS ready
read 0 0x20 8 expect 10             # LATENCY parameter
write 0 0x08 8 0x0102030405060708
read 0 0x08 1 expect 0x08
read 0 0x09 1 expect 0x07
read 0 0x0c 4 expect 0x01020304
write 0 0x0a 2 0xbeef
read 0 0x08 8 expect 0x01020304beef0708
write 0 0x100 8 0x1122334455667788
read 0 0x104 4 expect 0x11223344
write 0 0x1ff 1 0x5a
read 0 0x1ff 1 expect 0x5a
read 0 0x18 8 expect 15             # COUNT: accesses before this one
write 0 0x00 8 1 status bus_error   # ID is read-only
read 0 0x0a 4 status bus_error      # unaligned
read 0 0x40 8 status bus_error      # unmapped register
read 0 0x2000 8 status decode_error # outside the 4 KiB window
exit 0
)",
                       {"--devices", "echo"});
}

TEST_F(BridgeTest, ComputeOperationsStatusAndErrors) {
    expectScriptPasses(R"(
read 0 0x00 8 expect 0x504d4f43
write 0 0x08 8 20
write 0 0x10 8 22
write 0 0x18 8 0          # ADD
write 0 0x20 8 1
advance 50
read 0 0x28 8 expect 2    # DONE
read 0 0x30 8 expect 42
read 0 0x38 8 expect 1    # cycles
write 0 0x18 8 1          # SUB, wrapping
write 0 0x20 8 1
advance 50
read 0 0x30 8 expect 0xfffffffffffffffe
write 0 0x18 8 2          # MUL
write 0 0x20 8 1
advance 50
read 0 0x30 8 expect 440
write 0 0x18 8 3          # DIV: 20 cycles
write 0 0x20 8 1
read 0 0x28 8 expect 1    # still BUSY
advance 50
read 0 0x30 8 expect 0
read 0 0x38 8 expect 20
write 0 0x08 8 2
write 0 0x10 8 10
write 0 0x18 8 4          # POW 2^10: 2 + 4 bits * 3 cycles
write 0 0x20 8 1
advance 50
read 0 0x30 8 expect 1024
read 0 0x38 8 expect 14
write 0 0x10 8 0
write 0 0x18 8 3          # DIV by zero
write 0 0x20 8 1
advance 50
read 0 0x28 8 expect 4    # ERROR
read 0 0x48 8 expect 1    # ERR_DIV_ZERO
write 0 0x18 8 9          # bad opcode
write 0 0x20 8 1
advance 50
read 0 0x28 8 expect 4
read 0 0x48 8 expect 2    # ERR_BAD_OPCODE
read 0 0x50 8 expect 7    # operations completed
read 0 0x20 8 status bus_error   # CONTROL is write-only
write 0 0x30 8 1 status bus_error # RESULT is read-only
write 0 0x20 8 4          # RESET
read 0 0x50 8 expect 0
read 0 0x08 8 expect 0
exit 0
)",
                       {"--devices", "compute"});
}

TEST_F(BridgeTest, CompletionInterruptRaisedAndAcknowledged) {
    const RunResult r = run(writeScript(R"(
write 0 0x08 8 3
write 0 0x10 8 5
write 0 0x18 8 2
write 0 0x40 8 1          # IRQ_ENABLE
expect-irq 0 0
write 0 0x20 8 1
wait-irq 0 10000
read 0 0x28 8 expect 0xa  # DONE | IRQ_PENDING
write 0 0x20 8 2          # IRQ_ACK
advance 100
expect-irq 0 0
read 0 0x28 8 expect 2
exit 0
)"),
                            {"--devices", "compute"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "IRQ from compute0: level=1")) << r.output;
    EXPECT_TRUE(contains(r.output, "IRQ from compute0: level=0")) << r.output;
}

TEST_F(BridgeTest, LatencyIsModelledAndAddedToGuestTime) {
    // Link 1 ns each way + echo latency 50 cycles at 1 GHz = 52 ns per access.
    expectScriptPasses(R"(
expect-time 0
read 0 0x08 8 latency 52
expect-time 52
write 0 0x08 8 7 latency 52
expect-time 104
advance 1000
expect-time 1104
read 1 0x08 8 latency 3
expect-time 1107
exit 0
)",
                       {"--devices", "echo,compute", "--echo-latency", "50"});
}

TEST_F(BridgeTest, LatencyStatisticIsAHistogramWhenAskedFor) {
    const auto [r, stats] = runWithStatistics(writeScript("repeat 5\nread 0 0x08 8\nend\nexit 0\n"),
                                              {"--devices", "echo", "--echo-latency", "8"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(csvField(stats, "qemu", "latency", "echo0", "Count.u64"), "5") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "latency", "echo0", "Sum.u64"), "50") << stats;  // 10 cycles each
    EXPECT_EQ(csvField(stats, "qemu", "latency", "echo0", "Max.u64"), "10") << stats;
}

TEST_F(BridgeTest, DeterministicRunsAreIdenticalWhateverTheWallClock) {
    std::vector<std::string> outputs;
    for (int run_index = 0; run_index < 3; run_index++) {
        // Wall-clock pauses differ per run; simulated results must not.
        const std::string script =
            writeScript("write 1 0x08 8 6\nwrite 1 0x10 8 7\nwrite 1 0x18 8 4\nwrite 1 0x40 8 1\nsleep-ms " +
                            std::to_string(run_index * 40) +
                            "\nwrite 1 0x20 8 1\nwait-irq 1 100000\nread 0 0x08 8\nadvance 3333\n" + "sleep-ms " +
                            std::to_string(80 - run_index * 40) + "\nread 1 0x30 8\nexit 0\n",
                        "run" + std::to_string(run_index) + ".script");
        const std::string csv = dir_ + "/stats" + std::to_string(run_index) + ".csv";
        const RunResult r = run(script, {"--devices", "echo,compute", "--stats-csv", csv});
        ASSERT_EQ(r.exit_code, 0) << r.output;
        outputs.push_back(readFile(csv));
        ASSERT_FALSE(outputs.back().empty());
    }
    EXPECT_EQ(outputs[0], outputs[1]);
    EXPECT_EQ(outputs[1], outputs[2]);
}

TEST_F(BridgeTest, FastModeServesAccesses) {
    expectScriptPasses(R"(
write 0 0x08 8 99
read 0 0x08 8 expect 99
write 1 0x08 8 6
write 1 0x10 8 7
write 1 0x18 8 2
write 1 0x40 8 1
write 1 0x20 8 1
wait-irq 1 1000000
read 1 0x30 8 expect 42
exit 0
)",
                       {"--mode", "fast"});
}

TEST_F(BridgeTest, SocketOnlyTransportWorksToo) {
    expectScriptPasses("option no-shm\nwrite 0 0x08 8 5\nread 0 0x08 8 expect 5 latency 12\nexit 0\n",
                       {"--devices", "echo"});
}

TEST_F(BridgeTest, GuestVerdictBecomesTheExitStatus) {
    const std::string script = writeScript("read 0 0x08 8\nexit 3\n");
    const RunResult r = run(script, {"--devices", "echo"});
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_TRUE(contains(r.output, "QEMU exited with status 3")) << r.output;
    expectCleanedUp(script);
}

TEST_F(BridgeTest, FailedExpectationInTheGuestFailsTheRun) {
    const RunResult r = run(writeScript("read 0 0x00 8 expect 0x1234\nexit 0\n"), {"--devices", "echo"});
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "standin: FAIL")) << r.output;
}

// Broken frames on one device's channel: that channel is closed with a clear reason; the other
// device keeps answering correctly.
class BadFrameTest : public BridgeTest, public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

TEST_P(BadFrameTest, ChannelClosedOthersUnaffected) {
    const auto [hex, reason] = GetParam();
    // The bridge reads a socket when it sleeps on it (busy channels cost no syscalls), or at the
    // latest when QEMU has exited: the report comes whichever happens first, however busy the
    // machine.
    const std::string script = writeScript("write 0 0x08 8 77\nraw 1 " + hex +
                                           "\nadvance 10\nread 0 0x08 8 expect 77\nwrite 0 0x08 8 78\n"
                                           "read 0 0x08 8 expect 78\nexit 0\n");
    const RunResult r = run(script, {"--devices", "echo,echo"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "channel of device echo1 failed")) << r.output;
    EXPECT_TRUE(contains(r.output, reason)) << r.output;
    expectCleanedUp(script);
}

// A valid READ frame as the stand-in's 3rd frame on that channel (HELLO and SHM_READY went first),
// then broken in one way, as hex for the stand-in's `raw` command.
std::string readFrameHex(const std::function<void(std::vector<uint8_t>&)>& breakIt) {
    sst_mmio_access access{};
    access.id = 1;
    access.size = 8;
    std::vector<uint8_t> frame(SST_MMIO_MAX_FRAME);
    frame.resize(sst_mmio_encode(frame.data(), SST_MMIO_READ, 2, &access));
    breakIt(frame);
    std::string hex;
    for (uint8_t b : frame) {
        char two[3];
        std::snprintf(two, sizeof(two), "%02x", b);
        hex += two;
    }
    return hex;
}

INSTANTIATE_TEST_SUITE_P(
    Frames, BadFrameTest,
    ::testing::Values(
        std::make_pair(readFrameHex([](auto& f) { f.resize(12); }), "truncated frame (12 bytes)"),
        std::make_pair(readFrameHex([](auto& f) { f.resize(f.size() - 4); }), "truncated frame (52 bytes)"),
        std::make_pair(readFrameHex([](auto& f) { f.resize(f.size() + 8); }),
                       "oversized frame: 64 bytes for a 56-byte READ"),
        std::make_pair(readFrameHex([](auto& f) { f.resize(SST_FRAME_LIMIT + 100); }),
                       "oversized frame (more than " + std::to_string(SST_FRAME_LIMIT) + " bytes)"),
        std::make_pair(readFrameHex([](auto& f) { f[0] = 0xde; }), "bad magic"),
        std::make_pair(readFrameHex([](auto& f) { f[4] = SST_MMIO_VERSION + 1; }), "unsupported protocol version"),
        std::make_pair(readFrameHex([](auto& f) { f[6] = 99; }), "unknown frame type"),
        // Expected 2, or 3 if the channel's GOODBYE (through the ring) was read before the socket.
        std::make_pair(readFrameHex([](auto& f) { f[12] = 7; }), "got 7 (READ)"),
        std::make_pair(readFrameHex([](auto& f) { f[16 + 32] = 3; }), "invalid field value")));

TEST_F(BridgeTest, UnexpectedFrameTypeClosesOnlyThatChannel) {
    const RunResult r =
        run(writeScript("send-frame 1 RESPONSE\nadvance 10\nwrite 0 0x08 8 5\nread 0 0x08 8 expect 5\nexit 0\n"),
            {"--devices", "echo,echo"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "channel of device echo1 failed: refused: unexpected RESPONSE frame from QEMU"))
        << r.output;
}

TEST_F(BridgeTest, PeerDisconnectingMidRequestLosesOnlyItsChannel) {
    const RunResult r =
        run(writeScript("send-then-close 1 0x08 8\nadvance 100\nwrite 0 0x08 8 5\nread 0 0x08 8 expect 5\nexit 0\n"),
            {"--devices", "echo,echo"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "channel of device echo1 failed: peer closed the channel")) << r.output;
}

TEST_F(BridgeTest, ChannelLostWhileOthersStayBusyIsReportedAtExit) {
    const RunResult r = run(writeScript("send-then-close 1 0x08 8\nrepeat 50\nread 0 0x08 8\nend\nexit 0\n"),
                            {"--devices", "echo,echo"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    // Reported when the bridge next sleeps on that channel, or at the latest when QEMU exits.
    EXPECT_TRUE(contains(r.output, "channel of device echo1 failed: peer closed the channel")) << r.output;
    EXPECT_FALSE(contains(r.output, "channel of device echo0 closed")) << r.output;
}

TEST_F(BridgeTest, QemuKilledMidRunEndsWithClearErrorAndStatistics) {
    const std::string script = writeScript("write 0 0x08 8 5\nread 0 0x08 8\nkill-self 9\n");
    const auto [r, stats] = runWithStatistics(script, {"--devices", "echo"});
    EXPECT_EQ(r.exit_code, 128 + 9) << r.output;
    EXPECT_TRUE(contains(r.output, "QEMU was killed by signal 9")) << r.output;
    EXPECT_EQ(csvField(stats, "qemu", "reads", "echo0", "Count.u64"), "1");
    expectCleanedUp(script);
}

TEST_F(BridgeTest, SimulationEndingFirstStopsQemu) {
    const std::string script = writeScript("write 0 0x08 8 5\nadvance 1000000000\nexit 0\n");
    const RunResult r = run(script, {"--devices", "echo"}, {"--stop-at", "20us"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "Simulation is complete")) << r.output;
    expectCleanedUp(script);
}

TEST_F(BridgeTest, WrongWindowInQemuIsRefused) {
    const std::string script = writeScript("option hello-base 0 0x10900000\nexit 0\n");
    const RunResult r = run(script, {"--devices", "echo"});
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(
        contains(r.output, "QEMU maps echo0 at [0x10900000, +0x1000) but the configuration says [0x10200000, +0x1000)"))
        << r.output;
    EXPECT_EQ(occurrences(r.output, "FATAL"), 1u) << r.output;  // printed once, not once per stream
    expectCleanedUp(script);
}

TEST_F(BridgeTest, DeviceThatNeverConnectsTimesOut) {
    const std::string script = writeScript("option skip-connect 1\nsleep-ms 5000\nexit 0\n");
    const RunResult r = run(script, {"--devices", "echo,echo", "--bridge-param", "connect_timeout=1s"});
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "timed out after 1.00 s waiting for QEMU to connect device echo1")) << r.output;
    expectCleanedUp(script);
}

TEST_F(BridgeTest, MissingQemuIsReported) {
    const RunResult r =
        run(writeScript("exit 0\n"), {"--devices", "echo", "--bridge-param", "qemu_path=/nonexistent/qemu"});
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "cannot launch QEMU: cannot execute '/nonexistent/qemu': No such file or directory"))
        << r.output;
}

class WindowCheckTest : public BridgeTest,
                        public ::testing::WithParamInterface<std::pair<std::vector<std::string>, const char*>> {};

TEST_P(WindowCheckTest, BadWindowIsRefused) {
    auto [args, message] = GetParam();
    args.insert(args.begin(), {"--devices", "echo,echo"});
    const RunResult r = run(writeScript("exit 0\n"), args);
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, message)) << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    Windows, WindowCheckTest,
    ::testing::Values(
        std::make_pair(std::vector<std::string>{"--bridge-param", "device1_base=0x10200800"},
                       "device window echo1 [0x10200800, 0x10201800) overlaps echo0 [0x10200000, 0x10201000)"),
        std::make_pair(std::vector<std::string>{"--bridge-param", "device1_base=0x80001000"},
                       "overlaps guest RAM [0x80000000, 0x88000000)"),
        std::make_pair(std::vector<std::string>{"--bridge-param", "device1_base=0x10000000"},
                       "overlaps the virt machine's uart0"),
        std::make_pair(std::vector<std::string>{"--bridge-param", "device1_base=banana"},
                       "device1_base is malformed ('banana')"),
        std::make_pair(std::vector<std::string>{"--bridge-param", "time_mode=sometimes"},
                       "time_mode must be 'deterministic' or 'fast', not 'sometimes'")));

// --- a fixed socket directory, and a QEMU the bridge does not launch -------------------------------

TEST_F(BridgeTest, LaunchQemuFalseNeedsAListenDir) {
    const RunResult r = run(writeScript("exit 0\n"), {"--devices", "echo", "--bridge-param", "launch_qemu=false"});
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "launch_qemu=false needs listen_dir")) << r.output;
}

TEST_F(BridgeTest, ListenDirIsRefusedWhileAnotherSimulationHoldsIt) {
    const std::string listen = dir_ + "/sockets";
    ASSERT_EQ(mkdir(listen.c_str(), 0700), 0);
    const int lock = open((listen + "/.qemu-sst.lock").c_str(), O_RDWR | O_CREAT, 0600);
    ASSERT_GE(lock, 0);
    ASSERT_EQ(flock(lock, LOCK_EX), 0);  // as a running simulation would hold it
    const RunResult r = run(writeScript("exit 0\n"), {"--devices", "echo", "--bridge-param", "listen_dir=" + listen});
    close(lock);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "another simulation is using the socket directory '" + listen + "'")) << r.output;
}

// A killed run leaves its socket behind: the next one on the same directory replaces it, and at
// the end removes its sockets but not the directory (which is the user's).
TEST_F(BridgeTest, ListenDirReplacesAStaleSocketAndIsLeftInPlace) {
    const std::string listen = dir_ + "/sockets";
    ASSERT_EQ(mkdir(listen.c_str(), 0700), 0);
    const int stale = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string stale_path = listen + "/device0.sock";
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", stale_path.c_str());
    ASSERT_EQ(bind(stale, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    close(stale);  // the file stays, as after a SIGKILL
    const RunResult r = run(writeScript("write 0 0x08 8 5\nread 0 0x08 8 expect 5\nexit 0\n"),
                            {"--devices", "echo", "--bridge-param", "listen_dir=" + listen});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::is_directory(listen));
    EXPECT_FALSE(fs::exists(stale_path));
}

// launch_qemu=false: the bridge waits in listen_dir; a "QEMU" started elsewhere (the stand-in, by
// this test) connects, runs, and its goodbye ends the run with status 0.
TEST_F(BridgeTest, LaunchQemuFalseServesAQemuStartedElsewhere) {
    const std::string listen = dir_ + "/sockets";
    const std::string script = writeScript("write 0 0x08 8 7\nread 0 0x08 8 expect 7\nexit 0\n");
    auto simulation = std::async(std::launch::async, [&] {
        return run(script, {"--devices", "echo", "--bridge-param", "listen_dir=" + listen, "--bridge-param",
                            "launch_qemu=false"});
    });
    const std::string socket_path = listen + "/device0.sock";
    for (int waited = 0; !fs::exists(socket_path) && waited < 10000; waited += 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(fs::exists(socket_path)) << simulation.get().output;
    const RunResult qemu =
        QemuSstTest::runCommand({QEMU_SST_STANDIN, "-kernel", script, "-device",
                                 "sst-device,id=echo0,socket=" + socket_path + ",base_address=0x10200000,size=0x1000"},
                                {}, 60);
    const RunResult r = simulation.get();
    EXPECT_EQ(qemu.exit_code, 0) << qemu.output;
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "Not launching QEMU (launch_qemu=false)")) << r.output;
    EXPECT_TRUE(contains(r.output, "Device echo0 connected")) << r.output;
    EXPECT_TRUE(contains(r.output, "QEMU disconnected")) << r.output;
}

}  // namespace

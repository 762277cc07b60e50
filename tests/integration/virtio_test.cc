// Whole runs with a virtio-sst device: qemubinary.QEMUBinary launching qemu-standin, its virtio
// channel served by acalsim.VirtIODevice and acalsim.ComputeModel (tests/integration/virtio_test_config.py).
#include <gtest/gtest.h>

#include "whole_run_test.h"

using namespace IntegrationTest;

namespace {

class VirtioTest : public WholeRunTest {
protected:
    VirtioTest() : WholeRunTest("qemu-sst-vtest", "virtio_test_config.py") {}
};

// Every request type, answered by the device itself (5 cycles) over 1 ns links: 7 ns.
TEST_F(VirtioTest, EveryRequestType) {
    const auto [r, stats] = runWithStatistics(writeScript(R"(
vreq sst0 NOOP id=11 user=0x1234 expect-status OK expect-request-id 11 expect-user 0x1234 expect-latency 7000
vreq sst0 ECHO text=hello-virtio expect-status OK expect-result 12 expect-text hello-virtio
vreq sst0 ECHO text=abcdef len=3 expect-result 3 expect-text abc
vreq sst0 ECHO len=0 expect-status OK expect-result 0
vreq sst0 WRITE addr=0x100 bytes=deadbeef01 expect-status OK expect-result 5
vreq sst0 READ addr=0x100 size=5 expect-status OK expect-result 5 expect-bytes deadbeef01
vreq sst0 READ addr=0x102 size=2 expect-bytes beef
vreq sst0 WRITE addr=0xffffc text=tail expect-status OK
vreq sst0 READ addr=0xffffc size=4 expect-text tail
vreq sst0 GET_INFO expect-status OK expect-version 1 expect-caps 7 expect-max-units 1048576 expect-memory-size 1048576
vreq sst0 CONFIGURE key=base_latency value=20 expect-status OK
vreq sst0 RESET expect-status OK
vreq sst0 READ addr=0x100 size=5 expect-status OK expect-bytes 0000000000
vreq sst0 COMPUTE units=1 model=fixed expect-status OK expect-cycles 10 expect-result 1
print guest: PASS
exit 0
)"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "guest: PASS")) << r.output;
    EXPECT_TRUE(contains(r.output, "-device virtio-sst-device,id=sst0,socket=")) << r.output;
    const std::pair<const char*, const char*> per_type[] = {{"NOOP", "1"},      {"ECHO", "3"},   {"READ", "4"},
                                                            {"WRITE", "2"},     {"RESET", "1"},  {"GET_INFO", "1"},
                                                            {"CONFIGURE", "1"}, {"COMPUTE", "1"}};
    for (const auto& [type, count] : per_type) {
        EXPECT_EQ(csvField(stats, "sst0", "requests", type, "Count.u64"), count) << type << "\n" << stats;
        EXPECT_EQ(csvField(stats, "sst0", "errors", type, "Count.u64"), "0") << type << "\n" << stats;
    }
    EXPECT_EQ(csvField(stats, "sst0", "latency", "NOOP", "Sum.u64"), "5") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "latency", "ECHO", "Sum.u64"), "15") << stats;
    // COMPUTE: 1 ns to the model, 10 cycles, 1 ns back.
    EXPECT_EQ(csvField(stats, "sst0", "latency", "COMPUTE", "Sum.u64"), "12") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "requests", "sst0", "Count.u64"), "14") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "responses", "sst0", "Count.u64"), "14") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "errors", "sst0", "Count.u64"), "0") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "latency", "sst0", "Max.u64"), "14") << stats;  // the COMPUTE, in bridge cycles
    EXPECT_EQ(csvField(stats, "model0", "requests", "", "Count.u64"), "1") << stats;
}

TEST_F(VirtioTest, MemoryBoundsAreChecked) {
    const auto [r, stats] = runWithStatistics(writeScript(R"(
vreq sst0 WRITE addr=4092 text=abcd expect-status OK
vreq sst0 WRITE addr=4093 text=abcd expect-status INVALID
vreq sst0 READ addr=4096 size=1 expect-status INVALID
vreq sst0 READ addr=4095 size=1 expect-status OK expect-text d
vreq sst0 READ addr=0xffffffffffff0000 size=16 expect-status INVALID
vreq sst0 READ addr=0xfffffffffffffff8 size=16 expect-status INVALID   # wraps: refused by the bridge
vreq sst0 READ addr=0 size=0 expect-status INVALID                       # refused by the bridge
vreq sst0 READ addr=0 size=4049 expect-status INVALID                    # more than SST_MEMORY_DATA_MAX
vreq sst0 GET_INFO expect-memory-size 4096
exit 0
)"),
                                              {"--device-param", "memory_size=4KiB"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(csvField(stats, "sst0", "errors", "WRITE", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "errors", "READ", "Count.u64"), "2") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "requests", "READ", "Count.u64"), "3") << stats;  // 3 never reached it
    EXPECT_EQ(csvField(stats, "qemu", "errors", "sst0", "Count.u64"), "6") << stats;
}

// Wrong lengths and malformed requests are answered by the bridge itself, at once.
TEST_F(VirtioTest, BadRequestsAreInvalid) {
    const auto [r, stats] = runWithStatistics(writeScript(R"(
vreq sst0 NOOP length=100 id=5 expect-status INVALID expect-latency 0 expect-request-id 5
vreq sst0 NOOP length=4097 expect-status INVALID expect-latency 0
vreq sst0 NOOP length=0 expect-status INVALID
vreq sst0 8 expect-status INVALID expect-latency 0
vreq sst0 0xffffffff expect-status INVALID
vreq sst0 COMPUTE units=1 model=3 expect-status INVALID
vreq sst0 CONFIGURE key=0 value=1 expect-status INVALID
vreq sst0 CONFIGURE key=5 value=1 expect-status INVALID
vreq sst0 ECHO len=4065 expect-status INVALID
vreq sst0 CONFIGURE key=lanes value=0 expect-status INVALID expect-latency 7000      # refused by the device
vreq sst0 CONFIGURE key=latency_model value=3 expect-status INVALID
vreq sst0 COMPUTE units=1048577 expect-status INVALID
vreq sst0 COMPUTE units=1048576 model=fixed expect-status OK expect-cycles 10
vreq sst0 NOOP expect-status OK
exit 0
)"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(csvField(stats, "qemu", "requests", "sst0", "Count.u64"), "14") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "errors", "sst0", "Count.u64"), "12") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "errors", "CONFIGURE", "Count.u64"), "2") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "errors", "COMPUTE", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "requests", "NOOP", "Count.u64"), "1") << stats;
}

// cycles: FIXED base; LINEAR base + units * cpu; PIPELINED base + ceil(units / lanes) * cpu.
TEST_F(VirtioTest, ComputeCyclesPerModelAndConfigure) {
    const auto [r, stats] = runWithStatistics(writeScript(R"(
vreq sst0 COMPUTE units=100 model=fixed expect-cycles 10 expect-result 100
vreq sst0 COMPUTE units=100 model=linear expect-cycles 210
vreq sst0 COMPUTE units=10 model=pipelined expect-cycles 16
vreq sst0 COMPUTE units=0 model=pipelined expect-cycles 10
vreq sst0 COMPUTE units=8 model=pipelined expect-cycles 14
vreq sst0 CONFIGURE key=base_latency value=20 expect-status OK
vreq sst0 CONFIGURE key=cycles_per_unit value=3 expect-status OK
vreq sst0 CONFIGURE key=lanes value=8 expect-status OK
vreq sst0 CONFIGURE key=latency_model value=0 expect-status OK
vreq sst0 COMPUTE units=10 model=pipelined expect-cycles 26
vreq sst0 COMPUTE units=4 model=linear expect-cycles 32 expect-latency 36000
vreq sst0 COMPUTE units=4 model=fixed expect-cycles 20
vreq sst0 RESET expect-status OK
vreq sst0 COMPUTE units=4 model=linear expect-cycles 18
vreq sst0 COMPUTE units=10 model=pipelined expect-cycles 16
exit 0
)"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(csvField(stats, "model0", "requests", "", "Count.u64"), "10") << stats;
    EXPECT_EQ(csvField(stats, "model0", "busy_cycles", "", "Sum.u64"),
              std::to_string(10 + 210 + 16 + 10 + 14 + 26 + 32 + 20 + 18 + 16))
        << stats;
}

// CONFIGURE's latency model applies to requests that ask for the default with a flag.
TEST_F(VirtioTest, DefaultModelFlagUsesTheConfiguredModel) {
    expectScriptPasses(R"(
vreq sst0 COMPUTE units=100 model=fixed flags=2 expect-cycles 210
vreq sst0 CONFIGURE key=latency_model value=0 expect-status OK
vreq sst0 COMPUTE units=100 model=linear flags=2 expect-cycles 10
vreq sst0 COMPUTE units=100 model=linear expect-cycles 210
vreq sst0 COMPUTE units=100 model=linear flags=8 expect-status INVALID
exit 0
)");
}

TEST_F(VirtioTest, ComputeModelParameters) {
    // FIXED's expect-latency: 4 link crossings of 1 ns and 1 cycle of 2 ns.
    expectScriptPasses(R"(
vreq sst0 COMPUTE units=10 model=linear expect-cycles 51
vreq sst0 COMPUTE units=10 model=pipelined expect-cycles 21
vreq sst0 COMPUTE units=10 model=fixed expect-cycles 1 expect-latency 6000
exit 0
)",
                       {"--model-param", "base_latency=1", "--model-param", "cycles_per_unit=5", "--model-param",
                        "lanes=3", "--model-param", "clock=500MHz"});
}

// Three requests at the same guest time with two slots: two overlap, the third starts when the
// first slot frees.  Links 1 ns: the model sees them at 2 ns; 10 units linear = 30 cycles.
TEST_F(VirtioTest, OverlappingComputeRequests) {
    const auto [r, stats] = runWithStatistics(writeScript(R"(
vreq-async sst0 COMPUTE units=10 model=linear id=1 as a
vreq-async sst0 COMPUTE units=10 model=linear id=2 as b
vreq-async sst0 COMPUTE units=10 model=linear id=3 as c
vreq-async sst0 NOOP id=4 as d
vwait d expect-status OK expect-latency 7000
vwait c expect-request-id 3 expect-cycles 30 expect-timestamp 62000 expect-latency 64000
vwait a expect-request-id 1 expect-cycles 30 expect-timestamp 32000 expect-latency 34000
vwait b expect-request-id 2 expect-cycles 30 expect-timestamp 32000 expect-latency 34000
exit 0
)"),
                                              {"--model-param", "max_in_flight=2"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(csvField(stats, "model0", "queue_waits", "", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "model0", "queue_waits", "", "Sum.u64"), "30") << stats;
    EXPECT_EQ(csvField(stats, "model0", "busy_cycles", "", "Sum.u64"), "90") << stats;
}

TEST_F(VirtioTest, NotifyFlagSendsCompletionEvent) {
    const auto [r, stats] = runWithStatistics(writeScript(R"(
vreq sst0 COMPUTE units=3 model=linear id=40 expect-timestamp 18000
vreq-async sst0 COMPUTE units=5 model=linear flags=1 id=41 as n
vwait n expect-cycles 20 expect-timestamp 1022000
expect-event sst0 COMPLETION expect-request-id 41 expect-data 20 expect-timestamp 1022000
exit 0
)"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(csvField(stats, "qemu", "events", "sst0", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "sst0", "events", "", "Count.u64"), "1") << stats;
}

TEST_F(VirtioTest, WithoutComputeModel) {
    expectScriptPasses(R"(
vreq sst0 COMPUTE units=1 expect-status ERROR
vreq sst0 CONFIGURE key=lanes value=2 expect-status ERROR
vreq sst0 GET_INFO expect-caps 5
vreq sst0 RESET expect-status OK
exit 0
)",
                       {"--no-compute"});
}

TEST_F(VirtioTest, FastModeServesRequests) {
    expectScriptPasses(R"(
vreq sst0 ECHO text=fast expect-status OK expect-text fast
vreq sst0 COMPUTE units=4 model=linear flags=1 expect-status OK expect-cycles 18
expect-event sst0 COMPLETION expect-data 18
exit 0
)",
                       {"--mode", "fast"});
}

TEST_F(VirtioTest, WithMmioDevice) {
    const RunResult r = run(writeScript(R"(
read echo0 0x00 8 expect 0x4f484345
vreq sst0 ECHO text=both expect-text both
write echo0 0x08 8 7
vreq sst0 NOOP expect-latency 7000
read echo0 0x08 8 expect 7
exit 0
)"),
                            {"--mmio-echo"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "Device echo0 connected")) << r.output;
    EXPECT_TRUE(contains(r.output, "Device sst0 connected")) << r.output;
}

TEST_F(VirtioTest, ThreeRunsGiveIdenticalStatistics) {
    const std::string script = writeScript(R"(
vreq-async sst0 COMPUTE units=7 model=pipelined flags=1 as a
vreq-async sst0 COMPUTE units=9 model=linear as b
vreq-async sst0 WRITE addr=8 text=xyz as c
vwait c
vreq sst0 CONFIGURE key=cycles_per_unit value=4
vwait b
vwait a
expect-event sst0 COMPLETION
repeat 5
vreq sst0 COMPUTE units=3 model=linear
vreq sst0 READ addr=8 size=3 expect-text xyz
end
sleep-ms 5
vreq sst0 GET_INFO
exit 0
)");
    std::string first;
    for (int i = 0; i < 3; i++) {
        const std::string csv = dir_ + "/stats" + std::to_string(i) + ".csv";
        const RunResult r = run(script, {"--stats-csv", csv, "--model-param", "max_in_flight=1"});
        ASSERT_EQ(r.exit_code, 0) << r.output;
        const std::string stats = readFile(csv);
        ASSERT_FALSE(stats.empty());
        if (i == 0) {
            first = stats;
        } else {
            EXPECT_EQ(stats, first);
        }
    }
    EXPECT_EQ(csvField(first, "model0", "requests", "", "Count.u64"), "7") << first;
}

TEST_F(VirtioTest, MmioChannelRefusesVirtioFrames) {
    // A window channel does not carry the virtio family: its frame is an unknown type there, and
    // the bridge drops the channel (here the time master, so the stand-in gives up).
    const RunResult r = run(writeScript(R"(
send-frame echo0 VIRTIO_REQUEST
vreq sst0 NOOP expect-status OK
exit 0
)"),
                            {"--mmio-echo"});
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "channel of device echo0 failed: ")) << r.output;
    EXPECT_TRUE(contains(r.output, "unknown frame type")) << r.output;
}

TEST_F(VirtioTest, LinuxLaunchParametersReachTheCommandLine) {
    const RunResult r = run(writeScript("vreq sst0 NOOP\nexit 0\n"),
                            {"--bridge-param", "bios=/fw/fw_dynamic.bin", "--bridge-param", "initrd=/boot/initrd.gz",
                             "--bridge-param", "append=console=ttyS0 quiet", "--bridge-param", "memory=256M"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "-m 256M -object memory-backend-memfd,id=sst-ram,share=on,size=256M -machine "
                         "memory-backend=sst-ram -bios /fw/fw_dynamic.bin -display none -monitor none -chardev "
                         "stdio,id=console,signal=on -serial chardev:console -kernel "))
        << r.output;
    EXPECT_TRUE(contains(r.output, " -initrd /boot/initrd.gz -append console=ttyS0 quiet ")) << r.output;
}

TEST_F(VirtioTest, LinuxBasicConfigRunsWithStandin) {
    const std::string csv = dir_ + "/stats.csv";
    const RunResult r =
        runRunner({QEMU_SST_SOURCE_DIR "/configs/linux_basic.py", "--standin", "--script", writeScript(R"(
vreq sst0 GET_INFO expect-caps 7 expect-memory-size 1048576
vreq sst0 COMPUTE units=4 model=pipelined flags=1 expect-cycles 12
expect-event sst0 COMPLETION expect-data 12
print guest: PASS
exit 0
)"),
                   "--stats-csv", csv});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "guest: PASS")) << r.output;
    EXPECT_TRUE(contains(r.output, "-append console=ttyS0 quiet")) << r.output;
    const std::string stats = readFile(csv);
    EXPECT_EQ(csvField(stats, "compute0", "requests", "", "Count.u64"), "1") << stats;
    EXPECT_EQ(csvField(stats, "qemu", "events", "sst0", "Count.u64"), "1") << stats;
}

TEST_F(VirtioTest, NoDevicesAtAllIsRefused) {
    const RunResult r = run(writeScript("exit 0\n"), {"--bridge-param", "num_virtio_devices=0"});
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "num_devices must be between 1 and 64")) << r.output;
}

}  // namespace

// Every bare-metal guest program (guest/baremetal) on the real QEMU under the engine, through the
// configs in configs/, in both time modes, rv64 and rv32: exit status (the guest's verdict), the
// program's own check lines, the bridge's log lines at --verbose 2 and the statistics.
#include <regex>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

struct Case {
    std::string arch;     // rv64 | rv32
    std::string program;  // guest/baremetal/programs/<program>.c
    int devices;          // 2: configs/test_2device_integration.py, 4: configs/qemu_4device_test.py
    std::string mode;     // deterministic | fast
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.arch << " " << c.program << " " << c.devices << " devices " << c.mode;
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    const Case& c = info.param;
    return c.arch + "_" + c.program + "_" + std::to_string(c.devices) + "dev_" + c.mode;
}

struct Device {
    std::string name;
    bool echo;
};

std::vector<Device> devicesOf(int count) {
    if (count == 4) {
        return {{"echo0", true}, {"compute0", false}, {"echo1", true}, {"compute1", false}};
    }
    return {{"echo_device", true}, {"compute_device", false}};
}

class GuestProgramTest : public QemuTestBase, public ::testing::WithParamInterface<Case> {
protected:
    bool deterministic() const { return GetParam().mode == "deterministic"; }
    bool rv64() const { return GetParam().arch == "rv64"; }

    // `line` must end a line of the output.  Not necessarily start one: the runner's stdout is
    // block-buffered, so a block of the bridge's log may end mid-line just before the guest prints.
    void expectLine(const std::string& line) {
        EXPECT_TRUE(contains(out_, line + "\n")) << "missing line: '" << line << "'\n" << out_;
    }
    void expectLineMatching(const std::string& pattern) {
        EXPECT_TRUE(std::regex_search(out_, std::regex(pattern + "\n"))) << "no line matching '" << pattern << "'\n"
                                                                        << out_;
    }
    long long count(const std::string& component, const std::string& stat, const std::string& subid = "") {
        const long long n = csvCount(csv_, component, stat, subid);
        EXPECT_GE(n, 0) << component << "." << stat << "." << subid << " missing from the statistics:\n" << csv_;
        return n;
    }
    long long sum(const std::string& component, const std::string& stat, const std::string& subid,
                  const std::string& field) {
        return std::atoll(csvField(csv_, component, stat, subid, field).c_str());
    }
    // The first access the bridge logged (the log's first block, never interleaved with the guest's).
    std::string firstAccess() { return firstMatch(out_, "MMIO from ([^\n]*) data="); }
    void expectNoDeviceAccesses() {
        for (const Device& d : devicesOf(GetParam().devices)) {
            EXPECT_EQ(count("qemu", "reads", d.name), 0);
            EXPECT_EQ(count("qemu", "writes", d.name), 0);
        }
        EXPECT_FALSE(contains(out_, "MMIO from ")) << out_;
    }

    std::string out_;
    std::string csv_;
};

TEST_P(GuestProgramTest, RunsAndPasses) {
    const Case& c = GetParam();
    const std::string program =
        c.program == "throughput_small" ? smallGuestPath(c.program, c.arch) : guestPath(c.arch, c.program);
    ASSERT_TRUE(haveFile(program, "build the guest_programs target (guest/baremetal)"));
    const std::string config = c.devices == 4 ? "configs/qemu_4device_test.py" : "configs/test_2device_integration.py";
    const std::string csv = path("stats.csv");
    const RunResult r = runToFile(runnerArgv(config, c.arch, program, c.mode, 2, csv), runEnv(), path("run.out"), 120);
    out_ = "\n" + r.output;  // so that the first line is a whole line too
    ASSERT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 0) << r.output;
    csv_ = readFile(csv);
    ASSERT_FALSE(csv_.empty()) << "no statistics written to " << csv << "\n" << r.output;

    // --- the bridge's lifecycle, at --verbose 2 --------------------------------------------------
    const std::vector<Device> devices = devicesOf(c.devices);
    for (size_t i = 0; i < devices.size(); i++) {
        EXPECT_TRUE(std::regex_search(out_, std::regex("Device " + devices[i].name + " socket listening at " + tmpDir() +
                                                       "/qemu-sst-[A-Za-z0-9]{6}/device" + std::to_string(i) +
                                                       "\\.sock\n")))
            << out_;
        EXPECT_TRUE(contains(out_, "Device " + devices[i].name + " connected\n")) << out_;
    }
    EXPECT_TRUE(contains(out_, "Waiting for " + std::to_string(devices.size()) + " device connections...")) << out_;
    EXPECT_EQ(contains(out_, "-icount shift=0,sleep=off"), deterministic()) << out_;
    EXPECT_TRUE(contains(out_, "QEMU exited with status 0\n")) << out_;
    EXPECT_TRUE(contains(out_, "Simulation is complete")) << out_;
    EXPECT_TRUE(leftoverSocketDirs().empty()) << "socket directory left in " << tmpDir();
    expectNoQemuLeft();

    // --- what the bridge counted agrees with what the devices served ------------------------------
    for (const Device& d : devices) {
        // Every access the bridge forwarded, the device served (reads, writes) or refused (bus_errors).
        EXPECT_EQ(count("qemu", "reads", d.name) + count("qemu", "writes", d.name),
                  count(d.name, "reads") + count(d.name, "writes") + count(d.name, "bus_errors"))
            << d.name << "\n" << csv_;
        EXPECT_EQ(count("qemu", "errors", d.name), count(d.name, "bus_errors")) << csv_;
        if (deterministic() && count("qemu", "latency", d.name) > 0) {
            // 1 GHz bridge clock: echo latency + 2 ns of links; compute 1 cycle + 2 ns.
            const long long want = d.name == "echo1" ? 22 : d.echo ? 12 : 3;
            EXPECT_EQ(sum("qemu", "latency", d.name, "Min.u64"), want) << d.name;
            EXPECT_EQ(sum("qemu", "latency", d.name, "Max.u64"), want) << d.name;
        }
    }

    // --- the program's own checks -------------------------------------------------------------------
    const std::string xlen = rv64() ? "rv64" : "rv32";
    const std::string echo0 = devices[0].name;
    if (c.program == "irq_test") {
        expectLine("irq_test: " + xlen);
        std::vector<std::string> computes;
        for (size_t i = 0; i < devices.size(); i++) {
            if (!devices[i].echo) {
                computes.push_back(devices[i].name);
                expectLine("compute device " + std::to_string(i) + ", PLIC source " + std::to_string(12 + i));
            }
        }
        const int base = 10 + 20 * int(computes.size() - 1);  // the last compute device's checks
        expectLineMatching("  \\[" + std::to_string(base) + "\\] interrupt arrived \\(after [0-9]+ wfi wake-up\\(s\\)\\): ok");
        expectLine("  [" + std::to_string(base + 2) + "] STATUS in the handler: DONE | IRQ_PENDING: ok (0xa)");
        expectLine("  [" + std::to_string(base + 5) + "] exactly one interrupt in all: ok (0x1)");
        expectLine("  [" + std::to_string(base + 8) + "]   STATUS in the handler: ERROR | IRQ_PENDING: ok (0xc)");
        if (deterministic()) {
            expectLineMatching("  \\[" + std::to_string(base + 6) +
                               "\\] interrupt [0-9]+ ns after START, not before the 20-cycle operation: ok");
        } else {
            expectLine("  [" + std::to_string(base + 6) +
                       "] interrupt not before the operation's end: skipped (time is not deterministic)");
        }
        expectLine("  [2] no interrupt from a source without a handler: ok (0x0)");
        expectLine("irq_test: PASS");
        EXPECT_EQ(firstAccess(), echo0 + ": type=READ addr=0x0000000010200000");  // probing device 0's ID
        for (const std::string& name : computes) {
            // Each device: raised and lowered for the DIV, again for the error, lowered by RESET.
            EXPECT_GE(count("qemu", "interrupts", name), 4) << name;
            EXPECT_EQ(count(name, "operations"), 3) << name;  // DIV, DIV by zero, MUL
        }
        EXPECT_EQ(count("qemu", "interrupts", echo0), 0);
    } else if (c.program == "latency_test") {
        expectLine("latency_test: " + xlen + ", 1000 accesses per device");
        if (deterministic()) {
            expectLine("  RAM loop: 3001 ns for 1000 iterations (3 instructions each)");
            for (size_t i = 0; i < devices.size(); i++) {
                const int ns = devices[i].name == "echo1" ? 22 : devices[i].echo ? 12 : 3;
                expectLine("  device " + std::to_string(i) + " (" + devices[i].name + ", " +
                           (devices[i].echo ? "echo" : "compute") + "): expected " + std::to_string(ns) + " ns/access");
                expectLine("    rdcycle: " + std::to_string(ns * 1000) + " ns over 1000 accesses = " + std::to_string(ns) +
                           ".000 ns/access");
            }
            expectLine("latency_test: PASS");
            EXPECT_EQ(firstAccess(), echo0 + ": type=READ addr=0x0000000010200000");
            EXPECT_EQ(count("qemu", "reads", echo0), 2001);  // probe + rdcycle loop + rdtime loop
        } else {
            expectLine("latency_test: SKIP");
            EXPECT_FALSE(contains(out_, "latency_test: PASS")) << out_;
            expectNoDeviceAccesses();
        }
    } else if (c.program == "throughput" || c.program == "throughput_small") {
        const long long n = c.program == "throughput" ? 100000 : 10000;
        expectLine("throughput: " + std::to_string(n) + " 4-byte reads of echo device 0 DATA");
        expectLine("throughput: done, 0 mismatching reads");
        EXPECT_EQ(firstAccess(), "echo_device: type=WRITE addr=0x0000000010200008");
        EXPECT_EQ(count("qemu", "reads", "echo_device"), n);
        EXPECT_EQ(count("echo_device", "reads"), n);
        EXPECT_EQ(count("qemu", "writes", "echo_device"), 1);
        EXPECT_EQ(sum("qemu", "bytes_read", "echo_device", "Sum.u64"), 4 * n);
    } else if (c.program == "multi_device_test") {
        expectLine("multi_device_test: " + xlen);
        expectLine("probe: " + std::to_string(devices.size()) + " device(s)");
        expectLine("  [10] device kinds in configuration order: ok");
        expectLine("  [11] each device shows its own parameters: ok");
        expectLine("  [20] every device returns what was written to it: ok");
        expectLine("  [21] echo devices count only their own accesses: ok");
        expectLine("  [30] each compute device computed its own operands: ok");
        expectLine("multi_device_test: PASS");
        if (c.devices == 4) {
            expectLine("    echo1: LATENCY 20 (expected 20)");
            expectLine("    compute1: MUL took 5 cycles (expected 5)");
            expectLine("    device 3: 4000 + 10 = 4010");
        }
        EXPECT_EQ(firstAccess(), echo0 + ": type=READ addr=0x0000000010200000");
        for (const Device& d : devices) {
            EXPECT_GT(count("qemu", "reads", d.name), 0) << d.name;
            EXPECT_GT(count("qemu", "writes", d.name), 0) << d.name;
            if (!d.echo) {
                EXPECT_EQ(count(d.name, "operations"), 2) << d.name;  // the MUL of the layout check, the ADD
            }
        }
    } else if (c.program == "hello") {
        expectLine("hello: " + xlen + " bare-metal runtime on QEMU virt");
        expectLine("  [6]   with mtval = the address: ok (0xf000000)");
        expectLine("  [9] rdcycle and rdtime advance: ok");
        if (deterministic()) {
            expectLineMatching("  200000 instructions: [0-9]+ cycles, [0-9]+ time ticks; time is deterministic \\(icount shift=0\\)");
        } else {
            expectLineMatching("  200000 instructions: [0-9]+ cycles, [0-9]+ time ticks; time is not icount-based");
        }
        expectLine("hello: PASS");
        expectNoDeviceAccesses();
    } else if (c.program == "compute_loop") {
        expectLine("compute_loop: 50000000 iterations, checksum 0x90476853");
        expectNoDeviceAccesses();
    } else {
        FAIL() << "no expectations for " << c.program;
    }
    if (deterministic()) {
        EXPECT_GT(count("qemu", "syncs"), 0);
    }
}

std::vector<Case> allCases() {
    std::vector<Case> cases;
    for (const char* arch : {"rv64", "rv32"}) {
        for (const char* mode : {"deterministic", "fast"}) {
            // throughput: the default 100000 reads on rv64; rv32 runs a 10000-read build (the loop is
            // the same, and 100000 synchronous accesses cost up to a minute on a loaded 2-core machine).
            // echo_test and compute_test declare their config: declared_guest_test.cc runs them.
            for (const char* program : {"irq_test", "latency_test", "multi_device_test", "hello", "compute_loop"}) {
                cases.push_back({arch, program, 2, mode});
            }
            cases.push_back({arch, std::string(arch) == "rv64" ? "throughput" : "throughput_small", 2, mode});
            for (const char* program : {"multi_device_test", "irq_test", "latency_test"}) {
                cases.push_back({arch, program, 4, mode});
            }
        }
    }
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Programs, GuestProgramTest, ::testing::ValuesIn(allCases()), caseName);

}  // namespace
}  // namespace QemuSstTest

// The bare-metal programs that measure rather than check (throughput, compute_loop) on the real QEMU
// under the engine, in both time modes, rv64 and rv32: exit status, their results, the statistics,
// and the bridge's lifecycle at --verbose 2 (sockets, connections, QEMU's exit, nothing left).
// Programs with their own checks name their configs and run in declared_guest_test.cc.
#include <regex>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

struct Case {
    std::string arch;     // rv64 | rv32
    std::string program;  // guest/baremetal/programs/<program>.c
    std::string mode;     // deterministic | fast
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.arch << " " << c.program << " " << c.mode; }

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    const Case& c = info.param;
    return c.arch + "_" + c.program + "_2dev_" + c.mode;
}

struct Device {
    std::string name;
    bool echo;
};

// The devices of configs/test_2device_integration.py, the config every program here runs with.
const std::vector<Device> kDevices = {{"echo_device", true}, {"compute_device", false}};

class GuestProgramTest : public QemuTestBase, public ::testing::WithParamInterface<Case> {
protected:
    bool deterministic() const { return GetParam().mode == "deterministic"; }

    // `line` must end a line of the output.  Not necessarily start one: the output is the runner's
    // stdout and stderr in one file, and stdout, block-buffered there, may end a block mid-line
    // just before a log line on stderr.
    void expectLine(const std::string& line) {
        EXPECT_TRUE(contains(out_, line + "\n")) << "missing line: '" << line << "'\n" << out_;
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
        for (const Device& d : kDevices) {
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
    const std::string config = "configs/test_2device_integration.py";
    const std::string csv = path("stats.csv");
    const RunResult r = runToFile(runnerArgv(config, c.arch, program, c.mode, 2, csv), runEnv(), path("run.out"), 120);
    out_ = "\n" + r.output;  // so that the first line is a whole line too
    ASSERT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 0) << r.output;
    csv_ = readFile(csv);
    ASSERT_FALSE(csv_.empty()) << "no statistics written to " << csv << "\n" << r.output;

    // --- the bridge's lifecycle, at --verbose 2 --------------------------------------------------
    const std::vector<Device>& devices = kDevices;
    for (size_t i = 0; i < devices.size(); i++) {
        EXPECT_TRUE(
            std::regex_search(out_, std::regex("Device " + devices[i].name + " socket listening at " + tmpDir() +
                                               "/qemu-sst-[A-Za-z0-9]{6}/device" + std::to_string(i) + "\\.sock\n")))
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
            << d.name << "\n"
            << csv_;
        EXPECT_EQ(count("qemu", "errors", d.name), count(d.name, "bus_errors")) << csv_;
        if (deterministic() && count("qemu", "latency", d.name) > 0) {
            // 1 GHz bridge clock: echo latency + 2 ns of links; compute 1 cycle + 2 ns.
            const long long want = d.echo ? 12 : 3;
            EXPECT_EQ(sum("qemu", "latency", d.name, "Min.u64"), want) << d.name;
            EXPECT_EQ(sum("qemu", "latency", d.name, "Max.u64"), want) << d.name;
        }
    }

    // --- the program's own results -------------------------------------------------------------------
    if (c.program == "throughput" || c.program == "throughput_small") {
        const long long n = c.program == "throughput" ? 100000 : 10000;
        expectLine("throughput: " + std::to_string(n) + " 4-byte reads of echo device 0 DATA");
        expectLine("throughput: done, 0 mismatching reads");
        EXPECT_EQ(firstAccess(), "echo_device: type=WRITE addr=0x0000000010200008");
        EXPECT_EQ(count("qemu", "reads", "echo_device"), n);
        EXPECT_EQ(count("echo_device", "reads"), n);
        EXPECT_EQ(count("qemu", "writes", "echo_device"), 1);
        EXPECT_EQ(sum("qemu", "bytes_read", "echo_device", "Sum.u64"), 4 * n);
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
            cases.push_back({arch, std::string(arch) == "rv64" ? "throughput" : "throughput_small", mode});
            cases.push_back({arch, "compute_loop", mode});
        }
    }
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Programs, GuestProgramTest, ::testing::ValuesIn(allCases()), caseName);

}  // namespace
}  // namespace QemuSstTest

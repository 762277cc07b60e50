// Guest programs that name their own configurations run here, found by scanning
// guest/baremetal/programs/*.c for lines
//     qemu-sst test: configs/NAME.py
// Each runs with each of its configs on rv64 and rv32, in deterministic and fast mode, and is
// judged by the guest's verdict (the exit status, and its "<program>: PASS" line, or SKIP where the
// program cannot measure what it checks), by what holds for every run (every access the bridge
// forwarded was served or refused by its device; nothing left behind) and, in deterministic mode, by
// its statistics: tests/qemu/golden/<program>.<config>.<arch>.csv when that file exists
// (QEMU_SST_UPDATE_GOLDEN=1 writes it).  So a new device's test program needs no edit here
// (docs/adding-a-device.md).
#include <dirent.h>

#include <fstream>
#include <regex>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

struct Case {
    std::string program;  // guest/baremetal/programs/<program>.c
    std::string config;   // relative to the source tree
    std::string arch;     // rv64 | rv32
    std::string mode;     // deterministic | fast
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.program << " " << c.config << " " << c.arch << " " << c.mode; }

std::vector<Case> declaredCases() {
    std::vector<Case> cases;
    const std::string dir = sourcePath("guest/baremetal/programs");
    std::vector<std::string> files;
    if (DIR* d = opendir(dir.c_str())) {
        while (const dirent* e = readdir(d)) {
            const std::string name = e->d_name;
            if (name.size() > 2 && name.compare(name.size() - 2, 2, ".c") == 0) {
                files.push_back(name);
            }
        }
        closedir(d);
    }
    std::sort(files.begin(), files.end());
    const std::regex marker("qemu-sst test: (configs/[A-Za-z0-9_]+\\.py)");
    for (const std::string& file : files) {
        const std::string text = readFile(dir + "/" + file);
        for (auto m = std::sregex_iterator(text.begin(), text.end(), marker); m != std::sregex_iterator(); ++m) {
            for (const char* arch : {"rv64", "rv32"}) {
                for (const char* mode : {"deterministic", "fast"}) {
                    cases.push_back({file.substr(0, file.size() - 2), (*m)[1], arch, mode});
                }
            }
        }
    }
    return cases;
}

// configs/test_2device_integration.py -> test_2device_integration
std::string configName(const Case& c) { return c.config.substr(8, c.config.size() - 11); }

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    return info.param.program + "_" + configName(info.param) + "_" + info.param.arch + "_" + info.param.mode;
}

class DeclaredGuestTest : public QemuTestBase, public ::testing::WithParamInterface<Case> {};

TEST_P(DeclaredGuestTest, PassesWithItsConfig) {
    const Case& c = GetParam();
    const std::string program = guestPath(c.arch, c.program);
    ASSERT_TRUE(haveFile(program, "build the guest_programs target (guest/baremetal)"));
    const std::string csv = path("stats.csv");
    const RunResult r =
        runToFile(runnerArgv(c.config, c.arch, program, c.mode, 0, csv), runEnv(), path("run.out"), 240);
    ASSERT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 0) << "the guest's verdict\n" << r.output;
    EXPECT_TRUE(contains(r.output, c.program + ": PASS\n") || contains(r.output, c.program + ": SKIP\n")) << r.output;
    EXPECT_TRUE(leftoverSocketDirs().empty()) << "socket directory left in " << tmpDir();
    expectNoQemuLeft();
    const std::string stats = readFile(csv);
    ASSERT_FALSE(stats.empty()) << "no statistics written\n" << r.output;

    // Every access the bridge forwarded to a device, the device served (reads, writes) or refused
    // (bus_errors, which the bridge counts as errors).
    for (const std::string& dev : csvSubIds(stats, "qemu", "reads")) {
        EXPECT_EQ(csvCount(stats, "qemu", "reads", dev) + csvCount(stats, "qemu", "writes", dev),
                  csvCount(stats, dev, "reads") + csvCount(stats, dev, "writes") + csvCount(stats, dev, "bus_errors"))
            << dev << "\n"
            << stats;
        EXPECT_EQ(csvCount(stats, "qemu", "errors", dev), csvCount(stats, dev, "bus_errors")) << dev << "\n" << stats;
    }
    if (c.mode != "deterministic") {
        return;  // fast mode's statistics follow the host's timing
    }
    const std::string golden =
        sourcePath("tests/qemu/golden/" + c.program + "." + configName(c) + "." + c.arch + ".csv");
    if (const char* update = std::getenv("QEMU_SST_UPDATE_GOLDEN"); update && std::string(update) == "1") {
        std::ofstream(golden) << stats;
    } else if (const std::string want = readFile(golden); !want.empty()) {
        EXPECT_EQ(stats, want) << "statistics differ from " << golden;
    }
}

INSTANTIATE_TEST_SUITE_P(Programs, DeclaredGuestTest, ::testing::ValuesIn(declaredCases()), caseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DeclaredGuestTest);

}  // namespace
}  // namespace QemuSstTest

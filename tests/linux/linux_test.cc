// The linux tier: a Linux guest (kernel from scripts/build-linux.sh, virtio-sst.ko, sst-test)
// booted under the engine with the real QEMU, served by acalsim.VirtIODevice + ComputeModel.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "subprocess.h"

namespace {

using QemuSstTest::RunResult;

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

RunResult bootLinux(const std::vector<std::string>& extra, int timeout_s) {
    for (const char* path : {QEMU_SST_QEMU, QEMU_SST_KERNEL, QEMU_SST_INITRD}) {
        if (!std::filesystem::exists(path)) {
            RunResult missing;
            missing.output = std::string("missing ") + path +
                             ": run scripts/build-qemu.sh, scripts/build-linux.sh and the build (make test does all)";
            return missing;
        }
    }
    std::vector<std::string> argv = {QEMU_SST_RUNNER, QEMU_SST_SOURCE_DIR "/configs/linux_basic.py", "--qemu",
                                     QEMU_SST_QEMU,   "--kernel",  QEMU_SST_KERNEL, "--initrd", QEMU_SST_INITRD,
                                     "--verbose",     "1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return QemuSstTest::runCommand(argv, {}, timeout_s);
}

void expectCleanPass(const RunResult& r) {
    EXPECT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "SST-TEST-RESULT: PASS")) << r.output;
    EXPECT_TRUE(contains(r.output, " 0 failed")) << r.output;
    for (const char* bad : {"Oops", "BUG:", "WARNING:", "Call Trace"}) {
        EXPECT_FALSE(contains(r.output, bad)) << "kernel reported " << bad << "\n" << r.output;
    }
}

// Every sst-test check, the 10-process run and the 100,000-request stress run included.
TEST(LinuxGuest, FullTestSuitePassesInFastMode) {
    const RunResult r = bootLinux({"--mode", "fast"}, 600);
    expectCleanPass(r);
    EXPECT_TRUE(contains(r.output, "virtio-sst")) << r.output;
}

// Deterministic guest time, with shorter concurrency and stress phases (each request costs
// several synchronisations with the guest there).
TEST(LinuxGuest, TestSuitePassesWithDeterministicTime) {
    const RunResult r =
        bootLinux({"--mode", "deterministic", "--append-extra", "sst_test_args=\"-n 200 -p 2 -r 10\""}, 600);
    expectCleanPass(r);
}

}  // namespace

// Shared by the qemu tier's tests: where the runner, QEMU, the guest programs and fake_sim are,
// a per-test scratch directory and statistics CSVs (background runs and process inspection are
// in tests/support/subprocess.h).
#ifndef QEMU_SST_TESTS_QEMU_TEST_SUPPORT_H
#define QEMU_SST_TESTS_QEMU_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <sys/types.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "run_files.h"
#include "subprocess.h"

namespace QemuSstTest {

// Paths baked in by tests/qemu/CMakeLists.txt.
std::string runnerPath();
std::string qemuPath(const std::string& arch);  // "rv64" or "rv32"
std::string guestPath(const std::string& arch, const std::string& program);
// Long-running variants (tests/qemu/CMakeLists.txt builds them, rv64): "throughput_long" (1e9
// reads), "compute_loop_long" (4e10 iterations); each runs for minutes unless killed.
std::string longGuestPath(const std::string& program);
// "throughput_small": throughput with 10000 reads (rv64 and rv32).
std::string smallGuestPath(const std::string& program, const std::string& arch = "rv64");
std::string sourcePath(const std::string& relative);  // inside the source tree
std::string fakeSimPath();

// Succeeds if the QEMU for `arch` is there; otherwise says how to get it.
::testing::AssertionResult haveQemu(const std::string& arch);
::testing::AssertionResult haveFile(const std::string& path, const std::string& hint);

// The first capture group of `pattern` in `text`, or "" if it does not match.
std::string firstMatch(const std::string& text, const std::string& pattern);

// Makes this process the reaper of orphaned descendants (QEMU, once the runner is gone) for the
// lifetime of the object, so their exit status can be read and no zombie is left.
class Subreaper {
public:
    Subreaper();
    ~Subreaper();
    Subreaper(const Subreaper&) = delete;
    Subreaper& operator=(const Subreaper&) = delete;
};

// Starts the runner `runner_argv` (which has "--qemu PATH") in `run`, with --qemu replaced by a
// shell that starts `real_qemu` in the background and waits for it: the bridge's PR_SET_PDEATHSIG
// then reaches the shell only, and QEMU (orphaned by a double fork, so adopted by this test as its
// Subreaper, not reaped by the shell) outlives the simulator.  Returns QEMU's pid (or <= 0).
pid_t startWithQemuAsGrandchild(const std::string& dir, const std::vector<std::string>& runner_argv,
                                std::vector<std::string> env, Background& run, const std::string& real_qemu);

// Runs a command to completion with stdout and stderr going to a file (not a pipe this process
// would have to drain: on 2 cores a third busy process slows a co-simulation down many times), at
// most timeout_s; the output is read back from the file.
RunResult runToFile(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                    const std::string& output_path, int timeout_s);

// Keeps `threads` threads busy on the CPU while it lives, each spinning for spin_us then sleeping for
// sleep_us: wall-clock noise for determinism tests (preemption at arbitrary points).  A hog that
// never sleeps would also work, but slows a co-simulation on 2 cores down by up to 100x: both
// sides spin while waiting for each other.
class CpuHog {
public:
    explicit CpuHog(unsigned threads, int spin_us = 500, int sleep_us = 1500);
    ~CpuHog();

private:
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
};

// A scratch directory per test (removed at the end unless QEMU_SST_KEEP_TEST_DIRS=1).
class QemuTestBase : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    // TMPDIR for the runs: the bridge makes its socket directory here.
    std::string tmpDir() const { return dir_ + "/tmp"; }
    std::vector<std::string> runEnv() const { return {"TMPDIR=" + tmpDir()}; }
    // Entries of tmpDir() named qemu-sst-* (socket directories a run left behind).
    std::vector<std::string> leftoverSocketDirs() const;
    // No QEMU of this test (recognised by this test's directory in its command line) is running.
    void expectNoQemuLeft() const;

    // qemu-sst CONFIG --qemu QEMU --program PROGRAM --mode MODE --verbose N [--stats-csv CSV] extra...
    std::vector<std::string> runnerArgv(const std::string& config, const std::string& arch, const std::string& program,
                                        const std::string& mode, int verbose, const std::string& csv,
                                        const std::vector<std::string>& extra = {}) const;

    std::string dir_;
};

}  // namespace QemuSstTest

#endif

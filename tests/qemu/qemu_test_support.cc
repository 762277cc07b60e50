#include "qemu_test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;

namespace QemuSstTest {
namespace {

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

std::string runnerPath() { return QEMU_SST_RUNNER; }

std::string qemuPath(const std::string& arch) {
    return std::string(QEMU_SST_QEMU_BIN_DIR) + (arch == "rv32" ? "/qemu-system-riscv32" : "/qemu-system-riscv64");
}

std::string guestPath(const std::string& arch, const std::string& program) {
    return std::string(QEMU_SST_GUEST_DIR) + "/" + arch + "/" + program + ".elf";
}

std::string longGuestPath(const std::string& program) {
    const std::string base = program.substr(0, program.rfind("_long"));
    return std::string(QEMU_SST_LONG_GUEST_DIR) + "/rv64/" + base + ".elf";
}

std::string smallGuestPath(const std::string& program, const std::string& arch) {
    const std::string base = program.substr(0, program.rfind("_small"));
    return std::string(QEMU_SST_SMALL_GUEST_DIR) + "/" + arch + "/" + base + ".elf";
}

std::string sourcePath(const std::string& relative) { return std::string(QEMU_SST_SOURCE_DIR) + "/" + relative; }

std::string fakeSimPath() { return QEMU_SST_FAKE_SIM; }

::testing::AssertionResult haveQemu(const std::string& arch) {
    const std::string qemu = qemuPath(arch);
    if (access(qemu.c_str(), X_OK) == 0) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "QEMU for " << arch << " not found at " << qemu
           << ": run scripts/build-qemu.sh (or `make qemu`) to build it, or configure with "
              "-DQEMU_SST_QEMU_BIN_DIR=<dir holding qemu-system-riscv64 and qemu-system-riscv32>";
}

::testing::AssertionResult haveFile(const std::string& path, const std::string& hint) {
    if (access(path.c_str(), R_OK) == 0) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << path << " not found: " << hint;
}

std::string firstMatch(const std::string& text, const std::string& pattern) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex(pattern)) && m.size() > 1) {
        return m[1].str();
    }
    return "";
}

RunResult runToFile(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                    const std::string& output_path, int timeout_s) {
    RunResult result;
    Background run;
    run.start(argv, env, output_path);
    if (run.pid() <= 0) {
        result.output = "could not start " + argv[0];
        return result;
    }
    auto code = run.wait(timeout_s * 1000);
    if (!code) {
        result.timed_out = true;
        kill(-run.pid(), SIGKILL);
        code = run.wait(10000);
    }
    result.exit_code = code.value_or(-1);
    result.output = readFile(output_path);
    return result;
}

CpuHog::CpuHog(unsigned threads, int spin_us, int sleep_us) {
    for (unsigned i = 0; i < threads; i++) {
        threads_.emplace_back([this, spin_us, sleep_us] {
            volatile unsigned long x = 1;
            while (!stop_.load(std::memory_order_relaxed)) {
                const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(spin_us);
                while (std::chrono::steady_clock::now() < until) {
                    x = x * 6364136223846793005ul + 1442695040888963407ul;
                }
                std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
            }
        });
    }
}

CpuHog::~CpuHog() {
    stop_ = true;
    for (auto& t : threads_) {
        t.join();
    }
}

void QemuTestBase::SetUp() {
    char templ[] = "/tmp/qemu-sst-qtest-XXXXXX";
    ASSERT_NE(mkdtemp(templ), nullptr);
    dir_ = templ;
    ASSERT_EQ(mkdir(tmpDir().c_str(), 0700), 0);
    ASSERT_TRUE(haveQemu("rv64"));
    ASSERT_TRUE(haveQemu("rv32"));
    ASSERT_TRUE(haveFile(runnerPath(), "build the qemu-sst target"));
}

void QemuTestBase::TearDown() { removeTestDir(dir_); }

std::vector<std::string> QemuTestBase::leftoverSocketDirs() const {
    std::vector<std::string> left;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(tmpDir(), ec)) {
        if (entry.path().filename().string().rfind("qemu-sst-", 0) == 0) {
            left.push_back(entry.path().string());
        }
    }
    return left;
}

void QemuTestBase::expectNoQemuLeft() const {
    for (pid_t pid : processesMatching(tmpDir())) {
        std::string cmdline = readFile("/proc/" + std::to_string(pid) + "/cmdline");
        if (contains(cmdline, "qemu-system-riscv")) {
            ADD_FAILURE() << "QEMU still running: pid " << pid;
        }
    }
}

std::vector<std::string> QemuTestBase::runnerArgv(const std::string& config, const std::string& arch,
                                                  const std::string& program, const std::string& mode, int verbose,
                                                  const std::string& csv, const std::vector<std::string>& extra) const {
    std::vector<std::string> argv = {
        runnerPath(), sourcePath(config), "--qemu", qemuPath(arch), "--program",
        program,      "--mode",           mode,     "--verbose",    std::to_string(verbose)};
    if (!csv.empty()) {
        argv.insert(argv.end(), {"--stats-csv", csv});
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

Subreaper::Subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1); }

Subreaper::~Subreaper() {
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

pid_t startWithQemuAsGrandchild(const std::string& dir, const std::vector<std::string>& runner_argv,
                                std::vector<std::string> env, Background& run, const std::string& real_qemu) {
    const std::string wrapper = dir + "/qemu_as_grandchild.sh";
    const std::string pid_file = dir + "/qemu.pid";
    std::ofstream(wrapper)
        << "#!/bin/sh\n"
           "sh -c '\"$@\" & echo $! > \"$QEMU_SST_QEMU_PID_FILE.tmp\"' sh \"$QEMU_SST_REAL_QEMU\" \"$@\"\n"
           "mv \"$QEMU_SST_QEMU_PID_FILE.tmp\" \"$QEMU_SST_QEMU_PID_FILE\"\n"
           "pid=$(cat \"$QEMU_SST_QEMU_PID_FILE\")\n"
           "while kill -0 \"$pid\" 2>/dev/null; do sleep 0.05; done\n";
    EXPECT_EQ(chmod(wrapper.c_str(), 0755), 0);
    std::vector<std::string> argv = runner_argv;
    for (size_t i = 0; i + 1 < argv.size(); i++) {
        if (argv[i] == "--qemu") {
            argv[i + 1] = wrapper;
        }
    }
    env.push_back("QEMU_SST_REAL_QEMU=" + real_qemu);
    env.push_back("QEMU_SST_QEMU_PID_FILE=" + pid_file);
    run.start(argv, env, dir + "/run.out");
    for (int waited = 0; !fileExists(pid_file) && waited < 30000; waited += 10) {
        sleepMs(10);
    }
    return pid_t(std::atol(readFile(pid_file).c_str()));
}

}  // namespace QemuSstTest

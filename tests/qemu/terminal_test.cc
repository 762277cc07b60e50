// A run in a terminal, as a user starts it: the runner on a pseudo-terminal of its own, with the
// real QEMU.  QEMU must never take the terminal over (raw mode, Ctrl-C going to the guest), so
// whatever ends the run, the terminal's modes are those it had before; and Ctrl-C typed in that
// terminal ends the whole run cleanly.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "qemu_test_support.h"

namespace QemuSstTest {
namespace {

constexpr const char* kTwoDevices = "configs/test_2device_integration.py";
constexpr const char* kThroughputReading = "throughput: 1000 reads";  // the long variant's first progress line

// The runner on a new pseudo-terminal (its controlling terminal, the runner's group in the
// foreground), everything it prints collected from the master side.
class TerminalRun {
public:
    TerminalRun(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
        pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
        if (pid_ == 0) {
            execWithEnv(argv, env);
        }
    }
    ~TerminalRun() {
        if (pid_ > 0 && !status_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (master_ >= 0) {
            close(master_);
        }
    }
    TerminalRun(const TerminalRun&) = delete;
    TerminalRun& operator=(const TerminalRun&) = delete;

    bool started() const { return pid_ > 0 && master_ >= 0; }
    pid_t pid() const { return pid_; }
    const std::string& output() const { return output_; }

    // Reads what the run prints until it contains `needle` (true), or the run ends or timeout_ms
    // passes (false).
    bool waitForOutput(const std::string& needle, int timeout_ms) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (!contains(output_, needle)) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !readSome(int(left.count()))) {
                return contains(output_, needle);
            }
        }
        return true;
    }

    // Types `text` as the user would.
    void type(const std::string& text) const {
        ASSERT_EQ(write(master_, text.data(), text.size()), ssize_t(text.size()));
    }

    // Reads to the end of the output and reaps the runner: its exit code (status, or 128 +
    // signal), or nullopt if it is still running after timeout_ms.
    std::optional<int> wait(int timeout_ms) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (!status_) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                status_ = status;
                break;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return std::nullopt;
            }
            readSome(int(std::min<long long>(left.count(), 100)));  // the output must drain, or the run blocks
        }
        while (readSome(0)) {
        }
        return WIFEXITED(*status_) ? WEXITSTATUS(*status_) : 128 + WTERMSIG(*status_);
    }

    // The terminal's modes now (the master reports the terminal's).
    termios modes() const {
        termios t{};
        EXPECT_EQ(tcgetattr(master_, &t), 0) << std::strerror(errno);
        return t;
    }

private:
    // One read of the master, waiting up to timeout_ms for data: false at end of output or on timeout.
    bool readSome(int timeout_ms) {
        pollfd pfd{master_, POLLIN, 0};
        if (poll(&pfd, 1, timeout_ms) <= 0) {
            return false;
        }
        char buf[4096];
        const ssize_t n = read(master_, buf, sizeof(buf));
        if (n <= 0) {
            return false;  // EIO once no process has the terminal open any more
        }
        output_.append(buf, size_t(n));
        return true;
    }

    pid_t pid_ = -1;
    int master_ = -1;
    std::string output_;
    std::optional<int> status_;
};

// The modes a terminal starts with and a user expects back: signals, line editing and echo.
void expectCookedModes(const termios& t, const std::string& context) {
    EXPECT_TRUE(t.c_lflag & ISIG) << "Ctrl-C no longer a signal " << context;
    EXPECT_TRUE(t.c_lflag & ICANON) << "line editing off " << context;
    EXPECT_TRUE(t.c_lflag & ECHO) << "echo off " << context;
}

class TerminalTest : public QemuTestBase, public ::testing::WithParamInterface<std::string> {
protected:
    void SetUp() override {
        QemuTestBase::SetUp();
        ASSERT_TRUE(haveFile(longGuestPath("throughput_long"), "build the qemu_test_guest_variants target"));
    }

    std::vector<std::string> throughputRun(const std::string& csv) const {
        return runnerArgv(kTwoDevices, "rv64", longGuestPath("throughput_long"), GetParam(), 1, csv);
    }
};

TEST_P(TerminalTest, AFinishedRunLeavesTheTerminalAsItWas) {
    TerminalRun run(runnerArgv(kTwoDevices, "rv64", guestPath("rv64", "echo_test"), GetParam(), 1, ""), runEnv());
    ASSERT_TRUE(run.started());
    const auto code = run.wait(120000);
    ASSERT_TRUE(code.has_value()) << run.output();
    EXPECT_EQ(*code, 0) << run.output();
    EXPECT_TRUE(contains(run.output(), "echo_test: PASS")) << run.output();
    expectCookedModes(run.modes(), "after a run that finished");
}

TEST_P(TerminalTest, QemuKilledMidRunLeavesTheTerminalAsItWas) {
    TerminalRun run(throughputRun(""), runEnv());
    ASSERT_TRUE(run.started());
    ASSERT_TRUE(run.waitForOutput(kThroughputReading, 60000)) << run.output();
    const std::string pid = firstMatch(run.output(), "QEMU PID: ([0-9]+)");
    ASSERT_FALSE(pid.empty()) << run.output();
    ASSERT_EQ(kill(std::stoi(pid), SIGKILL), 0);
    const auto code = run.wait(60000);
    ASSERT_TRUE(code.has_value()) << run.output();
    EXPECT_EQ(*code, 128 + SIGKILL) << run.output();
    expectCookedModes(run.modes(), "after QEMU was killed");
    expectNoQemuLeft();
}

TEST_P(TerminalTest, CtrlCEndsTheWholeRunCleanly) {
    const std::string csv = path("stats.csv");
    TerminalRun run(throughputRun(csv), runEnv());
    ASSERT_TRUE(run.started());
    ASSERT_TRUE(run.waitForOutput(kThroughputReading, 60000)) << run.output();
    run.type("\x03");
    const auto code = run.wait(60000);
    ASSERT_TRUE(code.has_value()) << "Ctrl-C did not end the run\n" << run.output();
    const std::string out = run.output();
    EXPECT_EQ(*code, 130) << out;
    const size_t said = out.find("interrupted");
    EXPECT_NE(said, std::string::npos) << out;
    EXPECT_EQ(out.find("interrupted", said + 1), std::string::npos) << "said more than once\n" << out;
    EXPECT_FALSE(contains(out, "throughput: done")) << out;
    EXPECT_GT(csvCount(readFile(csv), "qemu", "reads", "echo_device"), 0) << "no statistics written\n" << out;
    expectCookedModes(run.modes(), "after Ctrl-C");
    expectNoQemuLeft();
    EXPECT_TRUE(leftoverSocketDirs().empty()) << "socket directory left in " << tmpDir();
}

INSTANTIATE_TEST_SUITE_P(Modes, TerminalTest, ::testing::Values("deterministic", "fast"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace QemuSstTest

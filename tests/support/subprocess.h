// Runs a command with a time limit and captures what it prints, or in the background, and looks
// at processes: for tests that drive whole runs.
#ifndef QEMU_SST_TESTS_SUBPROCESS_H
#define QEMU_SST_TESTS_SUBPROCESS_H

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "run_files.h"

namespace QemuSstTest {

struct RunResult {
    int exit_code = -1;  // exit status, or 128 + signal
    bool timed_out = false;
    std::string output;  // stdout and stderr, interleaved
};

// argv[0] is the executable; `env` entries ("K=V") are added to the inherited environment.
RunResult runCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env, int timeout_s);

// For a freshly forked child: adds `env` to the environment and replaces the process with argv;
// exits with 127 (as a shell does) if argv[0] cannot be executed.
[[noreturn]] void execWithEnv(const std::vector<std::string>& argv, const std::vector<std::string>& env);

// Processes whose command line contains `needle` (this process excluded).
std::vector<pid_t> processesMatching(const std::string& needle);
// Children of `parent` (from /proc/*/stat).
std::vector<pid_t> childrenOf(pid_t parent);
// True if `pid` exists and is not a zombie.
bool processAlive(pid_t pid);

// Waits for `pid` (a child of this process, possibly adopted as its subreaper) to end, at most
// timeout_ms.  Returns its wait status, or nullopt if it is still running.
std::optional<int> waitForChild(pid_t pid, int timeout_ms);

// A command run in the background in its own process group, stdout and stderr to a file.
class Background {
public:
    Background() = default;
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    ~Background();  // kills whatever of its process group is left

    // argv[0] is the executable; `env` entries ("K=V") are added to the environment.
    void start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const std::string& output_path);
    pid_t pid() const { return pid_; }
    std::string output() const { return readFile(output_path_); }
    // Waits until the output contains `needle` (true) or timeout_ms passes / the process ends (false).
    bool waitForOutput(const std::string& needle, int timeout_ms) const;
    // Exit code as RunResult reports it (status, or 128 + signal), or nullopt if still running.
    std::optional<int> wait(int timeout_ms);

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    std::string output_path_;
};

}  // namespace QemuSstTest

#endif

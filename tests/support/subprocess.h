// Runs a command with a time limit and captures what it prints, for tests that drive whole runs.
#ifndef QEMU_SST_TESTS_SUBPROCESS_H
#define QEMU_SST_TESTS_SUBPROCESS_H

#include <string>
#include <vector>

namespace QemuSstTest {

struct RunResult {
    int exit_code = -1;    // exit status, or 128 + signal
    bool timed_out = false;
    std::string output;    // stdout and stderr, interleaved
};

// argv[0] is the executable; `env` entries ("K=V") are added to the inherited environment.
RunResult runCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env, int timeout_s);

// For a freshly forked child: adds `env` to the environment and replaces the process with argv;
// exits with 127 (as a shell does) if argv[0] cannot be executed.
[[noreturn]] void execWithEnv(const std::vector<std::string>& argv, const std::vector<std::string>& env);

}  // namespace QemuSstTest

#endif

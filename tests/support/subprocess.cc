#include "subprocess.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace QemuSstTest {

void execWithEnv(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    for (const auto& kv : env) {
        putenv(const_cast<char*>(kv.c_str()));
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
}

RunResult runCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env, int timeout_s) {
    RunResult result;
    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0) {
        result.output = "pipe failed";
        return result;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);  // its own group, so a timeout can kill everything it started
        dup2(out[1], 1);
        dup2(out[1], 2);
        execWithEnv(argv, env);
    }
    close(out[1]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            kill(-pid, SIGKILL);
            break;
        }
        pollfd pfd{out[0], POLLIN, 0};
        if (poll(&pfd, 1, int(left.count())) <= 0) {
            continue;
        }
        const ssize_t n = read(out[0], buf, sizeof(buf));
        if (n <= 0) {
            break;
        }
        result.output.append(buf, size_t(n));
    }
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace QemuSstTest

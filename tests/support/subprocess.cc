#include "subprocess.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace QemuSstTest {
namespace {

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Fields of /proc/PID/stat after the command name: state is [0], ppid [1].
std::vector<std::string> procStat(pid_t pid) {
    const std::string text = readFile("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = text.rfind(')');
    std::vector<std::string> fields;
    if (paren == std::string::npos) {
        return fields;
    }
    std::istringstream in(text.substr(paren + 1));
    for (std::string f; in >> f;) {
        fields.push_back(f);
    }
    return fields;
}

std::vector<pid_t> allPids() {
    std::vector<pid_t> pids;
    DIR* d = opendir("/proc");
    if (!d) {
        return pids;
    }
    while (dirent* e = readdir(d)) {
        char* end;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (*end == '\0' && pid > 0) {
            pids.push_back(pid_t(pid));
        }
    }
    closedir(d);
    return pids;
}

}  // namespace

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
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
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

std::vector<pid_t> processesMatching(const std::string& needle) {
    std::vector<pid_t> found;
    for (pid_t pid : allPids()) {
        if (pid == getpid()) {
            continue;
        }
        std::string cmdline = readFile("/proc/" + std::to_string(pid) + "/cmdline");
        for (char& c : cmdline) {
            if (c == '\0') {
                c = ' ';
            }
        }
        if (contains(cmdline, needle) && processAlive(pid)) {
            found.push_back(pid);
        }
    }
    return found;
}

std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> children;
    for (pid_t pid : allPids()) {
        const auto fields = procStat(pid);
        if (fields.size() > 1 && std::atol(fields[1].c_str()) == parent) {
            children.push_back(pid);
        }
    }
    return children;
}

bool processAlive(pid_t pid) {
    const auto fields = procStat(pid);
    return !fields.empty() && fields[0] != "Z" && fields[0] != "X";
}

std::optional<int> waitForChild(pid_t pid, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        int status = 0;
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return status;
        }
        if (r < 0 && errno == ECHILD && !processAlive(pid) && !fileExists("/proc/" + std::to_string(pid))) {
            return -1;  // gone, reaped by someone else: status unknown
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        sleepMs(5);
    }
}

Background::~Background() {
    if (pid_ > 0 && !reaped_) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    } else if (pid_ > 0) {
        kill(-pid_, SIGKILL);  // anything of its group that outlived it
    }
}

void Background::start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                       const std::string& output_path) {
    output_path_ = output_path;
    const int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(out, 0) << output_path;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        const int null_in = open("/dev/null", O_RDONLY);
        dup2(null_in, 0);
        dup2(out, 1);
        dup2(out, 2);
        execWithEnv(argv, env);
    }
    setpgid(pid, pid);
    close(out);
    pid_ = pid;
}

bool Background::waitForOutput(const std::string& needle, int timeout_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (contains(output(), needle)) {
            return true;
        }
        if (!processAlive(pid_)) {
            return contains(output(), needle);
        }
        sleepMs(10);
    }
    return false;
}

std::optional<int> Background::wait(int timeout_ms) {
    if (reaped_) {
        return std::nullopt;
    }
    const auto status = waitForChild(pid_, timeout_ms);
    if (!status) {
        return std::nullopt;
    }
    reaped_ = true;
    return WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
}

}  // namespace QemuSstTest

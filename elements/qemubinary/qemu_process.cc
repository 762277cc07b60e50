#include "qemu_process.h"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace QemuSst {

QemuProcess::~QemuProcess() {
    if (running()) {
        terminate(1000);
    }
}

std::string QemuProcess::start(const std::vector<std::string>& argv, bool share_terminal, bool relay_console) {
    relay_console = relay_console && !share_terminal;
    if (argv.empty()) {
        return "empty command line";
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);

    // A pipe with O_CLOEXEC tells the parent whether exec worked: it closes silently on success
    // and carries errno on failure.
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        return std::string("pipe: ") + std::strerror(errno);
    }
    if (relay_console) {
        if (std::string err = console_.open(); !err.empty()) {
            close(report[0]);
            close(report[1]);
            return err;
        }
    }
    if (termios mode{}; share_terminal && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &mode) == 0) {
        saved_terminal_ = mode;
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        close(report[0]);
        close(report[1]);
        return std::string("fork: ") + std::strerror(errno);
    }
    if (pid == 0) {
        close(report[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);  // the simulator died before prctl took effect
        }
        if (!share_terminal) {
            const int null_fd = open("/dev/null", O_RDONLY);
            if (null_fd >= 0) {
                dup2(null_fd, STDIN_FILENO);
                if (null_fd != STDIN_FILENO) {
                    close(null_fd);
                }
            }
            setpgid(0, 0);
        }
        if (relay_console) {
            dup2(console_.writeEnd(), STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the copy
        }
        execvp(args[0], args.data());
        const int err = errno;
        (void)!write(report[1], &err, sizeof(err));
        _exit(127);
    }
    close(report[1]);
    if (relay_console) {
        console_.start();
    }
    int child_errno = 0;
    ssize_t n;
    do {
        n = read(report[0], &child_errno, sizeof(child_errno));
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    pid_ = pid;
    if (n == sizeof(child_errno)) {
        poll(1000);
        return "cannot execute '" + argv[0] + "': " + std::strerror(child_errno);
    }
    return "";
}

std::optional<int> QemuProcess::poll(int timeout_ms) {
    if (status_ || pid_ <= 0) {
        return status_;
    }
    for (int waited = 0;; waited++) {
        int status = 0;
        const pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            reaped(status);
            return status_;
        }
        if (r < 0 && errno != EINTR) {
            return std::nullopt;
        }
        if (waited >= timeout_ms) {
            return std::nullopt;
        }
        const timespec one_ms{0, 1000000};
        nanosleep(&one_ms, nullptr);
    }
}

int QemuProcess::terminate(int grace_ms) {
    if (pid_ <= 0) {
        return 0;
    }
    if (!status_) {
        kill(pid_, SIGTERM);
        if (!poll(grace_ms)) {
            kill(pid_, SIGKILL);
            int status = 0;
            while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            reaped(status);
        }
    }
    return *status_;
}

void QemuProcess::reaped(int status) {
    status_ = status;
    console_.stop();  // the rest of the guest's output comes out before anything said about its end
    if (saved_terminal_) {
        // A QEMU that was killed never restored the modes its console set (raw, no echo, no ^C).
        tcsetattr(STDIN_FILENO, TCSADRAIN, &*saved_terminal_);
        saved_terminal_.reset();
    }
}

std::string QemuProcess::describe(int wait_status) {
    if (WIFEXITED(wait_status)) {
        return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
    }
    if (WIFSIGNALED(wait_status)) {
        return "was killed by signal " + std::to_string(WTERMSIG(wait_status)) + " (" +
               strsignal(WTERMSIG(wait_status)) + ")";
    }
    return "ended with wait status " + std::to_string(wait_status);
}

int QemuProcess::exitCode(int wait_status) {
    if (WIFEXITED(wait_status)) {
        return WEXITSTATUS(wait_status);
    }
    if (WIFSIGNALED(wait_status)) {
        return 128 + WTERMSIG(wait_status);
    }
    return 1;
}

}  // namespace QemuSst

#include "console_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace QemuSst {
namespace {

// A line without its newline (a shell prompt) goes out once the guest has been quiet this long.
constexpr int kPartialLineMs = 100;

void emit(const char* text, size_t length) {
    std::fwrite(text, 1, length, stdout);  // one call: the stdio lock keeps it whole
    std::fflush(stdout);                   // visible now, even when stdout is a file
}

}  // namespace

std::string ConsoleRelay::open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return std::string("pipe: ") + std::strerror(errno);
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    return "";
}

void ConsoleRelay::start() {
    close(write_fd_);
    write_fd_ = -1;
    thread_ = std::thread([this] { run(); });
}

void ConsoleRelay::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
    if (write_fd_ >= 0) {
        close(write_fd_);
        write_fd_ = -1;
    }
    if (read_fd_ >= 0) {
        close(read_fd_);
        read_fd_ = -1;
    }
}

void ConsoleRelay::run() {
    std::string pending;  // the current line, not yet complete
    for (;;) {
        pollfd pfd{read_fd_, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, kPartialLineMs);
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {  // quiet: a prompt waits for input, or the child has gone
            if (!pending.empty()) {
                emit(pending.data(), pending.size());
                pending.clear();
            }
            if (stopping_) {
                return;  // someone else still holds the pipe: what it writes from now is lost
            }
            continue;
        }
        char buf[4096];
        const ssize_t n = ready < 0 ? -1 : read(read_fd_, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {  // end of the child's output
            if (!pending.empty()) {
                emit(pending.data(), pending.size());
            }
            return;
        }
        pending.append(buf, size_t(n));
        const size_t last_newline = pending.rfind('\n');
        if (last_newline != std::string::npos) {
            emit(pending.data(), last_newline + 1);
            pending.erase(0, last_newline + 1);
        }
    }
}

}  // namespace QemuSst

// The guest console, relayed line by line from QEMU's stdout (a pipe) to the simulator's stdout.
// Written straight to the same file, QEMU's output and the simulator's cut into each other's lines;
// through the simulator's own stdout, each guest line goes out whole, between two log lines.
#ifndef QEMU_SST_QEMUBINARY_CONSOLE_RELAY_H
#define QEMU_SST_QEMUBINARY_CONSOLE_RELAY_H

#include <atomic>
#include <thread>

namespace QemuSst {

class ConsoleRelay {
public:
    ConsoleRelay() = default;
    ConsoleRelay(const ConsoleRelay&) = delete;
    ConsoleRelay& operator=(const ConsoleRelay&) = delete;
    ~ConsoleRelay() { stop(); }

    // Makes the pipe: hand writeEnd() to the child as its stdout, then call start().  "" or an error.
    std::string open();
    int writeEnd() const { return write_fd_; }
    // Closes this process's copy of the write end and relays until the end of the child's output.
    void start();
    // Once the child is gone: relays what it still wrote, up to the end of its output (or, if
    // another process still holds the pipe, until it has been quiet for a moment), and returns.
    void stop();

private:
    void run();

    int read_fd_ = -1;
    int write_fd_ = -1;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace QemuSst

#endif

// The QEMU child process: started with an argv vector (no shell), killed and reaped by its owner.
#ifndef QEMU_SST_QEMUBINARY_QEMU_PROCESS_H
#define QEMU_SST_QEMUBINARY_QEMU_PROCESS_H

#include <sys/types.h>
#include <termios.h>

#include <optional>
#include <string>
#include <vector>

#include "console_relay.h"

namespace QemuSst {

class QemuProcess {
public:
    QemuProcess() = default;
    QemuProcess(const QemuProcess&) = delete;
    QemuProcess& operator=(const QemuProcess&) = delete;
    ~QemuProcess();  // terminates a child that is still running

    // Starts argv[0] with argv.  The child dies with the simulator (PR_SET_PDEATHSIG) so a crash on
    // our side never leaves QEMU behind.  Returns an error text, or "" on success.
    //
    // share_terminal false: the child reads /dev/null and runs in a process group of its own, so it
    // can neither change the terminal's modes nor receive the terminal's Ctrl-C; the simulator
    // handles that and stops the child itself.  relay_console: its stdout (the guest console) is
    // relayed to ours line by line until it has been reaped, so that its lines and ours never cut
    // into each other; not for a child meant to outlive us, whose console would die with us.  true: the child shares stdin and the foreground
    // process group (an interactive guest console); the terminal's modes are saved here and put
    // back once the child is gone, however it ended.
    std::string start(const std::vector<std::string>& argv, bool share_terminal = false, bool relay_console = true);

    pid_t pid() const { return pid_; }
    bool running() const { return pid_ > 0 && !status_; }

    // Reaps the child if it has exited (waits up to timeout_ms for that).  Returns its wait status.
    std::optional<int> poll(int timeout_ms = 0);

    // SIGTERM, then SIGKILL after grace_ms; always reaps.  Returns the wait status.
    int terminate(int grace_ms);

    // "exited with status 3", "killed by signal 9 (Killed)", ...
    static std::string describe(int wait_status);
    // The guest's verdict as a process exit code: the exit status, or 128 + signal.
    static int exitCode(int wait_status);

private:
    void reaped(int status);

    pid_t pid_ = -1;
    std::optional<int> status_;
    std::optional<termios> saved_terminal_;
    ConsoleRelay console_;
};

}  // namespace QemuSst

#endif

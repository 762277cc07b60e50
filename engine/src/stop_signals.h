#ifndef QEMU_SST_ENGINE_STOP_SIGNALS_H
#define QEMU_SST_ENGINE_STOP_SIGNALS_H

#include <csignal>
#include <ctime>

namespace SST::Core {

// SIGINT and SIGTERM end a run cleanly, as in SST.  While an object of this class lives, their
// handler only records the first one; the engine checks before each activity and ends the run
// through complete, finish and statistics.  The handlers are installed without SA_RESTART, so a
// component blocked in a system call gets EINTR and can return to the engine.  A second signal
// ends the process at once with status 128 + the first signal.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();  // restores the previous handlers
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // The first SIGINT or SIGTERM received while installed, or 0.
    static int received() { return received_; }
    // The engine is ending the run: blocking calls need no more interrupting.
    void acknowledge();

private:
    static void onStopSignal(int signal);

    static volatile std::sig_atomic_t received_;

    struct sigaction previous_int_ {};
    struct sigaction previous_term_ {};
    struct sigaction previous_kick_ {};
};

// "SIGINT" or "SIGTERM" ("a signal" for any other).
const char* stopSignalName(int signal);

}  // namespace SST::Core

#endif

#include "stop_signals.h"

#include <cerrno>
#include <unistd.h>

namespace SST::Core {

volatile std::sig_atomic_t StopSignals::received_ = 0;

namespace {

// A signal that lands just before a component blocks (while it spins, or between two waits)
// interrupts nothing, and the call may then block for a long time or for ever.  So once a stop
// signal is recorded, a timer interrupts blocking calls every kKickPeriodNs until the engine acts.
// SIGURG because its default action is to ignore it: a kick still pending after the handlers are
// restored harms nothing.
constexpr int kKickSignal = SIGURG;
constexpr long kKickPeriodNs = 20 * 1000 * 1000;

timer_t kick_timer;
bool kick_timer_armable = false;  // set and cleared while the stop handlers are not installed

void onKick(int) {}  // there only so that the kick interrupts blocking calls

void setKickTimer(long period_ns) {
    const itimerspec every{{0, period_ns}, {0, period_ns}};
    timer_settime(kick_timer, 0, &every, nullptr);  // async-signal-safe
}

struct sigaction handlerAction(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = 0;  // no SA_RESTART: blocked calls return EINTR
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGINT);  // one stop handler at a time
    sigaddset(&action.sa_mask, SIGTERM);
    return action;
}

}  // namespace

void StopSignals::onStopSignal(int signal) {
    if (received_ != 0) {
        static const char text[] = "qemu-sst: a second signal: ending at once\n";
        (void)!write(STDERR_FILENO, text, sizeof(text) - 1);
        _exit(128 + received_);
    }
    const int saved_errno = errno;
    received_ = signal;
    if (kick_timer_armable)
        setKickTimer(kKickPeriodNs);
    errno = saved_errno;
}

StopSignals::StopSignals() {
    received_ = 0;
    sigevent kick{};
    kick.sigev_notify = SIGEV_SIGNAL;
    kick.sigev_signo = kKickSignal;
    kick_timer_armable = timer_create(CLOCK_MONOTONIC, &kick, &kick_timer) == 0;
    const struct sigaction kick_action = handlerAction(onKick);
    sigaction(kKickSignal, &kick_action, &previous_kick_);
    const struct sigaction stop_action = handlerAction(onStopSignal);
    sigaction(SIGINT, &stop_action, &previous_int_);
    sigaction(SIGTERM, &stop_action, &previous_term_);
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
    if (kick_timer_armable)
        timer_delete(kick_timer);
    kick_timer_armable = false;
    sigaction(kKickSignal, &previous_kick_, nullptr);
    received_ = 0;
}

void StopSignals::acknowledge() {
    if (kick_timer_armable)
        setKickTimer(0);  // a zero time disarms it
}

const char* stopSignalName(int signal) {
    switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    }
    return "a signal";
}

}  // namespace SST::Core

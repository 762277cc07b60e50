// qemubinary.QEMUBinary: the bridge between a QEMU process and SST device components.
//
// It launches QEMU with one `sst-device` per configured device window, each connected to its own
// socket in a private per-run directory, and forwards every guest access arriving on a device's
// channel to `device_port_<i>`; the response goes back to the channel it came from, carrying the
// modelled latency.  Interrupts arriving on `irq_port_<i>` go to device i's channel.
//
// virtio-sst devices (num_virtio_devices) get a `virtio-sst-device` each, on a channel of their own
// with no window.  Their requests go to `virtio_port_<i>` as VirtioRequestEvents, delivered at the
// request's guest time; QEMU does not wait for them, so they are not outstanding accesses.  The
// VirtioResponseEvents and VirtioNotifyEvents coming back become VIRTIO_RESPONSE (latency = time
// since delivery) and VIRTIO_EVENT frames.  Requests of the wrong length or failing
// sst_request_check are answered by the bridge at once with SST_STATUS_INVALID.
//
// Time.  Every access and SYNC carries the guest's virtual time.  Whenever the bridge hands control
// back to the engine, QEMU must be "quiescent": blocked on an access, waiting at its GRANT horizon
// (deterministic mode) or no more than max_sync_quantum behind simulated time (fast mode), or
// gone.  So the engine never
// runs ahead of an access it has not seen yet, and accesses are delivered at their own guest time.
// The bridge waits on the channels (spin, then block) only at those points, never per tick, so
// simulated time does not depend on wall-clock time.  Horizons fall on sync-quantum boundaries and
// are granted as soon as QEMU waits at a time the engine has reached; a self-link wake-up at each
// horizon is the bridge's only periodic work (no clock).  An interrupt reaches QEMU stamped with
// the time it was raised, and QEMU takes it then, or at its next synchronisation if it has already
// run past that time: within one quantum, which is sync_quantum while the guest uses its devices
// and grows (up to max_sync_quantum) while it computes without touching them.
#ifndef QEMU_SST_QEMUBINARY_QEMU_BINARY_H
#define QEMU_SST_QEMUBINARY_QEMU_BINARY_H

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>
#include <sst/core/timeConverter.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mmio_endpoint.h"
#include "socket_dir.h"
#include "qemu_process.h"

namespace QemuSst {

class QEMUBinary : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(QEMUBinary, "qemubinary", "QEMUBinary", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Runs a guest program in QEMU and routes its device accesses to SST components",
                               COMPONENT_CATEGORY_PROCESSOR)

    SST_ELI_DOCUMENT_PARAMS(
        {"binary_path", "Guest program (or Linux kernel Image) QEMU loads with -kernel", NULL},
        {"bios", "QEMU -bios: none, or firmware such as OpenSBI's fw_dynamic.bin for Linux", "none"},
        {"initrd", "QEMU -initrd (optional)", ""},
        {"append", "QEMU -append: kernel command line (optional)", ""},
        {"qemu_path", "QEMU executable (or a stand-in speaking the same protocol)", "qemu-system-riscv64"},
        {"num_devices", "Number of device windows (0 allowed when there are virtio devices)", "1"},
        {"num_virtio_devices", "Number of virtio-sst devices", "0"},
        {"virtio%d_name", "QEMU id of virtio device %d, in logs and statistics", "virtio%d"},
        {"device%d_base", "Guest-physical base address of device window %d (required)", ""},
        {"device%d_size", "Size of device window %d in bytes (e.g. 4096, 0x1000, 4KiB)", "4096"},
        {"device%d_name", "Name of device %d in logs and statistics", "device%d"},
        {"clock", "Bridge clock: the access latency statistic counts its cycles", "1GHz"},
        {"time_mode", "deterministic: guest time follows the simulation (QEMU -icount); fast: QEMU runs free",
         "deterministic"},
        {"sync_quantum", "Guest time between synchronisations with QEMU while devices are in use", "1us"},
        {"max_sync_quantum",
         "Longest step between synchronisations while the guest touches no device (set equal to sync_quantum for "
         "interrupts always within one sync_quantum)",
         "1ms"},
        {"icount_shift", "QEMU -icount shift in deterministic mode (guest ns per instruction = 2^shift)", "0"},
        {"machine", "QEMU machine", "virt"},
        {"memory", "Guest RAM (QEMU -m); device windows may not overlap it", "128M"},
        {"qemu_args", "Extra QEMU arguments, separated by spaces", ""},
        {"console",
         "output: the guest console (QEMU's serial port) is printed on the simulator's stdout, QEMU reads no input "
         "and never changes the terminal, and Ctrl-C ends the whole run cleanly.  interactive: QEMU also reads "
         "the simulator's stdin (e.g. a guest shell); Ctrl-C still reaches the simulator, and the terminal's "
         "modes are restored when QEMU ends",
         "output"},
        {"connect_timeout", "How long to wait for QEMU to connect every device", "10s"},
        {"socket_dir", "Where the private per-run socket directory is made ($TMPDIR or /tmp if empty)", ""},
        {"listen_dir",
         "Listen in this directory (made 0700 if missing; locked against other simulations) under fixed names "
         "device%d.sock / virtio%d.sock instead of a private per-run one, so that a QEMU outliving this "
         "simulation finds the next one there (virtio-sst-device reconnects in fast mode)",
         ""},
        {"launch_qemu",
         "true: start QEMU and end with it.  false: start none and wait for a QEMU started elsewhere (needs "
         "listen_dir), e.g. one an earlier simulation left running; the run ends when it disconnects",
         "true"},
        {"shared_memory", "Move accesses through shared-memory rings (false: through the sockets)", "true"},
        {"verbose", "0 quiet, 1 connections and lifecycle, 2 every access, 3 every frame", "0"})

    SST_ELI_DOCUMENT_PORTS({"device_port_%d", "Accesses to device window %d and their responses",
                            {"QemuSst::MMIORequestEvent", "QemuSst::MMIOResponseEvent"}},
                           {"irq_port_%d", "Interrupt line of device %d", {"QemuSst::InterruptEvent"}},
                           {"virtio_port_%d", "Requests of virtio device %d; its responses and events",
                            {"QemuSst::VirtioRequestEvent", "QemuSst::VirtioResponseEvent",
                             "QemuSst::VirtioNotifyEvent"}})

    SST_ELI_DOCUMENT_STATISTICS({"reads", "Guest loads, per device", "accesses", 1},
                                {"writes", "Guest stores, per device", "accesses", 1},
                                {"bytes_read", "Bytes loaded, per device", "bytes", 1},
                                {"bytes_written", "Bytes stored, per device", "bytes", 1},
                                {"latency", "Modelled access (or virtio request) latency, per device", "cycles", 1},
                                {"errors", "Accesses (or virtio requests) answered with an error status, per device",
                                 "accesses", 1},
                                {"requests", "virtio requests received, per virtio device", "requests", 1},
                                {"responses", "virtio responses sent, per virtio device", "responses", 1},
                                {"events", "virtio events sent, per virtio device", "events", 1},
                                {"interrupts", "Interrupt line changes forwarded, per device", "events", 1},
                                {"syncs", "Time synchronisations with QEMU", "events", 2})

    QEMUBinary(SST::ComponentId_t id, SST::Params& params);
    ~QEMUBinary() override;

    void setup() override;
    void finish() override;

private:
    struct PendingAccess {
        uint64_t delivered_ps;  // simulated time the access reached the device link
        bool write;
        uint8_t size;
    };

    struct Device {
        std::string name;
        bool virtio = false;  // a virtio-sst channel: no window, VIRTIO_* frames
        unsigned index = 0;   // among devices of its kind (device_port_<index> / virtio_port_<index>)
        uint64_t base = 0;
        uint64_t size = 0;
        SST::Link* link = nullptr;
        SST::Link* irq_link = nullptr;
        std::string socket_path;
        int listen_fd = -1;
        sst_mmio_endpoint ep{};
        bool connected = false;
        bool failed = false;  // channel closed by error; the rest of the run goes on without it
        bool said_goodbye = false;
        bool reported = false;  // its failure has been reported
        std::unordered_map<uint64_t, PendingAccess> pending;
        std::unordered_map<uint64_t, uint64_t> virtio_pending;  // request id -> delivery time (ps)
        SST::Statistics::Statistic<uint64_t>* reads;
        SST::Statistics::Statistic<uint64_t>* writes;
        SST::Statistics::Statistic<uint64_t>* bytes_read;
        SST::Statistics::Statistic<uint64_t>* bytes_written;
        SST::Statistics::Statistic<uint64_t>* latency;
        SST::Statistics::Statistic<uint64_t>* errors;
        SST::Statistics::Statistic<uint64_t>* interrupts;
        SST::Statistics::Statistic<uint64_t>* requests = nullptr;
        SST::Statistics::Statistic<uint64_t>* responses = nullptr;
        SST::Statistics::Statistic<uint64_t>* events = nullptr;
    };

    void readDeviceWindows(SST::Params& params);
    void readVirtioDevices(SST::Params& params);
    void checkWindows(uint64_t ram_size) const;
    std::vector<std::string> qemuCommandLine() const;
    void connectDevices();
    void handshake(Device& dev);
    [[noreturn]] void abortRun(const std::string& why);

    void handleWakeup(SST::Event* ev);
    void scheduleWakeup(uint64_t at_ps);
    void handleResponse(SST::Event* ev, unsigned index);
    void handleInterrupt(SST::Event* ev, unsigned index);
    void handleVirtio(SST::Event* ev, unsigned index);
    void handleVirtioRequest(Device& dev, const sst_mmio_virtio_request& req);
    void virtioRespond(Device& dev, uint64_t id, uint64_t latency_ps, const SSTResponse& response);

    void waitForQemu();
    void grantIfWaiting();
    bool qemuQuiescent() const;
    bool virtioInFlight() const;
    uint64_t stampPs() const;
    void drainChannels();
    void handleFrame(Device& dev, const sst_mmio_frame& frame);
    void handleAccess(Device& dev, const sst_mmio_access& access, bool write);
    void respond(Device& dev, uint64_t id, uint64_t data, uint64_t latency_ps, uint32_t status);
    void send(Device& dev, uint32_t type, const void* payload);
    void channelFailed(Device& dev);
    void qemuGone();
    void readToTheEnd(Device& dev);
    void reportFailure(Device& dev);
    void shutDownQemu();
    uint64_t nowPs() const { return getCurrentSimCycle(); }

    SST::Output out_;
    std::vector<Device> devices_;
    std::string binary_path_;
    std::string bios_;
    std::string initrd_;
    std::string append_;
    std::string qemu_path_;
    std::string machine_;
    std::string memory_;
    std::vector<std::string> extra_args_;
    std::string socket_dir_parent_;
    std::string listen_dir_;
    bool launch_qemu_ = true;
    bool interactive_console_ = false;
    bool deterministic_ = true;
    bool shared_memory_ = true;
    unsigned icount_shift_ = 0;
    int connect_timeout_ms_ = 10000;
    SST::TimeConverter clock_tc_;
    SST::TimeConverter ps_tc_;
    uint64_t quantum_ps_ = 0;          // sync_quantum: horizon step while devices are in use
    uint64_t max_quantum_ps_ = 0;      // max_sync_quantum: longest step while they are not
    uint64_t current_quantum_ps_ = 0;
    bool device_activity_ = true;      // an access or interrupt since the last grant
    SST::Link* wakeup_link_ = nullptr;
    uint64_t wakeup_at_ps_ = 0;        // latest wake-up scheduled

    SocketDir socket_dir_;
    QemuProcess qemu_;
    Device* time_master_ = nullptr;  // the channel carrying SYNC/GRANT
    uint64_t guest_time_ps_ = 0;     // latest guest virtual time QEMU reported
    uint64_t horizon_ps_ = 0;        // guest may run until here (deterministic mode)
    size_t outstanding_ = 0;         // accesses QEMU is blocked on
    bool qemu_gone_ = false;
    bool interrupted_ = false;        // our last wait ended with EINTR: a signal is ending the run
    std::optional<int> qemu_status_;  // wait status once QEMU has exited
    int guest_exit_code_ = 0;
    SST::Statistics::Statistic<uint64_t>* stat_syncs_;
};

}  // namespace QemuSst

#endif

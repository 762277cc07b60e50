// qemubinary.QEMUBinary: the bridge between a QEMU process and SST device components.
//
// It launches QEMU with one `sst-device` per configured device window and one `virtio-sst-device`
// per virtio device, each connected to its own socket in a private per-run directory, and serves
// each on a channel of its kind (mmio_window_channel.h, virtio_channel.h).
//
// Time.  Every access and SYNC carries the guest's virtual time.  Whenever the bridge hands control
// back to the engine, QEMU must be "quiescent" (time_sync.h): blocked on an access, waiting at its
// GRANT horizon (deterministic mode) or no more than max_sync_quantum behind simulated time (fast
// mode), or gone.  So the engine never runs ahead of an access it has not seen yet, and accesses
// are delivered at their own guest time.  The bridge waits on the channels (spin, then block) only
// at those points, never per tick, so simulated time does not depend on wall-clock time.  A
// self-link wake-up at each horizon is the bridge's only periodic work (no clock).  An interrupt
// reaches QEMU stamped with the time it was raised, and QEMU takes it then, or at its next
// synchronisation if it has already run past that time: within one quantum, which is sync_quantum
// while the guest uses its devices and grows (up to max_sync_quantum) while it computes without
// touching them.
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

#include "channel.h"
#include "guest_ram.h"
#include "mmio_window_channel.h"
#include "qemu_process.h"
#include "socket_dir.h"
#include "time_sync.h"
#include "trace_writer.h"
#include "virtio_channel.h"

namespace QemuSst {

class QEMUBinary : public SST::Component, private ChannelHost {
public:
    SST_ELI_REGISTER_COMPONENT(QEMUBinary, "qemubinary", "QEMUBinary", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Runs a guest program in QEMU and routes its device accesses to SST components",
                               COMPONENT_CATEGORY_PROCESSOR)

    SST_ELI_DOCUMENT_PARAMS(
        {"binary_path", "Guest program (or Linux kernel Image) QEMU loads with -kernel", NULL},
        {"bios", "QEMU -bios: none, or firmware such as OpenSBI's fw_dynamic.bin for Linux", "none"},
        {"initrd", "QEMU -initrd (optional)", ""}, {"append", "QEMU -append: kernel command line (optional)", ""},
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
        {"cpus",
         "Guest harts (QEMU -smp).  More than 1 only in fast mode: under -icount QEMU 7.2 switches harts every "
         "100 ms of guest time, so a hart waiting for another stalls the guest (README, Time)",
         "1"},
        {"memory",
         "Guest RAM (QEMU -m), in a shared memfd that devices reach by DMA; device windows may not overlap it", "128M"},
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
        {"exact_horizons",
         "Deterministic mode on the embedded engine: stop the guest exactly at the next activity (false: "
         "quantum-bounded horizons, as under sst-core)",
         "true"},
        {"shared_memory", "Move accesses through shared-memory rings (false: through the sockets)", "true"},
        {"verbose", "0 quiet, 1 connections and lifecycle, 2 every access, 3 every frame", "0"},
        {"trace_file",
         "Write a timeline of the run to this file (Chrome / Perfetto Trace Event Format JSON, simulated time): "
         "accesses, virtio requests, interrupts, device busy intervals, DMA bursts, horizons and SYNCs.  Empty: "
         "none, at no cost",
         ""})

    SST_ELI_DOCUMENT_PORTS({"device_port_%d",
                            "Accesses to device window %d and their responses",
                            {"QemuSst::MMIORequestEvent", "QemuSst::MMIOResponseEvent"}},
                           {"irq_port_%d", "Interrupt line of device %d", {"QemuSst::InterruptEvent"}},
                           {"dma_port_%d",
                            "DMA of device %d on guest RAM (optional): a MemoryRequestEvent is one burst, performed "
                            "when it arrives and answered at once with a MemoryResponseEvent",
                            {"QemuSst::MemoryRequestEvent", "QemuSst::MemoryResponseEvent"}},
                           {"virtio_dma_port_%d",
                            "DMA of virtio device %d on guest RAM (optional), as dma_port_%d",
                            {"QemuSst::MemoryRequestEvent", "QemuSst::MemoryResponseEvent"}},
                           {"virtio_port_%d",
                            "Requests of virtio device %d; its responses and events",
                            {"QemuSst::VirtioRequestEvent", "QemuSst::VirtioResponseEvent",
                             "QemuSst::VirtioNotifyEvent"}})

    SST_ELI_DOCUMENT_STATISTICS(
        {"reads", "Guest loads, per device", "accesses", 1}, {"writes", "Guest stores, per device", "accesses", 1},
        {"bytes_read", "Bytes loaded, per device", "bytes", 1},
        {"bytes_written", "Bytes stored, per device", "bytes", 1},
        {"latency", "Modelled access (or virtio request) latency, per device", "cycles", 1},
        {"errors", "Accesses (or virtio requests) answered with an error status, per device", "accesses", 1},
        {"requests", "virtio requests received, per virtio device", "requests", 1},
        {"responses", "virtio responses sent, per virtio device", "responses", 1},
        {"events", "virtio events sent, per virtio device", "events", 1},
        {"interrupts", "Interrupt line changes forwarded, per device", "events", 1},
        {"dma_reads", "DMA read bursts performed, per device with a dma_port", "bursts", 1},
        {"dma_writes", "DMA write bursts performed, per device with a dma_port", "bursts", 1},
        {"dma_bytes_read", "Bytes DMA read from guest RAM, per device", "bytes", 1},
        {"dma_bytes_written", "Bytes DMA wrote to guest RAM, per device", "bytes", 1},
        {"dma_errors", "DMA bursts refused (outside guest RAM, or no RAM shared), per device", "bursts", 1},
        {"syncs", "Time synchronisations with QEMU", "events", 2})

    QEMUBinary(SST::ComponentId_t id, SST::Params& params);
    ~QEMUBinary() override;

    void init(unsigned phase) override;
    void setup() override;
    void complete(unsigned phase) override;
    void finish() override;

private:
    // ChannelHost, which the base is private to: channels are made here
    ChannelHost& host() { return *this; }
    uint64_t nowPs() const override { return getCurrentSimCycle(); }
    TimeSync& timeSync() override { return time_; }
    SST::Output& output() override { return out_; }
    const SST::TimeConverter& picoseconds() const override { return ps_tc_; }
    uint64_t clockCycles(uint64_t ps) const override { return clock_tc_.convertFromCoreTime(ps); }
    bool qemuGone() const override { return qemu_gone_; }
    const GuestRam& guestRam() const override { return guest_ram_; }
    uint64_t responseHorizonPs() override;
    void waitForQemu() override;
    void channelFailed(Channel& channel) override;

    void readDeviceWindows(SST::Params& params);
    void readVirtioDevices(SST::Params& params);
    void connectDma(size_t index, const std::string& port);
    bool exact_horizons_ = false;  // the engine says when its next activity is due, and we use it
    // Link handlers, by the channel's index in channels_: SST 16 serialises a handler's object, so
    // it is the component (serialisable) and the index its data, not the channel itself.
    void windowResponse(SST::Event* ev, size_t index);
    void windowInterrupt(SST::Event* ev, size_t index);
    void virtioEvent(SST::Event* ev, size_t index);
    void dmaRequest(SST::Event* ev, size_t index);
    void checkWindows(uint64_t ram_size) const;
    std::vector<std::string> qemuCommandLine() const;
    void connectDevices();
    void handshake(Channel& channel);
    [[noreturn]] void abortRun(const std::string& why);

    void handleWakeup(SST::Event* ev);
    void scheduleWakeup(uint64_t at_ps);
    void grantIfWaiting();
    bool qemuQuiescent() const;
    bool requestsInFlight() const;
    void drainChannels();
    void handleFrame(Channel& channel);
    void noteQemuGone();
    void readToTheEnd(Channel& channel);
    void reportFailure(Channel& channel);
    void shutDownQemu();

    SST::Output out_;
    std::vector<std::unique_ptr<Channel>> channels_;  // windows first, then virtio devices
    std::vector<MmioWindowChannel*> windows_;
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
    bool shared_memory_ = true;
    unsigned icount_shift_ = 0;
    unsigned cpus_ = 1;
    int connect_timeout_ms_ = 10000;
    SST::TimeConverter clock_tc_;
    SST::TimeConverter ps_tc_;
    TimeSync time_{true, 1, 1};  // set from the parameters in the constructor
    SST::Link* wakeup_link_ = nullptr;
    uint64_t wakeup_at_ps_ = 0;  // latest wake-up scheduled

    SocketDir socket_dir_;
    QemuProcess qemu_;
    Channel* time_master_ = nullptr;  // the channel carrying SYNC/GRANT
    GuestRam guest_ram_;              // shared by QEMU on the first channel that offers it
    bool qemu_gone_ = false;
    bool interrupted_ = false;        // our last wait ended with EINTR: a signal is ending the run
    std::optional<int> qemu_status_;  // wait status once QEMU has exited
    int guest_exit_code_ = 0;
    SST::Statistics::Statistic<uint64_t>* stat_syncs_;
    std::unique_ptr<TraceWriter> trace_;  // trace_file, or null
};

}  // namespace QemuSst

#endif

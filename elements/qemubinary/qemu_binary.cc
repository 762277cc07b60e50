#include <sst/core/sst_config.h>

#include "qemu_binary.h"

#include <algorithm>
#include <filesystem>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <sys/wait.h>

#include "qemu-sst/sst_platform.h"

#include "common/byte_size.h"
#include "common/trace_events.h"

// The embedded engine says when its next activity is due, so horizons can stop exactly there
// (time_sync.h); sst-core cannot, and keeps quantum-bounded horizons.
// Only the embedded engine has this header: it says when its next activity is due (exact horizons).
#if __has_include(<sst_engine/next_activity.h>)
#include <sst_engine/next_activity.h>
#define QEMU_SST_EXACT_HORIZONS 1
#else
#define QEMU_SST_EXACT_HORIZONS 0
#endif

namespace QemuSst {
namespace {

constexpr unsigned kRingCapacity = SST_SHM_DEFAULT_CAPACITY;
constexpr int kHandshakeTimeoutMs = 5000;
constexpr int kProgressReportMs = 10000;
constexpr unsigned kSpinPolls = 20000;
// launch_qemu=false: the QEMU command line, for scripts/run-linux.sh, in listen_dir.
constexpr char kQemuArgsFile[] = "qemu.args";

// virt's regions below RAM (sst_platform.h), which a device window must avoid.
struct Region {
    const char* name;
    uint64_t base;
    uint64_t size;
};
#define QEMU_SST_REGION(name, base, size) Region{name, base, size},
constexpr Region kVirtRegions[] = {SST_VIRT_REGIONS(QEMU_SST_REGION)};
#undef QEMU_SST_REGION
constexpr uint64_t kDramBase = SST_VIRT_DRAM_BASE;

bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) { return a < b + b_size && b < a + a_size; }

// Self-link event: the bridge's turn to synchronise with QEMU.
class WakeupEvent : public SST::Event {
public:
    WakeupEvent() = default;
    // Events of one time and priority run in link order (SST's order tags), not in the order they
    // were sent, so a wake-up that must come after everything else due now says so by priority:
    // after every event, one-shot and statistic output, before the end-of-run activities.
    struct AfterAllEventsNow {};
    explicit WakeupEvent(AfterAllEventsNow) { setPriority(kAfterAllEventsPriority); }
    static constexpr int kAfterAllEventsPriority = 90;

    void serialize_order(SST::Core::Serialization::serializer& ser) override { Event::serialize_order(ser); }
    ImplementSerializable(QemuSst::WakeupEvent);
};

std::vector<std::string> splitWords(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) {
        words.push_back(w);
    }
    return words;
}

}  // namespace

QEMUBinary::QEMUBinary(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDERR);

    launch_qemu_ = params.find<bool>("launch_qemu", true);
    // Off: quantum-bounded horizons, as under sst-core, which cannot say when its next activity is
    // due; the sst-core tier compares the two engines so.
    exact_horizons_ = QEMU_SST_EXACT_HORIZONS && params.find<bool>("exact_horizons", true);
    listen_dir_ = params.find<std::string>("listen_dir", "");
    if (!launch_qemu_ && listen_dir_.empty()) {
        out_.fatal(CALL_INFO, 1, "launch_qemu=false needs listen_dir: where the QEMU started elsewhere connects\n");
    }
    binary_path_ = params.find<std::string>("binary_path", "");
    if (binary_path_.empty() && launch_qemu_) {
        out_.fatal(CALL_INFO, 1, "parameter binary_path is required: the guest program QEMU should run\n");
    }
    qemu_path_ = params.find<std::string>("qemu_path", "qemu-system-riscv64");
    bios_ = params.find<std::string>("bios", "none");
    initrd_ = params.find<std::string>("initrd", "");
    append_ = params.find<std::string>("append", "");
    machine_ = params.find<std::string>("machine", "virt");
    memory_ = params.find<std::string>("memory", "128M");
    extra_args_ = splitWords(params.find<std::string>("qemu_args", ""));
    const std::string console = params.find<std::string>("console", "output");
    if (console != "output" && console != "interactive") {
        out_.fatal(CALL_INFO, 1, "console must be 'output' or 'interactive', not '%s'\n", console.c_str());
    }
    interactive_console_ = console == "interactive";
    socket_dir_parent_ = params.find<std::string>("socket_dir", "");
    shared_memory_ = params.find<bool>("shared_memory", true);
    icount_shift_ = params.find<unsigned>("icount_shift", 0);

    const std::string mode = params.find<std::string>("time_mode", "deterministic");
    if (mode != "deterministic" && mode != "fast") {
        out_.fatal(CALL_INFO, 1, "time_mode must be 'deterministic' or 'fast', not '%s'\n", mode.c_str());
    }

    connect_timeout_ms_ =
        int(getTimeConverter(params.find<std::string>("connect_timeout", "10s")).getFactor() / 1000000000ull);

    ps_tc_ = getTimeConverter("1ps");
    clock_tc_ = registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    const uint64_t quantum_ps = getTimeConverter(params.find<std::string>("sync_quantum", "1us")).getFactor();
    const uint64_t max_quantum_ps = getTimeConverter(params.find<std::string>("max_sync_quantum", "1ms")).getFactor();
    if (max_quantum_ps < quantum_ps) {
        out_.fatal(CALL_INFO, 1, "max_sync_quantum must not be shorter than sync_quantum\n");
    }
    time_ = TimeSync(mode == "deterministic", quantum_ps, max_quantum_ps);

    cpus_ = params.find<unsigned>("cpus", 1);
    if (cpus_ < 1 || cpus_ > 8) {
        out_.fatal(CALL_INFO, 1, "cpus must be between 1 and 8, not %u\n", cpus_);
    }
    if (std::find(extra_args_.begin(), extra_args_.end(), "-smp") != extra_args_.end()) {
        out_.fatal(CALL_INFO, 1, "give the guest's harts with the cpus parameter, not -smp in qemu_args\n");
    }
    if (cpus_ > 1 && time_.deterministic()) {
        // QEMU 7.2 runs an -icount guest's harts round-robin in one thread and moves to the next hart
        // only when one halts or every TCG_KICK_PERIOD (100 ms) of virtual time
        // (accel/tcg/tcg-accel-ops-rr.c): a hart spinning on another (IPIs, TLB shootdowns, spinlocks)
        // burns up to 10^8 instructions per wait, and Linux never gets to its first user-space line.
        out_.fatal(CALL_INFO, 1,
                   "cpus=%u needs time_mode=fast: under deterministic time (QEMU -icount) QEMU 7.2 switches "
                   "between harts only every 100 ms of guest time, so a hart waiting for another stalls the "
                   "guest for that long each time (see the README's Time section)\n",
                   cpus_);
    }

    readDeviceWindows(params);
    readVirtioDevices(params);
    const auto ram = parseBytes(memory_);
    if (!ram) {
        out_.fatal(CALL_INFO, 1, "memory '%s' is not a size (e.g. 128M, 1G)\n", memory_.c_str());
    }
    if (machine_ == "virt") {
        checkWindows(*ram);
    }

    if (const std::string path = params.find<std::string>("trace_file", ""); !path.empty()) {
        trace_ = std::make_unique<TraceWriter>(path);
        if (!trace_->error().empty()) {
            out_.fatal(CALL_INFO, 1, "%s\n", trace_->error().c_str());
        }
        for (const auto& channel : channels_) {
            channel->trace = trace_.get();
            channel->trace_tid = trace_->addTrack(channel->name);
        }
    }

    stat_syncs_ = registerStatistic<uint64_t>("syncs");
    registerAsPrimaryComponent();
    primaryComponentDoNotEndSim();
    wakeup_link_ =
        configureSelfLink("sync_wakeup", ps_tc_, new SST::Event::Handler<QEMUBinary, &QEMUBinary::handleWakeup>(this));
}

QEMUBinary::~QEMUBinary() {
    shutDownQemu();
    channels_.clear();  // closes their sockets before the directory goes
    socket_dir_.remove();
    if (guest_exit_code_ != 0 && !interrupted_) {  // interrupted: the engine's status says so
        // Statistics are out by now; the process exit status carries the guest's verdict.
#if QEMU_SST_EXACT_HORIZONS
        out_.fatal(CALL_INFO, guest_exit_code_, "guest failed: QEMU %s\n",
                   QemuProcess::describe(*qemu_status_).c_str());
#else
        // sst-core tears the component's info down before this destructor, and its fatal (and
        // getName()) then end in SIGSEGV rather than in this status: say it and exit directly.
        std::fprintf(stderr, "FATAL: qemubinary.QEMUBinary: guest failed: QEMU %s\n",
                     QemuProcess::describe(*qemu_status_).c_str());
        std::fflush(nullptr);
        std::_Exit(guest_exit_code_);
#endif
    }
}

void QEMUBinary::readDeviceWindows(SST::Params& params) {
    const int count = params.find<int>("num_devices", 1);
    const int virtio_count = params.find<int>("num_virtio_devices", 0);
    if (virtio_count < 0 || virtio_count > 64) {
        out_.fatal(CALL_INFO, 1, "num_virtio_devices must be between 0 and 64, not %d\n", virtio_count);
    }
    if (count < (virtio_count ? 0 : 1) || count > 64) {
        out_.fatal(CALL_INFO, 1, "num_devices must be between %d and 64, not %d\n", virtio_count ? 0 : 1, count);
    }
    for (int i = 0; i < count; i++) {
        const std::string prefix = "device" + std::to_string(i);
        bool found = false;
        const std::string base = params.find<std::string>(prefix + "_base", "", found);
        const auto parsed_base = parseBytes(base);
        if (!found || !parsed_base) {
            out_.fatal(CALL_INFO, 1, "%s_base is %s: every device window needs a base address (e.g. 0x10200000)\n",
                       prefix.c_str(), found ? ("malformed ('" + base + "')").c_str() : "missing");
        }
        const std::string size = params.find<std::string>(prefix + "_size", "4096");
        const auto parsed_size = parseBytes(size);
        if (!parsed_size || *parsed_size == 0) {
            out_.fatal(CALL_INFO, 1, "%s_size '%s' is not a positive size\n", prefix.c_str(), size.c_str());
        }
        auto window = std::make_unique<MmioWindowChannel>(host(), params.find<std::string>(prefix + "_name", prefix),
                                                          unsigned(i), *parsed_base, *parsed_size);
        MmioWindowChannel* w = window.get();
        const size_t index = channels_.size();
        w->link = configureLink("device_port_" + std::to_string(i),
                                new SST::Event::Handler<QEMUBinary, &QEMUBinary::windowResponse, size_t>(this, index));
        if (!w->link) {
            out_.fatal(CALL_INFO, 1, "device_port_%d (%s) is not connected to a device component\n", i,
                       w->name.c_str());
        }
        channels_.push_back(std::move(window));
        connectDma(index, "dma_port_" + std::to_string(i));
        if (isPortConnected("irq_port_" + std::to_string(i))) {
            w->irq_link =
                configureLink("irq_port_" + std::to_string(i),
                              new SST::Event::Handler<QEMUBinary, &QEMUBinary::windowInterrupt, size_t>(this, index));
        }
        w->stats = {
            registerStatistic<uint64_t>("reads", w->name),      registerStatistic<uint64_t>("writes", w->name),
            registerStatistic<uint64_t>("bytes_read", w->name), registerStatistic<uint64_t>("bytes_written", w->name),
            registerStatistic<uint64_t>("latency", w->name),    registerStatistic<uint64_t>("errors", w->name),
            registerStatistic<uint64_t>("interrupts", w->name)};
        windows_.push_back(w);
    }
}

void QEMUBinary::readVirtioDevices(SST::Params& params) {
    const int count = params.find<int>("num_virtio_devices", 0);
    for (int k = 0; k < count; k++) {
        const std::string prefix = "virtio" + std::to_string(k);
        const std::string name = params.find<std::string>(prefix + "_name", prefix);
        if (name.empty() || name.find_first_of(",= ") != std::string::npos) {
            out_.fatal(CALL_INFO, 1, "%s_name '%s' cannot be a QEMU device id\n", prefix.c_str(), name.c_str());
        }
        auto virtio = std::make_unique<VirtioChannel>(host(), name, unsigned(k));
        VirtioChannel* v = virtio.get();
        const size_t index = channels_.size();
        channels_.push_back(std::move(virtio));
        v->link = configureLink("virtio_port_" + std::to_string(k),
                                new SST::Event::Handler<QEMUBinary, &QEMUBinary::virtioEvent, size_t>(this, index));
        if (!v->link) {
            out_.fatal(CALL_INFO, 1, "virtio_port_%d (%s) is not connected to a device component\n", k, name.c_str());
        }
        connectDma(index, "virtio_dma_port_" + std::to_string(k));
        v->stats = {registerStatistic<uint64_t>("requests", name), registerStatistic<uint64_t>("responses", name),
                    registerStatistic<uint64_t>("events", name), registerStatistic<uint64_t>("latency", name),
                    registerStatistic<uint64_t>("errors", name)};
    }
    for (size_t i = 0; i < channels_.size(); i++) {
        for (size_t j = 0; j < i; j++) {
            if (channels_[i]->name == channels_[j]->name) {
                out_.fatal(CALL_INFO, 1, "two devices are named '%s': names must be unique\n",
                           channels_[i]->name.c_str());
            }
        }
    }
}

void QEMUBinary::windowResponse(SST::Event* ev, size_t index) {
    static_cast<MmioWindowChannel&>(*channels_[index]).handleResponse(ev);
}

void QEMUBinary::windowInterrupt(SST::Event* ev, size_t index) {
    static_cast<MmioWindowChannel&>(*channels_[index]).handleInterrupt(ev);
}

void QEMUBinary::virtioEvent(SST::Event* ev, size_t index) {
    static_cast<VirtioChannel&>(*channels_[index]).handleEvent(ev);
}

void QEMUBinary::dmaRequest(SST::Event* ev, size_t index) { channels_[index]->handleDma(ev); }

// A device's DMA port, if the configuration connects it, and its statistics.
void QEMUBinary::connectDma(size_t index, const std::string& port) {
    if (!isPortConnected(port)) {
        return;
    }
    Channel& channel = *channels_[index];
    channel.dma_link =
        configureLink(port, new SST::Event::Handler<QEMUBinary, &QEMUBinary::dmaRequest, size_t>(this, index));
    channel.dma_stats = {registerStatistic<uint64_t>("dma_reads", channel.name),
                         registerStatistic<uint64_t>("dma_writes", channel.name),
                         registerStatistic<uint64_t>("dma_bytes_read", channel.name),
                         registerStatistic<uint64_t>("dma_bytes_written", channel.name),
                         registerStatistic<uint64_t>("dma_errors", channel.name)};
}

// Refuses windows that overlap each other, guest RAM or a region of the virt machine.
void QEMUBinary::checkWindows(uint64_t ram_size) const {
    for (size_t i = 0; i < windows_.size(); i++) {
        const MmioWindowChannel& d = *windows_[i];
        const std::string what = d.name + " [" + hex(d.base) + ", " + hex(d.base + d.size) + ")";
        if (d.base + d.size < d.base) {
            out_.fatal(CALL_INFO, 1, "device window %s wraps around the address space\n", what.c_str());
        }
        for (size_t j = 0; j < i; j++) {
            const MmioWindowChannel& e = *windows_[j];
            if (overlaps(d.base, d.size, e.base, e.size)) {
                out_.fatal(CALL_INFO, 1, "device window %s overlaps %s [%s, %s)\n", what.c_str(), e.name.c_str(),
                           hex(e.base).c_str(), hex(e.base + e.size).c_str());
            }
        }
        if (overlaps(d.base, d.size, kDramBase, ram_size)) {
            out_.fatal(CALL_INFO, 1, "device window %s overlaps guest RAM [%s, %s)\n", what.c_str(),
                       hex(kDramBase).c_str(), hex(kDramBase + ram_size).c_str());
        }
        for (const Region& r : kVirtRegions) {
            if (overlaps(d.base, d.size, r.base, r.size)) {
                out_.fatal(CALL_INFO, 1, "device window %s overlaps the virt machine's %s [%s, %s)\n", what.c_str(),
                           r.name, hex(r.base).c_str(), hex(r.base + r.size).c_str());
            }
        }
    }
}

std::vector<std::string> QEMUBinary::qemuCommandLine() const {
    // Not -nographic: its console multiplexes QEMU's monitor onto stdio and turns the terminal's
    // ISIG off, so Ctrl-C went to the guest and a killed QEMU left the terminal raw.  The serial
    // port alone goes to stdio, and signal=on keeps Ctrl-C a signal on an interactive console.
    std::vector<std::string> argv = {qemu_path_, "-M", machine_, "-m", memory_,
                                     // Guest RAM in a shared memfd, which QEMU hands to us for DMA.
                                     "-object", "memory-backend-memfd,id=sst-ram,share=on,size=" + memory_, "-machine",
                                     "memory-backend=sst-ram", "-bios", bios_, "-display", "none", "-monitor", "none",
                                     "-chardev", "stdio,id=console,signal=on", "-serial", "chardev:console", "-kernel",
                                     binary_path_};
    if (!initrd_.empty()) {
        argv.insert(argv.end(), {"-initrd", initrd_});
    }
    if (!append_.empty()) {
        argv.insert(argv.end(), {"-append", append_});
    }
    if (cpus_ > 1) {
        argv.insert(argv.end(), {"-smp", std::to_string(cpus_)});
    }
    if (time_.deterministic()) {
        argv.insert(argv.end(), {"-icount", "shift=" + std::to_string(icount_shift_) + ",sleep=off"});
        // Nothing the guest sees may come from the host: virt puts host random bytes in the device
        // tree's rng-seed (Linux seeds its RNG from it, and so address-space layouts, hashing and
        // thread interleavings), and the real-time clock starts at the host's date by default.
        argv.insert(argv.end(), {"-seed", "1", "-rtc", "base=2026-01-01T00:00:00,clock=vm"});
    }
    for (const auto& channel : channels_) {
        argv.insert(argv.end(), {"-device", channel->qemuDevice()});
    }
    argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
    return argv;
}

[[noreturn]] void QEMUBinary::abortRun(const std::string& why) {
    shutDownQemu();
    trace_.reset();  // removes its unfinished file: fatal() exits without destructors
    socket_dir_.remove();
    out_.fatal(CALL_INFO, 1, "%s\n", why.c_str());
}

// Tracing: each device may record what the bridge cannot see (trace_events.h).
void QEMUBinary::init(unsigned phase) {
    if (trace_ && phase == 0) {
        for (MmioWindowChannel* w : windows_) {
            w->link->sendUntimedData(new TraceRequestEvent());
        }
    }
}

// Tracing: the devices' busy intervals and DMA bursts, which they send once the run is over.
void QEMUBinary::complete(unsigned) {
    if (!trace_) {
        return;
    }
    for (MmioWindowChannel* w : windows_) {
        while (SST::Event* ev = w->link->recvUntimedData()) {
            if (auto* spans = dynamic_cast<TraceSpansEvent*>(ev)) {
                for (size_t i = 0; i < spans->count(); i++) {
                    const uint64_t* s = &spans->spans[i * TraceSpansEvent::kSpanFields];
                    if (s[0] == TraceSpansEvent::Busy) {
                        trace_->busy(w->trace_tid, s[1], s[2]);
                    } else {
                        trace_->dmaBurst(w->trace_tid, s[1], s[2], s[0] == TraceSpansEvent::DmaWrite, s[3], s[4],
                                         s[5] != 0);
                    }
                }
            }
            delete ev;
        }
    }
}

void QEMUBinary::setup() {
    const std::string dir_error =
        listen_dir_.empty() ? socket_dir_.create(socket_dir_parent_) : socket_dir_.useFixed(listen_dir_);
    if (!dir_error.empty()) {
        out_.fatal(CALL_INFO, 1, "%s\n", dir_error.c_str());
    }
    for (const auto& channel : channels_) {
        Channel& dev = *channel;
        dev.socket_path = socket_dir_.file(dev.socketName());
        dev.listen_fd = sst_ep_listen(dev.socket_path.c_str());
        if (dev.listen_fd < 0) {
            abortRun("cannot listen on " + dev.socket_path + ": " + std::strerror(errno));
        }
        out_.verbose(CALL_INFO, 2, 0, "Device %s socket listening at %s\n", dev.name.c_str(), dev.socket_path.c_str());
    }

    const auto argv = qemuCommandLine();
    std::string cmd;
    for (const auto& a : argv) {
        cmd += (cmd.empty() ? "" : " ") + a;
    }
    if (launch_qemu_) {
        out_.verbose(CALL_INFO, 1, 0, "Launching QEMU: %s\n", cmd.c_str());
        // With listen_dir, QEMU may outlive this simulation (and serve the next): its console must not
        // depend on us.
        if (const std::string err = qemu_.start(argv, interactive_console_, listen_dir_.empty()); !err.empty()) {
            abortRun("cannot launch QEMU: " + err);
        }
        out_.verbose(CALL_INFO, 1, 0, "QEMU PID: %d\n", int(qemu_.pid()));
    } else {
        // scripts/run-linux.sh starts QEMU from this file, so that the command line is built here
        // only: NUL-separated, our working directory (for relative paths) and then the arguments.
        std::string args = std::filesystem::current_path().string() + '\0';
        for (const auto& a : argv) {
            args += a + '\0';
        }
        if (const std::string err = socket_dir_.publish(kQemuArgsFile, args); !err.empty()) {
            abortRun(err);
        }
        out_.output(CALL_INFO,
                    "Not launching QEMU (launch_qemu=false): waiting %d s for one to connect in %s, "
                    "e.g. scripts/run-linux.sh --listen-dir %s, which runs %s\n",
                    connect_timeout_ms_ / 1000, listen_dir_.c_str(), listen_dir_.c_str(), cmd.c_str());
    }
    out_.verbose(CALL_INFO, 1, 0, "Waiting for %zu device connections...\n", channels_.size());
    connectDevices();
    if (interrupted_) {
        return;  // the engine ends the run before it starts; finish() stops QEMU
    }

    if (time_.deterministic()) {
        if (!time_master_) {
            abortRun("no device channel offered time synchronisation: deterministic mode needs it "
                     "(use time_mode=fast with a QEMU that cannot synchronise)");
        }
    }
    waitForQemu();  // the first grant goes out here: QEMU starts waiting at time 0
    if (!time_.deterministic()) {
        scheduleWakeup(time_.quantumPs());
    }
}

// Accepts every device's connection, polling in short slices so that a QEMU that dies during
// start-up is reported at once instead of after the whole timeout.
void QEMUBinary::connectDevices() {
    int waited_ms = 0;
    for (const auto& channel : channels_) {
        Channel& dev = *channel;
        for (;;) {
            const int fd = sst_ep_accept(dev.listen_fd, 100);
            if (fd >= 0) {
                sst_ep_init(&dev.ep, fd, SST_EP_SIMULATOR, dev.family());
                dev.ep.spin_polls = kSpinPolls;
                break;
            }
            if (errno == EINTR) {
                interrupted_ = true;  // a signal: the engine acts on it once setup() returns
                return;
            }
            if (errno != ETIMEDOUT) {
                abortRun("accepting " + dev.name + "'s connection failed: " + std::strerror(errno));
            }
            if (auto status = qemu_.poll(); status && launch_qemu_) {
                abortRun("QEMU " + QemuProcess::describe(*status) + " before " + dev.name + " connected to " +
                         dev.socket_path);
            }
            waited_ms += 100;
            if (waited_ms >= connect_timeout_ms_) {
                abortRun("timed out after " + std::to_string(connect_timeout_ms_ / 1000.0).substr(0, 4) +
                         " s waiting for QEMU to connect device " + dev.name + " at " + dev.socket_path +
                         (launch_qemu_ ? " (is '" + qemu_path_ + "' a QEMU built with sst-device?)"
                                       : " (launch_qemu=false: no QEMU connected)"));
            }
        }
        close(dev.listen_fd);
        dev.listen_fd = -1;
        socket_dir_.connected(dev.socket_path);
        handshake(dev);
        dev.connected = true;
        out_.verbose(CALL_INFO, 1, 0, "Device %s connected\n", dev.name.c_str());
    }
}

void QEMUBinary::handshake(Channel& dev) {
    sst_mmio_hello hello{};
    if (sst_ep_recv_hello(&dev.ep, &hello, kHandshakeTimeoutMs) < 0) {
        abortRun("device " + dev.name + ": handshake failed: " + dev.ep.error);
    }
    if (const std::string why = dev.checkHello(hello); !why.empty()) {
        sst_ep_refuse(&dev.ep, SST_MMIO_BAD_FIELD, why.c_str());
        abortRun(why);
    }
    uint32_t caps = hello.capabilities & dev.capabilities();
    if (!shared_memory_) {
        caps &= ~SST_MMIO_CAP_SHM_RING;
    }
    if (guest_ram_.mapped()) {
        caps &= ~SST_MMIO_CAP_GUEST_RAM;  // one channel hands it over
    }
    if (time_master_ || !(caps & SST_MMIO_CAP_TIME_SYNC)) {
        caps &= ~SST_MMIO_CAP_TIME_SYNC;  // one channel carries the guest's time
    } else {
        time_master_ = &dev;
    }
    const sst_mmio_hello_ack ack{
        caps, time_.deterministic() ? uint32_t(SST_MMIO_TIME_DETERMINISTIC) : uint32_t(SST_MMIO_TIME_FAST),
        time_.quantumPs()};
    if (sst_ep_accept_hello(&dev.ep, &ack, kRingCapacity, kHandshakeTimeoutMs) < 0) {
        abortRun("device " + dev.name + ": handshake failed: " + dev.ep.error);
    }
    if (caps & SST_MMIO_CAP_GUEST_RAM) {
        sst_mmio_guest_ram ram{};
        int fd = -1;
        if (sst_ep_recv_guest_ram(&dev.ep, &ram, &fd, kHandshakeTimeoutMs) < 0) {
            abortRun("device " + dev.name + ": receiving guest RAM failed: " + dev.ep.error);
        }
        if (const std::string err = guest_ram_.map(fd, ram.base, ram.size); !err.empty()) {
            abortRun(err);
        }
        out_.verbose(CALL_INFO, 1, 0, "Guest RAM [%s, %s) shared by QEMU for DMA\n", hex(ram.base).c_str(),
                     hex(ram.base + ram.size).c_str());
    }
}

void QEMUBinary::handleWakeup(SST::Event* ev) {
    delete ev;
    if (qemu_gone_) {
        return;
    }
    waitForQemu();
    if (!time_.deterministic()) {
        scheduleWakeup(nowPs() + time_.quantumPs());  // a free-running QEMU is checked on once per quantum
    }
}

void QEMUBinary::scheduleWakeup(uint64_t at_ps) {
    // One per time asked for; one that finds nothing to do (the horizon came down meanwhile) only
    // waits for a QEMU that is quiescent already.
    if (at_ps != wakeup_at_ps_) {
        wakeup_at_ps_ = at_ps;
        wakeup_link_->send(at_ps - nowPs(), new WakeupEvent());
    }
}

uint64_t QEMUBinary::responseHorizonPs() {
#if QEMU_SST_EXACT_HORIZONS
    if (!exact_horizons_) {
        return 0;
    }
    const uint64_t horizon = time_.lowerHorizon(nowPs(), SST::Core::nextActivityTime());
    if (horizon) {
        scheduleWakeup(horizon);  // to grant again there
    }
    return horizon;
#else
    return 0;
#endif
}

// Deterministic mode: once QEMU waits at its horizon and the engine has caught up with it, grant
// the next one (time_sync.h says when).
void QEMUBinary::grantIfWaiting() {
    if (qemu_gone_ || !time_.deterministic()) {
        return;  // fast mode: QEMU runs free, nothing to grant
    }
#if QEMU_SST_EXACT_HORIZONS
    const TimeSync::Step step =
        exact_horizons_ ? time_.nextStep(nowPs(), SST::Core::nextActivityTime()) : time_.nextStep(nowPs());
#else
    const TimeSync::Step step = time_.nextStep(nowPs());
#endif
    if (step.kind == TimeSync::Step::Grant) {
        const sst_mmio_grant grant{step.at_ps};
        time_master_->send(SST_MMIO_GRANT, &grant);
        if (trace_) {
            trace_->grant(nowPs(), step.at_ps);
        }
    }
    if (step.kind == TimeSync::Step::Yield) {
        wakeup_link_->send(0, new WakeupEvent(WakeupEvent::AfterAllEventsNow{}));
    } else if (step.kind != TimeSync::Step::None) {
        scheduleWakeup(step.at_ps);
    }
}

bool QEMUBinary::qemuQuiescent() const {
    if (qemu_gone_ || !time_master_ || time_master_->failed) {
        return true;
    }
    return time_.quiescent(nowPs(), requestsInFlight());
}

bool QEMUBinary::requestsInFlight() const {
    return std::any_of(channels_.begin(), channels_.end(), [](const auto& c) { return c->requestsInFlight(); });
}

void QEMUBinary::waitForQemu() {
    interrupted_ = false;  // called again: the engine went on, so that signal did not end the run
    std::vector<sst_mmio_endpoint*> live;
    while (true) {
        drainChannels();
        grantIfWaiting();
        if (qemuQuiescent()) {
            return;
        }
        live.clear();
        for (const auto& channel : channels_) {
            if (channel->live()) {
                live.push_back(&channel->ep);
            }
        }
        if (live.empty()) {
            noteQemuGone();
            return;
        }
        if (sst_ep_wait_any(live.data(), int(live.size()), kSpinPolls, kProgressReportMs) < 0) {
            if (errno == EINTR) {
                // A signal: back to the engine, which ends the run on SIGINT or SIGTERM.  Should
                // it go on instead, this wake-up resumes the wait at the same simulated time.
                interrupted_ = true;
                wakeup_link_->send(0, new WakeupEvent());
                return;
            }
            if (auto status = qemu_.poll()) {
                noteQemuGone();
                return;
            }
            out_.output(CALL_INFO, "still waiting for QEMU (guest time %" PRIu64 " ps, horizon %" PRIu64 " ps)\n",
                        time_.guestTimePs(), time_.horizonPs());
        }
    }
}

void QEMUBinary::drainChannels() {
    for (const auto& channel : channels_) {
        if (!channel->live()) {
            continue;
        }
        int rc;
        while ((rc = channel->poll()) == SST_EP_FRAME) {
            handleFrame(*channel);
        }
        if (rc == SST_EP_CLOSED && !channel->ep.hung_up) {
            // A frame it could not take (e.g. of another payload family): QEMU is told why, as
            // for a frame the channel refuses after decoding it.
            channel->refuse(0, channel->ep.error);
        } else if (rc == SST_EP_CLOSED) {
            channelFailed(*channel);
        }
    }
}

// The base frames every channel carries; the rest belong to the channel's payload family.
void QEMUBinary::handleFrame(Channel& dev) {
    const sst_mmio_header& hdr = dev.frameHeader();
    out_.verbose(CALL_INFO, 3, 0, "%s: frame %s seq=%u\n", dev.name.c_str(), sst_frame_type_str(dev.family(), hdr.type),
                 hdr.seq);
    switch (hdr.type) {
    case SST_MMIO_SYNC:
        time_.guestReached(dev.basePayload<sst_mmio_sync>().vtime_ps);
        stat_syncs_->addData(1);
        if (trace_) {
            trace_->sync(dev.basePayload<sst_mmio_sync>().vtime_ps);
        }
        return;
    case SST_MMIO_GOODBYE: {
        const auto bye = dev.basePayload<sst_mmio_goodbye>();
        dev.said_goodbye = true;
        out_.verbose(CALL_INFO, 1, 0, "%s: QEMU said goodbye (reason %u, status %d)\n", dev.name.c_str(), bye.reason,
                     bye.exit_status);
        // A QEMU we did not start has no exit status to wait for: its goodbyes end the run.
        if (!launch_qemu_ && std::all_of(channels_.begin(), channels_.end(),
                                         [](const auto& c) { return !c->live() || c->said_goodbye; })) {
            noteQemuGone();
        }
        return;  // the hang-up that follows ends the channel
    }
    default:
        if (dev.handleFrame()) {
            return;
        }
    }
    dev.refuse(SST_MMIO_BAD_TYPE,
               std::string("unexpected ") + sst_frame_type_str(dev.family(), hdr.type) + " frame from QEMU");
}

// A channel died.  If QEMU exited, that is the end of the run; otherwise only this device is lost
// and the others carry on.
void QEMUBinary::channelFailed(Channel& dev) {
    if (dev.failed) {
        return;
    }
    dev.failed = true;
    time_.accessesEnded(dev.dropInFlight());
    if (!dev.ep.hung_up) {
        reportFailure(dev);  // a protocol error is reported whatever QEMU does next
    }
    if (qemu_.poll(200)) {
        noteQemuGone();
        return;
    }
    if (!dev.said_goodbye) {
        reportFailure(dev);
    }
    if (std::all_of(channels_.begin(), channels_.end(), [](const auto& c) { return c->failed; })) {
        noteQemuGone();
    }
}

void QEMUBinary::noteQemuGone() {
    if (qemu_gone_) {
        return;
    }
    qemu_gone_ = true;
    if (!launch_qemu_) {  // not ours: it disconnected, which ends the run; its fate is its own
        out_.output(CALL_INFO, "QEMU disconnected\n");
        primaryComponentOKToEndSim();
        return;
    }
    qemu_status_ = qemu_.poll(2000);
    if (!qemu_status_) {
        out_.output(CALL_INFO, "every device channel is closed but QEMU is still running: terminating it\n");
        qemu_status_ = qemu_.terminate(1000);
    }
    guest_exit_code_ = QemuProcess::exitCode(*qemu_status_);
    if (WIFEXITED(*qemu_status_)) {
        // QEMU ends every channel with GOODBYE; one that vanished earlier lost its device mid-run.
        // Read all that the channels still hold, rings and sockets alike: their GOODBYEs may not
        // have been taken yet, and a socket the bridge never slept on (another channel kept it
        // busy) may hold a bad frame, which must be reported now at the latest.
        for (const auto& channel : channels_) {
            Channel& dev = *channel;
            if (dev.live()) {
                readToTheEnd(dev);
            } else if (dev.failed && !dev.said_goodbye) {
                reportFailure(dev);  // it hung up without GOODBYE just before QEMU's exit
            }
        }
    }
    primaryComponentOKToEndSim();
}

// After QEMU's exit: takes every frame left on dev's ring and socket up to the hang-up (frames on
// the socket may predate a GOODBYE that came through the ring), and reports the channel if it ended
// in a protocol error, or without QEMU's GOODBYE.
void QEMUBinary::readToTheEnd(Channel& dev) {
    int rc;
    do {
        dev.ep.socket_readable = 1;  // look at the socket whether or not a wait saw it readable
        rc = dev.poll();
        dev.said_goodbye = dev.said_goodbye || (rc == SST_EP_FRAME && dev.frameHeader().type == SST_MMIO_GOODBYE);
    } while (rc == SST_EP_FRAME);
    if (rc == SST_EP_CLOSED && !(dev.said_goodbye && dev.ep.hung_up)) {
        reportFailure(dev);
    } else if (!dev.said_goodbye) {
        out_.output(CALL_INFO, "channel of device %s closed without a goodbye: QEMU lost it during the run\n",
                    dev.name.c_str());
    }
}

void QEMUBinary::reportFailure(Channel& dev) {
    if (!dev.reported) {
        dev.reported = true;
        out_.output(CALL_INFO, "channel of device %s failed: %s\n", dev.name.c_str(), dev.ep.error);
    }
}

void QEMUBinary::shutDownQemu() {
    const sst_mmio_goodbye bye{SST_MMIO_BYE_SIM_END, 0};
    if (!launch_qemu_) {  // a QEMU we did not start goes on (and may connect to the next simulation)
        if (!qemu_gone_) {
            for (const auto& channel : channels_) {
                channel->send(SST_MMIO_GOODBYE, &bye);
            }
            qemu_gone_ = true;
        }
        return;
    }
    if (!qemu_.running()) {
        return;
    }
    for (const auto& channel : channels_) {
        channel->send(SST_MMIO_GOODBYE, &bye);
    }
    const int status = qemu_.terminate(1000);
    out_.verbose(CALL_INFO, 1, 0, "simulation ended before QEMU: stopped it (it %s)\n",
                 QemuProcess::describe(status).c_str());
}

void QEMUBinary::finish() {
    if (qemu_status_) {
        out_.output(CALL_INFO, "QEMU %s\n", QemuProcess::describe(*qemu_status_).c_str());
    } else {
        shutDownQemu();
    }
    if (trace_) {
        const size_t records = trace_->records();
        if (const std::string err = trace_->finish(nowPs()); !err.empty()) {
            out_.output(CALL_INFO, "%s\n", err.c_str());
        } else {
            out_.verbose(CALL_INFO, 1, 0, "timeline of %zu records written to %s\n", records, trace_->path().c_str());
        }
    }
}

}  // namespace QemuSst

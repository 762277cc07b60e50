#include <sst/core/sst_config.h>

#include "qemu_binary.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <sys/wait.h>

#include "qemu-sst/sst_platform.h"

#include "common/byte_size.h"
#include "common/mmio_events.h"
#include "common/virtio_events.h"

namespace QemuSst {
namespace {

constexpr unsigned kRingCapacity = SST_SHM_DEFAULT_CAPACITY;
constexpr int kHandshakeTimeoutMs = 5000;
constexpr int kProgressReportMs = 10000;
constexpr unsigned kSpinPolls = 20000;

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

bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
    return a < b + b_size && b < a + a_size;
}

std::string hex(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
    return buf;
}

// Self-link event: the bridge's turn to synchronise with QEMU.
class WakeupEvent : public SST::Event {
public:
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
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDOUT);

    launch_qemu_ = params.find<bool>("launch_qemu", true);
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
    deterministic_ = mode == "deterministic";

    connect_timeout_ms_ = int(getTimeConverter(params.find<std::string>("connect_timeout", "10s")).getFactor() /
                              1000000000ull);

    ps_tc_ = getTimeConverter("1ps");
    clock_tc_ = registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    quantum_ps_ = getTimeConverter(params.find<std::string>("sync_quantum", "1us")).getFactor();
    max_quantum_ps_ = getTimeConverter(params.find<std::string>("max_sync_quantum", "1ms")).getFactor();
    if (max_quantum_ps_ < quantum_ps_) {
        out_.fatal(CALL_INFO, 1, "max_sync_quantum must not be shorter than sync_quantum\n");
    }
    current_quantum_ps_ = quantum_ps_;

    readDeviceWindows(params);
    readVirtioDevices(params);
    const auto ram = parseBytes(memory_);
    if (!ram) {
        out_.fatal(CALL_INFO, 1, "memory '%s' is not a size (e.g. 128M, 1G)\n", memory_.c_str());
    }
    if (machine_ == "virt") {
        checkWindows(*ram);
    }

    stat_syncs_ = registerStatistic<uint64_t>("syncs");
    registerAsPrimaryComponent();
    primaryComponentDoNotEndSim();
    wakeup_link_ = configureSelfLink("sync_wakeup", ps_tc_,
                                     new SST::Event::Handler<QEMUBinary, &QEMUBinary::handleWakeup>(this));
}

QEMUBinary::~QEMUBinary() {
    shutDownQemu();
    for (auto& dev : devices_) {
        sst_ep_close(&dev.ep);
        if (dev.listen_fd >= 0) {
            close(dev.listen_fd);
        }
    }
    socket_dir_.remove();
    if (guest_exit_code_ != 0 && !interrupted_) {  // interrupted: the engine's status says so
        // Statistics are out by now; the process exit status carries the guest's verdict.
        out_.fatal(CALL_INFO, guest_exit_code_, "guest failed: QEMU %s\n", QemuProcess::describe(*qemu_status_).c_str());
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
    devices_.resize(size_t(count + virtio_count));  // windows first, then virtio devices
    for (int i = 0; i < count; i++) {
        Device& dev = devices_[i];
        dev.index = unsigned(i);
        const std::string prefix = "device" + std::to_string(i);
        dev.name = params.find<std::string>(prefix + "_name", prefix);
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
        dev.base = *parsed_base;
        dev.size = *parsed_size;
        dev.link = configureLink("device_port_" + std::to_string(i),
                                 new SST::Event::Handler<QEMUBinary, &QEMUBinary::handleResponse, unsigned>(this, i));
        if (!dev.link) {
            out_.fatal(CALL_INFO, 1, "device_port_%d (%s) is not connected to a device component\n", i,
                       dev.name.c_str());
        }
        if (isPortConnected("irq_port_" + std::to_string(i))) {
            dev.irq_link = configureLink(
                "irq_port_" + std::to_string(i),
                new SST::Event::Handler<QEMUBinary, &QEMUBinary::handleInterrupt, unsigned>(this, i));
        }
        dev.reads = registerStatistic<uint64_t>("reads", dev.name);
        dev.writes = registerStatistic<uint64_t>("writes", dev.name);
        dev.bytes_read = registerStatistic<uint64_t>("bytes_read", dev.name);
        dev.bytes_written = registerStatistic<uint64_t>("bytes_written", dev.name);
        dev.latency = registerStatistic<uint64_t>("latency", dev.name);
        dev.errors = registerStatistic<uint64_t>("errors", dev.name);
        dev.interrupts = registerStatistic<uint64_t>("interrupts", dev.name);
        sst_ep_init(&dev.ep, -1, SST_EP_SIMULATOR);
    }
}

void QEMUBinary::readVirtioDevices(SST::Params& params) {
    const unsigned first = unsigned(params.find<int>("num_devices", 1));
    for (unsigned i = first; i < devices_.size(); i++) {
        Device& dev = devices_[i];
        const unsigned k = i - first;
        const std::string prefix = "virtio" + std::to_string(k);
        dev.virtio = true;
        dev.index = k;
        dev.name = params.find<std::string>(prefix + "_name", prefix);
        if (dev.name.empty() || dev.name.find_first_of(",= ") != std::string::npos) {
            out_.fatal(CALL_INFO, 1, "%s_name '%s' cannot be a QEMU device id\n", prefix.c_str(), dev.name.c_str());
        }
        dev.link = configureLink("virtio_port_" + std::to_string(k),
                                 new SST::Event::Handler<QEMUBinary, &QEMUBinary::handleVirtio, unsigned>(this, i));
        if (!dev.link) {
            out_.fatal(CALL_INFO, 1, "virtio_port_%u (%s) is not connected to a device component\n", k,
                       dev.name.c_str());
        }
        dev.requests = registerStatistic<uint64_t>("requests", dev.name);
        dev.responses = registerStatistic<uint64_t>("responses", dev.name);
        dev.events = registerStatistic<uint64_t>("events", dev.name);
        dev.latency = registerStatistic<uint64_t>("latency", dev.name);
        dev.errors = registerStatistic<uint64_t>("errors", dev.name);
        sst_ep_init(&dev.ep, -1, SST_EP_SIMULATOR);
    }
    for (size_t i = 0; i < devices_.size(); i++) {
        for (size_t j = 0; j < i; j++) {
            if (devices_[i].name == devices_[j].name) {
                out_.fatal(CALL_INFO, 1, "two devices are named '%s': names must be unique\n",
                           devices_[i].name.c_str());
            }
        }
    }
}

// Refuses windows that overlap each other, guest RAM or a region of the virt machine.
void QEMUBinary::checkWindows(uint64_t ram_size) const {
    for (size_t i = 0; i < devices_.size(); i++) {
        const Device& d = devices_[i];
        if (d.virtio) {
            continue;
        }
        const std::string what = d.name + " [" + hex(d.base) + ", " + hex(d.base + d.size) + ")";
        if (d.base + d.size < d.base) {
            out_.fatal(CALL_INFO, 1, "device window %s wraps around the address space\n", what.c_str());
        }
        for (size_t j = 0; j < i; j++) {
            const Device& e = devices_[j];
            if (!e.virtio && overlaps(d.base, d.size, e.base, e.size)) {
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
    std::vector<std::string> argv = {qemu_path_, "-M",       machine_, "-m",      memory_, "-bios",
                                     bios_,      "-display", "none",   "-monitor", "none",  "-chardev",
                                     "stdio,id=console,signal=on", "-serial", "chardev:console", "-kernel",
                                     binary_path_};
    if (!initrd_.empty()) {
        argv.insert(argv.end(), {"-initrd", initrd_});
    }
    if (!append_.empty()) {
        argv.insert(argv.end(), {"-append", append_});
    }
    if (deterministic_) {
        argv.insert(argv.end(), {"-icount", "shift=" + std::to_string(icount_shift_) + ",sleep=off"});
        // Nothing the guest sees may come from the host: virt puts host random bytes in the device
        // tree's rng-seed (Linux seeds its RNG from it, and so address-space layouts, hashing and
        // thread interleavings), and the real-time clock starts at the host's date by default.
        argv.insert(argv.end(), {"-seed", "1", "-rtc", "base=2026-01-01T00:00:00,clock=vm"});
    }
    for (const Device& d : devices_) {
        if (d.virtio) {
            argv.insert(argv.end(), {"-device", "virtio-sst-device,id=" + d.name + ",socket=" + d.socket_path});
            continue;
        }
        argv.insert(argv.end(), {"-device", "sst-device,id=" + d.name + ",socket=" + d.socket_path +
                                                ",base_address=" + hex(d.base) + ",size=" + hex(d.size)});
    }
    argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
    return argv;
}

[[noreturn]] void QEMUBinary::abortRun(const std::string& why) {
    shutDownQemu();
    socket_dir_.remove();
    out_.fatal(CALL_INFO, 1, "%s\n", why.c_str());
}

void QEMUBinary::setup() {
    const std::string dir_error =
        listen_dir_.empty() ? socket_dir_.create(socket_dir_parent_) : socket_dir_.useFixed(listen_dir_);
    if (!dir_error.empty()) {
        out_.fatal(CALL_INFO, 1, "%s\n", dir_error.c_str());
    }
    for (size_t i = 0; i < devices_.size(); i++) {
        Device& dev = devices_[i];
        dev.socket_path = socket_dir_.file((dev.virtio ? "virtio" : "device") + std::to_string(dev.index) + ".sock");
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
        out_.output(CALL_INFO, "Not launching QEMU (launch_qemu=false): waiting %d s for one to connect in %s, "
                    "e.g. %s\n", connect_timeout_ms_ / 1000, listen_dir_.c_str(), cmd.c_str());
    }
    out_.verbose(CALL_INFO, 1, 0, "Waiting for %zu device connections...\n", devices_.size());
    std::fflush(stdout);  // lifecycle lines must be visible now, not at exit, when stdout is a file
    connectDevices();
    if (interrupted_) {
        return;  // the engine ends the run before it starts; finish() stops QEMU
    }

    if (deterministic_) {
        if (!time_master_) {
            abortRun("no device channel offered time synchronisation: deterministic mode needs it "
                     "(use time_mode=fast with a QEMU that cannot synchronise)");
        }
    }
    waitForQemu();  // the first grant goes out here: QEMU starts waiting at time 0
    if (!deterministic_) {
        scheduleWakeup(quantum_ps_);
    }
}

// Accepts every device's connection, polling in short slices so that a QEMU that dies during
// start-up is reported at once instead of after the whole timeout.
void QEMUBinary::connectDevices() {
    int waited_ms = 0;
    for (Device& dev : devices_) {
        for (;;) {
            const int fd = sst_ep_accept(dev.listen_fd, 100);
            if (fd >= 0) {
                sst_ep_init(&dev.ep, fd, SST_EP_SIMULATOR);
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
        std::fflush(stdout);
    }
}

void QEMUBinary::handshake(Device& dev) {
    sst_mmio_hello hello{};
    if (sst_ep_recv_hello(&dev.ep, &hello, kHandshakeTimeoutMs) < 0) {
        abortRun("device " + dev.name + ": handshake failed: " + dev.ep.error);
    }
    if (dev.virtio) {
        if (!(hello.capabilities & SST_MMIO_CAP_VIRTIO)) {
            const std::string why = "QEMU connected " + dev.name + " as an sst-device, but it is a virtio-sst device";
            sst_ep_refuse(&dev.ep, SST_MMIO_BAD_FIELD, why.c_str());
            abortRun(why);
        }
    } else if (hello.base_address != dev.base || hello.size != dev.size) {
        const std::string why = "QEMU maps " + dev.name + " at [" + hex(hello.base_address) + ", +" +
                                hex(hello.size) + ") but the configuration says [" + hex(dev.base) + ", +" +
                                hex(dev.size) + ")";
        sst_ep_refuse(&dev.ep, SST_MMIO_BAD_FIELD, why.c_str());
        abortRun(why);
    }
    uint32_t caps = hello.capabilities & SST_MMIO_CAP_ALL;
    if (!dev.virtio) {
        caps &= ~SST_MMIO_CAP_VIRTIO;
    }
    if (!shared_memory_) {
        caps &= ~SST_MMIO_CAP_SHM_RING;
    }
    if (time_master_ || !(caps & SST_MMIO_CAP_TIME_SYNC)) {
        caps &= ~SST_MMIO_CAP_TIME_SYNC;  // one channel carries the guest's time
    } else {
        time_master_ = &dev;
    }
    const sst_mmio_hello_ack ack{caps, deterministic_ ? uint32_t(SST_MMIO_TIME_DETERMINISTIC) : uint32_t(SST_MMIO_TIME_FAST),
                                 quantum_ps_};
    if (sst_ep_accept_hello(&dev.ep, &ack, kRingCapacity, kHandshakeTimeoutMs) < 0) {
        abortRun("device " + dev.name + ": handshake failed: " + dev.ep.error);
    }
}

void QEMUBinary::handleWakeup(SST::Event* ev) {
    delete ev;
    if (qemu_gone_) {
        return;
    }
    waitForQemu();
    if (!deterministic_) {
        scheduleWakeup(nowPs() + quantum_ps_);  // a free-running QEMU is checked on once per quantum
    }
}

void QEMUBinary::scheduleWakeup(uint64_t at_ps) {
    if (at_ps > wakeup_at_ps_) {  // one pending wake-up, at the latest time asked for, is enough
        wakeup_at_ps_ = at_ps;
        wakeup_link_->send(at_ps - nowPs(), new WakeupEvent());
    }
}

// Deterministic mode: once QEMU waits at its horizon and the engine has caught up with it, grant
// the next one.  Granting whenever that happens (not only at quantum boundaries) keeps the engine
// from ever running ahead of a waiting guest, e.g. after a slow access carried it past its
// horizon.  While the guest touches no device and no interrupt goes out, each horizon is twice as
// far as the last (up to max_sync_quantum), so a long computation costs few synchronisations; any
// device activity brings the step back to sync_quantum.
void QEMUBinary::grantIfWaiting() {
    if (!deterministic_ || qemu_gone_ || outstanding_ > 0 || guest_time_ps_ < horizon_ps_) {
        return;  // QEMU is blocked on an access or still running towards its horizon
    }
    if (guest_time_ps_ > nowPs()) {
        scheduleWakeup(guest_time_ps_);  // the engine catches up with the guest first
        return;
    }
    current_quantum_ps_ = device_activity_ ? quantum_ps_ : std::min(2 * current_quantum_ps_, max_quantum_ps_);
    device_activity_ = false;
    horizon_ps_ = guest_time_ps_ / quantum_ps_ * quantum_ps_ + current_quantum_ps_;
    const sst_mmio_grant grant{horizon_ps_};
    send(*time_master_, SST_MMIO_GRANT, &grant);
    scheduleWakeup(horizon_ps_);
}

bool QEMUBinary::qemuQuiescent() const {
    if (qemu_gone_ || outstanding_ > 0 || !time_master_ || time_master_->failed) {
        return true;
    }
    if (deterministic_) {
        return guest_time_ps_ >= horizon_ps_;
    }
    // Fast mode: the engine follows the guest's clock loosely.  It may run up to max_sync_quantum
    // ahead of the last time QEMU reported (SYNCs come about once per millisecond), so a device's
    // interrupt for an idle guest goes out without waiting for the next SYNC; and as far as it takes
    // to answer virtio requests, since QEMU may be spinning in the kick for the answer meanwhile.
    return guest_time_ps_ + max_quantum_ps_ >= nowPs() || virtioInFlight();
}

// The time an interrupt or event goes out with.  QEMU applies it when its clock gets there; in
// fast mode the engine may be ahead of the guest, and what it sends must take effect at once.
uint64_t QEMUBinary::stampPs() const {
    return deterministic_ ? nowPs() : std::min(nowPs(), guest_time_ps_);
}

bool QEMUBinary::virtioInFlight() const {
    for (const Device& dev : devices_) {
        if (!dev.virtio_pending.empty()) {
            return true;
        }
    }
    return false;
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
        for (Device& dev : devices_) {
            if (dev.connected && !dev.failed) {
                live.push_back(&dev.ep);
            }
        }
        if (live.empty()) {
            qemuGone();
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
                qemuGone();
                return;
            }
            out_.output(CALL_INFO, "still waiting for QEMU (guest time %" PRIu64 " ps, horizon %" PRIu64 " ps)\n",
                        guest_time_ps_, horizon_ps_);
        }
    }
}

void QEMUBinary::drainChannels() {
    sst_mmio_frame frame;
    for (Device& dev : devices_) {
        if (!dev.connected || dev.failed) {
            continue;
        }
        int rc;
        while ((rc = sst_ep_poll(&dev.ep, &frame)) == SST_EP_FRAME) {
            handleFrame(dev, frame);
        }
        if (rc == SST_EP_CLOSED) {
            channelFailed(dev);
        }
    }
}

void QEMUBinary::handleFrame(Device& dev, const sst_mmio_frame& frame) {
    out_.verbose(CALL_INFO, 3, 0, "%s: frame %s seq=%u\n", dev.name.c_str(), sst_mmio_type_str(frame.hdr.type),
                 frame.hdr.seq);
    switch (frame.hdr.type) {
    case SST_MMIO_READ:
    case SST_MMIO_WRITE:
        if (dev.virtio) {
            break;  // a virtio channel has no window
        }
        handleAccess(dev, frame.u.access, frame.hdr.type == SST_MMIO_WRITE);
        return;
    case SST_MMIO_VIRTIO_REQUEST:
        if (!dev.virtio) {
            break;
        }
        handleVirtioRequest(dev, frame.u.virtio_request);
        return;
    case SST_MMIO_SYNC:
        guest_time_ps_ = std::max(guest_time_ps_, frame.u.sync.vtime_ps);
        stat_syncs_->addData(1);
        return;
    case SST_MMIO_GOODBYE:
        dev.said_goodbye = true;
        out_.verbose(CALL_INFO, 1, 0, "%s: QEMU said goodbye (reason %u, status %d)\n", dev.name.c_str(),
                     frame.u.goodbye.reason, frame.u.goodbye.exit_status);
        // A QEMU we did not start has no exit status to wait for: its goodbyes end the run.
        if (!launch_qemu_ && std::all_of(devices_.begin(), devices_.end(), [](const Device& d) {
                return !d.connected || d.failed || d.said_goodbye;
            })) {
            qemuGone();
        }
        return;  // the hang-up that follows ends the channel
    default: break;
    }
    const std::string why = std::string("unexpected ") + sst_mmio_type_str(frame.hdr.type) + " frame from QEMU";
    sst_ep_refuse(&dev.ep, SST_MMIO_BAD_TYPE, why.c_str());
    channelFailed(dev);
}

void QEMUBinary::handleAccess(Device& dev, const sst_mmio_access& access, bool write) {
    const uint64_t now = nowPs();
    out_.verbose(CALL_INFO, 2, 0, "MMIO from %s: type=%s addr=0x%016" PRIx64 " data=0x%08" PRIx64 " size=%u\n",
                 dev.name.c_str(), write ? "WRITE" : "READ", dev.base + access.offset, access.data,
                 unsigned(access.size));
    guest_time_ps_ = std::max(guest_time_ps_, access.vtime_ps);
    device_activity_ = true;
    (write ? dev.writes : dev.reads)->addData(1);
    (write ? dev.bytes_written : dev.bytes_read)->addData(access.size);
    if (access.offset >= dev.size || access.size > dev.size - access.offset) {
        dev.errors->addData(1);
        out_.verbose(CALL_INFO, 1, 0, "%s: access at offset 0x%" PRIx64 " is outside the %" PRIu64 "-byte window\n",
                     dev.name.c_str(), access.offset, dev.size);
        respond(dev, access.id, 0, 0, SST_MMIO_DECODE_ERROR);
        return;
    }
    if (dev.pending.count(access.id)) {
        const std::string why = "access id " + std::to_string(access.id) + " reused while still outstanding";
        sst_ep_refuse(&dev.ep, SST_MMIO_BAD_FIELD, why.c_str());
        channelFailed(dev);
        return;
    }
    // Deliver at the access's own guest time; in fast mode (or if QEMU was late) that is now.
    const uint64_t at = deterministic_ ? std::max(access.vtime_ps, now) : now;
    if (deterministic_ && access.vtime_ps < now) {
        out_.verbose(CALL_INFO, 1, 0, "%s: access at guest time %" PRIu64 " ps arrived late, delivered at %" PRIu64 " ps\n",
                     dev.name.c_str(), access.vtime_ps, now);
    }
    dev.pending.emplace(access.id, PendingAccess{at, write, access.size});
    outstanding_++;
    auto* ev = new MMIORequestEvent(write ? MMIORequestEvent::Kind::Write : MMIORequestEvent::Kind::Read, access.id,
                                    access.offset, access.data, access.size);
    dev.link->send(at - now, ps_tc_, ev);
}

void QEMUBinary::handleResponse(SST::Event* ev, unsigned index) {
    auto* resp = static_cast<MMIOResponseEvent*>(ev);
    Device& dev = devices_[index];
    const auto it = dev.pending.find(resp->id);
    if (it == dev.pending.end()) {
        // Its channel failed meanwhile, or the device answered twice: nobody is waiting for it.
        out_.verbose(CALL_INFO, 1, 0, "%s: dropping response to unknown access id %" PRIu64 "\n", dev.name.c_str(),
                     resp->id);
        delete resp;
        return;
    }
    const uint64_t now = nowPs();
    const uint64_t latency_ps = now - it->second.delivered_ps;
    dev.pending.erase(it);
    outstanding_--;
    dev.latency->addData(clock_tc_.convertFromCoreTime(latency_ps));
    if (resp->status != SST_MMIO_OK) {
        dev.errors->addData(1);
    }
    if (deterministic_) {
        guest_time_ps_ = std::max(guest_time_ps_, now);  // QEMU resumes once the latency has passed
    }
    respond(dev, resp->id, resp->data, latency_ps, resp->status);
    delete resp;
    waitForQemu();
}

void QEMUBinary::handleInterrupt(SST::Event* ev, unsigned index) {
    Device& dev = devices_[index];
    const bool level = static_cast<InterruptEvent*>(ev)->level;
    delete ev;
    dev.interrupts->addData(1);
    device_activity_ = true;
    out_.verbose(CALL_INFO, 2, 0, "IRQ from %s: level=%d\n", dev.name.c_str(), int(level));
    const sst_mmio_irq irq{0, level ? 1u : 0u, stampPs()};
    send(dev, SST_MMIO_IRQ, &irq);
}

// A virtio request: QEMU goes on running, so it is device activity but not an outstanding access.
void QEMUBinary::handleVirtioRequest(Device& dev, const sst_mmio_virtio_request& req) {
    const uint64_t now = nowPs();
    guest_time_ps_ = std::max(guest_time_ps_, req.vtime_ps);
    device_activity_ = true;
    dev.requests->addData(1);
    out_.verbose(CALL_INFO, 2, 0, "VIRTIO from %s: id=%" PRIu64 " type=%s request_id=%" PRIu64 " length=%u\n",
                 dev.name.c_str(), req.id, sst_request_type_str(req.request.type), req.request.request_id, req.length);
    const char* why = nullptr;
    if (sst_request_check(&req.request, req.length, &why) != SST_STATUS_OK) {
        out_.verbose(CALL_INFO, 1, 0, "%s: request id %" PRIu64 " refused: %s\n", dev.name.c_str(), req.id, why);
        SSTResponse resp{};
        resp.status = SST_STATUS_INVALID;
        resp.request_id = req.request.request_id;
        resp.user_data = req.request.user_data;
        dev.errors->addData(1);
        dev.latency->addData(0);
        virtioRespond(dev, req.id, 0, resp);
        return;
    }
    if (dev.virtio_pending.count(req.id)) {
        const std::string why_dup = "virtio request id " + std::to_string(req.id) + " reused while still outstanding";
        sst_ep_refuse(&dev.ep, SST_MMIO_BAD_FIELD, why_dup.c_str());
        channelFailed(dev);
        return;
    }
    const uint64_t at = deterministic_ ? std::max(req.vtime_ps, now) : now;
    dev.virtio_pending.emplace(req.id, at);
    dev.link->send(at - now, ps_tc_, new VirtioRequestEvent(req.id, req.request, req.length));
}

void QEMUBinary::handleVirtio(SST::Event* ev, unsigned index) {
    Device& dev = devices_[index];
    if (auto* resp = dynamic_cast<VirtioResponseEvent*>(ev)) {
        const auto it = dev.virtio_pending.find(resp->id);
        if (it == dev.virtio_pending.end()) {
            out_.verbose(CALL_INFO, 1, 0, "%s: dropping response to unknown virtio request id %" PRIu64 "\n",
                         dev.name.c_str(), resp->id);
            delete resp;
            return;
        }
        const uint64_t latency_ps = nowPs() - it->second;
        dev.virtio_pending.erase(it);
        dev.latency->addData(clock_tc_.convertFromCoreTime(latency_ps));
        if (resp->response.status != SST_STATUS_OK) {
            dev.errors->addData(1);
        }
        device_activity_ = true;
        virtioRespond(dev, resp->id, latency_ps, resp->response);
        delete resp;
    } else if (auto* note = dynamic_cast<VirtioNotifyEvent*>(ev)) {
        dev.events->addData(1);
        device_activity_ = true;
        out_.verbose(CALL_INFO, 2, 0, "VIRTIO event from %s: type=%u request_id=%" PRIu64 "\n", dev.name.c_str(),
                     note->event.type, note->event.request_id);
        sst_mmio_virtio_event frame{};
        frame.vtime_ps = stampPs();
        frame.event = note->event;
        send(dev, SST_MMIO_VIRTIO_EVENT, &frame);
        delete note;
    } else {
        out_.fatal(CALL_INFO, 1, "unexpected event on virtio_port_%u\n", dev.index);
    }
    waitForQemu();
}

void QEMUBinary::virtioRespond(Device& dev, uint64_t id, uint64_t latency_ps, const SSTResponse& response) {
    dev.responses->addData(1);
    out_.verbose(CALL_INFO, 2, 0, "VIRTIO response to %s: id=%" PRIu64 " status=%s latency=%" PRIu64 " ps\n",
                 dev.name.c_str(), id, sst_status_str(response.status), latency_ps);
    sst_mmio_virtio_response frame{};
    frame.id = id;
    frame.latency_ps = latency_ps;
    frame.response = response;
    send(dev, SST_MMIO_VIRTIO_RESPONSE, &frame);
}

void QEMUBinary::respond(Device& dev, uint64_t id, uint64_t data, uint64_t latency_ps, uint32_t status) {
    const sst_mmio_response resp{id, data, latency_ps, status, 0};
    send(dev, SST_MMIO_RESPONSE, &resp);
}

void QEMUBinary::send(Device& dev, uint32_t type, const void* payload) {
    if (!dev.connected || dev.failed || qemu_gone_) {
        return;
    }
    if (sst_ep_send(&dev.ep, type, payload) < 0) {
        channelFailed(dev);
    }
}

// A channel died.  If QEMU exited, that is the end of the run; otherwise only this device is lost
// and the others carry on.
void QEMUBinary::channelFailed(Device& dev) {
    if (dev.failed) {
        return;
    }
    dev.failed = true;
    outstanding_ -= dev.pending.size();
    dev.pending.clear();
    dev.virtio_pending.clear();
    if (!dev.ep.hung_up) {
        reportFailure(dev);  // a protocol error is reported whatever QEMU does next
    }
    if (qemu_.poll(200)) {
        qemuGone();
        return;
    }
    if (!dev.said_goodbye) {
        reportFailure(dev);
    }
    if (std::all_of(devices_.begin(), devices_.end(), [](const Device& d) { return d.failed; })) {
        qemuGone();
    }
}

void QEMUBinary::qemuGone() {
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
        for (Device& dev : devices_) {
            if (dev.connected && !dev.failed) {
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
void QEMUBinary::readToTheEnd(Device& dev) {
    sst_mmio_frame frame;
    int rc;
    do {
        dev.ep.socket_readable = 1;  // look at the socket whether or not a wait saw it readable
        rc = sst_ep_poll(&dev.ep, &frame);
        dev.said_goodbye = dev.said_goodbye || (rc == SST_EP_FRAME && frame.hdr.type == SST_MMIO_GOODBYE);
    } while (rc == SST_EP_FRAME);
    if (rc == SST_EP_CLOSED && !(dev.said_goodbye && dev.ep.hung_up)) {
        reportFailure(dev);
    } else if (!dev.said_goodbye) {
        out_.output(CALL_INFO, "channel of device %s closed without a goodbye: QEMU lost it during the run\n",
                    dev.name.c_str());
    }
}

void QEMUBinary::reportFailure(Device& dev) {
    if (!dev.reported) {
        dev.reported = true;
        out_.output(CALL_INFO, "channel of device %s failed: %s\n", dev.name.c_str(), dev.ep.error);
    }
}

void QEMUBinary::shutDownQemu() {
    const sst_mmio_goodbye bye{SST_MMIO_BYE_SIM_END, 0};
    if (!launch_qemu_) {  // a QEMU we did not start goes on (and may connect to the next simulation)
        if (!qemu_gone_) {
            for (Device& dev : devices_) {
                send(dev, SST_MMIO_GOODBYE, &bye);
            }
            qemu_gone_ = true;
        }
        return;
    }
    if (!qemu_.running()) {
        return;
    }
    for (Device& dev : devices_) {
        send(dev, SST_MMIO_GOODBYE, &bye);
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
}

}  // namespace QemuSst

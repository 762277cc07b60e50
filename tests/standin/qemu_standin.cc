// qemu-standin: a stand-in for QEMU in tests.  The bridge launches it exactly as it launches QEMU;
// it parses QEMU's command line, connects every `-device sst-device,...` the way the real device
// does (same transport code), follows the time protocol of channel_protocol.h, and runs the guest
// "program" given with -kernel: a script of accesses.
//
// Script lines (# starts a comment; DEV is a device index or id; numbers are decimal or 0x hex):
//   read DEV OFFSET SIZE [expect VALUE] [status ok|bus_error|decode_error] [latency NS]
//   write DEV OFFSET SIZE VALUE [status ...] [latency NS]
//   advance NS                 the guest computes for NS of virtual time
//   wait-irq DEV [TIMEOUT_NS]  sleep until DEV's interrupt line is high (default timeout 1 s)
//   expect-irq DEV LEVEL       the line is at LEVEL now
//   expect-time NS             guest virtual time is exactly NS
//   repeat N ... end           run the enclosed lines N times
//   bench-reads DEV OFFSET N   N 8-byte reads, then print the round-trip rate (wall clock)
//   print TEXT                 write TEXT to stdout (the guest's console)
//   exit CODE                  end, with CODE as the process exit status
// virtio-sst devices (`-device virtio-sst-device,id=NAME,socket=PATH`; connected with CAP_VIRTIO):
//   vreq DEV TYPE [FIELD=VALUE ...] [CHECK VALUE ...]   send one request and wait for its response
//   vreq-async DEV TYPE [FIELD=VALUE ...] as TAG          send one request, do not wait
//   vwait TAG [CHECK VALUE ...]                          wait for the response of TAG's request
//   expect-event DEV TYPE [CHECK VALUE ...]              wait for the next event of DEV (TYPE:
//                                                        COMPLETION, ERROR, NOTIFICATION or a number)
//   TYPE: NOOP, ECHO, COMPUTE, READ, WRITE, RESET, GET_INFO, CONFIGURE or a number.
//   FIELDs: id (request_id; default: a counter), user, flags, len (data_len), length (bytes the
//     "guest" supplied; default 4096), units, model (fixed|linear|pipelined|N), addr, size,
//     key (latency_model|base_latency|cycles_per_unit|lanes|N), value, text (bytes of payload.data,
//     or of memory.data for WRITE; sets len/size unless given), bytes (the same in hex).
//   CHECKs on responses: expect-status NAME, expect-result N, expect-cycles N, expect-timestamp PS,
//     expect-latency PS, expect-user N, expect-request-id N, expect-text STR, expect-bytes HEX,
//     expect-version N, expect-caps N, expect-max-units N, expect-memory-size N; on events:
//     expect-request-id N, expect-data N, expect-timestamp PS.
//   Waiting idles the guest (deterministic: to the next horizon; fast: a quantum at a time); when the
//   response arrives guest time becomes at least the request's time plus its latency.
// Fault injection, for tests of the bridge:
//   raw DEV HEXBYTES           send a raw packet on DEV's socket
//   send-frame DEV TYPE        send a well-formed frame of TYPE (e.g. RESPONSE) with a zero payload
//   send-then-close DEV OFFSET SIZE   send a READ and close the channel before the answer
//   close DEV                  close DEV's channel
//   kill-self SIGNAL           die by a signal, as a crashing QEMU would
//   sleep-ms N                 wall-clock pause (simulated results must not change)
//   hang                       stop answering, as a stuck QEMU would, until killed
// Options (before any other line): `option no-shm`, `option no-time-sync`,
//   `option hello-base DEV ADDR` (announce a wrong window), `option skip-connect DEV`.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <deque>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "mmio_endpoint.h"
#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/virtio_protocol.h"

namespace {

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "qemu-standin: %s\n", msg.c_str());
    std::exit(2);
}

uint64_t number(const std::string& text) {
    try {
        size_t used = 0;
        const uint64_t v = std::stoull(text, &used, 0);
        if (used == text.size()) {
            return v;
        }
    } catch (const std::exception&) {
    }
    die("not a number: '" + text + "'");
}

// The key=value properties of a -device argument, after its type name.
std::vector<std::pair<std::string, std::string>> deviceProperties(const std::string& list) {
    std::vector<std::pair<std::string, std::string>> props;
    std::stringstream in(list);
    for (std::string kv; std::getline(in, kv, ',');) {
        const auto eq = kv.find('=');
        props.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
    }
    return props;
}

struct Device {
    std::string id;
    std::string socket;
    uint64_t base = 0;
    uint64_t size = 0;
    std::optional<uint64_t> hello_base;  // option hello-base
    bool skip_connect = false;
    sst_mmio_endpoint ep{};
    bool open = false;
    bool irq_level = false;
    std::multimap<uint64_t, bool> irq_pending;  // line changes not yet due, by vtime
    bool virtio = false;
    std::map<uint64_t, sst_mmio_virtio_response> vresponses;  // arrived, not yet collected
    std::deque<sst_mmio_virtio_event> vevents;
};

// A frame of either kind of channel the stand-in opens.
union AnyFrame {
    sst_mmio_header hdr;
    sst_mmio_frame mmio;
    sst_virtio_frame virtio;
};

struct VirtioTag {
    Device* dev;
    uint64_t id;
    uint64_t vtime;  // guest time the request was sent
};

struct Line {
    int number;
    std::vector<std::string> words;
};

class Standin {
public:
    void parseCommandLine(int argc, char** argv);
    void loadScript();
    void connect();
    int run() { return runLines(0, script_.size()); }

private:
    int runLines(size_t begin, size_t end);
    size_t matchingEnd(size_t repeat_line) const;
    Device& device(const std::string& name);
    [[noreturn]] void fail(const Line& line, const std::string& msg);
    [[noreturn]] void finish(int code);

    void access(const Line& line, bool write);
    sst_mmio_response roundTrip(Device& dev, uint32_t type, uint64_t offset, uint8_t size, uint64_t data);
    void handleFrame(Device& dev, const AnyFrame& frame);
    void pump(int timeout_ms);
    void applyDueInterrupts();
    void syncAtHorizon();
    void advanceTo(uint64_t target);
    void idleStep();
    VirtioTag sendVirtio(const Line& line, size_t& next_word);
    void waitVirtio(const Line& line, const VirtioTag& tag, size_t first_check);
    void expectEvent(const Line& line);

    std::vector<Device> devices_;
    std::string script_path_;
    std::vector<Line> script_;
    bool shm_ = true;
    bool time_sync_ = true;
    bool deterministic_ = false;
    uint64_t quantum_ps_ = 1000000;
    uint64_t vtime_ = 0;
    uint64_t horizon_ = 0;  // in effect: a grant takes effect at our next SYNC, as in QEMU's device
    uint64_t granted_ = 0;  // latest horizon granted
    uint64_t last_sync_ = 0;
    uint64_t next_id_ = 1;
    Device* master_ = nullptr;
    std::optional<sst_mmio_response> response_;
    uint64_t awaited_id_ = 0;
    uint64_t next_request_id_ = 1;
    std::map<std::string, VirtioTag> vtags_;
};

void Standin::parseCommandLine(int argc, char** argv) {
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "-kernel" && has_value) {
            script_path_ = argv[++i];
        } else if (arg == "-device" && has_value) {
            std::string spec = argv[++i];
            if (spec.rfind("virtio-sst-device,", 0) == 0) {
                Device dev;
                dev.virtio = true;
                for (const auto& [key, value] : deviceProperties(spec.substr(18))) {
                    if (key == "id")
                        dev.id = value;
                    else if (key == "socket")
                        dev.socket = value;
                    else
                        die("virtio-sst-device: unknown property '" + key + "'");
                }
                if (dev.socket.empty()) {
                    die("virtio-sst-device needs socket=PATH");
                }
                devices_.push_back(dev);
                continue;
            }
            if (spec.rfind("sst-device,", 0) != 0) {
                continue;
            }
            Device dev;
            for (const auto& [key, value] : deviceProperties(spec.substr(11))) {
                if (key == "id")
                    dev.id = value;
                else if (key == "socket")
                    dev.socket = value;
                else if (key == "base_address")
                    dev.base = number(value);
                else if (key == "size")
                    dev.size = number(value);
                else
                    die("sst-device: unknown property '" + key + "'");
            }
            if (dev.socket.empty()) {
                die("sst-device needs socket=PATH");
            }
            devices_.push_back(dev);
        } else if ((arg == "-M" || arg == "-m" || arg == "-bios" || arg == "-icount" || arg == "-append" ||
                    arg == "-rtc" || arg == "-seed" || arg == "-initrd" || arg == "-display" || arg == "-monitor" ||
                    arg == "-chardev" || arg == "-serial" || arg == "-object" || arg == "-machine") &&
                   has_value) {
            i++;  // QEMU options the stand-in accepts and ignores
        }
    }
    if (script_path_.empty()) {
        die("no -kernel given: the stand-in runs the script passed as the kernel");
    }
}

void Standin::loadScript() {
    std::ifstream in(script_path_);
    if (!in) {
        die("cannot read script " + script_path_);
    }
    int n = 0;
    for (std::string text; std::getline(in, text);) {
        n++;
        text = text.substr(0, text.find('#'));
        std::istringstream words(text);
        Line line{n, {}};
        for (std::string w; words >> w;) {
            line.words.push_back(w);
        }
        if (line.words.empty()) {
            continue;
        }
        if (line.words[0] == "option") {
            const auto& w = line.words;
            if (w.size() == 2 && w[1] == "no-shm")
                shm_ = false;
            else if (w.size() == 2 && w[1] == "no-time-sync")
                time_sync_ = false;
            else if (w.size() == 4 && w[1] == "hello-base")
                device(w[2]).hello_base = number(w[3]);
            else if (w.size() == 3 && w[1] == "skip-connect")
                device(w[2]).skip_connect = true;
            else
                die(script_path_ + ":" + std::to_string(n) + ": unknown option");
            continue;
        }
        script_.push_back(line);
    }
}

Device& Standin::device(const std::string& name) {
    for (size_t i = 0; i < devices_.size(); i++) {
        if (devices_[i].id == name || std::to_string(i) == name) {
            return devices_[i];
        }
    }
    die("no device '" + name + "' on the command line");
}

void Standin::connect() {
    for (size_t i = 0; i < devices_.size(); i++) {
        Device& dev = devices_[i];
        if (dev.skip_connect) {
            continue;
        }
        const int fd = sst_ep_connect(dev.socket.c_str(), 5000);
        if (fd < 0) {
            die("cannot connect to " + dev.socket + ": " + std::strerror(errno));
        }
        sst_ep_init(&dev.ep, fd, SST_EP_QEMU, dev.virtio ? sst_virtio_family() : sst_mmio_family());
        sst_mmio_hello hello{};
        hello.capabilities = (dev.virtio ? SST_MMIO_CAP_VIRTIO : SST_MMIO_CAP_IRQ) |
                             (shm_ ? SST_MMIO_CAP_SHM_RING : 0) | (time_sync_ && !master_ ? SST_MMIO_CAP_TIME_SYNC : 0);
        hello.base_address = dev.hello_base.value_or(dev.base);
        hello.size = dev.size;
        std::snprintf(hello.name, sizeof(hello.name), "%s", dev.id.c_str());
        sst_mmio_hello_ack ack{};
        if (sst_ep_client_handshake(&dev.ep, &hello, &ack, 5000) < 0) {
            die("handshake with " + dev.socket + " failed: " + dev.ep.error);
        }
        dev.open = true;
        deterministic_ = ack.time_mode == SST_MMIO_TIME_DETERMINISTIC;
        quantum_ps_ = ack.quantum_ps ? ack.quantum_ps : quantum_ps_;
        if (ack.capabilities & SST_MMIO_CAP_TIME_SYNC) {
            master_ = &dev;
        }
    }
}

[[noreturn]] void Standin::fail(const Line& line, const std::string& msg) {
    std::printf("standin: FAIL %s:%d: %s\n", script_path_.c_str(), line.number, msg.c_str());
    finish(1);
}

[[noreturn]] void Standin::finish(int code) {
    std::fflush(stdout);
    const sst_mmio_goodbye bye{SST_MMIO_BYE_GUEST_EXIT, code};
    for (Device& dev : devices_) {
        if (dev.open) {
            sst_ep_send(&dev.ep, SST_MMIO_GOODBYE, &bye);
            sst_ep_close(&dev.ep);
        }
    }
    std::exit(code);
}

void Standin::handleFrame(Device& dev, const AnyFrame& frame) {
    switch (frame.hdr.type) {
    case SST_MMIO_RESPONSE:
        if (frame.mmio.u.response.id != awaited_id_) {
            die("response for id " + std::to_string(frame.mmio.u.response.id) + " while waiting for " +
                std::to_string(awaited_id_));
        }
        response_ = frame.mmio.u.response;
        // The horizon it carries applies now, as in QEMU: a GRANT taken after it in this same pump
        // was sent later and raises it again.
        if (deterministic_ && response_->horizon_ps) {
            horizon_ = std::min(horizon_, response_->horizon_ps);
            granted_ = std::min(granted_, response_->horizon_ps);
        }
        break;
    case SST_MMIO_VIRTIO_RESPONSE:
        if (!dev.virtio || dev.vresponses.count(frame.virtio.u.virtio_response.id)) {
            die("unexpected virtio response id " + std::to_string(frame.virtio.u.virtio_response.id) + " on " + dev.id);
        }
        dev.vresponses.emplace(frame.virtio.u.virtio_response.id, frame.virtio.u.virtio_response);
        break;
    case SST_MMIO_VIRTIO_EVENT:
        if (!dev.virtio) {
            die("virtio event on " + dev.id);
        }
        dev.vevents.push_back(frame.virtio.u.virtio_event);
        break;
    case SST_MMIO_IRQ: dev.irq_pending.emplace(frame.mmio.u.irq.vtime_ps, frame.mmio.u.irq.level != 0); break;
    case SST_MMIO_GRANT: granted_ = std::max(granted_, frame.mmio.u.grant.horizon_ps); break;
    case SST_MMIO_GOODBYE: std::printf("standin: simulator ended the run\n"); std::exit(0);
    default:
        die(std::string("unexpected ") + sst_frame_type_str(dev.ep.family, frame.hdr.type) + " from the simulator");
    }
}

// Takes every frame that is there; if none is, waits up to timeout_ms for one.
void Standin::pump(int timeout_ms) {
    std::vector<sst_mmio_endpoint*> eps;
    std::vector<Device*> devs;
    for (Device& d : devices_) {
        if (d.open) {
            eps.push_back(&d.ep);
            devs.push_back(&d);
        }
    }
    if (eps.empty()) {
        die("no open channel left");
    }
    bool got = false;
    for (;;) {
        for (size_t i = 0; i < eps.size(); i++) {
            AnyFrame frame;
            int rc;
            while ((rc = sst_ep_poll(eps[i], &frame)) == SST_EP_FRAME) {
                handleFrame(*devs[i], frame);
                got = true;
            }
            if (rc == SST_EP_CLOSED) {
                // The other devices may still work: only a guest waiting on this one is stuck.
                std::fprintf(stderr, "qemu-standin: channel %s closed: %s\n", devs[i]->id.c_str(), eps[i]->error);
                devs[i]->open = false;
                got = true;
            }
        }
        if (got || timeout_ms == 0) {
            return;
        }
        if (sst_ep_wait_any(eps.data(), int(eps.size()), SST_EP_DEFAULT_SPIN_POLLS, timeout_ms) < 0) {
            return;
        }
        timeout_ms = 0;  // something is ready: take it, then return
    }
}

void Standin::applyDueInterrupts() {
    for (Device& d : devices_) {
        while (!d.irq_pending.empty() && d.irq_pending.begin()->first <= vtime_) {
            d.irq_level = d.irq_pending.begin()->second;
            d.irq_pending.erase(d.irq_pending.begin());
        }
    }
}

// Deterministic mode: at or past the horizon, report our time and wait for a later one.
void Standin::syncAtHorizon() {
    if (!deterministic_ || !master_) {
        return;
    }
    while (vtime_ >= horizon_) {
        const sst_mmio_sync sync{vtime_, 0, 0};
        if (sst_ep_send(&master_->ep, SST_MMIO_SYNC, &sync) < 0) {
            die(std::string("sync failed: ") + master_->ep.error);
        }
        // A grant that came early is used now; one still behind us means report our time again.
        while (granted_ <= horizon_) {
            if (!master_->open) {
                die("the simulator's time channel is closed");
            }
            pump(-1);
        }
        horizon_ = granted_;
    }
}

// The guest computes until `target`: in deterministic mode quantum by quantum, in fast mode at once.
void Standin::advanceTo(uint64_t target) {
    if (!deterministic_) {
        vtime_ = std::max(vtime_, target);
        if (master_ && vtime_ >= last_sync_ + quantum_ps_) {
            const sst_mmio_sync sync{vtime_, 0, 0};
            sst_ep_send(&master_->ep, SST_MMIO_SYNC, &sync);
            last_sync_ = vtime_;
        }
        pump(0);
        applyDueInterrupts();
        return;
    }
    while (vtime_ < target) {
        syncAtHorizon();
        vtime_ = std::min(target, horizon_);
        pump(0);
        applyDueInterrupts();
    }
}

sst_mmio_response Standin::roundTrip(Device& dev, uint32_t type, uint64_t offset, uint8_t size, uint64_t data) {
    syncAtHorizon();
    sst_mmio_access a{};
    a.id = next_id_++;
    a.offset = offset;
    a.data = data;
    a.vtime_ps = vtime_;
    a.size = size;
    awaited_id_ = a.id;
    response_.reset();
    if (sst_ep_send(&dev.ep, type, &a) < 0) {
        std::fprintf(stderr, "qemu-standin: channel %s: %s\n", dev.id.c_str(), dev.ep.error);
        std::exit(3);
    }
    while (!response_) {
        if (!dev.open) {
            std::fprintf(stderr, "qemu-standin: access to %s failed: its channel is closed\n", dev.id.c_str());
            std::exit(3);
        }
        pump(-1);
    }
    if (deterministic_) {
        vtime_ += response_->latency_ps;  // the vCPU was stalled for the modelled latency
    }
    applyDueInterrupts();
    return *response_;
}

void Standin::access(const Line& line, bool write) {
    const auto& w = line.words;
    const size_t fixed = write ? 5 : 4;
    if (w.size() < fixed) {
        fail(line, std::string("usage: ") + (write ? "write DEV OFFSET SIZE VALUE" : "read DEV OFFSET SIZE") + " ...");
    }
    Device& dev = device(w[1]);
    const uint64_t data = write ? number(w[4]) : 0;
    const auto r = roundTrip(dev, write ? SST_MMIO_WRITE : SST_MMIO_READ, number(w[2]), uint8_t(number(w[3])), data);
    for (size_t i = fixed; i + 1 < w.size(); i += 2) {
        const std::string& key = w[i];
        const std::string& want = w[i + 1];
        char got[96];
        if (key == "expect") {
            if (r.status != SST_MMIO_OK || r.data != number(want)) {
                std::snprintf(got, sizeof(got), "0x%llx (status %s)", (unsigned long long)r.data,
                              sst_mmio_status_str(r.status));
                fail(line, "read " + w[2] + " expected " + want + ", got " + got);
            }
        } else if (key == "status") {
            const std::map<std::string, uint32_t> names = {
                {"ok", SST_MMIO_OK}, {"bus_error", SST_MMIO_BUS_ERROR}, {"decode_error", SST_MMIO_DECODE_ERROR}};
            if (!names.count(want) || names.at(want) != r.status) {
                fail(line, "expected status " + want + ", got " + sst_mmio_status_str(r.status));
            }
        } else if (key == "latency") {
            if (r.latency_ps != number(want) * 1000) {
                fail(line, "expected latency " + want + " ns, got " + std::to_string(r.latency_ps) + " ps");
            }
        } else {
            fail(line, "unknown check '" + key + "'");
        }
    }
}

// The guest has nothing to do but wait: deterministic mode runs to the horizon (or reports it
// and waits for the next grant); fast mode moves on by a quantum and gives the simulator time.
void Standin::idleStep() {
    if (deterministic_ && master_) {
        if (vtime_ < horizon_) {
            vtime_ = horizon_;
            pump(0);
            applyDueInterrupts();
        } else {
            syncAtHorizon();
        }
    } else {
        advanceTo(vtime_ + quantum_ps_);
        pump(1);
    }
}

namespace {

uint32_t lookup(const std::map<std::string, uint32_t>& names, const std::string& word) {
    std::string upper = word;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    const auto it = names.find(upper);
    return it != names.end() ? it->second : uint32_t(number(word));
}

std::string hexBytes(const std::string& hex) {
    std::string bytes;
    for (size_t k = 0; k + 1 < hex.size(); k += 2) {
        bytes.push_back(char(std::stoi(hex.substr(k, 2), nullptr, 16)));
    }
    return bytes;
}

}  // namespace

// Parses `vreq[-async] DEV TYPE FIELD=VALUE...` and sends the request; next_word is left at the
// first word that is not a field.
VirtioTag Standin::sendVirtio(const Line& line, size_t& next_word) {
    const auto& w = line.words;
    if (w.size() < 3) {
        fail(line, "usage: " + w[0] + " DEV TYPE [FIELD=VALUE ...]");
    }
    Device& dev = device(w[1]);
    if (!dev.virtio || !dev.open) {
        fail(line, w[1] + " is not an open virtio-sst device");
    }
    sst_mmio_virtio_request vr{};
    SSTRequest& r = vr.request;
    r.type = lookup({{"NOOP", SST_REQ_NOOP},
                     {"ECHO", SST_REQ_ECHO},
                     {"COMPUTE", SST_REQ_COMPUTE},
                     {"READ", SST_REQ_READ},
                     {"WRITE", SST_REQ_WRITE},
                     {"RESET", SST_REQ_RESET},
                     {"GET_INFO", SST_REQ_GET_INFO},
                     {"CONFIGURE", SST_REQ_CONFIGURE}},
                    w[2]);
    r.request_id = next_request_id_++;
    vr.length = sizeof(SSTRequest);
    bool len_set = false, size_set = false;
    std::string data;
    size_t i = 3;
    for (; i < w.size(); i++) {
        const auto eq = w[i].find('=');
        if (eq == std::string::npos) {
            break;
        }
        const std::string key = w[i].substr(0, eq), value = w[i].substr(eq + 1);
        if (key == "id")
            r.request_id = number(value);
        else if (key == "user")
            r.user_data = number(value);
        else if (key == "flags")
            r.flags = uint32_t(number(value));
        else if (key == "len") {
            r.data_len = uint32_t(number(value));
            len_set = true;
        } else if (key == "length")
            vr.length = uint32_t(number(value));
        else if (key == "units")
            r.payload.compute.compute_units = number(value);
        else if (key == "model")
            r.payload.compute.latency_model = lookup(
                {{"FIXED", SST_LATENCY_FIXED}, {"LINEAR", SST_LATENCY_LINEAR}, {"PIPELINED", SST_LATENCY_PIPELINED}},
                value);
        else if (key == "addr")
            r.payload.memory.addr = number(value);
        else if (key == "size") {
            r.payload.memory.size = uint32_t(number(value));
            size_set = true;
        } else if (key == "key")
            r.payload.config.key = lookup({{"LATENCY_MODEL", SST_CONFIG_LATENCY_MODEL},
                                           {"BASE_LATENCY", SST_CONFIG_BASE_LATENCY},
                                           {"CYCLES_PER_UNIT", SST_CONFIG_CYCLES_PER_UNIT},
                                           {"LANES", SST_CONFIG_LANES}},
                                          value);
        else if (key == "value")
            r.payload.config.value = number(value);
        else if (key == "text")
            data = value;
        else if (key == "bytes")
            data = hexBytes(value);
        else
            fail(line, "unknown request field '" + key + "'");
    }
    next_word = i;
    if (!data.empty()) {
        if (r.type == SST_REQ_WRITE) {
            std::memcpy(r.payload.memory.data, data.data(), std::min(data.size(), size_t(SST_MEMORY_DATA_MAX)));
            if (!size_set)
                r.payload.memory.size = uint32_t(data.size());
        } else {
            std::memcpy(r.payload.data, data.data(), std::min(data.size(), size_t(SST_MAX_DATA_SIZE)));
            if (!len_set)
                r.data_len = uint32_t(data.size());
        }
    }
    syncAtHorizon();
    vr.id = next_id_++;
    vr.vtime_ps = vtime_;
    if (sst_ep_send(&dev.ep, SST_MMIO_VIRTIO_REQUEST, &vr) < 0) {
        std::fprintf(stderr, "qemu-standin: channel %s: %s\n", dev.id.c_str(), dev.ep.error);
        std::exit(3);
    }
    return VirtioTag{&dev, vr.id, vtime_};
}

void Standin::waitVirtio(const Line& line, const VirtioTag& tag, size_t first_check) {
    Device& dev = *tag.dev;
    pump(0);
    while (!dev.vresponses.count(tag.id)) {
        if (!dev.open) {
            std::fprintf(stderr, "qemu-standin: request to %s failed: its channel is closed\n", dev.id.c_str());
            std::exit(3);
        }
        idleStep();
    }
    const sst_mmio_virtio_response vr = dev.vresponses.at(tag.id);
    dev.vresponses.erase(tag.id);
    if (deterministic_) {
        vtime_ = std::max(vtime_, tag.vtime + vr.latency_ps);
    }
    const SSTResponse& r = vr.response;
    const auto& w = line.words;
    for (size_t i = first_check; i < w.size(); i += 2) {
        if (i + 1 >= w.size()) {
            fail(line, "check '" + w[i] + "' needs a value");
        }
        const std::string& key = w[i];
        const std::string& want = w[i + 1];
        auto check = [&](uint64_t got) {
            if (got != number(want)) {
                fail(line,
                     key + " " + want + ": got " + std::to_string(got) + " (status " + sst_status_str(r.status) + ")");
            }
        };
        if (key == "expect-status") {
            if (want != sst_status_str(r.status)) {
                fail(line, "expected status " + want + ", got " + sst_status_str(r.status));
            }
        } else if (key == "expect-result")
            check(r.result);
        else if (key == "expect-cycles")
            check(r.payload.compute.cycles);
        else if (key == "expect-timestamp")
            check(r.payload.compute.timestamp);
        else if (key == "expect-latency")
            check(vr.latency_ps);
        else if (key == "expect-user")
            check(r.user_data);
        else if (key == "expect-request-id")
            check(r.request_id);
        else if (key == "expect-version")
            check(r.payload.info.version);
        else if (key == "expect-caps")
            check(r.payload.info.capabilities);
        else if (key == "expect-max-units")
            check(r.payload.info.max_compute_units);
        else if (key == "expect-memory-size")
            check(r.payload.info.memory_size);
        else if (key == "expect-text" || key == "expect-bytes") {
            const std::string bytes = key == "expect-text" ? want : hexBytes(want);
            if (std::memcmp(r.payload.data, bytes.data(), bytes.size()) != 0) {
                fail(line, "response data does not start with " + want);
            }
        } else {
            fail(line, "unknown check '" + key + "'");
        }
    }
}

void Standin::expectEvent(const Line& line) {
    const auto& w = line.words;
    if (w.size() < 3) {
        fail(line, "usage: expect-event DEV TYPE [CHECK VALUE ...]");
    }
    Device& dev = device(w[1]);
    const uint32_t type = lookup(
        {{"COMPLETION", SST_EVENT_COMPLETION}, {"ERROR", SST_EVENT_ERROR}, {"NOTIFICATION", SST_EVENT_NOTIFICATION}},
        w[2]);
    pump(0);
    const uint64_t deadline = vtime_ + 1000000000000ull;  // 1 s of guest time
    while (dev.vevents.empty()) {
        if (!dev.open || vtime_ >= deadline) {
            fail(line, "no event from " + w[1]);
        }
        idleStep();
    }
    const sst_mmio_virtio_event ev = dev.vevents.front();
    dev.vevents.pop_front();
    if (deterministic_) {
        vtime_ = std::max(vtime_, ev.vtime_ps);
    }
    if (ev.event.type != type) {
        fail(line, "expected event type " + w[2] + ", got " + std::to_string(ev.event.type));
    }
    for (size_t i = 3; i + 1 < w.size(); i += 2) {
        const uint64_t got = w[i] == "expect-request-id"  ? ev.event.request_id
                             : w[i] == "expect-data"      ? ev.event.data
                             : w[i] == "expect-timestamp" ? ev.event.timestamp
                                                          : (fail(line, "unknown check '" + w[i] + "'"), 0);
        if (got != number(w[i + 1])) {
            fail(line, w[i] + " " + w[i + 1] + ": got " + std::to_string(got));
        }
    }
}

size_t Standin::matchingEnd(size_t repeat_line) const {
    int depth = 0;
    for (size_t i = repeat_line; i < script_.size(); i++) {
        const std::string& op = script_[i].words[0];
        depth += op == "repeat" ? 1 : op == "end" ? -1 : 0;
        if (depth == 0) {
            return i;
        }
    }
    die(script_path_ + ":" + std::to_string(script_[repeat_line].number) + ": repeat without end");
}

int Standin::runLines(size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
        const Line& line = script_[i];
        const auto& w = line.words;
        const std::string& op = w[0];
        if (op == "read" || op == "write") {
            access(line, op == "write");
        } else if (op == "vreq") {
            size_t next = 0;
            const VirtioTag tag = sendVirtio(line, next);
            waitVirtio(line, tag, next);
        } else if (op == "vreq-async") {
            size_t next = 0;
            const VirtioTag tag = sendVirtio(line, next);
            if (next + 2 != w.size() || w[next] != "as") {
                fail(line, "vreq-async needs 'as TAG' at the end");
            }
            vtags_[w[next + 1]] = tag;
        } else if (op == "vwait" && w.size() >= 2) {
            if (!vtags_.count(w[1])) {
                fail(line, "no request tagged " + w[1]);
            }
            const VirtioTag tag = vtags_.at(w[1]);
            vtags_.erase(w[1]);
            waitVirtio(line, tag, 2);
        } else if (op == "expect-event") {
            expectEvent(line);
        } else if (op == "advance" && w.size() == 2) {
            advanceTo(vtime_ + number(w[1]) * 1000);
        } else if (op == "wait-irq" && w.size() >= 2) {
            Device& dev = device(w[1]);
            const uint64_t deadline = vtime_ + (w.size() > 2 ? number(w[2]) : 1000000000ull) * 1000;
            applyDueInterrupts();
            while (!dev.irq_level) {
                if (vtime_ >= deadline) {
                    fail(line, "no interrupt from " + w[1] + " within the timeout");
                }
                // Idle: jump to the next interrupt already announced, else on by a quantum.
                uint64_t next = std::min(deadline, vtime_ + quantum_ps_);
                if (!dev.irq_pending.empty()) {
                    next = std::min(next, std::max(vtime_, dev.irq_pending.begin()->first));
                }
                advanceTo(next);
                if (!deterministic_) {
                    pump(1);  // a free-running guest idles in wall-clock time: give the simulator some
                }
            }
        } else if (op == "expect-irq" && w.size() == 3) {
            applyDueInterrupts();
            if (device(w[1]).irq_level != (number(w[2]) != 0)) {
                fail(line, "interrupt line of " + w[1] + " is not at level " + w[2]);
            }
        } else if (op == "expect-time" && w.size() == 2) {
            if (vtime_ != number(w[1]) * 1000) {
                fail(line, "guest time is " + std::to_string(vtime_) + " ps, expected " + w[1] + " ns");
            }
        } else if (op == "repeat" && w.size() == 2) {
            const size_t close = matchingEnd(i);
            for (uint64_t n = number(w[1]); n > 0; n--) {
                runLines(i + 1, close);
            }
            i = close;
        } else if (op == "bench-reads" && w.size() == 4) {
            Device& dev = device(w[1]);
            const uint64_t count = number(w[3]);
            const auto start = std::chrono::steady_clock::now();
            for (uint64_t n = 0; n < count; n++) {
                roundTrip(dev, SST_MMIO_READ, number(w[2]), 8, 0);
            }
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf("standin: %llu round trips in %.3f s (%.0f/s)\n", (unsigned long long)count, s, count / s);
        } else if (op == "print") {
            std::string text;
            for (size_t k = 1; k < w.size(); k++) {
                text += (k > 1 ? " " : "") + w[k];
            }
            std::printf("%s\n", text.c_str());
            std::fflush(stdout);
        } else if (op == "exit" && w.size() == 2) {
            finish(int(number(w[1])));
        } else if (op == "raw" && w.size() == 3) {
            std::string bytes;
            for (size_t k = 0; k + 1 < w[2].size(); k += 2) {
                bytes.push_back(char(std::stoi(w[2].substr(k, 2), nullptr, 16)));
            }
            if (send(device(w[1]).ep.sock, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) {
                fail(line, std::string("raw send failed: ") + std::strerror(errno));
            }
        } else if (op == "send-frame" && w.size() == 3) {
            uint32_t type = 0;
            for (const sst_frame_family* family : {sst_mmio_family(), sst_virtio_family()}) {
                for (uint32_t number = 1; number <= 0xff; number++) {
                    for (uint32_t t : {SST_FRAME_TYPE(SST_FAMILY_BASE, number), SST_FRAME_TYPE(family->id, number)}) {
                        type = w[2] == sst_frame_type_str(family, t) ? t : type;
                    }
                }
            }
            const uint8_t zeros[SST_FRAME_PAYLOAD_LIMIT] = {};
            if (!type || sst_ep_send(&device(w[1]).ep, type, zeros) < 0) {
                fail(line, "cannot send a " + w[2] + " frame");
            }
        } else if (op == "send-then-close" && w.size() == 4) {
            Device& dev = device(w[1]);
            sst_mmio_access a{};
            a.id = next_id_++;
            a.offset = number(w[2]);
            a.size = uint8_t(number(w[3]));
            a.vtime_ps = vtime_;
            sst_ep_send(&dev.ep, SST_MMIO_READ, &a);
            sst_ep_close(&dev.ep);
            dev.open = false;
        } else if (op == "close" && w.size() == 2) {
            Device& dev = device(w[1]);
            sst_ep_close(&dev.ep);
            dev.open = false;
        } else if (op == "kill-self" && w.size() == 2) {
            std::fflush(stdout);
            raise(int(number(w[1])));
        } else if (op == "sleep-ms" && w.size() == 2) {
            std::this_thread::sleep_for(std::chrono::milliseconds(number(w[1])));
        } else if (op == "hang" && w.size() == 1) {
            std::fflush(stdout);
            for (;;) {
                pause();
            }
        } else {
            fail(line, "cannot understand '" + op + "' with " + std::to_string(w.size() - 1) + " argument(s)");
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    Standin standin;
    standin.parseCommandLine(argc, argv);
    standin.loadScript();
    standin.connect();
    standin.run();
    std::printf("standin: script finished\n");
    std::fflush(stdout);
    return 0;
}

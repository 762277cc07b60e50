// The bridge's timeline of a run (parameter trace_file): every MMIO access, virtio request,
// interrupt, device busy interval, DMA burst and time synchronisation, written at the end of the run
// as a Chrome / Perfetto Trace Event Format JSON file with simulated time as its time axis.
//
// Layout: one process (pid 1); track (tid) 1 is "time sync" (granted horizons as X events, QEMU's
// SYNCs as instants), then one track per device, named by "M" thread_name metadata.  On a device's
// track: accesses are X events, interrupts instants; its busy intervals, virtio requests and DMA
// bursts may overlap one another and the accesses, which X events on one thread may not, so they are
// async ("b"/"e") events, each with an id of its own.
//
// Records are kept compactly in memory and sorted before writing, so that a deterministic run gives
// the same bytes whatever order frames from different channels were read in.  The file is written
// as FILE.tmp and renamed, so a killed run never leaves a truncated FILE.
#ifndef QEMU_SST_QEMUBINARY_TRACE_WRITER_H
#define QEMU_SST_QEMUBINARY_TRACE_WRITER_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

namespace QemuSst {

class TraceWriter {
public:
    // Opens path + ".tmp" at once, so that an unwritable place fails the run before it starts.
    // error() says why it could not.
    explicit TraceWriter(std::string path);
    ~TraceWriter();
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    const std::string& error() const { return error_; }
    const std::string& path() const { return path_; }

    // A track for a device; returns its tid.
    unsigned addTrack(const std::string& name);

    void access(unsigned tid, uint64_t start_ps, uint64_t latency_ps, bool write, uint64_t address, unsigned size,
                uint64_t value, uint32_t status) {
        add({start_ps, latency_ps, address, value, status, size, uint16_t(tid), write ? kWrite : kRead});
    }
    void interrupt(unsigned tid, uint64_t at_ps, bool level) {
        add({at_ps, 0, 0, 0, 0, 0, uint16_t(tid), level ? kIrqRaise : kIrqLower});
    }
    // A virtio event (e.g. a COMPLETION) sent to the guest, which interrupts it.
    void virtioEvent(unsigned tid, uint64_t at_ps, uint32_t type, uint64_t request_id) {
        add({at_ps, 0, request_id, 0, 0, type, uint16_t(tid), kVirtioEvent});
    }
    // request_id: the guest's; id: the channel's, unique among requests in flight.
    void virtioRequest(unsigned tid, uint64_t start_ps, uint64_t end_ps, uint32_t type, uint64_t request_id,
                       uint64_t id, uint32_t status) {
        add({start_ps, end_ps - start_ps, request_id, id, status, type, uint16_t(tid), kVirtio});
    }
    void busy(unsigned tid, uint64_t start_ps, uint64_t end_ps) {
        add({start_ps, end_ps - start_ps, 0, 0, 0, 0, uint16_t(tid), kBusy});
    }
    void dmaBurst(unsigned tid, uint64_t start_ps, uint64_t end_ps, bool write, uint64_t address, uint64_t bytes,
                  bool ok) {
        add({start_ps, end_ps - start_ps, address, bytes, ok ? 0u : 1u, 0, uint16_t(tid),
             write ? kDmaWrite : kDmaRead});
    }
    // QEMU's guest clock reached vtime_ps (a SYNC frame).
    void sync(uint64_t vtime_ps) { add({vtime_ps, 0, 0, 0, 0, 0, kSyncTid, kSync}); }
    // A GRANT at now_ps: QEMU may run until horizon_ps.
    void grant(uint64_t now_ps, uint64_t horizon_ps) {
        add({now_ps, horizon_ps - now_ps, horizon_ps, 0, 0, 0, kSyncTid, kGrant});
    }

    // Writes the file (the tmp file, then renamed); "" or why not.  end_ps: the run's end, where a
    // horizon still open is cut.
    std::string finish(uint64_t end_ps);

    size_t records() const { return records_.size(); }

    static constexpr uint16_t kSyncTid = 1;

private:
    enum Kind : uint8_t {
        kGrant,
        kSync,
        kRead,
        kWrite,
        kIrqRaise,
        kIrqLower,
        kVirtio,
        kBusy,
        kDmaRead,
        kDmaWrite,
        kVirtioEvent
    };
    struct Record {
        uint64_t ts_ps;
        uint64_t dur_ps;
        uint64_t a;  // address, horizon or request id
        uint64_t b;  // value, id or bytes
        uint32_t status;
        uint32_t c;  // size or request type
        uint16_t tid;
        Kind kind;
        // Records are sorted before writing (a deterministic file); C++17, as sst-config asks.
        bool operator<(const Record& o) const {
            return std::tie(ts_ps, dur_ps, a, b, status, c, tid, kind) <
                   std::tie(o.ts_ps, o.dur_ps, o.a, o.b, o.status, o.c, o.tid, o.kind);
        }
    };

    void add(const Record& r) { records_.push_back(r); }
    void writeEvent(std::FILE* f, const Record& r, uint64_t& async_id) const;

    std::string path_;
    std::string tmp_path_;
    std::FILE* file_ = nullptr;
    std::string error_;
    std::vector<std::string> tracks_;  // names of tids 2, 3, ...
    std::vector<Record> records_;
};

}  // namespace QemuSst

#endif

#include "trace_writer.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>

#include "qemu-sst/mmio_protocol.h"
#include "qemu-sst/virtio_sst.h"

namespace QemuSst {
namespace {

constexpr unsigned kPid = 1;

// Picoseconds as microseconds, the format's unit: exact (six decimals at most), no float rounding, so
// the same times give the same bytes everywhere.
std::string micros(uint64_t ps) {
    char text[32];
    const uint64_t whole = ps / 1000000, frac = ps % 1000000;
    if (frac == 0) {
        std::snprintf(text, sizeof text, "%" PRIu64, whole);
        return text;
    }
    int n = std::snprintf(text, sizeof text, "%" PRIu64 ".%06" PRIu64, whole, frac);
    while (text[n - 1] == '0') {
        text[--n] = '\0';
    }
    return text;
}

// A device name as a JSON string's contents (names come from the config).
std::string jsonEscaped(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char u[8];
            std::snprintf(u, sizeof u, "\\u%04x", c);
            out += u;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace

TraceWriter::TraceWriter(std::string path) : path_(std::move(path)), tmp_path_(path_ + ".tmp") {
    file_ = std::fopen(tmp_path_.c_str(), "w");
    if (!file_) {
        error_ = "cannot write the trace file " + tmp_path_ + ": " + std::strerror(errno);
    }
}

TraceWriter::~TraceWriter() {
    if (file_) {  // never finished (the run failed): no half a trace under either name
        std::fclose(file_);
        std::remove(tmp_path_.c_str());
    }
}

unsigned TraceWriter::addTrack(const std::string& name) {
    tracks_.push_back(name);
    return kSyncTid + unsigned(tracks_.size());
}

void TraceWriter::writeEvent(std::FILE* f, const Record& r, uint64_t& async_id) const {
    const std::string ts = micros(r.ts_ps);
    const unsigned tid = r.tid;
    // Async events: a "b" and an "e" with the same cat, name and id.
    auto async = [&](const char* cat, const std::string& name, const std::string& begin_args,
                     const std::string& end_args) {
        const uint64_t id = ++async_id;
        std::fprintf(f,
                     ",\n{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"b\",\"id\":%" PRIu64
                     ",\"ts\":%s,\"pid\":%u,\"tid\":%u,\"args\":{%s}}",
                     name.c_str(), cat, id, ts.c_str(), kPid, tid, begin_args.c_str());
        std::fprintf(f,
                     ",\n{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"e\",\"id\":%" PRIu64
                     ",\"ts\":%s,\"pid\":%u,\"tid\":%u,\"args\":{%s}}",
                     name.c_str(), cat, id, micros(r.ts_ps + r.dur_ps).c_str(), kPid, tid, end_args.c_str());
    };
    char args[160];
    switch (r.kind) {
    case kGrant:
        std::fprintf(
            f,
            ",\n{\"name\":\"horizon\",\"cat\":\"sync\",\"ph\":\"X\",\"ts\":%s,\"dur\":%s,\"pid\":%u,\"tid\":%u,"
            "\"args\":{\"horizon_ps\":%" PRIu64 "}}",
            ts.c_str(), micros(r.dur_ps).c_str(), kPid, tid, r.a);
        return;
    case kSync:
        std::fprintf(f,
                     ",\n{\"name\":\"SYNC\",\"cat\":\"sync\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%s,\"pid\":%u,\"tid\":%u}",
                     ts.c_str(), kPid, tid);
        return;
    case kRead:
    case kWrite:
        std::fprintf(f,
                     ",\n{\"name\":\"%s\",\"cat\":\"mmio\",\"ph\":\"X\",\"ts\":%s,\"dur\":%s,\"pid\":%u,\"tid\":%u,"
                     "\"args\":{\"address\":\"0x%" PRIx64 "\",\"size\":%u,\"value\":\"0x%" PRIx64
                     "\",\"status\":\"%s\"}}",
                     r.kind == kWrite ? "write" : "read", ts.c_str(), micros(r.dur_ps).c_str(), kPid, tid, r.a, r.c,
                     r.b, sst_mmio_status_str(r.status));
        return;
    case kIrqRaise:
    case kIrqLower:
        std::fprintf(f,
                     ",\n{\"name\":\"%s\",\"cat\":\"irq\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%s,\"pid\":%u,\"tid\":%u,"
                     "\"args\":{\"level\":%d}}",
                     r.kind == kIrqRaise ? "irq raise" : "irq lower", ts.c_str(), kPid, tid, r.kind == kIrqRaise);
        return;
    case kVirtioEvent:
        std::fprintf(f,
                     ",\n{\"name\":\"virtio event\",\"cat\":\"irq\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%s,\"pid\":%u,"
                     "\"tid\":%u,\"args\":{\"type\":%u,\"request_id\":%" PRIu64 "}}",
                     ts.c_str(), kPid, tid, r.c, r.a);
        return;
    case kVirtio: {
        std::snprintf(args, sizeof args, "\"type\":\"%s\",\"request_id\":%" PRIu64, sst_request_type_str(r.c), r.a);
        const std::string begin = args;
        std::snprintf(args, sizeof args, "\"status\":\"%s\",\"latency_ps\":%" PRIu64, sst_status_str(r.status),
                      r.dur_ps);
        async("virtio", sst_request_type_str(r.c), begin, args);
        return;
    }
    case kBusy: async("busy", "busy", "", ""); return;
    case kDmaRead:
    case kDmaWrite:
        std::snprintf(args, sizeof args, "\"address\":\"0x%" PRIx64 "\",\"bytes\":%" PRIu64 ",\"ok\":%d", r.a, r.b,
                      r.status == 0);
        async("dma", r.kind == kDmaWrite ? "dma write" : "dma read", args, "");
        return;
    }
}

std::string TraceWriter::finish(uint64_t end_ps) {
    if (!file_) {
        return error_;
    }
    // A horizon lasts until the next grant (a response may have brought it down meanwhile), and the
    // last one until the end of the run.  Grants are recorded in engine order, so in time order.
    Record* open = nullptr;
    for (Record& r : records_) {
        if (r.kind != kGrant) {
            continue;
        }
        if (open && open->ts_ps + open->dur_ps > r.ts_ps) {
            open->dur_ps = r.ts_ps - open->ts_ps;
        }
        open = &r;
    }
    if (open && open->ts_ps + open->dur_ps > end_ps && end_ps >= open->ts_ps) {
        open->dur_ps = end_ps - open->ts_ps;
    }
    std::sort(records_.begin(), records_.end());

    std::FILE* f = file_;
    std::fprintf(f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"qemu-sst qemubinary.QEMUBinary\","
                    "\"time_axis\":\"simulated time\"},\n\"traceEvents\":[\n");
    std::fprintf(
        f, "{\"name\":\"process_name\",\"ph\":\"M\",\"ts\":0,\"pid\":%u,\"tid\":0,\"args\":{\"name\":\"qemu-sst\"}}",
        kPid);
    std::vector<std::string> names = {"time sync"};
    names.insert(names.end(), tracks_.begin(), tracks_.end());
    for (size_t i = 0; i < names.size(); i++) {
        const unsigned tid = kSyncTid + unsigned(i);
        std::fprintf(
            f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"ts\":0,\"pid\":%u,\"tid\":%u,\"args\":{\"name\":\"%s\"}}",
            kPid, tid, jsonEscaped(names[i]).c_str());
        std::fprintf(f,
                     ",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"ts\":0,\"pid\":%u,\"tid\":%u,"
                     "\"args\":{\"sort_index\":%u}}",
                     kPid, tid, tid);
    }
    uint64_t async_id = 0;
    for (const Record& r : records_) {
        writeEvent(f, r, async_id);
    }
    std::fprintf(f, "\n]}\n");
    const bool written = std::fflush(f) == 0 && !std::ferror(f);
    const int saved = errno;
    std::fclose(file_);
    file_ = nullptr;
    if (!written) {
        std::remove(tmp_path_.c_str());
        return "writing the trace file " + tmp_path_ + " failed: " + std::strerror(saved);
    }
    if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(tmp_path_.c_str());
        return "cannot rename " + tmp_path_ + " to " + path_ + ": " + why;
    }
    return "";
}

}  // namespace QemuSst

// SST_REQ_BUFFERS for acalsim.VirtIODevice: an app's own buffers, found through the segment tables
// the driver wrote into guest memory, read and written in place by DMA (zero-copy, any size).
//
// A job reads each buffer's segment table (page by page), then runs its op: COPY streams each read
// burst of buffer 0 into the same bytes of buffer 1; MATMUL loads A and B, computes C on `pes`
// multiply-accumulate units (common/matmul_kernel.h) and stores it.  Every access goes through the
// device's dma_port, so the memory model prices it.  A table that does not describe its buffer
// exactly, or memory refused, ends the job with SST_STATUS_ERROR.
#ifndef QEMU_SST_ACALSIM_BUFFER_JOBS_H
#define QEMU_SST_ACALSIM_BUFFER_JOBS_H

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "qemu-sst/virtio_sst.h"
#include "sdk/dma_bursts.h"

namespace QemuSst {

class BufferJobs : public DmaClient {
public:
    struct Outcome {
        uint32_t status;  // enum SSTStatus
        uint64_t bytes_written;
        std::string error;  // why, when not OK
    };
    // The device's side: DMA bursts out, timed wake-ups (cycles from now, back through wake()), and
    // each job's end.
    struct Host {
        std::function<void(DmaBursts::Burst&&)> issue;
        std::function<void(uint64_t cycles, uint64_t tag)> wake_after;
        std::function<void(uint64_t job, const Outcome&)> finished;
    };

    BufferJobs(Host host, uint64_t burst_bytes, uint64_t pes, uint64_t pipeline_depth);

    // Starts `req` (which passed sst_request_check) as job `job`.
    void start(uint64_t job, const SSTRequest& req);
    // A burst's answer (from the dma_port), and a wake-up asked for through Host::wake_after.
    bool burstDone(uint64_t id, bool ok, std::vector<uint8_t>& data) { return dma_.complete(id, ok, data, *this); }
    void wake(uint64_t tag);

    void dmaData(uint64_t tag, uint64_t offset, std::vector<uint8_t>& bytes) override;
    void dmaDone(uint64_t tag, const DmaStatus& status) override;

private:
    struct Segment {
        uint64_t addr, length, offset;  // offset: of its first byte in the buffer
    };
    struct Buffer {
        SSTBuffer desc;
        std::vector<Segment> segments;
        uint64_t table_pages = 0;
        std::vector<uint8_t> page;  // the table page being read
    };
    struct Job {
        SSTRequest req;
        std::vector<Buffer> buffers;
        unsigned in_flight = 0;  // transfers not yet done
        bool failed = false;
        std::string error;
        uint64_t written = 0;
        std::vector<uint8_t> a, b, c;  // MATMUL's operands and result
    };
    enum Phase : uint64_t { Table, Read, Write, Compute };

    // job (24 bits), phase, buffer, and a segment's index within its buffer (32 bits).
    static uint64_t tag(uint64_t job, Phase phase, uint64_t buffer, uint64_t index = 0) {
        return job << 40 | uint64_t(phase) << 36 | buffer << 32 | index;
    }
    static uint64_t jobOf(uint64_t t) { return t >> 40; }
    static Phase phaseOf(uint64_t t) { return Phase(t >> 36 & 0xf); }
    static unsigned bufferOf(uint64_t t) { return unsigned(t >> 32 & 0xf); }
    static uint64_t indexOf(uint64_t t) { return t & 0xffffffffu; }
    void readTablePage(uint64_t id, Job& job, unsigned buffer, uint64_t addr);
    void tablePageRead(uint64_t id, Job& job, unsigned buffer);
    void runOp(uint64_t id, Job& job);
    // Writes `bytes` at `offset` of buffer `buffer`, split along its segments.
    void writeAt(uint64_t id, Job& job, unsigned buffer, uint64_t offset, std::vector<uint8_t>& bytes);
    void fail(Job& job, const std::string& why);
    void settle(uint64_t id, Job& job);

    Host host_;
    DmaBursts dma_;
    uint64_t pes_, pipeline_depth_;
    std::map<uint64_t, Job> jobs_;
};

}  // namespace QemuSst

#endif

#include "acalsim/buffer_jobs.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/matmul_kernel.h"

namespace QemuSst {

BufferJobs::BufferJobs(Host host, uint64_t burst_bytes, uint64_t pes, uint64_t pipeline_depth)
    : host_(std::move(host)), dma_(burst_bytes, host_.issue), pes_(pes), pipeline_depth_(pipeline_depth) {}

void BufferJobs::start(uint64_t id, const SSTRequest& req) {
    Job& job = jobs_[id];
    job.req = req;
    for (uint32_t i = 0; i < req.payload.buffers.count; i++) {
        job.buffers.push_back({req.payload.buffers.buffer[i], {}, 0, {}});
    }
    for (unsigned i = 0; i < job.buffers.size(); i++) {
        readTablePage(id, job, i, job.buffers[i].desc.addr);
    }
    settle(id, job);
}

void BufferJobs::readTablePage(uint64_t id, Job& job, unsigned buffer, uint64_t addr) {
    Buffer& b = job.buffers[buffer];
    // A table lists at most one segment per page of its buffer (and a page more for misalignment),
    // so a longer chain, such as a loop, is no table at all.
    if (++b.table_pages > (b.desc.length / 4096 + 2) / SST_SEGMENTS_PER_TABLE + 1) {
        fail(job, "buffer " + std::to_string(buffer) + ": segment table longer than its buffer needs");
        return;
    }
    b.page.assign(sizeof(SSTSegmentTable), 0);
    job.in_flight++;
    dma_.read(addr, sizeof(SSTSegmentTable), tag(id, Table, buffer));
}

void BufferJobs::tablePageRead(uint64_t id, Job& job, unsigned buffer) {
    Buffer& b = job.buffers[buffer];
    SSTSegmentTable page;
    std::memcpy(&page, b.page.data(), sizeof(page));
    if (page.count > SST_SEGMENTS_PER_TABLE) {
        fail(job, "buffer " + std::to_string(buffer) + ": a table page claims too many segments");
        return;
    }
    uint64_t offset = b.segments.empty() ? 0 : b.segments.back().offset + b.segments.back().length;
    for (uint32_t i = 0; i < page.count; i++) {
        const SSTSegment& s = page.segment[i];
        if (s.length == 0 || s.length > b.desc.length - offset) {
            fail(job, "buffer " + std::to_string(buffer) + ": its segments do not add up to its length");
            return;
        }
        b.segments.push_back({s.addr, s.length, offset});
        offset += s.length;
    }
    if (page.next) {
        readTablePage(id, job, buffer, page.next);
    } else if (offset != b.desc.length || b.segments.size() != b.desc.segments) {
        fail(job, "buffer " + std::to_string(buffer) + ": its segments do not add up to its length");
    }
}

void BufferJobs::runOp(uint64_t id, Job& job) {
    const auto read_all = [&](unsigned buffer) {
        for (size_t s = 0; s < job.buffers[buffer].segments.size(); s++) {
            const Segment& seg = job.buffers[buffer].segments[s];
            job.in_flight++;
            dma_.read(seg.addr, seg.length, tag(id, Read, buffer, s));
        }
    };
    if (job.req.payload.buffers.op == SST_BUF_OP_COPY) {
        read_all(0);  // each burst goes on to buffer 1 as it arrives
        return;
    }
    job.a.assign(job.buffers[0].desc.length, 0);
    job.b.assign(job.buffers[1].desc.length, 0);
    read_all(0);
    read_all(1);
}

void BufferJobs::writeAt(uint64_t id, Job& job, unsigned buffer, uint64_t offset, std::vector<uint8_t>& bytes) {
    const auto& segs = job.buffers[buffer].segments;
    // The segment holding `offset`: the last one starting at or before it.
    auto it = std::upper_bound(segs.begin(), segs.end(), offset,
                               [](uint64_t off, const Segment& s) { return off < s.offset; });
    uint64_t done = 0;
    for (--it; done < bytes.size() && it != segs.end(); ++it) {
        const uint64_t within = offset + done - it->offset;
        const uint64_t n = std::min<uint64_t>(bytes.size() - done, it->length - within);
        job.in_flight++;
        if (done == 0 && n == bytes.size()) {
            dma_.write(it->addr + within, std::move(bytes), tag(id, Write, buffer));  // no copy
        } else {
            dma_.write(it->addr + within, std::vector<uint8_t>(bytes.begin() + done, bytes.begin() + done + n),
                       tag(id, Write, buffer));
        }
        job.written += n;
        done += n;
    }
}

void BufferJobs::dmaData(uint64_t t, uint64_t offset, std::vector<uint8_t>& bytes) {
    const auto it = jobs_.find(jobOf(t));
    if (it == jobs_.end() || it->second.failed) {
        return;
    }
    Job& job = it->second;
    const unsigned buffer = bufferOf(t);
    if (phaseOf(t) == Table) {
        std::memcpy(job.buffers[buffer].page.data() + offset, bytes.data(), bytes.size());
        return;
    }
    if (phaseOf(t) != Read) {
        return;
    }
    const uint64_t at = job.buffers[buffer].segments[indexOf(t)].offset + offset;
    if (job.req.payload.buffers.op == SST_BUF_OP_COPY) {
        writeAt(it->first, job, 1, at, bytes);
    } else {
        std::memcpy((buffer == 0 ? job.a : job.b).data() + at, bytes.data(), bytes.size());
    }
}

void BufferJobs::dmaDone(uint64_t t, const DmaStatus& status) {
    const auto it = jobs_.find(jobOf(t));
    if (it == jobs_.end()) {
        return;
    }
    Job& job = it->second;
    job.in_flight--;
    if (!status.ok) {
        char why[64];
        std::snprintf(why, sizeof(why), "memory refused the access at 0x%llx",
                      (unsigned long long)status.fault_address);
        fail(job, why);
    } else if (phaseOf(t) == Table && !job.failed) {
        tablePageRead(it->first, job, bufferOf(t));
    }
    settle(it->first, job);
}

void BufferJobs::wake(uint64_t t) {
    const auto it = jobs_.find(jobOf(t));
    if (it == jobs_.end()) {
        return;
    }
    Job& job = it->second;
    job.in_flight--;
    std::vector<uint8_t> c = std::move(job.c);
    writeAt(it->first, job, 2, 0, c);
    settle(it->first, job);
}

void BufferJobs::fail(Job& job, const std::string& why) {
    if (!job.failed) {
        job.failed = true;
        job.error = why;
    }
}

// Moves a job on once nothing of its current step is in flight: tables read -> op; MATMUL's
// operands loaded -> compute; everything written (or a failure) -> the end.
void BufferJobs::settle(uint64_t id, Job& job) {
    if (job.in_flight > 0) {
        return;
    }
    const bool tables_read = std::all_of(job.buffers.begin(), job.buffers.end(), [](const Buffer& b) {
        return !b.segments.empty() && b.segments.back().offset + b.segments.back().length == b.desc.length;
    });
    if (!job.failed && job.written == 0 && tables_read && job.a.empty() && job.c.empty()) {
        runOp(id, job);
        if (job.in_flight > 0) {
            return;
        }
    }
    if (!job.failed && job.req.payload.buffers.op == SST_BUF_OP_MATMUL && !job.a.empty() && job.written == 0) {
        const uint64_t d[3] = {job.req.payload.buffers.args[0], job.req.payload.buffers.args[1],
                               job.req.payload.buffers.args[2]};  // m, n, k
        job.c.assign(job.buffers[2].desc.length, 0);
        matmulInt32(job.a.data(), job.b.data(), job.c.data(), uint32_t(d[0]), uint32_t(d[1]), uint32_t(d[2]));
        job.a.clear();
        job.b.clear();
        job.in_flight++;
        host_.wake_after(matmulComputeCycles(d[0], d[1], d[2], pes_, pipeline_depth_), tag(id, Compute, 0));
        return;
    }
    const Outcome outcome{job.failed ? uint32_t(SST_STATUS_ERROR) : uint32_t(SST_STATUS_OK), job.written, job.error};
    jobs_.erase(id);
    host_.finished(id, outcome);
}

}  // namespace QemuSst

// DMA in the device SDK and the models that use it, without SST or QEMU: how transfers are split
// into bursts, and the DMA engine and the matrix-multiply accelerator on a host buffer standing in
// for guest RAM (ModelRunner::attachMemory).
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include "acalsim/buffer_jobs.h"
#include "qemu-sst/dma_engine.h"
#include "qemu-sst/matmul_accel.h"
#include "sdk/dma_bursts.h"
#include "sdk/model_runner.h"

namespace QemuSst {
namespace {

constexpr uint64_t kRamBase = 0x80000000;

// A model that records what DmaBursts tells it.
class Recorder : public MmioModel {
public:
    using MmioModel::MmioModel;
    void dmaData(uint64_t tag, uint64_t offset, std::vector<uint8_t>& bytes) override {
        data.push_back({tag, offset, bytes.size()});
    }
    void dmaDone(uint64_t tag, const DmaStatus& status) override { done.push_back({tag, status}); }
    struct Data {
        uint64_t tag, offset, size;
    };
    struct Done {
        uint64_t tag;
        DmaStatus status;
    };
    std::vector<Data> data;
    std::vector<Done> done;

protected:
    uint32_t read(uint64_t, unsigned, uint64_t&) override { return SST_MMIO_BUS_ERROR; }
    uint32_t write(uint64_t, unsigned, uint64_t) override { return SST_MMIO_BUS_ERROR; }
};

class NullHost : public ModelHost {
public:
    uint64_t cycle() const override { return 0; }
    void setIrq(bool) override {}
    void wakeAfter(uint64_t, uint64_t) override {}
    ModelStatistic& statistic(const std::string&) override { return stat_; }
    bool logs(unsigned) const override { return false; }
    void log(unsigned, const std::string&) override {}
    bool hasDma() const override { return true; }
    void dmaRead(uint64_t, uint64_t, uint64_t) override {}
    void dmaWrite(uint64_t, std::vector<uint8_t>, uint64_t) override {}

private:
    class : public ModelStatistic {
        void add(uint64_t) override {}
    } stat_;
};

TEST(DmaBursts, BurstsStopAtBurstBoundariesAndNeverCross4KiB) {
    std::vector<DmaBursts::Burst> issued;
    DmaBursts bursts(1024, [&](DmaBursts::Burst&& b) { issued.push_back(std::move(b)); });
    bursts.read(kRamBase + 1000, 3000, 7);
    ASSERT_EQ(issued.size(), 4u);
    EXPECT_EQ(issued[0].address, kRamBase + 1000);
    EXPECT_EQ(issued[0].size, 24u);  // up to the first 1 KiB boundary
    EXPECT_EQ(issued[1].size, 1024u);
    EXPECT_EQ(issued[2].size, 1024u);
    EXPECT_EQ(issued[3].size, 3000u - 24 - 2048);
    for (const auto& b : issued) {
        EXPECT_EQ(b.address / 4096, (b.address + b.size - 1) / 4096) << "a burst crosses 4 KiB";
        EXPECT_FALSE(b.write);
    }
    EXPECT_EQ(bursts.outstanding(), 4u);
}

TEST(DmaBursts, TheTransferEndsOnceEveryBurstIsAnsweredWithTheLowestFault) {
    std::vector<DmaBursts::Burst> issued;
    DmaBursts bursts(4096, [&](DmaBursts::Burst&& b) { issued.push_back(std::move(b)); });
    NullHost host;
    Recorder model(host, MapParams());
    bursts.write(kRamBase, std::vector<uint8_t>(3 * 4096, 1), 9);
    ASSERT_EQ(issued.size(), 3u);
    EXPECT_EQ(issued[1].data.size(), 4096u);
    std::vector<uint8_t> none;
    EXPECT_TRUE(bursts.complete(issued[2].id, false, none, model));
    EXPECT_TRUE(bursts.complete(issued[1].id, false, none, model));
    EXPECT_TRUE(model.done.empty());
    EXPECT_TRUE(bursts.complete(issued[0].id, true, none, model));
    ASSERT_EQ(model.done.size(), 1u);
    EXPECT_EQ(model.done[0].tag, 9u);
    EXPECT_FALSE(model.done[0].status.ok);
    EXPECT_EQ(model.done[0].status.fault_address, kRamBase + 4096);
    EXPECT_FALSE(bursts.complete(issued[0].id, true, none, model)) << "answered twice";
}

TEST(DmaBursts, BadBurstSizesAndEmptyTransfersAreRefused) {
    const auto issue = [](DmaBursts::Burst&&) {};
    EXPECT_THROW(DmaBursts(0, issue), std::invalid_argument);
    EXPECT_THROW(DmaBursts(100, issue), std::invalid_argument);
    EXPECT_THROW(DmaBursts(8192, issue), std::invalid_argument);
    DmaBursts bursts(64, issue);
    EXPECT_THROW(bursts.read(kRamBase, 0, 1), std::invalid_argument);
}

// A runner with 1 MiB of "guest RAM" at kRamBase.
struct Rig {
    explicit Rig(const std::string& kind, MapParams params = {}) : runner(kind, params) {
        runner.attachMemory(kRamBase, ram, 5);
    }
    uint64_t reg(uint64_t offset) { return runner.access(false, offset, 8).data; }
    void set(uint64_t offset, uint64_t value) { ASSERT_EQ(runner.access(true, offset, 8, value).status, SST_MMIO_OK); }
    // Runs until the device is not BUSY (status register at status_offset).
    void settle(uint64_t status_offset) {
        for (uint64_t c = runner.cycle() + 1; (reg(status_offset) & 1) && c < 10000000; c += 10) {
            runner.advanceTo(c);
        }
    }
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20);
    ModelRunner runner;
};

TEST(DmaEngineModel, CopiesAnyLengthAtAnyAlignment) {
    Rig rig("dma");
    for (size_t i = 0; i < 70000; i++) {
        rig.ram[i] = uint8_t(i * 7 + 3);
    }
    rig.set(SST_DMA_REG_SRC, kRamBase + 1);
    rig.set(SST_DMA_REG_DST, kRamBase + 500003);
    rig.set(SST_DMA_REG_LENGTH, 65537);
    rig.set(SST_DMA_REG_CONTROL, SST_DMA_CTRL_START);
    rig.settle(SST_DMA_REG_STATUS);
    EXPECT_EQ(rig.reg(SST_DMA_REG_STATUS), SST_DMA_STATUS_DONE);
    EXPECT_EQ(std::memcmp(rig.ram.data() + 1, rig.ram.data() + 500003, 65537), 0);
    EXPECT_EQ(rig.ram[500003 + 65537], 0) << "wrote past the end";
    EXPECT_EQ(rig.reg(SST_DMA_REG_BYTES), 65537u);
    EXPECT_GT(rig.reg(SST_DMA_REG_CYCLES), 10u);
    EXPECT_EQ(rig.runner.total("copies"), 1u);
}

TEST(DmaEngineModel, AFaultEndsInErrorWithTheAddressAndAnInterrupt) {
    Rig rig("dma");
    rig.set(SST_DMA_REG_IRQ_ENABLE, 1);
    rig.set(SST_DMA_REG_SRC, 0x1000);
    rig.set(SST_DMA_REG_DST, kRamBase);
    rig.set(SST_DMA_REG_LENGTH, 64);
    rig.set(SST_DMA_REG_CONTROL, SST_DMA_CTRL_START);
    rig.settle(SST_DMA_REG_STATUS);
    EXPECT_EQ(rig.reg(SST_DMA_REG_STATUS), SST_DMA_STATUS_ERROR | SST_DMA_STATUS_IRQ_PENDING);
    EXPECT_EQ(rig.reg(SST_DMA_REG_ERROR_CODE), uint64_t{SST_DMA_ERR_SRC_FAULT});
    EXPECT_EQ(rig.reg(SST_DMA_REG_ERROR_ADDRESS), 0x1000u);
    EXPECT_TRUE(rig.runner.irq());
    rig.set(SST_DMA_REG_CONTROL, SST_DMA_CTRL_IRQ_ACK);
    EXPECT_FALSE(rig.runner.irq());
}

TEST(DmaEngineModel, WithoutDmaAStartEndsInNoDma) {
    ModelRunner runner("dma", MapParams());
    ASSERT_EQ(runner.access(true, SST_DMA_REG_LENGTH, 8, 16).status, SST_MMIO_OK);
    ASSERT_EQ(runner.access(true, SST_DMA_REG_CONTROL, 8, SST_DMA_CTRL_START).status, SST_MMIO_OK);
    runner.advanceTo(100);
    EXPECT_EQ(runner.access(false, SST_DMA_REG_ERROR_CODE, 8).data, uint64_t{SST_DMA_ERR_NO_DMA});
}

TEST(MatmulModel, ComputesAChainAndCountsItsCycles) {
    Rig rig("matmul", {{"pes", "4"}, {"pipeline_depth", "2"}});
    const uint32_t m = 3, n = 5, k = 7;
    const uint64_t a = kRamBase + 0x1000, b = kRamBase + 0x2000, c = kRamBase + 0x3000;
    std::vector<uint32_t> av(m * k), bv(k * n);
    for (uint32_t i = 0; i < m * k; i++) {
        av[i] = i * 3 - 7;
    }
    for (uint32_t i = 0; i < k * n; i++) {
        bv[i] = 11 - i;
    }
    std::memcpy(&rig.ram[a - kRamBase], av.data(), av.size() * 4);
    std::memcpy(&rig.ram[b - kRamBase], bv.data(), bv.size() * 4);
    const sst_matmul_desc desc{a, b, c, m, n, k, 0, 0};
    std::memcpy(&rig.ram[0x100], &desc, sizeof(desc));
    rig.set(SST_MATMUL_REG_DESC, kRamBase + 0x100);
    rig.set(SST_MATMUL_REG_CONTROL, SST_MATMUL_CTRL_START);
    rig.settle(SST_MATMUL_REG_STATUS);
    ASSERT_EQ(rig.reg(SST_MATMUL_REG_STATUS), SST_MATMUL_STATUS_DONE);
    for (uint32_t i = 0; i < m; i++) {
        for (uint32_t j = 0; j < n; j++) {
            uint32_t want = 0, got;
            for (uint32_t x = 0; x < k; x++) {
                want += av[i * k + x] * bv[x * n + j];
            }
            std::memcpy(&got, &rig.ram[c - kRamBase + (i * n + j) * 4], 4);
            EXPECT_EQ(got, want) << i << "," << j;
        }
    }
    // Descriptor fetch, loads and store each take one DMA round (5 cycles here); compute
    // ceil(105 / 4) + 2 = 29 cycles.
    EXPECT_EQ(rig.runner.total("compute_cycles"), 29u);
    EXPECT_EQ(rig.reg(SST_MATMUL_REG_MACS), uint64_t{m * n * k});
    EXPECT_EQ(rig.reg(SST_MATMUL_REG_JOBS), 1u);
}

TEST(MatmulModel, ABadDescriptorIsAnErrorAtItsAddress) {
    Rig rig("matmul");
    const sst_matmul_desc desc{kRamBase, kRamBase, kRamBase, 0, 4, 4, 0, 0};
    std::memcpy(&rig.ram[0x200], &desc, sizeof(desc));
    rig.set(SST_MATMUL_REG_DESC, kRamBase + 0x200);
    rig.set(SST_MATMUL_REG_CONTROL, SST_MATMUL_CTRL_START);
    rig.settle(SST_MATMUL_REG_STATUS);
    EXPECT_EQ(rig.reg(SST_MATMUL_REG_ERROR_CODE), uint64_t{SST_MATMUL_ERR_BAD_DESC});
    EXPECT_EQ(rig.reg(SST_MATMUL_REG_ERROR_ADDRESS), kRamBase + 0x200);
}

// BufferJobs (acalsim.VirtIODevice's SST_REQ_BUFFERS) on a host buffer standing in for guest RAM:
// bursts are answered in the order issued, after the call that issued them.
struct BufferRig {
    BufferRig()
        : jobs(BufferJobs::Host{[this](DmaBursts::Burst&& b) { pending.push_back(std::move(b)); },
                                [this](uint64_t, uint64_t tag) { wakes.push_back(tag); },
                                [this](uint64_t, const BufferJobs::Outcome& o) { outcome = o; }},
               4096, 4, 2) {}
    void run() {
        while (!pending.empty() || !wakes.empty()) {
            while (!pending.empty()) {
                DmaBursts::Burst b = std::move(pending.front());
                pending.erase(pending.begin());
                const bool ok = b.address >= kRamBase && b.address + b.size <= kRamBase + ram.size();
                std::vector<uint8_t> data;
                if (ok && b.write) {
                    std::memcpy(&ram[b.address - kRamBase], b.data.data(), b.size);
                } else if (ok) {
                    data.assign(&ram[b.address - kRamBase], &ram[b.address - kRamBase] + b.size);
                }
                ASSERT_TRUE(jobs.burstDone(b.id, ok, data));
            }
            if (!wakes.empty()) {
                const uint64_t tag = wakes.front();
                wakes.erase(wakes.begin());
                jobs.wake(tag);
            }
        }
    }
    // Writes a one-page segment table at table_offset listing `segments` (offsets into ram).
    uint64_t table(uint64_t table_offset, std::vector<std::pair<uint64_t, uint64_t>> segments) {
        SSTSegmentTable t{};
        for (const auto& [off, len] : segments) {
            t.segment[t.count++] = {kRamBase + off, len};
        }
        std::memcpy(&ram[table_offset], &t, sizeof(t));
        return kRamBase + table_offset;
    }
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20);
    std::vector<DmaBursts::Burst> pending;
    std::vector<uint64_t> wakes;
    std::optional<BufferJobs::Outcome> outcome;
    BufferJobs jobs;
};

SSTRequest copyRequest(uint64_t src_table, uint32_t src_segments, uint64_t dst_table, uint32_t dst_segments,
                       uint64_t length) {
    SSTRequest req{};
    req.type = SST_REQ_BUFFERS;
    req.payload.buffers.op = SST_BUF_OP_COPY;
    req.payload.buffers.count = 2;
    req.payload.buffers.buffer[0] = {src_table, length, SST_BUF_DEVICE_READS, src_segments};
    req.payload.buffers.buffer[1] = {dst_table, length, SST_BUF_DEVICE_WRITES, dst_segments};
    return req;
}

TEST(BufferJobs, CopiesBetweenBuffersScatteredDifferently) {
    BufferRig rig;
    for (size_t i = 0; i < 20000; i++) {
        rig.ram[0x10000 + i] = uint8_t(i * 31);
        rig.ram[0x30000 + i] = uint8_t(i * 31 + 1);
    }
    // 10000 bytes: source in 2 extents, destination in 3, none aligned alike.
    const uint64_t src = rig.table(0x1000, {{0x10000 + 3, 6000}, {0x30000 + 7, 4000}});
    const uint64_t dst = rig.table(0x2000, {{0x50000 + 1, 2500}, {0x60000, 4500}, {0x70000 + 9, 3000}});
    rig.jobs.start(1, copyRequest(src, 2, dst, 3, 10000));
    rig.run();
    ASSERT_TRUE(rig.outcome);
    EXPECT_EQ(rig.outcome->status, uint32_t{SST_STATUS_OK}) << rig.outcome->error;
    EXPECT_EQ(rig.outcome->bytes_written, 10000u);
    std::vector<uint8_t> want(&rig.ram[0x10003], &rig.ram[0x10003] + 6000);
    want.insert(want.end(), &rig.ram[0x30007], &rig.ram[0x30007] + 4000);
    std::vector<uint8_t> got(&rig.ram[0x50001], &rig.ram[0x50001] + 2500);
    got.insert(got.end(), &rig.ram[0x60000], &rig.ram[0x60000] + 4500);
    got.insert(got.end(), &rig.ram[0x70009], &rig.ram[0x70009] + 3000);
    EXPECT_EQ(got, want);
}

TEST(BufferJobs, ATableThatDoesNotAddUpOrMemoryRefusedIsAnError) {
    BufferRig short_table;
    const uint64_t src = short_table.table(0x1000, {{0x10000, 100}});
    const uint64_t dst = short_table.table(0x2000, {{0x20000, 200}});
    short_table.jobs.start(1, copyRequest(src, 1, dst, 1, 200));
    short_table.run();
    ASSERT_TRUE(short_table.outcome);
    EXPECT_EQ(short_table.outcome->status, uint32_t{SST_STATUS_ERROR});
    EXPECT_NE(short_table.outcome->error.find("do not add up"), std::string::npos) << short_table.outcome->error;

    BufferRig outside;
    const uint64_t from = outside.table(0x1000, {{0x10000, 100}});
    const uint64_t to = 0x1000;  // the table itself lies outside RAM
    outside.jobs.start(2, copyRequest(from, 1, to, 1, 100));
    outside.run();
    ASSERT_TRUE(outside.outcome);
    EXPECT_EQ(outside.outcome->status, uint32_t{SST_STATUS_ERROR});
    EXPECT_NE(outside.outcome->error.find("memory refused"), std::string::npos) << outside.outcome->error;
}

}  // namespace
}  // namespace QemuSst

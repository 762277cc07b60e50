// DMA in the device SDK and the models that use it, without SST or QEMU: how transfers are split
// into bursts, and the DMA engine and the matrix-multiply accelerator on a host buffer standing in
// for guest RAM (ModelRunner::attachMemory).
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

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

}  // namespace
}  // namespace QemuSst

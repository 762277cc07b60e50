// The device models on their own: registers, timing, interrupts and statistics, driven through
// ModelRunner as the test peers drive them; and the descriptors every kind is known by.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <vector>

#include "sdk/model_runner.h"
#include "sst_device_kinds.h"

namespace QemuSst {
namespace {

constexpr bool kRead = false;
constexpr bool kWrite = true;

TEST(DeviceKinds, EveryDescriptorHasAModelAndADistinct32BitId) {
    std::set<std::string> models;
    for (const std::string& k : modelKinds()) {
        models.insert(k);
    }
    std::set<uint64_t> ids;
    std::set<std::string> names;
    ASSERT_GE(SST_DEVICE_KIND_COUNT, 2u);
    for (const sst_device_kind& kind : sst_device_kinds) {
        EXPECT_TRUE(models.count(kind.name)) << kind.name << " has a descriptor but no registered model";
        EXPECT_TRUE(ids.insert(kind.id).second) << kind.name << ": ID shared with another kind";
        EXPECT_TRUE(names.insert(kind.name).second) << kind.name << ": name shared with another kind";
        EXPECT_LT(kind.id, uint64_t{1} << 32) << kind.name << ": the probe reads 32 bits";
        EXPECT_NE(kind.id, 0u) << kind.name;
        EXPECT_GE(kind.window_size, 8u) << kind.name;
        EXPECT_NE(std::string(kind.element).find('.'), std::string::npos) << kind.element;
    }
    EXPECT_EQ(models.size(), names.size()) << "a model is registered for a kind without a descriptor";
}

TEST(DeviceKinds, UnknownKindAndMalformedParameterAreRefusedByName) {
    try {
        ModelRunner runner("no-such-kind", MapParams());
        FAIL() << "an unknown kind was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-kind"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("echo"), std::string::npos) << "known kinds are listed: " << e.what();
    }
    try {
        ModelRunner runner("echo", MapParams({{"latency", "ten"}}));
        FAIL() << "latency=ten was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("latency"), std::string::npos) << e.what();
    }
    EXPECT_THROW(ModelRunner("echo", MapParams({{"latency", "-1"}})), std::invalid_argument);
}

TEST(EchoModel, RegistersEchoWhatWasWrittenInEveryWidth) {
    ModelRunner echo("echo", MapParams({{"latency", "7"}}));
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_ID, 8).data, SST_ECHO_ID);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_LATENCY, 4).data, 7u);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_ID, 4).cycles, 7u) << "every access takes `latency` cycles";

    EXPECT_EQ(echo.access(kWrite, SST_ECHO_REG_DATA, 8, 0x1122334455667788).status, SST_MMIO_OK);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_DATA, 8).data, 0x1122334455667788u);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_DATA + 4, 4).data, 0x11223344u);
    EXPECT_EQ(echo.access(kWrite, SST_ECHO_REG_DATA + 1, 1, 0xab).status, SST_MMIO_OK);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_DATA, 2).data, 0xab88u);

    EXPECT_EQ(echo.access(kWrite, SST_ECHO_REG_SCRATCH + 0x10, 4, 0xcafef00d).status, SST_MMIO_OK);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_SCRATCH + 0x12, 2).data, 0xcafeu);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_SCRATCH + 0x14, 4).data, 0u);
}

TEST(EchoModel, RefusesReadOnlyUnmappedAndMisalignedAccessesAndCountsThemAll) {
    ModelRunner echo("echo", MapParams());
    EXPECT_EQ(echo.access(kWrite, SST_ECHO_REG_ID, 4, 1).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(echo.access(kRead, 0x40, 8).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_DATA + 2, 4).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_DATA, 3).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_SCRATCH + SST_ECHO_SCRATCH_SIZE - 4, 8).status, SST_MMIO_BUS_ERROR);
    // COUNT: every access before this one, refused ones included.
    EXPECT_EQ(echo.access(kRead, SST_ECHO_REG_COUNT, 8).data, 5u);
    EXPECT_EQ(echo.total("bus_errors"), 5u);
    EXPECT_EQ(echo.total("reads"), 1u);
    EXPECT_EQ(echo.total("writes"), 0u);
}

class ComputeModelTest : public ::testing::Test {
protected:
    ComputeModelTest() : compute_("compute", MapParams({{"mul_latency", "5"}, {"div_latency", "20"}})) {
        compute_.on_irq = [this](bool level, uint64_t cycle) { irqs_.push_back({level, cycle}); };
    }
    void start(uint64_t opcode, uint64_t a, uint64_t b) {
        write(SST_COMPUTE_REG_OPERAND_A, a);
        write(SST_COMPUTE_REG_OPERAND_B, b);
        write(SST_COMPUTE_REG_OPCODE, opcode);
        write(SST_COMPUTE_REG_CONTROL, SST_COMPUTE_CTRL_START);
    }
    void write(uint64_t reg, uint64_t value) { ASSERT_EQ(compute_.access(kWrite, reg, 8, value).status, SST_MMIO_OK); }
    uint64_t read(uint64_t reg) { return compute_.access(kRead, reg, 8).data; }

    struct Irq {
        bool level;
        uint64_t cycle;
    };
    ModelRunner compute_;
    std::vector<Irq> irqs_;
};

TEST_F(ComputeModelTest, AnOperationIsBusyForItsCyclesThenDone) {
    compute_.advanceTo(100);
    start(SST_COMPUTE_OP_MUL, 6, 7);
    EXPECT_EQ(read(SST_COMPUTE_REG_STATUS), SST_COMPUTE_STATUS_BUSY);
    compute_.advanceTo(104);
    EXPECT_EQ(read(SST_COMPUTE_REG_STATUS), SST_COMPUTE_STATUS_BUSY) << "mul_latency=5: not done after 4 cycles";
    compute_.advanceTo(105);
    EXPECT_EQ(read(SST_COMPUTE_REG_STATUS), SST_COMPUTE_STATUS_DONE);
    EXPECT_EQ(read(SST_COMPUTE_REG_RESULT), 42u);
    EXPECT_EQ(read(SST_COMPUTE_REG_CYCLES), 5u);
    EXPECT_EQ(read(SST_COMPUTE_REG_OP_COUNT), 1u);
    EXPECT_TRUE(irqs_.empty()) << "IRQ_ENABLE is off";
    EXPECT_EQ(compute_.total("operations"), 1u);
    EXPECT_EQ(compute_.total("busy_cycles"), 5u);
}

TEST_F(ComputeModelTest, PowTakesOneMultiplyStepPerExponentBit) {
    start(SST_COMPUTE_OP_POW, 3, 13);  // 4 bits
    compute_.advanceTo(1000);
    EXPECT_EQ(read(SST_COMPUTE_REG_RESULT), 1594323u);
    EXPECT_EQ(read(SST_COMPUTE_REG_CYCLES), 2u + 4u * 5u);
}

TEST_F(ComputeModelTest, CompletionRaisesTheInterruptAtItsCycleAndAckLowersIt) {
    write(SST_COMPUTE_REG_IRQ_ENABLE, 1);
    compute_.advanceTo(10);
    start(SST_COMPUTE_OP_DIV, 100, 0);
    compute_.advanceTo(500);
    ASSERT_EQ(irqs_.size(), 1u);
    EXPECT_TRUE(irqs_[0].level);
    EXPECT_EQ(irqs_[0].cycle, 30u) << "raised when the 20-cycle DIV ended, not when time was next looked at";
    EXPECT_EQ(read(SST_COMPUTE_REG_STATUS), SST_COMPUTE_STATUS_ERROR | SST_COMPUTE_STATUS_IRQ_PENDING);
    EXPECT_EQ(read(SST_COMPUTE_REG_ERROR_CODE), uint64_t(SST_COMPUTE_ERR_DIV_ZERO));
    EXPECT_EQ(compute_.total("errors"), 1u);
    write(SST_COMPUTE_REG_CONTROL, SST_COMPUTE_CTRL_IRQ_ACK);
    ASSERT_EQ(irqs_.size(), 2u);
    EXPECT_FALSE(irqs_[1].level);
    EXPECT_FALSE(compute_.irq());
}

TEST_F(ComputeModelTest, ResetAbandonsTheOperationInFlightAndStartWhileBusyIsIgnored) {
    start(SST_COMPUTE_OP_DIV, 100, 5);
    write(SST_COMPUTE_REG_CONTROL, SST_COMPUTE_CTRL_START);  // ignored: BUSY
    write(SST_COMPUTE_REG_CONTROL, SST_COMPUTE_CTRL_RESET);
    compute_.advanceTo(1000);
    EXPECT_EQ(read(SST_COMPUTE_REG_STATUS), 0u) << "the abandoned DIV must not complete";
    EXPECT_EQ(read(SST_COMPUTE_REG_OP_COUNT), 0u);
    start(SST_COMPUTE_OP_ADD, 2, 3);
    compute_.advanceTo(1001);
    EXPECT_EQ(read(SST_COMPUTE_REG_RESULT), 5u);
    EXPECT_EQ(compute_.total("operations"), 1u);
}

TEST_F(ComputeModelTest, ReadOnlyAndWriteOnlyRegistersAreBusErrors) {
    EXPECT_EQ(compute_.access(kWrite, SST_COMPUTE_REG_STATUS, 8, 1).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(compute_.access(kRead, SST_COMPUTE_REG_CONTROL, 8).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(compute_.access(kRead, 0x800, 8).status, SST_MMIO_BUS_ERROR);
    EXPECT_EQ(compute_.total("bus_errors"), 3u);
}

}  // namespace
}  // namespace QemuSst

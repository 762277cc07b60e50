// The device SDK, model side: a memory-mapped device's logic as a plain C++ class.
//
// A model sees only the small interfaces below, never SST.  So one model serves everywhere: the SST
// component that wraps it (sdk/mmio_device.h), the test peers that stand in for the simulator, and
// unit tests that drive it directly.  A model implements register reads and writes (aligned,
// 1/2/4/8 bytes, inside its window) and, if it has timed behaviour, wake(): a step it scheduled with
// ModelHost::wakeAfter.  Time is counted in the device's own clock cycles.
//
// Adding a device: docs/adding-a-device.md.
#ifndef QEMU_SST_SDK_DEVICE_MODEL_H
#define QEMU_SST_SDK_DEVICE_MODEL_H

#include <cstdarg>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qemu-sst/device_kind.h"
#include "qemu-sst/mmio_protocol.h"

namespace QemuSst {

// A device's configuration, however its runner stores it (SST params, a test's map).
class ModelParams {
public:
    virtual ~ModelParams() = default;
    virtual std::optional<std::string> text(const std::string& key) const = 0;

    // An unsigned number ("10", "0x40"); the default when the key is absent.  A malformed value
    // throws std::invalid_argument naming the key.
    uint64_t number(const std::string& key, uint64_t default_value) const;
};

// ModelParams over a plain map, for test peers and unit tests.
class MapParams : public ModelParams {
public:
    MapParams() = default;
    MapParams(std::initializer_list<std::pair<const std::string, std::string>> values) : values_(values) {}
    std::optional<std::string> text(const std::string& key) const override;
    void set(const std::string& key, const std::string& value) { values_[key] = value; }

private:
    std::map<std::string, std::string> values_;
};

// One statistic a model records into (SST: a Statistic<uint64_t>; elsewhere: a running total).
class ModelStatistic {
public:
    virtual ~ModelStatistic() = default;
    virtual void add(uint64_t value) = 0;
};

// The outcome of one DMA transfer (ModelHost::dmaRead, dmaWrite).
struct DmaStatus {
    bool ok = true;              // every burst was performed
    uint64_t fault_address = 0;  // else: the first byte of the lowest burst that was refused
};

// Whoever starts DMA transfers hears of them here (sdk/dma_bursts.h): the bytes of each read burst as
// it arrives (it may take them, e.g. move them into a write), and each transfer's end.
class DmaClient {
public:
    virtual ~DmaClient() = default;
    // The bytes of one burst of DMA read `tag`, `offset` bytes into the transfer.
    virtual void dmaData(uint64_t tag, uint64_t offset, std::vector<uint8_t>& bytes) {}
    // DMA transfer `tag` has ended: every burst answered (after the last dmaData of a read).
    virtual void dmaDone(uint64_t tag, const DmaStatus& status) {}
};

// What a model may ask of whoever runs it.
class ModelHost {
public:
    virtual ~ModelHost() = default;
    virtual uint64_t cycle() const = 0;                              // device cycles since the start
    virtual void setIrq(bool level) = 0;                             // the device's interrupt line
    virtual void wakeAfter(uint64_t cycles, uint64_t tag) = 0;       // model.wake(tag), cycles from now
    virtual ModelStatistic& statistic(const std::string& name) = 0;  // documented in the component's ELI
    virtual bool logs(unsigned level) const = 0;                     // verbose >= level: log() shows it
    virtual void log(unsigned level, const std::string& line) = 0;

    // DMA on guest-physical memory, split into bursts (sdk/dma_bursts.h) that each take their own
    // simulated time through whatever memory model serves the device.  The model hears of a read's
    // bytes burst by burst (MmioModel::dmaData) and of each transfer's end (MmioModel::dmaDone),
    // never from within these calls.  length > 0.  Without DMA (hasDma() false: no dma_port) a
    // transfer ends at once, refused.
    virtual bool hasDma() const = 0;
    virtual void dmaRead(uint64_t address, uint64_t length, uint64_t tag) = 0;
    virtual void dmaWrite(uint64_t address, std::vector<uint8_t> bytes, uint64_t tag) = 0;
};

// Base of every memory-mapped device model.  Its DMA transfers (ModelHost::dmaRead, dmaWrite) end in
// its DmaClient overrides.
class MmioModel : public DmaClient {
public:
    struct Result {
        uint32_t status = SST_MMIO_OK;  // enum sst_mmio_status
        uint64_t data = 0;              // a read's value, zero-extended
        uint64_t cycles = 0;            // from the access to its response
    };

    MmioModel(ModelHost& host, const ModelParams& params);
    ~MmioModel() override = default;
    MmioModel(const MmioModel&) = delete;
    MmioModel& operator=(const MmioModel&) = delete;

    // A guest access as the bridge forwards it.  Misaligned or odd-sized accesses are bus errors;
    // the rest go to read() or write().  Counts reads, writes and bus_errors, and logs at level 2.
    Result access(bool write, uint64_t offset, unsigned size, uint64_t data);

    // A step the model asked for with ModelHost::wakeAfter.
    virtual void wake(uint64_t tag) {}

protected:
    // Return an sst_mmio_status; `data` of a read is the value of the `size` bytes at `offset`.
    virtual uint32_t read(uint64_t offset, unsigned size, uint64_t& data) = 0;
    virtual uint32_t write(uint64_t offset, unsigned size, uint64_t value) = 0;

    ModelHost& host() const { return host_; }
    uint64_t accessesServed() const { return accesses_; }  // before the current one, refused ones too
    // printf-style line for the host's log, shown at verbose >= level.
    void logf(unsigned level, const char* format, ...) __attribute__((format(printf, 3, 4)));

    uint64_t access_cycles_ = 1;  // a model sets its own access latency

private:
    ModelHost& host_;
    uint64_t accesses_ = 0;
    ModelStatistic& reads_;
    ModelStatistic& writes_;
    ModelStatistic& bus_errors_;
};

// Models by kind name (the name in the register header's descriptor, qemu-sst/device_kind.h), for
// runners that pick a model at run time, such as the test peers.  QEMU_SST_REGISTER_MODEL(Model,
// SST_<NAME>_KIND) adds one.
using ModelFactory = std::unique_ptr<MmioModel> (*)(ModelHost&, const ModelParams&);
bool registerModel(const char* kind, ModelFactory factory);
// nullptr for an unknown kind.
std::unique_ptr<MmioModel> makeModel(const std::string& kind, ModelHost& host, const ModelParams& params);
std::vector<std::string> modelKinds();

#define QEMU_SST_REGISTER_MODEL(Model, kind)                                                       \
    [[maybe_unused]] static const bool qemu_sst_registered_##Model = ::QemuSst::registerModel(     \
        SST_DEVICE_KIND_NAME(kind), [](::QemuSst::ModelHost& h, const ::QemuSst::ModelParams& p) { \
            return std::unique_ptr<::QemuSst::MmioModel>(new Model(h, p));                         \
        })

// --- 64-bit registers, accessed in 1/2/4/8-byte pieces ---------------------------------------------
// An access of `size` bytes at `offset` touches bytes [offset % 8, offset % 8 + size) of the register
// at offset & ~7, little-endian.

constexpr uint64_t registerBase(uint64_t offset) { return offset & ~uint64_t{7}; }

constexpr uint64_t sizeMask(unsigned size) { return size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1; }

// The bytes an access of `size` at `offset` reads from `reg`, zero-extended.
constexpr uint64_t readRegisterBytes(uint64_t reg, uint64_t offset, unsigned size) {
    return (reg >> (8 * (offset & 7))) & sizeMask(size);
}

// `reg` after an access of `size` at `offset` stored `value` into it.
constexpr uint64_t writeRegisterBytes(uint64_t reg, uint64_t offset, unsigned size, uint64_t value) {
    const unsigned shift = 8 * (offset & 7);
    const uint64_t mask = sizeMask(size) << shift;
    return (reg & ~mask) | ((value << shift) & mask);
}

}  // namespace QemuSst

#endif

// The echo device: what the guest writes, it reads back, after a configurable latency.
// Register map: include/qemu-sst/echo_device.h.
#include "sdk/device_model.h"

#include <array>
#include <cstring>

#include "qemu-sst/echo_device.h"

namespace QemuSst {

class EchoDeviceModel : public MmioModel {
public:
    EchoDeviceModel(ModelHost& host, const ModelParams& params) : MmioModel(host, params) {
        access_cycles_ = params.number("latency", 10);
    }

protected:
    uint32_t read(uint64_t offset, unsigned size, uint64_t& data) override {
        if (uint8_t* cell = scratch(offset, size)) {
            std::memcpy(&data, cell, size);  // little-endian host: low bytes first
            return SST_MMIO_OK;
        }
        uint64_t reg;
        switch (registerBase(offset)) {
        case SST_ECHO_REG_ID: reg = SST_ECHO_ID; break;
        case SST_ECHO_REG_DATA: reg = data_; break;
        case SST_ECHO_REG_STATUS: reg = SST_ECHO_STATUS_READY; break;
        case SST_ECHO_REG_COUNT: reg = accessesServed(); break;
        case SST_ECHO_REG_LATENCY: reg = access_cycles_; break;
        default: return SST_MMIO_BUS_ERROR;
        }
        data = readRegisterBytes(reg, offset, size);
        return SST_MMIO_OK;
    }

    uint32_t write(uint64_t offset, unsigned size, uint64_t value) override {
        if (uint8_t* cell = scratch(offset, size)) {
            std::memcpy(cell, &value, size);
            return SST_MMIO_OK;
        }
        if (registerBase(offset) != SST_ECHO_REG_DATA) {
            return SST_MMIO_BUS_ERROR;  // every register but DATA is read-only
        }
        data_ = writeRegisterBytes(data_, offset, size, value);
        return SST_MMIO_OK;
    }

private:
    uint8_t* scratch(uint64_t offset, unsigned size) {
        const bool inside =
            offset >= SST_ECHO_REG_SCRATCH && offset + size <= SST_ECHO_REG_SCRATCH + SST_ECHO_SCRATCH_SIZE;
        return inside ? &scratch_[offset - SST_ECHO_REG_SCRATCH] : nullptr;
    }

    uint64_t data_ = 0;
    std::array<uint8_t, SST_ECHO_SCRATCH_SIZE> scratch_{};
};
QEMU_SST_REGISTER_MODEL(EchoDeviceModel, SST_ECHO_KIND);

}  // namespace QemuSst

#ifndef QEMU_SST_MODEL_ONLY
#include "sdk/mmio_device.h"

namespace QemuSst {

class EchoDevice : public MmioDevice<EchoDeviceModel> {
public:
    QEMU_SST_REGISTER_DEVICE(EchoDevice, SST_ECHO_KIND,
                             "Echo device: registers read back what was written, after a fixed latency")
    SST_ELI_DOCUMENT_PARAMS(QEMU_SST_MMIO_DEVICE_PARAMS, {"latency", "Cycles from a request to its response", "10"})
    SST_ELI_DOCUMENT_PORTS(QEMU_SST_MMIO_DEVICE_PORTS)
    SST_ELI_DOCUMENT_STATISTICS(QEMU_SST_MMIO_DEVICE_STATISTICS)
    using MmioDevice::MmioDevice;
};

}  // namespace QemuSst
#endif

#include <sst/core/sst_config.h>

#include "echo_device.h"

#include <cinttypes>
#include <cstring>

#include "common/register_bytes.h"

namespace QemuSst {

EchoDevice::EchoDevice(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDOUT);
    latency_cycles_ = params.find<uint64_t>("latency", 10);
    registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
    cpu_link_ = configureLink("cpu_port", new SST::Event::Handler<EchoDevice, &EchoDevice::handleRequest>(this));
    if (!cpu_link_) {
        out_.fatal(CALL_INFO, 1, "port cpu_port is not connected: the device cannot receive requests\n");
    }
    stat_reads_ = registerStatistic<uint64_t>("reads");
    stat_writes_ = registerStatistic<uint64_t>("writes");
    stat_errors_ = registerStatistic<uint64_t>("errors");
}

// Performs one access on the register file; returns its sst_mmio_status.
uint32_t EchoDevice::access(MMIORequestEvent& req, uint64_t& data) {
    const unsigned size = req.size;
    if (!accessAligned(req.offset, size)) {
        return SST_MMIO_BUS_ERROR;
    }
    if (req.offset >= SST_ECHO_REG_SCRATCH && req.offset + size <= SST_ECHO_REG_SCRATCH + SST_ECHO_SCRATCH_SIZE) {
        uint8_t* cell = &scratch_[req.offset - SST_ECHO_REG_SCRATCH];
        if (req.isWrite()) {
            std::memcpy(cell, &req.data, size);  // little-endian host: low bytes first
        } else {
            data = 0;
            std::memcpy(&data, cell, size);
        }
        return SST_MMIO_OK;
    }
    uint64_t reg;
    switch (registerBase(req.offset)) {
    case SST_ECHO_REG_DATA:
        if (req.isWrite()) {
            data_reg_ = writeRegisterBytes(data_reg_, req.offset, size, req.data);
            return SST_MMIO_OK;
        }
        reg = data_reg_;
        break;
    case SST_ECHO_REG_ID: reg = SST_ECHO_ID; break;
    case SST_ECHO_REG_STATUS: reg = SST_ECHO_STATUS_READY; break;
    case SST_ECHO_REG_COUNT: reg = access_count_; break;
    case SST_ECHO_REG_LATENCY: reg = latency_cycles_; break;
    default: return SST_MMIO_BUS_ERROR;
    }
    if (req.isWrite()) {
        return SST_MMIO_BUS_ERROR;  // every register but DATA is read-only
    }
    data = readRegisterBytes(reg, req.offset, size);
    return SST_MMIO_OK;
}

void EchoDevice::handleRequest(SST::Event* ev) {
    auto* req = static_cast<MMIORequestEvent*>(ev);
    uint64_t data = 0;
    const uint32_t status = access(*req, data);
    access_count_++;
    if (status != SST_MMIO_OK) {
        stat_errors_->addData(1);
    } else if (req->isWrite()) {
        stat_writes_->addData(1);
    } else {
        stat_reads_->addData(1);
    }
    out_.verbose(CALL_INFO, 2, 0, "%s offset=0x%" PRIx64 " size=%u data=0x%" PRIx64 " -> %s\n",
                 req->isWrite() ? "write" : "read", req->offset, unsigned(req->size),
                 req->isWrite() ? req->data : data, sst_mmio_status_str(status));
    cpu_link_->send(latency_cycles_, new MMIOResponseEvent(req->id, data, status));
    delete req;
}

}  // namespace QemuSst

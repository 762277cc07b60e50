// The channel of an `sst-device`: a window of guest-physical addresses whose loads and stores go to
// `device_port_<i>` as MMIORequestEvents, each delivered at its own guest time, and whose
// MMIOResponseEvents go back as RESPONSE frames carrying the modelled latency.  QEMU's vCPU blocks
// on every access until its response.  Interrupts arriving on `irq_port_<i>` become IRQ frames.
#ifndef QEMU_SST_QEMUBINARY_MMIO_WINDOW_CHANNEL_H
#define QEMU_SST_QEMUBINARY_MMIO_WINDOW_CHANNEL_H

#include <sst/core/event.h>
#include <sst/core/statapi/statbase.h>

#include <unordered_map>

#include "channel.h"
#include "qemu-sst/mmio_protocol.h"

namespace QemuSst {

class MmioWindowChannel : public Channel {
public:
    struct Statistics {
        SST::Statistics::Statistic<uint64_t>* reads;
        SST::Statistics::Statistic<uint64_t>* writes;
        SST::Statistics::Statistic<uint64_t>* bytes_read;
        SST::Statistics::Statistic<uint64_t>* bytes_written;
        SST::Statistics::Statistic<uint64_t>* latency;
        SST::Statistics::Statistic<uint64_t>* errors;
        SST::Statistics::Statistic<uint64_t>* interrupts;
    };

    MmioWindowChannel(ChannelHost& host, std::string name, unsigned index, uint64_t base, uint64_t size);

    std::string qemuDevice() const override;
    std::string checkHello(const sst_mmio_hello& hello) const override;
    bool handleFrame() override;
    size_t dropInFlight() override;

    void handleResponse(SST::Event* ev);   // device_port_<i>
    void handleInterrupt(SST::Event* ev);  // irq_port_<i>

    const uint64_t base;
    const uint64_t size;
    SST::Link* irq_link = nullptr;
    Statistics stats{};

private:
    struct PendingAccess {
        uint64_t delivered_ps;  // simulated time the access reached the device link
        bool write;
        uint8_t size;
        uint64_t offset;  // and the written value: for the trace
        uint64_t data;
    };

    void handleAccess(const sst_mmio_access& access, bool write);
    void respond(uint64_t id, uint64_t data, uint64_t latency_ps, uint32_t status, uint64_t horizon_ps = 0);

    sst_mmio_frame frame_;
    std::unordered_map<uint64_t, PendingAccess> pending_;
};

}  // namespace QemuSst

#endif

// One QEMU device's channel as the bridge sees it.  What every channel shares (its socket, endpoint,
// handshake state and the base frames' bookkeeping) lives in Channel; what a payload family needs
// (routing its frames to the device component and back) lives in one subclass per kind:
// MmioWindowChannel (sst-device) and VirtioChannel (virtio-sst-device).
#ifndef QEMU_SST_QEMUBINARY_CHANNEL_H
#define QEMU_SST_QEMUBINARY_CHANNEL_H

#include <sst/core/link.h>
#include <sst/core/output.h>
#include <sst/core/statapi/statbase.h>
#include <sst/core/timeConverter.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "guest_ram.h"
#include "mmio_endpoint.h"
#include "time_sync.h"
#include "trace_writer.h"

namespace QemuSst {

class Channel;

// 0x-prefixed hex, as addresses appear in QEMU's arguments and in our messages.
std::string hex(uint64_t value);

// What a channel needs from the bridge that owns it.
class ChannelHost {
public:
    virtual uint64_t nowPs() const = 0;
    virtual TimeSync& timeSync() = 0;
    virtual SST::Output& output() = 0;
    virtual const SST::TimeConverter& picoseconds() const = 0;
    virtual uint64_t clockCycles(uint64_t ps) const = 0;  // for the latency statistics
    virtual bool qemuGone() const = 0;
    virtual const GuestRam& guestRam() const = 0;  // not mapped if QEMU did not share it
    // An access completes now: the horizon its RESPONSE carries (TimeSync::lowerHorizon), or 0.
    virtual uint64_t responseHorizonPs() = 0;
    // The engine may run on only once QEMU is quiescent again.
    virtual void waitForQemu() = 0;
    virtual void channelFailed(Channel& channel) = 0;

protected:
    ~ChannelHost() = default;
};

// What sets a kind of channel apart that is data rather than behaviour.
struct ChannelKind {
    const char* socket_prefix;  // its socket is <prefix><index>.sock in the socket directory
    uint32_t capabilities;      // those it may keep from QEMU's HELLO
    const sst_frame_family* family;
};

class Channel {
public:
    // frame: the subclass's frame struct of its kind (frame_size bytes), which frames are taken into.
    Channel(ChannelHost& host, std::string name, unsigned index, const ChannelKind& kind, void* frame,
            size_t frame_size);
    virtual ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    // The -device argument that makes QEMU connect to socket_path.
    virtual std::string qemuDevice() const = 0;
    // Why QEMU's HELLO does not fit this channel, or "" if it does.
    virtual std::string checkHello(const sst_mmio_hello& hello) const = 0;
    // The frame just taken, of the channel's payload family; false if the channel does not take
    // frames of its type.
    virtual bool handleFrame() = 0;
    // The channel failed: forgets what QEMU was waiting for.  Returns how many of those were
    // accesses QEMU is blocked on.
    virtual size_t dropInFlight() = 0;
    // Whether a request QEMU does not block on still waits for its answer.
    virtual bool requestsInFlight() const { return false; }

    std::string socketName() const { return kind_.socket_prefix + std::to_string(index) + ".sock"; }
    uint32_t capabilities() const { return kind_.capabilities; }
    const sst_frame_family* family() const { return kind_.family; }
    // Takes the next frame if there is one: SST_EP_FRAME, SST_EP_NOTHING or SST_EP_CLOSED.
    int poll() { return sst_ep_poll_into(&ep, frame_, frame_size_); }
    // The header of the frame just taken, and a base payload of it.
    const sst_mmio_header& frameHeader() const { return *static_cast<const sst_mmio_header*>(frame_); }
    template <typename BasePayload>
    BasePayload basePayload() const {
        BasePayload payload;
        std::memcpy(&payload, &frameHeader() + 1, sizeof(payload));
        return payload;
    }

    // Sends a frame unless the channel or QEMU is gone; a failed send fails the channel.
    void send(uint32_t type, const void* payload);
    // A response from the device that nobody waits for: the channel failed meanwhile, or the
    // device answered twice.
    void dropUnknownResponse(const char* what, uint64_t id) const;
    // Sends an ERROR frame saying why, and fails the channel.
    void refuse(uint32_t code, const std::string& why);
    bool live() const { return connected && !failed; }

    // The device's DMA on guest RAM, when its dma port is connected (dma_port_<i>, virtio_dma_port_<i>):
    // a MemoryRequestEvent is one burst, performed at once and answered with a MemoryResponseEvent.
    struct DmaStatistics {
        SST::Statistics::Statistic<uint64_t>* reads;  // bursts
        SST::Statistics::Statistic<uint64_t>* writes;
        SST::Statistics::Statistic<uint64_t>* bytes_read;
        SST::Statistics::Statistic<uint64_t>* bytes_written;
        SST::Statistics::Statistic<uint64_t>* errors;
    };
    void handleDma(SST::Event* ev);
    SST::Link* dma_link = nullptr;
    DmaStatistics dma_stats{};

    const std::string name;
    const unsigned index;  // among channels of its kind (device_port_<index>, virtio_port_<index>)
    SST::Link* link = nullptr;
    std::string socket_path;
    int listen_fd = -1;
    sst_mmio_endpoint ep{};
    bool connected = false;
    bool failed = false;  // closed by error; the rest of the run goes on without it
    bool said_goodbye = false;
    bool reported = false;  // its failure has been reported
    // The run's timeline (trace_file), or null: every record is behind one check of this pointer.
    TraceWriter* trace = nullptr;
    unsigned trace_tid = 0;  // this device's track

protected:
    ChannelHost& host_;

private:
    const ChannelKind kind_;
    void* frame_;
    size_t frame_size_;
};

}  // namespace QemuSst

#endif

// acalsim.MemoryTiming: what a device's DMA costs in simulated time.  It sits between a device's
// dma_port and the bridge's dma_port_N (or another memory component) and passes every burst on,
// unchanged, once the memory it models could have served it:
//
//   - at most max_outstanding bursts are in flight below it; later ones wait in arrival order;
//   - a burst occupies the data path for ceil(size / bytes_per_cycle) cycles, one burst after the
//     other, so the path never carries more than bytes_per_cycle per cycle;
//   - it then reaches memory `latency` cycles after its data-path turn ends.
//
// So a burst of S bytes issued on an idle path arrives latency + ceil(S / bytes_per_cycle) cycles
// later, and a long transfer streams at bytes_per_cycle once max_outstanding covers the latency.
// It speaks the events of common/memory_events.h on both sides, so a cache or DRAM model speaking
// them can take its place, or sit below it.
#include <sst/core/sst_config.h>

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/output.h>

#include <algorithm>
#include <deque>

#include "common/memory_events.h"

namespace QemuSst {

class MemoryTiming : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(MemoryTiming, "acalsim", "MemoryTiming", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Memory timing for device DMA: latency, bandwidth and a limit on outstanding bursts",
                               COMPONENT_CATEGORY_MEMORY)
    SST_ELI_DOCUMENT_PARAMS({"clock", "Clock the other parameters count cycles of", "1GHz"},
                            {"latency", "Cycles from a burst's data-path turn to its arrival at memory", "50"},
                            {"bytes_per_cycle", "Data-path width: bytes moved per cycle, all bursts together", "16"},
                            {"max_outstanding", "Bursts in flight below this component at most; more wait", "8"},
                            {"verbose", "Output verbosity (0: quiet, 2: every burst)", "0"})
    SST_ELI_DOCUMENT_PORTS({"device_port",
                            "Bursts from a device (its dma_port), answered on the same link",
                            {"QemuSst::MemoryRequestEvent", "QemuSst::MemoryResponseEvent"}},
                           {"memory_port",
                            "Bursts on to memory (the bridge's dma_port_N, or a cache or memory model)",
                            {"QemuSst::MemoryRequestEvent", "QemuSst::MemoryResponseEvent"}})
    SST_ELI_DOCUMENT_STATISTICS({"reads", "Read bursts passed on", "bursts", 1},
                                {"writes", "Write bursts passed on", "bursts", 1},
                                {"bytes", "Bytes read and written", "bytes", 1},
                                {"wait_cycles", "Cycles bursts waited for an outstanding slot, all together", "cycles",
                                 1},
                                {"errors", "Bursts memory refused", "bursts", 1})

    MemoryTiming(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
        out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDERR);
        clock_tc_ = registerTimeBase(params.find<std::string>("clock", "1GHz"), true);
        latency_ = params.find<uint64_t>("latency", 50);
        bytes_per_cycle_ = params.find<uint64_t>("bytes_per_cycle", 16);
        max_outstanding_ = params.find<uint64_t>("max_outstanding", 8);
        if (bytes_per_cycle_ == 0 || max_outstanding_ == 0) {
            out_.fatal(CALL_INFO, 1, "bytes_per_cycle and max_outstanding must be at least 1\n");
        }
        device_link_ =
            configureLink("device_port", new SST::Event::Handler<MemoryTiming, &MemoryTiming::handleRequest>(this));
        memory_link_ =
            configureLink("memory_port", new SST::Event::Handler<MemoryTiming, &MemoryTiming::handleResponse>(this));
        if (!device_link_ || !memory_link_) {
            out_.fatal(CALL_INFO, 1, "both device_port and memory_port must be connected\n");
        }
        stat_reads_ = registerStatistic<uint64_t>("reads");
        stat_writes_ = registerStatistic<uint64_t>("writes");
        stat_bytes_ = registerStatistic<uint64_t>("bytes");
        stat_wait_ = registerStatistic<uint64_t>("wait_cycles");
        stat_errors_ = registerStatistic<uint64_t>("errors");
    }

    ~MemoryTiming() override {
        for (const Waiting& w : waiting_) {
            delete w.request;
        }
    }

private:
    struct Waiting {
        MemoryRequestEvent* request;
        uint64_t since;  // cycle it arrived
    };

    uint64_t now() const { return getCurrentSimTime(clock_tc_); }

    void handleRequest(SST::Event* ev) {
        waiting_.push_back({static_cast<MemoryRequestEvent*>(ev), now()});
        issueWaiting();
    }

    void handleResponse(SST::Event* ev) {
        auto* resp = static_cast<MemoryResponseEvent*>(ev);
        if (resp->status != MemoryStatus::Ok) {
            stat_errors_->addData(1);
        }
        outstanding_--;
        device_link_->send(resp);
        issueWaiting();
    }

    void issueWaiting() {
        while (outstanding_ < max_outstanding_ && !waiting_.empty()) {
            const Waiting w = waiting_.front();
            waiting_.pop_front();
            const uint64_t t = now();
            const uint64_t start = std::max(t, path_free_);
            path_free_ = start + (w.request->size + bytes_per_cycle_ - 1) / bytes_per_cycle_;
            const uint64_t delay = path_free_ + latency_ - t;
            stat_wait_->addData(t - w.since);
            (w.request->write ? stat_writes_ : stat_reads_)->addData(1);
            stat_bytes_->addData(w.request->size);
            out_.verbose(CALL_INFO, 2, 0, "%s 0x%llx +%u: on to memory in %llu cycles\n",
                         w.request->write ? "write" : "read", (unsigned long long)w.request->address, w.request->size,
                         (unsigned long long)delay);
            outstanding_++;
            memory_link_->send(delay, clock_tc_, w.request);
        }
    }

    SST::Output out_;
    SST::TimeConverter clock_tc_;
    SST::Link* device_link_ = nullptr;
    SST::Link* memory_link_ = nullptr;
    uint64_t latency_ = 0;
    uint64_t bytes_per_cycle_ = 1;
    uint64_t max_outstanding_ = 1;
    uint64_t outstanding_ = 0;
    uint64_t path_free_ = 0;  // first cycle the data path is free
    std::deque<Waiting> waiting_;
    SST::Statistics::Statistic<uint64_t>* stat_reads_;
    SST::Statistics::Statistic<uint64_t>* stat_writes_;
    SST::Statistics::Statistic<uint64_t>* stat_bytes_;
    SST::Statistics::Statistic<uint64_t>* stat_wait_;
    SST::Statistics::Statistic<uint64_t>* stat_errors_;
};

}  // namespace QemuSst

// Engine throughput on the two workloads that dominate co-simulation cost:
//   events: a ring of 64 components (elements/benchring), each forwarding every event it receives
//           (the same Event object) to the next over a 1 ns link, with 256 events in flight;
//   clocks: 64 components with an empty handler on one shared 1 GHz clock.
// Each workload is calibrated to run about 1.5 s of wall-clock time.

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst_engine/simulation_runner.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace {

using namespace SST;

constexpr int kComponents = 64;
constexpr double kTargetSeconds = 1.5;

// sst-core 16 measured earlier on this machine (2-core build host) with the same workloads: fixed
// reference figures for machines without sst-core.  Where there is one, engine_vs_sst_core.py
// measures the event ratio live, with this ring element under both engines.
constexpr double kSst16EventsPerSecond = 15e6;
constexpr double kSst16ClockCallsPerSecond = 300e6;

class ClockNode : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(ClockNode, "enginebench", "clocked", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Registers an empty handler on a 1 GHz clock", COMPONENT_CATEGORY_UNCATEGORIZED)

    ClockNode(ComponentId_t id, Params&) : Component(id) {
        registerClock("1GHz", new Clock::Handler<ClockNode, &ClockNode::tick>(this));
    }

private:
    bool tick(Cycle_t) { return false; }
};

Core::ConfigGraph ringGraph() {
    Core::ConfigGraph graph;
    for (int i = 0; i < kComponents; ++i)
        graph.addComponent("node" + std::to_string(i), "benchring.ring");  // 4 events each: 256 in flight
    for (int i = 0; i < kComponents; ++i) {
        Core::ConfigLink& link = graph.addLink("ring" + std::to_string(i), "1ns");
        graph.connect(link, i, "next", "");
        graph.connect(link, (i + 1) % kComponents, "prev", "");
    }
    return graph;
}

Core::ConfigGraph clockGraph() {
    Core::ConfigGraph graph;
    for (int i = 0; i < kComponents; ++i)
        graph.addComponent("clocked" + std::to_string(i), "enginebench.clocked");
    return graph;
}

struct Measurement {
    uint64_t dispatched;
    double seconds;
};

Measurement run(const Core::ConfigGraph& graph, uint64_t stop_ns) {
    Core::ProgramOptions options;
    options.stop_at = std::to_string(stop_ns) + "ns";
    options.print_completion = false;
    options.warn_unlinked = false;  // the clocked components have no links, by design
    const auto start = std::chrono::steady_clock::now();
    const auto report = Core::runSimulation(graph, options);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return {report.dispatched, elapsed.count()};
}

// Runs briefly to estimate the rate, then long enough for a stable figure.  Returns
// dispatched activities per second of wall-clock time.
double measure(const Core::ConfigGraph& graph, uint64_t calibration_ns) {
    const Measurement probe = run(graph, calibration_ns);
    const double ns_per_s = calibration_ns / std::max(probe.seconds, 1e-6);
    const auto stop_ns = static_cast<uint64_t>(ns_per_s * kTargetSeconds) + 1;
    const Measurement full = run(graph, stop_ns);
    return full.dispatched / full.seconds;
}

}  // namespace

int main() {
    const double events_per_s = measure(ringGraph(), 20000);
    // One dispatch per clock tick, which calls every component's handler.
    const double clock_calls_per_s = measure(clockGraph(), 200000) * kComponents;

    std::printf("engine_events_per_s: %.0f events/s\n", events_per_s);
    std::printf("engine_clock_ticks_per_s: %.0f calls/s\n", clock_calls_per_s);
    std::printf("engine_events_vs_sst16: %.2f x\n", events_per_s / kSst16EventsPerSecond);
    std::printf("engine_clock_vs_sst16: %.2f x\n", clock_calls_per_s / kSst16ClockCallsPerSecond);
    return 0;
}

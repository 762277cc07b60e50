#ifndef ENGINE_TEST_SUPPORT_H
#define ENGINE_TEST_SUPPORT_H

#include <sst_engine/simulation_runner.h>

#include <string>

namespace EngineTest {

// Runs a graph without the completion message, optionally with a stop time.
inline SST::Core::RunReport runQuietly(const SST::Core::ConfigGraph& graph, const std::string& stop_at = "",
                                       bool strict_params = true) {
    SST::Core::ProgramOptions options;
    options.print_completion = false;
    options.stop_at = stop_at;
    options.strict_params = strict_params;
    return SST::Core::runSimulation(graph, options);
}

// Connects a.port_a to b.port_b; each latency applies to events sent from that end.
inline SST::Core::ConfigLink& wire(SST::Core::ConfigGraph& graph, SST::ComponentId_t a, const std::string& port_a,
                                   const std::string& latency_a, SST::ComponentId_t b, const std::string& port_b,
                                   const std::string& latency_b) {
    SST::Core::ConfigLink& link = graph.addLink("link" + std::to_string(graph.links().size()));
    graph.connect(link, a, port_a, latency_a);
    graph.connect(link, b, port_b, latency_b);
    return link;
}

}  // namespace EngineTest

#endif

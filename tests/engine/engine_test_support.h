#ifndef ENGINE_TEST_SUPPORT_H
#define ENGINE_TEST_SUPPORT_H

#include <sst_engine/simulation_runner.h>

#include <string>

namespace EngineTest {

// stdout without SST's "WARNING: Building component ... with no links assigned." lines, for tests
// of something else that build unconnected components (SimulationEnd.WarnsOfComponentsWithoutLinks
// checks the warning itself).
inline std::string withoutLinklessWarnings(const std::string& out) {
    std::string kept;
    size_t start = 0;
    while (start < out.size()) {
        size_t end = out.find('\n', start);
        end = end == std::string::npos ? out.size() : end + 1;
        const std::string line = out.substr(start, end - start);
        if (line.rfind("WARNING: Building component \"", 0) != 0 ||
            line.find("with no links assigned.") == std::string::npos)
            kept += line;
        start = end;
    }
    return kept;
}

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

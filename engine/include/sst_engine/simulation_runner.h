#ifndef SST_ENGINE_SIMULATION_RUNNER_H
#define SST_ENGINE_SIMULATION_RUNNER_H

#include "sst/core/sst_types.h"
#include "sst_engine/config_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace SST::Core {

struct ProgramOptions {
    std::string stop_at;   // e.g. "10us"; empty or zero: no limit
    unsigned verbose = 0;  // 1: phases and timing, 2: also each component
    bool print_timing = false;
    bool print_completion = true;        // "Simulation is complete, simulated time: ..."
    bool warn_unlinked = true;           // SST's "WARNING: Building component ... with no links"
    std::vector<std::string> lib_paths;  // searched first for element libraries
    std::string debug_file;              // target of Output::FILE
    // An undocumented parameter is an error rather than a warning.  (SST passes such parameters
    // on silently: a component may hand them to the subcomponents it loads.)
    bool strict_params = false;
    // SST's --run-mode=init: build the components and links, then end (no init, run or statistics).
    bool build_only = false;
};

enum class EndReason {
    QueueEmpty,   // nothing left to do
    StopTime,     // reached stop_at
    PrimaryDone,  // every primary component said OK to end
    Interrupted,  // SIGINT or SIGTERM
};

const char* toString(EndReason reason);

struct RunReport {
    SimTime_t end_time = 0;  // ps
    EndReason reason = EndReason::QueueEmpty;
    uint64_t dispatched = 0;  // events delivered plus clock ticks and other actions
    unsigned init_phases = 0;
    unsigned complete_phases = 0;
    double build_seconds = 0;
    double run_seconds = 0;
    int signal = 0;  // SIGINT or SIGTERM that ended the run (or came while it ended)
};

// Builds the graph's components and links, then runs init, setup, the simulation, complete and
// finish, writes statistics and destroys the components.  Throws ConfigError for configuration
// mistakes (before any component's init runs).  A component's fatal() ends the process.
// While it runs, SIGINT and SIGTERM end the run cleanly: the engine stops before the next
// activity, says "interrupted by ..." on stderr, runs complete and finish and writes statistics,
// and reports the signal (a second one ends the process at once, status 128 + the first).
// One simulation at a time per process.
RunReport runSimulation(const ConfigGraph& graph, const ProgramOptions& options);

}  // namespace SST::Core

#endif

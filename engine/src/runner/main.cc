// qemu-sst: runs an SST Python configuration on the qemu-sst engine.

#include "command_line.h"
#include "python_config.h"

#include "sst_engine/simulation_runner.h"

#include <cstdio>
#include <malloc.h>

#ifndef QEMU_SST_VERSION
#error "QEMU_SST_VERSION must be defined"
#endif

using namespace SST::Core;

#if defined(__SANITIZE_ADDRESS__)
// The embedded CPython and pybind11 keep some allocations until exit by design.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libpython3\nleak:pybind11::detail::get_local_internals\n";
}
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif

int main(int argc, char** argv) {
    // Simulations allocate and free event payloads (e.g. 4 KiB DMA bursts) in waves; glibc's default
    // would hand the heap's top back to the kernel after each wave and fault it in again, page by
    // zeroed page, on the next (a third of a DMA copy's time).  Keep up to 256 MiB of it instead.
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    Runner::CommandLine command_line;
    try {
        command_line = Runner::parseCommandLine(argc, argv);
    } catch (const Runner::UsageError& e) {
        std::fprintf(stderr, "qemu-sst: error: %s (see qemu-sst --help)\n", e.what());
        return 1;
    }
    if (command_line.help) {
        std::printf("%s", Runner::usage().c_str());
        return 0;
    }
    if (command_line.version) {
        std::printf("qemu-sst %s (engine for SST 16 elements)\n", QEMU_SST_VERSION);
        return 0;
    }

    ConfigGraph graph;
    graph.program_options = Runner::initialProgramOptions(command_line);
    bool stop = false;
    if (int rc = Runner::runConfigScript(command_line, graph, &stop); rc != 0 || stop)
        return rc;

    try {
        const ProgramOptions options = Runner::resolveProgramOptions(command_line, graph.program_options);
        // As a shell reports a process a signal ended, though this one ended cleanly.
        if (const RunReport report = runSimulation(graph, options); report.signal != 0)
            return 128 + report.signal;
    } catch (const std::exception& e) {
        // ConfigError's message starts with the config file:line it is about.
        std::fflush(stdout);
        std::fprintf(stderr, "qemu-sst: error: %s\n", e.what());
        return 1;
    }
    return 0;
}

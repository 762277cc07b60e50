#ifndef QEMU_SST_RUNNER_PYTHON_CONFIG_H
#define QEMU_SST_RUNNER_PYTHON_CONFIG_H

#include "command_line.h"

#include "sst_engine/config_graph.h"

namespace SST::Core::Runner {

// Runs the config script in an embedded interpreter, with the built-in `sst` module filling
// graph.  Returns the process exit code: 0 when the script completed, otherwise after printing
// the error (ConfigErrors with their file:line, other exceptions with the Python traceback).
// A script that calls sys.exit(n) yields n, and *stop is set so no simulation runs.
int runConfigScript(const CommandLine& command_line, ConfigGraph& graph, bool* stop);

}  // namespace SST::Core::Runner

#endif

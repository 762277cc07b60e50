#ifndef QEMU_SST_RUNNER_COMMAND_LINE_H
#define QEMU_SST_RUNNER_COMMAND_LINE_H

#include "sst_engine/simulation_runner.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace SST::Core::Runner {

// A command line or program option the runner cannot honour.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// qemu-sst [options] config.py [args for the script...]
struct CommandLine {
    std::string config_path;
    std::vector<std::string> script_args;  // sys.argv[1:]
    std::string model_options;             // split like a shell command, appended to script_args

    // Set only when given on the command line, which wins over sst.setProgramOption().
    std::optional<std::string> stop_at;
    std::optional<std::string> debug_file;
    std::optional<std::string> run_mode;  // init or both
    unsigned verbose = 0;
    bool print_timing = false;
    bool strict_params = false;
    std::vector<std::string> lib_paths;

    bool help = false;
    bool version = false;
};

// Throws UsageError.
CommandLine parseCommandLine(int argc, const char* const* argv);
std::string usage();

// The program options a config sees in sst.getProgramOptions() before it changes any.
std::map<std::string, std::string> initialProgramOptions(const CommandLine& command_line);

// Merges the config's program options with the command line.  Throws UsageError for options
// this engine cannot honour (more than one thread, a core time base other than 1 ps).
ProgramOptions resolveProgramOptions(const CommandLine& command_line,
                                     const std::map<std::string, std::string>& config_options);

}  // namespace SST::Core::Runner

#endif

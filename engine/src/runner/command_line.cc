#include "command_line.h"

#include "sst/core/from_string.h"

#include <cstdio>

namespace SST::Core::Runner {

namespace {

// "--name=value" or "--name value".
bool takeValue(const std::string& arg, const char* name, int& i, int argc, const char* const* argv,
               std::string& value) {
    const std::string option = name;
    if (arg == option) {
        if (i + 1 >= argc)
            throw UsageError(option + " needs a value");
        value = argv[++i];
        return true;
    }
    if (arg.rfind(option + "=", 0) == 0) {
        value = arg.substr(option.size() + 1);
        return true;
    }
    return false;
}

void requireOneThread(const std::string& value) {
    if (value != "1")
        throw UsageError("--num-threads " + value + ": the qemu-sst engine is single-threaded; only 1 is supported");
}

// SST's run modes: "both" (the default) or "init" (construct, then end); "run" restarts from a
// checkpoint, which this engine does not write or read.
bool runModeIsInit(const std::string& value) {
    if (value == "init")
        return true;
    if (value == "both")
        return false;
    if (value == "run")
        throw UsageError("--run-mode run restarts a checkpoint; the qemu-sst engine has no checkpoints");
    throw UsageError("--run-mode " + value + ": expected init or both");
}

void requirePicosecondTimebase(const std::string& value) {
    if (value != "1ps" && value != "1 ps")
        throw UsageError("--timebase " + value + ": the qemu-sst engine's core time base is fixed at 1ps");
}

template <class T>
T convertOption(const char* name, const std::string& value) {
    try {
        return Core::from_string<T>(value);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("program option '") + name + "': " + e.what());
    }
}

}  // namespace

CommandLine parseCommandLine(int argc, const char* const* argv) {
    CommandLine cl;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string value;
        if (arg.empty() || arg[0] != '-')
            break;
        if (arg == "-h" || arg == "--help")
            cl.help = true;
        else if (arg == "-V" || arg == "--version")
            cl.version = true;
        else if (arg == "-v" || arg == "--verbose")
            ++cl.verbose;
        else if (arg.find_first_not_of('v', 1) == std::string::npos && arg.size() > 2)
            cl.verbose += static_cast<unsigned>(arg.size() - 1);  // -vv, -vvv
        else if (arg == "--strict-params")
            cl.strict_params = true;
        else if (arg == "--print-timing-info")
            cl.print_timing = true;
        else if (takeValue(arg, "--stop-at", i, argc, argv, value))
            cl.stop_at = value;
        else if (takeValue(arg, "--model-options", i, argc, argv, value))
            cl.model_options = value;
        else if (takeValue(arg, "--add-lib-path", i, argc, argv, value))
            cl.lib_paths.push_back(value);
        else if (takeValue(arg, "--debug-file", i, argc, argv, value))
            cl.debug_file = value;
        else if (takeValue(arg, "--num-threads", i, argc, argv, value) || takeValue(arg, "-n", i, argc, argv, value))
            requireOneThread(value);
        else if (takeValue(arg, "--run-mode", i, argc, argv, value))
            runModeIsInit(cl.run_mode.emplace(value));  // checked now, to say so before the config runs
        else if (takeValue(arg, "--timebase", i, argc, argv, value))
            requirePicosecondTimebase(value);
        else if (arg == "--") {
            ++i;
            break;
        } else
            throw UsageError("unknown option '" + arg + "'");
    }
    if (cl.help || cl.version)
        return cl;
    if (i >= argc)
        throw UsageError("no configuration file given");
    cl.config_path = argv[i++];
    for (; i < argc; ++i)
        cl.script_args.push_back(argv[i]);
    return cl;
}

std::string usage() {
    return "usage: qemu-sst [options] config.py [args for the config...]\n"
           "\n"
           "Runs an SST Python configuration on the qemu-sst engine (single process, single thread).\n"
           "\n"
           "options:\n"
           "  --stop-at TIME          end the simulation at TIME (e.g. 10us); overrides the config\n"
           "  -v, --verbose           report phases and timing; repeat for more detail\n"
           "  --print-timing-info     print the run's wall-clock time and activity count\n"
           "  --strict-params         an undocumented parameter is an error, not a warning\n"
           "  --model-options \"ARGS\"  extra arguments for the config's sys.argv\n"
           "  --add-lib-path DIR      search DIR for element libraries first (repeatable)\n"
           "  --debug-file FILE       file for Output objects created with Output::FILE\n"
           "  --run-mode MODE         both (default): the whole simulation; init: build the components,\n"
           "                          then end\n"
           "  --num-threads 1         accepted for compatibility; only 1 thread is supported\n"
           "  --timebase 1ps          accepted for compatibility; the core time base is 1ps\n"
           "  -h, --help              show this help\n"
           "  -V, --version           show the version\n"
           "\n"
           "Element libraries lib<name>.so are also searched in $QEMU_SST_LIB_PATH (colon-separated).\n";
}

std::map<std::string, std::string> initialProgramOptions(const CommandLine& cl) {
    return {
        {"stop-at", cl.stop_at.value_or("")},
        {"verbose", std::to_string(cl.verbose)},
        {"print-timing-info", cl.print_timing ? "true" : "false"},
        {"debug-file", cl.debug_file.value_or("")},
        {"num-threads", "1"},
        {"timebase", "1ps"},
        {"run-mode", cl.run_mode.value_or("both")},
    };
}

ProgramOptions resolveProgramOptions(const CommandLine& cl, const std::map<std::string, std::string>& config_options) {
    ProgramOptions options;
    auto configValue = [&](const char* key) {
        auto it = config_options.find(key);
        return it == config_options.end() ? std::string() : it->second;
    };

    options.stop_at = cl.stop_at.value_or(configValue("stop-at"));

    options.verbose = cl.verbose;
    if (const std::string v = configValue("verbose"); !v.empty() && cl.verbose == 0) {
        // A level, or a Python bool (str(True) == "True").
        const std::string lower = v == "True" || v == "true" ? "1" : v == "False" || v == "false" ? "0" : v;
        options.verbose = convertOption<unsigned>("verbose", lower);
    }
    options.print_timing = cl.print_timing;
    if (const std::string v = configValue("print-timing-info"); !v.empty() && !cl.print_timing)
        options.print_timing = convertOption<bool>("print-timing-info", v);

    options.build_only =
        runModeIsInit(cl.run_mode.value_or(configValue("run-mode").empty() ? "both" : configValue("run-mode")));
    options.strict_params = cl.strict_params;
    options.debug_file = cl.debug_file.value_or(configValue("debug-file"));
    options.lib_paths = cl.lib_paths;
    if (const std::string v = configValue("num-threads"); !v.empty())
        requireOneThread(v);
    if (const std::string v = configValue("timebase"); !v.empty())
        requirePicosecondTimebase(v);
    return options;
}

}  // namespace SST::Core::Runner

// The qemu-sst runner end to end: Python configs from configs/ run as separate processes.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Outcome {
    int exit_code;
    std::string out;
    std::string err;
};

std::string slurp(const std::string& path) {
    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

std::string tempPath(const char* stem) {
    std::string path = std::string("/tmp/") + stem + "_XXXXXX";
    const int fd = mkstemp(path.data());
    close(fd);
    return path;
}

// Runs `[env] qemu-sst args` through the shell.
Outcome runQemuSst(const std::string& args, const std::string& env = "") {
    const std::string out = tempPath("runner_out");
    const std::string err = tempPath("runner_err");
    const std::string cmd = env + " " + QEMU_SST_RUNNER + " " + args + " >" + out + " 2>" + err;
    const int status = std::system(cmd.c_str());
    Outcome outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
    std::remove(out.c_str());
    std::remove(err.c_str());
    return outcome;
}

std::string config(const std::string& name) { return std::string(ENGINE_TEST_CONFIGS) + "/" + name; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A config error: exit status 1 and a message naming the config line.
void expectConfigError(const std::string& name, int line, const std::string& message, const std::string& options = "") {
    const Outcome outcome = runQemuSst(options + " " + config(name));
    EXPECT_EQ(outcome.exit_code, 1) << name;
    EXPECT_TRUE(contains(outcome.err, "qemu-sst: error: " + config(name) + ":" + std::to_string(line) + ": "))
        << name << " stderr:\n"
        << outcome.err;
    EXPECT_TRUE(contains(outcome.err, message)) << name << " stderr:\n" << outcome.err;
}

}  // namespace

TEST(Runner, GoodConfigRunsEndToEnd) {
    const Outcome outcome =
        runQemuSst(config("good_source_sink.py") + " one two --model-options 'three \"four five\"'");
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_EQ(outcome.err, "");
    EXPECT_EQ(outcome.out, "argv: one two --model-options three \"four five\"\n"
                           "sink got 0 at 3000 ps\n"
                           "sink got 1 at 4000 ps\n"
                           "sink got 2 at 5000 ps\n"
                           " source.sent : Accumulator : Sum.u64 = 3; SumSQ.u64 = 3; Count.u64 = 3; Min.u64 = 1; "
                           "Max.u64 = 1; \n"
                           " sink.received : Accumulator : Sum.u64 = 3; SumSQ.u64 = 5; Count.u64 = 3; Min.u64 = 0; "
                           "Max.u64 = 2; \n"
                           "Simulation is complete, simulated time: 5 ns\n");
}

TEST(Runner, PortModulesAreInstalledAndConfiguredFromPython) {
    const Outcome outcome = runQemuSst(config("port_module.py"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_EQ(outcome.out, "<sst.PortModule sst.portmodules.random_drop on sink.in[0]>\n"
                           "(3000) sink/in: Dropping event on receive\n"
                           "(4000) sink/in: Dropping event on receive\n"
                           "(5000) sink/in: Dropping event on receive\n"
                           " sink.in.0.dropped : Accumulator : Sum.u64 = 3; SumSQ.u64 = 3; Count.u64 = 3; Min.u64 = 1; "
                           "Max.u64 = 1; \n"
                           "Simulation is complete, simulated time: 5 ns\n");
    expectConfigError("port_module_unknown_port.py", 7, "has no port 'inn'");
}

TEST(Runner, ModelOptionsAreAppendedToArgv) {
    const Outcome outcome =
        runQemuSst("--model-options 'three \"four five\"' " + config("good_source_sink.py") + " one");
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_TRUE(contains(outcome.out, "argv: one three four five\n")) << outcome.out;
}

TEST(Runner, SharedParamSetsReachTheirSubscribers) {
    const Outcome outcome = runQemuSst(config("shared_params.py"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_EQ(outcome.out, "sink got 0 at 3000 ps\n"
                           "sink got 1 at 4000 ps\n"
                           "Simulation is complete, simulated time: 4 ns\n");
}

TEST(Runner, StopAtFromTheConfigAndTheCommandLine) {
    const Outcome from_config = runQemuSst(config("stop_at_option.py"));
    EXPECT_EQ(from_config.exit_code, 0) << from_config.err;
    EXPECT_TRUE(contains(from_config.out, "sink got 3 at 4000 ps\nSimulation is complete, simulated time: 5 ns\n"))
        << from_config.out;

    const Outcome overridden = runQemuSst("--stop-at 3ns " + config("stop_at_option.py"));
    EXPECT_EQ(overridden.exit_code, 0) << overridden.err;
    EXPECT_EQ(overridden.out, "sink got 0 at 1000 ps\nsink got 1 at 2000 ps\n"
                              "Simulation is complete, simulated time: 3 ns\n");
}

TEST(Runner, CsvStatistics) {
    const std::string csv = tempPath("runner_csv");
    const Outcome outcome = runQemuSst(config("csv_statistics.py") + " " + csv);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    const std::string content = slurp(csv);
    std::remove(csv.c_str());
    EXPECT_EQ(
        content,
        "ComponentName,StatisticName,StatisticSubId,StatisticType,SimTime,Rank,Sum.u64,SumSQ.u64,Count.u64,Min.u64,"
        "Max.u64,BinsMinValue.u64,BinsMaxValue.u64,BinWidth.u64,TotalNumBins.u32,NumActiveBins.u32,"
        "NumItemsCollected.u64,NumItemsBinned.u64,NumOutOfBounds-MinValue.u64,NumOutOfBounds-MaxValue.u64,"
        "Bin0:0-1.u64,Bin1:2-3.u64\n"
        "source,sent,,Accumulator,5000,0,4,4,4,1,1,0,0,0,0,0,0,0,0,0,0,0\n"
        "sink,received,,Histogram,5000,0,6,14,0,0,0,0,3,2,2,2,4,4,0,0,2,2\n");
}

TEST(Runner, ConsoleStatisticsWithSimTimeAndRankForOneNamedComponent) {
    const Outcome outcome = runQemuSst(config("console_statistic_options.py"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_EQ(outcome.out, " sink.received : Accumulator : SimTime = 5000; Rank = 0; Sum.u64 = 3; SumSQ.u64 = 5; "
                           "Count.u64 = 3; Min.u64 = 0; Max.u64 = 2; \n"
                           "Simulation is complete, simulated time: 5 ns\n");

    const Outcome unknown = runQemuSst(config("console_statistic_options.py") + " unknown");
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_TRUE(contains(unknown.err, "component name not found in call to enableStatisticForComponentName(): unknown"))
        << unknown.err;
}

// SST's --run-mode=init: the components are built (the config ran), nothing more.
TEST(Runner, RunModeInitBuildsAndEnds) {
    const Outcome outcome = runQemuSst("--run-mode=init " + config("good_source_sink.py"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_EQ(outcome.out, "argv: \nSimulation is complete, simulated time: 0 s\n");

    const Outcome run = runQemuSst("--run-mode run " + config("good_source_sink.py"));
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_TRUE(contains(run.err, "--run-mode run restarts a checkpoint")) << run.err;
    const Outcome bad = runQemuSst("--run-mode=fast " + config("good_source_sink.py"));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_TRUE(contains(bad.err, "--run-mode fast: expected init or both")) << bad.err;
}

TEST(Runner, UnknownParameterIsAnErrorWithStrictParams) {
    expectConfigError("unknown_param.py", 4, "component 'source' (type enginetest.source): unknown parameter 'colour'",
                      "--strict-params");
}

// SST passes undocumented parameters on (a component may hand them to an anonymous
// subcomponent); the run goes on, and the warning still names the line.
TEST(Runner, UnknownParameterIsAWarningByDefault) {
    const Outcome outcome = runQemuSst(config("unknown_param.py"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "qemu-sst: warning: " + config("unknown_param.py") +
                                          ":4: component 'source' (type enginetest.source): unknown parameter "
                                          "'colour'; documented parameters: "))
        << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "--strict-params makes this an error")) << outcome.err;
    EXPECT_TRUE(contains(outcome.out, "sink got 2 at 5000 ps")) << outcome.out;
}

TEST(Runner, MissingRequiredParameter) {
    expectConfigError("missing_required_param.py", 3,
                      "component 'needy' (type enginetest.needs_param) is missing required parameter 'id'");
}

TEST(Runner, ParameterValueThatDoesNotConvert) {
    expectConfigError("bad_param_value.py", 4,
                      "component 'source' (type enginetest.source): parameter 'count' = 'many' is invalid");
}

TEST(Runner, UnknownPort) {
    expectConfigError("unknown_port.py", 6, "component 'sink' (type enginetest.sink) has no port 'input'");
}

TEST(Runner, PortConnectedTwice) {
    expectConfigError("port_connected_twice.py", 7,
                      "port 'out' of component 'source' is already connected (by link "
                      "'first' at " +
                          config("port_connected_twice.py") + ":5)");
}

TEST(Runner, LinkWithOneEnd) { expectConfigError("one_ended_link.py", 5, "link 'dangling' has only one end"); }

TEST(Runner, BadLatency) { expectConfigError("bad_latency.py", 5, "invalid time '1 parsec'"); }

TEST(Runner, UnknownElementListsTheLibrarysElements) {
    expectConfigError("unknown_type.py", 3,
                      "unknown component type 'enginetest.no_such_element': library 'enginetest' (");
    const Outcome outcome = runQemuSst(config("unknown_type.py"));
    EXPECT_TRUE(contains(outcome.err, "libenginetest.so) provides enginetest.fails, enginetest.needs_param, "
                                      "enginetest.sink, enginetest.source"))
        << outcome.err;
}

TEST(Runner, UnknownLibraryListsTheSearchPath) {
    expectConfigError("unknown_library.py", 3,
                      "no element library 'nosuchlibrary': libnosuchlibrary.so is not in any of: ");
    const Outcome outcome = runQemuSst("--add-lib-path /opt/first " + config("unknown_library.py"),
                                       "QEMU_SST_LIB_PATH=/opt/second:/opt/third");
    EXPECT_TRUE(contains(outcome.err, "is not in any of: /opt/first, /opt/second, /opt/third, ")) << outcome.err;
}

TEST(Runner, PythonExceptionShowsTheTraceback) {
    const Outcome outcome = runQemuSst(config("python_exception.py"));
    EXPECT_EQ(outcome.exit_code, 1);
    EXPECT_TRUE(contains(outcome.err, "qemu-sst: error: the configuration script raised an exception:\n"
                                      "Traceback (most recent call last):\n"))
        << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "File \"" + config("python_exception.py") + "\", line 6")) << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "File \"" + config("python_exception.py") + "\", line 4, in helper"))
        << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "KeyError: 'missing'")) << outcome.err;
}

// Python finds these before running a line of the config: there is no traceback to show.
TEST(Runner, SyntaxErrorNamesTheLine) {
    const Outcome outcome = runQemuSst(config("syntax_error.py"));
    EXPECT_EQ(outcome.exit_code, 1);
    EXPECT_EQ(outcome.err.rfind("qemu-sst: error: " + config("syntax_error.py") + ":4: SyntaxError: ", 0), 0u)
        << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "\n    source.addParams({\"count\": 3)\n")) << outcome.err;
    EXPECT_EQ(outcome.out, "");
}

TEST(Runner, IndentationErrorNamesTheLine) {
    const Outcome outcome = runQemuSst(config("indentation_error.py"));
    EXPECT_EQ(outcome.exit_code, 1);
    EXPECT_EQ(outcome.err.rfind("qemu-sst: error: " + config("indentation_error.py") + ":4: IndentationError: ", 0), 0u)
        << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "\n    sst.Component(name, \"enginetest.sink\")\n")) << outcome.err;
}

TEST(Runner, FatalInAConstructorNamesTheComponentAndConfigLine) {
    const Outcome outcome = runQemuSst(config("fails_in_constructor.py"));
    EXPECT_EQ(outcome.exit_code, 3);
    // The component's Output goes to stdout, but a FATAL line is printed once.
    EXPECT_EQ(outcome.out, "WARNING: Building component \"broken\" with no links assigned.\n");
    EXPECT_EQ(outcome.err, "FATAL: cannot start: no device attached\n"
                           "FATAL: while constructing component 'broken' (type enginetest.fails, created at " +
                               config("fails_in_constructor.py") + ":3)\n");
}

// As in SST, such a config runs (it may only compute or print); the warning says there was nothing.
TEST(Runner, ConfigWithoutComponentsWarnsAndCompletes) {
    const Outcome outcome = runQemuSst(config("no_components.py"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_TRUE(contains(outcome.out, "WARNING: No components are assigned to rank: 0.0\n")) << outcome.out;
    // Its stop-at is reached, as SST reaches it.
    EXPECT_TRUE(contains(outcome.out, "Simulation is complete, simulated time: 1 us")) << outcome.out;
}

TEST(Runner, CommandLineMistakes) {
    const Outcome threads = runQemuSst("--num-threads 2 " + config("good_source_sink.py"));
    EXPECT_EQ(threads.exit_code, 1);
    EXPECT_TRUE(contains(threads.err, "--num-threads 2: the qemu-sst engine is single-threaded")) << threads.err;

    const Outcome timebase = runQemuSst("--timebase 1ns " + config("good_source_sink.py"));
    EXPECT_EQ(timebase.exit_code, 1);
    EXPECT_TRUE(contains(timebase.err, "core time base is fixed at 1ps")) << timebase.err;

    const Outcome missing = runQemuSst("/nonexistent/config.py");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(contains(missing.err, "configuration file '/nonexistent/config.py' not found")) << missing.err;

    const Outcome unknown = runQemuSst("--frobnicate " + config("good_source_sink.py"));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_TRUE(contains(unknown.err, "unknown option '--frobnicate'")) << unknown.err;

    const Outcome help = runQemuSst("--help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_TRUE(contains(help.out, "usage: qemu-sst [options] config.py")) << help.out;
}

#include "whole_run_test.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace IntegrationTest {

namespace {

// Generous for a machine busy with other tests; a run that hangs must still end.
constexpr int kRunTimeoutSeconds = 60;

}  // namespace

void WholeRunTest::SetUp() {
    std::string templ = "/tmp/" + dir_prefix_ + "-XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
}

void WholeRunTest::TearDown() { QemuSstTest::removeTestDir(dir_); }

std::string WholeRunTest::writeScript(const std::string& text, const std::string& name) const {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
}

RunResult WholeRunTest::runRunner(const std::vector<std::string>& runner_args) const {
    std::vector<std::string> argv = {QEMU_SST_RUNNER};
    argv.insert(argv.end(), runner_args.begin(), runner_args.end());
    RunResult r = QemuSstTest::runCommand(argv, {"TMPDIR=" + dir_}, kRunTimeoutSeconds);
    EXPECT_FALSE(r.timed_out) << r.output;
    return r;
}

std::vector<std::string> WholeRunTest::runnerArgv(const std::string& script,
                                                  const std::vector<std::string>& config_args,
                                                  const std::vector<std::string>& runner_opts) const {
    std::vector<std::string> args = runner_opts;
    args.insert(args.end(),
                {QEMU_SST_SOURCE_DIR "/tests/integration/" + config_, "--qemu", QEMU_SST_STANDIN, "--script", script});
    args.insert(args.end(), config_args.begin(), config_args.end());
    return args;
}

RunResult WholeRunTest::run(const std::string& script, const std::vector<std::string>& config_args,
                            const std::vector<std::string>& runner_opts) const {
    return runRunner(runnerArgv(script, config_args, runner_opts));
}

void WholeRunTest::startInBackground(QemuSstTest::Background& background, const std::string& script,
                                     const std::vector<std::string>& config_args) const {
    std::vector<std::string> argv = {QEMU_SST_RUNNER};
    const std::vector<std::string> args = runnerArgv(script, config_args, {});
    argv.insert(argv.end(), args.begin(), args.end());
    background.start(argv, {"TMPDIR=" + dir_}, dir_ + "/run.out");
}

void WholeRunTest::expectCleanedUp(const std::string& script) const {
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
        EXPECT_EQ(entry.path().filename().string().rfind("qemu-sst-", 0), std::string::npos)
            << "left behind: " << entry.path();
    }
    for (const auto& proc : std::filesystem::directory_iterator("/proc")) {
        const std::string text = readFile(proc.path() / "cmdline");
        if (text.find(QEMU_SST_STANDIN) != std::string::npos && text.find(script) != std::string::npos) {
            ADD_FAILURE() << "stand-in still running: " << proc.path();
        }
    }
}

void WholeRunTest::expectScriptPasses(const std::string& script_text,
                                      const std::vector<std::string>& config_args) const {
    const RunResult r = run(writeScript(script_text), config_args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

WholeRunTest::StatisticsRun WholeRunTest::runWithStatistics(const std::string& script,
                                                            const std::vector<std::string>& config_args) const {
    const std::string csv = dir_ + "/stats.csv";
    std::vector<std::string> args = config_args;
    args.insert(args.end(), {"--stats-csv", csv});
    RunResult r = run(script, args);
    return {std::move(r), readFile(csv)};
}

}  // namespace IntegrationTest

// What the integration tests share: a fixture for whole runs of the qemu-sst runner with
// qemu-standin in place of QEMU, and reading what such a run leaves behind.
#ifndef QEMU_SST_TESTS_WHOLE_RUN_TEST_H
#define QEMU_SST_TESTS_WHOLE_RUN_TEST_H

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "run_files.h"
#include "subprocess.h"

namespace IntegrationTest {

using QemuSstTest::RunResult;

// Each test gets a private directory: the runs' TMPDIR (so their socket directories can be checked)
// and the place for guest scripts and statistics.  Removed at the end unless
// QEMU_SST_KEEP_TEST_DIRS=1.
class WholeRunTest : public ::testing::Test {
protected:
    // `dir_prefix`: the directory is /tmp/<dir_prefix>-XXXXXX.  `config`: a config in
    // tests/integration that takes --qemu and --script, run by run() with the stand-in as QEMU.
    WholeRunTest(std::string dir_prefix, std::string config)
        : dir_prefix_(std::move(dir_prefix)), config_(std::move(config)) {}

    void SetUp() override;
    void TearDown() override;

    // Writes a stand-in guest script into the test's directory and returns its path.
    std::string writeScript(const std::string& text, const std::string& name = "guest.script") const;

    // Runs `qemu-sst runner_args...` with the test's directory as TMPDIR.
    RunResult runRunner(const std::vector<std::string>& runner_args) const;

    // Runs the fixture's config on `script`; `runner_opts` go to the runner before the config,
    // `config_args` to the config after --qemu and --script.
    RunResult run(const std::string& script, const std::vector<std::string>& config_args = {},
                  const std::vector<std::string>& runner_opts = {}) const;

    // Starts run() in `background`, its output going to run.out in the test's directory.
    void startInBackground(QemuSstTest::Background& background, const std::string& script,
                           const std::vector<std::string>& config_args = {}) const;

    // No private socket directory and no stand-in running `script` outlive a run.
    void expectCleanedUp(const std::string& script) const;

    // Runs the fixture's config on a script with this text, which must pass: the run exits with 0.
    void expectScriptPasses(const std::string& script_text, const std::vector<std::string>& config_args = {}) const;

    struct StatisticsRun {
        RunResult run;
        std::string stats;  // the CSV the run wrote
    };
    // run() with the statistics written to a CSV in the test's directory.
    StatisticsRun runWithStatistics(const std::string& script, const std::vector<std::string>& config_args = {}) const;

    std::string dir_;

private:
    std::vector<std::string> runnerArgv(const std::string& script, const std::vector<std::string>& config_args,
                                        const std::vector<std::string>& runner_opts) const;

    std::string dir_prefix_;
    std::string config_;
};

using QemuSstTest::contains;
using QemuSstTest::csvField;
using QemuSstTest::occurrences;
using QemuSstTest::readFile;

}  // namespace IntegrationTest

#endif

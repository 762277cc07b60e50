// Statistics: enabling rules (explicit, enable-all against the load level), accumulator and
// histogram values, console and CSV output, and the fatal error for undocumented names.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/statapi/stataccumulator.h>
#include <sst/core/statapi/stathistogram.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace SST;
using EngineTest::runQuietly;

namespace {

// In setup, adds every entry of `values` to "count" (sub ids a and b), "latency" and "rare".
// `register_undocumented` registers a name missing from the ELI, which is fatal.
class StatProbe : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(StatProbe, "utest_stat", "probe", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"values", "", "[]"}, {"register_undocumented", "", "false"})
    SST_ELI_DOCUMENT_STATISTICS({"count", "", "events", 1}, {"latency", "", "ps", 2}, {"rare", "", "", 5})

    StatProbe(ComponentId_t id, Params& params) : Component(id) {
        params.find_array("values", values_);
        count_a_ = registerStatistic<uint64_t>("count", "a");
        count_b_ = registerStatistic<uint64_t>("count", "b");
        latency_ = registerStatistic<uint64_t>("latency");
        rare_ = registerStatistic<uint64_t>("rare");
        EXPECT_EQ(registerStatistic<uint64_t>("count", "a"), count_a_);  // the same one again
        if (params.find<bool>("register_undocumented", false))
            registerStatistic<uint64_t>("bogus");
    }

    void setup() override {
        for (uint64_t v : values_) {
            count_a_->addData(v);
            latency_->addData(v);
            rare_->addData(v);
        }
        count_b_->addDataNTimes(3, 7);
    }

private:
    std::vector<uint64_t> values_;
    Statistics::Statistic<uint64_t>* count_a_;
    Statistics::Statistic<uint64_t>* count_b_;
    Statistics::Statistic<uint64_t>* latency_;
    Statistics::Statistic<uint64_t>* rare_;
};

// Adds 1 to "ticks" on each of `cycles` ticks of a 1 GHz clock.
class Ticker : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Ticker, "utest_stat", "ticker", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"cycles", "", "5"})
    SST_ELI_DOCUMENT_STATISTICS({"ticks", "", "", 1})

    Ticker(ComponentId_t id, Params& params) : Component(id) {
        cycles_ = params.find<Cycle_t>("cycles", 5);
        ticks_ = registerStatistic<uint64_t>("ticks");
        registerClock("1GHz", new Clock::Handler<Ticker, &Ticker::tick>(this));
    }

private:
    bool tick(Cycle_t cycle) {
        ticks_->addData(1);
        return cycle == cycles_;
    }

    Cycle_t cycles_;
    Statistics::Statistic<uint64_t>* ticks_;
};

Core::ConfigGraph probeGraph(const std::string& values) {
    Core::ConfigGraph graph;
    graph.addComponent("probe", "utest_stat.probe").addParam("values", values);
    return graph;
}

std::string runCapturingStdout(const Core::ConfigGraph& graph) {
    testing::internal::CaptureStdout();
    runQuietly(graph);
    return EngineTest::withoutLinklessWarnings(testing::internal::GetCapturedStdout());
}

Params histogramParams() {
    Params p;
    p.insert("type", "sst.HistogramStatistic");
    p.insert("minvalue", "10");
    p.insert("binwidth", "10");
    p.insert("numbins", "3");
    return p;
}

}  // namespace

TEST(Statistics, ExplicitlyEnabledAccumulatorPrintsToTheConsole) {
    Core::ConfigGraph graph = probeGraph("[1, 2, 3]");
    graph.component(0).enableStatistic("count", Params());
    EXPECT_EQ(
        runCapturingStdout(graph),
        " probe.count.a : Accumulator : Sum.u64 = 6; SumSQ.u64 = 14; Count.u64 = 3; Min.u64 = 1; Max.u64 = 3; \n"
        " probe.count.b : Accumulator : Sum.u64 = 21; SumSQ.u64 = 147; Count.u64 = 3; Min.u64 = 7; Max.u64 = 7; \n");
}

TEST(Statistics, EnableAllHonoursTheLoadLevel) {
    Core::ConfigGraph quiet = probeGraph("[4]");
    quiet.enableAllStatisticsForAllComponents(Params());
    EXPECT_EQ(runCapturingStdout(quiet), "");  // load level 0 enables nothing

    Core::ConfigGraph graph = probeGraph("[4]");
    graph.statistic_output.load_level = 2;
    graph.enableAllStatisticsForComponentType("utest_stat.probe", Params());
    const std::string out = runCapturingStdout(graph);
    EXPECT_NE(out.find(" probe.count.a : Accumulator : Sum.u64 = 4;"), std::string::npos);
    EXPECT_NE(out.find(" probe.latency : Accumulator : Sum.u64 = 4;"), std::string::npos);
    EXPECT_EQ(out.find("rare"), std::string::npos);  // level 5 > 2

    Core::ConfigGraph per_component = probeGraph("[4]");
    per_component.component(0).statistic_load_level = 5;
    per_component.component(0).enableAllStatistics(Params());
    EXPECT_NE(runCapturingStdout(per_component).find(" probe.rare : Accumulator"), std::string::npos);
}

TEST(Statistics, HistogramCountsValuesIntoBins) {
    Core::ConfigGraph graph = probeGraph("[5, 10, 19, 25, 39, 40, 41]");
    graph.enableStatisticForComponentType("utest_stat.probe", "latency", histogramParams());
    EXPECT_EQ(
        runCapturingStdout(graph),
        " probe.latency : Histogram : BinsMinValue.u64 = 10; BinsMaxValue.u64 = 39; BinWidth.u64 = 10; "
        "TotalNumBins.u32 = 3; Sum.u64 = 179; SumSQ.u64 = 5913; NumActiveBins.u32 = 3; NumItemsCollected.u64 = 7; "
        "NumItemsBinned.u64 = 4; NumOutOfBounds-MinValue.u64 = 1; NumOutOfBounds-MaxValue.u64 = 2; "
        "Bin0:10-19.u64 = 2; Bin1:20-29.u64 = 1; Bin2:30-39.u64 = 1; \n");
}

TEST(Statistics, CsvOutputHasAHeaderAndOneRowPerStatistic) {
    char path[] = "/tmp/engine_stats_XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);

    Core::ConfigGraph graph = probeGraph("[1, 2]");
    graph.statistic_output.type = "sst.statOutputCSV";
    graph.statistic_output.params.insert("filepath", path);
    graph.component(0).enableStatistic("count", Params());
    Params small = histogramParams();
    small.insert("numbins", "1");
    small.insert("minvalue", "0");
    graph.component(0).enableStatistic("latency", small);
    runQuietly(graph);

    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    std::remove(path);
    EXPECT_EQ(
        content.str(),
        "ComponentName, StatisticName, StatisticSubId, StatisticType, SimTime, Rank, Sum.u64, SumSQ.u64, Count.u64, "
        "Min.u64, Max.u64, BinsMinValue.u64, BinsMaxValue.u64, BinWidth.u64, TotalNumBins.u32, NumActiveBins.u32, "
        "NumItemsCollected.u64, NumItemsBinned.u64, NumOutOfBounds-MinValue.u64, NumOutOfBounds-MaxValue.u64, "
        "Bin0:0-9.u64\n"
        "probe, count, a, Accumulator, 0, 0, 3, 5, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0\n"
        "probe, count, b, Accumulator, 0, 0, 21, 147, 3, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0\n"
        "probe, latency, , Histogram, 0, 0, 3, 5, 0, 0, 0, 0, 9, 10, 1, 1, 2, 2, 0, 0, 2\n");
}

TEST(Statistics, RateWritesPeriodicallyWhileTheSimulationRuns) {
    Core::ConfigGraph graph;
    Params params;
    params.insert("rate", "2ns");
    graph.addComponent("ticker", "utest_stat.ticker").enableStatistic("ticks", params);
    const std::string line = " ticker.ticks : Accumulator : Sum.u64 = ";
    // At 2 ns and 4 ns, then at the end (5 ns).
    EXPECT_EQ(runCapturingStdout(graph), line + "2; SumSQ.u64 = 2; Count.u64 = 2; Min.u64 = 1; Max.u64 = 1; \n" + line +
                                             "4; SumSQ.u64 = 4; Count.u64 = 4; Min.u64 = 1; Max.u64 = 1; \n" + line +
                                             "5; SumSQ.u64 = 5; Count.u64 = 5; Min.u64 = 1; Max.u64 = 1; \n");
}

TEST(Statistics, UnknownStatisticOutputIsAConfigError) {
    Core::ConfigGraph graph = probeGraph("[]");
    graph.statistic_output.type = "sst.statOutputXML";
    EXPECT_THROW(runQuietly(graph), Core::ConfigError);
}

TEST(StatisticsDeathTest, RegisteringAnUndocumentedStatisticIsFatal) {
    Core::ConfigGraph graph = probeGraph("[]");
    graph.component(0).addParam("register_undocumented", "true");
    EXPECT_EXIT(
        runQuietly(graph), testing::ExitedWithCode(1),
        "component 'probe' \\(type utest_stat.probe\\).*statistic 'bogus' is not in SST_ELI_DOCUMENT_STATISTICS.*"
        "documented: count, latency, rare");
}

TEST(StatisticsDeathTest, UnknownStatisticTypeIsFatal) {
    Core::ConfigGraph graph = probeGraph("[]");
    Params params;
    params.insert("type", "sst.MagicStatistic");
    graph.component(0).enableStatistic("latency", params);
    EXPECT_EXIT(runQuietly(graph), testing::ExitedWithCode(1), "unknown statistic type 'sst.MagicStatistic'");
}

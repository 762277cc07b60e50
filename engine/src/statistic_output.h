#ifndef QEMU_SST_ENGINE_STATISTIC_OUTPUT_H
#define QEMU_SST_ENGINE_STATISTIC_OUTPUT_H

#include "sst/core/statapi/statbase.h"
#include "sst_engine/config_graph.h"

#include <memory>
#include <vector>

namespace SST::Core {

// Where statistic values go: sst.statOutputConsole (stdout, one line per statistic) or
// sst.statOutputCSV (params filepath, separator).
class StatisticOutput {
public:
    // Throws ConfigError for an unknown type or a file that cannot be opened.
    static std::unique_ptr<StatisticOutput> create(const StatisticOutputConfig& config);

    virtual ~StatisticOutput() = default;
    virtual void write(const std::vector<Statistics::StatisticBase*>& stats, SimTime_t now) = 0;
    virtual void flush() = 0;
};

}  // namespace SST::Core

#endif

#ifndef SST_CORE_STATAPI_STATFACTORY_H
#define SST_CORE_STATAPI_STATFACTORY_H

#include "sst/core/statapi/stataccumulator.h"
#include "sst/core/statapi/stathistogram.h"
#include "sst/core/statapi/statnull.h"

#include <string>
#include <type_traits>

namespace SST::Statistics {

// Statistic types a configuration can select with {"type": ...}.
inline constexpr const char* kBuiltinStatisticTypes =
    "sst.AccumulatorStatistic, sst.HistogramStatistic, sst.NullStatistic";

// nullptr when type names no statistic that can hold T.
template <class T>
Statistic<T>* createBuiltinStatistic(const std::string& type, BaseComponent* comp, const std::string& stat_name,
                                     const std::string& stat_sub_id, Params& stat_params) {
    if (type == "sst.NullStatistic")
        return new NullStatistic<T>(comp, stat_name, stat_sub_id, stat_params);
    if constexpr (std::is_arithmetic_v<T>) {
        if (type == "sst.AccumulatorStatistic")
            return new AccumulatorStatistic<T>(comp, stat_name, stat_sub_id, stat_params);
        if (type == "sst.HistogramStatistic")
            return new HistogramStatistic<T>(comp, stat_name, stat_sub_id, stat_params);
    }
    return nullptr;
}

}  // namespace SST::Statistics

#endif

#ifndef SST_CORE_TIMECONVERTER_H
#define SST_CORE_TIMECONVERTER_H

#include "sst/core/serialization/serializer.h"
#include "sst/core/sst_types.h"
#include "sst/core/unitAlgebra.h"

#include <string>

namespace SST {

namespace Core {
struct TimeConverterAccess;
}

// A time base: converts between a component's unit of time (e.g. cycles of a 1 GHz clock) and
// the core's 1 ps unit.  Cheap to copy.  Built from a period ("1ns") or a frequency ("1GHz");
// the period must be a whole, non-zero number of picoseconds, otherwise std::invalid_argument.
class TimeConverter {
public:
    TimeConverter() = default;  // uninitialized: factor 0
    TimeConverter(const std::string& time);
    TimeConverter(const char* time) : TimeConverter(std::string(time)) {}
    TimeConverter(const UnitAlgebra& time);

    SimTime_t convertToCoreTime(SimTime_t time) const { return time * factor_; }
    // Truncates.
    SimTime_t convertFromCoreTime(SimTime_t time) const { return time / factor_; }
    SimTime_t getFactor() const { return factor_; }
    UnitAlgebra getPeriod() const;

    void reset() { factor_ = 0; }
    bool isInitialized() const { return factor_ != 0; }
    explicit operator bool() const { return factor_ != 0; }

    void serialize_order(SST::Core::Serialization::serializer& ser) { SST_SER(factor_); }

private:
    friend struct Core::TimeConverterAccess;
    explicit TimeConverter(SimTime_t factor) : factor_(factor) {}

    SimTime_t factor_ = 0;
};

}  // namespace SST

#endif

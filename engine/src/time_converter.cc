#include "sst/core/timeConverter.h"

#include <stdexcept>

namespace SST {

namespace {

SimTime_t picosecondsOf(const UnitAlgebra& time, const std::string& text) {
    UnitAlgebra period = time;
    if (period.hasUnits("Hz")) {
        if (period.isValueZero())
            throw std::invalid_argument("a clock of '" + text + "' has no period");
        period.invert();
    }
    if (!period.hasUnits("s"))
        throw std::invalid_argument("'" + text + "' is not a time or a frequency");
    const Core::Rational ps = period.getValue() * Core::Rational(1000000000000LL);
    if (!ps.isInteger())
        throw std::invalid_argument("'" + text + "' is not a whole number of picoseconds (the core time base is 1 ps)");
    if (ps <= Core::Rational(0))
        throw std::invalid_argument("the period '" + text + "' must be greater than zero");
    return ps.toUnsignedLong();
}

}  // namespace

TimeConverter::TimeConverter(const std::string& time) {
    try {
        factor_ = picosecondsOf(UnitAlgebra(time), time);
    } catch (const UnitAlgebra::UnitAlgebraException& e) {
        throw std::invalid_argument("invalid time '" + time + "': " + e.what());
    }
}

TimeConverter::TimeConverter(const UnitAlgebra& time) : factor_(picosecondsOf(time, time.toString())) {}

UnitAlgebra TimeConverter::getPeriod() const { return UnitAlgebra("1ps") * factor_; }

}  // namespace SST

#ifndef QEMU_SST_ENGINE_TIME_CONVERTER_ACCESS_H
#define QEMU_SST_ENGINE_TIME_CONVERTER_ACCESS_H

#include "sst/core/timeConverter.h"

namespace SST::Core {

// TimeConverter's factor constructor is private (as in SST); the engine builds them from
// factors it already validated.
struct TimeConverterAccess {
    static TimeConverter fromFactor(SimTime_t factor) { return TimeConverter(factor); }
};

}  // namespace SST::Core

#endif

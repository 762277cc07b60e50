#ifndef SST_CORE_SST_TYPES_H
#define SST_CORE_SST_TYPES_H

#include <cinttypes>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace SST {

using ComponentId_t = uint64_t;
using StatisticId_t = uint64_t;
using LinkId_t = uint64_t;
using HandlerId_t = uint64_t;
using Cycle_t = uint64_t;
using SimTime_t = uint64_t;  // picoseconds of simulated time in this engine
using Time_t = double;

#define PRI_SIMTIME PRIu64

// A port module: the port it sits on and its index among that port's modules.
using PortModuleId_t = std::pair<std::string, size_t>;

// What a tool attached to a link or handler is told about where it was attached; the concrete
// type depends on the attach point (EventHandlerMetaData for links and event handlers).
struct AttachPointMetaData {
    AttachPointMetaData() = default;
    virtual ~AttachPointMetaData() = default;
};

constexpr SimTime_t MAX_SIMTIME_T = std::numeric_limits<SimTime_t>::max();
constexpr ComponentId_t UNSET_COMPONENT_ID = std::numeric_limits<ComponentId_t>::max();

#ifndef LIKELY
#define LIKELY(x) __builtin_expect((int)(x), 1)
#define UNLIKELY(x) __builtin_expect((int)(x), 0)
#endif

}  // namespace SST

#endif

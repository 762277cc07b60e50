// An extension of the embedded engine that sst-core's element API does not have: when the engine's
// next activity (event delivery, clock tick, ...) is due.  The bridge (qemubinary.QEMUBinary) uses it
// to let QEMU run exactly up to that time, so what a device does then reaches the guest at its own
// time.  Elements test for it with __has_include(<sst_engine/next_activity.h>); under sst-core
// they do without.
#ifndef SST_ENGINE_NEXT_ACTIVITY_H
#define SST_ENGINE_NEXT_ACTIVITY_H

#include "sst/core/sst_types.h"

namespace SST::Core {

// Core time of the earliest queued activity (at or after the current time), or MAX_SIMTIME_T when
// none is queued.  Only while the simulation runs.
SimTime_t nextActivityTime();

}  // namespace SST::Core

#endif

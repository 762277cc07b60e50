#ifndef SST_CORE_SIMULATION_H
#define SST_CORE_SIMULATION_H

namespace SST {

// Ends the process at once with exit_code, after flushing stdio and open statistic outputs.
// Components are not destroyed: those that own child processes must clean up on their own.
[[noreturn]] void SST_Exit(int exit_code);

}  // namespace SST

#endif

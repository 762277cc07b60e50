#ifndef SST_CORE_COMPONENTINFO_H
#define SST_CORE_COMPONENTINFO_H

#include <cstdint>

namespace SST {

// The share flags of SST's loadUserSubComponent / loadAnonymousSubComponent.  (The engine's own
// record of a component is SST::Core::ComponentInfo, which elements never see.)
class ComponentInfo {
public:
    // The subcomponent may configure ports of its parent that the configuration connected.
    static constexpr uint64_t SHARE_PORTS = 0x1;
    // A statistic the subcomponent does not document may be one of its parent's, with the
    // parent's settings.
    static constexpr uint64_t SHARE_STATS = 0x2;
    // Statistics the configuration did not enable on the subcomponent are the parent's (they
    // print under the parent's name, shared by every subcomponent that inserts them).
    static constexpr uint64_t INSERT_STATS = 0x4;
    static constexpr uint64_t SHARE_NONE = 0x0;
};

}  // namespace SST

#endif

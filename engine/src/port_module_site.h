#ifndef QEMU_SST_ENGINE_PORT_MODULE_SITE_H
#define QEMU_SST_ENGINE_PORT_MODULE_SITE_H

#include "sst/core/eli/elementinfo.h"
#include "sst_engine/config_graph.h"

#include <cstddef>
#include <string>

namespace SST {
class BaseComponent;
}

namespace SST::Core {

// The port a PortModule is being built for: set by the engine around the module's constructor,
// which takes only Params, as in SST.
struct PortModuleSite {
    BaseComponent* component;  // the (sub)component configuring the port
    std::string port;
    size_t index;  // among the port's modules
    const ConfigPortModule* config;
    const ComponentDescription* description;

    static const PortModuleSite* current;
};

}  // namespace SST::Core

#endif

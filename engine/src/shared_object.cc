#include "engine.h"

#include "sst/core/baseComponent.h"
#include "sst/core/shared/sharedObject.h"

namespace SST::Shared::Private {

Output& getSimulationOutput() { return BaseComponent::getSimulationOutput(); }

SharedObjectDataManager& getManager() {
    Core::Engine* engine = Core::Engine::current();
    if (engine == nullptr)
        getSimulationOutput().fatal(CALL_INFO, 1,
                                    "ERROR: shared objects exist only while a simulation is built or run\n");
    return engine->sharedObjects();
}

}  // namespace SST::Shared::Private

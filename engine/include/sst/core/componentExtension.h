#ifndef SST_CORE_COMPONENTEXTENSION_H
#define SST_CORE_COMPONENTEXTENSION_H

#include "sst/core/baseComponent.h"

namespace SST {

// Part of a component written as a separate class (BaseComponent::loadComponentExtension): it
// acts as the component itself, with its ports, clocks, statistics and name.
class ComponentExtension : public BaseComponent {
public:
    explicit ComponentExtension(ComponentId_t id) : BaseComponent(id, ExtensionTag{}) {}
    ComponentExtension() = default;  // for SST's checkpoint restart; never used by this engine
    ~ComponentExtension() override = default;

    void serialize_order(SST::Core::Serialization::serializer& ser) override { BaseComponent::serialize_order(ser); }
};

}  // namespace SST

#endif

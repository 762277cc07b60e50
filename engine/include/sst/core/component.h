#ifndef SST_CORE_COMPONENT_H
#define SST_CORE_COMPONENT_H

#include "sst/core/baseComponent.h"
#include "sst/core/eli/elementinfo.h"
#include "sst/core/sst_types.h"

namespace SST {

// Base of every component.  Element classes are constructed as
//   MyComp(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) { ... }
class Component : public BaseComponent {
public:
    explicit Component(ComponentId_t id) : BaseComponent(id) {}
    ~Component() override = default;

    void serialize_order(SST::Core::Serialization::serializer& ser) override { BaseComponent::serialize_order(ser); }

protected:
    Component() = default;  // for SST's checkpoint restart; never used by this engine
};

}  // namespace SST

// Inside the class body.  Registers the class as "lib.name" when its library is loaded (or, for
// classes linked into an executable, at program start), with the ELI lists documented in the
// class.  Trailing arguments (SST's optional base class) are accepted and ignored.
#define SST_ELI_REGISTER_COMPONENT(cls, lib, name, version, desc, cat, ...) \
    using QemuSstEliRegSelf = cls;                                          \
    static const char* ELI_getLibrary() { return lib; }                     \
    static const char* ELI_getName() { return name; }                       \
    static const char* ELI_getDescription() { return desc; }                \
    static inline const bool ELI_registered_ =                              \
        ::SST::Core::registerComponentType<cls>(lib, name, ::SST::Core::ElementVersion version, desc, cat);

#endif

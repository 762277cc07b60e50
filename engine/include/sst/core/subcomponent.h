#ifndef SST_CORE_SUBCOMPONENT_H
#define SST_CORE_SUBCOMPONENT_H

#include "sst/core/baseComponent.h"
#include "sst/core/component.h"

#include <tuple>

namespace SST {

// Base of every subcomponent: a BaseComponent that a component (or another subcomponent) loads
// into one of its slots, by the slot's API class.  The engine does not call a subcomponent's
// init, setup, complete or finish; its parent does, as in SST.
class SubComponent : public BaseComponent {
public:
    explicit SubComponent(ComponentId_t id) : BaseComponent(id) {}
    SubComponent() = default;  // for SST's checkpoint restart; never used by this engine
    ~SubComponent() override = default;

    void serialize_order(SST::Core::Serialization::serializer& ser) override { BaseComponent::serialize_order(ser); }
};

namespace Core {

// Registers T as a subcomponent loadable through API (and any API API derives from).
template <class T, class API>
bool registerSubComponentType(const char* library, const char* name, ElementVersion version, const char* description) {
    using Args = typename API::QemuSstEliApiArgs;
    ComponentDescription d = describeElement<T>(library, name, version, description);
    d.kind = ElementKind::SubComponent;
    d.args_type = &typeid(Args);
    d.create_with_args = [](ComponentId_t id, Params& params, void* args) -> void* {
        BaseComponent* created = std::apply([&](auto&... a) -> BaseComponent* { return new T(id, params, a...); },
                                            *static_cast<Args*>(args));
        return created;
    };
    return registerComponent(std::move(d));
}

}  // namespace Core
}  // namespace SST

// An API: the class a slot names, whose subcomponents take (id, params, extra args...).
#define SST_ELI_REGISTER_SUBCOMPONENT_API(cls, ...) \
    using QemuSstEliBaseSelf = cls;                 \
    using QemuSstEliBaseParent = void;              \
    using QemuSstEliApiArgs = std::tuple<__VA_ARGS__>;

#define SST_ELI_REGISTER_SUBCOMPONENT_DERIVED_API(cls, base, ...) \
    using QemuSstEliBaseSelf = cls;                               \
    using QemuSstEliBaseParent = base;                            \
    using QemuSstEliApiArgs = std::tuple<__VA_ARGS__>;

#define SST_ELI_REGISTER_SUBCOMPONENT(cls, lib, name, version, desc, interface) \
    using QemuSstEliRegSelf = cls;                                              \
    static const char* ELI_getLibrary() { return lib; }                         \
    static const char* ELI_getName() { return name; }                           \
    static const char* ELI_getDescription() { return desc; }                    \
    static inline const bool ELI_registered_ =                                  \
        ::SST::Core::registerSubComponentType<cls, interface>(lib, name, ::SST::Core::ElementVersion version, desc);

#endif

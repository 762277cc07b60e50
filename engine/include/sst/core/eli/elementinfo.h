#ifndef SST_CORE_ELI_ELEMENTINFO_H
#define SST_CORE_ELI_ELEMENTINFO_H

#include "sst/core/sst_types.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#define COMPONENT_CATEGORY_UNCATEGORIZED 0x00
#define COMPONENT_CATEGORY_PROCESSOR 0x01
#define COMPONENT_CATEGORY_MEMORY 0x02
#define COMPONENT_CATEGORY_NETWORK 0x04
#define COMPONENT_CATEGORY_SYSTEM 0x08

namespace SST {

class Component;
class Params;

struct ElementInfoStatistic {
    const char* name;
    const char* description;
    const char* units;
    const uint8_t enable_level;  // enabled by enable-all when <= the statistic load level
};

struct ElementInfoParam {
    const char* name;  // may contain %d, matching any decimal number
    const char* description;
    const char* defaultValue;  // nullptr: the parameter is required
};

struct ElementInfoPort {
    const char* name;  // may contain %d, matching any decimal number
    const char* description;
    const std::vector<std::string> validEvents;
};

struct ElementInfoSubComponentSlot {
    const char* name;
    const char* description;
    const char* superclass;
};

struct ElementInfoAttribute {
    const char* name;
    const char* value;
};

namespace Core {

struct ElementVersion {
    unsigned major = 0;
    unsigned minor = 0;
    unsigned tertiary = 0;
};

using ComponentFactory = Component* (*)(ComponentId_t id, Params& params);

enum class ElementKind { Component, SubComponent, Module, PortModule };

// Everything the engine needs to know about one element type: how to build it and what it
// documents, which is what configurations are checked against.
struct ComponentDescription {
    std::string library;
    std::string name;
    std::string description;
    ElementVersion version;
    uint32_t category = COMPONENT_CATEGORY_UNCATEGORIZED;
    ComponentFactory create = nullptr;  // components
    std::vector<ElementInfoParam> params;
    std::vector<ElementInfoPort> ports;
    std::vector<ElementInfoStatistic> statistics;
    std::vector<ElementInfoSubComponentSlot> subcomponent_slots;
    ElementKind kind = ElementKind::Component;
    std::string alias;  // a second name in the same library ("" if none)
    // SubComponents and Modules: built with the API's extra constructor arguments, passed as a
    // pointer to a std::tuple of them; args_type names that tuple so a load with other
    // arguments is refused rather than misread.
    void* (*create_with_args)(ComponentId_t id, Params& params, void* args) = nullptr;
    const std::type_info* args_type = nullptr;
};

// Adds "library.name" to the engine's registry.  A second registration of the same name (the
// same class compiled into two libraries) is ignored.  Always returns true.
bool registerComponent(ComponentDescription description);

template <class T>
Component* createComponent(ComponentId_t id, Params& params) {
    return new T(id, params);
}

// ELI inheritance, as in SST: a class's documented lists extend those of the class it derives
// its ELI from, and an entry whose description is nullptr (SST_ELI_DELETE_*) removes the
// inherited entry of that name.  The registration and API macros record which class they were
// written in (QemuSstEliRegSelf, QemuSstEliBaseSelf) and the API's parent; the more derived of
// the two is the documenting class.
namespace Eli {

template <class Reg, class Base, class BaseParent>
struct ParentOf {
    using type = std::conditional_t<
        std::is_void_v<Reg>, BaseParent,
        std::conditional_t<
            std::is_void_v<Base>, void,
            std::conditional_t<std::is_same_v<Reg, Base> || !std::is_base_of_v<Base, Reg>, BaseParent, Base>>>;
};

template <class T, class Get>
auto inherited(Get get) -> decltype(get(static_cast<T*>(nullptr))) {
    if constexpr (std::is_void_v<T>)
        return {};
    else
        return get(static_cast<T*>(nullptr));
}

template <class Info>
std::vector<Info> combine(const std::vector<Info>& parent, std::initializer_list<Info> own) {
    std::vector<Info> result;
    auto overridden = [&](const Info& p) {
        for (const Info& o : own)
            if (std::string(o.name) == p.name)
                return true;
        return false;
    };
    for (const Info& p : parent)
        if (!overridden(p))
            result.push_back(p);
    for (const Info& o : own)
        if (o.description != nullptr)
            result.push_back(o);
    return result;
}

}  // namespace Eli

// The ELI lists are optional members of an element class, picked up when present.  (Built by
// copy construction: ElementInfoPort and ElementInfoStatistic have const members, as in SST.)
template <class T>
std::vector<ElementInfoParam> eliParams() {
    if constexpr (requires { T::ELI_getParams(); })
        return T::ELI_getParams();
    return {};
}
template <class T>
std::vector<ElementInfoPort> eliPorts() {
    if constexpr (requires { T::ELI_getPorts(); })
        return T::ELI_getPorts();
    return {};
}
template <class T>
std::vector<ElementInfoStatistic> eliStatistics() {
    if constexpr (requires { T::ELI_getStatistics(); })
        return T::ELI_getStatistics();
    return {};
}
template <class T>
std::vector<ElementInfoSubComponentSlot> eliSubComponentSlots() {
    if constexpr (requires { T::ELI_getSubComponentSlots(); })
        return T::ELI_getSubComponentSlots();
    return {};
}
template <class T>
std::string eliAlias() {
    if constexpr (requires { T::ELI_getAlias(); })
        return T::ELI_getAlias();
    return "";
}

template <class T>
ComponentDescription describeElement(const char* library, const char* name, ElementVersion version,
                                     const char* description) {
    ComponentDescription d;
    d.library = library;
    d.name = name;
    d.description = description;
    d.version = version;
    d.params = eliParams<T>();
    d.ports = eliPorts<T>();
    d.statistics = eliStatistics<T>();
    d.subcomponent_slots = eliSubComponentSlots<T>();
    d.alias = eliAlias<T>();
    return d;
}

// Runs during static initialization of the library or executable that contains T.
template <class T>
bool registerComponentType(const char* library, const char* name, ElementVersion version, const char* description,
                           uint32_t category) {
    ComponentDescription d = describeElement<T>(library, name, version, description);
    d.category = category;
    d.create = &createComponent<T>;
    return registerComponent(std::move(d));
}

}  // namespace Core
}  // namespace SST

#define SST_ELI_ELEMENT_VERSION(...) \
    { __VA_ARGS__ }

// The class whose ELI a DOCUMENT macro extends (void: none).
#define QEMU_SST_ELI_PARENT \
    typename ::SST::Core::Eli::ParentOf<QemuSstEliRegSelf, QemuSstEliBaseSelf, QemuSstEliBaseParent>::type

#define QEMU_SST_ELI_DOCUMENT(Info, getter, ...)                                                \
    static const std::vector<Info>& getter() {                                                  \
        static const std::vector<Info> eli_list = ::SST::Core::Eli::combine<Info>(              \
            ::SST::Core::Eli::inherited<QEMU_SST_ELI_PARENT>([](auto* p) -> std::vector<Info> { \
                using P = std::remove_pointer_t<decltype(p)>;                                   \
                if constexpr (requires { P::getter(); })                                        \
                    return P::getter();                                                         \
                else                                                                            \
                    return {};                                                                  \
            }),                                                                                 \
            {__VA_ARGS__});                                                                     \
        return eli_list;                                                                        \
    }

#define SST_ELI_DOCUMENT_PARAMS(...) QEMU_SST_ELI_DOCUMENT(SST::ElementInfoParam, ELI_getParams, __VA_ARGS__)
#define SST_ELI_DOCUMENT_PORTS(...) QEMU_SST_ELI_DOCUMENT(SST::ElementInfoPort, ELI_getPorts, __VA_ARGS__)
#define SST_ELI_DOCUMENT_STATISTICS(...) \
    QEMU_SST_ELI_DOCUMENT(SST::ElementInfoStatistic, ELI_getStatistics, __VA_ARGS__)
#define SST_ELI_DOCUMENT_SUBCOMPONENT_SLOTS(...) \
    QEMU_SST_ELI_DOCUMENT(SST::ElementInfoSubComponentSlot, ELI_getSubComponentSlots, __VA_ARGS__)

#define SST_ELI_DELETE_PARAM(param) \
    { param, nullptr, nullptr }
#define SST_ELI_DELETE_PORT(port) \
    {                             \
        port, nullptr, {}         \
    }
#define SST_ELI_DELETE_STAT(stat) \
    { stat, nullptr, nullptr, 0 }
#define SST_ELI_DELETE_SUBCOMPONENT_SLOT(slot) \
    { slot, nullptr, nullptr }

// Documentation only: accepted and not used by this engine.
#define SST_ELI_DOCUMENT_ATTRIBUTES(...)                                                    \
    static const std::vector<SST::ElementInfoAttribute>& ELI_getAttributes() {              \
        static const std::vector<SST::ElementInfoAttribute> eli_attributes = {__VA_ARGS__}; \
        return eli_attributes;                                                              \
    }
#define SST_ELI_DELETE_ATTRIBUTE(attribute) \
    { attribute, nullptr }
#define SST_ELI_DOCUMENT_PROFILE_POINTS(...)
// The engine never checkpoints, so whether an element could is only recorded.
#define SST_ELI_IS_CHECKPOINTABLE() \
    static constexpr bool ELI_isCheckpointable() { return true; }

// A second name for the element registered in this class, in the same library.
#define SST_ELI_REGISTER_ALIAS(alias) \
    static const char* ELI_getAlias() { return alias; }

// A base class that documents ELI for components derived from it.
#define SST_ELI_REGISTER_COMPONENT_BASE(cls) \
    using QemuSstEliBaseSelf = cls;          \
    using QemuSstEliBaseParent = void;
#define SST_ELI_REGISTER_COMPONENT_DERIVED_BASE(cls, base) \
    using QemuSstEliBaseSelf = cls;                        \
    using QemuSstEliBaseParent = base;

#endif

#ifndef SST_CORE_ELI_ELEMENTINFO_H
#define SST_CORE_ELI_ELEMENTINFO_H

#include "sst/core/sst_types.h"

#include <cstdint>
#include <string>
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

namespace Core {

struct ElementVersion {
    unsigned major = 0;
    unsigned minor = 0;
    unsigned tertiary = 0;
};

using ComponentFactory = Component* (*)(ComponentId_t id, Params& params);

// Everything the engine needs to know about one component type: how to build it and what it
// documents, which is what configurations are checked against.
struct ComponentDescription {
    std::string library;
    std::string name;
    std::string description;
    ElementVersion version;
    uint32_t category = COMPONENT_CATEGORY_UNCATEGORIZED;
    ComponentFactory create = nullptr;
    std::vector<ElementInfoParam> params;
    std::vector<ElementInfoPort> ports;
    std::vector<ElementInfoStatistic> statistics;
    std::vector<ElementInfoSubComponentSlot> subcomponent_slots;
};

// Adds "library.name" to the engine's registry.  A second registration of the same name (the
// same class compiled into two libraries) is ignored.  Always returns true.
bool registerComponent(ComponentDescription description);

template <class T>
Component* createComponent(ComponentId_t id, Params& params) {
    return new T(id, params);
}

// The ELI lists are optional members of a component class, picked up when present.  (Built by
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

// Runs during static initialization of the library or executable that contains T.
template <class T>
bool registerComponentType(const char* library, const char* name, ElementVersion version, const char* description,
                           uint32_t category) {
    return registerComponent(ComponentDescription{library, name, description, version, category, &createComponent<T>,
                                                  eliParams<T>(), eliPorts<T>(), eliStatistics<T>(),
                                                  eliSubComponentSlots<T>()});
}

}  // namespace Core
}  // namespace SST

#define SST_ELI_ELEMENT_VERSION(...) \
    { __VA_ARGS__ }

#define SST_ELI_DOCUMENT_PARAMS(...)                                                \
    static const std::vector<SST::ElementInfoParam>& ELI_getParams() {              \
        static const std::vector<SST::ElementInfoParam> eli_params = {__VA_ARGS__}; \
        return eli_params;                                                          \
    }

#define SST_ELI_DOCUMENT_PORTS(...)                                               \
    static const std::vector<SST::ElementInfoPort>& ELI_getPorts() {              \
        static const std::vector<SST::ElementInfoPort> eli_ports = {__VA_ARGS__}; \
        return eli_ports;                                                         \
    }

#define SST_ELI_DOCUMENT_STATISTICS(...)                                                    \
    static const std::vector<SST::ElementInfoStatistic>& ELI_getStatistics() {              \
        static const std::vector<SST::ElementInfoStatistic> eli_statistics = {__VA_ARGS__}; \
        return eli_statistics;                                                              \
    }

#define SST_ELI_DOCUMENT_SUBCOMPONENT_SLOTS(...)                                              \
    static const std::vector<SST::ElementInfoSubComponentSlot>& ELI_getSubComponentSlots() {  \
        static const std::vector<SST::ElementInfoSubComponentSlot> eli_slots = {__VA_ARGS__}; \
        return eli_slots;                                                                     \
    }

#endif

#ifndef QEMU_SST_ENGINE_COMPONENT_INFO_H
#define QEMU_SST_ENGINE_COMPONENT_INFO_H

#include "sst/core/clock.h"
#include "sst/core/eli/elementinfo.h"
#include "sst/core/params.h"
#include "sst/core/statapi/statbase.h"
#include "sst/core/timeConverter.h"
#include "sst_engine/config_graph.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace SST {
class BaseComponent;
class Link;
class PortModule;
}  // namespace SST

namespace SST::Core {

// The engine's record of one component: what the configuration said about it and what the
// component registered.  BaseComponent holds a pointer to it.
struct ComponentInfo {
    ComponentInfo(const ConfigComponent& config_, const ComponentDescription& description_)
        : id(config_.id), config(&config_), description(&description_), params(config_.params),
          display_name(config_.name) {}
    // An anonymous subcomponent, which the configuration does not know.
    ComponentInfo(ComponentId_t id_, const ConfigComponent& config_, const ComponentDescription& description_,
                  const Params& params_)
        : id(id_), config(&config_), description(&description_), params(params_) {}

    ComponentId_t id;
    const ConfigComponent* config;            // name, type, location, statistic settings
    const ComponentDescription* description;  // the type's factory and ELI
    Params params;                            // the constructor's copy; lives as long as the component
    BaseComponent* component = nullptr;

    std::map<std::string, Link*> links;  // connected ports and self links, by port name
    TimeConverter default_time_base;
    std::vector<Clock::HandlerBase*> clock_handlers;  // owned, each once

    bool primary = false;
    bool holding_sim_end = false;  // between primaryComponentDoNotEndSim and OKToEndSim

    std::map<std::pair<std::string, std::string>, Statistics::StatisticBase*> statistics;  // by (name, sub id)

    // Subcomponents: the loading parent (nullptr for a component), how it shares with it, and
    // whether the configuration placed it (user) or the parent loaded it by type (anonymous).
    ComponentInfo* parent = nullptr;
    uint64_t share_flags = 0;
    bool anonymous = false;
    bool loaded = false;                     // a user subcomponent is loaded at most once
    std::vector<BaseComponent*> extensions;  // owned
    std::vector<PortModule*> port_modules;   // owned: those on the ports this one configured

    bool isSubComponent() const { return config->parent != kNoParent || anonymous; }

    // SST's naming: parent:slot, with [n] only when the slot holds several subcomponents; an
    // anonymous subcomponent goes by its parent's name.
    std::string display_name;
    const std::string& name() const { return anonymous && parent ? parent->name() : display_name; }
    const std::string& type() const { return config->type; }
    // "component 'cpu0' (type lib.cpu, created at config.py:12)"
    std::string describe() const;
};

}  // namespace SST::Core

#endif

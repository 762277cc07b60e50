#include "sst/core/portModule.h"

#include "engine.h"
#include "fatal_exit.h"
#include "port_module_site.h"

#include "sst/core/baseComponent.h"

namespace SST {

namespace Core {

const PortModuleSite* PortModuleSite::current = nullptr;

}  // namespace Core

PortModule::PortModule() {
    // The engine says which port is being given this module while the constructor runs.
    if (const Core::PortModuleSite* site = Core::PortModuleSite::current) {
        component_ = site->component;
        id_ = {site->port, site->index};
        config_ = site->config;
        description_ = site->description;
        name_ = component_->getName() + "." + id_.first + "." + std::to_string(id_.second);
    }
}

uintptr_t PortModule::registerLinkAttachTool(const AttachPointMetaData&) { return 0; }

void PortModule::serializeEventAttachPointKey(SST::Core::Serialization::serializer&, uintptr_t& key) { key = 0; }

uintptr_t PortModule::registerHandlerIntercept(const AttachPointMetaData&) { return 0; }

void PortModule::serializeHandlerInterceptPointKey(SST::Core::Serialization::serializer&, uintptr_t& key) { key = 0; }

void PortModule::serialize_order(SST::Core::Serialization::serializer& ser) { SST_SER(name_); }

void PortModule::requireAttached(const char* api) const {
    if (component_ == nullptr)
        Core::fatalExit(1, std::string("PortModule::") + api +
                               " called on a port module the engine did not install on a port");
}

UnitAlgebra PortModule::getCoreTimeBase() const {
    requireAttached("getCoreTimeBase");
    return component_->getCoreTimeBase();
}

SimTime_t PortModule::getCurrentSimCycle() const {
    requireAttached("getCurrentSimCycle");
    return component_->getCurrentSimCycle();
}

int PortModule::getCurrentPriority() const {
    requireAttached("getCurrentPriority");
    return component_->getCurrentPriority();
}

UnitAlgebra PortModule::getElapsedSimTime() const {
    requireAttached("getElapsedSimTime");
    return component_->getElapsedSimTime();
}

Output& PortModule::getSimulationOutput() const { return BaseComponent::getSimulationOutput(); }

SimTime_t PortModule::getCurrentSimTime(TimeConverter* tc) const { return getCurrentSimTime(*tc); }

SimTime_t PortModule::getCurrentSimTime(TimeConverter& tc) const {
    requireAttached("getCurrentSimTime");
    return component_->getCurrentSimTime(tc);
}

SimTime_t PortModule::getCurrentSimTime(const std::string& base) const {
    requireAttached("getCurrentSimTime");
    return component_->getCurrentSimTime(base);
}

SimTime_t PortModule::getCurrentSimTimeNano() const {
    requireAttached("getCurrentSimTimeNano");
    return component_->getCurrentSimTimeNano();
}

SimTime_t PortModule::getCurrentSimTimeMicro() const {
    requireAttached("getCurrentSimTimeMicro");
    return component_->getCurrentSimTimeMicro();
}

SimTime_t PortModule::getCurrentSimTimeMilli() const {
    requireAttached("getCurrentSimTimeMilli");
    return component_->getCurrentSimTimeMilli();
}

void PortModule::vfatal(int exit_code, const char* format, va_list args) const {
    const std::string message = Core::formatV(format, args);
    const std::string where =
        component_ ? " on port '" + id_.first + "' of component '" + component_->getName() + "'" : std::string();
    const std::string time = component_ ? " at " + component_->getElapsedSimTime().toStringBestSI() : std::string();
    Core::fatalExit(exit_code, "port module " + name_ + " (type " + getEliType() + ")" + where + time + ": " + message);
}

void PortModule::fatal(uint32_t, const char*, const char*, int exit_code, const char* format, ...) const {
    va_list args;
    va_start(args, format);
    vfatal(exit_code, format, args);
}

void PortModule::sst_assert(bool condition, uint32_t, const char*, const char*, int exit_code, const char* format,
                            ...) const {
    if (condition)
        return;
    va_list args;
    va_start(args, format);
    vfatal(exit_code, format, args);
}

const Params* PortModule::statisticEnableParams(const std::string& stat_name) const {
    requireAttached("registerStatistic");
    int level = -1;
    for (const ElementInfoStatistic& stat : description_->statistics)
        if (stat_name == stat.name)
            level = stat.enable_level;
    if (level < 0)
        fatal(CALL_INFO, 1, "registerStatistic: statistic '%s' is not in SST_ELI_DOCUMENT_STATISTICS\n",
              stat_name.c_str());
    if (auto it = config_->enabled_statistics.find(stat_name); it != config_->enabled_statistics.end())
        return &it->second;
    // As SST: the module's level, else the program-wide one (not the component's); enable-all
    // only supplies the parameters.
    const int load_level = config_->statistic_load_level >= 0 ? config_->statistic_load_level
                                                              : Core::Engine::current()->programStatisticLoadLevel();
    return level <= load_level ? &config_->all_statistics_params : nullptr;
}

void PortModule::adoptStatistic(Statistics::StatisticBase* stat, const Params& stat_params) {
    Core::Engine::current()->adoptPortModuleStatistic(*component_->info_, *config_, stat, stat_params);
}

}  // namespace SST

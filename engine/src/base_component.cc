#include "sst/core/baseComponent.h"

#include "clock_ticker.h"
#include "engine.h"
#include "fatal_exit.h"
#include "time_converter_access.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace SST {

using Core::Engine;

namespace {

Engine& engine() { return *Engine::current(); }

Core::ComponentInfo* infoFor(ComponentId_t id) {
    Engine* e = Engine::current();
    if (e == nullptr || e->constructing() == nullptr || e->constructing()->id != id) {
        std::fprintf(stderr,
                     "FATAL: a component (id %" PRIu64 ") was constructed outside the engine; components "
                     "are created from a configuration by the simulator\n",
                     id);
        std::abort();
    }
    return &e->componentInfo(id);
}

}  // namespace

BaseComponent::BaseComponent(ComponentId_t id) : info_(infoFor(id)) { info_->component = this; }

BaseComponent::BaseComponent() = default;

BaseComponent::BaseComponent(ComponentId_t id, ExtensionTag) : info_(&engine().componentInfo(id)), extension_(true) {}

// The engine deletes only components: each takes its loaded subcomponents and extensions with
// it (those the element already deleted have cleared their record).
BaseComponent::~BaseComponent() {
    if (info_ == nullptr || extension_)
        return;
    info_->component = nullptr;
    for (PortModule* module : info_->port_modules)
        delete module;
    info_->port_modules.clear();
    for (BaseComponent* extension : info_->extensions)
        delete extension;
    info_->extensions.clear();
    Engine& e = engine();
    for (ComponentId_t id = info_->id + 1; id < e.componentCount(); ++id) {
        Core::ComponentInfo& sub = e.componentInfo(id);
        if (sub.parent == info_ && sub.component != nullptr)
            delete sub.component;
    }
}

bool BaseComponent::isUser() const { return info_->isSubComponent() && !info_->anonymous; }

bool BaseComponent::isAnonymous() const { return info_->anonymous; }

BaseComponent* BaseComponent::createSubComponent(const std::string& type, const std::string& slot_name, int slot_num,
                                                 uint64_t share_flags, Params* params, void* args,
                                                 const std::type_info& args_type) {
    return engine().createSubComponent(*info_, type, slot_name, slot_num, share_flags, params, args, args_type);
}

void* BaseComponent::createModule(const std::string& type, Params& params, void* args,
                                  const std::type_info& args_type) {
    return engine().createModule(*info_, type, params, args, args_type);
}

void BaseComponent::subComponentIsNotA(BaseComponent* created, const std::string& what, const char* api) const {
    fatal(CALL_INFO, 1, "subcomponent %s (type %s) does not implement the API it was loaded through (%s)\n",
          what.c_str(), created->getType().c_str(), api);
}

void BaseComponent::moduleIsNotA(const std::string& type, const char* api) const {
    fatal(CALL_INFO, 1, "module %s does not implement the API it was loaded through (%s)\n", type.c_str(), api);
}

void BaseComponent::adoptExtension(BaseComponent* extension) { info_->extensions.push_back(extension); }

std::vector<int> BaseComponent::populatedSlots(const std::string& slot_name) const {
    std::vector<int> slots;
    for (const Core::ConfigComponent* sub : engine().userSubComponents(*info_, slot_name))
        slots.push_back(sub->slot_num);
    return slots;
}

SubComponentSlotInfo* BaseComponent::getSubComponentSlotInfo(const std::string& name, bool fatalOnEmptyIndex) {
    auto* info = new SubComponentSlotInfo(this, name);
    if (info->getMaxPopulatedSlotNumber() < 0) {
        delete info;
        return nullptr;
    }
    if (fatalOnEmptyIndex && !info->isAllPopulated())
        fatal(CALL_INFO, 1, "slot '%s' has empty indices below %d\n", name.c_str(), info->getMaxPopulatedSlotNumber());
    return info;
}

const std::string& BaseComponent::getType() const { return info_->type(); }

ComponentId_t BaseComponent::getId() const { return info_->id; }

const std::string& BaseComponent::getName() const { return info_->name(); }

uint8_t BaseComponent::getStatisticLoadLevel() const { return engine().statisticLoadLevel(*info_); }

UnitAlgebra BaseComponent::getCoreTimeBase() const { return UnitAlgebra("1ps"); }

SimTime_t BaseComponent::getCurrentSimCycle() const { return engine().now(); }

int BaseComponent::getCurrentPriority() const { return engine().currentPriority(); }

bool BaseComponent::isSimulationRunModeInit() const { return engine().options().build_only; }

UnitAlgebra BaseComponent::getElapsedSimTime() const { return UnitAlgebra("1ps") * engine().now(); }

Output& BaseComponent::getSimulationOutput() {
    static Output output("", 0, 0, Output::STDOUT);
    return output;
}

SimTime_t BaseComponent::getCurrentSimTime() const {
    const SimTime_t factor = info_->default_time_base.getFactor();
    return factor ? engine().now() / factor : engine().now();
}

SimTime_t BaseComponent::getCurrentSimTime(TimeConverter base) const {
    if (!base)
        fatal(CALL_INFO, 1, "getCurrentSimTime: the time converter is uninitialized\n");
    return base.convertFromCoreTime(engine().now());
}

SimTime_t BaseComponent::getCurrentSimTime(const std::string& base) const {
    // Exact arithmetic, so bases finer than the core's 1 ps ("1fs") work too.
    UnitAlgebra unit(base);
    if (unit.hasUnits("Hz"))
        unit.invert();
    if (!unit.hasUnits("s") || unit.isValueZero())
        fatal(CALL_INFO, 1, "getCurrentSimTime: '%s' is not a time or frequency\n", base.c_str());
    const Core::Rational cycles = (getElapsedSimTime() / unit).getValue();
    return static_cast<SimTime_t>(cycles.numerator() / cycles.denominator());
}

SimTime_t BaseComponent::getCurrentSimTimeNano() const { return engine().now() / 1000; }

SimTime_t BaseComponent::getCurrentSimTimeMicro() const { return engine().now() / 1000000; }

SimTime_t BaseComponent::getCurrentSimTimeMilli() const { return engine().now() / 1000000000; }

namespace {

// Where a port configured by info is connected: its own, or (SHARE_PORTS) an ancestor's that no
// one configured yet.  The map entry that holds it.
std::map<std::string, Link*>* connectedPort(Core::ComponentInfo* info, const std::string& name) {
    for (; info != nullptr; info = (info->share_flags & ComponentInfo::SHARE_PORTS) ? info->parent : nullptr) {
        if (info->links.count(name))
            return &info->links;
    }
    return nullptr;
}

}  // namespace

bool BaseComponent::isPortConnected(const std::string& name) const { return connectedPort(info_, name) != nullptr; }

Link* BaseComponent::configureLink(const std::string& name, TimeConverter timebase, Event::HandlerBase* handler) {
    return configureLinkWithFactor(name, timebase.getFactor(), handler);
}

Link* BaseComponent::configureLink(const std::string& name, Event::HandlerBase* handler) {
    return configureLinkWithFactor(name, info_->default_time_base.getFactor(), handler);
}

Link* BaseComponent::configureSelfLink(const std::string& name, TimeConverter timebase, Event::HandlerBase* handler) {
    selfLink(name);
    return configureLink(name, timebase, handler);
}

Link* BaseComponent::configureSelfLink(const std::string& name, Event::HandlerBase* handler) {
    selfLink(name);
    return configureLink(name, handler);
}

Link* BaseComponent::selfLink(const std::string& name) {
    Link* link = engine().selfLink(*info_, name);
    if (link->pair_ != link)
        fatal(CALL_INFO, 1, "configureSelfLink('%s'): the configuration connects this port to another component\n",
              name.c_str());
    return link;
}

Link* BaseComponent::configureLinkWithFactor(const std::string& name, SimTime_t timebase, Event::HandlerBase* handler) {
    std::map<std::string, Link*>* owner = connectedPort(info_, name);
    if (owner == nullptr)
        return nullptr;  // the handler stays the caller's, as in SST (elements delete it themselves)
    Link* link = owner->at(name);
    if (owner != &info_->links) {
        // A shared port becomes this subcomponent's, as in SST.
        owner->erase(name);
        info_->links.emplace(name, link);
    }
    if (link->isConfigured())
        fatal(CALL_INFO, 1, "port '%s' was configured twice\n", name.c_str());
    link->setFunctor(handler);
    link->default_time_base_ = timebase;
    link->pair_->order_tag_ = engine().nextLinkOrderTag();
    installPortModules(link, name);
    return link;
}

// The configuration's port modules for the port, which stay with it when a subcomponent takes
// it over (SHARE_PORTS): they belong to whoever configures it, as in SST.
void BaseComponent::installPortModules(Link* link, const std::string& name) {
    const Core::ConfigComponent& declared_on = *link->owner_->config;
    auto it = declared_on.port_modules.find(link->port_);
    if (it == declared_on.port_modules.end())
        return;
    const EventHandlerMetaData mdata(info_->id, getName(), getType(), name);
    for (size_t index = 0; index < it->second.size(); ++index) {
        PortModule* module = engine().createPortModule(*info_, it->second[index], name, index);
        info_->port_modules.push_back(module);
        if (module->installOnSend())
            link->attachTool(module, mdata);
        if (module->installOnReceive())
            link->attachInterceptTool(module, mdata);
    }
}

void BaseComponent::setDefaultTimeBase(TimeConverter tc) { info_->default_time_base = tc; }

TimeConverter BaseComponent::getDefaultTimeBase() const { return info_->default_time_base; }

TimeConverter BaseComponent::registerClock(TimeConverter tc, Clock::HandlerBase* handler, bool reg_all) {
    if (!tc)
        fatal(CALL_INFO, 1, "registerClock: the clock period is uninitialized\n");
    Core::ClockTicker& ticker = engine().clockFor(tc.getFactor());
    if (!ticker.has(handler))
        ticker.add(handler);
    auto& owned = info_->clock_handlers;
    if (std::find(owned.begin(), owned.end(), handler) == owned.end())
        owned.push_back(handler);
    if (reg_all) {
        // Links configured without a time base count their send delays in this clock's cycles.
        for (auto& [port, link] : info_->links)
            if (link->isConfigured() && link->default_time_base_ == 0)
                link->default_time_base_ = tc.getFactor();
        info_->default_time_base = tc;
    }
    return tc;
}

void BaseComponent::unregisterClock(TimeConverter tc, Clock::HandlerBase* handler) {
    if (Core::ClockTicker* ticker = engine().findClock(tc.getFactor()))
        ticker->remove(handler);
}

Cycle_t BaseComponent::reregisterClock(TimeConverter freq, Clock::HandlerBase* handler) {
    Core::ClockTicker& ticker = engine().clockFor(freq.getFactor());
    if (!ticker.has(handler))
        ticker.add(handler);
    return ticker.nextCycle();
}

Cycle_t BaseComponent::getNextClockCycle(TimeConverter freq) {
    if (Core::ClockTicker* ticker = engine().findClock(freq.getFactor()))
        return ticker->nextCycle();
    return freq.convertFromCoreTime(engine().now()) + 1;
}

TimeConverter BaseComponent::registerTimeBase(const std::string& base, bool reg_all) {
    TimeConverter tc(base);
    if (reg_all) {
        for (auto& [port, link] : info_->links)
            if (link->isConfigured() && link->default_time_base_ == 0)
                link->default_time_base_ = tc.getFactor();
        info_->default_time_base = tc;
    }
    return tc;
}

TimeConverter BaseComponent::getTimeConverter(const std::string& base) const { return TimeConverter(base); }

TimeConverter BaseComponent::getTimeConverter(const UnitAlgebra& base) const { return TimeConverter(base); }

void BaseComponent::registerAsPrimaryComponent() { engine().registerPrimary(*info_); }

void BaseComponent::primaryComponentDoNotEndSim() { engine().primaryDoNotEndSim(*info_); }

void BaseComponent::primaryComponentOKToEndSim() { engine().primaryOKToEndSim(*info_); }

Statistics::StatisticBase* BaseComponent::findStatistic(const std::string& name, const std::string& sub_id) const {
    auto it = info_->statistics.find({name, sub_id});
    return it == info_->statistics.end() ? nullptr : it->second;
}

int BaseComponent::statisticLevel(const std::string& name) const {
    for (const ElementInfoStatistic& stat : info_->description->statistics)
        if (name == stat.name)
            return stat.enable_level;
    return -1;
}

void BaseComponent::undocumentedStatistic(const std::string& name) const {
    std::string documented;
    for (const ElementInfoStatistic& stat : info_->description->statistics)
        documented += (documented.empty() ? "" : ", ") + std::string(stat.name);
    fatal(CALL_INFO, 1,
          "registerStatistic: statistic '%s' is not in SST_ELI_DOCUMENT_STATISTICS of type %s (documented: %s)\n",
          name.c_str(), getType().c_str(), documented.empty() ? "none" : documented.c_str());
}

const std::string* BaseComponent::linkedStatistic(const std::string& name, BaseComponent*& owner) const {
    const auto& links = info_->config->statistic_links;
    auto it = info_->anonymous ? links.end() : links.find(name);
    if (it == links.end())
        return nullptr;
    owner = engine().componentInfo(it->second.first).component;
    if (owner == nullptr)
        fatal(CALL_INFO, 1, "statistic '%s' is set to one of component %s, which is not loaded\n", name.c_str(),
              engine().componentInfo(it->second.first).config->name.c_str());
    return &it->second.second;
}

const Params* BaseComponent::createdStatisticParams(const std::string& name) const {
    const auto& created = info_->config->created_statistics;
    auto it = created.find(name);
    return it == created.end() ? nullptr : &it->second;
}

BaseComponent* BaseComponent::statisticSharingParent() const {
    return info_->parent && (info_->share_flags & ComponentInfo::SHARE_STATS) ? info_->parent->component : nullptr;
}

BaseComponent* BaseComponent::statisticInsertParent() const {
    return info_->parent && (info_->share_flags & ComponentInfo::INSERT_STATS) ? info_->parent->component : nullptr;
}

bool BaseComponent::isStatisticShared(const std::string& stat_name, bool include_me) const {
    if (include_me && statisticLevel(stat_name) >= 0)
        return true;
    const BaseComponent* parent = statisticSharingParent();
    return parent != nullptr && parent->isStatisticShared(stat_name, true);
}

// Enabled by name, or by enable-all when the ELI level is within the load level; an anonymous
// subcomponent has no settings of its own.
const Params* BaseComponent::statisticEnableParams(const std::string& name, int level) const {
    if (info_->anonymous)
        return nullptr;
    const Core::ConfigComponent& config = *info_->config;
    if (auto it = config.enabled_statistics.find(name); it != config.enabled_statistics.end())
        return &it->second;
    if (config.enable_all_statistics && level <= getStatisticLoadLevel())
        return &config.all_statistics_params;
    return nullptr;
}

void BaseComponent::adoptStatistic(Statistics::StatisticBase* stat, const Params& stat_params) {
    engine().adoptStatistic(*info_, stat, stat_params);
}

void BaseComponent::fatal(uint32_t line, const char* file, const char* func, int exit_code, const char* format,
                          ...) const {
    va_list args;
    va_start(args, format);
    const std::string message = Core::formatV(format, args);
    va_end(args);
    const std::string time = (getElapsedSimTime()).toStringBestSI();
    Core::fatalExit(exit_code, "component '" + getName() + "' (type " + getType() + ") at " + time + ": " + message);
}

void BaseComponent::sst_assert(bool condition, uint32_t line, const char* file, const char* func, int exit_code,
                               const char* format, ...) const {
    if (condition)
        return;
    va_list args;
    va_start(args, format);
    const std::string message = Core::formatV(format, args);
    va_end(args);
    fatal(line, file, func, exit_code, "%s", message.c_str());
}

}  // namespace SST

#ifndef SST_CORE_BASECOMPONENT_H
#define SST_CORE_BASECOMPONENT_H

#include "sst/core/clock.h"
#include "sst/core/componentInfo.h"
#include "sst/core/eli/elementinfo.h"
#include "sst/core/event.h"
#include "sst/core/link.h"
#include "sst/core/output.h"
#include "sst/core/params.h"
#include "sst/core/portModule.h"
#include "sst/core/serialization/serializable.h"
#include "sst/core/sst_types.h"
#include "sst/core/statapi/statbase.h"
#include "sst/core/statapi/statfactory.h"
#include "sst/core/timeConverter.h"
#include "sst/core/unitAlgebra.h"
#include "sst/core/warnmacros.h"

#include <cassert>
#include <cstdint>
#include <iostream>
#include <string>
#include <tuple>
#include <typeinfo>
#include <vector>

namespace SST {

namespace Core {
struct ComponentInfo;
}
class Module;
class SubComponentSlotInfo;

// As in SST, element code names statistics without the namespace (Statistic<uint32_t>*).
using namespace SST::Statistics;

// What every component can ask of the simulator.  The engine-side state lives in an opaque
// ComponentInfo so element code never depends on engine internals.  Access levels follow SST:
// wiring, clocks and statistics are protected, for the component itself to use.
class BaseComponent : public SST::Core::Serialization::serializable {
public:
    // Defaults for the ELI macros (elementinfo.h): a class documents no ELI base of its own.
    using QemuSstEliRegSelf = void;
    using QemuSstEliBaseSelf = void;
    using QemuSstEliBaseParent = void;

    explicit BaseComponent(ComponentId_t id);
    virtual ~BaseComponent();
    BaseComponent(const BaseComponent&) = delete;
    BaseComponent& operator=(const BaseComponent&) = delete;

    const std::string& getType() const;
    ComponentId_t getId() const;
    const std::string& getName() const;
    const std::string& getParentComponentName() const { return getName(); }
    uint8_t getStatisticLoadLevel() const;

    // Phases, in order: init(0), init(1), ... while any untimed data was sent; setup(); the
    // run; complete(0), complete(1), ... likewise; finish().
    virtual void init(unsigned int UNUSED(phase)) {}
    virtual void setup() {}
    virtual void complete(unsigned int UNUSED(phase)) {}
    virtual void finish() {}
    virtual void emergencyShutdown() {}
    virtual void printStatus(Output& UNUSED(out)) {}

    UnitAlgebra getCoreTimeBase() const;   // 1 ps
    SimTime_t getCurrentSimCycle() const;  // in ps
    int getCurrentPriority() const;
    UnitAlgebra getElapsedSimTime() const;  // in seconds

    // The runner's --run-mode: init (build, then end) or both; never run (no checkpoints here).
    bool isSimulationRunModeInit() const;
    bool isSimulationRunModeRun() const { return false; }
    bool isSimulationRunModeBoth() const { return !isSimulationRunModeInit(); }

    static Output& getSimulationOutput();

    // A subcomponent the configuration placed in a slot (user) or one its parent loaded by type
    // (anonymous).  Components are neither.
    bool isUser() const;
    bool isAnonymous() const;

    // Serializable as in SST, so element classes may declare ImplementSerializable; this engine
    // never checkpoints a component.
    void serialize_order(SST::Core::Serialization::serializer& UNUSED(ser)) override {}
    ImplementVirtualSerializable(SST::BaseComponent)

        // In the component's default time base (set by registerClock/registerTimeBase); core time
        // (ps) when it has none.
        SimTime_t getCurrentSimTime() const;
    SimTime_t getCurrentSimTime(TimeConverter base) const;
    SimTime_t getCurrentSimTime(const std::string& base) const;
    SimTime_t getCurrentSimTime(const char* base) const { return getCurrentSimTime(std::string(base)); }
    SimTime_t getCurrentSimTimeNano() const;
    SimTime_t getCurrentSimTimeMicro() const;
    SimTime_t getCurrentSimTimeMilli() const;

protected:
    BaseComponent();  // for SST's checkpoint restart: leaves the object unusable
    // A ComponentExtension: shares the component's record instead of claiming it.
    struct ExtensionTag {};
    BaseComponent(ComponentId_t id, ExtensionTag);

    bool isPortConnected(const std::string& name) const;

    // SubComponents.  A user subcomponent is the one the configuration put in slot_name (of
    // this component); nullptr when the slot is empty, fatal when it holds several (use
    // getSubComponentSlotInfo).  An anonymous one is of the type given here, with these params.
    // args are the extra constructor arguments the API declares.
    template <class T>
    T* loadUserSubComponent(const std::string& slot_name) {
        return loadUserSubComponent<T>(slot_name, ComponentInfo::SHARE_NONE);
    }
    template <class T, class... ARGS>
    T* loadUserSubComponent(const std::string& slot_name, uint64_t share_flags, ARGS... args) {
        return loadUserSubComponentByIndex<T>(slot_name, -1, share_flags, args...);
    }
    template <class T, class... ARGS>
    T* loadAnonymousSubComponent(const std::string& type, const std::string& slot_name, int slot_num,
                                 uint64_t share_flags, Params& params, ARGS... args) {
        typename T::QemuSstEliApiArgs arguments(args...);
        return asApi<T>(
            createSubComponent(type, slot_name, slot_num, share_flags, &params, &arguments, typeid(arguments)), type);
    }
    // nullptr when the configuration put nothing in the slot.  The caller owns the result.
    SubComponentSlotInfo* getSubComponentSlotInfo(const std::string& name, bool fatalOnEmptyIndex = false);

    // Whether stat_name is a statistic of an ancestor this component shares statistics with
    // (or, with include_me, of this component).
    bool isStatisticShared(const std::string& stat_name, bool include_me = false) const;

    // A Module of the registered type; the caller owns it.
    template <class T, class... ARGS>
    T* loadModule(const std::string& type, Params& params, ARGS... args) {
        typename T::QemuSstEliApiArgs arguments(args...);
        void* module = createModule(type, params, &arguments, typeid(arguments));
        T* typed = dynamic_cast<T*>(static_cast<Module*>(module));
        if (typed == nullptr)
            moduleIsNotA(type, typeid(T).name());
        return typed;
    }

    // An extension of this component: it shares the component's ports, clocks and statistics.
    template <class T, class... ARGS>
    T* loadComponentExtension(ARGS... args) {
        T* extension = new T(getId(), args...);
        adoptExtension(extension);
        return extension;
    }

    // nullptr when the configuration left the port unconnected.  Without a handler the link is
    // polled with Link::recv().  The engine takes ownership of the handler, except when the port
    // is unconnected: then it stays the caller's, as in SST (which elements rely on).
    Link* configureLink(const std::string& name, TimeConverter timebase, Event::HandlerBase* handler = nullptr);
    Link* configureLink(const std::string& name, Event::HandlerBase* handler = nullptr);
    // A link from the component to itself.  Latency comes from the configuration when it wires
    // the port as a loopback, otherwise it is 0.
    Link* configureSelfLink(const std::string& name, TimeConverter timebase, Event::HandlerBase* handler = nullptr);
    Link* configureSelfLink(const std::string& name, Event::HandlerBase* handler = nullptr);

    // The component owns nothing here: the engine deletes clock handlers at teardown.
    // reg_all makes the clock the default time base of the component and of links configured
    // without one.
    TimeConverter registerClock(TimeConverter tc, Clock::HandlerBase* handler, bool reg_all = true);
    void unregisterClock(TimeConverter tc, Clock::HandlerBase* handler);
    // Puts a handler back on its clock; returns the cycle of its next call.
    Cycle_t reregisterClock(TimeConverter freq, Clock::HandlerBase* handler);
    Cycle_t getNextClockCycle(TimeConverter freq);
    TimeConverter registerTimeBase(const std::string& base, bool reg_all = true);
    TimeConverter getTimeConverter(const std::string& base) const;
    TimeConverter getTimeConverter(const UnitAlgebra& base) const;
    void setDefaultTimeBase(TimeConverter tc);
    TimeConverter getDefaultTimeBase() const;

    // A primary component keeps the simulation running between DoNotEndSim and OKToEndSim;
    // once none does, the simulation ends.  Register in the constructor.
    void registerAsPrimaryComponent();
    void primaryComponentDoNotEndSim();
    void primaryComponentOKToEndSim();

    // A NullStatistic unless the configuration enabled the statistic; the name must be listed in
    // the component's SST_ELI_DOCUMENT_STATISTICS.  The engine owns the returned object.
    template <typename T>
    Statistics::Statistic<T>* registerStatistic(SST::Params& params, const std::string& stat_name,
                                                const std::string& stat_sub_id = "");
    template <typename T>
    Statistics::Statistic<T>* registerStatistic(const std::string& stat_name, const std::string& stat_sub_id = "") {
        SST::Params empty;
        return registerStatistic<T>(empty, stat_name, stat_sub_id);
    }
    template <typename T>
    Statistics::Statistic<T>* registerStatistic(const char* stat_name, const char* stat_sub_id = "") {
        return registerStatistic<T>(std::string(stat_name), std::string(stat_sub_id));
    }

    // Output::fatal with the component's name, type and the simulated time in the message.
    [[noreturn]] void fatal(uint32_t line, const char* file, const char* func, int exit_code, const char* format,
                            ...) const __attribute__((format(printf, 6, 7)));
    // fatal() unless condition holds.
    void sst_assert(bool condition, uint32_t line, const char* file, const char* func, int exit_code,
                    const char* format, ...) const __attribute__((format(printf, 7, 8)));

private:
    friend class SubComponentSlotInfo;
    friend class PortModule;

    template <class T, class... ARGS>
    T* loadUserSubComponentByIndex(const std::string& slot_name, int slot_num, uint64_t share_flags, ARGS... args) {
        typename T::QemuSstEliApiArgs arguments(args...);
        BaseComponent* created =
            createSubComponent("", slot_name, slot_num, share_flags, nullptr, &arguments, typeid(arguments));
        return asApi<T>(created, slot_name);
    }
    template <class T>
    T* asApi(BaseComponent* created, const std::string& what) const {
        if (created == nullptr)
            return nullptr;
        T* typed = dynamic_cast<T*>(created);
        if (typed == nullptr)
            subComponentIsNotA(created, what, typeid(T).name());
        return typed;
    }
    // The engine side of loading: params nullptr means the user subcomponent in
    // slot_name[slot_num] (slot_num -1: the slot's only one).  args points to the API's arguments.
    BaseComponent* createSubComponent(const std::string& type, const std::string& slot_name, int slot_num,
                                      uint64_t share_flags, Params* params, void* args,
                                      const std::type_info& args_type);
    void* createModule(const std::string& type, Params& params, void* args, const std::type_info& args_type);
    [[noreturn]] void subComponentIsNotA(BaseComponent* created, const std::string& what, const char* api) const;
    [[noreturn]] void moduleIsNotA(const std::string& type, const char* api) const;
    void adoptExtension(BaseComponent* extension);
    std::vector<int> populatedSlots(const std::string& slot_name) const;

    Link* configureLinkWithFactor(const std::string& name, SimTime_t timebase, Event::HandlerBase* handler);
    void installPortModules(Link* link, const std::string& name);
    Link* selfLink(const std::string& name);

    // registerStatistic's engine side: an already registered (name, sub id); the enable
    // parameters from the configuration (nullptr: not enabled, fatal if not in the ELI); and
    // handing the new statistic to the engine for output (periodic with a "rate" parameter)
    // and deletion.
    template <typename T>
    Statistics::Statistic<T>* registerStatisticIn(SST::Params& params, const std::string& stat_name,
                                                  const std::string& stat_sub_id, int level);
    Statistics::StatisticBase* findStatistic(const std::string& name, const std::string& sub_id) const;
    int statisticLevel(const std::string& name) const;  // -1: not in this type's ELI
    [[noreturn]] void undocumentedStatistic(const std::string& name) const;
    template <typename T>
    Statistics::Statistic<T>* makeStatistic(SST::Params& params, const std::string& stat_name,
                                            const std::string& stat_sub_id, const Params* enabled);
    const std::string* linkedStatistic(const std::string& name, BaseComponent*& owner) const;
    const Params* createdStatisticParams(const std::string& name) const;
    BaseComponent* statisticSharingParent() const;
    BaseComponent* statisticInsertParent() const;
    const Params* statisticEnableParams(const std::string& name, int level) const;
    void adoptStatistic(Statistics::StatisticBase* stat, const Params& stat_params);

    Core::ComponentInfo* info_ = nullptr;
    bool extension_ = false;  // shares info_ with its component
};

template <typename T>
Statistics::Statistic<T>* BaseComponent::registerStatistic(SST::Params& params, const std::string& stat_name,
                                                           const std::string& stat_sub_id) {
    return registerStatisticIn<T>(params, stat_name, stat_sub_id, -1);
}

// As SST decides it: a statistic this component does not document may be its parent's (SHARE_STATS);
// one the configuration did not enable here may be enabled on, and then belongs to, the parent
// (INSERT_STATS).  level: the ELI enable level when a child inserts it, else -1.
template <typename T>
Statistics::Statistic<T>* BaseComponent::registerStatisticIn(SST::Params& params, const std::string& stat_name,
                                                             const std::string& stat_sub_id, int level) {
    if (level < 0) {
        level = statisticLevel(stat_name);
        if (level < 0) {
            if (BaseComponent* parent = statisticSharingParent())
                return parent->registerStatisticIn<T>(params, stat_name, stat_sub_id, -1);
            undocumentedStatistic(stat_name);
        }
    }
    // The configuration made this statistic another's (sst: createStatistic + setStatistic).
    BaseComponent* owner = nullptr;
    if (const std::string* shared_name = linkedStatistic(stat_name, owner))
        return owner->makeStatistic<T>(params, *shared_name, stat_sub_id, owner->createdStatisticParams(*shared_name));

    const Params* enabled = statisticEnableParams(stat_name, level);
    if (enabled == nullptr) {
        if (BaseComponent* parent = statisticInsertParent())
            return parent->registerStatisticIn<T>(params, stat_name, stat_sub_id, level);
    }
    return makeStatistic<T>(params, stat_name, stat_sub_id, enabled);
}

// This component's statistic (name, sub id): the one already registered, else a new one with the
// configuration's settings (enabled), or a NullStatistic when enabled is nullptr.
template <typename T>
Statistics::Statistic<T>* BaseComponent::makeStatistic(SST::Params& params, const std::string& stat_name,
                                                       const std::string& stat_sub_id, const Params* enabled) {
    if (Statistics::StatisticBase* existing = findStatistic(stat_name, stat_sub_id)) {
        auto* same_type = dynamic_cast<Statistics::Statistic<T>*>(existing);
        if (!same_type)
            fatal(CALL_INFO, 1, "statistic '%s' (sub id '%s') was registered again with a different data type\n",
                  stat_name.c_str(), stat_sub_id.c_str());
        return same_type;
    }
    Params merged = params;
    Statistics::Statistic<T>* stat = nullptr;
    if (enabled == nullptr) {
        stat = new Statistics::NullStatistic<T>(this, stat_name, stat_sub_id, merged);
    } else {
        merged.insert(*enabled, true);  // the configuration's settings win over the component's
        const std::string type = merged.find<std::string>("type", "sst.AccumulatorStatistic");
        stat = Statistics::createBuiltinStatistic<T>(type, this, stat_name, stat_sub_id, merged);
        if (stat == nullptr)
            fatal(CALL_INFO, 1, "statistic '%s': unknown statistic type '%s' for this data type (known: %s)\n",
                  stat_name.c_str(), type.c_str(), Statistics::kBuiltinStatisticTypes);
    }
    adoptStatistic(stat, merged);
    return stat;
}

// The user subcomponents the configuration put in one slot of a component.
class SubComponentSlotInfo {
public:
    SubComponentSlotInfo(BaseComponent* comp, const std::string& slot_name)
        : comp_(comp), slot_name_(slot_name), populated_(comp->populatedSlots(slot_name)) {}

    const std::string& getSlotName() const { return slot_name_; }
    bool isPopulated(int slot_num) const {
        for (int n : populated_)
            if (n == slot_num)
                return true;
        return false;
    }
    bool isAllPopulated() const { return int(populated_.size()) == getMaxPopulatedSlotNumber() + 1; }
    int getMaxPopulatedSlotNumber() const { return populated_.empty() ? -1 : populated_.back(); }

    template <typename T>
    T* create(int slot_num) const {
        return comp_->loadUserSubComponentByIndex<T>(slot_name_, slot_num, ComponentInfo::SHARE_NONE);
    }
    template <class T, class... ARGS>
    T* create(int slot_num, uint64_t share_flags, ARGS... args) const {
        return isPopulated(slot_num) ? comp_->loadUserSubComponentByIndex<T>(slot_name_, slot_num, share_flags, args...)
                                     : nullptr;
    }
    // Index n of the slot lands at vec[old size + n]; empty indices are nullptr.
    template <typename T, class... ARGS>
    void createAll(std::vector<T*>& vec, uint64_t share_flags, ARGS... args) const {
        for (int i = 0; i <= getMaxPopulatedSlotNumber(); ++i)
            vec.push_back(create<T>(i, share_flags, args...));
    }
    template <typename T, class... ARGS>
    void createAllSparse(std::vector<std::pair<int, T*>>& vec, uint64_t share_flags, ARGS... args) const {
        for (int n : populated_)
            vec.emplace_back(n, create<T>(n, share_flags, args...));
    }
    template <typename T, class... ARGS>
    void createAllSparse(std::vector<T*>& vec, uint64_t share_flags, ARGS... args) const {
        for (int n : populated_)
            vec.push_back(create<T>(n, share_flags, args...));
    }

private:
    BaseComponent* comp_;
    std::string slot_name_;
    std::vector<int> populated_;  // ascending
};

}  // namespace SST

#endif

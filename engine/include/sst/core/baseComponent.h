#ifndef SST_CORE_BASECOMPONENT_H
#define SST_CORE_BASECOMPONENT_H

#include "sst/core/clock.h"
#include "sst/core/eli/elementinfo.h"
#include "sst/core/event.h"
#include "sst/core/link.h"
#include "sst/core/output.h"
#include "sst/core/params.h"
#include "sst/core/sst_types.h"
#include "sst/core/statapi/statbase.h"
#include "sst/core/statapi/statfactory.h"
#include "sst/core/timeConverter.h"
#include "sst/core/unitAlgebra.h"
#include "sst/core/warnmacros.h"

#include <cstdint>
#include <string>

namespace SST {

namespace Core {
struct ComponentInfo;
}

// What every component can ask of the simulator.  The engine-side state lives in an opaque
// ComponentInfo so element code never depends on engine internals.  Access levels follow SST:
// wiring, clocks and statistics are protected, for the component itself to use.
class BaseComponent {
public:
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

    static Output& getSimulationOutput();

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
    bool isPortConnected(const std::string& name) const;

    // nullptr when the configuration left the port unconnected.  Without a handler the link is
    // polled with Link::recv().  The engine takes ownership of the handler (and deletes it at
    // once when the port is unconnected).
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
    Link* configureLinkWithFactor(const std::string& name, SimTime_t timebase, Event::HandlerBase* handler);
    Link* selfLink(const std::string& name);

    // registerStatistic's engine side: an already registered (name, sub id); the enable
    // parameters from the configuration (nullptr: not enabled, fatal if not in the ELI); and
    // handing the new statistic to the engine for output (periodic with a "rate" parameter)
    // and deletion.
    Statistics::StatisticBase* findStatistic(const std::string& name, const std::string& sub_id) const;
    const Params* statisticEnableParams(const std::string& name) const;
    void adoptStatistic(Statistics::StatisticBase* stat, const Params& stat_params);

    Core::ComponentInfo* info_;
};

template <typename T>
Statistics::Statistic<T>* BaseComponent::registerStatistic(SST::Params& params, const std::string& stat_name,
                                                           const std::string& stat_sub_id) {
    if (Statistics::StatisticBase* existing = findStatistic(stat_name, stat_sub_id)) {
        auto* same_type = dynamic_cast<Statistics::Statistic<T>*>(existing);
        if (!same_type)
            fatal(CALL_INFO, 1, "statistic '%s' (sub id '%s') was registered again with a different data type\n",
                  stat_name.c_str(), stat_sub_id.c_str());
        return same_type;
    }

    const Params* enabled = statisticEnableParams(stat_name);
    Params merged = params;
    Statistics::Statistic<T>* stat = nullptr;
    if (enabled == nullptr) {
        stat = new Statistics::NullStatistic<T>(this, stat_name, stat_sub_id, merged);
    } else {
        merged.insert(*enabled);  // the configuration's settings win over the component's
        const std::string type = merged.find<std::string>("type", "sst.AccumulatorStatistic");
        stat = Statistics::createBuiltinStatistic<T>(type, this, stat_name, stat_sub_id, merged);
        if (stat == nullptr)
            fatal(CALL_INFO, 1, "statistic '%s': unknown statistic type '%s' for this data type (known: %s)\n",
                  stat_name.c_str(), type.c_str(), Statistics::kBuiltinStatisticTypes);
    }
    adoptStatistic(stat, merged);
    return stat;
}

}  // namespace SST

#endif

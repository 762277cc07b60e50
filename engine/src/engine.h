#ifndef QEMU_SST_ENGINE_ENGINE_H
#define QEMU_SST_ENGINE_ENGINE_H

#include "activity_queue.h"
#include "component_info.h"

#include "sst/core/activity.h"
#include "sst/core/event.h"
#include "sst/core/output.h"
#include "sst/core/shared/sharedObject.h"
#include "sst_engine/simulation_runner.h"

#include <deque>
#include <functional>
#include <typeinfo>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace SST {
class PortModule;
}

namespace SST::Core {

class ClockTicker;
class StatisticOutput;
class StopSignals;

// Something scheduled on the queue that is not an event: clock ticks, the end-of-run check.
class Action {
public:
    virtual ~Action() = default;
    virtual void execute() = 0;
};

enum class Phase { Construction, Init, Setup, Run, Complete, Finish, Done };

// One simulation: owns the components, links, clocks and statistics built from a ConfigGraph
// and drives them through the phases.  Components reach it through Engine::current().
class Engine {
public:
    Engine(const ConfigGraph& graph, const ProgramOptions& options);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    static Engine* current() { return current_; }

    void build();  // throws ConfigError
    RunReport run();

    SimTime_t now() const { return now_; }
    SimTime_t nextActivityTime() { return queue_.empty() ? MAX_SIMTIME_T : queue_.peekTime(); }
    int currentPriority() const { return current_priority_; }
    Phase phase() const { return phase_; }
    bool acceptsEvents() const { return accepts_events_; }
    const ProgramOptions& options() const { return options_; }

    // order_tag: the sending link's (SST's order for same-time, same-priority events).
    void scheduleEvent(SimTime_t time, Event* event, uint32_t order_tag) {
        event->delivery_time_ = time;
        queue_.push(time, event->priority_, order_tag, reinterpret_cast<uintptr_t>(event));
    }
    // SST numbers link ends as components configure them, from 1; an event sent on a link carries
    // the number its receiving end got.
    uint32_t nextLinkOrderTag() { return next_link_order_tag_++; }
    void scheduleAction(SimTime_t time, uint8_t priority, Action* action) {
        queue_.push(time, priority, reinterpret_cast<uintptr_t>(action) | kActionTag);
    }

    ComponentInfo& componentInfo(ComponentId_t id);
    size_t componentCount() const { return components_.size(); }

    // Builds a subcomponent of parent: the user one in slot_name[slot_num] (params nullptr;
    // slot_num -1: the slot's only one), or an anonymous one of type.  nullptr for an empty slot.
    BaseComponent* createSubComponent(ComponentInfo& parent, const std::string& type, const std::string& slot_name,
                                      int slot_num, uint64_t share_flags, Params* params, void* args,
                                      const std::type_info& args_type);
    void* createModule(const ComponentInfo& owner, const std::string& type, Params& params, void* args,
                       const std::type_info& args_type);
    // The configuration's user subcomponents of parent in slot_name, by index.
    std::vector<const ConfigComponent*> userSubComponents(const ComponentInfo& parent,
                                                          const std::string& slot_name) const;
    Link* selfLink(ComponentInfo& info, const std::string& port);

    ClockTicker& clockFor(SimTime_t period);
    ClockTicker* findClock(SimTime_t period);

    // Untimed data is stamped with the round it was sent in and received in a later round.
    // Construction is round 0; each init or complete phase is a new round.
    unsigned untimedRound() const { return untimed_round_; }
    void noteUntimedSend() { ++untimed_sent_; }

    void registerPrimary(ComponentInfo& info);
    void primaryDoNotEndSim(ComponentInfo& info);
    void primaryOKToEndSim(ComponentInfo& info);

    uint8_t statisticLoadLevel(const ComponentInfo& info) const;
    // Takes ownership; a statistic with a non-zero "rate" is also written every rate.
    void adoptStatistic(ComponentInfo& info, Statistics::StatisticBase* stat, const Params& stat_params);
    void adoptPortModuleStatistic(ComponentInfo& info, const ConfigPortModule& config, Statistics::StatisticBase* stat,
                                  const Params& stat_params);
    // sst.setStatisticLoadLevel, which port modules without a level of their own use.
    uint8_t programStatisticLoadLevel() const { return static_cast<uint8_t>(graph_.statistic_output.load_level); }
    // Builds the config's port module for port of the (sub)component info configuring it.
    PortModule* createPortModule(ComponentInfo& info, const ConfigPortModule& config, const std::string& port,
                                 size_t index);

    // The component whose constructor is running, if any (for error messages).
    const ComponentInfo* constructing() const { return constructing_; }
    // Last words before a fatal exit: flush whatever output is open.
    void flushOutputs();

    Shared::SharedObjectDataManager& sharedObjects() { return shared_objects_; }

private:
    static constexpr uintptr_t kActionTag = 1;  // events and actions are at least 2-byte aligned

    class EndCheck;

    // Statistics written every `period` while the simulation runs.
    struct PeriodicOutput {
        SimTime_t period;
        SimTime_t next;
        std::vector<Statistics::StatisticBase*> stats;
    };

    void validateComponent(const ConfigComponent& config, const ComponentDescription& description) const;
    void validatePortModules(const ConfigComponent& config) const;
    void adoptOutput(Statistics::StatisticBase* stat, const Params& stat_params, const ConfigLocation& where);
    void wireLinks();
    void constructComponents();
    bool hasLinks(const ComponentInfo& info) const;
    BaseComponent* construct(ComponentInfo& info, const std::function<void()>& create);
    const ComponentDescription& resolveLoadable(const ComponentInfo& owner, const std::string& type, ElementKind kind,
                                                const std::type_info& args_type) const;
    void runUntimedPhases(bool complete_phase, unsigned& phases);
    void runLoop();
    void actOnStopSignal(StopSignals& signals);
    void updateBarrier();
    void writePeriodicOutputs(SimTime_t before);
    void discardUntimedData();
    void writeStatistics();
    [[noreturn]] void timeFault(SimTime_t due) const;
    void destroyAll();

    static Engine* current_;

    const ConfigGraph& graph_;
    const ProgramOptions& options_;
    Output log_;

    ActivityQueue queue_;
    SimTime_t now_ = 0;
    int current_priority_ = 0;
    Phase phase_ = Phase::Construction;
    bool accepts_events_ = false;
    SimTime_t stop_time_ = MAX_SIMTIME_T;
    // The run loop's one time check per activity: nothing at or after this time may run before
    // the engine stops or writes periodic statistics.
    SimTime_t barrier_ = MAX_SIMTIME_T;
    bool end_requested_ = false;
    int stop_signal_ = 0;  // the SIGINT or SIGTERM the engine acted on
    EndReason end_reason_ = EndReason::QueueEmpty;
    uint64_t dispatched_ = 0;

    // Outlives the components (deleted by destroyAll), whose destructors may read shared data.
    Shared::SharedObjectDataManager shared_objects_;
    std::deque<ComponentInfo> components_;  // by id: the configuration's, then anonymous subcomponents
    std::deque<ConfigComponent> anonymous_configs_;
    std::vector<std::unique_ptr<Link>> links_;
    std::map<SimTime_t, std::unique_ptr<ClockTicker>> clocks_;
    const ComponentInfo* constructing_ = nullptr;

    uint32_t next_link_order_tag_ = 1;
    unsigned untimed_round_ = 0;
    unsigned untimed_sent_ = 0;

    unsigned holding_sim_end_ = 0;  // primary components between DoNotEndSim and OKToEndSim
    std::unique_ptr<EndCheck> end_check_;

    std::vector<Statistics::StatisticBase*> statistics_;  // owned, in registration order
    std::vector<PeriodicOutput> periodic_outputs_;
    std::unique_ptr<StatisticOutput> statistic_output_;
};

}  // namespace SST::Core

#endif

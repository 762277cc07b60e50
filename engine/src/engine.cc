#include "engine.h"

#include "sst_engine/next_activity.h"

#include "clock_ticker.h"
#include "element_registry.h"
#include "fatal_exit.h"
#include "link_queues.h"
#include "port_module_site.h"
#include "statistic_output.h"
#include "stop_signals.h"

#include "sst/core/baseComponent.h"
#include "sst/core/link.h"
#include "sst/core/portModule.h"
#include "sst/core/unitAlgebra.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace SST::Core {

Engine* Engine::current_ = nullptr;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string formatTime(SimTime_t ps) { return (UnitAlgebra("1ps") * ps).toStringBestSI(); }

template <class Info>
std::string listNames(const std::vector<Info>& infos) {
    if (infos.empty())
        return "none";
    std::string names;
    for (const Info& info : infos)
        names += (names.empty() ? "" : ", ") + std::string(info.name);
    return names;
}

}  // namespace

std::string ComponentInfo::describe() const {
    return "component '" + name() + "' (type " + type() + ", created at " + config->where.toString() + ")";
}

// Runs after everything else at the time the last primary component allowed the end, and ends
// the run unless one of them changed its mind meanwhile.
class Engine::EndCheck final : public Action {
public:
    explicit EndCheck(Engine& engine) : engine_(engine) {}

    void scheduleNow() {
        if (scheduled_)
            return;
        scheduled_ = true;
        engine_.scheduleAction(engine_.now(), EXITPRIORITY, this);
    }

    void execute() override {
        scheduled_ = false;
        if (engine_.holding_sim_end_ == 0) {
            engine_.end_requested_ = true;
            engine_.end_reason_ = EndReason::PrimaryDone;
        }
    }

private:
    Engine& engine_;
    bool scheduled_ = false;
};

Engine::Engine(const ConfigGraph& graph, const ProgramOptions& options)
    : graph_(graph), options_(options), log_("qemu-sst: ", options.verbose, 0, Output::STDERR),
      end_check_(std::make_unique<EndCheck>(*this)) {
    current_ = this;
    BaseComponent::getSimulationOutput().setVerboseLevel(options.verbose);
}

Engine::~Engine() {
    destroyAll();
    current_ = nullptr;
}

void Engine::build() {
    // SST runs such a config (e.g. one that only prints UnitAlgebra results) and says so, on stdout
    // in its words (the one rank is 0, its one thread 0), so outputs compare with SST's.
    if (graph_.components().empty())
        std::printf("WARNING: No components are assigned to rank: 0.0\n");
    if (!options_.stop_at.empty()) {
        try {
            // As in SST, a zero stop time means no limit.
            if (SimTime_t stop = parseTime(options_.stop_at))
                stop_time_ = stop;
        } catch (const ConfigError& e) {
            throw ConfigError("stop-at: " + e.message());
        }
        updateBarrier();
    }
    statistic_output_ = StatisticOutput::create(graph_.statistic_output);

    ElementRegistry& registry = ElementRegistry::instance();
    for (const ConfigComponent& config : graph_.components()) {
        const ComponentDescription& description = registry.resolve(config.type, options_.lib_paths, config.where);
        const bool sub = config.parent != kNoParent;
        if (description.kind != (sub ? ElementKind::SubComponent : ElementKind::Component))
            throw ConfigError("'" + config.type + "' is a " +
                                  (description.kind == ElementKind::Module ? "module"
                                   : sub                                   ? "component"
                                                                           : "subcomponent") +
                                  ", not a " + (sub ? "subcomponent" : "component") +
                                  (sub ? "" : " (place subcomponents with setSubComponent)"),
                              config.where);
        validateComponent(config, description);
        ComponentInfo& info = components_.emplace_back(config, description);
        if (sub) {
            const auto slot = userSubComponents(components_[config.parent], config.slot_name);
            info.display_name = components_[config.parent].display_name + ":" + config.slot_name +
                                (slot.size() > 1 ? "[" + std::to_string(config.slot_num) + "]" : "");
        }
    }
    wireLinks();
    for (const ConfigComponent& config : graph_.components())
        validatePortModules(config);
    for (const ComponentInfo& info : components_)
        if (options_.warn_unlinked && !info.isSubComponent() && !hasLinks(info))
            std::printf("WARNING: Building component \"%s\" with no links assigned.\n", info.name().c_str());
    constructComponents();
    log_.verbose(CALL_INFO, 1, 0, "built the simulation: components %zu, links %zu\n", components_.size(),
                 graph_.links().size());
}

void Engine::validateComponent(const ConfigComponent& config, const ComponentDescription& description) const {
    const std::string who = "component '" + config.name + "' (type " + config.type + ")";

    for (const std::string& key : config.params.getKeys()) {
        bool documented = false;
        for (const ElementInfoParam& param : description.params)
            documented = documented || matchesEliName(param.name, key);
        if (!documented) {
            auto at = config.param_locations.find(key);
            const ConfigError error(who + ": unknown parameter '" + key +
                                        "'; documented parameters: " + listNames(description.params),
                                    at == config.param_locations.end() ? config.where : at->second);
            if (options_.strict_params)
                throw error;
            log_.output(CALL_INFO, "warning: %s (passed on, as SST does; --strict-params makes this an error)\n",
                        error.what());
        }
    }
    for (const ElementInfoParam& param : description.params) {
        const bool required = param.defaultValue == nullptr && std::string(param.name).find('%') == std::string::npos;
        if (required && !config.params.contains(param.name))
            throw ConfigError(who + " is missing required parameter '" + param.name + "' (" +
                                  (param.description ? param.description : "") + ")",
                              config.where);
    }
    for (const auto& [stat_name, stat_params] : config.enabled_statistics) {
        bool documented = false;
        for (const ElementInfoStatistic& stat : description.statistics)
            documented = documented || stat_name == stat.name;
        if (!documented)
            throw ConfigError(who + ": unknown statistic '" + stat_name +
                                  "'; documented statistics: " + listNames(description.statistics),
                              config.enabled_statistics_where.at(stat_name));
    }
}

// Each port module: a known port module type, on a documented port that the configuration
// connected, enabling only statistics the type documents.
void Engine::validatePortModules(const ConfigComponent& config) const {
    const ComponentInfo& info = components_[config.id];
    const std::string who = "component '" + info.name() + "' (type " + info.type() + ")";
    for (const auto& [port, modules] : config.port_modules) {
        for (const ConfigPortModule& module : modules) {
            const std::string what = "port module '" + module.type + "' on port '" + port + "' of " + who;
            bool documented = false;
            for (const ElementInfoPort& p : info.description->ports)
                documented = documented || matchesEliName(p.name, port);
            if (!documented)
                throw ConfigError(what + ": the component has no port '" + port +
                                      "'; documented ports: " + listNames(info.description->ports),
                                  module.where);
            if (!info.links.count(port))
                throw ConfigError(what + ": the port is not connected to any link, so the module would never see an "
                                         "event",
                                  module.where);
            const ComponentDescription* description = nullptr;
            try {
                description = &ElementRegistry::instance().resolve(module.type, options_.lib_paths, module.where);
            } catch (const ConfigError& e) {
                throw ConfigError("port module on port '" + port + "' of " + who + ": " + e.message(), module.where);
            }
            if (description->kind != ElementKind::PortModule)
                throw ConfigError(what + ": '" + module.type +
                                      "' is not a port module (register it with "
                                      "SST_ELI_REGISTER_PORTMODULE)",
                                  module.where);
            for (const auto& [stat_name, stat_params] : module.enabled_statistics) {
                bool known = false;
                for (const ElementInfoStatistic& stat : description->statistics)
                    known = known || stat_name == stat.name;
                if (!known)
                    throw ConfigError(what + ": unknown statistic '" + stat_name +
                                          "'; documented statistics: " + listNames(description->statistics),
                                      module.enabled_statistics_where.at(stat_name));
            }
        }
    }
}

PortModule* Engine::createPortModule(ComponentInfo& info, const ConfigPortModule& config, const std::string& port,
                                     size_t index) {
    const ComponentDescription& description =
        ElementRegistry::instance().resolve(config.type, options_.lib_paths, config.where);
    const PortModuleSite site{info.component, port, index, &config, &description};
    const PortModuleSite* outer = PortModuleSite::current;
    PortModuleSite::current = &site;
    Params params = config.params;
    PortModule* module = nullptr;
    try {
        module = static_cast<PortModule*>(description.create_with_args(info.id, params, nullptr));
    } catch (const Params::ConversionError& e) {
        PortModuleSite::current = outer;
        throw ConfigError("port module '" + config.type + "' on port '" + port + "' of component '" + info.name() +
                              "': parameter '" + e.key() + "' = '" + e.value() + "' is invalid: " + e.reason(),
                          config.where);
    }
    PortModuleSite::current = outer;
    return module;
}

void Engine::wireLinks() {
    auto newEnd = [this](ComponentInfo& owner, const ConfigLinkEnd& end) {
        links_.push_back(std::unique_ptr<Link>(new Link(this, links_.size(), end.latency)));
        Link* link = links_.back().get();
        link->owner_ = &owner;
        link->port_ = end.port;
        owner.links.emplace(end.port, link);
        return link;
    };

    for (const ConfigLink& link : graph_.links()) {
        if (link.ends.size() < 2) {
            if (link.ends.empty())
                throw ConfigError("link '" + link.name + "' is never connected; a link needs two ends", link.where);
            const ConfigLinkEnd& end = link.ends.front();
            throw ConfigError("link '" + link.name + "' has only one end (port '" + end.port + "' of component '" +
                                  graph_.component(end.component).name + "'); a link needs two ends",
                              end.where);
        }
        for (const ConfigLinkEnd& end : link.ends) {
            ComponentInfo& owner = components_[end.component];
            bool documented = false;
            for (const ElementInfoPort& port : owner.description->ports)
                documented = documented || matchesEliName(port.name, end.port);
            if (!documented)
                throw ConfigError("component '" + owner.name() + "' (type " + owner.type() + ") has no port '" +
                                      end.port + "'; documented ports: " + listNames(owner.description->ports),
                                  end.where);
        }
        if (link.isLoopback()) {
            Link* self = newEnd(components_[link.ends[0].component], link.ends[0]);
            self->pair_ = self;
            continue;
        }
        Link* a = newEnd(components_[link.ends[0].component], link.ends[0]);
        Link* b = newEnd(components_[link.ends[1].component], link.ends[1]);
        a->pair_ = b;
        b->pair_ = a;
    }
}

void Engine::constructComponents() {
    phase_ = Phase::Construction;
    for (size_t index = 0; index < components_.size(); ++index) {
        ComponentInfo& info = components_[index];  // by index: loading appends
        if (info.isSubComponent())
            continue;  // built when its parent loads it
        log_.verbose(CALL_INFO, 2, 0, "constructing %s\n", info.describe().c_str());
        construct(info, [&] { info.description->create(info.id, info.params); });
    }
}

// Runs create() as the construction of info (nested for subcomponents), turning what it throws
// into a ConfigError about info's parameters or constructor.
BaseComponent* Engine::construct(ComponentInfo& info, const std::function<void()>& create) {
    const ConfigComponent& config = *info.config;
    const ComponentInfo* outer = constructing_;
    const std::string who = "component '" + info.name() + "' (type " + info.type() + ")";
    constructing_ = &info;
    try {
        create();
    } catch (const Params::ConversionError& e) {
        auto at = config.param_locations.find(e.key());
        const bool in_file = at != config.param_locations.end();
        std::string what = info.params.contains(e.key())
                               ? "parameter '" + e.key() + "' = '" + e.value() + "' is invalid"
                               : "the value '" + e.value() + "' used for parameter '" + e.key() + "' is invalid";
        throw ConfigError(who + ": " + what + ": " + e.reason(), in_file ? at->second : config.where);
    } catch (const ConfigError&) {
        throw;
    } catch (const std::exception& e) {
        throw ConfigError(who + " failed in its constructor: " + e.what(), config.where);
    }
    constructing_ = outer;
    return info.component;
}

// Whether the configuration connected a port of info or of one of its user subcomponents (SST
// warns about components without, as they often mean a wiring mistake).
bool Engine::hasLinks(const ComponentInfo& info) const {
    if (!info.links.empty())
        return true;
    for (const ConfigComponent& c : graph_.components())
        if (c.parent == info.id && hasLinks(components_[c.id]))
            return true;
    return false;
}

std::vector<const ConfigComponent*> Engine::userSubComponents(const ComponentInfo& parent,
                                                              const std::string& slot_name) const {
    std::vector<const ConfigComponent*> subs;
    if (parent.anonymous)
        return subs;  // the configuration cannot name an anonymous subcomponent's slots
    for (const ConfigComponent& c : graph_.components())
        if (c.parent == parent.id && c.slot_name == slot_name)
            subs.push_back(&c);
    std::sort(subs.begin(), subs.end(),
              [](const ConfigComponent* a, const ConfigComponent* b) { return a->slot_num < b->slot_num; });
    return subs;
}

const ComponentDescription& Engine::resolveLoadable(const ComponentInfo& owner, const std::string& type,
                                                    ElementKind kind, const std::type_info& args_type) const {
    const char* what = kind == ElementKind::Module ? "module" : "subcomponent";
    const ComponentDescription* description = nullptr;
    try {
        description = &ElementRegistry::instance().resolve(type, options_.lib_paths, owner.config->where);
    } catch (const ConfigError& e) {
        fatalExit(1, owner.describe() + ": cannot load " + what + " '" + type + "': " + e.message());
    }
    if (description->kind != kind)
        fatalExit(1, owner.describe() + ": '" + type + "' is not a " + what);
    if (*description->args_type != args_type)
        fatalExit(1, owner.describe() + ": " + what + " '" + type +
                         "' takes other constructor arguments than the API it is loaded through");
    return *description;
}

BaseComponent* Engine::createSubComponent(ComponentInfo& parent, const std::string& type, const std::string& slot_name,
                                          int slot_num, uint64_t share_flags, Params* params, void* args,
                                          const std::type_info& args_type) {
    ComponentInfo* info = nullptr;
    if (params == nullptr) {  // a user subcomponent: the configuration gave its type and params
        const std::vector<const ConfigComponent*> subs = userSubComponents(parent, slot_name);
        const ConfigComponent* config = nullptr;
        if (slot_num < 0 && subs.size() > 1)
            fatalExit(1, parent.describe() + ": slot '" + slot_name + "' holds " + std::to_string(subs.size()) +
                             " subcomponents; load them with getSubComponentSlotInfo()");
        for (const ConfigComponent* c : subs)
            if (slot_num < 0 || c->slot_num == slot_num)
                config = c;
        if (config == nullptr)
            return nullptr;
        info = &components_[config->id];
        if (info->loaded)
            fatalExit(1, info->describe() + " was loaded twice");
        resolveLoadable(parent, config->type, ElementKind::SubComponent, args_type);
    } else {
        if (type.empty())
            fatalExit(1, parent.describe() + ": loadAnonymousSubComponent for slot '" + slot_name + "' names no type");
        const ComponentDescription& description = resolveLoadable(parent, type, ElementKind::SubComponent, args_type);
        ConfigComponent& config = anonymous_configs_.emplace_back();
        config.id = components_.size();
        config.name = parent.name() + ":" + slot_name + "[" + std::to_string(slot_num) + "]";
        config.type = type;
        config.where = parent.config->where;
        config.parent = parent.id;
        config.slot_name = slot_name;
        config.slot_num = slot_num;
        info = &components_.emplace_back(config.id, config, description, params ? *params : Params());
        info->anonymous = true;
    }
    info->parent = &parent;
    info->share_flags = share_flags;
    info->loaded = true;
    log_.verbose(CALL_INFO, 2, 0, "constructing %s\n", info->describe().c_str());
    // The constructor gets the caller's params object for an anonymous subcomponent, as in SST.
    Params& ctor_params = params ? *params : info->params;
    const ComponentDescription& description = *info->description;
    const ComponentId_t id = info->id;
    return construct(*info, [&] { description.create_with_args(id, ctor_params, args); });
}

void* Engine::createModule(const ComponentInfo& owner, const std::string& type, Params& params, void* args,
                           const std::type_info& args_type) {
    return resolveLoadable(owner, type, ElementKind::Module, args_type).create_with_args(owner.id, params, args);
}

ComponentInfo& Engine::componentInfo(ComponentId_t id) { return components_.at(id); }

Link* Engine::selfLink(ComponentInfo& info, const std::string& port) {
    if (auto it = info.links.find(port); it != info.links.end())
        return it->second;
    links_.push_back(std::unique_ptr<Link>(new Link(this, links_.size(), 0)));
    Link* link = links_.back().get();
    link->pair_ = link;
    link->owner_ = &info;
    link->port_ = port;
    info.links.emplace(port, link);
    return link;
}

ClockTicker& Engine::clockFor(SimTime_t period) {
    auto& ticker = clocks_[period];
    if (!ticker)
        ticker = std::make_unique<ClockTicker>(*this, period);
    return *ticker;
}

ClockTicker* Engine::findClock(SimTime_t period) {
    auto it = clocks_.find(period);
    return it == clocks_.end() ? nullptr : it->second.get();
}

void Engine::registerPrimary(ComponentInfo& info) { info.primary = true; }

void Engine::primaryDoNotEndSim(ComponentInfo& info) {
    if (!info.primary || info.holding_sim_end)
        return;
    info.holding_sim_end = true;
    ++holding_sim_end_;
}

void Engine::primaryOKToEndSim(ComponentInfo& info) {
    if (!info.primary || !info.holding_sim_end)
        return;
    info.holding_sim_end = false;
    if (--holding_sim_end_ == 0 && phase_ <= Phase::Run)
        end_check_->scheduleNow();
}

uint8_t Engine::statisticLoadLevel(const ComponentInfo& info) const {
    const int level =
        info.config->statistic_load_level >= 0 ? info.config->statistic_load_level : graph_.statistic_output.load_level;
    return static_cast<uint8_t>(level);
}

void Engine::adoptStatistic(ComponentInfo& info, Statistics::StatisticBase* stat, const Params& stat_params) {
    info.statistics[{stat->getStatName(), stat->getStatSubId()}] = stat;
    const auto enabled_at = info.config->enabled_statistics_where.find(stat->getStatName());
    adoptOutput(stat, stat_params,
                enabled_at != info.config->enabled_statistics_where.end() ? enabled_at->second
                                                                          : info.config->all_statistics_where);
}

// Not in the component's by-name map: a port module's statistics may share a component
// statistic's name.
void Engine::adoptPortModuleStatistic(ComponentInfo&, const ConfigPortModule& config, Statistics::StatisticBase* stat,
                                      const Params& stat_params) {
    const auto enabled_at = config.enabled_statistics_where.find(stat->getStatName());
    adoptOutput(stat, stat_params,
                enabled_at != config.enabled_statistics_where.end() ? enabled_at->second : config.where);
}

void Engine::adoptOutput(Statistics::StatisticBase* stat, const Params& stat_params, const ConfigLocation& where) {
    statistics_.push_back(stat);
    if (stat->isNullStatistic())
        return;

    const std::string rate = stat_params.find<std::string>("rate", "");
    if (rate.empty())
        return;
    const SimTime_t period = parseTime(rate, where);
    if (period == 0)
        return;  // SST's "0ns": only at the end
    auto group = std::find_if(periodic_outputs_.begin(), periodic_outputs_.end(),
                              [&](const PeriodicOutput& p) { return p.period == period; });
    if (group == periodic_outputs_.end())
        group = periodic_outputs_.insert(periodic_outputs_.end(), {period, (now_ / period + 1) * period, {}});
    group->stats.push_back(stat);
    updateBarrier();
}

void Engine::updateBarrier() {
    barrier_ = stop_time_;
    // Output for time t follows everything else at t, so it is due once the queue moves past t.
    for (const PeriodicOutput& output : periodic_outputs_)
        barrier_ = std::min(barrier_, output.next + 1);
}

void Engine::writePeriodicOutputs(SimTime_t before) {
    for (PeriodicOutput& output : periodic_outputs_) {
        for (; output.next < before; output.next += output.period)
            statistic_output_->write(output.stats, output.next);
    }
    updateBarrier();
}

void Engine::flushOutputs() {
    std::fflush(nullptr);
    if (statistic_output_)
        statistic_output_->flush();
}

RunReport Engine::run() {
    RunReport report;
    using std::chrono::steady_clock;
    StopSignals signals;

    if (options_.build_only) {  // as SST's --run-mode=init: construction was all there was to do
        phase_ = Phase::Done;
        if (options_.print_completion)
            std::printf("Simulation is complete, simulated time: %s\n", formatTime(now_).c_str());
        std::fflush(stdout);
        return report;
    }

    phase_ = Phase::Init;
    shared_objects_.updateState(false);  // who published during construction
    runUntimedPhases(false, report.init_phases);
    discardUntimedData();
    log_.verbose(CALL_INFO, 1, 0, "init took %u phases\n", report.init_phases);

    phase_ = Phase::Setup;
    shared_objects_.updateState(true);  // as in SST: shared data is final from setup() on
    accepts_events_ = true;
    for (size_t index = 0; index < components_.size(); ++index) {
        ComponentInfo& info = components_[index];  // by index: loading appends
        if (!info.isSubComponent())
            info.component->setup();
    }

    phase_ = Phase::Run;
    const auto run_start = steady_clock::now();
    runLoop();
    actOnStopSignal(signals);
    report.run_seconds = secondsSince(run_start);
    accepts_events_ = false;
    log_.verbose(CALL_INFO, 1, 0, "run ended at %s (%s) after %" PRIu64 " activities in %.3f s\n",
                 formatTime(now_).c_str(), toString(end_reason_), dispatched_, report.run_seconds);

    phase_ = Phase::Complete;
    runUntimedPhases(true, report.complete_phases);
    discardUntimedData();

    phase_ = Phase::Finish;
    for (size_t index = 0; index < components_.size(); ++index) {
        ComponentInfo& info = components_[index];  // by index: loading appends
        if (!info.isSubComponent())
            info.component->finish();
    }
    writeStatistics();
    actOnStopSignal(signals);  // one that came while the run was ending
    phase_ = Phase::Done;

    report.end_time = now_;
    report.reason = end_reason_;
    report.dispatched = dispatched_;
    report.signal = stop_signal_;
    // An interrupted run has said so, with the time: it is not complete.
    if (options_.print_completion && stop_signal_ == 0)
        std::printf("Simulation is complete, simulated time: %s\n", formatTime(now_).c_str());
    if (options_.print_timing) {
        std::printf("Timing: run %.6f s, %" PRIu64
                    " activities (%.3g per second), init %u phases, complete %u phases\n",
                    report.run_seconds, dispatched_, report.run_seconds > 0 ? dispatched_ / report.run_seconds : 0.0,
                    report.init_phases, report.complete_phases);
    }
    std::fflush(stdout);
    return report;
}

void Engine::runUntimedPhases(bool complete_phase, unsigned& phases) {
    for (unsigned phase = 0;; ++phase) {
        ++untimed_round_;
        untimed_sent_ = 0;
        for (size_t index = 0; index < components_.size(); ++index) {
            ComponentInfo& info = components_[index];  // by index: loading appends
            if (info.isSubComponent())
                continue;  // its parent calls it, as in SST
            if (complete_phase)
                info.component->complete(phase);
            else
                info.component->init(phase);
        }
        if (!complete_phase)
            shared_objects_.updateState(false);
        phases = phase + 1;
        if (untimed_sent_ == 0)
            return;
    }
}

void Engine::discardUntimedData() {
    for (auto& link : links_)
        if (link->queues_)
            link->queues_->clearUntimed();
}

// Says once that the run was interrupted, when a stop signal has come.
void Engine::actOnStopSignal(StopSignals& signals) {
    if (stop_signal_ != 0 || StopSignals::received() == 0)
        return;
    stop_signal_ = StopSignals::received();
    signals.acknowledge();
    std::fflush(stdout);  // keep stdout's earlier lines ahead of the message
    std::fprintf(stderr, "qemu-sst: interrupted by %s at simulated time %s\n", stopSignalName(stop_signal_),
                 formatTime(now_).c_str());
}

void Engine::runLoop() {
    while (!end_requested_) {
        if (StopSignals::received() != 0) [[unlikely]] {
            end_reason_ = EndReason::Interrupted;  // before the next activity
            return;
        }
        if (queue_.empty()) {
            if (stop_time_ != MAX_SIMTIME_T) {
                // SST's stop is itself an activity, so the run reaches the stop time regardless.
                writePeriodicOutputs(stop_time_);
                now_ = stop_time_;
                end_reason_ = EndReason::StopTime;
                return;
            }
            end_reason_ = EndReason::QueueEmpty;
            return;
        }
        if (const SimTime_t next = queue_.peek().time; next >= barrier_) {
            if (next >= stop_time_) {
                writePeriodicOutputs(stop_time_);
                now_ = stop_time_;
                end_reason_ = EndReason::StopTime;
                return;
            }
            writePeriodicOutputs(next);
        }
        const ActivityQueue::Entry entry = queue_.pop();
        if (entry.time < now_) [[unlikely]]
            timeFault(entry.time);
        now_ = entry.time;
        current_priority_ = entry.priority;
        if (entry.payload & kActionTag) {
            reinterpret_cast<Action*>(entry.payload & ~kActionTag)->execute();
        } else {
            Event* event = reinterpret_cast<Event*>(entry.payload);
            (*event->delivery_handler_)(event);
        }
        ++dispatched_;
    }
}

// Times are 64-bit picosecond counts: something scheduled past 2^64 ps (about 213 days), e.g.
// by a clock with a period of minutes ticking on, wraps round to the past.
void Engine::timeFault(SimTime_t due) const {
    fatalExit(1, "time fault: an activity came due at " + std::to_string(due) + " ps, before the current time " +
                     std::to_string(now_) +
                     " ps: simulated time overflowed its 64-bit count of picoseconds (about 213 days)");
}

void Engine::writeStatistics() {
    std::vector<Statistics::StatisticBase*> enabled;
    for (Statistics::StatisticBase* stat : statistics_)
        if (!stat->isNullStatistic())
            enabled.push_back(stat);
    if (!enabled.empty())
        statistic_output_->write(enabled, now_);
    statistic_output_->flush();
}

void Engine::destroyAll() {
    accepts_events_ = false;
    // A component's destructor deletes its subcomponents and extensions (base_component.cc).
    for (size_t index = 0; index < components_.size(); ++index) {
        ComponentInfo& info = components_[index];  // by index: loading appends
        if (!info.isSubComponent())
            delete info.component;
    }
    for (Statistics::StatisticBase* stat : statistics_)
        delete stat;
    statistics_.clear();
    for (size_t index = 0; index < components_.size(); ++index) {
        ComponentInfo& info = components_[index];  // by index: loading appends
        for (Clock::HandlerBase* handler : info.clock_handlers)
            delete handler;
        info.clock_handlers.clear();
    }
    queue_.drain([](uintptr_t payload) {
        if (!(payload & kActionTag))
            delete reinterpret_cast<Event*>(payload);
    });
    links_.clear();
    clocks_.clear();
}

const char* toString(EndReason reason) {
    switch (reason) {
    case EndReason::QueueEmpty: return "nothing left to simulate";
    case EndReason::StopTime: return "reached the stop time";
    case EndReason::PrimaryDone: return "primary components allowed the end";
    case EndReason::Interrupted:
        return "SIGINT or SIGTERM";  // not "interrupted": that is said once, by actOnStopSignal
    }
    return "?";
}

SimTime_t nextActivityTime() {
    Engine* engine = Engine::current();
    return engine ? engine->nextActivityTime() : MAX_SIMTIME_T;
}

RunReport runSimulation(const ConfigGraph& graph, const ProgramOptions& options) {
    if (Engine::current() != nullptr)
        throw std::logic_error("runSimulation: a simulation is already running");
    const auto start = std::chrono::steady_clock::now();
    Engine engine(graph, options);
    engine.build();
    const double build_seconds = secondsSince(start);
    RunReport report = engine.run();
    report.build_seconds = build_seconds;
    return report;
}

}  // namespace SST::Core

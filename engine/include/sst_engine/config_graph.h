#ifndef SST_ENGINE_CONFIG_GRAPH_H
#define SST_ENGINE_CONFIG_GRAPH_H

// The simulation graph a configuration builds: components with their parameters and statistic
// settings, and the links between their ports.  The Python `sst` module fills one in; C++
// benchmarks and tests build one directly.  Structural mistakes (a port used twice, a bad
// latency) are reported as they are made; everything that depends on the element types
// (unknown types, parameters, ports) is checked when the simulation is built.

#include "sst/core/params.h"
#include "sst/core/sst_types.h"

#include <deque>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace SST::Core {

// Where in the configuration something was declared, e.g. config.py:12.
struct ConfigLocation {
    std::string file;
    int line = 0;

    bool known() const { return !file.empty(); }
    std::string toString() const;  // "file:line", or "<unknown location>"
};

// A mistake in the configuration.  what() is "file:line: message" when the location is known.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(const std::string& message, const ConfigLocation& where = {});

    const std::string& message() const { return message_; }
    const ConfigLocation& where() const { return where_; }

private:
    std::string message_;
    ConfigLocation where_;
};

// Parses a link latency or a time such as "1ns", "2.5 us" or "0" into picoseconds.  Throws
// ConfigError (at where) unless it is a non-negative whole number of picoseconds.
SimTime_t parseTime(const std::string& text, const ConfigLocation& where = {});

inline constexpr ComponentId_t kNoParent = ~ComponentId_t(0);

// A PortModule the configuration installed on a port (comp.addPortModule).  Its statistics
// follow SST's port module rules: enabled by name, or when the ELI level is within this
// module's load level (the program-wide one when unset); enable-all only supplies parameters.
struct ConfigPortModule {
    std::string type;  // "library.name"
    Params params;
    ConfigLocation where;
    int statistic_load_level = -1;  // -1: the program-wide level
    Params all_statistics_params;
    std::map<std::string, Params> enabled_statistics;
    std::map<std::string, ConfigLocation> enabled_statistics_where;
};

struct ConfigComponent {
    ComponentId_t id;
    std::string name;  // a subcomponent's is "parent:slot[n]"
    std::string type;  // "library.element"
    ConfigLocation where;

    // A user subcomponent: set by parent.setSubComponent(slot_name, type, slot_num).
    ComponentId_t parent = kNoParent;
    std::string slot_name;
    int slot_num = -1;

    Params params;
    std::map<std::string, ConfigLocation> param_locations;

    // Statistics: enable-all (subject to the load level) and by name (always).
    bool enable_all_statistics = false;
    Params all_statistics_params;
    ConfigLocation all_statistics_where;
    std::map<std::string, Params> enabled_statistics;
    std::map<std::string, ConfigLocation> enabled_statistics_where;
    int statistic_load_level = -1;  // -1: the program-wide level
    // createStatistic(name, params): a statistic of this component that others feed.
    std::map<std::string, Params> created_statistics;
    // setStatistic(name, stat): this component's statistic `name` is the created statistic
    // (owner id, its name).
    std::map<std::string, std::pair<ComponentId_t, std::string>> statistic_links;
    // PortModules by port, in installation order (the order they see events).
    std::map<std::string, std::vector<ConfigPortModule>> port_modules;

    void addParam(const std::string& key, const std::string& value, const ConfigLocation& at = {});
    void addParams(const Params& values, const ConfigLocation& at = {});
    void enableAllStatistics(const Params& stat_params, const ConfigLocation& at = {});
    void enableStatistic(const std::string& stat_name, const Params& stat_params, const ConfigLocation& at = {});
    // Returns the module's index among the port's modules.
    size_t addPortModule(const std::string& port, const std::string& type, const Params& module_params,
                         const ConfigLocation& at = {});
};

struct ConfigLinkEnd {
    ComponentId_t component;
    std::string port;
    SimTime_t latency;  // ps, for events sent from this end
    ConfigLocation where;
};

struct ConfigLink {
    size_t id;
    std::string name;
    std::string default_latency;  // used by ends connected without one
    ConfigLocation where;
    std::vector<ConfigLinkEnd> ends;

    // Both ends on the same port of the same component: a self link.
    bool isLoopback() const {
        return ends.size() == 2 && ends[0].component == ends[1].component && ends[0].port == ends[1].port;
    }
};

// Program-wide statistic settings.
struct StatisticOutputConfig {
    std::string type = "sst.statOutputConsole";  // or "sst.statOutputCSV"
    Params params;                               // CSV: filepath, separator
    ConfigLocation where;
    int load_level = 0;
};

class ConfigGraph {
public:
    // Throws ConfigError when the name is already used.
    ConfigComponent& addComponent(const std::string& name, const std::string& type, const ConfigLocation& where = {});
    // Throws ConfigError when the slot index is negative or already filled.
    ConfigComponent& addSubComponent(ComponentId_t parent, const std::string& slot_name, const std::string& type,
                                     int slot_num, const ConfigLocation& where = {});
    ConfigLink& addLink(const std::string& name, const std::string& default_latency = "",
                        const ConfigLocation& where = {});

    // Attaches one end of link to comp.port.  latency may be empty to use the link's default.
    // Throws ConfigError for a bad latency, a port that is already connected, or a third end.
    void connect(ConfigLink& link, ComponentId_t comp, const std::string& port, const std::string& latency,
                 const ConfigLocation& where = {});

    ConfigComponent& component(ComponentId_t id) { return components_.at(id); }
    const ConfigComponent& component(ComponentId_t id) const { return components_.at(id); }
    ConfigComponent* findComponent(const std::string& name);
    ConfigLink& link(size_t id) { return links_.at(id); }

    const std::deque<ConfigComponent>& components() const { return components_; }
    const std::deque<ConfigLink>& links() const { return links_; }

    // These apply to the components that exist when they are called, as in SST.
    void enableAllStatisticsForAllComponents(const Params& stat_params, const ConfigLocation& where = {});
    void enableAllStatisticsForComponentType(const std::string& type, const Params& stat_params,
                                             const ConfigLocation& where = {});
    void enableStatisticForComponentType(const std::string& type, const std::string& stat_name,
                                         const Params& stat_params, const ConfigLocation& where = {});
    void setStatisticLoadLevelForComponentType(const std::string& type, int level);

    StatisticOutputConfig statistic_output;

    // Options a configuration set with sst.setProgramOption(); the runner interprets them.
    std::map<std::string, std::string> program_options;

    // Shared parameter sets (sst.addSharedParam[s], Component.addSharedParamSet): a set exists
    // from its first mention, whether that adds a value or subscribes a component to it.
    std::shared_ptr<Params::SharedSet> sharedParamSet(const std::string& name);
    void addSharedParam(const std::string& set, const std::string& key, const std::string& value) {
        sharedParamSet(set)->values[key] = value;
    }

private:
    // References handed out stay valid as the graph grows.
    std::deque<ConfigComponent> components_;
    std::deque<ConfigLink> links_;
    std::map<std::string, ComponentId_t> names_;
    std::map<std::pair<ComponentId_t, std::string>, const ConfigLink*> used_ports_;
    std::map<std::string, std::shared_ptr<Params::SharedSet>> shared_params_;
};

}  // namespace SST::Core

#endif

#include "sst_engine/config_graph.h"

#include "sst/core/unitAlgebra.h"

namespace SST::Core {

std::string ConfigLocation::toString() const {
    return known() ? file + ":" + std::to_string(line) : "<unknown location>";
}

ConfigError::ConfigError(const std::string& message, const ConfigLocation& where)
    : std::runtime_error(where.known() ? where.toString() + ": " + message : message), message_(message),
      where_(where) {}

SimTime_t parseTime(const std::string& text, const ConfigLocation& where) {
    try {
        const UnitAlgebra time(text);
        if (time.isValueZero() && time.getUnits().empty())
            return 0;  // a bare "0"
        if (!time.hasUnits("s"))
            throw ConfigError("'" + text + "' is not a time (e.g. 1ns, 2.5us)", where);
        const Rational ps = time.getValue() * Rational(1000000000000LL);
        if (ps < Rational(0))
            throw ConfigError("the time '" + text + "' is negative", where);
        if (!ps.isInteger())
            throw ConfigError("the time '" + text + "' is not a whole number of picoseconds (the core time base)",
                              where);
        return ps.toUnsignedLong();
    } catch (const UnitAlgebra::UnitAlgebraException& e) {
        throw ConfigError("invalid time '" + text + "': " + e.what(), where);
    }
}

void ConfigComponent::addParam(const std::string& key, const std::string& value, const ConfigLocation& at) {
    params.insert(key, value);
    param_locations[key] = at.known() ? at : where;
}

void ConfigComponent::addParams(const Params& values, const ConfigLocation& at) {
    for (const std::string& key : values.getKeys())
        addParam(key, values.find<std::string>(key), at);
}

void ConfigComponent::enableAllStatistics(const Params& stat_params, const ConfigLocation& at) {
    enable_all_statistics = true;
    all_statistics_params.insert(stat_params, true);
    all_statistics_where = at.known() ? at : where;
}

void ConfigComponent::enableStatistic(const std::string& stat_name, const Params& stat_params,
                                      const ConfigLocation& at) {
    enabled_statistics[stat_name].insert(stat_params, true);
    enabled_statistics_where[stat_name] = at.known() ? at : where;
}

size_t ConfigComponent::addPortModule(const std::string& port, const std::string& module_type,
                                      const Params& module_params, const ConfigLocation& at) {
    std::vector<ConfigPortModule>& modules = port_modules[port];
    ConfigPortModule& module = modules.emplace_back();
    module.type = module_type;
    module.params = module_params;
    module.where = at.known() ? at : where;
    return modules.size() - 1;
}

std::shared_ptr<Params::SharedSet> ConfigGraph::sharedParamSet(const std::string& name) {
    std::shared_ptr<Params::SharedSet>& set = shared_params_[name];
    if (!set)
        set = std::make_shared<Params::SharedSet>(Params::SharedSet{name, {}});
    return set;
}

ConfigComponent& ConfigGraph::addComponent(const std::string& name, const std::string& type,
                                           const ConfigLocation& where) {
    if (name.empty())
        throw ConfigError("a component needs a name", where);
    if (auto it = names_.find(name); it != names_.end())
        throw ConfigError("a component named '" + name + "' already exists (created at " +
                              components_[it->second].where.toString() + ")",
                          where);
    const ComponentId_t id = components_.size();
    names_.emplace(name, id);
    ConfigComponent& component = components_.emplace_back();
    component.id = id;
    component.name = name;
    component.type = type;
    component.where = where;
    return component;
}

ConfigComponent& ConfigGraph::addSubComponent(ComponentId_t parent, const std::string& slot_name,
                                              const std::string& type, int slot_num, const ConfigLocation& where) {
    if (slot_num < 0)
        throw ConfigError("subcomponent slot index " + std::to_string(slot_num) + " is negative", where);
    const std::string name = components_.at(parent).name + ":" + slot_name + "[" + std::to_string(slot_num) + "]";
    if (auto it = names_.find(name); it != names_.end())
        throw ConfigError("slot " + slot_name + "[" + std::to_string(slot_num) + "] of '" + components_[parent].name +
                              "' is already filled (at " + components_[it->second].where.toString() + ")",
                          where);
    ConfigComponent& sub = addComponent(name, type, where);
    sub.parent = parent;
    sub.slot_name = slot_name;
    sub.slot_num = slot_num;
    return sub;
}

ConfigLink& ConfigGraph::addLink(const std::string& name, const std::string& default_latency,
                                 const ConfigLocation& where) {
    if (!default_latency.empty())
        parseTime(default_latency, where);
    ConfigLink& link = links_.emplace_back();
    link.id = links_.size() - 1;
    link.name = name;
    link.default_latency = default_latency;
    link.where = where;
    return link;
}

void ConfigGraph::connect(ConfigLink& link, ComponentId_t comp, const std::string& port, const std::string& latency,
                          const ConfigLocation& where) {
    const ConfigComponent& owner = components_.at(comp);
    if (link.ends.size() == 2)
        throw ConfigError("link '" + link.name + "' already has two ends; it cannot also connect port '" + port +
                              "' of component '" + owner.name + "'",
                          where);
    const std::string& text = latency.empty() ? link.default_latency : latency;
    if (text.empty())
        throw ConfigError("no latency for port '" + port + "' of component '" + owner.name + "' on link '" + link.name +
                              "' (give one when connecting, or a default in sst.Link(name, latency))",
                          where);
    const SimTime_t ps = parseTime(text, where);

    // A self link connects one port to itself: the second end may repeat the first.
    const bool loopback = link.ends.size() == 1 && link.ends[0].component == comp && link.ends[0].port == port;
    auto [used, fresh] = used_ports_.emplace(std::make_pair(comp, port), &link);
    if (!fresh && !loopback) {
        const ConfigLink& other = *used->second;
        ConfigLocation first = other.where;
        for (const ConfigLinkEnd& end : other.ends)
            if (end.component == comp && end.port == port)
                first = end.where;
        throw ConfigError("port '" + port + "' of component '" + owner.name + "' is already connected (by link '" +
                              other.name + "' at " + first.toString() + ")",
                          where);
    }
    link.ends.push_back(ConfigLinkEnd{comp, port, ps, where});
}

ConfigComponent* ConfigGraph::findComponent(const std::string& name) {
    auto it = names_.find(name);
    return it == names_.end() ? nullptr : &components_[it->second];
}

void ConfigGraph::enableAllStatisticsForAllComponents(const Params& stat_params, const ConfigLocation& where) {
    for (ConfigComponent& component : components_)
        component.enableAllStatistics(stat_params, where);
}

void ConfigGraph::enableAllStatisticsForComponentType(const std::string& type, const Params& stat_params,
                                                      const ConfigLocation& where) {
    for (ConfigComponent& component : components_)
        if (component.type == type)
            component.enableAllStatistics(stat_params, where);
}

void ConfigGraph::enableStatisticForComponentType(const std::string& type, const std::string& stat_name,
                                                  const Params& stat_params, const ConfigLocation& where) {
    for (ConfigComponent& component : components_)
        if (component.type == type)
            component.enableStatistic(stat_name, stat_params, where);
}

void ConfigGraph::setStatisticLoadLevelForComponentType(const std::string& type, int level) {
    for (ConfigComponent& component : components_)
        if (component.type == type)
            component.statistic_load_level = level;
}

}  // namespace SST::Core

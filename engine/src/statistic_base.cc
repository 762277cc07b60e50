#include "sst/core/baseComponent.h"
#include "sst/core/statapi/statbase.h"

namespace SST::Statistics {

StatisticBase::StatisticBase(BaseComponent* comp, const std::string& stat_name, const std::string& stat_sub_id, Params&)
    : comp_name_(comp->getName()), stat_name_(stat_name), stat_sub_id_(stat_sub_id) {}

std::string StatisticBase::getFullStatName() const {
    std::string name = comp_name_ + "." + stat_name_;
    if (!stat_sub_id_.empty())
        name += "." + stat_sub_id_;
    return name;
}

}  // namespace SST::Statistics

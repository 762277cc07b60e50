#ifndef SST_CORE_STATAPI_STATNULL_H
#define SST_CORE_STATAPI_STATNULL_H

#include "sst/core/statapi/statbase.h"

namespace SST::Statistics {

// Handed out for statistics the configuration did not enable: addData() costs one branch.
template <class T>
class NullStatistic : public Statistic<T> {
public:
    NullStatistic(BaseComponent* comp, const std::string& stat_name, const std::string& stat_sub_id,
                  Params& stat_params)
        : Statistic<T>(comp, stat_name, stat_sub_id, stat_params) {
        this->disable();
    }

    const std::string& getStatTypeName() const override {
        static const std::string type_name = "NULL";
        return type_name;
    }
    bool isNullStatistic() const override { return true; }
    void outputStatisticFields(std::vector<StatisticField>&) const override {}

private:
    void addData_impl(T) override {}
    void addData_impl_Ntimes(uint64_t, T) override {}
};

}  // namespace SST::Statistics

#endif

#ifndef SST_CORE_STATAPI_STATACCUMULATOR_H
#define SST_CORE_STATAPI_STATACCUMULATOR_H

#include "sst/core/statapi/statbase.h"

#include <algorithm>

namespace SST::Statistics {

// Sum, sum of squares, count, min and max of the values added.  Min and Max print as 0 when
// nothing was added.
template <class T>
class AccumulatorStatistic : public Statistic<T> {
public:
    AccumulatorStatistic(BaseComponent* comp, const std::string& stat_name, const std::string& stat_sub_id,
                         Params& stat_params)
        : Statistic<T>(comp, stat_name, stat_sub_id, stat_params) {}

    T getSum() const { return sum_; }
    T getSumSquared() const { return sum_squared_; }
    T getMin() const { return count_ ? min_ : T{}; }
    T getMax() const { return count_ ? max_ : T{}; }
    uint64_t getCount() const { return count_; }

    const std::string& getStatTypeName() const override {
        static const std::string type_name = "Accumulator";
        return type_name;
    }

    void clearStatisticData() override {
        sum_ = sum_squared_ = min_ = max_ = T{};
        count_ = 0;
    }

    void outputStatisticFields(std::vector<StatisticField>& fields) const override {
        fields.push_back(makeField("Sum", getSum()));
        fields.push_back(makeField("SumSQ", getSumSquared()));
        fields.push_back(makeField("Count", getCount()));
        fields.push_back(makeField("Min", getMin()));
        fields.push_back(makeField("Max", getMax()));
    }

private:
    void addData_impl(T value) override { addData_impl_Ntimes(1, value); }

    void addData_impl_Ntimes(uint64_t n, T value) override {
        min_ = count_ ? std::min(min_, value) : value;
        max_ = count_ ? std::max(max_, value) : value;
        sum_ += static_cast<T>(n * value);
        sum_squared_ += static_cast<T>(n * value * value);
        count_ += n;
    }

    T sum_ = {};
    T sum_squared_ = {};
    T min_ = {};
    T max_ = {};
    uint64_t count_ = 0;
};

}  // namespace SST::Statistics

#endif

#ifndef SST_CORE_STATAPI_STATBASE_H
#define SST_CORE_STATAPI_STATBASE_H

#include "sst/core/params.h"
#include "sst/core/sst_types.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace SST {

class BaseComponent;

namespace Statistics {

// One value in a statistic's output, e.g. {"Sum", "u64", "12"}.
struct StatisticField {
    std::string name;
    const char* type;
    std::string value;
};

// Output type tags as SST prints them ("Sum.u64").  Narrow integers report as their 32-bit kin.
template <class T>
constexpr const char* fieldTypeName() {
    if constexpr (std::is_floating_point_v<T>)
        return sizeof(T) <= 4 ? "f32" : "f64";
    else if constexpr (std::is_signed_v<T>)
        return sizeof(T) <= 4 ? "i32" : "i64";
    else
        return sizeof(T) <= 4 ? "u32" : "u64";
}

template <class T>
std::string formatFieldValue(T value) {
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string(buffer, result.ptr);
}

template <class T>
StatisticField makeField(const std::string& name, T value) {
    return StatisticField{name, fieldTypeName<T>(), formatFieldValue(value)};
}

class StatisticBase {
public:
    virtual ~StatisticBase() = default;
    StatisticBase(const StatisticBase&) = delete;
    StatisticBase& operator=(const StatisticBase&) = delete;

    void enable() { enabled_ = true; }
    void disable() { enabled_ = false; }
    bool isEnabled() const { return enabled_; }

    // Number of values added (addDataNTimes(n, v) counts n).
    uint64_t getCollectionCount() const { return collection_count_; }
    void resetCollectionCount() { collection_count_ = 0; }
    void incrementCollectionCount(uint64_t increment) { collection_count_ += increment; }

    const std::string& getCompName() const { return comp_name_; }
    const std::string& getStatName() const { return stat_name_; }
    const std::string& getStatSubId() const { return stat_sub_id_; }
    // comp.stat or comp.stat.subid
    std::string getFullStatName() const;

    // A port module's statistic goes by comp.port.index.stat, as in SST.
    void setPortModName(const std::string& port, size_t index) {
        comp_name_ += "." + port + "." + std::to_string(index);
    }

    // Short type name printed in outputs: "Accumulator", "Histogram", ...
    virtual const std::string& getStatTypeName() const = 0;
    virtual bool isNullStatistic() const { return false; }
    virtual void clearStatisticData() {}

    // Appends the output values, always the same fields in the same order for one statistic.
    virtual void outputStatisticFields(std::vector<StatisticField>& fields) const = 0;

protected:
    StatisticBase(BaseComponent* comp, const std::string& stat_name, const std::string& stat_sub_id,
                  Params& stat_params);

private:
    std::string comp_name_;
    std::string stat_name_;
    std::string stat_sub_id_;
    bool enabled_ = true;
    uint64_t collection_count_ = 0;
};

template <typename T>
class Statistic : public StatisticBase {
public:
    using Datum = T;

    void addData(T data) {
        if (isEnabled()) {
            addData_impl(data);
            incrementCollectionCount(1);
        }
    }

    void addDataNTimes(uint64_t n, T data) {
        if (isEnabled()) {
            addData_impl_Ntimes(n, data);
            incrementCollectionCount(n);
        }
    }

protected:
    Statistic(BaseComponent* comp, const std::string& stat_name, const std::string& stat_sub_id, Params& stat_params)
        : StatisticBase(comp, stat_name, stat_sub_id, stat_params) {}

    virtual void addData_impl(T data) = 0;
    virtual void addData_impl_Ntimes(uint64_t n, T data) {
        for (uint64_t i = 0; i < n; ++i)
            addData_impl(data);
    }
};

}  // namespace Statistics
}  // namespace SST

#endif

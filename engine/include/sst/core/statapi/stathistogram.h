#ifndef SST_CORE_STATAPI_STATHISTOGRAM_H
#define SST_CORE_STATAPI_STATHISTOGRAM_H

#include "sst/core/statapi/statbase.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace SST::Statistics {

// Counts values in numbins bins of width binwidth starting at minvalue; bin i holds
// [minvalue + i*binwidth, minvalue + (i+1)*binwidth).  Values outside every bin are counted as
// out of bounds below or above.  Sum and SumSQ cover every value added.
// Parameters: minvalue (0), binwidth (5000), numbins (100), dumpbinsonoutput (true),
// includeoutofbounds (true).
template <class T>
class HistogramStatistic : public Statistic<T> {
public:
    HistogramStatistic(BaseComponent* comp, const std::string& stat_name, const std::string& stat_sub_id,
                       Params& stat_params)
        : Statistic<T>(comp, stat_name, stat_sub_id, stat_params), min_value_(stat_params.find<T>("minvalue", T{})),
          bin_width_(stat_params.find<uint64_t>("binwidth", 5000)),
          dump_bins_(stat_params.find<bool>("dumpbinsonoutput", true)),
          include_out_of_bounds_(stat_params.find<bool>("includeoutofbounds", true)),
          bins_(stat_params.find<uint32_t>("numbins", 100), 0) {
        if (bin_width_ == 0)
            throw Params::ConversionError("binwidth", "0", "a histogram bin must be wider than 0");
    }

    T getBinsMinValue() const { return min_value_; }
    // Exclusive upper bound of the last bin.
    T getBinsEndValue() const { return static_cast<T>(min_value_ + bin_width_ * bins_.size()); }
    uint64_t getBinWidth() const { return bin_width_; }
    uint32_t getNumBins() const { return static_cast<uint32_t>(bins_.size()); }
    uint64_t getBinCount(uint32_t bin) const { return bins_.at(bin); }
    uint64_t getItemsBinnedCount() const { return items_binned_; }
    uint64_t getOutOfBoundsBelow() const { return below_; }
    uint64_t getOutOfBoundsAbove() const { return above_; }

    const std::string& getStatTypeName() const override {
        static const std::string type_name = "Histogram";
        return type_name;
    }

    void clearStatisticData() override {
        std::fill(bins_.begin(), bins_.end(), 0);
        sum_ = sum_squared_ = T{};
        items_binned_ = below_ = above_ = 0;
    }

    void outputStatisticFields(std::vector<StatisticField>& fields) const override {
        uint32_t active_bins = 0;
        for (uint64_t count : bins_)
            active_bins += count != 0;

        fields.push_back(makeField("BinsMinValue", min_value_));
        fields.push_back(makeField("BinsMaxValue", static_cast<T>(getBinsEndValue() - lastBinSlack())));
        fields.push_back(makeField("BinWidth", bin_width_));
        fields.push_back(makeField("TotalNumBins", getNumBins()));
        fields.push_back(makeField("Sum", sum_));
        fields.push_back(makeField("SumSQ", sum_squared_));
        fields.push_back(makeField("NumActiveBins", active_bins));
        fields.push_back(makeField("NumItemsCollected", this->getCollectionCount()));
        fields.push_back(makeField("NumItemsBinned", items_binned_));
        if (include_out_of_bounds_) {
            fields.push_back(makeField("NumOutOfBounds-MinValue", below_));
            fields.push_back(makeField("NumOutOfBounds-MaxValue", above_));
        }
        if (dump_bins_) {
            for (uint32_t i = 0; i < bins_.size(); ++i) {
                T low = static_cast<T>(min_value_ + bin_width_ * i);
                T high = static_cast<T>(low + bin_width_ - lastBinSlack());
                fields.push_back(makeField(
                    "Bin" + std::to_string(i) + ":" + formatFieldValue(low) + "-" + formatFieldValue(high), bins_[i]));
            }
        }
    }

private:
    // Integer bins are labelled with inclusive bounds (0-9, 10-19), as SST does.
    static constexpr T lastBinSlack() { return std::is_integral_v<T> ? T(1) : T(0); }

    void addData_impl(T value) override { addData_impl_Ntimes(1, value); }

    void addData_impl_Ntimes(uint64_t n, T value) override {
        sum_ += static_cast<T>(n * value);
        sum_squared_ += static_cast<T>(n * value * value);
        if (value < min_value_) {
            below_ += n;
            return;
        }
        uint64_t bin = static_cast<uint64_t>((value - min_value_) / static_cast<T>(bin_width_));
        if (bin >= bins_.size()) {
            above_ += n;
            return;
        }
        bins_[bin] += n;
        items_binned_ += n;
    }

    T min_value_;
    uint64_t bin_width_;
    bool dump_bins_;
    bool include_out_of_bounds_;
    std::vector<uint64_t> bins_;
    T sum_ = {};
    T sum_squared_ = {};
    uint64_t items_binned_ = 0;
    uint64_t below_ = 0;
    uint64_t above_ = 0;
};

}  // namespace SST::Statistics

#endif

#ifndef SST_CORE_RNG_CONSTANT_H
#define SST_CORE_RNG_CONSTANT_H

#include "sst/core/rng/distrib.h"

#include <cmath>  // sst-core's distribution headers bring in the C math functions; elements may count on it

namespace SST::RNG {

// Always the same value: for where a distribution is expected but no variation is wanted.
class ConstantDistribution : public RandomDistribution {
public:
    explicit ConstantDistribution(double value) : mean(value) {}
    ConstantDistribution() = default;

    double getNextDouble() override { return mean; }
    double getMean() const { return mean; }

protected:
    double mean = 0.0;
};

}  // namespace SST::RNG

using SSTConstantDistribution = SST::RNG::ConstantDistribution;

#endif

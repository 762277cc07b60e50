#ifndef SST_CORE_RNG_EXPON_H
#define SST_CORE_RNG_EXPON_H

#include "sst/core/rng/distrib.h"
#include "sst/core/rng/mersenne.h"
#include "sst/core/rng/rng.h"

#include <cmath>

namespace SST::RNG {

// The exponential distribution with rate lambda (mean 1/lambda), by inverting its CDF.
class ExponentialDistribution : public pvt::DistributionOnGenerator {
public:
    explicit ExponentialDistribution(const double rate) : DistributionOnGenerator(OwnGenerator{}), lambda(rate) {}

    // base stays the caller's: it must outlive this distribution, which never deletes it.
    ExponentialDistribution(const double rate, Random* base) : DistributionOnGenerator(base), lambda(rate) {}

    // Leaves the distribution without a generator: only for filling in afterwards.
    ExponentialDistribution() = default;

    double getNextDouble() override {
        const double uniform = baseDistrib->nextUniform();
        return std::log(1.0 - uniform) / -lambda;
    }

    double getLambda() const { return lambda; }

protected:
    double lambda = 1.0;
};

}  // namespace SST::RNG

using SSTExponentialDistribution = SST::RNG::ExponentialDistribution;

#endif

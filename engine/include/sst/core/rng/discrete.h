#ifndef SST_CORE_RNG_DISCRETE_H
#define SST_CORE_RNG_DISCRETE_H

#include "sst/core/rng/distrib.h"
#include "sst/core/rng/mersenne.h"
#include "sst/core/rng/rng.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace SST::RNG {

// Picks among probsCount outcomes with the given probabilities, as sst-core 16 does: a draw u gives the
// first index i whose cumulative probability *before* i, probs[0] + ... + probs[i-1], is >= u, or
// probsCount if there is none. So outcome k comes out as k+1 (and 0 only when u is exactly 0), a shift
// kept so the samples match sst-core's.
class DiscreteDistribution : public pvt::DistributionOnGenerator {
public:
    DiscreteDistribution(const double* probs, const uint32_t probsCount)
        : DistributionOnGenerator(OwnGenerator{}), probabilities(sums_before(probs, probsCount)),
          probCount(probsCount) {}

    // base stays the caller's: it must outlive this distribution, which never deletes it.
    DiscreteDistribution(const double* probs, const uint32_t probsCount, Random* base)
        : DistributionOnGenerator(base), probabilities(sums_before(probs, probsCount)), probCount(probsCount) {}

    // Leaves the distribution without a generator: only for filling in afterwards.
    DiscreteDistribution() = default;

    double getNextDouble() override {
        const double uniform = baseDistrib->nextUniform();
        uint32_t index = 0;
        while (index < probCount && probabilities[index] < uniform) {
            index++;
        }
        return static_cast<double>(index);
    }

protected:
    std::vector<double> probabilities;  // [i]: the sum of the probabilities before outcome i, added in order
    uint32_t probCount = 0;

private:
    static std::vector<double> sums_before(const double* probs, uint32_t count) {
        std::vector<double> sums(count);
        double running = 0.0;
        for (uint32_t i = 0; i < count; i++) {
            sums[i] = running;
            running += probs[i];
        }
        return sums;
    }
};

}  // namespace SST::RNG

using SSTDiscreteDistribution = SST::RNG::DiscreteDistribution;

#endif

#ifndef SST_CORE_RNG_UNIFORM_H
#define SST_CORE_RNG_UNIFORM_H

#include "sst/core/rng/distrib.h"
#include "sst/core/rng/mersenne.h"
#include "sst/core/rng/rng.h"

#include <cmath>
#include <cstdint>

namespace SST::RNG {

// Equally likely bins 0 .. probsCount-1, returned as doubles. The bin of a draw u is the first b with
// u <= (b+1)/probsCount, found by walking up from bin 0 (the same comparisons as sst-core, so a u that
// lands on a boundary goes to the same bin).
class UniformDistribution : public pvt::DistributionOnGenerator {
public:
    explicit UniformDistribution(const uint32_t probsCount)
        : DistributionOnGenerator(OwnGenerator{}), probCount(probsCount), probPerBin(bin_width(probsCount)) {}

    // base stays the caller's: it must outlive this distribution, which never deletes it.
    UniformDistribution(const uint32_t probsCount, Random* base)
        : DistributionOnGenerator(base), probCount(probsCount), probPerBin(bin_width(probsCount)) {}

    // Leaves the distribution without a generator: only for filling in afterwards.
    UniformDistribution() = default;

    double getNextDouble() override {
        const double uniform = baseDistrib->nextUniform();
        uint32_t bins_above = 1;  // the bin's upper edge, in bin widths
        while (uniform > static_cast<double>(bins_above) * probPerBin) {
            bins_above++;
        }
        return static_cast<double>(bins_above - 1);
    }

protected:
    uint32_t probCount = 0;
    double probPerBin = 1.0;  // the width of one bin; zero bins count as one, so the loop ends

private:
    static double bin_width(uint32_t bins) { return bins > 0 ? 1.0 / static_cast<double>(bins) : 1.0; }
};

}  // namespace SST::RNG

using SSTUniformDistribution = SST::RNG::UniformDistribution;

#endif

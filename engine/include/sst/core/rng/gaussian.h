#ifndef SST_CORE_RNG_GAUSSIAN_H
#define SST_CORE_RNG_GAUSSIAN_H

#include "sst/core/rng/distrib.h"
#include "sst/core/rng/mersenne.h"
#include "sst/core/rng/rng.h"

#include <cmath>

namespace SST::RNG {

// The normal distribution, by Marsaglia's polar method: each accepted point in the unit disc yields two
// independent samples, the second kept for the next call.
class GaussianDistribution : public pvt::DistributionOnGenerator {
public:
    GaussianDistribution(double mn, double sd) : DistributionOnGenerator(OwnGenerator{}), mean(mn), stddev(sd) {}

    // base stays the caller's: it must outlive this distribution, which never deletes it.
    GaussianDistribution(double mn, double sd, Random* base) : DistributionOnGenerator(base), mean(mn), stddev(sd) {}

    // Leaves the distribution without a generator: only for filling in afterwards.
    GaussianDistribution() = default;

    double getNextDouble() override {
        if (usePair) {
            usePair = false;
            return unusedPair;
        }
        // The point is drawn in the first quadrant and then given a random sign per coordinate, which
        // costs two more draws than drawing in [-1, 1) but is what sst-core's sequence is made of.
        double u;
        double v;
        double radius_squared;
        do {
            u = baseDistrib->nextUniform();
            v = baseDistrib->nextUniform();
            radius_squared = u * u + v * v;
        } while (radius_squared >= 1.0 || radius_squared == 0.0);
        if (baseDistrib->nextUniform() < 0.5) {
            u = -u;
        }
        if (baseDistrib->nextUniform() < 0.5) {
            v = -v;
        }
        const double scale = std::sqrt(-2.0 * std::log(radius_squared) / radius_squared);
        unusedPair = mean + stddev * v * scale;
        usePair = true;
        return mean + stddev * u * scale;
    }

    double getMean() const { return mean; }
    double getStandardDev() const { return stddev; }

protected:
    double mean = 0.0;
    double stddev = 1.0;
    double unusedPair = 0.0;  // the second sample of the last pair, returned next when usePair
    bool usePair = false;
};

}  // namespace SST::RNG

using SSTGaussianDistribution = SST::RNG::GaussianDistribution;

#endif

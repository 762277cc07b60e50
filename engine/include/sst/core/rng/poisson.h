#ifndef SST_CORE_RNG_POISSON_H
#define SST_CORE_RNG_POISSON_H

#include "sst/core/rng/distrib.h"
#include "sst/core/rng/mersenne.h"
#include "sst/core/rng/rng.h"

#include <cmath>

namespace SST::RNG {

// The Poisson distribution with mean lambda, by Knuth's multiplication method: the count of uniforms
// whose running product stays above e^-lambda. Takes about lambda+1 draws a sample, so suits small
// lambdas (for large ones e^-lambda underflows and the count grows without bound).
class PoissonDistribution : public pvt::DistributionOnGenerator {
public:
    explicit PoissonDistribution(const double mn) : DistributionOnGenerator(OwnGenerator{}), lambda(mn) {}

    // base stays the caller's: it must outlive this distribution, which never deletes it.
    PoissonDistribution(const double mn, Random* base) : DistributionOnGenerator(base), lambda(mn) {}

    // Leaves the distribution without a generator: only for filling in afterwards.
    PoissonDistribution() = default;

    double getNextDouble() override {
        const double threshold = std::exp(-lambda);
        double product = 1.0;
        int draws = 0;
        do {
            draws++;
            product *= baseDistrib->nextUniform();
        } while (product > threshold);
        return draws - 1;
    }

    double getLambda() const { return lambda; }

protected:
    double lambda = 1.0;
};

}  // namespace SST::RNG

using SSTPoissonDistribution = SST::RNG::PoissonDistribution;

#endif

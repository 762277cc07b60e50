#ifndef SST_CORE_RNG_DISTRIB_H
#define SST_CORE_RNG_DISTRIB_H

#include "sst/core/rng/mersenne.h"
#include "sst/core/rng/rng.h"
#include "sst/core/serialization/serializable.h"

namespace SST::RNG {

// A statistical distribution sampled one double at a time. The distributions draw their randomness
// from a Random generator, either their own (seeded from the clock) or one the caller passes in and
// keeps owning.
class RandomDistribution : public SST::Core::Serialization::serializable {
public:
    RandomDistribution() = default;
    ~RandomDistribution() override = default;

    virtual double getNextDouble() = 0;

    // Distribution state is not serialized by this engine (it never checkpoints).
    void serialize_order(SST::Core::Serialization::serializer&) override {}
    ImplementVirtualSerializable(SST::RNG::RandomDistribution);
};

namespace pvt {

// What every distribution here does alike: draw from baseDistrib, a clock-seeded Mersenne
// generator of its own (deleted with it) or the caller's, which the caller keeps owning.  The
// member names are sst-core's, so code written against them compiles.
class DistributionOnGenerator : public RandomDistribution {
public:
    ~DistributionOnGenerator() override {
        if (deleteDistrib)
            delete baseDistrib;
    }

protected:
    struct OwnGenerator {};
    explicit DistributionOnGenerator(OwnGenerator) : baseDistrib(new MersenneRNG()), deleteDistrib(true) {}
    explicit DistributionOnGenerator(Random* base) : baseDistrib(base), deleteDistrib(false) {}
    // No generator: only for filling in afterwards.
    DistributionOnGenerator() = default;

    Random* baseDistrib = nullptr;
    bool deleteDistrib = false;  // whether baseDistrib is ours
};

}  // namespace pvt

}  // namespace SST::RNG

// The pre-namespace names, which SST 16 still offers.
using SSTRandomDistribution = SST::RNG::RandomDistribution;

#endif

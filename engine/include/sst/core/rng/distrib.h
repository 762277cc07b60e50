#ifndef SST_CORE_RNG_DISTRIB_H
#define SST_CORE_RNG_DISTRIB_H

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

}  // namespace SST::RNG

// The pre-namespace names, which SST 16 still offers.
using SSTRandomDistribution = SST::RNG::RandomDistribution;

#endif

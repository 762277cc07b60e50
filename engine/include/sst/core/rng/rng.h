// SST 16's random-number API (SST::RNG). Every generator and distribution here reproduces sst-core's
// sequences bit for bit for the same seeds and the same calls, so an element's random choices, and
// with them its results, are the same under qemu-sst and under sst.
#ifndef SST_CORE_RNG_RNG_H
#define SST_CORE_RNG_RNG_H

#include "sst/core/serialization/serializable.h"

#include <chrono>
#include <cstdint>
#include <cstring>

namespace SST::RNG {

// What every generator offers; distributions draw from one through nextUniform().
class Random : public SST::Core::Serialization::serializable {
public:
    ~Random() override = default;

    // A double in [0, 1).
    virtual double nextUniform() = 0;
    virtual uint32_t generateNextUInt32() = 0;
    virtual uint64_t generateNextUInt64() = 0;
    virtual int64_t generateNextInt64() = 0;
    virtual int32_t generateNextInt32() = 0;

    // Generator state is not serialized by this engine (it never checkpoints).
    void serialize_order(SST::Core::Serialization::serializer&) override {}
    ImplementVirtualSerializable(SST::RNG::Random);
};

namespace detail {

// Two consecutive 32-bit draws make a 64-bit one, the first draw in the low half: where sst-core's byte
// copy puts it on the little-endian hosts we run on.
inline uint64_t join_draws(uint32_t first, uint32_t second) { return (static_cast<uint64_t>(second) << 32) | first; }

template <class To, class From>
inline To same_bits(From from) {
    static_assert(sizeof(To) == sizeof(From));
    To to;
    std::memcpy(&to, &from, sizeof(to));
    return to;
}

// The seed sources of the generators' clock-seeded constructors: the wall clock's seconds and the
// microseconds within the second, as gettimeofday() gives them to sst-core.
struct WallClockSeed {
    uint32_t seconds;
    uint32_t microseconds;
};

inline WallClockSeed wall_clock_seed() {
    const auto since_epoch =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return {static_cast<uint32_t>(since_epoch / 1000000), static_cast<uint32_t>(since_epoch % 1000000)};
}

}  // namespace detail

}  // namespace SST::RNG

#endif

#ifndef SST_CORE_RNG_XORSHIFT_H
#define SST_CORE_RNG_XORSHIFT_H

#include "sst/core/rng/rng.h"
#include "sst/core/sst_types.h"

#include <cassert>
#include <cstdint>

#define XORSHIFT_UINT32_MAX 4294967295U
#define XORSHIFT_UINT64_MAX 18446744073709551615ULL
#define XORSHIFT_INT32_MAX 2147483647L
#define XORSHIFT_INT64_MAX 9223372036854775807LL

namespace SST::RNG {

// Marsaglia's xorshift128 (shifts 11, 8, 19): four 32-bit words of state, a few operations a draw.
class XORShiftRNG : public Random {
public:
    // A zero seed would leave the state all zero, and the generator returning 0 forever.
    explicit XORShiftRNG(unsigned int seed_value) {
        assert(seed_value != 0);
        seed(seed_value);
    }

    // Seeded from the wall clock, so every run differs.
    XORShiftRNG() {
        const detail::WallClockSeed now = detail::wall_clock_seed();
        x = now.microseconds;
        y = now.seconds;
        z = 11;
        w = 0;
    }

    ~XORShiftRNG() override = default;

    // Only the low 32 bits of new_seed count; the other three words start at zero.
    void seed(uint64_t new_seed) {
        x = static_cast<uint32_t>(new_seed);
        y = 0;
        z = 0;
        w = 0;
    }

    // A draw of 2^32-1 would give exactly 1.0: it is skipped, not rounded down.
    double nextUniform() override {
        double uniform;
        do {
            uniform = static_cast<double>(generateNextUInt32()) / static_cast<double>(XORSHIFT_UINT32_MAX);
        } while (UNLIKELY(uniform >= 1.0));
        return uniform;
    }

    uint32_t generateNextUInt32() override {
        const uint32_t t = x ^ (x << 11);
        x = y;
        y = z;
        z = w;
        w = w ^ (w >> 19) ^ t ^ (t >> 8);
        return w;
    }

    int32_t generateNextInt32() override { return detail::same_bits<int32_t>(generateNextUInt32()); }
    uint64_t generateNextUInt64() override {
        const uint32_t low = generateNextUInt32();
        return detail::join_draws(low, generateNextUInt32());
    }
    int64_t generateNextInt64() override { return detail::same_bits<int64_t>(generateNextUInt64()); }

protected:
    // The state; the names are sst-core's, for elements deriving from this class.
    uint32_t x;
    uint32_t y;
    uint32_t z;
    uint32_t w;
};

}  // namespace SST::RNG

#endif

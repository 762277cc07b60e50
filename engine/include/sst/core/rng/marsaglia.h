#ifndef SST_CORE_RNG_MARSAGLIA_H
#define SST_CORE_RNG_MARSAGLIA_H

#include "sst/core/rng/rng.h"
#include "sst/core/sst_types.h"

#include <cstdint>

#define MARSAGLIA_UINT32_MAX 4294967295U
#define MARSAGLIA_UINT64_MAX 18446744073709551615ULL
#define MARSAGLIA_INT32_MAX 2147483647L
#define MARSAGLIA_INT64_MAX 9223372036854775807LL

namespace SST::RNG {

// George Marsaglia's multiply-with-carry generator: two 16-bit lag-1 MWC streams (multipliers 36969 and
// 18000) whose states make the high and low halves of each 32-bit draw. Cheap; weaker than Mersenne.
class MarsagliaRNG : public Random {
public:
    MarsagliaRNG(unsigned int initial_z, unsigned int initial_w) : m_z(initial_z), m_w(initial_w) {}

    // Seeded from the wall clock, so every run differs.
    MarsagliaRNG() {
        const detail::WallClockSeed now = detail::wall_clock_seed();
        m_z = now.microseconds;
        m_w = now.seconds;
    }

    void restart(unsigned int new_z, unsigned int new_w) {
        m_z = new_z;
        m_w = new_w;
    }

    // One 64-bit seed for both streams: z from its low half, w from its complement (shifted and made odd,
    // so w is never zero).
    void seed(uint64_t new_seed) {
        m_z = static_cast<unsigned int>(new_seed);
        m_w = static_cast<unsigned int>(((~new_seed) << 1) + 1);
    }

    double nextUniform() override {
        double uniform;
        do {
            // The increment wraps a draw of 2^32-1 to 0 (in unsigned int, as sst-core does); the
            // scale is a little under 2^-32, so the result is below 1 anyway and the loop a formality.
            const unsigned int shifted = nextDraw() + 1u;
            uniform = static_cast<double>(shifted) * 2.328306435454494e-10;
        } while (UNLIKELY(uniform >= 1.0));
        return uniform;
    }

    uint32_t generateNextUInt32() override { return nextDraw(); }
    int32_t generateNextInt32() override { return detail::same_bits<int32_t>(nextDraw()); }
    uint64_t generateNextUInt64() override {
        const uint32_t low = nextDraw();
        return detail::join_draws(low, nextDraw());
    }
    int64_t generateNextInt64() override { return detail::same_bits<int64_t>(generateNextUInt64()); }

private:
    unsigned int nextDraw() {
        m_z = 36969u * (m_z & 65535u) + (m_z >> 16);
        m_w = 18000u * (m_w & 65535u) + (m_w >> 16);
        return (m_z << 16) + m_w;
    }

    unsigned int m_z;
    unsigned int m_w;
};

}  // namespace SST::RNG

#endif

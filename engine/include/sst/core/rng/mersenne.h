#ifndef SST_CORE_RNG_MERSENNE_H
#define SST_CORE_RNG_MERSENNE_H

#include "sst/core/rng/rng.h"
#include "sst/core/sst_types.h"

#include <array>
#include <cstdint>

#define MERSENNE_UINT32_MAX 4294967295U
#define MERSENNE_UINT64_MAX 18446744073709551615ULL
#define MERSENNE_INT32_MAX 2147483647L
#define MERSENNE_INT64_MAX 9223372036854775807LL

namespace SST::RNG {

// The 32-bit Mersenne Twister, MT19937 (Matsumoto and Nishimura), with its standard seeding: the same
// numbers as std::mt19937 for the same seed. Better spread than Marsaglia, at more cost per draw.
class MersenneRNG : public Random {
public:
    explicit MersenneRNG(unsigned int seed_value) { seed(seed_value); }

    // Seeded from the wall clock's microseconds, so every run differs.
    MersenneRNG() { seed(detail::wall_clock_seed().microseconds); }

    ~MersenneRNG() override = default;

    // Only the low 32 bits of new_seed count.
    void seed(uint64_t new_seed) {
        state[0] = static_cast<uint32_t>(new_seed);
        for (uint32_t i = 1; i < state_words; i++) {
            state[i] = 1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + i;
        }
        next_word = 0;
    }

    // A draw of 2^32-1 would give exactly 1.0: it is skipped, not rounded down.
    double nextUniform() override {
        double uniform;
        do {
            uniform = static_cast<double>(generateNextUInt32()) / static_cast<double>(MERSENNE_UINT32_MAX);
        } while (UNLIKELY(uniform >= 1.0));
        return uniform;
    }

    uint32_t generateNextUInt32() override {
        if (next_word == 0) {
            twist();
        }
        uint32_t tempered = state[next_word];
        tempered ^= tempered >> 11;
        tempered ^= (tempered << 7) & 0x9d2c5680u;
        tempered ^= (tempered << 15) & 0xefc60000u;
        tempered ^= tempered >> 18;
        next_word = (next_word + 1) % state_words;
        return tempered;
    }

    int32_t generateNextInt32() override { return detail::same_bits<int32_t>(generateNextUInt32()); }
    uint64_t generateNextUInt64() override {
        const uint32_t low = generateNextUInt32();
        return detail::join_draws(low, generateNextUInt32());
    }
    int64_t generateNextInt64() override { return detail::same_bits<int64_t>(generateNextUInt64()); }

private:
    static constexpr uint32_t state_words = 624;
    static constexpr uint32_t shift_distance = 397;

    // Regenerates all 624 words in place, each from its successor and the word 397 ahead, so words
    // past the wrap already hold their new values (as the reference algorithm requires).
    void twist() {
        for (uint32_t i = 0; i < state_words; i++) {
            const uint32_t mixed = (state[i] & 0x80000000u) | (state[(i + 1) % state_words] & 0x7fffffffu);
            uint32_t word = state[(i + shift_distance) % state_words] ^ (mixed >> 1);
            if (mixed & 1u) {
                word ^= 0x9908b0dfu;
            }
            state[i] = word;
        }
    }

    std::array<uint32_t, state_words> state;
    uint32_t next_word;  // index of the next word to temper; 0 means the block is used up
};

}  // namespace SST::RNG

#endif

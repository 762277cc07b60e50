// SST::RNG: the generators and distributions give sst-core 16's sequences bit for bit, honour their
// parameters, and take from and leave alone the generators handed to them as sst-core's do.
//
// The golden numbers were printed by sst-core 16.0's own rng classes (an element loaded into sst), and
// the RngSstCoreReferenceRuns numbers are the last lines of sst-core's test_RNGComponent_*.out files.
// Doubles are written as hexadecimal literals so that they are exact. A sequence is checked by its first
// values and by a hash of its first 1000 or 2000 (FNV-1a over each value's 64-bit pattern).

#include <sst/core/rng/constant.h>
#include <sst/core/rng/discrete.h>
#include <sst/core/rng/distrib.h>
#include <sst/core/rng/expon.h>
#include <sst/core/rng/gaussian.h>
#include <sst/core/rng/marsaglia.h>
#include <sst/core/rng/mersenne.h>
#include <sst/core/rng/poisson.h>
#include <sst/core/rng/rng.h>
#include <sst/core/rng/uniform.h>
#include <sst/core/rng/xorshift.h>

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

using namespace SST::RNG;

namespace {

struct SequenceHash {
    uint64_t value = 14695981039346656037ull;

    void add(uint64_t bits) {
        for (int byte = 0; byte < 8; byte++) {
            value ^= (bits >> (8 * byte)) & 0xff;
            value *= 1099511628211ull;
        }
    }
    void add(double d) { add(std::bit_cast<uint64_t>(d)); }
};

// One round of coreTestRNGComponent's tick: every kind of draw, in its order.
struct MixedDraws {
    double uniform;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
};

MixedDraws drawMixed(Random& rng) {
    MixedDraws d;
    d.uniform = rng.nextUniform();
    d.u32 = rng.generateNextUInt32();
    d.u64 = rng.generateNextUInt64();
    d.i32 = rng.generateNextInt32();
    d.i64 = rng.generateNextInt64();
    return d;
}

struct GeneratorGolden {
    const char* name;
    std::function<std::unique_ptr<Random>()> make;
    std::array<uint32_t, 6> first_u32;
    uint64_t hash_of_2000_u32;
    std::array<double, 6> first_uniforms;
    uint64_t hash_of_2000_uniforms;
    MixedDraws first_mixed;
    uint64_t hash_of_1000_mixed;
};

template <class Generator, class... Seeds>
std::function<std::unique_ptr<Random>()> makeGenerator(Seeds... seeds) {
    return [=] { return std::make_unique<Generator>(seeds...); };
}

// Seeds with seed() after some draws, to show it resets all the state.
template <class Generator, class... Seeds>
std::function<std::unique_ptr<Random>()> makeReseeded(uint64_t new_seed, Seeds... seeds) {
    return [=] {
        auto rng = std::make_unique<Generator>(seeds...);
        rng->generateNextUInt32();
        rng->seed(new_seed);
        return std::unique_ptr<Random>(std::move(rng));
    };
}

const GeneratorGolden generator_goldens[] = {
    {"Mersenne1447",
     makeGenerator<MersenneRNG>(1447u),
     {1991161414u, 887162211u, 3215745872u, 1322901296u, 3019141556u, 2579402329u},
     0x9e3742873ea3e46eull,
     {0x1.dabad919dabaep-2, 0x1.a7082b19a7083p-3, 0x1.7f58c6a17f58cp-1, 0x1.3b677cc13b678p-2, 0x1.67e8e36967e8ep-1,
      0x1.337d1cb3337d2p-1},
     0xc61cd4f57e384714ull,
     {0x1.dabad919dabaep-2, 887162211u, 5681817805371761488ull, -1275825740, 8315922312524107353ll},
     0x0a11db747a695aadull},
    {"Mersenne5",
     makeGenerator<MersenneRNG>(5u),
     {953453411u, 236996814u, 3739766767u, 3570525885u, 887852006u, 1562238070u},
     0x8d44c4c7ec9f3a88ull,
     {0x1.c6a45b19c6a46p-3, 0x1.c40919c1c4092p-5, 0x1.bdd09fdfbdd0ap-1, 0x1.a9a3cd7ba9a3dp-1, 0x1.a75c5f31a75c6p-3,
      0x1.747771d974777p-2},
     0x3c74dc0a279aa23aull,
     {0x1.c6a45b19c6a46p-3, 236996814u, 15335291909336223727ull, 887852006, -1501363815992927114ll},
     0xe724e0c21ea2d1edull},
    {"Mersenne10111",
     makeGenerator<MersenneRNG>(10111u),
     {2950087074u, 3567081520u, 714946249u, 3937877100u, 1818420693u, 524702712u},
     0xcca7fee30a65a21bull,
     {0x1.5fad83455fad8p-1, 0x1.a93ab061a93abp-1, 0x1.54e9b64954e9bp-3, 0x1.d56e78d9d56e8p-1, 0x1.b18b9755b18b9p-2,
      0x1.f4653f81f4654p-4},
     0x2c6de038cc7056ffull,
     {0x1.5fad83455fad8p-1, 3567081520u, 16913053360882267849ull, 1818420693, -14199273025022984ll},
     0x8bd3f0037084741dull},
    {"Mersenne0",
     makeGenerator<MersenneRNG>(0u),
     {2357136044u, 2546248239u, 3071714933u, 3626093760u, 2588848963u, 3684848379u},
     0x5dac7710e11a1789ull,
     {0x1.18fe155918fe1p-1, 0x1.2f89545f2f895p-1, 0x1.6e2d4ceb6e2d5p-1, 0x1.b0439981b043ap-1, 0x1.349d6687349d6p-1,
      0x1.b744a5f7b744ap-1},
     0xae09e7ad9cd93857ull,
     {0x1.18fe155918fe1p-1, 2546248239u, 15573954114501387893ull, -1706118333, -8395423546773187845ll},
     0xc4c3c9dc44b2a77cull},
    {"Marsaglia5And7",
     makeGenerator<MarsagliaRNG>(5u, 7u),
     {3524193328u, 3090542337u, 2597402414u, 2777027589u, 3294277304u, 4238470911u},
     0xb8d3b077dd420bb4ull,
     {0x1.a41dd85eb7c45p-1, 0x1.706bde011f284p-1, 0x1.35a26e5b94bb2p-1, 0x1.4b0c280969e7bp-1, 0x1.88b55d6eee954p-1,
      0x1.f943ddfc0d784p-1},
     0x2c2f76cb3ad6faefull,
     {0x1.a41dd85eb7c45p-1, 3090542337u, 11927242677442131758ull, -1000689992, 7852757868525776639ll},
     0x56a1ce70602570c6ull},
    {"Marsaglia362436069And521288629",
     makeGenerator<MarsagliaRNG>(362436069u, 521288629u),
     {820856226u, 2331188998u, 4033440000u, 3169966213u, 2572821606u, 100826968u},
     0x5852a0e416357649ull,
     {0x1.876a2d14f12bap-3, 0x1.15e63e0bd4338p-1, 0x1.e0d2d1fe3e5a6p-1, 0x1.79e3b1090c38ap-1, 0x1.32b448cb9a977p-1,
      0x1.809fd63cfec05p-6},
     0x331f1dc638319b19ull,
     {0x1.876a2d14f12bap-3, 2331188998u, 13614901218293410048ull, -1722145690, 7289609805600292696ll},
     0x4094d8e05e477825ull},
    {"Marsaglia1And1",
     makeGenerator<MarsagliaRNG>(1u, 1u),
     {2422818384u, 1583405312u, 3876119375u, 692969033u, 1664658238u, 2334766189u},
     0x94db2060544f3efaull,
     {0x1.20d28c9fbe5aep-1, 0x1.798364010cf93p-2, 0x1.ce11c69c63dc7p-1, 0x1.4a6ef24d6b222p-3, 0x1.8ce2acf8e63aap-2,
      0x1.165368d9d3593p-1},
     0x7aecf01d1ef5eebdull,
     {0x1.20d28c9fbe5aep-1, 1583405312u, 2976279337751864143ull, 1664658238, -6872669947325467539ll},
     0x44dcabdcd2712628ull},
    {"XORShift57",
     makeGenerator<XORShiftRNG>(57u),
     {117233u, 117233u, 117233u, 117233u, 239191617u, 116793u},
     0x7a6445151339baefull,
     {0x1.c9f10001c9f1p-16, 0x1.c9f10001c9f1p-16, 0x1.c9f10001c9f1p-16, 0x1.c9f10001c9f1p-16, 0x1.c838c821c838dp-5,
      0x1.c8390001c839p-16},
     0x1c8502b90a0958f0ull,
     {0x1.c9f10001c9f1p-16, 117233u, 503511901129201ull, 239191617, 1027321581241747513ll},
     0x2804ad265136241bull},
    {"XORShift11",
     makeGenerator<XORShiftRNG>(11u),
     {22611u, 22611u, 22611u, 22611u, 46160576u, 22539u},
     0x112b1c7e49c91fd7ull,
     {0x1.614c0001614cp-18, 0x1.614c0001614cp-18, 0x1.614c0001614cp-18, 0x1.614c0001614cp-18, 0x1.602d6001602d6p-7,
      0x1.602c0001602cp-18},
     0xed2ece2d7a6fdfdbull,
     {0x1.614c0001614cp-18, 22611u, 97113505552467ull, 46160576, 198257992485853195ll},
     0x3747e9f25ee13578ull},
    {"XORShiftDeadBeef",
     makeGenerator<XORShiftRNG>(0xDEADBEEFu),
     {3018431529u, 3018426964u, 3018431529u, 3018426964u, 1277051092u, 3009075241u},
     0x43f868f118f35b25ull,
     {0x1.67d3385367d34p-1, 0x1.67d314a967d31p-1, 0x1.67d3385367d34p-1, 0x1.67d314a967d31p-1, 0x1.307903513079p-2,
      0x1.66b5b05366b5bp-1},
     0xa7b9ef56cd67ff82ull,
     {0x1.67d3385367d34p-1, 3018426964u, 12964045098763000873ull, 1277051092, 5525092932410595369ll},
     0xba4f1d294e459f06ull},
};

void PrintTo(const GeneratorGolden& golden, std::ostream* out) { *out << golden.name; }

class RngGeneratorGolden : public ::testing::TestWithParam<GeneratorGolden> {};

TEST_P(RngGeneratorGolden, UInt32SequenceMatchesSstCore) {
    const GeneratorGolden& golden = GetParam();
    auto rng = golden.make();
    SequenceHash hash;
    for (int i = 0; i < 2000; i++) {
        const uint32_t value = rng->generateNextUInt32();
        if (i < 6) {
            EXPECT_EQ(value, golden.first_u32[i]) << "draw " << i;
        }
        hash.add(uint64_t{value});
    }
    EXPECT_EQ(hash.value, golden.hash_of_2000_u32);
}

TEST_P(RngGeneratorGolden, UniformSequenceMatchesSstCore) {
    const GeneratorGolden& golden = GetParam();
    auto rng = golden.make();
    SequenceHash hash;
    for (int i = 0; i < 2000; i++) {
        const double value = rng->nextUniform();
        if (i < 6) {
            EXPECT_EQ(std::bit_cast<uint64_t>(value), std::bit_cast<uint64_t>(golden.first_uniforms[i]))
                << "draw " << i << ": " << value << " against " << golden.first_uniforms[i];
        }
        hash.add(value);
    }
    EXPECT_EQ(hash.value, golden.hash_of_2000_uniforms);
}

TEST_P(RngGeneratorGolden, MixedDrawsMatchSstCore) {
    const GeneratorGolden& golden = GetParam();
    auto rng = golden.make();
    SequenceHash hash;
    for (int i = 0; i < 1000; i++) {
        const MixedDraws d = drawMixed(*rng);
        if (i == 0) {
            EXPECT_EQ(std::bit_cast<uint64_t>(d.uniform), std::bit_cast<uint64_t>(golden.first_mixed.uniform));
            EXPECT_EQ(d.u32, golden.first_mixed.u32);
            EXPECT_EQ(d.u64, golden.first_mixed.u64);
            EXPECT_EQ(d.i32, golden.first_mixed.i32);
            EXPECT_EQ(d.i64, golden.first_mixed.i64);
        }
        hash.add(d.uniform);
        hash.add(uint64_t{d.u32});
        hash.add(d.u64);
        hash.add(static_cast<uint64_t>(int64_t{d.i32}));
        hash.add(static_cast<uint64_t>(d.i64));
    }
    EXPECT_EQ(hash.value, golden.hash_of_1000_mixed);
}

// The signed and 64-bit draws are the 32-bit draws reinterpreted and paired, the first in the low half.
TEST_P(RngGeneratorGolden, WideAndSignedDrawsAreThe32BitDrawsPaired) {
    auto reference = GetParam().make();
    auto rng = GetParam().make();
    for (int i = 0; i < 300; i++) {
        const uint64_t low = reference->generateNextUInt32();
        const uint64_t high = reference->generateNextUInt32();
        ASSERT_EQ(rng->generateNextUInt64(), (high << 32) | low) << "pair " << i;
        ASSERT_EQ(rng->generateNextInt32(), static_cast<int32_t>(reference->generateNextUInt32()));
        const uint64_t low2 = reference->generateNextUInt32();
        const uint64_t high2 = reference->generateNextUInt32();
        ASSERT_EQ(rng->generateNextInt64(), static_cast<int64_t>((high2 << 32) | low2));
    }
}

TEST_P(RngGeneratorGolden, UniformsStayInZeroToOneAndSpreadEvenly) {
    auto rng = GetParam().make();
    std::array<int, 10> deciles{};
    const int draws = 100000;
    for (int i = 0; i < draws; i++) {
        const double u = rng->nextUniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        deciles[static_cast<int>(u * 10)]++;
    }
    for (int count : deciles)
        EXPECT_NEAR(count, draws / 10, draws / 100);
}

TEST_P(RngGeneratorGolden, SignedDrawsTakeBothSignsAndWideDrawsUseTheHighHalf) {
    auto rng = GetParam().make();
    int negative32 = 0;
    int negative64 = 0;
    int high_half_used = 0;
    for (int i = 0; i < 1000; i++) {
        negative32 += rng->generateNextInt32() < 0;
        negative64 += rng->generateNextInt64() < 0;
        high_half_used += (rng->generateNextUInt64() >> 32) != 0;
    }
    EXPECT_GT(negative32, 400);
    EXPECT_LT(negative32, 600);
    EXPECT_GT(negative64, 400);
    EXPECT_LT(negative64, 600);
    EXPECT_GT(high_half_used, 990);
}

INSTANTIATE_TEST_SUITE_P(SstCore16, RngGeneratorGolden, ::testing::ValuesIn(generator_goldens),
                         [](const ::testing::TestParamInfo<GeneratorGolden>& info) { return info.param.name; });

std::vector<uint32_t> firstUInt32s(Random& rng, int count) {
    std::vector<uint32_t> values;
    for (int i = 0; i < count; i++)
        values.push_back(rng.generateNextUInt32());
    return values;
}

uint64_t hashOfUInt32s(Random& rng, int count) {
    SequenceHash hash;
    for (int i = 0; i < count; i++)
        hash.add(uint64_t{rng.generateNextUInt32()});
    return hash.value;
}

TEST(RngSeeding, MersenneIsMt19937) {
    for (uint32_t seed : {0u, 5u, 1447u, 0xFFFFFFFFu}) {
        MersenneRNG rng(seed);
        std::mt19937 standard(seed);
        for (int i = 0; i < 5000; i++)
            ASSERT_EQ(rng.generateNextUInt32(), standard()) << "seed " << seed << " draw " << i;
    }
}

TEST(RngSeeding, MersenneSeedRestartsFromTheLow32BitsOfTheSeed) {
    MersenneRNG reseeded(5);
    reseeded.generateNextUInt32();
    reseeded.seed(0x123456789ull);
    EXPECT_EQ(firstUInt32s(reseeded, 6),
              (std::vector<uint32_t>{2587116150u, 807368363u, 2648716681u, 3515090327u, 803849432u, 704990279u}));
    MersenneRNG fresh(0x23456789u);
    reseeded.seed(0x123456789ull);
    EXPECT_EQ(hashOfUInt32s(reseeded, 2000), 0x5340c0cfa181c93dull);
    EXPECT_EQ(hashOfUInt32s(fresh, 2000), 0x5340c0cfa181c93dull);
}

TEST(RngSeeding, MarsagliaSeedFillsBothStreamsFromOne64BitSeed) {
    MarsagliaRNG small(1, 2);
    small.seed(11);
    EXPECT_EQ(firstUInt32s(small, 6),
              (std::vector<uint32_t>{2060299983u, 1774485754u, 2167724579u, 1401282652u, 3783426217u, 415410287u}));
    small.seed(11);
    EXPECT_EQ(hashOfUInt32s(small, 2000), 0xf1822161ba040b1eull);

    MarsagliaRNG large(1, 2);
    large.seed(0xFEDCBA9876543210ull);
    EXPECT_EQ(firstUInt32s(large, 6),
              (std::vector<uint32_t>{699646727u, 491915007u, 803020609u, 4079651900u, 1200309077u, 313618196u}));
    large.seed(0xFEDCBA9876543210ull);
    EXPECT_EQ(hashOfUInt32s(large, 2000), 0xe4c436288fb9c3e5ull);
}

TEST(RngSeeding, MarsagliaRestartIsAFreshGenerator) {
    MarsagliaRNG restarted(1, 2);
    restarted.generateNextUInt32();
    restarted.restart(5, 7);
    MarsagliaRNG fresh(5, 7);
    EXPECT_EQ(firstUInt32s(restarted, 100), firstUInt32s(fresh, 100));
}

TEST(RngSeeding, XORShiftSeedRestartsFromTheLow32BitsOfTheSeed) {
    XORShiftRNG reseeded(3);
    reseeded.generateNextUInt32();
    reseeded.seed(0x1234567800000063ull);
    EXPECT_EQ(firstUInt32s(reseeded, 6),
              (std::vector<uint32_t>{203643u, 203643u, 203643u, 203643u, 415432899u, 202851u}));
    reseeded.seed(0x1234567800000063ull);
    EXPECT_EQ(hashOfUInt32s(reseeded, 2000), 0x489d2723177fb795ull);
}

// Seeds whose first 32-bit draw is 2^32-1 (found by inverting the first step), and what sst-core makes
// of that draw in nextUniform(): XORShift skips it, since it would give exactly 1.0; Marsaglia adds one
// to it in 32 bits, which wraps to 0, and so returns 0.0.
TEST(RngSeeding, TheLargestDrawIsSkippedByXORShiftAndWrapsToZeroInMarsaglia) {
    XORShiftRNG xorshift_draws(955842304u);
    EXPECT_EQ(xorshift_draws.generateNextUInt32(), 4294967295u);
    EXPECT_EQ(xorshift_draws.generateNextUInt32(), 4294959104u);
    XORShiftRNG xorshift(955842304u);
    EXPECT_EQ(xorshift.nextUniform(), 0x1.ffffc001ffffcp-1);
    EXPECT_EQ(xorshift.nextUniform(), 0x1.ffffc001ffffcp-1);

    MarsagliaRNG marsaglia_draws(1872101377u, 755957763u);
    EXPECT_EQ(marsaglia_draws.generateNextUInt32(), 4294967295u);
    MarsagliaRNG marsaglia(1872101377u, 755957763u);
    EXPECT_EQ(marsaglia.nextUniform(), 0.0);
    EXPECT_EQ(marsaglia.nextUniform(), 0x1.6bcd735f28652p-1);
}

// The clock-seeded constructors give working generators (their values differ from run to run).
TEST(RngSeeding, ClockSeededGeneratorsProduceUniforms) {
    MersenneRNG mersenne;
    MarsagliaRNG marsaglia;
    XORShiftRNG xorshift;
    for (Random* rng : std::initializer_list<Random*>{&mersenne, &marsaglia, &xorshift}) {
        double sum = 0;
        for (int i = 0; i < 10000; i++) {
            const double u = rng->nextUniform();
            ASSERT_GE(u, 0.0);
            ASSERT_LT(u, 1.0);
            sum += u;
        }
        EXPECT_NEAR(sum / 10000, 0.5, 0.05);
    }
}

// The last of the 100000 ticks of sst-core's test_RNGComponent_{mersenne,marsaglia,xorshift}.py, as in
// its reference output (the uniform printed with %18.15f).
struct ComponentReferenceRun {
    const char* name;
    std::function<std::unique_ptr<Random>()> make;
    const char* uniform_printed;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
};

TEST(RngSstCoreReferenceRuns, TheHundredThousandthTickMatches) {
    const ComponentReferenceRun runs[] = {
        {"mersenne", makeGenerator<MersenneRNG>(1447u), " 0.178580938647171", 885291016u, 10267712156565189706ull,
         1891228477, -3985593714491414659ll},
        {"marsaglia", makeGenerator<MarsagliaRNG>(1053u, 1447u), " 0.782752259502768", 1386796600u,
         5603489104144064841ull, -1624776040, -15905414462797530ll},
        {"xorshift", makeGenerator<XORShiftRNG>(1447u), " 0.228962001676895", 2723816496u, 14228818178726390998ull,
         356286477, 4750858843321556286ll},
    };
    for (const ComponentReferenceRun& run : runs) {
        SCOPED_TRACE(run.name);
        auto rng = run.make();
        for (int tick = 1; tick < 100000; tick++)
            drawMixed(*rng);
        const MixedDraws last = drawMixed(*rng);
        char printed[32];
        std::snprintf(printed, sizeof(printed), "%18.15f", last.uniform);
        EXPECT_STREQ(printed, run.uniform_printed);
        EXPECT_EQ(last.u32, run.u32);
        EXPECT_EQ(last.u64, run.u64);
        EXPECT_EQ(last.i32, run.i32);
        EXPECT_EQ(last.i64, run.i64);
    }
}

// A distribution together with the generator it was given (which it does not own).
struct DistributionUnderTest {
    std::unique_ptr<Random> base;
    std::unique_ptr<RandomDistribution> distribution;
};

struct DistributionGolden {
    const char* name;
    std::function<DistributionUnderTest()> make;
    std::array<double, 6> first_values;
    uint64_t hash_of_2000;
};

template <class Distribution, class Generator, class... Args>
std::function<DistributionUnderTest()> makeDistribution(Generator generator, Args... args) {
    return [=] {
        DistributionUnderTest made;
        made.base = std::make_unique<Generator>(generator);
        made.distribution = std::make_unique<Distribution>(args..., made.base.get());
        return made;
    };
}

const double discrete_probs_a[] = {0.2, 0.3, 0.5};
const double discrete_probs_b[] = {0.1, 0.1, 0.1, 1.0};

const DistributionGolden distribution_goldens[] = {
    {"GaussianMean1Sd02Mersenne",
     makeDistribution<GaussianDistribution>(MersenneRNG(10111), 1.0, 0.2),
     {0x1.f647b714c5c45p-1, 0x1.ca76b0abff0f6p-1, 0x1.6ad5842802cf4p+0, 0x1.51fdeccd3b092p-1, 0x1.a3f12e48abc99p-1,
      0x1.eea8ea6ff5004p-1},
     0xf5373f1f94db4d70ull},
    {"GaussianMeanMinus3Sd5Marsaglia",
     makeDistribution<GaussianDistribution>(MarsagliaRNG(5, 7), -3.0, 5.0),
     {-0x1.3b5df01df4a18p-1, -0x1.cde80bd1b0b1p-2, -0x1.3150f28df9d34p+2, -0x1.8bb880220f46cp+2, -0x1.c6a3f60288133p+2,
      0x1.d1824014ff5cep+1},
     0xfe3f8a73e5f8d7eeull},
    {"GaussianStandardXORShift",
     makeDistribution<GaussianDistribution>(XORShiftRNG(57), 0.0, 1.0),
     {-0x1.20876167e918fp+2, -0x1.20876167e918fp+2, -0x1.b30b5bf846194p+1, -0x1.b30b91404b50bp-10, -0x1.b519439b816p-4,
      -0x1.b2e86b3edcf8p+1},
     0x0d6579db9dd34dbdull},
    {"ExponentialLambda1Mersenne",
     makeDistribution<ExponentialDistribution>(MersenneRNG(10111), 1.0),
     {0x1.29406795db139p+0, 0x1.c66a029849fddp+0, 0x1.74e3dfeeec94dp-3, 0x1.3e5cec9b13601p+1, 0x1.19e57896d0ee9p-1,
      0x1.0ada139b04433p-3},
     0xd9f3617080ea3fc2ull},
    {"ExponentialLambdaQuarterXORShift",
     makeDistribution<ExponentialDistribution>(XORShiftRNG(57), 0.25),
     {0x1.c9f2999adaebep-14, 0x1.c9f2999adaebep-14, 0x1.c9f2999adaebep-14, 0x1.c9f2999adaebep-14, 0x1.d56af7706babbp-3,
      0x1.c83a968939592p-14},
     0x35f894f9c7ee779dull},
    {"PoissonLambda3Mersenne",
     makeDistribution<PoissonDistribution>(MersenneRNG(10111), 3.0),
     {4, 2, 1, 3, 0, 1},
     0xfbc9c02102963f68ull},
    {"PoissonLambda20Marsaglia",
     makeDistribution<PoissonDistribution>(MarsagliaRNG(5, 7), 20.0),
     {25, 18, 19, 24, 19, 21},
     0xd7db74cd196acb20ull},
    {"DiscreteThreeOutcomesMersenne",
     makeDistribution<DiscreteDistribution>(MersenneRNG(10111), discrete_probs_a, 3u),
     {3, 3, 1, 3, 2, 1},
     0xd31b8c5d136af098ull},
    {"DiscreteFourOutcomesXORShift",
     makeDistribution<DiscreteDistribution>(XORShiftRNG(57), discrete_probs_b, 4u),
     {1, 1, 1, 1, 1, 1},
     0xb95322541e1ace48ull},
    {"UniformFourBinsMersenne",
     makeDistribution<UniformDistribution>(MersenneRNG(10111), 4u),
     {2, 3, 0, 3, 1, 0},
     0x8fbef04a74a72da8ull},
    {"UniformSevenBinsMarsaglia",
     makeDistribution<UniformDistribution>(MarsagliaRNG(5, 7), 7u),
     {5, 5, 4, 4, 5, 6},
     0xd3bf257846514341ull},
    {"UniformZeroBinsMersenne",
     makeDistribution<UniformDistribution>(MersenneRNG(1447), 0u),
     {0, 0, 0, 0, 0, 0},
     0x2c36c2471ceec525ull},
};

void PrintTo(const DistributionGolden& golden, std::ostream* out) { *out << golden.name; }

class RngDistributionGolden : public ::testing::TestWithParam<DistributionGolden> {};

TEST_P(RngDistributionGolden, SequenceMatchesSstCore) {
    const DistributionGolden& golden = GetParam();
    DistributionUnderTest made = golden.make();
    SequenceHash hash;
    for (int i = 0; i < 2000; i++) {
        const double value = made.distribution->getNextDouble();
        if (i < 6) {
            EXPECT_EQ(std::bit_cast<uint64_t>(value), std::bit_cast<uint64_t>(golden.first_values[i]))
                << "sample " << i << ": " << value << " against " << golden.first_values[i];
        }
        hash.add(value);
    }
    EXPECT_EQ(hash.value, golden.hash_of_2000);
}

INSTANTIATE_TEST_SUITE_P(SstCore16, RngDistributionGolden, ::testing::ValuesIn(distribution_goldens),
                         [](const ::testing::TestParamInfo<DistributionGolden>& info) { return info.param.name; });

// Hands out a script of uniforms, to drive a distribution through chosen cases. The integer draws are
// not used by the distributions.
class ScriptedUniforms : public Random {
public:
    explicit ScriptedUniforms(std::vector<double> script) : script_(std::move(script)) {}
    ~ScriptedUniforms() override {
        if (destroyed_)
            *destroyed_ = true;
    }

    double nextUniform() override {
        EXPECT_LT(next_, script_.size()) << "drew more uniforms than scripted";
        return next_ < script_.size() ? script_[next_++] : 0.5;
    }
    uint32_t generateNextUInt32() override { return 0; }
    uint64_t generateNextUInt64() override { return 0; }
    int64_t generateNextInt64() override { return 0; }
    int32_t generateNextInt32() override { return 0; }

    size_t drawn() const { return next_; }
    void reportDestructionTo(bool* destroyed) { destroyed_ = destroyed; }

private:
    std::vector<double> script_;
    size_t next_ = 0;
    bool* destroyed_ = nullptr;
};

TEST(RngDistributions, GaussianRejectsPointsOutsideTheDiscFlipsSignsAndKeepsTheSecondSample) {
    // (0.6, 0.8) lies on the unit circle and (0, 0) at its centre: both rejected. (0.3, 0.4) is taken;
    // the sign draws leave u positive (0.7) and make v negative (0.2).
    ScriptedUniforms script({0.6, 0.8, 0.0, 0.0, 0.3, 0.4, 0.7, 0.2});
    GaussianDistribution gaussian(10.0, 2.0, &script);
    const double radius_squared = 0.3 * 0.3 + 0.4 * 0.4;
    const double scale = std::sqrt(-2.0 * std::log(radius_squared) / radius_squared);
    EXPECT_EQ(gaussian.getNextDouble(), 10.0 + 2.0 * 0.3 * scale);
    EXPECT_EQ(script.drawn(), 8u);
    EXPECT_EQ(gaussian.getNextDouble(), 10.0 + 2.0 * -0.4 * scale);
    EXPECT_EQ(script.drawn(), 8u);  // the second sample costs no draws
    EXPECT_EQ(gaussian.getMean(), 10.0);
    EXPECT_EQ(gaussian.getStandardDev(), 2.0);
}

TEST(RngDistributions, ExponentialInvertsItsCdfWithOneDrawPerSample) {
    ScriptedUniforms script({0.0, 0.5, 0.75});
    ExponentialDistribution exponential(2.0, &script);
    EXPECT_EQ(exponential.getNextDouble(), 0.0);
    EXPECT_EQ(exponential.getNextDouble(), std::log(0.5) / -2.0);
    EXPECT_EQ(exponential.getNextDouble(), std::log(0.25) / -2.0);
    EXPECT_EQ(script.drawn(), 3u);
    EXPECT_EQ(exponential.getLambda(), 2.0);
}

TEST(RngDistributions, PoissonCountsUniformsUntilTheProductFallsToExpMinusLambda) {
    // e^-lambda = 0.2: 0.5, 0.25 stay above it, 0.125 does not, so two; then 0.1 at once, so zero.
    ScriptedUniforms script({0.5, 0.5, 0.5, 0.1});
    PoissonDistribution poisson(-std::log(0.2), &script);
    EXPECT_EQ(poisson.getNextDouble(), 2.0);
    EXPECT_EQ(poisson.getNextDouble(), 0.0);
    EXPECT_EQ(script.drawn(), 4u);
    EXPECT_EQ(poisson.getLambda(), -std::log(0.2));
}

TEST(RngDistributions, UniformPutsABoundaryDrawInTheLowerBin) {
    ScriptedUniforms script({0.0, 0.25, std::nextafter(0.25, 1.0), 0.5, 0.74, 0.75, 0.99});
    UniformDistribution uniform(4, &script);
    for (double expected : {0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0})
        EXPECT_EQ(uniform.getNextDouble(), expected);
}

// sst-core's discrete distribution returns one past the outcome whose interval holds the draw; kept so
// that the samples match.
TEST(RngDistributions, DiscreteReturnsTheFirstIndexWhoseSumBeforeItReachesTheDraw) {
    const double probs[] = {0.25, 0.25, 0.5};
    ScriptedUniforms script({0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.99});
    DiscreteDistribution discrete(probs, 3, &script);
    for (double expected : {0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0})
        EXPECT_EQ(discrete.getNextDouble(), expected);
}

TEST(RngDistributions, DiscreteFrequenciesFollowTheProbabilitiesOneIndexUp) {
    const double probs[] = {0.1, 0.6, 0.3};
    MersenneRNG base(1447);
    DiscreteDistribution discrete(probs, 3, &base);
    std::map<double, int> counts;
    const int samples = 100000;
    for (int i = 0; i < samples; i++)
        counts[discrete.getNextDouble()]++;
    EXPECT_EQ(counts.count(0.0), 0u);
    EXPECT_NEAR(counts[1.0], 0.1 * samples, 0.01 * samples);
    EXPECT_NEAR(counts[2.0], 0.6 * samples, 0.01 * samples);
    EXPECT_NEAR(counts[3.0], 0.3 * samples, 0.01 * samples);
}

TEST(RngDistributions, ConstantAlwaysGivesItsValue) {
    ConstantDistribution constant(2.5);
    for (int i = 0; i < 10; i++)
        EXPECT_EQ(constant.getNextDouble(), 2.5);
    EXPECT_EQ(constant.getMean(), 2.5);
}

std::pair<double, double> meanAndStandardDeviation(RandomDistribution& distribution, int samples) {
    double sum = 0;
    double sum_of_squares = 0;
    for (int i = 0; i < samples; i++) {
        const double x = distribution.getNextDouble();
        sum += x;
        sum_of_squares += x * x;
    }
    const double mean = sum / samples;
    return {mean, std::sqrt(sum_of_squares / samples - mean * mean)};
}

// The tolerances are about five standard errors of the estimates at 200000 samples.
TEST(RngDistributions, SampleMomentsFollowTheParameters) {
    const int samples = 200000;
    MersenneRNG base(2024);

    GaussianDistribution gaussian(32.0, 4.0, &base);
    auto [gaussian_mean, gaussian_sd] = meanAndStandardDeviation(gaussian, samples);
    EXPECT_NEAR(gaussian_mean, 32.0, 0.05);
    EXPECT_NEAR(gaussian_sd, 4.0, 0.04);

    ExponentialDistribution exponential(0.5, &base);
    auto [exponential_mean, exponential_sd] = meanAndStandardDeviation(exponential, samples);
    EXPECT_NEAR(exponential_mean, 2.0, 0.025);
    EXPECT_NEAR(exponential_sd, 2.0, 0.04);

    PoissonDistribution poisson(8.0, &base);
    auto [poisson_mean, poisson_sd] = meanAndStandardDeviation(poisson, samples);
    EXPECT_NEAR(poisson_mean, 8.0, 0.035);
    EXPECT_NEAR(poisson_sd, std::sqrt(8.0), 0.03);

    UniformDistribution uniform(5, &base);
    auto [uniform_mean, uniform_sd] = meanAndStandardDeviation(uniform, samples);
    EXPECT_NEAR(uniform_mean, 2.0, 0.016);
    EXPECT_NEAR(uniform_sd, std::sqrt(2.0), 0.01);
}

// The constructors without a generator make their own, seeded from the clock: the values differ from run
// to run, so only far-off moments (tens of standard errors) would fail.
TEST(RngDistributions, OwnGeneratorsAreClockSeededMersennes) {
    const int samples = 20000;
    GaussianDistribution gaussian(32.0, 4.0);
    EXPECT_NEAR(meanAndStandardDeviation(gaussian, samples).first, 32.0, 0.5);
    ExponentialDistribution exponential(0.5);
    EXPECT_NEAR(meanAndStandardDeviation(exponential, samples).first, 2.0, 0.3);
    PoissonDistribution poisson(8.0);
    EXPECT_NEAR(meanAndStandardDeviation(poisson, samples).first, 8.0, 0.3);
    UniformDistribution uniform(5);
    EXPECT_NEAR(meanAndStandardDeviation(uniform, samples).first, 2.0, 0.2);
    const double probs[] = {0.5, 0.5};
    DiscreteDistribution discrete(probs, 2);
    EXPECT_NEAR(meanAndStandardDeviation(discrete, samples).first, 1.5, 0.1);
}

// A distribution deletes the generator it made, never one it was given; the legacy names still work.
TEST(RngDistributions, AGivenGeneratorStaysTheCallers) {
    bool destroyed = false;
    auto base = std::make_unique<ScriptedUniforms>(std::vector<double>{0.5, 0.5, 0.5, 0.5, 0.5});
    base->reportDestructionTo(&destroyed);
    const double probs[] = {1.0};
    {
        SSTExponentialDistribution exponential(1.0, base.get());
        SSTPoissonDistribution poisson(1.0, base.get());
        SSTDiscreteDistribution discrete(probs, 1, base.get());
        SSTUniformDistribution uniform(2, base.get());
        SSTGaussianDistribution gaussian(0.0, 1.0, base.get());
        SSTConstantDistribution constant(1.0);
        SSTRandomDistribution* as_base = &exponential;
        as_base->getNextDouble();
    }
    EXPECT_FALSE(destroyed);
}

}  // namespace

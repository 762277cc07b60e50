#include <sst/core/timeConverter.h>
#include <sst/core/unitAlgebra.h>
#include <sst_engine/config_graph.h>

#include <gtest/gtest.h>

using SST::TimeConverter;
using SST::UnitAlgebra;

TEST(UnitAlgebra, FrequencyInvertsToPeriod) {
    UnitAlgebra frequency("1GHz");
    EXPECT_TRUE(frequency.hasUnits("Hz"));
    EXPECT_EQ(frequency.getRoundedValue(), 1000000000);
    frequency.invert();
    EXPECT_TRUE(frequency.hasUnits("s"));
    EXPECT_EQ(frequency.toStringBestSI(), "1 ns");
}

TEST(UnitAlgebra, ParsesTimesWithSpacesFractionsAndExponents) {
    EXPECT_EQ(UnitAlgebra("1 ns"), UnitAlgebra("1000ps"));
    EXPECT_EQ(UnitAlgebra("2.5us"), UnitAlgebra("2500 ns"));
    EXPECT_EQ(UnitAlgebra("1e3 Hz"), UnitAlgebra("1kHz"));
    EXPECT_EQ(UnitAlgebra("1kHz").getRoundedValue(), 1000);
    EXPECT_EQ(UnitAlgebra("-3ns").getRoundedValue(), 0);  // -3e-9 s rounds to 0 s
    EXPECT_EQ((UnitAlgebra("-3ns") * 1000000000).getRoundedValue(), -3);
}

TEST(UnitAlgebra, ParsesBinaryAndDecimalSizes) {
    EXPECT_EQ(UnitAlgebra("4KiB").getRoundedValue(), 4096);
    EXPECT_EQ(UnitAlgebra("1MiB").getRoundedValue(), 1048576);
    EXPECT_EQ(UnitAlgebra("1MB").getRoundedValue(), 1000000);
    EXPECT_EQ(UnitAlgebra("64B").getRoundedValue(), 64);
    EXPECT_TRUE(UnitAlgebra("64B").hasUnits("B"));
    EXPECT_TRUE(UnitAlgebra("8Gbps").hasUnits("b/s"));
}

TEST(UnitAlgebra, ArithmeticAndComparison) {
    EXPECT_EQ(UnitAlgebra("1ns") + UnitAlgebra("500ps"), UnitAlgebra("1.5ns"));
    EXPECT_EQ(UnitAlgebra("1us") - UnitAlgebra("1ns"), UnitAlgebra("999ns"));
    EXPECT_EQ(UnitAlgebra("1ns") * 3, UnitAlgebra("3ns"));
    EXPECT_EQ(UnitAlgebra("1KiB") / UnitAlgebra("1us"), UnitAlgebra("1.024GBps"));
    EXPECT_TRUE(UnitAlgebra("2ns") > UnitAlgebra("1500ps"));
    EXPECT_TRUE(UnitAlgebra("1ns") < UnitAlgebra("1us"));
    EXPECT_TRUE(UnitAlgebra("1ns") <= UnitAlgebra("1000ps"));
}

TEST(UnitAlgebra, MismatchedUnitsThrow) {
    EXPECT_THROW((void)(UnitAlgebra("1ns") < UnitAlgebra("1B")), UnitAlgebra::NonMatchingUnits);
    EXPECT_THROW(UnitAlgebra("1ns") + UnitAlgebra("1Hz"), UnitAlgebra::NonMatchingUnits);
}

TEST(UnitAlgebra, RejectsMalformedValues) {
    EXPECT_THROW(UnitAlgebra("GHz"), UnitAlgebra::InvalidNumberString);
    EXPECT_THROW(UnitAlgebra(""), UnitAlgebra::InvalidNumberString);
    EXPECT_THROW(UnitAlgebra("1 parsec"), UnitAlgebra::InvalidUnitType);
    EXPECT_THROW(UnitAlgebra("1GHzz"), UnitAlgebra::InvalidUnitType);
    EXPECT_THROW(UnitAlgebra("1m"), UnitAlgebra::InvalidUnitType);
}

TEST(UnitAlgebra, FormatsWithTheBestSIPrefix) {
    EXPECT_EQ(UnitAlgebra("1234ns").toStringBestSI(), "1.234 us");
    EXPECT_EQ(UnitAlgebra("1500000Hz").toStringBestSI(), "1.5 MHz");
    EXPECT_EQ(UnitAlgebra("0s").toStringBestSI(), "0 s");
    EXPECT_EQ(UnitAlgebra("64B").toString(), "64 B");
    // SST's layout: 6 significant digits by default, exponent notation past them or below 0.0001,
    // halves rounded to even, precision 0 for every digit, and a unitless value keeps the space.
    EXPECT_EQ(UnitAlgebra("2GHz").toString(), "2e+09 Hz");
    EXPECT_EQ(UnitAlgebra("2GHz").toString(0), "2000000000 Hz");
    EXPECT_EQ(UnitAlgebra("1073741823B").toString(4), "1.074e+09 B");
    EXPECT_EQ(UnitAlgebra("1073741823B").toStringBestSI(0), "1.073741823 GB");
    EXPECT_EQ(UnitAlgebra("1073741823B").toStringBestSI(2), "1.1 GB");
    EXPECT_EQ(UnitAlgebra("1.5").toString(), "1.5 ");
    EXPECT_EQ(UnitAlgebra("0.00025s").toString(), "0.00025 s");
    EXPECT_EQ(UnitAlgebra("0.000025s").toString(), "2.5e-05 s");
    EXPECT_EQ(UnitAlgebra("2.5s").toString(1), "2 s");
    EXPECT_EQ(UnitAlgebra("3.5s").toString(1), "4 s");
    EXPECT_EQ(UnitAlgebra("9.99s").toString(2), "10 s");
}

TEST(TimeConverter, FactorIsThePeriodInPicoseconds) {
    EXPECT_EQ(TimeConverter("1GHz").getFactor(), 1000u);
    EXPECT_EQ(TimeConverter("2.5GHz").getFactor(), 400u);
    EXPECT_EQ(TimeConverter("1ns").getFactor(), 1000u);
    EXPECT_EQ(TimeConverter("1ps").getFactor(), 1u);
    EXPECT_EQ(TimeConverter(UnitAlgebra("1us")).getFactor(), 1000000u);

    const TimeConverter tc("1ns");
    EXPECT_EQ(tc.convertToCoreTime(5), 5000u);
    EXPECT_EQ(tc.convertFromCoreTime(5999), 5u);
    EXPECT_EQ(tc.getPeriod(), UnitAlgebra("1ns"));
    EXPECT_FALSE(TimeConverter().isInitialized());
}

TEST(TimeConverter, RejectsPeriodsThatAreNotWholePicoseconds) {
    EXPECT_THROW(TimeConverter("3GHz"), std::invalid_argument);  // 333.33 ps
    EXPECT_THROW(TimeConverter("0.5ps"), std::invalid_argument);
    EXPECT_THROW(TimeConverter("0ns"), std::invalid_argument);
    EXPECT_THROW(TimeConverter("64B"), std::invalid_argument);
    EXPECT_THROW(TimeConverter("soon"), std::invalid_argument);
}

TEST(ParseTime, AcceptsNonNegativeWholePicoseconds) {
    using SST::Core::parseTime;
    EXPECT_EQ(parseTime("1ns"), 1000u);
    EXPECT_EQ(parseTime("2.5 us"), 2500000u);
    EXPECT_EQ(parseTime("0"), 0u);
    EXPECT_EQ(parseTime("0ps"), 0u);
}

TEST(ParseTime, ErrorsNameTheTextAndLocation) {
    using SST::Core::ConfigError;
    using SST::Core::parseTime;
    const SST::Core::ConfigLocation where{"cfg.py", 12};
    try {
        parseTime("1GHz", where);
        FAIL() << "1GHz is not a time";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "cfg.py:12: '1GHz' is not a time (e.g. 1ns, 2.5us)");
    }
    EXPECT_THROW(parseTime("-1ns"), ConfigError);
    EXPECT_THROW(parseTime("0.1ps"), ConfigError);
    EXPECT_THROW(parseTime("later"), ConfigError);
}

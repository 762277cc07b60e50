// SST's string helpers (sst/core/stringize.h), which elements call directly.
#include <gtest/gtest.h>

#include "sst/core/stringize.h"

namespace {

TEST(Stringize, FormatStringGrowsAsNeededOrTruncates) {
    EXPECT_EQ(SST::format_string("prob%u", 7u), "prob7");
    const std::string long_text(1000, 'x');
    EXPECT_EQ(SST::format_string("%s!", long_text.c_str()), long_text + "!");
    EXPECT_EQ(SST::format_string(4, "%d", 123456), "123");  // max_length counts the terminator
    EXPECT_EQ(SST::format_string(0, "%d", 1), "");
}

TEST(Stringize, CaseInsensitiveEqualityAndLowering) {
    EXPECT_TRUE(SST::strcasecmp(std::string("Mersenne"), std::string("MERSENNE")));
    EXPECT_FALSE(SST::strcasecmp(std::string("Mersenne"), std::string("Marsaglia")));
    std::string s = "MiXeD 1";
    SST::to_lower(s);
    EXPECT_EQ(s, "mixed 1");
}

TEST(Stringize, TrimAndTokenize) {
    std::string s = " \t a b \n";
    SST::trim(s);
    EXPECT_EQ(s, "a b");
    std::string blank = " \t ";
    SST::trim(blank);
    EXPECT_EQ(blank, "");
    std::vector<std::string> parts;
    SST::tokenize(parts, "a, b,,c", ",", true);
    EXPECT_EQ(parts, (std::vector<std::string>{"a", "b", "", "c"}));
}

}  // namespace

#include <sst/core/params.h>
#include <sst/core/unitAlgebra.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

using SST::Params;

namespace {

Params sample() {
    Params p;
    p.insert("int", "42");
    p.insert("hex", "0x1F");
    p.insert("neg", "-7");
    p.insert("padded", "  12 ");
    p.insert("leading_zero", "010");
    p.insert("max_u64", "18446744073709551615");
    p.insert("three_hundred", "300");
    p.insert("double", "2.5e3");
    p.insert("text", "hello world");
    p.insert("size", "4KiB");
    p.insert("list", "[1, 2, 0x3]");
    p.insert("names", "['a', 'b,c', \"d\"]");
    p.insert("garbage", "12abc");
    p.insert("dev.addr", "0x10");
    p.insert("dev.size", "8");
    return p;
}

}  // namespace

TEST(Params, ConvertsIntegers) {
    const Params p = sample();
    EXPECT_EQ(p.find<int>("int"), 42);
    EXPECT_EQ(p.find<uint32_t>("hex"), 31u);
    EXPECT_EQ(p.find<int64_t>("neg"), -7);
    EXPECT_EQ(p.find<int>("padded"), 12);
    EXPECT_EQ(p.find<int>("leading_zero"), 10);  // decimal, not octal
    EXPECT_EQ(p.find<uint64_t>("max_u64"), std::numeric_limits<uint64_t>::max());
}

TEST(Params, ConvertsBooleansCaseInsensitively) {
    Params p;
    const char* truths[] = {"true", "True", "YES", "on", "1", "t", "y"};
    const char* lies[] = {"false", "False", "no", "OFF", "0", "f", "n"};
    for (const char* v : truths) {
        p.insert("b", v);
        EXPECT_TRUE(p.find<bool>("b")) << v;
    }
    for (const char* v : lies) {
        p.insert("b", v);
        EXPECT_FALSE(p.find<bool>("b")) << v;
    }
    p.insert("b", "maybe");
    EXPECT_THROW(p.find<bool>("b"), std::invalid_argument);
}

TEST(Params, ConvertsDoublesStringsAndUnits) {
    const Params p = sample();
    EXPECT_DOUBLE_EQ(p.find<double>("double"), 2500.0);
    EXPECT_EQ(p.find<std::string>("text"), "hello world");
    EXPECT_EQ(p.find<SST::UnitAlgebra>("size").getRoundedValue(), 4096);
}

TEST(Params, DefaultsMayBeValuesOrStrings) {
    const Params p = sample();
    EXPECT_EQ(p.find<int>("missing", 5), 5);
    EXPECT_EQ(p.find<uint64_t>("missing", "0x10"), 16u);
    EXPECT_EQ(p.find<std::string>("missing", "fallback"), "fallback");
    EXPECT_TRUE(p.find<bool>("missing", "yes"));
    EXPECT_EQ(p.find<int>("missing"), 0);

    bool found = false;
    EXPECT_EQ(p.find<int>("int", 0, found), 42);
    EXPECT_TRUE(found);
    EXPECT_EQ(p.find<int>("missing", 9, found), 9);
    EXPECT_FALSE(found);
}

TEST(Params, BadValuesThrowWithKeyAndValue) {
    const Params p = sample();
    EXPECT_THROW(p.find<int>("garbage"), std::invalid_argument);
    EXPECT_THROW(p.find<uint32_t>("neg"), std::invalid_argument);
    EXPECT_THROW(p.find<uint8_t>("three_hundred"), std::invalid_argument);
    EXPECT_THROW(p.find<double>("text"), std::invalid_argument);
    EXPECT_THROW(p.find<SST::UnitAlgebra>("text"), std::invalid_argument);
    EXPECT_THROW(p.find<int>("missing", "abc"), std::invalid_argument);
    try {
        p.find<int>("garbage");
        FAIL();
    } catch (const Params::ConversionError& e) {
        EXPECT_EQ(e.key(), "garbage");
        EXPECT_EQ(e.value(), "12abc");
        EXPECT_NE(std::string(e.what()).find("key = garbage, value = 12abc"), std::string::npos);
    }
}

TEST(Params, FindArrayParsesPythonLists) {
    const Params p = sample();
    std::vector<int> numbers;
    p.find_array("list", numbers);
    EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3}));

    std::vector<std::string> names;
    p.find_array("names", names);
    EXPECT_EQ(names, (std::vector<std::string>{"a", "b,c", "d"}));

    std::vector<int> single;
    p.find_array("int", single);
    EXPECT_EQ(single, std::vector<int>{42});
    EXPECT_TRUE(p.is_value_array("list"));
    EXPECT_FALSE(p.is_value_array("int"));
}

TEST(Params, ScopesKeysAndInsertion) {
    Params p = sample();
    const Params dev = p.get_scoped_params("dev");
    EXPECT_EQ(dev.getKeys(), (std::set<std::string>{"addr", "size"}));
    EXPECT_EQ(dev.find<uint32_t>("addr"), 16u);

    EXPECT_TRUE(p.contains("int"));
    EXPECT_FALSE(p.contains("nope"));
    p.insert("int", "7", false);
    EXPECT_EQ(p.find<int>("int"), 42);
    p.insert("int", "7");
    EXPECT_EQ(p.find<int>("int"), 7);
    EXPECT_TRUE(Params().empty());
}

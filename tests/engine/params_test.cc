#include <sst/core/params.h>
#include <sst/core/unitAlgebra.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <vector>

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

TEST(Params, FindArrayUnquotesAndUnescapesLikeSst) {
    Params p;
    p.insert("mixed", "[1, 2, '4', \"8\"]");
    p.insert("escaped", R"(['it\'s', "say \"hi\"", 'a "b"'])");
    p.insert("empty", "[]");
    p.insert("unmatched", "['a, b]");
    std::vector<int> mixed;
    p.find_array("mixed", mixed);
    EXPECT_EQ(mixed, (std::vector<int>{1, 2, 4, 8}));
    std::vector<std::string> escaped;
    p.find_array("escaped", escaped);
    EXPECT_EQ(escaped, (std::vector<std::string>{"it's", "say \"hi\"", "a \"b\""}));
    std::vector<int> empty{7};
    p.find_array("empty", empty);
    EXPECT_EQ(empty, std::vector<int>{7});  // appended to, nothing to append
    std::vector<std::string> unmatched;
    EXPECT_THROW(p.find_array("unmatched", unmatched), std::invalid_argument);
    p.find_array("missing", unmatched);
    EXPECT_TRUE(unmatched.empty());
}

TEST(Params, FindSetReadsPython3AndPython2Sets) {
    Params p;
    p.insert("py3", "{'two', 3, True, 'one'}");
    p.insert("py2", "set([5, 1, 5])");
    p.insert("single", "9");
    std::set<std::string> names;
    p.find_set("py3", names);
    EXPECT_EQ(names, (std::set<std::string>{"3", "True", "one", "two"}));
    std::set<int> numbers;
    p.find_set("py2", numbers);
    p.find_set("single", numbers);
    EXPECT_EQ(numbers, (std::set<int>{1, 5, 9}));
}

TEST(Params, FindMapReadsPythonDicts) {
    Params p;
    p.insert("map", "{'one': '1', 'two': 2, \"a:b\": 3}");
    p.insert("not_a_map", "[1, 2]");
    p.insert("bad_item", "{'one' 1}");
    std::map<std::string, int> map;
    p.find_map("map", map);
    EXPECT_EQ(map, (std::map<std::string, int>{{"one", 1}, {"two", 2}, {"a:b", 3}}));
    EXPECT_THROW(p.find_map("not_a_map", map), std::invalid_argument);
    EXPECT_THROW(p.find_map("bad_item", map), std::invalid_argument);
    std::map<int, int> untouched;
    p.find_map("missing", untouched);
    EXPECT_TRUE(untouched.empty());
}

TEST(Params, IsValueArrayIsSstsLooseTest) {
    Params p;
    p.insert("list", "[1]");
    p.insert("inside", "x[0]y");
    p.insert("plain", "1");
    EXPECT_TRUE(p.is_value_array("list"));
    EXPECT_TRUE(p.is_value_array("inside"));
    EXPECT_FALSE(p.is_value_array("plain"));
    EXPECT_FALSE(p.is_value_array("missing"));
}

namespace {

std::shared_ptr<Params::SharedSet> sharedSet(const std::string& name, std::map<std::string, std::string> values) {
    return std::make_shared<Params::SharedSet>(Params::SharedSet{name, std::move(values)});
}

}  // namespace

TEST(Params, SharedSetsAreSearchedAfterLocalValuesAndSeeLaterAdditions) {
    auto first = sharedSet("first", {{"a", "1"}, {"b", "2"}});
    auto second = sharedSet("second", {{"b", "20"}, {"c", "30"}});
    Params p;
    p.insert("a", "100");
    p.addSharedParamSet(first);
    p.addSharedParamSet(second);
    p.addSharedParamSet(first);  // subscribing twice changes nothing
    EXPECT_EQ(p.getSubscribedSharedParamSets(), (std::vector<std::string>{"first", "second"}));

    EXPECT_EQ(p.find<int>("a"), 100);
    EXPECT_EQ(p.find<int>("b"), 2);
    EXPECT_EQ(p.find<int>("c"), 30);
    EXPECT_EQ(p.getKeys(), (std::set<std::string>{"a", "b", "c"}));
    EXPECT_EQ(p.size(), 3u);
    EXPECT_EQ(p.count("c"), 1u);

    second->values["d"] = "40";
    EXPECT_TRUE(p.contains("d"));
    EXPECT_EQ(p.find<int>("d"), 40);

    const Params copy = p;
    EXPECT_EQ(copy.find<int>("d"), 40);
    p.clear();
    EXPECT_TRUE(p.empty());
}

TEST(Params, ScopedParamsTakeSharedKeysToo) {
    Params p;
    p.insert("scope.local", "1");
    p.insert("scope.both", "local");
    p.insert("other.x", "2");
    p.addSharedParamSet(sharedSet("s", {{"scope.shared", "3"}, {"scope.both", "shared"}}));
    const Params scoped = p.get_scoped_params("scope");
    EXPECT_EQ(scoped.getKeys(), (std::set<std::string>{"both", "local", "shared"}));
    EXPECT_EQ(scoped.find<std::string>("both"), "local");
    EXPECT_TRUE(scoped.getSubscribedSharedParamSets().empty());  // all local now
}

TEST(Params, InsertingParamsKeepsOwnValuesUnlessToldToOverwrite) {
    Params base;
    base.insert("a", "1");
    Params other;
    other.insert("a", "2");
    other.insert("b", "3");
    other.addSharedParamSet(sharedSet("s", {{"c", "4"}}));

    Params kept = base;
    kept.insert(other);
    EXPECT_EQ(kept.find<int>("a"), 1);
    EXPECT_EQ(kept.find<int>("b"), 3);
    EXPECT_EQ(kept.find<int>("c"), 4);

    Params overwritten = base;
    overwritten.insert(other, true);
    EXPECT_EQ(overwritten.find<int>("a"), 2);
}

TEST(Params, PrintsSstsListingToAStream) {
    Params p;
    p.insert("b", "2");
    p.insert("a", "1");
    p.addSharedParamSet(sharedSet("s", {{"x", "9"}}));
    EXPECT_EQ(p.toString("> "), "Local params:\n"
                                "  > key=a, value=1\n"
                                "  > key=b, value=2\n"
                                "Shared params:\n"
                                "  > key=<set_name>, value=s\n"
                                "  > key=x, value=9\n");
    EXPECT_EQ(Params().toString(), "");
}

TEST(Params, VerifyControlsKeepTheirState) {
    Params p;
    EXPECT_TRUE(p.enableVerify(false));
    EXPECT_FALSE(p.enableVerify(true));
    p.pushAllowedKeys({"a"});
    p.popAllowedKeys();
    Params::enableVerify();
    p.insert("undocumented", "1");
    EXPECT_EQ(p.find<int>("undocumented"), 1);  // never refused: the config check is the engine's
}

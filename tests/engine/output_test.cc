// Output's prefixes, filters and locations, Params listed through an Output, and TraceFunction.

#include <sst/core/output.h>
#include <sst/core/params.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using SST::Output;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

// An Output writing to its own file, and what it wrote once flushed.
struct FileOutput {
    explicit FileOutput(const std::string& stem, const std::string& prefix = "", uint32_t level = 0, uint32_t mask = 0)
        : path(testing::TempDir() + stem), out(prefix, level, mask, Output::FILE, path) {}
    ~FileOutput() { std::remove(path.c_str()); }
    std::string text() {
        out.flush();
        return slurp(path);
    }
    std::string path;
    Output out;
};

}  // namespace

TEST(Output, PrintsParamsAsSstDoes) {
    FileOutput file("output_params.txt");
    SST::Params p;
    p.insert("b", "2");
    p.insert("a", "x y");
    p.addSharedParamSet(std::make_shared<SST::Params::SharedSet>(SST::Params::SharedSet{"set", {{"c", "3"}}}));
    p.print_all_params(file.out, "    ");
    SST::Params().print_all_params(file.out, "!");  // an empty object prints nothing
    EXPECT_EQ(file.text(), "    Local params:\n"
                           "      a = x y\n"
                           "      b = 2\n"
                           "    Shared params:\n"
                           "      <set_name> = set\n"
                           "      c = 3\n");
}

TEST(Output, DebugPrefixFiltersAndUsesItsOwnPrefix) {
    FileOutput file("output_debug_prefix.txt", "normal: ", 2, 0x3);
    file.out.debugPrefix("temp@l: ", 7, "f.cc", "fn", 2, 0x1, "shown %d\n", 1);
    file.out.debugPrefix("temp: ", 7, "f.cc", "fn", 3, 0x1, "level too high\n");
    file.out.debugPrefix("temp: ", 7, "f.cc", "fn", 1, 0x4, "bit not in mask\n");
    file.out.verbose(9, "f.cc", "fn", 1, 0, "after\n");
    EXPECT_EQ(file.text(), "temp7: shown 1\nnormal: after\n");
}

TEST(Output, LocationCanChangeAfterConstruction) {
    FileOutput file("output_location.txt");
    file.out.output("one\n");
    file.out.setOutputLocation(Output::NONE);
    EXPECT_EQ(file.out.getOutputLocation(), Output::NONE);
    file.out.output("dropped\n");
    EXPECT_EQ(file.text(), "one\n");

    testing::internal::CaptureStdout();
    file.out.setOutputLocation(Output::STDOUT);
    file.out.output("two\n");
    file.out.flush();
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "two\n");
}

TEST(Output, DefaultObjectIsOneObjectOnStdout) {
    EXPECT_EQ(&Output::getDefaultObject(), &Output::getDefaultObject());
    EXPECT_EQ(Output::getDefaultObject().getOutputLocation(), Output::STDOUT);
}

namespace {

void traced(int depth) {
    SST::TraceFunction trace(__LINE__, __FILE__, "traced()");
    trace.output("depth %d\nsecond line\n", depth);
    if (depth < 2)
        traced(depth + 1);
    trace.output("no newline");
    trace.output("\n");  // as in SST, every call starts with the indent
}

}  // namespace

// One test, because TraceFunction reads its environment variables once per process.
TEST(Output, TraceFunctionIndentsEachLevelWithTheMarker) {
    setenv("SST_TRACEFUNCTION_ACTIVATE", "", 1);
    setenv("SST_TRACEFUNCTION_INDENT_MARKER", "", 1);  // empty: '|'

    testing::internal::CaptureStdout();
    traced(1);
    {
        SST::TraceFunction off(__LINE__, __FILE__, "off()", true, false);
        off.output("not printed\n");
    }
    // No engine is running here, so there is no "(time): " prefix.
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "traced() enter function\n"
                                                      "| depth 1\n"
                                                      "| second line\n"
                                                      "| traced() enter function\n"
                                                      "| | depth 2\n"
                                                      "| | second line\n"
                                                      "| | no newline| | \n"
                                                      "| traced() exit function\n"
                                                      "| no newline| \n"
                                                      "traced() exit function\n");
}

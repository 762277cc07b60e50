// Configuration mistakes found while building a simulation: each is a ConfigError whose message
// names the component and the config location responsible.

#include "engine_test_support.h"

#include <sst/core/component.h>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using namespace SST;
using Core::ConfigError;
using Core::ConfigLocation;
using EngineTest::runQuietly;

namespace {

class Device : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Device, "utest_cfg", "device", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"id", "device number", nullptr}, {"device%d_base", "window base", "0"},
                            {"latency", "access latency", "1ns"})
    SST_ELI_DOCUMENT_PORTS({"bus", "", {}}, {"irq%d", "", {}})

    Device(ComponentId_t id, Params& params) : Component(id) {
        params.find<int>("id");
        params.find<uint64_t>("device0_base", 0);
        registerTimeBase(params.find<std::string>("latency", "1ns"));
        if (params.find<int>("id") < 0)
            throw std::runtime_error("negative ids are reserved");
    }
};

class FatalDevice : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(FatalDevice, "utest_cfg", "fatal", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)

    FatalDevice(ComponentId_t id, Params&) : Component(id) { fatal(CALL_INFO, 4, "no backing file\n"); }
};

const ConfigLocation kCreated{"system.py", 10};
const ConfigLocation kParams{"system.py", 11};
const ConfigLocation kWired{"system.py", 20};

Core::ConfigComponent& addDevice(Core::ConfigGraph& graph, const std::string& name, const std::string& id = "1") {
    auto& device = graph.addComponent(name, "utest_cfg.device", kCreated);
    device.addParam("id", id, kParams);
    return device;
}

// The ConfigError message of building graph, or "" when it builds.
std::string buildError(const Core::ConfigGraph& graph) {
    try {
        runQuietly(graph);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

std::string connectError(Core::ConfigGraph& graph, Core::ConfigLink& link, ComponentId_t comp, const std::string& port,
                         const std::string& latency) {
    try {
        graph.connect(link, comp, port, latency, kWired);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ConfigErrors, ValidConfigurationBuilds) {
    Core::ConfigGraph graph;
    auto& a = addDevice(graph, "a");
    a.addParam("device3_base", "0x1000", kParams);  // %d matches any number
    auto& b = addDevice(graph, "b");
    EngineTest::wire(graph, a.id, "bus", "1ns", b.id, "irq12", "1ns");
    EXPECT_EQ(buildError(graph), "");
}

TEST(ConfigErrors, NoComponentsIsNotAnError) { EXPECT_EQ(buildError(Core::ConfigGraph()), ""); }

TEST(ConfigErrors, UnknownParameterNamesItsLine) {
    Core::ConfigGraph graph;
    addDevice(graph, "a").addParam("colour", "blue", {"system.py", 12});
    EXPECT_EQ(buildError(graph), "system.py:12: component 'a' (type utest_cfg.device): unknown parameter 'colour'; "
                                 "documented parameters: id, device%d_base, latency");
}

TEST(ConfigErrors, MissingRequiredParameter) {
    Core::ConfigGraph graph;
    graph.addComponent("a", "utest_cfg.device", kCreated);
    EXPECT_EQ(buildError(graph),
              "system.py:10: component 'a' (type utest_cfg.device) is missing required parameter 'id' (device number)");
}

TEST(ConfigErrors, ParameterThatDoesNotConvert) {
    Core::ConfigGraph graph;
    addDevice(graph, "a", "one");
    EXPECT_EQ(buildError(graph), "system.py:11: component 'a' (type utest_cfg.device): parameter 'id' = 'one' is "
                                 "invalid: 'one' is not an integer");
}

TEST(ConfigErrors, BadTimeInAParameter) {
    Core::ConfigGraph graph;
    addDevice(graph, "a").addParam("latency", "3GHz", kParams);
    const std::string error = buildError(graph);
    EXPECT_NE(error.find("system.py:10: component 'a' (type utest_cfg.device) failed in its constructor: '3GHz' is "
                         "not a whole number of picoseconds"),
              std::string::npos)
        << error;
}

TEST(ConfigErrors, ExceptionFromAConstructor) {
    Core::ConfigGraph graph;
    addDevice(graph, "a", "-1");
    EXPECT_EQ(
        buildError(graph),
        "system.py:10: component 'a' (type utest_cfg.device) failed in its constructor: negative ids are reserved");
}

TEST(ConfigErrors, UnknownPort) {
    Core::ConfigGraph graph;
    auto& a = addDevice(graph, "a");
    auto& b = addDevice(graph, "b");
    auto& link = graph.addLink("l", "1ns");
    graph.connect(link, a.id, "bus", "", kWired);
    graph.connect(link, b.id, "irqX", "", kWired);
    EXPECT_EQ(buildError(graph),
              "system.py:20: component 'b' (type utest_cfg.device) has no port 'irqX'; documented ports: bus, irq%d");
}

TEST(ConfigErrors, PortConnectedTwice) {
    Core::ConfigGraph graph;
    auto& a = addDevice(graph, "a");
    auto& first = graph.addLink("first", "1ns", kWired);
    graph.connect(first, a.id, "bus", "", {"system.py", 15});
    auto& second = graph.addLink("second", "1ns");
    EXPECT_EQ(connectError(graph, second, a.id, "bus", ""),
              "system.py:20: port 'bus' of component 'a' is already connected (by link 'first' at system.py:15)");
}

TEST(ConfigErrors, LinkWithOneEnd) {
    Core::ConfigGraph graph;
    auto& a = addDevice(graph, "a");
    auto& link = graph.addLink("dangling", "1ns");
    graph.connect(link, a.id, "bus", "", kWired);
    EXPECT_EQ(buildError(graph),
              "system.py:20: link 'dangling' has only one end (port 'bus' of component 'a'); a link needs two ends");
}

TEST(ConfigErrors, BadOrMissingLatency) {
    Core::ConfigGraph graph;
    auto& a = addDevice(graph, "a");
    auto& link = graph.addLink("l");
    EXPECT_EQ(
        connectError(graph, link, a.id, "bus", "1 parsec"),
        "system.py:20: invalid time '1 parsec': invalid unit 'parsec' (known: s, Hz, B, b, Bps, bps, events with SI or "
        "binary prefixes)");
    EXPECT_EQ(
        connectError(graph, link, a.id, "bus", ""),
        "system.py:20: no latency for port 'bus' of component 'a' on link 'l' (give one when connecting, or a default "
        "in sst.Link(name, latency))");
}

TEST(ConfigErrors, UnknownElementInAKnownLibraryListsItsElements) {
    Core::ConfigGraph graph;
    graph.addComponent("a", "utest_cfg.gadget", kCreated);
    EXPECT_EQ(buildError(graph),
              "system.py:10: unknown component type 'utest_cfg.gadget': library 'utest_cfg' provides utest_cfg.device, "
              "utest_cfg.fatal");
}

TEST(ConfigErrors, UnknownLibraryListsTheSearchPath) {
    Core::ConfigGraph graph;
    graph.addComponent("a", "nowhere.gadget", kCreated);
    const std::string error = buildError(graph);
    EXPECT_EQ(error.rfind("system.py:10: no element library 'nowhere': libnowhere.so is not in any of: ", 0), 0u)
        << error;
}

TEST(ConfigErrors, DuplicateComponentName) {
    Core::ConfigGraph graph;
    addDevice(graph, "a");
    EXPECT_THROW(graph.addComponent("a", "utest_cfg.device", kWired), ConfigError);
}

TEST(ConfigErrorsDeathTest, FatalInAConstructorNamesTheComponentAndWhereItWasCreated) {
    Core::ConfigGraph graph;
    graph.addComponent("disk", "utest_cfg.fatal", kCreated);
    EXPECT_EXIT(runQuietly(graph), testing::ExitedWithCode(4),
                "FATAL: component 'disk' \\(type utest_cfg.fatal\\) at 0 s: no backing file\n"
                "FATAL: while constructing component 'disk' \\(type utest_cfg.fatal, created at system.py:10\\)");
}

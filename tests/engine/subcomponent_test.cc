// SubComponents, Modules and ComponentExtensions as SST 16 elements use them: slots filled by the
// configuration (user) or by the parent (anonymous), their names, parameters, shared ports and
// statistics, ELI inheritance, loading through an API, and what is fatal.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/componentExtension.h>
#include <sst/core/link.h>
#include <sst/core/module.h>
#include <sst/core/subcomponent.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;
using EngineTest::wire;

namespace {

std::vector<std::string> journal;  // what the elements did, in order
// The "hits" statistic each Tagger got, noted while the simulation exists.
struct StatSeen {
    const void* object;
    bool null;
    std::string component;
};
std::map<std::string, StatSeen> stats_seen;

// The API a slot names.  Parts take an extra constructor argument, as APIs may declare.
class Part : public SubComponent {
public:
    SST_ELI_REGISTER_SUBCOMPONENT_API(Part, int)
    SST_ELI_DOCUMENT_PARAMS({"tag", "what the part says", "none"}, {"legacy", "dropped by derived parts", "0"})
    SST_ELI_DOCUMENT_STATISTICS({"hits", "events sent", "events", 1})

    Part(ComponentId_t id, Params&, int) : SubComponent(id) {}
    virtual void fire() {}
};

class Tagger : public Part {
public:
    SST_ELI_REGISTER_SUBCOMPONENT(Tagger, "utest_sub", "tagger", SST_ELI_ELEMENT_VERSION(1, 0, 0), "", Part)
    SST_ELI_REGISTER_ALIAS("tagger_alias")
    SST_ELI_DOCUMENT_PARAMS(SST_ELI_DELETE_PARAM("legacy"), {"port", "port to send on", "wire"})
    SST_ELI_DOCUMENT_PORTS({"wire", "where fire() sends", {}})

    Tagger(ComponentId_t id, Params& params, int serial) : Part(id, params, serial) {
        tag_ = params.find<std::string>("tag", "none");
        link_ = configureLink(params.find<std::string>("port", "wire"));
        hits_ = registerStatistic<uint64_t>("hits");
        stats_seen[getName() + "/" + tag_] = {hits_, hits_->isNullStatistic(), hits_->getCompName()};
        journal.push_back("construct " + getName() + " tag=" + tag_ + " serial=" + std::to_string(serial) +
                          (isUser() ? " user" : "") + (isAnonymous() ? " anonymous" : ""));
    }
    void setup() override { journal.push_back("setup " + getName() + " tag=" + tag_); }
    void fire() override {
        if (link_)
            link_->send(new Event());
        hits_->addData(1);
    }

private:
    std::string tag_;
    Link* link_;
    Statistic<uint64_t>* hits_;
};

// Not a Part: loading it through Part must be refused.
class Stranger : public SubComponent {
public:
    SST_ELI_REGISTER_SUBCOMPONENT_API(Stranger)
    SST_ELI_REGISTER_SUBCOMPONENT(Stranger, "utest_sub", "stranger", SST_ELI_ELEMENT_VERSION(1, 0, 0), "", Stranger)
    Stranger(ComponentId_t id, Params&) : SubComponent(id) {}
};

class Doubler : public Module {
public:
    SST_ELI_REGISTER_MODULE_API(Doubler, int)
    SST_ELI_REGISTER_MODULE(Doubler, "utest_sub", "doubler", SST_ELI_ELEMENT_VERSION(1, 0, 0), "", Doubler)
    SST_ELI_DOCUMENT_PARAMS({"offset", "added after doubling", "0"})
    Doubler(Params& params, int factor) : factor_(factor), offset_(params.find<int>("offset", 0)) {}
    int apply(int x) const { return factor_ * x + offset_; }

private:
    int factor_;
    int offset_;
};

class Counter : public ComponentExtension {
public:
    Counter(ComponentId_t id, int start) : ComponentExtension(id), value_(start) {}
    std::string owner() const { return getName(); }
    int next() { return ++value_; }

private:
    int value_;
};

// Loads its "parts" slot (mode user), or `anonymous` parts of the given type (mode anonymous),
// fires each once in setup, and calls their setup itself, as SST parents do.
class Holder : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Holder, "utest_sub", "holder", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"mode", "user, single, anonymous, stranger or module", "user"},
                            {"type", "the anonymous parts' type", "utest_sub.tagger"},
                            {"count", "how many anonymous parts", "1"})
    SST_ELI_DOCUMENT_PORTS({"port%d", "for anonymous parts", {}})
    SST_ELI_DOCUMENT_STATISTICS({"total", "events of all parts", "events", 1})
    SST_ELI_DOCUMENT_SUBCOMPONENT_SLOTS({"parts", "the parts", "Part"})

    Holder(ComponentId_t id, Params& params) : Component(id) {
        const std::string mode = params.find<std::string>("mode", "user");
        if (mode == "user") {
            SubComponentSlotInfo* slot = getSubComponentSlotInfo("parts");
            if (slot != nullptr) {
                slot->createAll<Part>(parts_, ComponentInfo::SHARE_STATS, 7);
                delete slot;
            }
        } else if (mode == "single") {
            parts_.push_back(loadUserSubComponent<Part>("parts", ComponentInfo::SHARE_NONE, 8));
        } else if (mode == "anonymous") {
            const int count = params.find<int>("count", 1);
            for (int i = 0; i < count; i++) {
                Params part_params;
                part_params.insert("tag", "anon" + std::to_string(i));
                part_params.insert("port", "port" + std::to_string(i));
                parts_.push_back(loadAnonymousSubComponent<Part>(
                    params.find<std::string>("type"), "parts", i,
                    ComponentInfo::SHARE_PORTS | ComponentInfo::INSERT_STATS, part_params, i));
            }
        } else if (mode == "stranger") {
            Params none;
            loadAnonymousSubComponent<Part>("utest_sub.stranger", "parts", 0, ComponentInfo::SHARE_NONE, none, 0);
        } else if (mode == "module") {
            Params module_params;
            module_params.insert("offset", "1");
            Doubler* doubler = loadModule<Doubler>("utest_sub.doubler", module_params, 3);
            journal.push_back("module " + std::to_string(doubler->apply(5)));
            delete doubler;
            Counter* counter = loadComponentExtension<Counter>(41);
            journal.push_back("extension " + counter->owner() + " " + std::to_string(counter->next()));
        }
    }
    void setup() override {
        for (Part* part : parts_) {
            if (part) {
                part->setup();
                part->fire();
            }
        }
    }

private:
    std::vector<Part*> parts_;
};

class Listener : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(Listener, "utest_sub", "listener", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PORTS({"in", "", {}})
    Listener(ComponentId_t id, Params&) : Component(id) {
        configureLink("in", new Event::Handler<Listener, &Listener::receive>(this));
    }
    void receive(Event* ev) {
        journal.push_back("received at " + std::to_string(getCurrentSimCycle()));
        delete ev;
    }
};

class SubComponents : public ::testing::Test {
protected:
    void SetUp() override {
        journal.clear();
        stats_seen.clear();
    }
    Core::ConfigGraph graph;
};

TEST_F(SubComponents, UserSubComponentsAreNamedBySlotAndGetTheirParams) {
    auto& holder = graph.addComponent("h", "utest_sub.holder");
    graph.addSubComponent(holder.id, "parts", "utest_sub.tagger", 0).addParam("tag", "first");
    graph.addSubComponent(holder.id, "parts", "utest_sub.tagger_alias", 2).addParam("tag", "third");
    runQuietly(graph);
    // Index 1 is empty: createAll leaves a nullptr there.  The engine does not call a
    // subcomponent's setup; the holder does, once.
    EXPECT_EQ(journal, (std::vector<std::string>{"construct h:parts[0] tag=first serial=7 user",
                                                 "construct h:parts[2] tag=third serial=7 user",
                                                 "setup h:parts[0] tag=first", "setup h:parts[2] tag=third"}));
}

TEST_F(SubComponents, ASlotWithOneSubComponentHasNoIndexInTheName) {
    auto& holder = graph.addComponent("h", "utest_sub.holder");
    holder.addParam("mode", "single");
    graph.addSubComponent(holder.id, "parts", "utest_sub.tagger", 0);
    runQuietly(graph);
    ASSERT_FALSE(journal.empty());
    EXPECT_EQ(journal[0], "construct h:parts tag=none serial=8 user");
}

TEST_F(SubComponents, LoadingOneFromASlotHoldingSeveralIsFatal) {
    auto& holder = graph.addComponent("h", "utest_sub.holder");
    holder.addParam("mode", "single");
    graph.addSubComponent(holder.id, "parts", "utest_sub.tagger", 0);
    graph.addSubComponent(holder.id, "parts", "utest_sub.tagger", 1);
    EXPECT_EXIT(runQuietly(graph), ::testing::ExitedWithCode(1),
                "slot 'parts' holds 2 subcomponents; load them with getSubComponentSlotInfo");
}

TEST_F(SubComponents, AnonymousOnesUseTheParentsPortsAndInsertTheirStatistics) {
    auto& holder = graph.addComponent("h", "utest_sub.holder");
    holder.addParam("mode", "anonymous");
    holder.addParam("type", "utest_sub.tagger");
    holder.addParam("count", "2");
    holder.enableAllStatistics(Params());
    graph.statistic_output.load_level = 1;  // "hits" is a level-1 statistic
    auto& a = graph.addComponent("a", "utest_sub.listener");
    auto& b = graph.addComponent("b", "utest_sub.listener");
    wire(graph, holder.id, "port0", "1ns", a.id, "in", "1ns");
    wire(graph, holder.id, "port1", "2ns", b.id, "in", "2ns");
    runQuietly(graph);
    EXPECT_EQ(journal, (std::vector<std::string>{"construct h tag=anon0 serial=0 anonymous",
                                                 "construct h tag=anon1 serial=1 anonymous", "setup h tag=anon0",
                                                 "setup h tag=anon1", "received at 1000", "received at 2000"}));
    // Both parts' "hits" went to the holder (enabled there), as one statistic named after it.
    ASSERT_EQ(stats_seen.size(), 2u);
    const StatSeen& first = stats_seen.at("h/anon0");
    EXPECT_EQ(first.object, stats_seen.at("h/anon1").object);
    EXPECT_FALSE(first.null);
    EXPECT_EQ(first.component, "h");
}

TEST_F(SubComponents, DerivedEliExtendsTheApisAndDeletesWhatItSays) {
    auto& holder = graph.addComponent("h", "utest_sub.holder");
    auto& part = graph.addSubComponent(holder.id, "parts", "utest_sub.tagger", 0);
    part.addParam("tag", "from the API's list");  // inherited from Part
    part.addParam("port", "wire");                // Tagger's own
    EXPECT_NO_THROW(runQuietly(graph));

    Core::ConfigGraph second;
    auto& h2 = second.addComponent("h", "utest_sub.holder");
    second.addSubComponent(h2.id, "parts", "utest_sub.tagger", 0).addParam("legacy", "1");
    try {
        runQuietly(second);
        ADD_FAILURE() << "a deleted parameter was accepted";
    } catch (const Core::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown parameter 'legacy'; documented parameters: tag, port"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(SubComponents, AComponentTypeInASlotIsRefused) {
    auto& holder = graph.addComponent("h", "utest_sub.holder");
    graph.addSubComponent(holder.id, "parts", "utest_sub.listener", 0);
    try {
        runQuietly(graph);
        ADD_FAILURE() << "a component was accepted as a subcomponent";
    } catch (const Core::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'utest_sub.listener' is a component, not a subcomponent"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(SubComponents, LoadingThroughAnApiTheTypeDoesNotImplementIsFatal) {
    graph.addComponent("h", "utest_sub.holder").addParam("mode", "stranger");
    // Stranger's API takes no extra argument, Part's takes an int: refused before construction.
    EXPECT_EXIT(runQuietly(graph), ::testing::ExitedWithCode(1),
                "subcomponent 'utest_sub.stranger' takes other constructor arguments than the API");
}

TEST_F(SubComponents, AnonymousLoadWithoutATypeIsFatal) {
    graph.addComponent("h", "utest_sub.holder").addParam("mode", "anonymous");  // no "type"
    EXPECT_EXIT(runQuietly(graph), ::testing::ExitedWithCode(1),
                "loadAnonymousSubComponent for slot 'parts' names no type");
}

TEST_F(SubComponents, ModulesAndExtensionsAreBuiltWithTheirArguments) {
    graph.addComponent("h", "utest_sub.holder").addParam("mode", "module");
    runQuietly(graph);
    EXPECT_EQ(journal, (std::vector<std::string>{"module 16", "extension h 42"}));
}

}  // namespace

// SST 16's shared objects (SharedArray, SharedMap, SharedSet): when writes are visible, when
// isFullyPublished() turns true, and which misuses are fatal, as sst-core's
// coreTestSharedObjectsComponent expects them.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>
#include <sst/core/shared/sharedArray.h>
#include <sst/core/shared/sharedMap.h>
#include <sst/core/shared/sharedSet.h>

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;
using EngineTest::wire;
using Shared::SharedObject;

namespace {

class SharedUser;

// What each test component does, by component name, in each phase.
struct Script {
    std::function<void(SharedUser&)> construct;
    std::function<void(SharedUser&, unsigned)> init;
    std::function<void(SharedUser&)> setup;
};
std::map<std::string, Script> scripts;
std::vector<std::string> journal;

class SharedUser : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(SharedUser, "utest_shared", "user", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"init_rounds", "init phases in which to send untimed data", "0"})
    SST_ELI_DOCUMENT_PORTS({"in", "", {}}, {"out", "", {}})

    SharedUser(ComponentId_t id, Params& params) : Component(id), script_(scripts[getName()]) {
        init_rounds_ = params.find<unsigned>("init_rounds", 0);
        in_ = configureLink("in");
        out_ = configureLink("out");
        if (script_.construct)
            script_.construct(*this);
    }

    void init(unsigned phase) override {
        // Untimed data keeps the init rounds going, so that a later phase exists to observe.
        if (out_ && phase < init_rounds_)
            out_->sendUntimedData(new Event());
        while (in_)
            if (Event* ev = in_->recvUntimedData())
                delete ev;
            else
                break;
        if (script_.init)
            script_.init(*this, phase);
    }

    void setup() override {
        if (script_.setup)
            script_.setup(*this);
    }

    void note(const std::string& what) { journal.push_back(getName() + " " + what); }

    Shared::SharedArray<int> array;
    Shared::SharedArray<bool> flags;
    Shared::SharedMap<int, int> map;
    Shared::SharedSet<int> set;

private:
    const Script script_;
    unsigned init_rounds_ = 0;
    Link* in_ = nullptr;
    Link* out_ = nullptr;
};

std::string published(bool yes) { return yes ? "published" : "unpublished"; }

// Components named by `names`, each wired to the next so that init can be made to last.
Core::ConfigGraph chain(const std::vector<std::string>& names, unsigned init_rounds = 0) {
    Core::ConfigGraph graph;
    std::vector<ComponentId_t> ids;
    for (const std::string& name : names) {
        auto& comp = graph.addComponent(name, "utest_shared.user");
        comp.addParam("init_rounds", std::to_string(init_rounds));
        ids.push_back(comp.id);
    }
    for (size_t i = 0; i + 1 < ids.size(); ++i)
        wire(graph, ids[i], "out", "1ns", ids[i + 1], "in", "1ns");
    return graph;
}

class SharedObjects : public testing::Test {
protected:
    void SetUp() override {
        scripts.clear();
        journal.clear();
    }
};

TEST_F(SharedObjects, WritesAreVisibleAtOnceAndThePublishCountIsTakenBeforeEachInitPhase) {
    scripts["a"].construct = [](SharedUser& c) {
        EXPECT_EQ(c.array.initialize("table", 2, -1), 0);
        c.array.write(0, 10);
        c.array.publish();
    };
    scripts["b"].construct = [](SharedUser& c) {
        EXPECT_EQ(c.array.initialize("table", 3, -1), 1);  // one instance before it
        c.note("reads " + std::to_string(c.array[0]) + " size " + std::to_string(c.array.size()) + " " +
               published(c.array.isFullyPublished()));
        c.array.write(2, 12);
    };
    // b publishes only in init(0): the count before init(0) misses it, the one before init(1)
    // has it.
    scripts["b"].init = [](SharedUser& c, unsigned phase) {
        c.note("init(" + std::to_string(phase) + ") " + published(c.array.isFullyPublished()));
        if (phase == 0)
            c.array.publish();
    };
    scripts["b"].setup = [](SharedUser& c) {
        std::string values;
        for (int v : c.array)
            values += std::to_string(v) + " ";
        c.note("setup " + values + published(c.array.isFullyPublished()));
    };

    const auto report = runQuietly(chain({"a", "b"}, 2));
    EXPECT_EQ(report.init_phases, 3u);
    const std::vector<std::string> expected = {"b reads 10 size 3 unpublished", "b init(0) unpublished",
                                               "b init(1) published", "b init(2) published",
                                               "b setup 10 -1 12 published"};
    EXPECT_EQ(journal, expected);
}

TEST_F(SharedObjects, AnObjectNeverPublishedCountsAsPublishedFromSetupOn) {
    scripts["a"].construct = [](SharedUser& c) {
        c.map.initialize("m");
        c.map.write(1, 2);
    };
    scripts["a"].init = [](SharedUser& c, unsigned) { c.note("init " + published(c.map.isFullyPublished())); };
    scripts["a"].setup = [](SharedUser& c) {
        c.note("setup " + published(c.map.isFullyPublished()) + " " + std::to_string(c.map[1]));
    };
    runQuietly(chain({"a"}));
    const std::vector<std::string> expected = {"a init unpublished", "a setup published 2"};
    EXPECT_EQ(journal, expected);
}

TEST_F(SharedObjects, InitVerifyAcceptsOverwritingAnEntryThatStillHoldsTheInitialValue) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t", 1, -1, SharedObject::INIT_VERIFY);
        c.array.write(0, -1);
    };
    scripts["b"].construct = [](SharedUser& c) {
        c.array.initialize("t", 1, -1, SharedObject::INIT_VERIFY);
        c.array.write(0, 7);
    };
    scripts["b"].setup = [](SharedUser& c) { c.note(std::to_string(c.array[0])); };
    runQuietly(chain({"a", "b"}));
    EXPECT_EQ(journal, std::vector<std::string>{"b 7"});
}

TEST_F(SharedObjects, FeVerifyRejectsAnyDifferentSecondWrite) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t", 1, -1, SharedObject::FE_VERIFY);
        c.array.write(0, -1);
    };
    scripts["b"].construct = [](SharedUser& c) {
        c.array.initialize("t", 1, -1, SharedObject::FE_VERIFY);
        c.array.write(0, 7);
    };
    EXPECT_EXIT(runQuietly(chain({"a", "b"})), testing::ExitedWithCode(1),
                "ERROR: wrote two different values to index 0 of SharedArray t\n");
}

TEST_F(SharedObjects, SameValueWrittenTwiceIsFine) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t", 2, -1, SharedObject::FE_VERIFY);
        c.array.write(1, 4);
        c.array.write(1, 4);
    };
    scripts["a"].setup = [](SharedUser& c) { c.note(std::to_string(c.array[1])); };
    runQuietly(chain({"a"}));
    EXPECT_EQ(journal, std::vector<std::string>{"a 4"});
}

TEST_F(SharedObjects, NoVerifyKeepsTheLastArrayWriteButTheFirstMapValue) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t", 1, 0, SharedObject::NO_VERIFY);
        c.array.write(0, 1);
        c.array.write(0, 2);
        c.map.initialize("m", SharedObject::NO_VERIFY);
        c.map.write(5, 1);
        c.map.write(5, 2);
    };
    scripts["a"].setup = [](SharedUser& c) {
        c.note(std::to_string(c.array[0]) + " " + std::to_string(c.map[5]) + " " + std::to_string(c.map.size()));
    };
    runQuietly(chain({"a"}));
    EXPECT_EQ(journal, std::vector<std::string>{"a 2 1 1"});
}

TEST_F(SharedObjects, ConflictingMapWritesAreFatal) {
    scripts["a"].construct = [](SharedUser& c) {
        c.map.initialize("m");
        c.map.write(3, 1);
        c.map.write(3, 2);
    };
    EXPECT_EXIT(runQuietly(chain({"a"})), testing::ExitedWithCode(1),
                "ERROR: wrote two different values to same key in SharedMap m\n");
}

TEST_F(SharedObjects, BoolArrayAndSetReadBack) {
    scripts["a"].construct = [](SharedUser& c) {
        c.flags.initialize("f", 3, false);
        c.flags.write(1, true);
        c.set.initialize("s");
        c.set.insert(9);
        c.set.insert(9);
        c.set.insert(3);
    };
    scripts["a"].setup = [](SharedUser& c) {
        std::string bits;
        for (bool b : c.flags)
            bits += b ? '1' : '0';
        std::string items;
        for (int v : c.set)
            items += std::to_string(v) + " ";
        c.note(bits + " " + items + (c.set.find(4) == c.set.end() ? "no 4" : "4"));
    };
    runQuietly(chain({"a"}));
    EXPECT_EQ(journal, std::vector<std::string>{"a 010 3 9 no 4"});
}

TEST_F(SharedObjects, ReadingAMissingMapKeyThrowsOutOfRange) {
    scripts["a"].construct = [](SharedUser& c) { c.map.initialize("m"); };
    scripts["a"].setup = [](SharedUser& c) { EXPECT_THROW(c.map[1], std::out_of_range); };
    runQuietly(chain({"a"}));
}

TEST_F(SharedObjects, WritesAfterPublishAreFatal) {
    scripts["a"].construct = [](SharedUser& c) {
        c.set.initialize("s");
        c.set.publish();
        c.set.insert(1);
    };
    EXPECT_EXIT(runQuietly(chain({"a"})), testing::ExitedWithCode(1),
                "ERROR: insert into SharedSet s after publish\\(\\) was called\n");
}

TEST_F(SharedObjects, WritesFromSetupOnAreFatal) {
    scripts["a"].construct = [](SharedUser& c) { c.array.initialize("t", 1); };
    scripts["a"].setup = [](SharedUser& c) { c.array.write(0, 1); };
    EXPECT_EXIT(runQuietly(chain({"a"})), testing::ExitedWithCode(1),
                "ERROR: attempt to write to SharedArray t after init phase\n");
}

TEST_F(SharedObjects, InitializingFromSetupOnIsFatal) {
    scripts["a"].setup = [](SharedUser& c) { c.map.initialize("late"); };
    EXPECT_EXIT(runQuietly(chain({"a"})), testing::ExitedWithCode(1),
                "Attempting to initialize SharedObject late after the init\\(\\) phase\n");
}

TEST_F(SharedObjects, InitializingTwiceIsFatal) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t");
        c.array.initialize("t");
    };
    EXPECT_EXIT(runQuietly(chain({"a"})), testing::ExitedWithCode(1),
                "ERROR: called initialize\\(\\) of SharedArray t more than once\n");
}

TEST_F(SharedObjects, OneNameWithTwoTypesIsFatal) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("x");
        c.map.initialize("x");
    };
    EXPECT_EXIT(runQuietly(chain({"a"})), testing::ExitedWithCode(1),
                "ERROR: Shared object x requested with two different types\n");
}

TEST_F(SharedObjects, InstancesMustAgreeOnInitValueAndVerifyType) {
    scripts["a"].construct = [](SharedUser& c) { c.array.initialize("t", 1, 0); };
    scripts["b"].construct = [](SharedUser& c) { c.array.initialize("t", 1, 5); };
    EXPECT_EXIT(runQuietly(chain({"a", "b"})), testing::ExitedWithCode(1),
                "ERROR: Two different init_data values passed into SharedArray t\n");

    scripts["b"].construct = [](SharedUser& c) { c.array.initialize("t", 1, 0, SharedObject::FE_VERIFY); };
    EXPECT_EXIT(runQuietly(chain({"a", "b"})), testing::ExitedWithCode(1),
                "ERROR: Two different verify types passed into SharedArray t\n");

    scripts["a"].construct = [](SharedUser& c) { c.set.initialize("s", SharedObject::FE_VERIFY); };
    scripts["b"].construct = [](SharedUser& c) { c.set.initialize("s", SharedObject::NO_VERIFY); };
    EXPECT_EXIT(runQuietly(chain({"a", "b"})), testing::ExitedWithCode(1),
                "ERROR: Type different verify_types specified for SharedSet s\n");
}

TEST_F(SharedObjects, EachSimulationStartsWithoutSharedData) {
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t", 4);
        c.note(std::to_string(c.array.size()));
    };
    runQuietly(chain({"a"}));
    // Had the first run's data survived, it would be locked and this initialize() fatal.
    scripts["a"].construct = [](SharedUser& c) {
        c.array.initialize("t", 2);
        c.note(std::to_string(c.array.size()));
    };
    runQuietly(chain({"a"}));
    EXPECT_EQ(journal, (std::vector<std::string>{"a 4", "a 2"}));
}

}  // namespace
